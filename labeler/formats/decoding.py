"""A file's bytes as text: UTF-8 (with or without BOM) or UTF-16 with BOM, nothing else."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from labeler.domain.errors import InputError, Location
from labeler.domain.offsets import normalize_newlines

_SNIFF = 8192  # bytes looked at to tell a binary file from a text


def _line_and_column(data: bytes, index: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, index) + 1
    return data.count(b"\n", 0, index) + 1, index - line_start + 1


def decode(data: bytes, source: str) -> str:
    """The text of a file's bytes; InputError names the line and column of a bad byte."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(Location(source), f"invalid UTF-16 text ({exc.reason})") from None
    if b"\x00" in data[:_SNIFF]:
        raise InputError(
            Location(source),
            "looks like a binary file (it holds NUL bytes); "
            "expected UTF-8 text, or UTF-16 with a byte-order mark",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_and_column(data, exc.start)
        raise InputError(
            Location(source, line),
            f"invalid UTF-8 byte 0x{data[exc.start]:02x} at column {column}; "
            "save the file as UTF-8 (or UTF-16 with a byte-order mark)",
        ) from None


def read_text_file(path: Path) -> str:
    """A text file's content, decoded, with CRLF and CR turned into LF."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Location(str(path)), f"cannot read the file ({exc.strerror})") from None
    text, _ = normalize_newlines(decode(data, str(path)))
    return text


def read_lines(path: Path) -> Iterator[tuple[int, str] | InputError]:
    """A line-based file's lines with their 1-based numbers, ends stripped.

    UTF-8 files are decoded line by line, so a bad byte spoils only its own line (yielded as an
    InputError) and a large file is never held whole.
    """
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(Location(source), f"cannot read the file ({exc.strerror})")
        return
    with handle:
        head = handle.read(_SNIFF)
        if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
            try:
                text = decode(head + handle.read(), source)
            except InputError as exc:
                yield exc
                return
            # Split on LF only, as for UTF-8: str.splitlines() would also split on U+2028,
            # form feeds and other characters that may stand inside a JSON string.
            lines = text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            for number, line in enumerate(lines, 1):
                yield number, line.rstrip("\r")
            return
        if b"\x00" in head:
            yield InputError(Location(source), "looks like a binary file (it holds NUL bytes)")
            return
        handle.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield InputError(
                    Location(source, number),
                    f"invalid UTF-8 byte 0x{raw[exc.start]:02x} at column {exc.start + 1}",
                )
                continue
            yield number, line.rstrip("\r\n")
