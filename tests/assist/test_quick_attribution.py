"""Attribution in a few keys: which links each newly labelled part of an attribution brings."""

from __future__ import annotations

import pytest

from labeler.assist.quick_attribution import links_after
from labeler.domain.annotation import AnnotationSet, Relation, make_span
from labeler.domain.schema_toml import parse_schema
from tests.support import offsets

TEXT = (
    '"The troops are engineers," Colonel Ana Reyes said, "and they will leave." '
    "Halden Bank said costs would rise. "
    '"Prices will fall," she said. "Rents will not."'
)


class Labeller:
    """Labels snippets one after another as the editor does, making the proposed links."""

    def __init__(self, schema, text: str = TEXT) -> None:
        self.text = text
        self.set = AnnotationSet(schema, "ana")
        self.made: list[tuple[str, str, str]] = []

    def label(self, snippet: str, label: str, occurrence: int = 0) -> int:
        span = self.set.add_span(
            make_span(self.text, *offsets(self.text, snippet, occurrence), label, self.set.schema)
        )
        links = links_after(self.set, self.text, span)
        for type_, head, tail in links:
            self.set.add_relation(Relation(type_, head, tail))
            spans = self.set.spans
            self.made.append((type_, spans[head].text, spans[tail].text))
        return span.id

    def take(self) -> list[tuple[str, str, str]]:
        made, self.made = self.made, []
        return made


def test_a_split_quote_labelled_in_reading_order(schema) -> None:
    work = Labeller(schema)
    work.label("Colonel Ana Reyes", "PERSON")
    work.label("The troops are engineers", "CONTENT")
    work.label("The troops are engineers", "CLAIM")
    assert work.take() == []
    work.label("Colonel Ana Reyes", "SOURCE")
    assert work.take() == [("refers_to", "Colonel Ana Reyes", "Colonel Ana Reyes")]
    work.label("said", "CUE")
    assert work.take() == [
        ("source", "said", "Colonel Ana Reyes"),
        ("content", "said", "The troops are engineers"),
        ("attributed_to", "The troops are engineers", "Colonel Ana Reyes"),
    ]
    # The second piece, across the cue and source: it continues the first.
    work.label("and they will leave", "CONTENT")
    assert work.take() == [("continues", "The troops are engineers", "and they will leave")]
    # A claim in the second piece goes to the same source.
    work.label("they will leave", "CLAIM")
    assert work.take() == [("attributed_to", "they will leave", "Colonel Ana Reyes")]


def test_source_cue_content_order_and_a_new_attribution(schema) -> None:
    work = Labeller(schema)
    work.label("Halden Bank", "ORG")
    work.label("Halden Bank", "SOURCE")
    work.label("said", "CUE", occurrence=1)
    work.label("costs would rise", "CONTENT")
    assert work.take() == [
        ("refers_to", "Halden Bank", "Halden Bank"),
        ("source", "said", "Halden Bank"),
        ("content", "said", "costs would rise"),
    ]
    # The next quote begins a new attribution: the cue of the one before is not reused.
    work.label("Prices will fall", "CONTENT")
    work.label("she", "SOURCE")
    work.label("said", "CUE", occurrence=2)
    assert work.take() == [
        ("source", "said", "she"),
        ("content", "said", "Prices will fall"),
    ]
    # Across the end of a sentence, a quote is a new content, not a piece of the last one.
    work.label("Rents will not", "CONTENT")
    assert work.take() == []


def test_deleted_parts_are_forgotten_and_nothing_is_linked_twice(schema) -> None:
    work = Labeller(schema)
    src = work.label("Halden Bank", "SOURCE")
    work.set.remove_span(src)
    work.label("said", "CUE", occurrence=1)
    assert work.take() == []
    work.label("Halden Bank", "SOURCE")
    assert work.take() == [("source", "said", "Halden Bank")]


def test_a_new_entity_inside_a_source_is_what_it_refers_to(schema) -> None:
    work = Labeller(schema)
    work.label("Colonel Ana Reyes", "SOURCE")
    work.label("Ana Reyes", "PERSON")
    assert work.take() == [("refers_to", "Colonel Ana Reyes", "Ana Reyes")]
    work.label("Halden", "GPE")  # over no source: no link
    assert work.take() == []


