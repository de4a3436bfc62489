"""Cells of the CSV files the app writes, made safe to open in a spreadsheet.

A cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
spreadsheets skip before looking) is run as a formula by Excel, LibreOffice and Google Sheets.
Following OWASP's advice on CSV injection, such a cell is written with a leading apostrophe,
which spreadsheets show as text; a reader that wants the original drops that one character.
"""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """`value` as written to a CSV cell: text that a spreadsheet would run gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
