"""Wording shared by the summaries that the command line and the window show."""

from __future__ import annotations


def plural(n: int, noun: str) -> str:
    """'1 document', '2,000 documents'."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
