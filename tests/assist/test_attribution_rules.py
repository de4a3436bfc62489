"""Attribution rules: reporting verbs, quotes and 'according to' as SOURCE/CUE/CONTENT frames."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.assist.attribution_rules import AttributionRulesRecommender, read_cues
from labeler.domain.annotation import AnnotationSet, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.domain.suggestion import SuggestedFrame

TEXT = (
    '"We will stay out," Ilse Marquard said. "Not again," said the minister.\n'
    "Police said on Monday that the road to Bergen was closed.\n"
    "According to port officials in Bergen, the strike has cost exporters $15 million.\n"
    "The strike could last weeks, according to the union. Mr. Berg laughed at the news.\n"
    "The mayor reckoned the flood barrier costs $42 million."
)


@pytest.fixture
def annotations(news_toml: str) -> AnnotationSet:
    return AnnotationSet(parse_schema(news_toml, "news.toml"), "ana")


def frames(recommender: AttributionRulesRecommender, annotations: AnnotationSet) -> list[tuple]:
    out = []
    for s in recommender.suggest(TEXT, annotations):
        assert isinstance(s.proposal, SuggestedFrame)
        assert s.proposal.links == (("source", 1, 0), ("content", 1, 2))
        assert [p.label for p in s.spans] == ["SOURCE", "CUE", "CONTENT"]
        out.append(tuple(TEXT[p.start : p.end] for p in s.spans))
    return sorted(out)


def test_quotes_verbs_and_according_to_make_linked_frames(annotations) -> None:
    assert frames(AttributionRulesRecommender(), annotations) == sorted(
        [
            ("Ilse Marquard", "said", "We will stay out"),
            ("the minister", "said", "Not again"),
            ("Police", "said", "the road to Bergen was closed"),
            (
                "port officials in Bergen",
                "According to",
                "the strike has cost exporters $15 million",
            ),
            ("the union", "according to", "The strike could last weeks"),
        ]
    )


def test_the_list_of_cues_is_the_leads(tmp_path: Path, annotations) -> None:
    path = tmp_path / "cues.txt"
    path.write_text("# verbs of this desk\nreckoned\n", encoding="utf-8")
    rules = AttributionRulesRecommender(read_cues(path))
    assert rules.cues == ("reckoned",)
    assert frames(rules, annotations) == [
        ("The mayor", "reckoned", "the flood barrier costs $42 million")
    ]


def test_frames_already_labelled_are_not_proposed_and_other_schemas_get_none(
    annotations,
) -> None:
    start = TEXT.index("Police")
    annotations.add_span(make_span(TEXT, start, start + 6, "SOURCE", annotations.schema))
    found = frames(AttributionRulesRecommender(), annotations)
    assert ("Police", "said", "the road to Bergen was closed") not in found
    assert len(found) == 4
    plain = parse_schema('[schema]\nname = "x"\n[layers.a.labels.A]\ncolor = "#aabbcc"\n', "x")
    assert AttributionRulesRecommender().suggest(TEXT, AnnotationSet(plain, "ana")) == []


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        (  # a title is kept with the name, an apposition with the source
            '"Every case was preventable," said Dr. Helena Varga, the centre\'s director.',
            ("Dr. Helena Varga, the centre's director", "said", "Every case was preventable"),
        ),
        (  # a relative clause after a quote's source
            '"We will stay out," said Ilse Marquard, who leads the union. "Not again."',
            ("Ilse Marquard, who leads the union", "said", "We will stay out"),
        ),
        (  # a relative clause inside the subject
            "Councillor Jonas Feld, who voted against the plan, said its cost had doubled.",
            ("Councillor Jonas Feld, who voted against the plan", "said", "its cost had doubled"),
        ),
        (  # the auxiliary is the cue's, not the source's
            "The national weather office has reported that rainfall was 68 percent higher.",
            ("The national weather office", "has reported", "rainfall was 68 percent higher"),
        ),
        (  # according to a title and a name
            "According to its chief executive, Tomas Rehn, the strike is costing $15 million.",
            (
                "its chief executive, Tomas Rehn",
                "According to",
                "the strike is costing $15 million",
            ),
        ),
        (  # the cue ends the sentence: the content comes first; the dateline is no content
            "LISBON, April 22 (Meridian Wire) - Measles cases rose fourfold, the European "
            "Centre warned on Wednesday, blaming a slide in vaccination rates.",
            ("the European Centre", "warned", "Measles cases rose fourfold"),
        ),
    ],
)
def test_frame_edges(annotations, text: str, frame: tuple[str, str, str]) -> None:
    found = AttributionRulesRecommender().suggest(text, annotations)
    assert [tuple(text[p.start : p.end] for p in s.spans) for s in found] == [frame]


def test_a_cue_word_that_describes_a_noun_makes_no_frame(annotations) -> None:
    text = "The agency counted 3,180 confirmed cases. The confirmed figures rose by a third."
    assert AttributionRulesRecommender().suggest(text, annotations) == []
