"""Reads a label schema from TOML (a broken file is refused naming its file, line and problem)
and writes one back."""

from __future__ import annotations

import functools
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from labeler.domain.errors import InputError, Location, RuleError, did_you_mean
from labeler.domain.limits import SCHEMA_NAME_MAX, check_name
from labeler.domain.schema import (
    EVENT_KIND,
    Attribute,
    DocumentAttribute,
    Label,
    LabelSchema,
    Layer,
    LayerStyle,
    RelationType,
)
from labeler.domain.schema_document_toml import document_spec, read_document_attribute

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_TOP_KEYS = ("schema", "layers", "attributes", "relations", "document")
_SCHEMA_KEYS = ("name", "description")
_LAYER_KEYS = ("description", "overlap", "style", "kind", "labels")
_LABEL_KEYS = ("color", "hotkey", "description")
_ATTRIBUTE_KEYS = ("labels", "values", "description")
_RELATION_KEYS = ("heads", "tails", "description", "equivalence", "limits")
_LIMIT = re.compile(r"^(|[?*+]|\{[\d,-]+\})$")


def load_schema_file(path: str | Path) -> tuple[LabelSchema, str]:
    """Reads and checks a schema file; returns the schema and the file's text."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Location(str(path)), f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(Location(str(path)), exc.strerror or str(exc)) from None
    return parse_schema(text, str(path)), text


@functools.lru_cache(maxsize=16)
def parse_schema(text: str, source: str = "<schema>") -> LabelSchema:
    """Parses TOML text into a LabelSchema; errors name `source` and the line.

    Cached: a project's schema is read again by most commands, and a schema is immutable.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InputError(Location(source, line), f"TOML syntax: {reason}") from None
    except RecursionError:
        raise InputError(
            Location(source), "TOML syntax: arrays or tables nested too deeply"
        ) from None
    except ValueError:  # a number longer than Python converts (4300 digits)
        digits = sys.get_int_max_str_digits()
        found = re.search(rf"\d{{{digits + 1}}}", text) if digits else None
        line = text.count("\n", 0, found.start()) + 1 if found else None
        raise InputError(Location(source, line), "TOML syntax: a number far too long") from None
    return _SchemaReader(text, source).read(data)


def write_schema(schema: LabelSchema) -> str:
    """The schema as TOML text that parse_schema reads back to an equal schema.

    Empty hotkeys and descriptions are left out, as a person writing the file would.
    """

    def described(table: dict[str, Any], description: str) -> dict[str, Any]:
        return {**table, "description": description} if description else table

    layers: dict[str, Any] = {}
    for layer in schema.layers:
        labels: dict[str, Any] = {}
        for label in layer.labels:
            spec: dict[str, Any] = {"color": label.color}
            if label.hotkey:
                spec["hotkey"] = label.hotkey
            labels[label.name] = described(spec, label.description)
        layers[layer.name] = {
            **described({}, layer.description),
            "overlap": layer.allow_overlap,
            "style": layer.style.value,
            **({"kind": layer.kind} if layer.kind else {}),
            "labels": labels,
        }
    data: dict[str, Any] = {
        "schema": described({"name": schema.name}, schema.description),
        "layers": layers,
    }
    if schema.attributes:
        data["attributes"] = {
            a.name: described({"labels": list(a.labels), "values": list(a.values)}, a.description)
            for a in schema.attributes
        }
    if schema.relation_types:
        data["relations"] = {
            r.name: described(
                {
                    "heads": list(r.heads),
                    "tails": list(r.tails),
                    **({"equivalence": True} if r.equivalence else {}),
                    **({"limits": dict(r.limits)} if r.limits else {}),
                },
                r.description,
            )
            for r in schema.relation_types
        }
    if schema.document_attributes:
        data["document"] = {
            a.name: described(document_spec(a), a.description) for a in schema.document_attributes
        }
    import tomli_w  # here: reading a schema, as every command does, needs no writer

    return "# A label schema, written by labeler.\n\n" + tomli_w.dumps(data)


