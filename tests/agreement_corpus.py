"""Three annotators on three short articles, one of them disagreeing, stored in a database."""

from __future__ import annotations

from pathlib import Path

from labeler.domain.annotation import Relation, Span, Status
from labeler.domain.document import Document
from labeler.domain.project import Project
from labeler.services.projects import ProjectService
from labeler.storage.database import Database

TEXTS = [
    "Ada Lind said the mine in Oslo will close.",
    "Officials in Bergen warned of a strike.",
    "The council met on Monday.",
]
# per document: annotator -> (status, [(snippet, label)])
SETS = [
    {
        "ana": (Status.DONE, [("Ada Lind", "PERSON"), ("Oslo", "GPE"), ("said", "CUE")]),
        "ben": (Status.DONE, [("Ada Lind", "PERSON"), ("Oslo", "GPE"), ("said", "CUE")]),
        "cy": (Status.DONE, [("Lind", "ORG"), ("mine", "FAC")]),
    },
    {
        "ana": (Status.DONE, [("Bergen", "GPE"), ("warned", "CUE"), ("Officials", "SOURCE")]),
        "ben": (Status.DONE, [("Bergen", "GPE"), ("warned", "CUE"), ("Officials", "SOURCE")]),
        "cy": (Status.IN_PROGRESS, [("Bergen", "LOC")]),
    },
    {
        "ana": (Status.DONE, [("Monday", "DATE")]),
        "cy": (Status.TODO, []),
    },
]


def stored_corpus(db: Database, name: str = "News") -> tuple[Project, list[int]]:
    """The project, and its document ids in order; relations link CUE -source-> SOURCE."""
    project = ProjectService(db).create(name, "news")
    with db.transaction() as store:
        ids = store.documents.add_many(
            project.id, [Document(t, f"Article {i + 1}") for i, t in enumerate(TEXTS)]
        )
        names = store.annotations.annotator_ids(["ana", "ben", "cy"])
        from labeler.storage.annotation_repository import NewSet

        new_sets = []
        for doc_id, text, by_name in zip(ids, TEXTS, SETS, strict=True):
            for who, (status, spans) in by_name.items():
                made = []
                for n, (snippet, label) in enumerate(spans):
                    start = text.index(snippet)
                    layer = project.schema.label(label).layer
                    made.append(Span(start, start + len(snippet), label, layer, snippet, id=-n - 1))
                cue = next((s for s in made if s.label == "CUE"), None)
                source = next((s for s in made if s.label == "SOURCE"), None)
                relations = [Relation("source", cue.id, source.id, id=-1)] if cue and source else []
                new_sets.append(NewSet(doc_id, names[who], status, made, relations))
        store.annotations.add_sets(new_sets)
    return project, ids


def corpus_file(path: Path) -> str:
    """A SQLite file at `path` holding the corpus; returns the path as the --db option takes it."""
    database = Database(f"sqlite:///{path}")
    database.open()
    try:
        stored_corpus(database)
    finally:
        database.close()
    return str(path)
