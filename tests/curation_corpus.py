"""One article marked by three annotators, cy disagreeing on purpose: a source's extent, the
cue's link, a claim's type and a place's label."""

from __future__ import annotations

from labeler.domain.document import Document
from labeler.domain.project import Project
from labeler.services.annotating import AnnotationService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database

TEXT = "Ada Lind said the mine in Oslo will close.\n"
CLAIM = "the mine in Oslo will close"


def stored_article(db: Database, text: str = TEXT) -> tuple[Project, int]:
    """The project and the article's id; ana and ben agree, cy differs in four places."""
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        [doc_id] = store.documents.add_many(project.id, [Document(text, "Strike")])
    annotating = AnnotationService(db)
    for who in ("ana", "ben", "cy"):
        session = annotating.open(project, doc_id, who)
        session.add_span(0, 8, "PERSON")
        cue = session.add_span(9, 13, "CUE")
        source = session.add_span(0, 3 if who == "cy" else 8, "SOURCE")
        session.add_relation("source", cue.id, source.id)
        start = text.index(CLAIM)
        kind = "event" if who == "cy" else "prediction"
        session.add_span(start, start + len(CLAIM), "CLAIM", {"claim_type": kind})
        oslo = text.index("Oslo")
        session.add_span(oslo, oslo + 4, "ORG" if who == "cy" else "GPE")
    return project, doc_id
