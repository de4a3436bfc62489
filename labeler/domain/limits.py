"""What a name, a title and a text may hold, the same on every database engine.

PostgreSQL refuses the NUL character in text and JSON and enforces column lengths that SQLite
ignores; these rules are applied before anything is stored, so a project that SQLite holds
moves to PostgreSQL and back unchanged.
"""

from __future__ import annotations

from typing import Any

from labeler.domain.errors import RuleError
from labeler.domain.snippets import quoted

NAME_MAX = 200  # a project's or an annotator's name
GUIDELINES_MAX = 1_000_000  # characters of a project's guidelines (Markdown)
TITLE_MAX = 1000  # a document's title; a longer one is cut
SCHEMA_NAME_MAX = 100  # a layer, label, attribute, value or relation type
_NUL = "\x00"
_META_DEPTH = 64  # deeper metadata is refused: no reader or database needs more


def check_name(value: str, what: str, limit: int = NAME_MAX) -> str:
    """`value` without surrounding white space, refused if empty, too long or holding NUL."""
    name = value.strip()
    if not name:
        raise RuleError(f"{what} needs a name")
    if _NUL in name:
        raise RuleError(f"{what} {quoted(name)} holds a NUL character, which no database stores")
    if len(name) > limit:
        raise RuleError(
            f"{what} {quoted(name)} is {len(name):,} characters long; at most {limit} are allowed"
        )
    return name


CURATED = "curated"
"""The annotator name curated (gold) sets are stored under: no person may annotate as it."""


def check_annotator(value: str, *, curating: bool = False) -> str:
    """An annotator's name as check_name takes it; the reserved name CURATED (in any case) is
    refused unless `curating` (the curation service opening a curated set)."""
    name = check_name(value, "an annotator")
    if name.casefold() == CURATED and not curating:
        raise RuleError(
            f"{quoted(name)} is reserved: curated (gold) sets are stored under that name; "
            "choose another annotator name"
        )
    return name


def cut_title(title: str) -> str:
    """A title no longer than TITLE_MAX characters (a long first line of a text, say)."""
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def check_document_fields(text: str, title: str, meta: dict[str, Any]) -> None:
    """Refuses a document whose text, title or metadata holds a NUL character."""
    if _NUL in text:
        at = text.index(_NUL)
        line = text.count("\n", 0, at) + 1
        raise RuleError(
            f"the text holds a NUL character (line {line} of the text, offset {at}), "
            "which no database stores; remove it from the file"
        )
    if _NUL in title:
        raise RuleError("the title holds a NUL character, which no database stores")
    _check_meta(meta, "metadata", 0)


def _check_meta(value: object, path: str, depth: int) -> None:
    if depth > _META_DEPTH:
        raise RuleError(f"{path} is nested more than {_META_DEPTH} levels deep")
    if isinstance(value, str):
        if _NUL in value:
            raise RuleError(f"{path} holds a NUL character, which no database stores")
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _NUL in key:
                raise RuleError(f"a key of {path} holds a NUL character")
            _check_meta(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            _check_meta(item, f"{path}[{n}]", depth + 1)
