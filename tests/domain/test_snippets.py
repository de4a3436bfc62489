"""Short quotes of text: one line, cut with an ellipsis."""

from __future__ import annotations

from labeler.domain.errors import MESSAGE_LIMIT, InputError, LabelerError, Location
from labeler.domain.snippets import clip, quoted, shorten, shown, shown_json


def test_shorten_flattens_white_space_and_cuts_with_an_ellipsis() -> None:
    assert shorten("Ada\n  Lindqvist") == "Ada Lindqvist"
    assert shorten("the strike is costing exporters", 12) == "the strike…"
    assert len(shorten("x" * 100, 20)) == 20
    assert quoted("said") == "\u201csaid\u201d"


def test_values_from_the_input_are_quoted_short() -> None:
    assert shown("Ada") == "'Ada'"
    assert shown("x" * 1_000_000) == f"'{'x' * 60}'\u2026 (999,940 more characters)"
    assert shown_json([1, "a"]) == '[1, "a"]'
    assert shown_json(list(range(100_000))).endswith("more characters)")
    assert len(shown_json(list(range(100_000)))) < 100
    assert clip("abc", 2) == "ab\u2026 (1 more characters)"


def test_every_error_message_is_bounded() -> None:
    error = InputError(Location("f.jsonl", 3), "bad value " + "y" * 5_000_000)
    assert str(error).startswith("f.jsonl:3: bad value yyy")
    assert len(str(error)) < MESSAGE_LIMIT + 100
    assert len(str(LabelerError("z" * 5_000))) < MESSAGE_LIMIT + 100
    assert str(LabelerError("short")) == "short"
