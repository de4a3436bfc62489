"""brat standoff: a folder of `<stem>.txt` and `<stem>.ann` pairs, plus `annotation.conf`.

Writing: one `.txt` (the text) and one `.ann` per document. brat has one annotation file per
document, so only the document's FIRST annotation set is written; its title, date, metadata,
annotator and status are not part of the format and are lost. Spans are `T` lines, relations
`R` lines and span attributes `A` lines (`A1<TAB>name T3 value`); relation attributes, which
the schema does not define today, would go on `A` lines naming the `R` id. A span whose text
holds line breaks is written as fragments split at them (`T1<TAB>CLAIM 0 5;6 12<TAB>...`),
since brat allows no line break in a span's text (a line break at the very start or end of a
span cannot be written and is left out). `annotation.conf` and `visual.conf` are
generated from the schema.

Reading: a `.ann` file with the `.txt` of the same stem beside it (or a folder of them).
`T`, `R`, `A`, `M` (an old name for `A`) and `E` lines are read; `#` notes and `N`
normalisations are ignored; any other line is an error. Offsets count code points of the
`.txt` file; each `T` line's text must equal the text it covers (fragments joined by a space,
a line break read as a space). A binary attribute (`A1<TAB>Negated T3`) gets the value
"true". An event `E1<TAB>Type:T6 Role:T5` becomes relations from its trigger T6 to each
argument, typed by the role (trailing digits dropped, `Theme2` -> `Theme`); attributes of an
event go to its trigger span.

Discontinuous spans: when only whitespace lies between the fragments (as this writer makes
them), they become one span from the first start to the last end, and nothing is lost.
Otherwise each fragment becomes a span of its own, the pieces linked in order by `continues`
relations (the news schema's relation for a content split by its cue); relations and
attributes of the `T` line go to the first piece. If the project's schema has no such
relation for that label, the import reports the document rather than silently widening the
span. `ReadOptions.extra["brat_discontinuous"] = "cover"` imports such spans as one covering
span instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.attribution_links import sid
from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.domain.offsets import normalize_newlines
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shown
from labeler.formats.decoding import decode, read_lines
from labeler.formats.naming import document_stem
from labeler.formats.records import (
    ExportItem,
    RawAnnotationSet,
    RawRelation,
    RawSpan,
    ReadOptions,
    Record,
    WriteReport,
    first_set,
)
from labeler.formats.registry import Format, register

CONTINUES = "continues"
_ID = re.compile(r"[TREAMN#]\d+\Z")


# ---------------------------------------------------------------- writing


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) split at line breaks into non-empty pieces (brat's rule for T lines)."""
    pieces: list[tuple[int, int]] = []
    begin = start
    for i in range(start, end + 1):
        if i == end or text[i] == "\n":
            if i > begin:
                pieces.append((begin, i))
            begin = i + 1
    return pieces or [(start, end)]  # a span of line breaks only: kept whole


def _t_line(number: int, span: Span, text: str) -> str:
    pieces = fragments(text, span.start, span.end)
    offsets = ";".join(f"{s} {e}" for s, e in pieces)
    covered = " ".join(text[s:e] for s, e in pieces).replace("\n", " ")
    return f"T{number}\t{span.label} {offsets}\t{covered}\n"


def ann_text(s: AnnotationSet | None, text: str) -> str:
    """The `.ann` content for one annotation set of a document of `text`."""
    if s is None:
        return ""
    lines: list[str] = []
    attributes: list[tuple[str, dict[str, str]]] = []
    number: dict[int, int] = {}
    for n, span in enumerate(s.sorted_spans(), 1):
        number[sid(span)] = n
        lines.append(_t_line(n, span, text))
        attributes.append((f"T{n}", span.attributes))
    relations = sorted(s.relations.values(), key=lambda r: (number[r.head], number[r.tail], r.type))
    for n, r in enumerate(relations, 1):
        lines.append(f"R{n}\t{r.type} Arg1:T{number[r.head]} Arg2:T{number[r.tail]}\n")
        attributes.append((f"R{n}", r.attributes))
    count = 0
    for target, values in attributes:
        for name in sorted(values):
            count += 1
            lines.append(f"A{count}\t{name} {target} {values[name]}\n")
    return "".join(lines)


def annotation_conf(schema: LabelSchema) -> str:
    """brat's annotation.conf for a schema: entities, relations, (no) events, attributes."""
    out = [f"# generated by labeler from schema {schema.name!r}\n", "[entities]\n"]
    for layer in schema.layers:
        out.append(f"# layer {layer.name}\n")
        out.extend(f"{label.name}\n" for label in layer.labels)
    out.append("\n[relations]\n")
    for rel in schema.relation_types:
        out.append(f"{rel.name}\tArg1:{'|'.join(rel.heads)}, Arg2:{'|'.join(rel.tails)}\n")
    # Spans of different layers overlap freely; the editor enforces the within-layer rule.
    out.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n")
    out.append("\n[events]\n\n[attributes]\n")
    for attr in schema.attributes:
        out.append(f"{attr.name}\tArg:{'|'.join(attr.labels)}, Value:{'|'.join(attr.values)}\n")
    return "".join(out)