def test_the_entity_covering_most_of_the_source_is_chosen(schema) -> None:
    work = Labeller(schema)
    work.label("Colonel", "NORP")
    work.label("Ana Reyes", "PERSON")
    work.label("Colonel Ana Reyes", "SOURCE")
    assert work.take() == [("refers_to", "Colonel Ana Reyes", "Ana Reyes")]


STORY = (
    "The strike will go on until wages rise, union leaders said on Monday.\n"
    '"We have waited long enough," said Dana Okafor, the union president. '
    '"The port will stay shut," she said, "until the offer improves." '
    "According to the port authority, 40 ships are waiting. "
    "It was reported on Monday. Later, bank chief Lee said costs would rise."
)


def test_a_source_added_later_goes_to_the_cue_of_its_own_sentence(schema) -> None:
    work = Labeller(schema, STORY)
    work.label("The strike will go on until wages rise", "CONTENT")
    work.label("said", "CUE")
    work.label("We have waited long enough", "CONTENT")
    work.label("said", "CUE", occurrence=1)
    assert work.take() == [
        ("content", "said", "The strike will go on until wages rise"),
        ("content", "said", "We have waited long enough"),
    ]
    # Going back for the forgotten source of the first paragraph.
    work.label("union leaders", "SOURCE")
    work.label("Dana Okafor", "SOURCE")
    made = work.take()
    starts = [STORY.index("said"), STORY.index("said", STORY.index("said") + 1)]
    cues = [r for r in work.set.relations.values() if r.type == "source"]
    assert {(work.set.spans[r.head].start, work.set.spans[r.tail].text) for r in cues} == {
        (starts[0], "union leaders"),
        (starts[1], "Dana Okafor"),
    }
    assert [m[0] for m in made] == ["source", "source"]


def test_labelling_a_layer_at_a_time_links_by_where_the_words_are(schema) -> None:
    work = Labeller(schema, STORY)
    for source in ("union leaders", "Dana Okafor", "she", "the port authority"):
        work.label(source, "SOURCE")
    assert work.take() == []
    work.label("said", "CUE")
    work.label("said", "CUE", occurrence=1)
    work.label("said", "CUE", occurrence=2)
    work.label("According to", "CUE")
    assert sorted(work.take()) == [
        ("source", "According to", "the port authority"),
        ("source", "said", "Dana Okafor"),
        ("source", "said", "she"),
        ("source", "said", "union leaders"),
    ]
    work.label("The strike will go on until wages rise", "CONTENT")
    work.label("We have waited long enough", "CONTENT")
    work.label("The port will stay shut", "CONTENT")
    work.label("until the offer improves", "CONTENT")
    work.label("40 ships are waiting", "CONTENT")
    assert work.take() == [
        ("content", "said", "The strike will go on until wages rise"),
        ("content", "said", "We have waited long enough"),
        ("content", "said", "The port will stay shut"),
        ("continues", "The port will stay shut", "until the offer improves"),
        ("content", "According to", "40 ships are waiting"),
    ]


def test_no_link_across_the_end_of_a_sentence(schema) -> None:
    work = Labeller(schema, STORY)
    work.label("reported", "CUE")
    work.label("bank chief Lee", "SOURCE")
    assert work.take() == []
    work.label("said", "CUE", occurrence=3)
    assert work.take() == [("source", "said", "bank chief Lee")]


def test_a_claim_in_a_first_piece_finds_the_cue_that_points_at_a_later_one(schema) -> None:
    work = Labeller(schema, STORY)
    first = work.label("The port will stay shut", "CONTENT")
    second = work.label("until the offer improves", "CONTENT")
    cue = work.label("said", "CUE", occurrence=2)
    source = work.label("she", "SOURCE")
    for relation_id in list(work.set.relations):
        work.set.remove_relation(relation_id)
    for rel in (("continues", first, second), ("content", cue, second), ("source", cue, source)):
        work.set.add_relation(Relation(*rel))
    work.take()
    work.label("The port will stay shut", "CLAIM")
    assert work.take() == [("attributed_to", "The port will stay shut", "she")]


