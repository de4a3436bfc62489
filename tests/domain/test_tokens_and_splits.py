"""Token snapping with spaCy's blank tokenizer, and deterministic splits."""

from __future__ import annotations

from collections import Counter

import pytest

from labeler.domain.errors import LabelerError
from labeler.domain.splits import SplitRatios, split_of
from labeler.domain.tokens import (
    is_edge_punctuation,
    snap_to_tokens,
    token_bounds,
    token_bounds_near,
    word_bounds,
)

TEXT = "Zoë 🙂 met 𝒳-Corp's CEO in Montréal, didn't she?"


def test_token_bounds_cover_words_in_code_points() -> None:
    words = [TEXT[s:e] for s, e in token_bounds(TEXT)]
    assert "Zoë" in words
    assert "🙂" in words
    assert "Montréal" in words
    assert "did" in words and "n't" in words


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ("oë 🙂 m", "Zoë 🙂 met"),  # grows to whole tokens on both sides
        (" Montréal, ", "Montréal,"),  # white space at the edges is dropped
        ("Montréal", "Montréal"),  # already whole
    ],
)
def test_snap_grows_a_selection_to_whole_tokens(selection: str, expected: str) -> None:
    bounds = token_bounds(TEXT)
    start = TEXT.index(selection)
    s, e = snap_to_tokens(start, start + len(selection), bounds)
    assert TEXT[s:e] == expected


def test_a_selection_of_only_white_space_is_left_alone() -> None:
    text = "a    b"
    assert snap_to_tokens(2, 3, token_bounds(text)) == (2, 3)


def test_splits_are_deterministic_and_near_their_ratios() -> None:
    ratios = SplitRatios.parse("80/10/10")
    digests = [f"{n:064x}" for n in range(5000)]
    first = [split_of(d, 7, ratios) for d in digests]
    assert first == [split_of(d, 7, ratios) for d in digests]
    counts = Counter(first)
    assert 3800 < counts["train"] < 4200
    assert 380 < counts["dev"] < 620
    assert first != [split_of(d, 8, ratios) for d in digests]  # the seed matters


@pytest.mark.parametrize("text", ["80/10", "50/50/50", "abc", "80-10-10"])
def test_bad_split_text_is_refused(text: str) -> None:
    if text == "80/10":
        with pytest.raises(LabelerError, match="add up to 100"):
            SplitRatios.parse(text)
    else:
        with pytest.raises(LabelerError):
            SplitRatios.parse(text)


def test_tokens_near_a_range_are_those_of_the_whole_text() -> None:
    text = (
        'Dr. Ilse Marquard (CTU) said: "we\'ll stay out" — until 3.5% more, e.g. $60m. 😀 '
        "U.S.-based shippers can't wait; talks resume Monday.\n\n"
    ) * 30
    whole = token_bounds(text)
    for start in range(0, len(text) - 40, 37):
        near = token_bounds_near(text, start, start + 5, margin=20)
        assert near
        assert set(near) <= set(whole)
        # Every whole-text token inside the stretch is found, not only some of them.
        lo, hi = near[0][0], near[-1][1]
        assert [t for t in whole if lo <= t[0] and t[1] <= hi] == near


def test_word_bounds_leave_out_edge_punctuation_but_keep_signs() -> None:
    text = 'VALMERA (Meridian Wire) - "We stay," U.S.-based $60, 9% … «non»'
    words = [text[s:e] for s, e in word_bounds(text, token_bounds(text))]
    assert words == [
        "VALMERA",
        "Meridian",
        "Wire",
        "We",
        "stay",
        "U.S.-based",
        "$",
        "60",
        "9",
        "%",
        "non",
    ]
    assert is_edge_punctuation("),")
    assert not is_edge_punctuation("$")
    assert not is_edge_punctuation("")
