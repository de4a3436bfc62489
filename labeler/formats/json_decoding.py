"""JSON decoding that turns every way a text can fail to be JSON into one clear problem."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

_DIGITS = sys.get_int_max_str_digits() or 4300
_LONG_NUMBER = re.compile(rf"\d{{{_DIGITS + 1}}}")


class JsonProblem(ValueError):
    """Text that is not JSON the app can read; `line` and `column` are 1-based, when known."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(reason if column is None else f"{reason} (column {column})")


def _position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _problem(exc: Exception, text: str, start: int) -> JsonProblem:
    if isinstance(exc, json.JSONDecodeError):
        return JsonProblem(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
    if isinstance(exc, RecursionError):
        line, _ = _position(text, start)
        return JsonProblem("invalid JSON: arrays or objects nested too deeply", line)
    found = _LONG_NUMBER.search(text, start)  # Python refuses to convert longer numbers
    if found is None:
        return JsonProblem(f"invalid JSON: {exc}")
    line, column = _position(text, found.start())
    return JsonProblem(f"invalid JSON: a number of more than {_DIGITS} digits", line, column)


def loads(text: str) -> Any:
    """The value a JSON text holds; JsonProblem says why it holds none."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise _problem(exc, text, 0) from None


def raw_decode(decoder: json.JSONDecoder, text: str, index: int) -> tuple[Any, int]:
    """The JSON value that starts at `index` and the index after it, as JSONDecoder gives."""
    try:
        return decoder.raw_decode(text, index)
    except (ValueError, RecursionError) as exc:
        raise _problem(exc, text, index) from None