def visual_conf(schema: LabelSchema) -> str:
    """brat's visual.conf: each label drawn in its schema colour."""
    out = ["[labels]\n"]
    out.extend(f"{label.name} | {label.name}\n" for label in schema.labels())
    out.append("\n[drawing]\n")
    out.append("SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n")
    out.append("ARC_DEFAULT\tcolor:black, arrowHead:triangle-5\n")
    out.extend(f"{label.name}\tbgColor:{label.color}\n" for label in schema.labels())
    return "".join(out)


def write(path: Path, items: Iterable[ExportItem], schema: LabelSchema) -> WriteReport:
    path.mkdir(parents=True, exist_ok=True)
    (path / "annotation.conf").write_text(annotation_conf(schema), "utf-8", newline="\n")
    (path / "visual.conf").write_text(visual_conf(schema), "utf-8", newline="\n")
    used: set[str] = set()
    report = WriteReport()
    for count, item in enumerate(items, 1):
        doc = item.document
        stem = document_stem(doc, count, used)
        (path / f"{stem}.txt").write_text(doc.text, "utf-8", newline="\n")
        first = first_set(item, report)
        (path / f"{stem}.ann").write_text(ann_text(first, doc.text), "utf-8", newline="\n")
        report.documents = count
        report.note("titles, dates and metadata not carried (brat has no place for them)")
    return report


# ---------------------------------------------------------------- reading


