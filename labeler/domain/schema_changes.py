"""A change of a project's label schema: what it adds, renames, recolours and removes, and
where each stored span, relation and attribute value of the old schema goes in the new one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass, field

from labeler.domain.errors import RuleError
from labeler.domain.schema import (
    KB_PREFIX,
    Attribute,
    DocumentAttribute,
    DocumentKind,
    LabelSchema,
    Layer,
    RelationType,
)


@dataclass(frozen=True)
class Renames:
    """Explicit renames from old-schema names to new-schema names, and explicit removals.

    A name neither renamed nor removed keeps its meaning when the new schema has it, and is
    removed otherwise; a removed name stays removed even if the new schema reuses it (remove
    ORG, then rename PERSON to ORG: the old ORG spans go, the PERSON spans become ORG).
    """

    labels: Mapping[str, str] = field(default_factory=dict)
    attributes: Mapping[str, str] = field(default_factory=dict)
    relation_types: Mapping[str, str] = field(default_factory=dict)
    # (old attribute name, old value) -> new value
    values: Mapping[tuple[str, str], str] = field(default_factory=dict)
    removed_labels: Set[str] = frozenset()
    removed_attributes: Set[str] = frozenset()
    removed_relation_types: Set[str] = frozenset()
    removed_values: Set[tuple[str, str]] = frozenset()  # (old attribute name, old value)


@dataclass(frozen=True)
class SchemaEdit:
    """One line of a change, as a person reads it: "rename label LAW → STATUTE"."""

    action: str  # add, rename, move, recolour, change, remove
    kind: str  # layer, label, attribute, value, relation type
    name: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.name}" + (f" {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class SchemaChange:
    """From `old` to `new` with `renames`: the stored annotations' fate, and what changes."""

    old: LabelSchema
    new: LabelSchema
    renames: Renames = field(default_factory=Renames)

    def __post_init__(self) -> None:
        r = self.renames
        _check("label", r.labels, r.removed_labels, self.old.has_label, self.new.has_label)
        _check(
            "attribute",
            r.attributes,
            r.removed_attributes,
            _named(self.old.attributes),
            _named(self.new.attributes),
        )
        _check(
            "relation type",
            r.relation_types,
            r.removed_relation_types,
            _named(self.old.relation_types),
            _named(self.new.relation_types),
        )
        for attribute, value in r.removed_values:
            old = _find(self.old.attributes, attribute)
            if old is None or value not in old.values:
                raise RuleError(f"cannot remove value {value!r}: attribute {attribute!r} lacks it")
            if (attribute, value) in r.values:
                raise RuleError(f"value {value!r} of {attribute!r} cannot be renamed and removed")
        for (attribute, value), new_value in r.values.items():
            old = _find(self.old.attributes, attribute)
            if old is None or value not in old.values:
                raise RuleError(f"cannot rename value {value!r}: attribute {attribute!r} lacks it")
            new = _find(self.new.attributes, self.attribute_for(attribute) or "")
            if new is None or new_value not in new.values:
                raise RuleError(f"cannot rename value {value!r} to {new_value!r}: not in schema")

    # -- where old names go (None: removed)
    def label_for(self, label: str) -> str | None:
        r = self.renames
        return _target(label, r.labels, r.removed_labels, self.new.has_label)

    def layer_for(self, label: str) -> str | None:
        new = self.label_for(label)
        return None if new is None else self.new.label(new).layer

    def relabels(self, label: str) -> bool:
        """Whether the kept spans of `label` get another label or move to another layer."""
        new = self.label_for(label)
        if new is None:
            return False
        if new != label:
            return True
        return self.old.has_label(label) and self.layer_for(label) != self.old.label(label).layer

    def relation_type_for(self, type_name: str) -> str | None:
        r = self.renames
        return _target(
            type_name, r.relation_types, r.removed_relation_types, _named(self.new.relation_types)
        )

    def attribute_for(self, attribute: str) -> str | None:
        r = self.renames
        return _target(attribute, r.attributes, r.removed_attributes, _named(self.new.attributes))

    def value_for(self, attribute: str, value: str) -> str | None:
        if (attribute, value) in self.renames.removed_values:
            return None
        return self.renames.values.get((attribute, value), value)

    def keeps_relation(self, type_name: str, head_label: str, tail_label: str) -> bool:
        """Whether a relation of this type between spans of these labels survives."""
        new_type = self.relation_type_for(type_name)
        head, tail = self.label_for(head_label), self.label_for(tail_label)
        if new_type is None or head is None or tail is None:
            return False
        allowed = self.new.relation_type(new_type)
        return head in allowed.heads and tail in allowed.tails

    def carried_value(self, label: str, attribute: str, value: str) -> tuple[str, str] | None:
        """The (attribute, value) a kept span of `label` carries into the new schema, or None
        when the new schema no longer allows it there."""
        if attribute.startswith(KB_PREFIX):  # a knowledge-base id: no schema lists it
            return None if self.label_for(label) is None else (attribute, value)
        new_label, new_name = self.label_for(label), self.attribute_for(attribute)
        if new_label is None or new_name is None:
            return None
        allowed = {a.name: a for a in self.new.attributes_for(new_label)}
        if new_name not in allowed:
            return None
        new_value = self.value_for(attribute, value)
        if new_value is None or new_value not in allowed[new_name].values:
            return None
        return (new_name, new_value)

    def carried_attributes(self, label: str, attributes: Mapping[str, str]) -> dict[str, str]:
        """A kept span's attribute values as the new schema has them; the others dropped."""
        carried = (self.carried_value(label, name, value) for name, value in attributes.items())
        return dict(c for c in carried if c is not None)

    def changes_attributes_of(self, label: str) -> bool:
        """Whether some attribute value a span of `label` may carry is renamed or dropped."""
        return any(
            self.carried_value(label, a.name, v) != (a.name, v)
            for a in self.old.attributes_for(label)
            for v in a.values
        )

    # -- what the new schema no longer has room for
    def removed_labels(self) -> list[str]:
        return [lab.name for lab in self.old.labels() if self.label_for(lab.name) is None]

    def removed_relation_types(self) -> list[str]:
        return [r.name for r in self.old.relation_types if self.relation_type_for(r.name) is None]

    def layers_to_check_for_overlap(self) -> list[str]:
        """The layers of the new schema that allow no overlap but may get overlapping spans:
        those that forbid it newly, and those that gain labels from another layer."""
        old_layers = {layer.name: layer for layer in self.old.layers}
        gaining = {
            self.layer_for(label.name)
            for label in self.old.labels()
            if self.layer_for(label.name) not in (None, label.layer)
        }
        return [
            layer.name
            for layer in self.new.layers
            if not layer.allow_overlap
            and (
                layer.name in gaining
                or (layer.name in old_layers and old_layers[layer.name].allow_overlap)
            )
        ]

    # -- the change as lines
    def edits(self) -> list[SchemaEdit]:
        """What the change does to the schema, layer by layer, then attributes and relations."""
        return [
            *self._layer_edits(),
            *self._label_edits(),
            *self._attribute_edits(),
            *self._relation_edits(),
            *self._document_edits(),
        ]

    def carried_document_labels(
        self, labels: Mapping[str, tuple[str, ...]]
    ) -> dict[str, tuple[str, ...]]:
        """A set's document labels as the new schema allows them (by name; no renames): the
        values it no longer has dropped, and an attribute left without values with them."""
        carried = {}
        for name, values in labels.items():
            new = _find_document(self.new, name)
            if new is None:
                continue
            kept = (
                values
                if new.kind is DocumentKind.TEXT
                else tuple(v for v in values if v in new.choices)
            )
            if kept and (new.kind is DocumentKind.MULTIPLE or len(kept) == 1):
                carried[name] = kept
        return carried

    def _document_edits(self) -> Iterator[SchemaEdit]:
        for old in self.old.document_attributes:
            new = _find_document(self.new, old.name)
            if new is None:
                yield SchemaEdit("remove", "document attribute", old.name)
                continue
            if new.kind != old.kind:
                yield SchemaEdit(
                    "change", "document attribute", old.name, f"{old.kind} → {new.kind}"
                )
            for value in old.values:
                if value not in new.values:
                    yield SchemaEdit("remove", "value", f"{old.name}={value}")
            for value in new.values:
                if value not in old.values:
                    yield SchemaEdit("add", "value", f"{old.name}={value}")
        for new in self.new.document_attributes:
            if _find_document(self.old, new.name) is None:
                yield SchemaEdit("add", "document attribute", new.name, f"({new.kind})")

    def _layer_edits(self) -> Iterator[SchemaEdit]:
        old = {layer.name: layer for layer in self.old.layers}
        new = {layer.name for layer in self.new.layers}
        for layer in self.new.layers:
            was = old.get(layer.name)
            if was is None:
                yield SchemaEdit("add", "layer", layer.name)
                continue
            if was.allow_overlap != layer.allow_overlap:
                yield SchemaEdit(
                    "change", "layer", layer.name, f"{_overlap(was)} → {_overlap(layer)}"
                )
            if was.style != layer.style:
                yield SchemaEdit(
                    "change", "layer", layer.name, f"style {was.style} → {layer.style}"
                )
            if was.description != layer.description:
                yield SchemaEdit("change", "layer", layer.name, "description")
        for layer in self.old.layers:
            if layer.name not in new:
                yield SchemaEdit("remove", "layer", layer.name)

    def _label_edits(self) -> Iterator[SchemaEdit]:
        targets = set()
        for label in self.old.labels():
            name = self.label_for(label.name)
            if name is None:
                yield SchemaEdit("remove", "label", label.name)
                continue
            targets.add(name)
            new = self.new.label(name)
            if name != label.name:
                yield SchemaEdit("rename", "label", label.name, f"→ {name}")
            if new.layer != label.layer:
                yield SchemaEdit("move", "label", name, f"from {label.layer} to {new.layer}")
            if new.color != label.color:
                yield SchemaEdit("recolour", "label", name, f"{label.color} → {new.color}")
            if new.hotkey != label.hotkey:
                keys = f"{label.hotkey or 'none'} → {new.hotkey or 'none'}"
                yield SchemaEdit("change", "label", name, f"hotkey {keys}")
            if new.description != label.description:
                yield SchemaEdit("change", "label", name, "description")
        for label in self.new.labels():
            if label.name not in targets:
                yield SchemaEdit("add", "label", label.name, f"to {label.layer}")

    def _attribute_edits(self) -> Iterator[SchemaEdit]:
        targets = set()
        for old in self.old.attributes:
            name = self.attribute_for(old.name)
            if name is None:
                yield SchemaEdit("remove", "attribute", old.name)
                continue
            targets.add(name)
            new = _find(self.new.attributes, name)
            assert new is not None
            if name != old.name:
                yield SchemaEdit("rename", "attribute", old.name, f"→ {name}")
            moved = tuple(self.label_for(lab) for lab in old.labels)
            if moved != new.labels:
                yield SchemaEdit("change", "attribute", name, f"labels → {', '.join(new.labels)}")
            kept = set()
            for value in old.values:
                new_value = self.value_for(old.name, value)
                if new_value is None or new_value not in new.values:
                    yield SchemaEdit("remove", "value", f"{name}={value}")
                    continue
                kept.add(new_value)
                if new_value != value:
                    yield SchemaEdit("rename", "value", f"{name}={value}", f"→ {new_value}")
            for value in new.values:
                if value not in kept:
                    yield SchemaEdit("add", "value", f"{name}={value}")
        for new in self.new.attributes:
            if new.name not in targets:
                yield SchemaEdit("add", "attribute", new.name, f"on {', '.join(new.labels)}")

    def _relation_edits(self) -> Iterator[SchemaEdit]:
        targets = set()
        for old in self.old.relation_types:
            name = self.relation_type_for(old.name)
            if name is None:
                yield SchemaEdit("remove", "relation type", old.name)
                continue
            targets.add(name)
            new = self.new.relation_type(name)
            if name != old.name:
                yield SchemaEdit("rename", "relation type", old.name, f"→ {name}")
            heads = tuple(self.label_for(lab) for lab in old.heads)
            tails = tuple(self.label_for(lab) for lab in old.tails)
            if (heads, tails) != (new.heads, new.tails):
                yield SchemaEdit("change", "relation type", name, _pairing(new))
        for new in self.new.relation_types:
            if new.name not in targets:
                yield SchemaEdit("add", "relation type", new.name, _pairing(new))


