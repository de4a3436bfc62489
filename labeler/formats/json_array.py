"""JSON files that hold an array of records: each record with the line it begins on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from labeler.domain.errors import InputError, Location
from labeler.formats.json_decoding import JsonProblem, raw_decode


def json_array_items(source: str, text: str) -> Iterator[tuple[int, Any]]:
    """Each item of a JSON array (or the one object a file holds) with the line it begins on.

    Reads item by item with the standard decoder, so an error names the line it is on.
    """
    decoder = json.JSONDecoder()
    ws = " \t\n\r"

    def skip(i: int) -> int:
        while i < len(text) and text[i] in ws:
            i += 1
        return i

    def fail(exc: json.JSONDecodeError | JsonProblem) -> InputError:
        if isinstance(exc, json.JSONDecodeError):
            exc = JsonProblem(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
        return InputError(Location(source, exc.line), str(exc))

    i = skip(0)
    if i == len(text):
        raise InputError(Location(source), "the file holds no JSON")
    if text[i] != "[":
        try:
            obj, end = raw_decode(decoder, text, i)
        except JsonProblem as exc:
            raise fail(exc) from None
        if skip(end) != len(text):
            raise fail(json.JSONDecodeError("Extra data", text, skip(end)))
        yield text.count("\n", 0, i) + 1, obj
        return
    line, counted = 1, 0
    i = skip(i + 1)
    if i < len(text) and text[i] == "]":  # an empty list
        i = skip(i + 1)
        if i != len(text):
            raise fail(json.JSONDecodeError("Extra data", text, i))
        return
    while True:
        try:
            obj, end = raw_decode(decoder, text, i)
        except JsonProblem as exc:
            raise fail(exc) from None
        line += text.count("\n", counted, i)
        counted = i
        yield line, obj
        i = skip(end)
        if i < len(text) and text[i] == ",":
            i = skip(i + 1)
            continue
        if i < len(text) and text[i] == "]":
            i = skip(i + 1)
            if i != len(text):
                raise fail(json.JSONDecodeError("Extra data", text, i))
            return
        raise fail(json.JSONDecodeError("Expecting ',' delimiter", text, i))
