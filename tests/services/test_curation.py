"""The curation service on both engines: a curated set started, disagreements decided."""

from __future__ import annotations

import pytest

from labeler.domain.annotation import Status
from labeler.domain.errors import LabelerError, RuleError
from labeler.services.annotating import AnnotationService
from labeler.services.curation import CURATED, CurationService
from tests.agreement_corpus import stored_corpus


def test_start_two_of_three_and_decide(migrated_db) -> None:
    project, ids = stored_corpus(migrated_db)
    service = CurationService(migrated_db)
    curation = service.start(project, ids[1], "lee", min_agree=2)
    made = curation.session.annotations
    assert sorted((s.label, s.text) for s in made.spans.values()) == [
        ("CUE", "warned"),
        ("GPE", "Bergen"),
        ("SOURCE", "Officials"),
    ]
    assert [r.type for r in made.relations.values()] == ["source"]
    spans, relations = service.sources(curation)
    assert sorted(map(tuple, spans.values())) == [("ana", "ben")] * 3
    assert list(relations.values()) == [["ana", "ben"]]
    [left] = curation.disagreements
    assert (left.kind, left.text, left.had()) == ("span", "Bergen", ["cy"])
    # cy's LOC Bergen overlaps the merged GPE: the entity layer refuses it, nothing changes
    with pytest.raises(RuleError, match="overlap"):
        service.accept(curation, left, "cy")
    service.reject(curation, left)
    assert curation.disagreements == []

    with migrated_db.reading() as store:
        row = store.curation.curated_sets([ids[1]])
    assert row == {ids[1]: (CURATED, "lee", Status.IN_PROGRESS.value)}
    # the curated set reopens as any set does, in the editor's own session
    again = AnnotationService(migrated_db).open(project, ids[1], CURATED, curating=True)
    assert len(again.annotations.spans) == 3 and len(again.annotations.relations) == 1


def test_accept_goes_through_the_edit_session(migrated_db) -> None:
    project, ids = stored_corpus(migrated_db)
    service = CurationService(migrated_db)
    curation = service.start(project, ids[0], "lee")  # all three must agree: nothing does
    assert curation.session.annotations.spans == {}
    assert {(d.text, tuple(d.had())) for d in curation.disagreements} == {
        ("Ada Lind", ("ana", "ben")),
        ("Oslo", ("ana", "ben")),
        ("said", ("ana", "ben")),
        ("Lind", ("cy",)),
        ("mine", ("cy",)),
    }
    mine = next(d for d in curation.disagreements if d.text == "mine")
    service.accept(curation, mine, "cy")
    [span] = curation.session.annotations.spans.values()
    assert (span.label, span.text) == ("FAC", "mine")
    assert list(service.sources(curation)[0].values()) == [["cy"]]
    assert mine not in curation.disagreements
    with pytest.raises(RuleError, match="no version"):
        service.accept(curation, curation.disagreements[0], "cy")
    # the set is an ordinary one: undoing the accept is removing the span
    curation.session.remove_span(span.id)
    again = AnnotationService(migrated_db).open(project, ids[0], CURATED, curating=True)
    assert again.annotations.spans == {}


def test_refusals(migrated_db) -> None:
    project, ids = stored_corpus(migrated_db)
    service = CurationService(migrated_db)
    with pytest.raises(LabelerError, match="needs two or more"):
        service.start(project, ids[2], "lee", annotators=["ana"])
    with pytest.raises(LabelerError, match="no curated set"):
        service.resume(project, ids[0])
    with pytest.raises(LabelerError, match="between 1 and 3"):
        service.start(project, ids[0], "lee", min_agree=4)
    service.start(project, ids[1], "lee", min_agree=2)
    with pytest.raises(LabelerError, match="curated set already"):
        service.start(project, ids[1], "lee", min_agree=2)


def test_attributes_and_relations_are_decided_too(migrated_db) -> None:
    from labeler.domain.document import Document
    from labeler.services.projects import ProjectService

    text = "Ada Lind said the mine will close."
    project = ProjectService(migrated_db).create("Claims", "news")
    with migrated_db.transaction() as store:
        [doc_id] = store.documents.add_many(project.id, [Document(text, "One")])
    annotating = AnnotationService(migrated_db)
    for who, claim_type in (("ana", "prediction"), ("ben", "event")):
        session = annotating.open(project, doc_id, who)
        cue = session.add_span(9, 13, "CUE")
        source = session.add_span(0, 8, "SOURCE")
        session.add_span(14, 33, "CLAIM", {"claim_type": claim_type})
        if who == "ana":
            session.add_relation("source", cue.id, source.id)
    service = CurationService(migrated_db)
    curation = service.start(project, doc_id, "lee")
    made = curation.session.annotations
    assert sorted(s.label for s in made.spans.values()) == ["CLAIM", "CUE", "SOURCE"]
    claim = next(s for s in made.spans.values() if s.label == "CLAIM")
    assert claim.attributes == {}
    relation, attribute = curation.disagreements  # in text order: the cue comes first
    assert (attribute.kind, attribute.attribute, attribute.versions) == (
        "attribute",
        "claim_type",
        {"ana": "prediction", "ben": "event"},
    )
    assert (relation.kind, relation.had()) == ("relation", ["ana"])

    service.accept(curation, attribute, "ben")
    assert made.spans[claim.id].attributes == {"claim_type": "event"}
    # reopened later: what the set settled is no longer listed
    reopened = service.resume(project, doc_id)
    assert (reopened.curator, reopened.annotators) == ("lee", ["ana", "ben"])
    assert reopened.disagreements == [relation]
    service.accept(curation, relation, "ana")
    [link] = made.relations.values()
    assert link.type == "source" and made.spans[link.head].label == "CUE"
    assert service.sources(curation)[1] == {link.id: ["ana"]}
    assert curation.disagreements == []
    assert service.resume(project, doc_id).disagreements == []
    # rejecting after all takes them out again, through the same session
    service.reject(curation, attribute)
    service.reject(curation, relation)
    stored = annotating.open(project, doc_id, CURATED, curating=True).annotations
    assert stored.relations == {} and stored.spans[claim.id].attributes == {}