def labelled(schema, text: str, steps: list[tuple[str, str, int]]) -> set[tuple[str, str, str]]:
    """Labels (words, label, occurrence) in this order; every link made, as words."""
    work = Labeller(schema, text)
    for words, label_name, occurrence in steps:
        work.label(words, label_name, occurrence)
    spans = work.set.spans
    return {(r.type, spans[r.head].text, spans[r.tail].text) for r in work.set.relations.values()}


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        ('"Why now?" she asked.', "Why now", "asked"),
        ('"We will win!" he shouted.', "We will win", "shouted"),
        (
            "The company said in a statement on Jan. 5 that costs would rise.",
            "costs would rise",
            "said",
        ),
        ("Police said at 5 p.m. that two men were arrested.", "two men were arrested", "said"),
        ("Acme said in a U.S. court filing that it would appeal.", "it would appeal", "said"),
        ("Growth was 4.5 percent, the bank said.", "Growth was 4.5 percent", "said"),
    ],
)
def test_marks_inside_quotes_abbreviations_and_decimals_end_no_sentence(
    schema, text: str, content: str, cue: str
) -> None:
    links = labelled(schema, text, [(content, "CONTENT", 0), (cue, "CUE", 0)])
    assert links == {("content", cue, content)}


def test_a_title_before_the_source_ends_no_sentence(schema) -> None:
    text = '"We will appeal," said Mr. Smith, the lawyer.'
    links = labelled(schema, text, [("Smith", "SOURCE", 0), ("said", "CUE", 0)])
    assert links == {("source", "said", "Smith")}


def test_two_attributions_in_one_sentence_do_not_swap_whatever_the_order(schema) -> None:
    text = "Lee said costs would rise, but Kim said they would fall."
    for cues in (
        [("said", "CUE", 1), ("said", "CUE", 0)],
        [("said", "CUE", 0), ("said", "CUE", 1)],
    ):
        steps = [("costs would rise", "CONTENT", 0), ("they would fall", "CONTENT", 0), *cues]
        spans_said = {
            ("content", "said", "costs would rise"),
            ("content", "said", "they would fall"),
        }
        links = labelled(schema, text, steps)
        assert links == spans_said
        work = Labeller(schema, text)
        for step in steps:
            work.label(*step)
        first_said = text.index("said")
        by_cue = {
            work.set.spans[r.head].start: work.set.spans[r.tail].text
            for r in work.set.relations.values()
        }
        assert by_cue[first_said] == "costs would rise"


@pytest.mark.parametrize(
    "order",
    [
        ["first", "second", "cue", "source"],  # the source last
        ["source", "cue", "second", "first"],  # the second piece first
        ["first", "second", "source", "cue"],
        ["cue", "source", "first", "second"],
    ],
)
def test_a_split_quote_is_chained_in_any_order(schema, order: list[str]) -> None:
    text = '"Prices will fall," she said, "and rents too."'
    parts = {
        "first": ("Prices will fall", "CONTENT", 0),
        "second": ("and rents too", "CONTENT", 0),
        "cue": ("said", "CUE", 0),
        "source": ("she", "SOURCE", 0),
    }
    links = labelled(schema, text, [parts[name] for name in order])
    assert ("continues", "Prices will fall", "and rents too") in links
    assert ("source", "said", "she") in links
    contents = {tail for kind, _, tail in links if kind == "content"}
    assert len(contents) == 1 and contents <= {"Prices will fall", "and rents too"}
    assert len(links) == 3


def test_an_entity_reaching_out_of_the_source_gives_way_to_one_inside_it(news_toml) -> None:
    # A schema whose entity layer allows overlap: PERSON and ORG may start at one place.
    schema = parse_schema(news_toml.replace("overlap = false", "overlap = true"), "news.toml")
    text = "Ana Reyes Foundation head Ana Reyes said so."
    links = labelled(
        schema,
        text,
        [
            ("Ana Reyes Foundation", "ORG", 0),
            ("Ana Reyes", "PERSON", 0),
            ("Ana Reyes", "SOURCE", 0),
        ],
    )
    assert links == {("refers_to", "Ana Reyes", "Ana Reyes")}
    spans = labelled(schema, text, [("Ana Reyes", "SOURCE", 0), ("Ana Reyes", "PERSON", 0)])
    assert spans == {("refers_to", "Ana Reyes", "Ana Reyes")}
