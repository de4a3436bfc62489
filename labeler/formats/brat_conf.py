"""A label schema made from brat's `annotation.conf` (and written back as one).

`[entities]` (or the older `[spans]`) become the labels of an `entity` layer, `[events]` the
labels of an `event` layer (kind "event": its spans are triggers), each event role a relation
type from the event types that have it to the types it takes, `[relations]` relation types
(`<REL-TYPE>:symmetric-transitive` marks an equivalence, written as `*` lines), and
`[attributes]` attributes: one without `Value:` is binary and takes the value "true".
Macros (`<POG>=Person|Organization`) are expanded; `<ENTITY>`, `<EVENT>` and `<ANY>` stand for
every entity type, every event type, or both. Types marked `!` only group others and are left
out. An event role keeps its count marks (`Theme+`, `Agent?`, `Org-Arg{2}`) per event type,
as the relation type's `limits`, and annotation.conf is written with them. Spans overlap
freely: brat's own overlap rules are not enforced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from labeler.domain.errors import InputError, Location
from labeler.domain.schema import (
    EVENT_KIND,
    Attribute,
    Label,
    LabelSchema,
    Layer,
    RelationType,
)

BINARY = "true"
ENTITY_LAYER = "entity"
EVENT_LAYER = "event"
_SECTIONS = {"entities": "entities", "spans": "entities", "relations": "relations"}
_SECTIONS |= {"events": "events", "attributes": "attributes"}
_MACRO = re.compile(r"^(<[^>]+>)\s*=\s*(.+)$")
_ROLE_MARKS = re.compile(r"(\{[\d,-]+\}|[?*+])$")
_PALETTE = (
    "#8dd3c7",
    "#ffffb3",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#d9d9d9",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
)


@dataclass
class _Conf:
    entities: list[str] = field(default_factory=list)
    events: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    relations: dict[str, tuple[list[str], list[str], bool]] = field(default_factory=dict)
    attributes: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)


def _fields(rest: str) -> list[tuple[str, str]]:
    pairs = []
    for part in rest.split(","):
        key, sep, value = part.strip().partition(":")
        if sep:
            pairs.append((key.strip(), value.strip()))
    return pairs


def _parse(text: str, source: str) -> _Conf:
    conf = _Conf()
    section = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = _SECTIONS.get(line[1:-1].strip().lower(), "")
            if not section:
                raise InputError(Location(source, number), f"unknown section {line}")
            continue
        macro = _MACRO.match(line)
        if macro:
            conf.macros[macro.group(1)] = macro.group(2).strip()
            continue
        name, _, rest = line.replace("\t", " ").partition(" ")
        if name.startswith("!") or name.startswith("<"):
            continue  # a grouping type, or <OVERLAP> and other brat rules
        if section == "entities":
            conf.entities.append(name)
        elif section == "events":
            conf.events[name] = [(k, v.split("|")) for k, v in _fields(rest)]
        elif section == "relations":
            pairs = _fields(rest)
            args = [v.split("|") for k, v in pairs if not k.startswith("<")]
            symmetric = any(k == "<REL-TYPE>" and "symmetric" in v for k, v in pairs)
            if len(args) != 2:
                raise InputError(
                    Location(source, number), f"relation {name} needs Arg1:TYPES, Arg2:TYPES"
                )
            previous = conf.relations.get(name)
            heads, tails = (previous[0], previous[1]) if previous else ([], [])
            conf.relations[name] = (heads + args[0], tails + args[1], symmetric)
        elif section == "attributes":
            values = dict(_fields(rest))
            targets = values.get("Arg", "<ANY>").split("|")
            conf.attributes[name] = (targets, values.get("Value", BINARY).split("|"))
        else:
            raise InputError(Location(source, number), "a type outside any [section]")
    return conf


def _expand(names: list[str], conf: _Conf) -> list[str]:
    out: list[str] = []
    for name in names:
        name = name.strip()
        if name in conf.macros:
            out.extend(_expand(conf.macros[name].split("|"), conf))
        elif name == "<ENTITY>":
            out.extend(conf.entities)
        elif name == "<EVENT>":
            out.extend(conf.events)
        elif name == "<ANY>":
            out.extend(conf.entities + list(conf.events))
        elif name in conf.entities or name in conf.events:
            out.append(name)
    return list(dict.fromkeys(out))


def role_name(role: str) -> str:
    """An event role without brat's repeat marks and trailing number: `Org-Arg2+` -> `Org-Arg`."""
    return _ROLE_MARKS.sub("", role).rstrip("0123456789") or role


def schema_from_conf(text: str, name: str, source: str = "annotation.conf") -> LabelSchema:
    """The label schema an `annotation.conf` describes (see the module's docstring)."""
    conf = _parse(text, source)
    colours = iter(_PALETTE * (1 + (len(conf.entities) + len(conf.events)) // len(_PALETTE)))
    layers = []
    if conf.entities:
        labels = tuple(Label(n, ENTITY_LAYER, next(colours)) for n in conf.entities)
        layers.append(Layer(ENTITY_LAYER, labels))
    if conf.events:
        labels = tuple(Label(n, EVENT_LAYER, next(colours)) for n in conf.events)
        layers.append(Layer(EVENT_LAYER, labels, kind=EVENT_KIND))
    if not layers:
        raise InputError(Location(source), "defines no entity or event types")
    relations: dict[str, RelationType] = {}
    for rel, (heads, tails, symmetric) in conf.relations.items():
        relations[rel] = RelationType(
            rel, tuple(_expand(heads, conf)), tuple(_expand(tails, conf)), equivalence=symmetric
        )
    roles: dict[str, tuple[list[str], list[str]]] = {}
    limits: dict[str, dict[str, str]] = {}
    for event, args in conf.events.items():
        for role, types in args:
            heads, tails = roles.setdefault(role_name(role), ([], []))
            heads.append(event)
            tails.extend(_expand(types, conf))
            mark = _ROLE_MARKS.search(role)
            limits.setdefault(role_name(role), {}).setdefault(event, mark.group(1) if mark else "")
    for role, (heads, tails) in roles.items():
        if role in relations:
            raise InputError(Location(source), f"{role} is both a relation and an event role")
        relations[role] = RelationType(
            role,
            tuple(dict.fromkeys(heads)),
            tuple(dict.fromkeys(tails)),
            limits=tuple(limits[role].items()),
        )
    attributes = tuple(
        Attribute(attr, tuple(_expand(targets, conf)), tuple(values))
        for attr, (targets, values) in conf.attributes.items()
    )
    return LabelSchema(name, tuple(layers), attributes, tuple(relations.values()))


def read_conf(path: Path, name: str) -> LabelSchema:
    """The schema of an `annotation.conf` file (or of the one in a folder)."""
    if path.is_dir():
        path = path / "annotation.conf"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(Location(str(path)), f"cannot read it ({exc.strerror})") from None
    return schema_from_conf(text, name, str(path))
