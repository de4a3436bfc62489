"""The agreement service: sets read from the database on both engines, measured."""

from __future__ import annotations

import pytest

from labeler.domain.errors import LabelerError
from labeler.quality.figures import FRAMES, RELATIONS, Measure, StatusFilter
from labeler.services.agreement import AgreementCancelled, AgreementService
from tests.agreement_corpus import stored_corpus


def test_measures_stored_sets(open_db) -> None:
    db = open_db()
    db.open()
    project, ids = stored_corpus(db)
    service = AgreementService(db)
    assert service.annotators(project) == ["ana", "ben", "cy"]
    report = service.measure(project)
    # Article 1: all three done; article 2: ana and ben done; article 3: only ana done.
    assert (report.documents, report.left_out) == (2, 1)
    entity = report.figure(Measure.SPAN_F1_EXACT, "entity", pair="ana|ben")
    assert (entity.value, entity.units, entity.documents) == (1.0, 6, 2)
    assert report.figure(Measure.SPAN_F1_EXACT, "entity", pair="ana|cy").value == 0.0
    assert report.figure(Measure.FLEISS_KAPPA, "entity").documents == 1
    relations = report.figure(Measure.RELATION_F1_EXACT, RELATIONS, pair="ana|ben")
    assert (relations.value, relations.units) == (1.0, 2)
    assert report.figure(Measure.FRAME_SOURCE_EXACT, FRAMES, pair="ana|ben").value == 1.0
    assert [d.document_id for d in report.by_document] == [ids[0], ids[1]]

    anyway = service.measure(project, status=StatusFilter.ANY)
    assert (anyway.documents, anyway.left_out) == (3, 0)
    two = service.measure(project, ["ana", "ben"], ["entity"])
    assert two.annotators == ("ana", "ben") and two.layers == ("entity",)


def test_unknown_annotator_or_layer_is_refused(open_db) -> None:
    db = open_db()
    db.open()
    project, _ = stored_corpus(db)
    service = AgreementService(db)
    with pytest.raises(LabelerError, match=r"no annotation sets by 'zoe'.*ana, ben, cy"):
        service.measure(project, ["ana", "zoe"])
    with pytest.raises(LabelerError, match="no layer 'events'"):
        service.measure(project, layers=["events"])


def test_progress_and_cancel(open_db) -> None:
    db = open_db()
    db.open()
    project, _ = stored_corpus(db)
    service = AgreementService(db)
    seen: list[tuple[int, int]] = []
    service.measure(project, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 3)]
    with pytest.raises(AgreementCancelled):
        service.measure(project, cancelled=lambda: True)