class _Bad(Exception):
    """A problem with one line of a .ann file."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line


@dataclass
class _Text:
    line: int
    label: str
    pieces: list[tuple[int, int]]
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class _Parsed:
    spans: dict[str, _Text] = field(default_factory=dict)
    relations: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, type, h, t
    relation_ids: dict[str, int] = field(default_factory=dict)  # R id -> index in relations
    relation_attributes: dict[int, dict[str, str]] = field(default_factory=dict)
    triggers: dict[str, str] = field(default_factory=dict)  # E id -> trigger T id
    attributes: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, n, id, v
    seen: set[str] = field(default_factory=set)


def _parse_t(number: int, fields: list[str], original: str) -> tuple[str, _Text]:
    if len(fields) < 2:
        raise _Bad(number, "a T line needs 'ID<TAB>LABEL START END<TAB>text'")
    label, _, offsets = fields[1].partition(" ")
    pieces: list[tuple[int, int]] = []
    for piece in offsets.split(";"):
        parts = piece.split()
        # ASCII digits only (isdigit() takes "²"), and no more than an offset can need
        if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) < 19 for p in parts):
            raise _Bad(
                number, f"bad offsets {shown(offsets)}; expected 'START END' or 'S1 E1;S2 E2'"
            )
        start, end = int(parts[0]), int(parts[1])
        if not 0 <= start < end <= len(original):
            raise _Bad(
                number,
                f"{label} [{start}, {end}) lies outside the text (length {len(original)}) "
                "or is empty",
            )
        pieces.append((start, end))
    pieces.sort()
    for (_, end), (start, _) in pairwise(pieces):
        if start < end:
            raise _Bad(number, f"fragments of {fields[0]} overlap ({offsets})")
    if len(fields) > 2:
        covered = " ".join(original[s:e] for s, e in pieces).replace("\n", " ")
        if fields[2] != covered:
            raise _Bad(
                number,
                f"{fields[0]} says its text is {shown(fields[2])} "
                f"but the text there is {shown(covered)}",
            )
    return fields[0], _Text(number, label, pieces)


def _parse_line(number: int, line: str, original: str, parsed: _Parsed) -> None:
    fields = line.split("\t", 2)
    ident = fields[0]
    if not _ID.match(ident):
        raise _Bad(number, f"unknown line {line[:40]!r}; expected T, R, A, M, E, N or # lines")
    kind = ident[0]
    if kind in ("#", "N"):
        return  # notes and normalisations: labeler has no place for them
    if ident in parsed.seen:
        raise _Bad(number, f"id {ident} is used twice")
    parsed.seen.add(ident)
    args = fields[1].split() if len(fields) > 1 else []
    if kind == "T":
        key, span = _parse_t(number, fields, original)
        parsed.spans[key] = span
    elif kind == "R":
        roles = [a.partition(":")[2] for a in args[1:]]
        if len(roles) != 2 or not all(roles):
            raise _Bad(number, "an R line needs 'ID<TAB>TYPE Arg1:T1 Arg2:T2'")
        parsed.relation_ids[ident] = len(parsed.relations)
        parsed.relations.append((number, args[0], roles[0], roles[1]))
    elif kind in "AM":
        if len(args) < 2:
            raise _Bad(number, "an A line needs 'ID<TAB>NAME TARGET' or 'ID<TAB>NAME TARGET VALUE'")
        value = " ".join(args[2:]) or "true"
        parsed.attributes.append((number, args[0], args[1], value))
    elif kind == "E":
        _parse_e(number, ident, args, parsed)


def _parse_e(number: int, ident: str, args: list[str], parsed: _Parsed) -> None:
    if not args or ":" not in args[0]:
        raise _Bad(number, "an E line needs 'ID<TAB>TYPE:TRIGGER ROLE:ARG ...'")
    trigger = args[0].partition(":")[2]
    parsed.triggers[ident] = trigger
    for arg in args[1:]:
        role, _, target = arg.partition(":")
        if not target:
            raise _Bad(number, f"event argument {shown(arg)} is not ROLE:ID")
        parsed.relations.append((number, role.rstrip("0123456789") or role, trigger, target))


def _resolve(parsed: _Parsed) -> None:
    """Checks that every reference names a span; moves attributes onto their targets."""
    for number, _, head, tail in parsed.relations:
        for ref in (head, tail):
            if parsed.triggers.get(ref, ref) not in parsed.spans:
                raise _Bad(number, f"{ref} is not the id of a T line")
    for number, name, target, value in parsed.attributes:
        target = parsed.triggers.get(target, target)
        if target in parsed.spans:
            parsed.spans[target].attributes[name] = value
        elif target in parsed.relation_ids:
            index = parsed.relation_ids[target]
            parsed.relation_attributes.setdefault(index, {})[name] = value
        else:
            raise _Bad(
                number, f"attribute {shown(name)} names {target}, which is not a T or R line"
            )


def _raw_set(
    parsed: _Parsed, original: str, convert: Callable[[int], int], cover: bool
) -> RawAnnotationSet:
    spans: list[RawSpan] = []
    relations: list[RawRelation] = []
    for key, t in parsed.spans.items():
        gaps = (original[e:s] for (_, e), (s, _) in pairwise(t.pieces))
        if cover or all(not gap.strip() for gap in gaps):
            pieces = [(t.pieces[0][0], t.pieces[-1][1])]
        else:
            pieces = t.pieces
        keys = [key] + [f"{key}#{n}" for n in range(2, len(pieces) + 1)]
        for piece_key, (s, e) in zip(keys, pieces, strict=True):
            spans.append(
                RawSpan(convert(s), convert(e), t.label, dict(t.attributes), None, piece_key)
            )
        relations.extend(RawRelation(CONTINUES, a, b) for a, b in pairwise(keys))
    for index, (_, kind, head, tail) in enumerate(parsed.relations):
        attrs = parsed.relation_attributes.get(index, {})
        head_key, tail_key = parsed.triggers.get(head, head), parsed.triggers.get(tail, tail)
        relations.append(RawRelation(kind, head_key, tail_key, attrs))
    return RawAnnotationSet(spans=spans, relations=relations)


def read_ann(ann: Path, options: ReadOptions) -> Record:
    """The document of one .ann file and the .txt beside it; InputError names the line."""
    source = str(ann)
    txt = ann.with_suffix(".txt")
    try:
        data = txt.read_bytes()
    except OSError as exc:
        raise InputError(
            Location(source), f"cannot read its text file {txt.name} ({exc.strerror})"
        ) from None
    original = decode(data, str(txt))
    if not original.strip():
        raise InputError(Location(str(txt)), "the text file is empty")
    text, remap = normalize_newlines(original)
    parsed = _Parsed()
    try:
        for item in read_lines(ann):
            if isinstance(item, InputError):
                raise item
            number, line = item
            if line.strip():
                _parse_line(number, line, original, parsed)
        _resolve(parsed)
    except _Bad as exc:
        raise InputError(Location(source, exc.line), str(exc)) from None
    cover = options.extra.get("brat_discontinuous", "split") == "cover"
    raw = _raw_set(parsed, original, remap, cover)
    document = Document(text, title=ann.stem, meta={"source_file": str(txt)})
    return Record(document, Location(source), [raw])


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    files = sorted(path.rglob("*.ann")) if path.is_dir() else [path]
    for ann in files:
        try:
            yield read_ann(ann, options)
        except InputError as exc:
            yield exc


register(
    Format(
        name="brat",
        description="brat standoff: .txt and .ann per document, with annotation.conf",
        extensions=(".ann",),
        read=read,
        write=write,
        folder=True,
        companions=(".txt",),
    )
)
