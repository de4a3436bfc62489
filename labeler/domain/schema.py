"""LabelSchema: the layers, labels, attributes and relation types of a project."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from labeler.domain.errors import RuleError, did_you_mean
from labeler.domain.snippets import shown

KB_PREFIX = "kb:"
"""Attributes named `kb:<database>` hold a knowledge-base id (brat's normalisations, say):
free values that no schema lists, so the schema does not check them."""

EVENT_KIND = "event"
"""A layer of this kind holds event types: its spans are triggers and the relations from them
are the events' roles (brat's E lines)."""


class LayerStyle(StrEnum):
    """How the editor draws a layer's spans."""

    BACKGROUND = "background"
    BAR = "bar"


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    layer: str
    color: str
    hotkey: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    labels: tuple[Label, ...]
    allow_overlap: bool = True
    style: LayerStyle = LayerStyle.BAR
    description: str = ""
    kind: str = ""  # "" or EVENT_KIND


@dataclass(frozen=True, slots=True)
class Attribute:
    """A named property of spans with some labels, taking one of a fixed set of values."""

    name: str
    labels: tuple[str, ...]
    values: tuple[str, ...]
    description: str = ""


class DocumentKind(StrEnum):
    """What a document attribute holds."""

    CHOICE = "choice"  # one of its values
    MULTIPLE = "multiple"  # any number of its values
    TEXT = "text"  # free text
    RATING = "rating"  # a whole number from 1 to its scale


TEXT_MAX = 10_000  # characters of a free-text document label


@dataclass(frozen=True, slots=True)
class DocumentAttribute:
    """A property of the whole document (a `[document]` entry of the schema): its topic,
    genre, whether it is worth checking. Each annotator gives it their own value."""

    name: str
    kind: DocumentKind = DocumentKind.CHOICE
    values: tuple[str, ...] = ()  # a choice's or multiple's values
    description: str = ""
    scale: int = 5  # a rating's highest number

    @property
    def choices(self) -> tuple[str, ...]:
        """The values it may take (the numbers of a rating); empty for free text."""
        if self.kind is DocumentKind.RATING:
            return tuple(str(n) for n in range(1, self.scale + 1))
        return self.values

    def check(self, values: tuple[str, ...]) -> None:
        """Raises RuleError unless `values` (one, or several for multiple) fit."""
        name = self.name
        if not values:
            raise RuleError(f"document attribute {name!r} got no value")
        if self.kind is not DocumentKind.MULTIPLE and len(values) > 1:
            raise RuleError(f"document attribute {name!r} takes one value, not {len(values)}")
        if len(set(values)) != len(values):
            raise RuleError(f"document attribute {name!r} lists a value twice")
        if self.kind is DocumentKind.TEXT:
            if len(values[0]) > TEXT_MAX or "\x00" in values[0]:
                raise RuleError(
                    f"document attribute {name!r}: a text of at most {TEXT_MAX:,} characters, "
                    "without NUL"
                )
            return
        allowed = self.choices
        for value in values:
            if value not in allowed:
                raise RuleError(
                    f"document attribute {name!r} cannot be {shown(value)} "
                    f"(allowed: {', '.join(allowed)})"
                )


