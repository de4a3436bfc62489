"""Curation plans: what k of n annotators agree on, and what is left to decide."""

from __future__ import annotations

from labeler.domain.annotation import AnnotationSet, Relation, Span
from labeler.domain.schema import LabelSchema
from labeler.quality.curation import plan_curation

TEXT = "Ada Lind said the mine in Oslo will close."


def _set(
    schema: LabelSchema, who: str, spans: list[tuple[str, str, dict[str, str]]]
) -> AnnotationSet:
    s = AnnotationSet(schema, who)
    for snippet, label, attributes in spans:
        start = TEXT.index(snippet)
        layer = schema.label(label).layer
        s.add_span(Span(start, start + len(snippet), label, layer, snippet, attributes))
    return s


def _sets(schema: LabelSchema) -> dict[str, AnnotationSet]:
    claim = "the mine in Oslo will close"
    ana = _set(
        schema,
        "ana",
        [
            ("Ada Lind", "PERSON", {}),
            ("Ada Lind", "SOURCE", {}),
            ("said", "CUE", {}),
            ("Oslo", "GPE", {}),
            (claim, "CLAIM", {"claim_type": "prediction"}),
        ],
    )
    ben = _set(
        schema,
        "ben",
        [
            ("Ada Lind", "PERSON", {}),
            ("Ada Lind", "SOURCE", {}),
            ("said", "CUE", {}),
            ("Oslo", "GPE", {}),
            (claim, "CLAIM", {"claim_type": "event"}),
        ],
    )
    cy = _set(
        schema,
        "cy",
        [("Lind", "ORG", {}), ("said", "CUE", {}), (claim, "CLAIM", {"claim_type": "prediction"})],
    )
    for s in (ana, ben):
        ids = {sp.label: sp.id for sp in s.spans.values()}
        s.add_relation(Relation("source", ids["CUE"], ids["SOURCE"]))
    return {"ana": ana, "ben": ben, "cy": cy}


def test_all_must_agree_by_default(schema: LabelSchema) -> None:
    plan = plan_curation(_sets(schema), schema)
    assert [(s.label, s.text, who) for s, who in plan.spans] == [
        ("CUE", "said", ["ana", "ben", "cy"]),
        ("CLAIM", "the mine in Oslo will close", ["ana", "ben", "cy"]),
    ]
    # claim_type: prediction 2, event 1 -> not all agree
    kinds = sorted((d.kind, d.text, d.attribute or "") for d in plan.disagreements)
    assert kinds == [
        ("attribute", "the mine in Oslo will close", "claim_type"),
        ("relation", "said", ""),
        ("span", "Ada Lind", ""),
        ("span", "Ada Lind", ""),
        ("span", "Lind", ""),
        ("span", "Oslo", ""),
    ]
    attribute = next(d for d in plan.disagreements if d.kind == "attribute")
    assert attribute.versions == {"ana": "prediction", "ben": "event", "cy": "prediction"}
    person = next(d for d in plan.disagreements if d.span[3] == "PERSON")
    assert person.had() == ["ana", "ben"] and person.versions["cy"] is None
    assert plan.relations == []  # its end SOURCE was not merged


def test_two_of_three(schema: LabelSchema) -> None:
    plan = plan_curation(_sets(schema), schema, min_agree=2)
    merged = {(s.label, s.text): (dict(s.attributes), who) for s, who in plan.spans}
    assert merged[("PERSON", "Ada Lind")] == ({}, ["ana", "ben"])
    assert merged[("CLAIM", "the mine in Oslo will close")] == (
        {"claim_type": "prediction"},
        ["ana", "ben", "cy"],
    )
    assert [(key[0], key[1][3], key[2][3], who) for key, _, who in plan.relations] == [
        ("source", "CUE", "SOURCE", ["ana", "ben"])
    ]
    assert [(d.kind, d.text) for d in plan.disagreements] == [("span", "Lind")]


def test_k_out_of_range_is_refused(schema: LabelSchema) -> None:
    import pytest

    with pytest.raises(ValueError, match="between 1 and 3"):
        plan_curation(_sets(schema), schema, min_agree=4)


def test_agreed_spans_that_would_overlap_stay_disagreements(schema: LabelSchema) -> None:
    sets = {
        "ana": _set(schema, "ana", [("Ada Lind", "PERSON", {})]),
        "ben": _set(schema, "ben", [("Lind", "ORG", {})]),
    }
    plan = plan_curation(sets, schema, min_agree=1)
    assert [s.text for s, _ in plan.spans] == ["Ada Lind"]
    assert [(d.kind, d.text) for d in plan.disagreements] == [("span", "Lind")]
