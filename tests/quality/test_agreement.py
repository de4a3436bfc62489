"""Agreement over documents: spans, tokens, relations, frames, attributes, counts and notes."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.domain.tokens import token_bounds
from labeler.quality.agreement import DocumentSets, measure_agreement
from labeler.quality.figures import ALL, FRAMES, RELATIONS, Measure, StatusFilter

TEXT = "Ada Lind said the mine in Oslo will close next year, officials warned."


@pytest.fixture
def schema(news_toml):
    return parse_schema(news_toml, "news.toml")


def one(schema, name, spans, status=Status.DONE, relations=()) -> AnnotationSet:
    """A set with spans given as (snippet, label[, attributes]) and relations as
    (type, head index, tail index) into that list."""
    s = AnnotationSet(schema, name, status)
    added = []
    for snippet, label, *attrs in spans:
        i = TEXT.index(snippet)
        span = make_span(TEXT, i, i + len(snippet), label, schema, attrs[0] if attrs else None)
        added.append(s.add_span(span))
    for kind, head, tail in relations:
        s.add_relation(Relation(kind, added[head].id, added[tail].id))
    return s


def doc(*sets, document_id=1) -> DocumentSets:
    return DocumentSets(document_id, f"doc {document_id}", TEXT, list(sets))


def test_span_f1_exact_and_overlap_by_hand(schema) -> None:
    ana = one(schema, "ana", [("Ada Lind", "PERSON"), ("Oslo", "GPE"), ("next year", "DATE")])
    ben = one(schema, "ben", [("Lind", "PERSON"), ("Oslo", "GPE"), ("year", "ORG")])
    report = measure_agreement([doc(ana, ben)], schema, ["ana", "ben"], ["entity"])
    exact = report.figure(Measure.SPAN_F1_EXACT, "entity", pair="ana|ben")
    overlap = report.figure(Measure.SPAN_F1_OVERLAP, "entity", pair="ana|ben")
    # exact: Oslo only, 2*1/6; overlap: Oslo and Ada Lind~Lind (DATE vs ORG differ), 2*2/6
    assert (exact.value, exact.matches, exact.units, exact.documents) == (
        pytest.approx(1 / 3),
        1,
        6,
        1,
    )
    assert (overlap.value, overlap.matches) == (pytest.approx(2 / 3), 2)
    person = report.figure(Measure.SPAN_F1_OVERLAP, "entity", "PERSON", "ana|ben")
    assert (person.value, person.units) == (1.0, 2)
    date = report.figure(Measure.SPAN_F1_EXACT, "entity", "DATE", "ana|ben")
    assert (date.value, date.units, date.matches) == (0.0, 1, 0)
    unused = report.figure(Measure.SPAN_F1_EXACT, "entity", "LAW", "ana|ben")
    assert unused.value is None and unused.note == "neither annotator has any"


def test_token_kappa_is_cohens_on_each_tokens_label(schema) -> None:
    ana = one(schema, "ana", [("Ada Lind", "PERSON"), ("Oslo", "GPE"), ("next year", "DATE")])
    ben = one(schema, "ben", [("Ada", "PERSON"), ("Oslo", "GPE"), ("officials", "NORP")])
    report = measure_agreement([doc(ana, ben)], schema, ["ana", "ben"], ["entity"])

    def labels(s: AnnotationSet) -> list[str]:
        out = []
        for start, end in token_bounds(TEXT):
            found = [x.label for x in s.spans.values() if x.start < end and start < x.end]
            out.append(found[0] if found else "O")
        return out

    expected = cohen_kappa_score(labels(ana), labels(ben))
    kappa = report.figure(Measure.COHEN_KAPPA, "entity", pair="ana|ben")
    assert kappa.value == pytest.approx(expected)
    assert kappa.units == len(token_bounds(TEXT))
    pooled = report.figure(Measure.COHEN_KAPPA, "entity")
    assert pooled.value == pytest.approx(expected) and pooled.note == "mean of pairs"
    fleiss = report.figure(Measure.FLEISS_KAPPA, "entity")
    assert fleiss.value is None and "three or more" in fleiss.note


def test_alpha_leaves_out_annotators_who_did_not_label_a_document(schema) -> None:
    ana1 = one(schema, "ana", [("Ada Lind", "PERSON")])
    ben1 = one(schema, "ben", [("Ada Lind", "PERSON")])
    ana2 = one(schema, "ana", [("Oslo", "GPE")])
    cy2 = one(schema, "cy", [("Oslo", "ORG")])
    report = measure_agreement(
        [doc(ana1, ben1), doc(ana2, cy2, document_id=2)], schema, ["ana", "ben", "cy"], ["entity"]
    )
    tokens = len(token_bounds(TEXT))
    alpha = report.figure(Measure.KRIPPENDORFF_ALPHA, "entity")
    assert alpha.units == 2 * tokens and alpha.documents == 2
    # The reference: one column per token of both documents, nan where an annotator had no
    # set; nominal codes 0 = O, 1 = PERSON, 2 = GPE, 3 = ORG.
    starts = [t[0] for t in token_bounds(TEXT)]
    ada, lind, oslo = (starts.index(TEXT.index(w)) for w in ("Ada", "Lind", "Oslo"))
    data = np.full((3, 2 * tokens), np.nan)
    data[0] = data[1, :tokens] = data[2, tokens:] = 0
    data[0, [ada, lind]] = data[1, [ada, lind]] = 1
    data[0, tokens + oslo], data[2, tokens + oslo] = 2, 3
    assert alpha.value == pytest.approx(krippendorff.alpha(data, level_of_measurement="nominal"))
    assert (
        report.figure(Measure.FLEISS_KAPPA, "entity").note == "no units that every annotator coded"
    )


def test_done_only_unless_any_status(schema) -> None:
    ana = one(schema, "ana", [("Oslo", "GPE")])
    ben = one(schema, "ben", [("Oslo", "GPE")], status=Status.IN_PROGRESS)
    done = measure_agreement([doc(ana, ben)], schema, ["ana", "ben"])
    assert (done.documents, done.left_out) == (0, 1)
    assert done.figure(Measure.SPAN_F1_EXACT, "entity").note == "neither annotator has any"
    anyway = measure_agreement([doc(ana, ben)], schema, ["ana", "ben"], status=StatusFilter.ANY)
    assert anyway.documents == 1
    assert anyway.figure(Measure.SPAN_F1_EXACT, "entity").value == 1.0


def test_one_annotator_is_undefined_with_a_note(schema) -> None:
    report = measure_agreement([doc(one(schema, "ana", [("Oslo", "GPE")]))], schema, ["ana"])
    f1 = report.figure(Measure.SPAN_F1_EXACT, "entity")
    assert f1.value is None and f1.note == "fewer than two annotators"
    assert report.figure(Measure.KRIPPENDORFF_ALPHA, "entity").value is None


def test_relations_match_by_type_and_both_ends(schema) -> None:
    spans = [("said", "CUE"), ("Ada Lind", "SOURCE"), ("the mine in Oslo will close", "CONTENT")]
    ana = one(schema, "ana", spans, relations=[("source", 0, 1), ("content", 0, 2)])
    ben_spans = [("said", "CUE"), ("Lind", "SOURCE"), ("the mine in Oslo will close", "CONTENT")]
    ben = one(schema, "ben", ben_spans, relations=[("source", 0, 1), ("content", 0, 2)])
    report = measure_agreement([doc(ana, ben)], schema, ["ana", "ben"])
    exact = report.figure(Measure.RELATION_F1_EXACT, RELATIONS)
    overlap = report.figure(Measure.RELATION_F1_OVERLAP, RELATIONS)
    assert (exact.value, exact.matches, exact.units) == (0.5, 1, 4)  # content matches exactly
    assert (overlap.value, overlap.matches) == (1.0, 2)
    assert report.figure(Measure.RELATION_F1_EXACT, RELATIONS, "source").value == 0.0


def test_frames_same_cue_different_source(schema) -> None:
    spans = [("said", "CUE"), ("Ada Lind", "SOURCE"), ("the mine in Oslo", "CONTENT")]
    ana = one(schema, "ana", spans, relations=[("source", 0, 1), ("content", 0, 2)])
    ben_spans = [("said", "CUE"), ("officials", "SOURCE"), ("the mine in Oslo", "CONTENT")]
    ben = one(schema, "ben", ben_spans, relations=[("source", 0, 1), ("content", 0, 2)])
    cy = one(schema, "cy", [("warned", "CUE")])
    report = measure_agreement([doc(ana, ben, cy)], schema, ["ana", "ben", "cy"])
    pair = "ana|ben"
    assert report.figure(Measure.FRAME_F1, FRAMES, pair=pair).value == 1.0
    assert report.figure(Measure.FRAME_SOURCE_EXACT, FRAMES, pair=pair).value == 0.0
    assert report.figure(Measure.FRAME_SOURCE_OVERLAP, FRAMES, pair=pair).value == 0.0
    assert report.figure(Measure.FRAME_CONTENT_EXACT, FRAMES, pair=pair).value == 1.0
    lonely = report.figure(Measure.FRAME_SOURCE_EXACT, FRAMES, pair="ana|cy")
    assert lonely.value is None and lonely.note == "no matched frames"
    pooled = report.figure(Measure.FRAME_F1, FRAMES, pair=ALL)
    # ana|ben 1 of 2+2... frames: ana 1, ben 1, cy 1; matched only ana|ben
    assert (pooled.units, pooled.matches, pooled.value) == (6, 1, pytest.approx(1 / 3))


def test_attribute_kappa_over_matched_spans(schema) -> None:
    text_claims = ["the mine in Oslo will close", "officials warned"]
    ana = one(
        schema,
        "ana",
        [
            (t, "CLAIM", {"claim_type": v})
            for t, v in zip(text_claims, ["prediction", "event"], strict=True)
        ],
    )
    ben = one(
        schema,
        "ben",
        [
            (t, "CLAIM", {"claim_type": v})
            for t, v in zip(text_claims, ["prediction", "other"], strict=True)
        ],
    )
    report = measure_agreement([doc(ana, ben)], schema, ["ana", "ben"], ["claim"])
    f = report.figure(Measure.ATTRIBUTE_KAPPA, "claim", "CLAIM.claim_type", "ana|ben")
    expected = cohen_kappa_score(["prediction", "event"], ["prediction", "other"])
    assert (f.value, f.units, f.matches) == (pytest.approx(expected), 2, 1)


def test_documents_sorted_by_disagreement(schema) -> None:
    same = [one(schema, n, [("Oslo", "GPE")]) for n in ("ana", "ben")]
    differ = [one(schema, "ana", [("Oslo", "GPE")]), one(schema, "ben", [("Ada", "PERSON")])]
    report = measure_agreement(
        [doc(*same, document_id=1), doc(*differ, document_id=2)], schema, ["ana", "ben"]
    )
    assert [d.document_id for d in report.by_document] == [2, 1]
    assert report.by_document[0].span_f1 == 0.0 and report.by_document[1].span_f1 == 1.0
