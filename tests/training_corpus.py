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
    "{p} [said] on Monday that {o} would open an office in {g}.",
    "Officials in {g} met {p} of {o} to discuss the strike.",
    "{o} [told] reporters in {g} that {p} had resigned.",
    "[According to] {p}, the port of {g} lost money as {o} cut jobs.",
)


Ranges = list[tuple[int, int, str]]


def wire_story(rng: random.Random, sentences: int = 3) -> tuple[str, Ranges, Ranges]:
    """A made-up story of a few sentences, its PERSON, ORG and GPE spans, and its CUEs."""
    text, spans, cues = "", [], []
    for _ in range(sentences):
        frame = rng.choice(FRAMES)
        values = {"p": rng.choice(PEOPLE), "o": rng.choice(ORGS), "g": rng.choice(PLACES)}
        labels = {"p": "PERSON", "o": "ORG", "g": "GPE"}
        pieces = frame.replace("{", "\0{").replace("}", "}\0").replace("[", "\0[")
        for piece in pieces.replace("]", "]\0").split("\0"):
            if piece.startswith("{") and piece.endswith("}"):
                key = piece[1:-1]
                spans.append((len(text), len(text) + len(values[key]), labels[key]))
                text += values[key]
            elif piece.startswith("[") and piece.endswith("]"):
                cues.append((len(text), len(text) + len(piece) - 2, "CUE"))
                text += piece[1:-1]
            else:
                text += piece
        text += " "
    return text.strip(), spans, cues


def stored_stories(
    db: Database,
    done: int,
    todo: int = 0,
    seed: int = 1,
    sentences: int = 3,
    cues: bool = False,
) -> tuple[Project, list[int]]:
    """Project "Wire": `done` stories annotated and finished by "ana" (their entities, and
    their CUEs too if `cues`), then `todo` stories nobody has opened; their document ids."""
    rng = random.Random(seed)
    project = ProjectService(db).create("Wire", "news")
    stories = [wire_story(rng, sentences) for _ in range(done + todo)]
    with db.transaction() as store:
        ids = store.documents.add_many(
            project.id, [Document(story[0], f"Story {n + 1}") for n, story in enumerate(stories)]
        )
        ana = store.annotations.annotator_ids(["ana"])["ana"]
        new_sets = []
        for doc_id, (text, found, said) in zip(ids[:done], stories[:done], strict=True):
            ranges = [(*r, "entity") for r in found] + [(*r, "attribution") for r in said] * cues
            spans = [
                Span(start, end, label, layer, text[start:end], id=-n - 1)
                for n, (start, end, label, layer) in enumerate(ranges)
            ]
            new_sets.append(NewSet(doc_id, ana, Status.DONE, spans, []))
        store.annotations.add_sets(new_sets)
    return project, ids
