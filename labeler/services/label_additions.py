"""The labels, relation types and attribute values that files use and a project's schema lacks.

`import --add-labels` shows these first, then adds them (a schema change that only adds, so no
annotation is touched) before importing. New labels go into a layer of their own, `added`, whose
spans may overlap; a new relation type allows the pairings the files use; an attribute gets
the values they use; so does a document attribute, and a new one is made for a document label
the schema lacks. Categories (doccano's) that no document attribute has go to a new multiple
choice `category`. Knowledge-base ids (`kb:` attributes) need no schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from labeler.domain.document_labels import CATEGORY_ATTRIBUTE, CATEGORY_MARK
from labeler.domain.errors import InputError
from labeler.domain.schema import (
    KB_PREFIX,
    Attribute,
    DocumentAttribute,
    DocumentKind,
    Label,
    LabelSchema,
    Layer,
    RelationType,
)
from labeler.domain.schema_changes import SchemaChange, SchemaEdit
from labeler.formats.records import RawAnnotationSet, ReadOptions
from labeler.services.importing import collect_files

ADDED_LAYER = "added"
_COLOURS = ("#c7e9c0", "#fdd0a2", "#dadaeb", "#c6dbef", "#fcbba1", "#d9f0a3", "#f2f0f7")


@dataclass
class _Used:
    labels: dict[str, None] = field(default_factory=dict)
    pairs: dict[str, dict[tuple[str, str], None]] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, None]]] = field(default_factory=dict)  # a -> label -> v
    document: dict[str, dict[str, None]] = field(default_factory=dict)  # document attribute -> v
    kinds: dict[str, DocumentKind] = field(default_factory=dict)
    categories: dict[str, None] = field(default_factory=dict)

    def add(self, raw: RawAnnotationSet) -> None:
        for name, values in raw.document_labels.items():
            self.document.setdefault(name, {}).update(dict.fromkeys(values))
            kind = raw.document_kinds.get(name, DocumentKind.CHOICE)
            if len(values) > 1 or self.kinds.get(name) is DocumentKind.MULTIPLE:
                kind = DocumentKind.MULTIPLE
            self.kinds[name] = kind
        self.categories.update(dict.fromkeys(raw.categories))
        label_of = {}
        for span in raw.spans:
            self.labels[span.label] = None
            if span.key is not None:
                label_of[span.key] = span.label
            for name, value in span.attributes.items():
                if not name.startswith(KB_PREFIX):
                    self.values.setdefault(name, {}).setdefault(span.label, {})[value] = None
        for rel in raw.relations:
            head, tail = label_of.get(rel.head), label_of.get(rel.tail)
            if head is not None and tail is not None:
                self.pairs.setdefault(rel.type, {})[(head, tail)] = None


def _grown(schema: LabelSchema, used: _Used, layer: str) -> LabelSchema:
    new_labels = [name for name in used.labels if not schema.has_label(name)]
    layers = list(schema.layers)
    if new_labels:
        colours = _COLOURS * (1 + len(new_labels) // len(_COLOURS))
        labels = [Label(n, layer, c) for n, c in zip(new_labels, colours, strict=False)]
        old = next((have for have in layers if have.name == layer), None)
        if old is not None:
            layers[layers.index(old)] = replace(old, labels=old.labels + tuple(labels))
        else:
            layers.append(Layer(layer, tuple(labels)))
    relations = {r.name: r for r in schema.relation_types}
    for name, pairs in used.pairs.items():
        rel = relations.get(name, RelationType(name, (), ()))
        heads = tuple(dict.fromkeys([*rel.heads, *(h for h, _ in pairs)]))
        tails = tuple(dict.fromkeys([*rel.tails, *(t for _, t in pairs)]))
        relations[name] = replace(rel, heads=heads, tails=tails)
    attributes = {a.name: a for a in schema.attributes}
    for name, by_label in used.values.items():
        attr = attributes.get(name, Attribute(name, (), ()))
        on = tuple(dict.fromkeys([*attr.labels, *by_label]))
        values = [v for vs in by_label.values() for v in vs]
        attributes[name] = replace(
            attr, labels=on, values=tuple(dict.fromkeys([*attr.values, *values]))
        )
    return LabelSchema(
        schema.name,
        tuple(layers),
        tuple(attributes.values()),
        tuple(relations.values()),
        schema.description,
        _grown_documents(schema, used),
    )


def _grown_documents(schema: LabelSchema, used: _Used) -> tuple[DocumentAttribute, ...]:
    """The document attributes with the values the files use: a new attribute of the kind
    the file's control says (Label Studio's), else a choice; categories no attribute has go
    to the attribute `category`, a multiple choice."""
    grown = {a.name: a for a in schema.document_attributes}
    known = {v for a in schema.document_attributes for v in a.values}
    stray = [c for c in used.categories if c not in known and CATEGORY_MARK not in c]
    if stray:
        used.document.setdefault(CATEGORY_ATTRIBUTE, {}).update(dict.fromkeys(stray))
        used.kinds[CATEGORY_ATTRIBUTE] = DocumentKind.MULTIPLE
    for name, values in used.document.items():
        have = grown.get(name)
        if have is None:
            kind = used.kinds.get(name, DocumentKind.CHOICE)
            listed = kind in (DocumentKind.CHOICE, DocumentKind.MULTIPLE)
            scale = max([5, *(int(v) for v in values if v.isdigit())])
            grown[name] = DocumentAttribute(
                name, kind, tuple(values) if listed else (), scale=min(scale, 100)
            )
        elif have.kind in (DocumentKind.CHOICE, DocumentKind.MULTIPLE):
            grown[name] = replace(have, values=tuple(dict.fromkeys([*have.values, *values])))
    return tuple(grown.values())


@dataclass(frozen=True)
class LabelAdditions:
    """The schema grown by what the files use, and the changes as a person reads them."""

    schema: LabelSchema
    edits: list[SchemaEdit]


def label_additions(
    schema: LabelSchema,
    paths: Sequence[Path],
    format_name: str | None = None,
    options: ReadOptions | None = None,
    layer: str = ADDED_LAYER,
    follow_links: bool = False,
) -> LabelAdditions:
    """What the files at `paths` use that `schema` lacks (files that cannot be read are left
    for the import itself to report)."""
    used = _Used()
    for raw in _sets(paths, format_name, options or ReadOptions(), follow_links):
        used.add(raw)
    grown = _grown(schema, used, layer)
    return LabelAdditions(grown, SchemaChange(schema, grown).edits())


def _sets(
    paths: Sequence[Path], format_name: str | None, options: ReadOptions, follow_links: bool
) -> Iterable[RawAnnotationSet]:
    for path, fmt in collect_files(paths, format_name, follow_links=follow_links):
        assert fmt.read is not None
        for item in fmt.read(path, options):
            if not isinstance(item, InputError):
                yield from item.sets
