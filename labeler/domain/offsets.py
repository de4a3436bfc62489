"""Offset conversions: Python code points, UTF-16 code units, and newline normalisation."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _astral_positions(text: str) -> list[int]:
    # A regular expression scans in C: a 1 MB article takes a millisecond, not 60.
    return [m.start() for m in _ASTRAL.finditer(text)]


class Utf16Map:
    """Converts offsets of one text between code points and UTF-16 code units.

    Built once per text; each conversion is a binary search over the characters
    outside the Basic Multilingual Plane, so long texts convert quickly.
    """

    def __init__(self, text: str) -> None:
        # Code-point offsets of the characters outside the BMP, in order.
        self.astral = _astral_positions(text)
        # UTF-16 index of each astral character: its code-point index plus the ones before it.
        self.astral_utf16 = [pos + n for n, pos in enumerate(self.astral)]
        self._length = len(text)

    def to_utf16(self, offset: int) -> int:
        """Code-point offset -> UTF-16 offset."""
        if not 0 <= offset <= self._length:
            raise ValueError(f"offset {offset} outside text of length {self._length}")
        astral = self.astral
        return offset + bisect.bisect_left(astral, offset) if astral else offset

    def from_utf16(self, offset: int) -> int:
        """UTF-16 offset -> code-point offset; an offset inside a surrogate pair is an error."""
        # Astral characters that start before the offset; each took two units.
        before = bisect.bisect_left(self.astral_utf16, offset)
        if before and self.astral_utf16[before - 1] + 1 == offset:
            raise ValueError(f"UTF-16 offset {offset} splits a surrogate pair")
        result = offset - before
        if not 0 <= result <= self._length:
            raise ValueError(f"UTF-16 offset {offset} outside the text")
        return result


def to_utf16(text: str, offset: int) -> int:
    """Code-point offset in text -> UTF-16 code units."""
    return Utf16Map(text).to_utf16(offset)


def from_utf16(text: str, offset: int) -> int:
    """UTF-16 code units in text -> code-point offset."""
    return Utf16Map(text).from_utf16(offset)


def normalize_newlines(text: str) -> tuple[str, Callable[[int], int]]:
    """Turns CRLF and lone CR into LF; returns the new text and an old->new offset mapper."""
    if "\r" not in text:
        return text, lambda offset: offset
    removed: list[int] = []  # old offsets of the CR characters dropped from CRLF pairs
    parts: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        j = text.find("\r", i)
        if j < 0:
            parts.append(text[i:])
            break
        parts.append(text[i:j])
        if j + 1 < n and text[j + 1] == "\n":
            removed.append(j)
            parts.append("\n")
            i = j + 2
        else:
            parts.append("\n")
            i = j + 1
    new_text = "".join(parts)

    def mapper(offset: int) -> int:
        # An offset between CR and LF maps onto the LF that replaced the pair.
        return offset - bisect.bisect_left(removed, offset)

    return new_text, mapper


# ---------------------------------------------------------------- offsets counted in a unit

CODE_POINTS = "codepoints"  # Python's str indices: Label Studio 1.23, brat, spaCy, Prodigy
UTF16 = "utf16"  # JavaScript's string indices: doccano's screen, UIMA XMI
UNITS = (CODE_POINTS, UTF16)
UNIT_NAMES = {CODE_POINTS: "code points", UTF16: "UTF-16 units"}
OFFSETS_OPTION = "offsets"  # the ReadOptions.extra key that names the unit a file counts in


def check_unit(unit: str) -> str:
    """`unit` if it is one of UNITS; ValueError naming them otherwise."""
    if unit not in UNITS:
        raise ValueError(f"offsets are counted in {' or '.join(UNITS)}, not {unit!r}")
    return unit


class CountedText:
    """One text whose span offsets a file gives in code points or in UTF-16 units."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._utf16 = Utf16Map(text)

    def to_unit(self, offset: int, unit: str) -> int:
        """Code-point offset -> the same place counted in `unit`."""
        return self._utf16.to_utf16(offset) if unit == UTF16 else offset

    def _code_points(self, start: int, end: int, unit: str) -> tuple[int, int]:
        if unit == UTF16:
            return self._utf16.from_utf16(start), self._utf16.from_utf16(end)
        for offset in (start, end):
            if not 0 <= offset <= len(self.text):
                raise ValueError(f"offset {offset} outside the text")
        return start, end

    def _there(self, start: int, end: int, unit: str) -> str | None:
        """The text at [start, end) counted in `unit`, or None where that is no place."""
        try:
            s, e = self._code_points(start, end, unit)
        except ValueError:
            return None
        return self.text[s:e] if s < e else None

    def span(self, start: int, end: int, unit: str, given: str | None = None) -> tuple[int, int]:
        """Code-point [start, end) of a span the file counts in `unit`.

        ValueError when it is no span of the text in that unit, or when the file's own text
        of the span (`given`) is not the text there; the message says whether the span fits
        counted in the other unit, so a file counted in the other unit is named as such
        rather than read shifted.
        """
        text = self.text
        if (  # the usual case, quickly
            unit == CODE_POINTS
            and 0 <= start < end <= len(text)
            and (given is None or text[start:end] == given)
        ):
            return start, end
        there = self._there(start, end, unit)
        if there is not None and (given is None or given == there):
            return self._code_points(start, end, unit)
        other = UTF16 if unit == CODE_POINTS else CODE_POINTS
        name, other_name = UNIT_NAMES[unit], UNIT_NAMES[other]
        alternative = self._there(start, end, other)
        other_fits = alternative is not None and (given is None or alternative == given)
        if there is None:
            try:
                self._code_points(start, end, unit)
                problem = "is empty"
            except ValueError as exc:
                problem = f"is no span of the text counted in {name} ({exc})"
            if other_fits and alternative is not None:
                problem += f"; counted in {other_name} it is {alternative!r}{_hint(other)}"
            raise ValueError(f"[{start}, {end}) {problem}")
        if given is not None and given != there:
            message = (
                f"[{start}, {end}) says its text is {given!r} but counted in {name} the "
                f"text there is {there!r}"
            )
            if other_fits:
                message += f"; counted in {other_name} it fits{_hint(other)}"
            else:
                message += f", and counted in {other_name} it does not fit either"
            raise ValueError(message)
        return self._code_points(start, end, unit)


def _hint(unit: str) -> str:
    return (
        f": if the file counts {UNIT_NAMES[unit]}, import it with its offsets read as "
        f"{UNIT_NAMES[unit]} (--{OFFSETS_OPTION} {unit})"
    )
