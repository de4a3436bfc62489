"""Short quotes of text: one line, cut with an ellipsis."""

from __future__ import annotations

from labeler.domain.snippets import quoted, shorten


def test_shorten_flattens_white_space_and_cuts_with_an_ellipsis() -> None:
    assert shorten("Ada\n  Lindqvist") == "Ada Lindqvist"
    assert shorten("the strike is costing exporters", 12) == "the strike…"
    assert len(shorten("x" * 100, 20)) == 20
    assert quoted("said") == "\u201csaid\u201d"