@dataclass(frozen=True, slots=True)
class RelationType:
    """A typed, directed link allowed from spans labelled `heads` to spans labelled `tails`."""

    name: str
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    description: str = ""
    # Symmetric and transitive (brat's `<REL-TYPE>:symmetric-transitive`): the spans it links
    # name one thing, written by brat as one `*` line per group.
    equivalence: bool = False
    # An event role's count per event type, as brat marks it: "" (exactly one), "?", "*",
    # "+" or "{2}", "{1-3}"; an event type not listed takes any number.
    limits: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LabelSchema:
    """Everything a project allows; checks spans, attribute values and relations against it."""

    name: str
    layers: tuple[Layer, ...]
    attributes: tuple[Attribute, ...] = ()
    relation_types: tuple[RelationType, ...] = ()
    description: str = ""
    document_attributes: tuple[DocumentAttribute, ...] = ()
    _labels: dict[str, Label] = field(init=False, repr=False, compare=False)
    _attributes_of: dict[str, dict[str, Attribute]] = field(init=False, repr=False, compare=False)
    _layers: dict[str, Layer] = field(init=False, repr=False, compare=False)
    _relations: dict[str, RelationType] = field(init=False, repr=False, compare=False)
    _ends: dict[str, tuple[frozenset[str], frozenset[str]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        labels: dict[str, Label] = {}
        for layer in self.layers:
            for label in layer.labels:
                if label.name in labels:
                    raise RuleError(f"label {label.name!r} is defined twice")
                labels[label.name] = label
        object.__setattr__(self, "_labels", labels)
        # Attribute and relation checks run for every imported span and relation: look-ups
        # are prepared once, in time linear in the schema's size (it may list 100,000 labels).
        attributes_of: dict[str, dict[str, Attribute]] = {}
        for attribute in self.attributes:
            for name in attribute.labels:
                attributes_of.setdefault(name, {})[attribute.name] = attribute
        object.__setattr__(self, "_attributes_of", attributes_of)
        object.__setattr__(self, "_layers", {layer.name: layer for layer in self.layers})
        object.__setattr__(self, "_relations", {r.name: r for r in self.relation_types})
        ends = {r.name: (frozenset(r.heads), frozenset(r.tails)) for r in self.relation_types}
        object.__setattr__(self, "_ends", ends)
        # One name space with the span attributes: formats name both kinds side by side (a
        # Label Studio control each).
        span_attributes = {a.name for a in self.attributes}
        seen: set[str] = set()
        for doc_attr in self.document_attributes:
            if doc_attr.name in span_attributes:
                raise RuleError(
                    f"document attribute {doc_attr.name!r} has the name of a span attribute"
                )
            if doc_attr.name in seen:
                raise RuleError(f"document attribute {doc_attr.name!r} is defined twice")
            seen.add(doc_attr.name)

    # -- look-ups
    def labels(self) -> Iterator[Label]:
        for layer in self.layers:
            yield from layer.labels

    def layer(self, name: str) -> Layer:
        layer = self._layers.get(name)
        if layer is not None:
            return layer
        tip = did_you_mean(name, (layer.name for layer in self.layers))
        raise RuleError(f"layer {shown(name)} is not in schema {self.name!r}{tip}")

    def label(self, name: str) -> Label:
        try:
            return self._labels[name]
        except KeyError:
            tip = did_you_mean(name, self._labels)
            raise RuleError(f"label {shown(name)} is not in schema {self.name!r}{tip}") from None

    def has_label(self, name: str) -> bool:
        return name in self._labels

    def relation_type(self, name: str) -> RelationType:
        rel = self._relations.get(name)
        if rel is not None:
            return rel
        raise RuleError(f"relation type {shown(name)} is not in schema {self.name!r}")

    def attributes_for(self, label: str) -> tuple[Attribute, ...]:
        return tuple(self._attributes_of.get(label, {}).values())

    def document_attribute(self, name: str) -> DocumentAttribute:
        found = next((a for a in self.document_attributes if a.name == name), None)
        if found is not None:
            return found
        tip = did_you_mean(name, (a.name for a in self.document_attributes))
        raise RuleError(f"document attribute {shown(name)} is not in schema {self.name!r}{tip}")

    def relation_types_for(self, head_label: str, tail_label: str) -> tuple[RelationType, ...]:
        """The relation types allowed from a span labelled head_label to one labelled tail_label."""
        ends = self._ends
        return tuple(
            r
            for r in self.relation_types
            if head_label in ends[r.name][0] and tail_label in ends[r.name][1]
        )

    # -- rules
    def check_attributes(self, label: str, attributes: dict[str, str]) -> None:
        allowed = self._attributes_of.get(label, {})
        for name, value in attributes.items():
            if name.startswith(KB_PREFIX):
                continue
            attribute = allowed.get(name)
            if attribute is None:
                raise RuleError(f"attribute {shown(name)} is not defined for label {label!r}")
            if value not in attribute.values:
                choices = ", ".join(attribute.values)
                raise RuleError(
                    f"attribute {name!r} of {label!r} cannot be {shown(value)} (allowed: {choices})"
                )

    def check_document_labels(self, labels: dict[str, tuple[str, ...]]) -> None:
        """Raises RuleError unless each document label names a document attribute and fits it."""
        for name, values in labels.items():
            self.document_attribute(name).check(values)

    def check_relation(self, type_name: str, head_label: str, tail_label: str) -> None:
        rel = self.relation_type(type_name)
        heads, tails = self._ends[type_name]
        if head_label not in heads or tail_label not in tails:
            raise RuleError(
                f"relation {type_name!r} cannot go from {head_label} to {tail_label} "
                f"(allowed: {'|'.join(rel.heads)} -> {'|'.join(rel.tails)})"
            )
