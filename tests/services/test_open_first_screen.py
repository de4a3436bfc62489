"""Opening a document reads its text at once and its annotation set when first asked for; a
stretch of the set (what a first screen draws) can be read alone before that, on both engines."""

from __future__ import annotations

import pytest

from labeler.domain.annotation import AnnotationSet
from labeler.domain.document import Document
from labeler.services.annotating import AnnotationService, EditSession
from labeler.services.projects import ProjectService

LINE = "Ana Lind said the port would reopen. "
TEXT = (LINE + "\n") * 40  # forty paragraphs, each "Ana Lind" (SOURCE) "said" (CUE)


def paragraph(n: int) -> int:
    return n * (len(LINE) + 1)


@pytest.fixture
def opened(open_db) -> tuple[AnnotationService, EditSession, object]:
    db = open_db()
    db.open()
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        (doc_id,) = store.documents.add_many(project.id, [Document(TEXT, "Long")])
    service = AnnotationService(db)
    session = service.open(project, doc_id, "ana")
    for n in range(40):
        source = session.add_span(paragraph(n), paragraph(n) + 8, "SOURCE")
        cue = session.add_span(paragraph(n) + 9, paragraph(n) + 13, "CUE")
        session.add_relation("source", cue.id, source.id)  # type: ignore[arg-type]
    # A link from the first paragraph to the last one: its far end is drawn too.
    spans = session.annotations.spans.values()
    first_cue = min((s for s in spans if s.label == "CUE"), key=lambda s: s.start)
    last_source = max((s for s in spans if s.label == "SOURCE"), key=lambda s: s.start)
    session.add_relation("source", first_cue.id, last_source.id)  # type: ignore[arg-type]
    return service, service.open(project, doc_id, "ana", lazy=True), project


def expected_part(full: AnnotationSet, start: int, end: int) -> tuple[set, set, list]:
    shown = {i for i, s in full.spans.items() if s.start < end and s.end > start}
    touching = {i for i, r in full.relations.items() if r.head in shown or r.tail in shown}
    for i in touching:
        shown |= {full.relations[i].head, full.relations[i].tail}
    starts = sorted(full.spans[i].start for r in full.relations.values() for i in (r.head, r.tail))
    return shown, touching, starts


def test_the_set_is_read_when_first_asked_for(opened) -> None:
    service, session, project = opened
    assert service.open(project, session.document.id, "ana").loaded  # unless asked not to
    assert not session.loaded
    assert session.annotator == "ana"
    assert session.schema.has_label("SOURCE")
    assert len(session.annotations.spans) == 80
    assert len(session.annotations.relations) == 41
    assert session.loaded


def test_a_stretch_is_read_alone_as_the_whole_set_has_it(opened) -> None:
    service, session, project = opened
    spans, relations, starts = session.part(0, paragraph(2))  # the first two paragraphs
    assert not session.loaded  # read alone
    full = service.open(project, session.document.id, "ana").annotations
    shown, touching, all_starts = expected_part(full, 0, paragraph(2))
    assert set(spans) == shown
    assert set(relations) == touching
    assert len(touching) == 3  # the two paragraphs' own links, and the one to the end
    assert max(spans[i].start for i in spans) == paragraph(39)  # that link's far end
    assert sorted(starts) == all_starts
    assert {i: spans[i] for i in spans} == {i: full.spans[i] for i in spans}
    assert relations == {i: full.relations[i] for i in relations}
    # Once the set is read, the same answer comes from it.
    assert session.annotations is not None
    again = session.part(0, paragraph(2))
    assert (again[0], again[1], sorted(again[2])) == (spans, relations, sorted(starts))


def test_a_stretch_of_an_annotator_without_a_set_is_empty(opened) -> None:
    service, session, project = opened
    other = service.open(project, session.document.id, "bo", lazy=True)
    assert other.part(0, len(TEXT)) == ({}, {}, [])
    assert other.annotations.spans == {}
