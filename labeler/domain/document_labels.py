"""Document labels (values of the schema's `[document]` attributes) as formats carry them:
as a mapping of attribute to values, and as the flat categories of tools that name a
document's classes only (doccano's categories, spaCy's `doc.cats`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from labeler.domain.errors import RuleError
from labeler.domain.schema import DocumentKind, LabelSchema
from labeler.domain.snippets import shown

DocumentLabels = dict[str, tuple[str, ...]]
"""A document attribute's name -> its values (one, or several for a multiple choice)."""

CATEGORY_MARK = ":"  # `attribute:value`, the category of a value two attributes share
CATEGORY_ATTRIBUTE = "category"  # where import --add-labels puts categories no attribute has
_LISTED = (DocumentKind.CHOICE, DocumentKind.MULTIPLE)


def category_names(schema: LabelSchema) -> dict[tuple[str, str], str]:
    """(attribute, value) -> its category: the value itself, or `attribute:value` where
    another choice attribute has the same value."""
    pairs = [(a.name, v) for a in schema.document_attributes if a.kind in _LISTED for v in a.values]
    count = Counter(v for _, v in pairs)
    return {(a, v): v if count[v] == 1 else f"{a}{CATEGORY_MARK}{v}" for a, v in pairs}


def categories_of(
    schema: LabelSchema, labels: Mapping[str, tuple[str, ...]]
) -> tuple[list[str], int]:
    """The categories that a set's document labels give, and how many of its labels have no
    category (free text, ratings)."""
    names = category_names(schema)
    found: list[str] = []
    lost = 0
    for name, values in labels.items():
        named = [names.get((name, v)) for v in values]
        if any(n is None for n in named):
            lost += 1
            continue
        found.extend(n for n in named if n is not None)
    return found, lost


def labels_from_categories(schema: LabelSchema, categories: Iterable[str]) -> DocumentLabels:
    """Each category put under the document attribute that has it as a value.

    RuleError for a category no attribute has (import --add-labels adds it) or that several
    have (write it as `attribute:value`)."""
    owners: dict[str, list[str]] = {}
    for (attribute, value), _ in category_names(schema).items():
        owners.setdefault(value, []).append(attribute)
    labels: dict[str, list[str]] = {}
    for category in categories:
        attribute, mark, value = category.partition(CATEGORY_MARK)
        if mark and attribute in owners.get(value, ()):
            where = [attribute]
        else:
            value = category
            where = owners.get(category, [])
        if not where:
            raise RuleError(
                f"category {shown(category)} is no value of a document attribute of schema "
                f"{schema.name!r} (import with --add-labels to add it)"
            )
        if len(where) > 1:
            raise RuleError(
                f"category {shown(category)} is a value of the document attributes "
                f"{', '.join(where)}: write it as attribute{CATEGORY_MARK}value"
            )
        got = labels.setdefault(where[0], [])
        if value not in got:
            got.append(value)
    return {name: tuple(values) for name, values in labels.items()}


def agreed_labels(sets: Iterable[Mapping[str, tuple[str, ...]]], need: int) -> DocumentLabels:
    """The document labels that at least `need` of these sets' labels give the same values."""
    votes: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for labels in sets:
        votes.update(labels.items())
    agreed: DocumentLabels = {}
    for (name, values), n in votes.most_common():
        if n >= need and name not in agreed:
            agreed[name] = values
    return agreed


def labels_to_json(labels: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """As the native formats write them: every attribute's values as a list, sorted by name."""
    return {name: list(labels[name]) for name in sorted(labels)}


def labels_from_json(value: Any, what: str) -> DocumentLabels:
    """`{"attribute": "value" | ["value", ...] | number}` as read; ValueError says what is
    wrong. Numbers (ratings) become their digits; an empty list is no label."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be an object of attribute names and values")
    labels: DocumentLabels = {}
    for name, raw in value.items():
        items = raw if isinstance(raw, list) else [raw]
        values = []
        for item in items:
            if isinstance(item, int) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str):
                raise ValueError(f"{what} {shown(name)} must be a string or a list of strings")
            values.append(item)
        if values:
            labels[str(name)] = tuple(values)
    return labels
