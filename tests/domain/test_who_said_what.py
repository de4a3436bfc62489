"""Who said what: the attribution rows derived from one hand-built annotation set."""

from __future__ import annotations

from labeler.domain.annotation import AnnotationSet, Relation, Span, make_span
from labeler.domain.attribution_roles import (
    ATTRIBUTED_TO,
    CONTENT_OF,
    CONTINUES,
    REFERS_TO,
    SOURCE_OF,
)
from labeler.domain.schema import LabelSchema
from labeler.domain.who_said_what import AttributionRow, attribution_rows
from tests.support import offsets

TEXT = (
    '"The troops," Ilse Marquard said, "are engineers." '
    "According to Halden Bank, growth will slow by 0.2 points. "
    "The ministry expects 40 ships to wait. "
    "Rehn warned that costs would rise."
)


class Builder:
    """Adds spans by their words (the n-th occurrence) and relations by span, to one set."""

    def __init__(self, schema: LabelSchema, text: str = TEXT) -> None:
        self.schema = schema
        self.text = text
        self.set = AnnotationSet(schema, "ana")

    def span(
        self, label: str, words: str, attrs: dict[str, str] | None = None, nth: int = 0
    ) -> Span:
        made = make_span(self.text, *offsets(self.text, words, nth), label, self.schema, attrs)
        return self.set.add_span(made)

    def link(self, kind: str, head: Span, tail: Span) -> None:
        assert head.id is not None and tail.id is not None
        self.set.add_relation(Relation(kind, head.id, tail.id))


def build_article(schema: LabelSchema) -> tuple[AnnotationSet, dict[str, Span]]:
    b = Builder(schema)
    s: dict[str, Span] = {}
    # 1. A content split by its cue: the cue points at the first piece only.
    s["first"] = b.span("CONTENT", "The troops,")
    s["marquard"] = b.span("SOURCE", "Ilse Marquard")
    s["person"] = b.span("PERSON", "Ilse Marquard")
    s["said"] = b.span("CUE", "said")
    s["second"] = b.span("CONTENT", "are engineers.")
    b.link(SOURCE_OF, s["said"], s["marquard"])
    b.link(CONTENT_OF, s["said"], s["first"])
    b.link(CONTINUES, s["first"], s["second"])
    b.link(REFERS_TO, s["marquard"], s["person"])
    # A claim inside the second piece, linked by overlap only.
    s["engineers"] = b.span("CLAIM", "are engineers", {"claim_type": "event"})
    # 2. A cue before its source; a claim attributed to the source (and overlapping content).
    s["according"] = b.span("CUE", "According to")
    s["bank"] = b.span("SOURCE", "Halden Bank")
    s["org"] = b.span("ORG", "Halden Bank")
    s["growth"] = b.span("CONTENT", "growth will slow by 0.2 points")
    s["slow"] = b.span(
        "CLAIM",
        "growth will slow by 0.2 points",
        {"claim_type": "prediction", "checkworthy": "yes", "verification": "unverified"},
    )
    b.link(SOURCE_OF, s["according"], s["bank"])
    b.link(CONTENT_OF, s["according"], s["growth"])
    b.link(REFERS_TO, s["bank"], s["org"])
    b.link(ATTRIBUTED_TO, s["slow"], s["bank"])
    # 3. A source with two claims attributed to it but no cue.
    s["ministry"] = b.span("SOURCE", "The ministry")
    s["ships"] = b.span("CLAIM", "40 ships to wait", {"claim_type": "quantity"})
    s["wait"] = b.span("CLAIM", "ships to wait", {"checkworthy": "no"})
    b.link(ATTRIBUTED_TO, s["ships"], s["ministry"])
    b.link(ATTRIBUTED_TO, s["wait"], s["ministry"])
    # 4. A cue with a source and nothing else linked.
    s["rehn"] = b.span("SOURCE", "Rehn")
    s["warned"] = b.span("CUE", "warned")
    b.link(SOURCE_OF, s["warned"], s["rehn"])
    return b.set, s


def test_one_row_per_cue_and_per_cue_less_source_with_claims_in_reading_order(schema) -> None:
    annotations, s = build_article(schema)
    rows = attribution_rows(annotations, document_id=7, document_title="Port strike")
    assert [(r.source, r.cue, r.content) for r in rows] == [
        ("Ilse Marquard", "said", "The troops, … are engineers."),
        ("Halden Bank", "According to", "growth will slow by 0.2 points"),
        ("The ministry", "", ""),
        ("Rehn", "warned", ""),
    ]
    # The place to go to: the cue, or the source for a row without one.
    assert [(r.span_id, r.start) for r in rows] == [
        (s["said"].id, s["said"].start),
        (s["according"].id, s["according"].start),
        (s["ministry"].id, s["ministry"].start),
        (s["warned"].id, s["warned"].start),
    ]
    assert {(r.document_id, r.document_title, r.annotator) for r in rows} == {
        (7, "Port strike", "ana")
    }


def test_split_content_keeps_its_pieces_and_the_claims_that_overlap_them(schema) -> None:
    annotations, s = build_article(schema)
    row = attribution_rows(annotations)[0]
    assert row.content_ids == (s["first"].id, s["second"].id)
    assert row.source_ids == (s["marquard"].id,)
    assert row.cue_id == s["said"].id
    assert (row.claim_text, row.claim_type, row.checkworthy) == ("are engineers", "event", "")
    assert (row.entity_label, row.entity_text) == ("PERSON", "Ilse Marquard")
    assert row.document_id is None