def _overlap(layer: Layer) -> str:
    return "overlap allowed" if layer.allow_overlap else "no overlap"


def _pairing(relation: RelationType) -> str:
    return f"{'|'.join(relation.heads)} → {'|'.join(relation.tails)}"


def _named(items: tuple[Attribute, ...] | tuple[RelationType, ...]) -> Callable[[str], bool]:
    """A test for whether a name is among these attributes or relation types."""
    return {item.name for item in items}.__contains__


def _find_document(schema: LabelSchema, name: str) -> DocumentAttribute | None:
    return next((a for a in schema.document_attributes if a.name == name), None)


def _find(attributes: tuple[Attribute, ...], name: str) -> Attribute | None:
    return next((a for a in attributes if a.name == name), None)


def _target(
    name: str, renames: Mapping[str, str], removed: Set[str], exists: Callable[[str], bool]
) -> str | None:
    if name in renames:
        return renames[name]
    if name in removed:
        return None
    return name if exists(name) else None


def _check(
    kind: str,
    renames: Mapping[str, str],
    removed: Set[str],
    in_old: Callable[[str], bool],
    in_new: Callable[[str], bool],
) -> None:
    for old in removed:
        if not in_old(old):
            raise RuleError(f"cannot remove {kind} {old!r}: the old schema has no such {kind}")
        if old in renames:
            raise RuleError(f"{kind} {old!r} cannot be both renamed and removed")
    for old, new in renames.items():
        if not in_old(old):
            raise RuleError(f"cannot rename {kind} {old!r}: the old schema has no such {kind}")
        if not in_new(new):
            raise RuleError(f"cannot rename {kind} {old!r} to {new!r}: the new schema lacks it")
