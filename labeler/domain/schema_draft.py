"""SchemaDraft: a project's label schema being edited, remembering what each name was called
before, so that renames carry the stored annotations along."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TypedDict, Unpack

from labeler.domain.errors import InputError, RuleError
from labeler.domain.schema import Attribute, Label, LabelSchema, Layer, RelationType
from labeler.domain.schema_changes import Renames, SchemaChange
from labeler.domain.schema_toml import parse_schema, write_schema

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_COLOR = re.compile(r"^#[0-9a-f]{6}$")
# Colours a new label starts with, the first one no label has yet.
_NEW_COLORS = ("#8d6e63", "#26a69a", "#ec407a", "#7e57c2", "#9ccc65", "#ffa726", "#78909c")


class _SchemaParts(TypedDict, total=False):
    """The parts of a LabelSchema that an edit replaces."""

    layers: tuple[Layer, ...]
    attributes: tuple[Attribute, ...]
    relation_types: tuple[RelationType, ...]


class SchemaDraft:
    """The schema as edited so far (`schema`), against the project's (`original`).

    Every edit checks the result as a schema file would be checked and raises RuleError,
    changing nothing, when it breaks a rule.
    """

    def __init__(self, original: LabelSchema, source: str | None = None) -> None:
        self.original = original
        self.schema = original
        self.source = source  # the TOML text, while the draft is exactly a loaded file
        # Original name -> current name, for each original still in the draft.
        self._labels = {lab.name: lab.name for lab in original.labels()}
        self._attributes = {a.name: a.name for a in original.attributes}
        self._relation_types = {r.name: r.name for r in original.relation_types}
        self._values = {(a.name, v): (a.name, v) for a in original.attributes for v in a.values}

    # -- the result
    def renames(self) -> Renames:
        """Original names mapped to current ones, for those that changed; and the originals
        the draft no longer carries anywhere, as removed even where a name was reused."""

        def changed(currents: dict[str, str]) -> dict[str, str]:
            return {old: new for old, new in currents.items() if old != new}

        old = self.original
        return Renames(
            labels=changed(self._labels),
            attributes=changed(self._attributes),
            relation_types=changed(self._relation_types),
            values={old: new[1] for old, new in self._values.items() if old[1] != new[1]},
            removed_labels=frozenset(
                lab.name for lab in old.labels() if lab.name not in self._labels
            ),
            removed_attributes=frozenset(
                a.name for a in old.attributes if a.name not in self._attributes
            ),
            removed_relation_types=frozenset(
                r.name for r in old.relation_types if r.name not in self._relation_types
            ),
            # Values of a removed attribute go with it.
            removed_values=frozenset(
                (a.name, v)
                for a in old.attributes
                if a.name in self._attributes
                for v in a.values
                if (a.name, v) not in self._values
            ),
        )

    def change(self) -> SchemaChange:
        return SchemaChange(self.original, self.schema, self.renames())

    def origin_of_label(self, name: str) -> str | None:
        """What the project's schema calls this label (None for a label added here)."""
        return next((old for old, new in self._labels.items() if new == name), None)

    def map_label(self, original: str, current: str | None) -> None:
        """Carries the spans of an original label to `current` (None: they are removed)."""
        self.original.label(original)
        if current is None:
            self._labels.pop(original, None)
        else:
            self.schema.label(current)
            self._labels[original] = current

    def load(self, schema: LabelSchema, source: str | None = None) -> None:
        """Replaces the draft by a schema read from a file: a name it keeps keeps its origin;
        a label it lacks is removed unless mapped to a new name (map_label)."""

        def kept(currents: dict[str, str], names: set[str], known: set[str]) -> dict[str, str]:
            found = {old: new for old, new in currents.items() if new in names}
            found.update({n: n for n in names & known if n not in found})
            return found

        old = self.original
        self._labels = kept(
            self._labels, {lab.name for lab in schema.labels()}, {lab.name for lab in old.labels()}
        )
        self._attributes = kept(
            self._attributes,
            {a.name for a in schema.attributes},
            {a.name for a in old.attributes},
        )
        self._relation_types = kept(
            self._relation_types,
            {r.name for r in schema.relation_types},
            {r.name for r in old.relation_types},
        )
        values = {(a.name, v) for a in schema.attributes for v in a.values}
        self._values = {o: new for o, new in self._values.items() if new in values}
        taken = set(self._values.values())
        for a in old.attributes:  # a value the file has under the attribute's name is kept
            current = self._attributes.get(a.name)
            if current is None:
                continue
            for v in a.values:
                if (a.name, v) not in self._values and (current, v) in values - taken:
                    self._values[(a.name, v)] = (current, v)
        self.schema = schema
        self.source = source

    # -- labels
    def add_label(self, layer: str, name: str, color: str | None = None) -> Label:
        _check_name("label", name, [lab.name for lab in self.schema.labels()])
        label = Label(name, layer, color or self._free_color())
        target = self.schema.layer(layer)
        self._set(layers=_swap(self.schema.layers, target, _with_labels(target, (label,))))
        return label

    def rename_label(self, old: str, new: str) -> None:
        label = self.schema.label(old)
        _check_name("label", new, [lab.name for lab in self.schema.labels() if lab.name != old])
        layer = self.schema.layer(label.layer)
        labels = tuple(replace(x, name=new) if x.name == old else x for x in layer.labels)
        self._labels = _rekey(self._labels, old, new)
        self._set(
            layers=_swap(self.schema.layers, layer, replace(layer, labels=labels)),
            attributes=tuple(
                replace(a, labels=_renamed(a.labels, old, new)) for a in self.schema.attributes
            ),
            relation_types=tuple(
                replace(r, heads=_renamed(r.heads, old, new), tails=_renamed(r.tails, old, new))
                for r in self.schema.relation_types
            ),
        )

    def recolour_label(self, name: str, color: str) -> None:
        color = color.lower()
        if not _COLOR.match(color):
            raise RuleError(f'a colour looks like "#1f77b4", not {color!r}')
        layer = self.schema.layer(self.schema.label(name).layer)
        labels = tuple(replace(x, color=color) if x.name == name else x for x in layer.labels)
        self._set(layers=_swap(self.schema.layers, layer, replace(layer, labels=labels)))

    def remove_label(self, name: str) -> None:
        """Removes a label, with its layer, attributes and relation types if it was their last."""
        layer = self.schema.layer(self.schema.label(name).layer)
        labels = tuple(x for x in layer.labels if x.name != name)
        layers = tuple(
            (replace(x, labels=labels) if x is layer else x)
            for x in self.schema.layers
            if x is not layer or labels
        )
        attributes = tuple(
            replace(a, labels=tuple(n for n in a.labels if n != name))
            for a in self.schema.attributes
        )
        relations = tuple(
            replace(
                r,
                heads=tuple(n for n in r.heads if n != name),
                tails=tuple(n for n in r.tails if n != name),
            )
            for r in self.schema.relation_types
        )
        if not layers:
            raise RuleError("a schema needs at least one label")
        self._set(
            layers=layers,
            attributes=tuple(a for a in attributes if a.labels),
            relation_types=tuple(r for r in relations if r.heads and r.tails),
        )

    # -- attributes and their values
    def add_attribute(self, name: str, labels: tuple[str, ...], values: tuple[str, ...]) -> None:
        _check_name("attribute", name, [a.name for a in self.schema.attributes])
        self._set(attributes=(*self.schema.attributes, Attribute(name, labels, values)))

    def rename_attribute(self, old: str, new: str) -> None:
        _check_name("attribute", new, [a.name for a in self.schema.attributes if a.name != old])
        self._attributes = _rekey(self._attributes, old, new)
        self._values = {o: ((new, c[1]) if c[0] == old else c) for o, c in self._values.items()}
        self._replace_attribute(old, lambda a: replace(a, name=new))

    def remove_attribute(self, name: str) -> None:
        self._attribute(name)
        self._set(attributes=tuple(a for a in self.schema.attributes if a.name != name))

    def add_value(self, attribute: str, value: str) -> None:
        values = self._attribute(attribute).values
        _check_value(value, values)
        self._replace_attribute(attribute, lambda a: replace(a, values=(*values, value)))

    def rename_value(self, attribute: str, old: str, new: str) -> None:
        values = self._attribute(attribute).values
        if old not in values:
            raise RuleError(f"attribute {attribute!r} has no value {old!r}")
        _check_value(new, [v for v in values if v != old])
        renamed = _renamed(values, old, new)
        self._values = {
            o: ((attribute, new) if c == (attribute, old) else c) for o, c in self._values.items()
        }
        self._replace_attribute(attribute, lambda a: replace(a, values=renamed))

    def remove_value(self, attribute: str, value: str) -> None:
        if value not in self._attribute(attribute).values:
            raise RuleError(f"attribute {attribute!r} has no value {value!r}")
        values = tuple(v for v in self._attribute(attribute).values if v != value)
        if not values:
            raise RuleError(f"{value!r} is the last value of {attribute!r}: remove the attribute")
        self._replace_attribute(attribute, lambda a: replace(a, values=values))

    # -- relation types
    def add_relation_type(self, name: str, heads: tuple[str, ...], tails: tuple[str, ...]) -> None:
        _check_name("relation type", name, [r.name for r in self.schema.relation_types])
        self._set(relation_types=(*self.schema.relation_types, RelationType(name, heads, tails)))

    def rename_relation_type(self, old: str, new: str) -> None:
        self.schema.relation_type(old)
        names = [r.name for r in self.schema.relation_types if r.name != old]
        _check_name("relation type", new, names)
        self._relation_types = _rekey(self._relation_types, old, new)
        self._set(
            relation_types=tuple(
                replace(r, name=new) if r.name == old else r for r in self.schema.relation_types
            )
        )

    def remove_relation_type(self, name: str) -> None:
        self.schema.relation_type(name)
        self._set(relation_types=tuple(r for r in self.schema.relation_types if r.name != name))

    # -- helpers
    def _attribute(self, name: str) -> Attribute:
        for a in self.schema.attributes:
            if a.name == name:
                return a
        raise RuleError(f"attribute {name!r} is not in the schema")

    def _replace_attribute(self, name: str, edit: Callable[[Attribute], Attribute]) -> None:
        target = self._attribute(name)
        self._set(attributes=tuple(edit(a) if a is target else a for a in self.schema.attributes))

    def _free_color(self) -> str:
        used = {lab.color for lab in self.schema.labels()}
        return next((c for c in _NEW_COLORS if c not in used), _NEW_COLORS[0])

    def _set(self, **parts: Unpack[_SchemaParts]) -> None:
        """Takes the edited schema if a schema file with it would be accepted; else puts the
        names' origins back as they were before the edit and raises RuleError."""
        saved = (self._labels, self._attributes, self._relation_types, self._values)
        try:
            candidate = replace(self.schema, **parts)
            checked = parse_schema(write_schema(candidate), "the edited schema")
        except (InputError, RuleError) as exc:
            self._labels, self._attributes, self._relation_types, self._values = saved
            raise RuleError(getattr(exc, "reason", str(exc))) from None
        self.schema = checked
        self.source = None
        # Whatever went with the edit (a relation type with its last label) has no origin now.
        labels = {lab.name for lab in checked.labels()}
        attributes = {a.name for a in checked.attributes}
        types = {r.name for r in checked.relation_types}
        values = {(a.name, v) for a in checked.attributes for v in a.values}
        self._labels = {o: c for o, c in self._labels.items() if c in labels}
        self._attributes = {o: c for o, c in self._attributes.items() if c in attributes}
        self._relation_types = {o: c for o, c in self._relation_types.items() if c in types}
        self._values = {o: c for o, c in self._values.items() if c in values}


def _check_name(kind: str, name: str, taken: list[str]) -> None:
    if not _NAME.match(name):
        raise RuleError(f"a {kind} name is letters, digits, '_' or '-', starting with a letter")
    if name in taken:
        raise RuleError(f"there is a {kind} named {name!r} already")


def _check_value(value: str, taken: list[str] | tuple[str, ...]) -> None:
    if not value.strip():
        raise RuleError("a value needs some text")
    if value in taken:
        raise RuleError(f"there is a value {value!r} already")


def _renamed(names: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(new if n == old else n for n in names)


def _rekey(currents: dict[str, str], old: str, new: str) -> dict[str, str]:
    return {origin: new if current == old else current for origin, current in currents.items()}


def _swap(layers: tuple[Layer, ...], old: Layer, new: Layer) -> tuple[Layer, ...]:
    return tuple(new if x is old else x for x in layers)


def _with_labels(layer: Layer, labels: tuple[Label, ...]) -> Layer:
    return replace(layer, labels=(*layer.labels, *labels))
