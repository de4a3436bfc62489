"""Made-up wire stories with their entities, stored as finished (or open) documents: what the
model trained in the loop learns from in tests and in the training benchmark."""

from __future__ import annotations

import random

from labeler.domain.annotation import Span, Status
from labeler.domain.document import Document
from labeler.domain.project import Project
from labeler.services.projects import ProjectService
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database

PEOPLE = ("Ilse Marquard", "Tomas Berg", "Amina Diallo", "Jonas Lie", "Marta Silva")
ORGS = ("Reuters", "the Bank of Norway", "Statoil", "the United Nations", "Acme Shipping")
PLACES = ("Bergen", "Oslo", "Lagos", "Lisbon", "Hamburg")
FRAMES = (
    "{p} said on Monday that {o} would open an office in {g}.",
    "Officials in {g} met {p} of {o} to discuss the strike.",
    "{o} told reporters in {g} that {p} had resigned.",
    "According to {p}, the port of {g} lost money as {o} cut jobs.",
)


def wire_story(rng: random.Random, sentences: int = 3) -> tuple[str, list[tuple[int, int, str]]]:
    """A made-up story of a few sentences, and its PERSON, ORG and GPE spans."""
    text, spans = "", []
    for _ in range(sentences):
        frame = rng.choice(FRAMES)
        values = {"p": rng.choice(PEOPLE), "o": rng.choice(ORGS), "g": rng.choice(PLACES)}
        labels = {"p": "PERSON", "o": "ORG", "g": "GPE"}
        pieces = frame.replace("{", "\0{").replace("}", "}\0").split("\0")
        for piece in pieces:
            if piece.startswith("{") and piece.endswith("}"):
                key = piece[1:-1]
                spans.append((len(text), len(text) + len(values[key]), labels[key]))
                text += values[key]
            else:
                text += piece
        text += " "
    return text.strip(), spans


def stored_stories(
    db: Database, done: int, todo: int = 0, seed: int = 1, sentences: int = 3
) -> tuple[Project, list[int]]:
    """Project "Wire": `done` stories annotated and finished by "ana", then `todo` stories
    nobody has opened; their document ids in order."""
    rng = random.Random(seed)
    project = ProjectService(db).create("Wire", "news")
    stories = [wire_story(rng, sentences) for _ in range(done + todo)]
    with db.transaction() as store:
        ids = store.documents.add_many(
            project.id, [Document(text, f"Story {n + 1}") for n, (text, _) in enumerate(stories)]
        )
        ana = store.annotations.annotator_ids(["ana"])["ana"]
        new_sets = []
        for doc_id, (text, found) in zip(ids[:done], stories[:done], strict=True):
            spans = [
                Span(start, end, label, "entity", text[start:end], id=-n - 1)
                for n, (start, end, label) in enumerate(found)
            ]
            new_sets.append(NewSet(doc_id, ana, Status.DONE, spans, []))
        store.annotations.add_sets(new_sets)
    return project, ids