def test_a_claim_attributed_to_the_source_shows_its_attributes_and_entity(schema) -> None:
    annotations, _ = build_article(schema)
    row = attribution_rows(annotations)[1]
    assert row.claim_text == "growth will slow by 0.2 points"
    assert (row.claim_type, row.checkworthy, row.verification) == (
        "prediction",
        "yes",
        "unverified",
    )
    assert row.claim_types == frozenset({"prediction"})
    assert (row.entity_label, row.entity_text) == ("ORG", "Halden Bank")


def test_several_claims_line_up_value_by_value(schema) -> None:
    annotations, s = build_article(schema)
    row = attribution_rows(annotations)[2]
    assert row.span_id == s["ministry"].id and row.cue_id is None
    assert row.claim_text == "40 ships to wait; ships to wait"
    assert row.claim_type == "quantity; -"
    assert row.checkworthy == "-; no"
    assert row.verification == ""
    assert row.claim_types == frozenset({"quantity"})
    assert (row.entity_label, row.entity_text) == ("", "")


def test_a_cue_pointing_at_every_piece_or_at_a_later_one_finds_the_whole_content(
    schema,
) -> None:
    for pointed in (("first", "second"), ("second",)):
        b = Builder(schema)
        first = b.span("CONTENT", "The troops,")
        second = b.span("CONTENT", "are engineers.")
        cue = b.span("CUE", "said")
        b.link(CONTINUES, first, second)
        for name in pointed:
            b.link(CONTENT_OF, cue, first if name == "first" else second)
        (row,) = attribution_rows(b.set)
        assert row.content == "The troops, … are engineers.", pointed
        assert (row.source, row.source_ids) == ("", ())


def test_three_pieces_in_a_chain_come_in_text_order_and_a_cycle_ends(schema) -> None:
    text = '"One," she said, "two," she added, "three."'
    b = Builder(schema, text)
    pieces = [b.span("CONTENT", w) for w in ('"One,"', '"two,"', '"three."')]
    cue = b.span("CUE", "said")
    b.link(CONTENT_OF, cue, pieces[0])
    b.link(CONTINUES, pieces[1], pieces[2])  # stored out of order
    b.link(CONTINUES, pieces[0], pieces[1])
    b.link(CONTINUES, pieces[2], pieces[0])  # a mistake that must not loop for ever
    (row,) = attribution_rows(b.set)
    assert row.content == '"One," … "two," … "three."'


def test_a_claim_attributed_to_a_source_with_two_cues_goes_with_the_content_it_covers(
    schema,
) -> None:
    text = "Rehn said costs rise. Rehn added jobs go."
    b = Builder(schema, text)
    rehn = b.span("SOURCE", "Rehn")
    rehn_again = b.span("SOURCE", "Rehn", nth=1)
    said, added = b.span("CUE", "said"), b.span("CUE", "added")
    costs, jobs = b.span("CONTENT", "costs rise"), b.span("CONTENT", "jobs go")
    for cue, source, content in ((said, rehn, costs), (added, rehn_again, jobs)):
        b.link(SOURCE_OF, cue, source)
        b.link(CONTENT_OF, cue, content)
    # Both cues name the same SOURCE span too: the claim follows the content it covers.
    b.link(SOURCE_OF, added, rehn)
    claim = b.span("CLAIM", "jobs go", {"claim_type": "event"})
    b.link(ATTRIBUTED_TO, claim, rehn)
    rows = attribution_rows(b.set)
    assert [(r.cue, r.source, r.claim_text) for r in rows] == [
        ("said", "Rehn", ""),
        ("added", "Rehn; Rehn", "jobs go"),
    ]


def test_an_explicitly_attributed_claim_does_not_join_another_cues_content(schema) -> None:
    text = "Rehn said Ada says costs rise."
    b = Builder(schema, text)
    rehn, said = b.span("SOURCE", "Rehn"), b.span("CUE", "said")
    ada, says = b.span("SOURCE", "Ada"), b.span("CUE", "says")
    outer = b.span("CONTENT", "Ada says costs rise.")
    inner = b.span("CONTENT", "costs rise.")
    b.link(SOURCE_OF, said, rehn)
    b.link(CONTENT_OF, said, outer)
    b.link(SOURCE_OF, says, ada)
    b.link(CONTENT_OF, says, inner)
    claim = b.span("CLAIM", "costs rise")
    b.link(ATTRIBUTED_TO, claim, ada)
    rows = attribution_rows(b.set)
    assert [(r.source, r.claim_text) for r in rows] == [("Rehn", ""), ("Ada", "costs rise")]


def test_a_claim_just_after_a_content_is_not_linked_to_it(schema) -> None:
    text = "Ada said the long strike will surely end soon. Rehn said costs rise. Jobs go."
    b = Builder(schema, text)
    for source, cue, content in (
        ("Ada", "said", "the long strike will surely end soon"),
        ("Rehn", "said", "costs rise"),
    ):
        nth = 1 if source == "Rehn" else 0
        cue_span = b.span("CUE", cue, nth=nth)
        b.link(SOURCE_OF, cue_span, b.span("SOURCE", source))
        b.link(CONTENT_OF, cue_span, b.span("CONTENT", content))
    b.span("CLAIM", "Jobs go")
    b.span("CLAIM", "rise. Jobs")  # overlaps the end of "costs rise"
    rows = attribution_rows(b.set)
    assert [(r.source, r.claim_text) for r in rows] == [("Ada", ""), ("Rehn", "rise. Jobs")]


def test_a_set_without_attributions_has_no_rows(schema) -> None:
    b = Builder(schema)
    b.span("PERSON", "Ilse Marquard")
    b.span("CLAIM", "growth will slow")
    assert attribution_rows(b.set) == []
    assert AttributionRow(None, 0, "", "", "").claim_text == ""