class _SchemaReader:
    def __init__(self, text: str, source: str) -> None:
        self._lines = text.splitlines()
        self._source = source

    # -- locating problems in the text
    def _line_of(self, table: str, needle: str | None = None) -> int | None:
        """The line of `needle` (a key or quoted value) inside `[table]`, else of the table."""
        header = re.compile(r"^\s*\[+\s*" + re.escape(table).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
        start = next((i for i, ln in enumerate(self._lines) if header.match(ln)), None)
        if start is None:
            return None
        if needle is not None:
            for i in range(start + 1, len(self._lines)):
                line = self._lines[i]
                if line.lstrip().startswith("["):
                    break
                if re.match(rf"^\s*{re.escape(needle)}\s*=", line) or f'"{needle}"' in line:
                    return i + 1
        return start + 1

    def _fail(self, table: str, reason: str, needle: str | None = None) -> InputError:
        return InputError(Location(self._source, self._line_of(table, needle)), reason)

    def _check_keys(self, table: str, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                tip = did_you_mean(key, allowed)
                raise self._fail(
                    table,
                    f"unknown key {key!r} in [{table}] (expected {', '.join(allowed)}){tip}",
                    key,
                )

    def _table(self, parent: str, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self._fail(parent, f"{key!r} in [{parent}] must be a table", key)
        return value

    def _string(self, table: str, data: dict[str, Any], key: str, default: str = "") -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            raise self._fail(table, f"{key!r} in [{table}] must be a string", key)
        return value

    def _names(self, table: str, data: dict[str, Any], key: str) -> tuple[str, ...]:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self._fail(
                table, f"{key!r} in [{table}] must be a non-empty list of strings", key
            )
        if len(set(value)) != len(value):
            raise self._fail(table, f"{key!r} in [{table}] lists a value twice", key)
        for item in value:
            self._check_name(table, "a value", item)
        return tuple(value)

    def _check_name(self, table: str, what: str, name: str) -> None:
        """Layer, label, attribute, value and relation names: short, and storable anywhere."""
        try:
            check_name(name, what, SCHEMA_NAME_MAX)
        except RuleError as error:
            raise self._fail(table, f"in [{table}]: {error}", name) from None

    # -- the schema
    def read(self, data: dict[str, Any]) -> LabelSchema:
        for key in data:
            if key not in _TOP_KEYS:
                tip = did_you_mean(key, _TOP_KEYS)
                raise self._fail(
                    key, f"unknown table [{key}] (expected {', '.join(_TOP_KEYS)}){tip}"
                )
        head = self._table("schema", data, "schema")
        self._check_keys("schema", head, _SCHEMA_KEYS)
        name = self._string("schema", head, "name")
        if not name:
            raise InputError(Location(self._source, 1), 'the schema needs [schema] name = "..."')
        layers = self._layers(self._table("layers", data, "layers"))
        label_names = [label.name for layer in layers for label in layer.labels]
        attributes = tuple(
            self._attribute(attr_name, spec, label_names)
            for attr_name, spec in self._table("attributes", data, "attributes").items()
        )
        relations = tuple(
            self._relation(rel_name, spec, label_names)
            for rel_name, spec in self._table("relations", data, "relations").items()
        )
        documents = tuple(
            self._document(attr_name, spec)
            for attr_name, spec in self._table("document", data, "document").items()
        )
        try:
            return LabelSchema(
                name=name,
                layers=layers,
                attributes=attributes,
                relation_types=relations,
                description=self._string("schema", head, "description"),
                document_attributes=documents,
            )
        except RuleError as exc:
            raise InputError(Location(self._source), str(exc)) from None

    def _layers(self, layers: dict[str, Any]) -> tuple[Layer, ...]:
        if not layers:
            raise InputError(Location(self._source), "the schema defines no [layers.NAME] table")
        seen_labels: dict[str, str] = {}
        seen_hotkeys: dict[str, str] = {}
        result = []
        for layer_name, spec in layers.items():
            table = f"layers.{layer_name}"
            self._check_name("layers", "a layer", layer_name)
            if not isinstance(spec, dict):
                raise self._fail("layers", f"layer {layer_name!r} must be a table", layer_name)
            self._check_keys(table, spec, _LAYER_KEYS)
            overlap = spec.get("overlap", True)
            if not isinstance(overlap, bool):
                raise self._fail(table, f"'overlap' in [{table}] must be true or false", "overlap")
            style = self._string(table, spec, "style", LayerStyle.BAR.value)
            if style not in {s.value for s in LayerStyle}:
                raise self._fail(
                    table,
                    f"'style' in [{table}] must be 'background' or 'bar', not {style!r}",
                    "style",
                )
            labels = []
            for label_name, label_spec in self._table(table, spec, "labels").items():
                label = self._label(layer_name, label_name, label_spec)
                label_table = f"{table}.labels.{label_name}"
                if label_name in seen_labels:
                    raise self._fail(
                        label_table,
                        f"label {label_name!r} is already in layer {seen_labels[label_name]!r}",
                    )
                seen_labels[label_name] = layer_name
                if label.hotkey:
                    if label.hotkey in seen_hotkeys:
                        raise self._fail(
                            label_table,
                            f"hotkey {label.hotkey!r} of {label_name} is already used by "
                            f"{seen_hotkeys[label.hotkey]}",
                            "hotkey",
                        )
                    seen_hotkeys[label.hotkey] = label_name
                labels.append(label)
            if not labels:
                raise self._fail(table, f"layer {layer_name!r} has no labels")
            result.append(
                Layer(
                    name=layer_name,
                    labels=tuple(labels),
                    allow_overlap=overlap,
                    style=LayerStyle(style),
                    description=self._string(table, spec, "description"),
                    kind=self._kind(table, spec),
                )
            )
        return tuple(result)

    def _kind(self, table: str, spec: dict[str, Any]) -> str:
        kind = self._string(table, spec, "kind")
        if kind not in ("", EVENT_KIND):
            raise self._fail(table, f"'kind' in [{table}] can only be {EVENT_KIND!r}", "kind")
        return kind

    def _label(self, layer: str, name: str, spec: Any) -> Label:
        table = f"layers.{layer}.labels.{name}"
        if not isinstance(spec, dict):
            raise self._fail(f"layers.{layer}", f"label {name!r} must be a table", name)
        if not _NAME.match(name):
            raise self._fail(table, f"label name {name!r} must be letters, digits, '_' or '-'")
        self._check_name(f"layers.{layer}", "a label", name)
        self._check_keys(table, spec, _LABEL_KEYS)
        color = self._string(table, spec, "color")
        if not _COLOR.match(color):
            raise self._fail(
                table, f'color of {name} must look like "#1f77b4", not {color!r}', "color"
            )
        return Label(
            name=name,
            layer=layer,
            color=color.lower(),
            hotkey=self._string(table, spec, "hotkey"),
            description=self._string(table, spec, "description"),
        )

    def _check_label_refs(
        self, table: str, key: str, names: tuple[str, ...], known: list[str]
    ) -> None:
        missing = set(names).difference(known)  # a set: a schema may list thousands
        for name in names:
            if name in missing:
                tip = did_you_mean(name, known)
                raise self._fail(
                    table, f"{key!r} in [{table}] names unknown label {name!r}{tip}", name
                )

    def _attribute(self, name: str, spec: Any, known: list[str]) -> Attribute:
        table = f"attributes.{name}"
        self._check_name("attributes", "an attribute", name)
        if not isinstance(spec, dict):
            raise self._fail("attributes", f"attribute {name!r} must be a table", name)
        self._check_keys(table, spec, _ATTRIBUTE_KEYS)
        labels = self._names(table, spec, "labels")
        self._check_label_refs(table, "labels", labels, known)
        return Attribute(
            name=name,
            labels=labels,
            values=self._names(table, spec, "values"),
            description=self._string(table, spec, "description"),
        )

    def _document(self, name: str, spec: Any) -> DocumentAttribute:
        return read_document_attribute(self, name, spec)

    def _relation(self, name: str, spec: Any, known: list[str]) -> RelationType:
        table = f"relations.{name}"
        self._check_name("relations", "a relation type", name)
        if not isinstance(spec, dict):
            raise self._fail("relations", f"relation {name!r} must be a table", name)
        self._check_keys(table, spec, _RELATION_KEYS)
        heads = self._names(table, spec, "heads")
        tails = self._names(table, spec, "tails")
        self._check_label_refs(table, "heads", heads, known)
        self._check_label_refs(table, "tails", tails, known)
        equivalence = spec.get("equivalence", False)
        if not isinstance(equivalence, bool):
            raise self._fail(table, f"'equivalence' in [{table}] must be true or false")
        limits = self._table(table, spec, "limits")
        for head, mark in limits.items():
            if not isinstance(mark, str) or not _LIMIT.match(mark):
                raise self._fail(
                    table,
                    f'\'limits\' in [{table}] maps head labels to a count: "", "?", "*", '
                    f'"+" or "{{N}}", "{{N-M}}", not {head} = {mark!r}',
                    "limits",
                )
        # A head no longer among the heads (a label renamed or removed) loses its count.
        limits = {head: mark for head, mark in limits.items() if head in heads}
        return RelationType(
            name=name,
            heads=heads,
            tails=tails,
            description=self._string(table, spec, "description"),
            equivalence=equivalence,
            limits=tuple(limits.items()),
        )
