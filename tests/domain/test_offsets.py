"""Offsets: code points against UTF-16 units, and newline normalisation, checked by brute force."""

from __future__ import annotations

import pytest

from labeler.domain.offsets import Utf16Map, normalize_newlines

TEXTS = ["", "plain", "Zoë 🙂 met 𝒳 Corp", "🙂🙂x🙂", "a\U0001f600\U0001f600b", "ß—€ 𝄞 end"]


@pytest.mark.parametrize("text", TEXTS)
def test_utf16_offsets_match_the_encoder(text: str) -> None:
    index = Utf16Map(text)
    for offset in range(len(text) + 1):
        units = len(text[:offset].encode("utf-16-le")) // 2
        assert index.to_utf16(offset) == units
        assert index.from_utf16(units) == offset


def test_an_offset_inside_a_surrogate_pair_is_refused() -> None:
    index = Utf16Map("a🙂b")
    with pytest.raises(ValueError, match="surrogate"):
        index.from_utf16(2)
    with pytest.raises(ValueError, match="outside"):
        index.to_utf16(4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb\r\n\rc", "a\nb\n\nc"),
        ("no returns", "no returns"),
        ("\r\n", "\n"),
    ],
)
def test_newlines_become_lf_and_offsets_follow(text: str, expected: str) -> None:
    new, remap = normalize_newlines(text)
    assert new == expected
    # Every character that survives keeps its place under the mapper.
    for old, ch in enumerate(text):
        if ch != "\r":
            assert new[remap(old)] == ch
    assert remap(len(text)) == len(new)
