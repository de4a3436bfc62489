"""Reading brat standoff `.ann` files (the format is described in brat.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.domain.offsets import normalize_newlines
from labeler.domain.schema import KB_PREFIX
from labeler.domain.snippets import shown
from labeler.formats.brat_conf import role_name
from labeler.formats.decoding import decode, read_lines
from labeler.formats.records import RawAnnotationSet, RawRelation, RawSpan, ReadOptions, Record

CONTINUES = "continues"
NOTE = "AnnotatorNotes"
BRAT_PATH = "brat_path"  # document metadata: the path below the imported folder, no suffix
_ID = re.compile(r"([TREAMN#]\d+|\*)\Z")


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
    note: str = ""


@dataclass
class _Parsed:
    spans: dict[str, _Text] = field(default_factory=dict)
    relations: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, type, h, t
    relation_ids: dict[str, int] = field(default_factory=dict)  # R id -> index in relations
    relation_attributes: dict[int, dict[str, str]] = field(default_factory=dict)
    relation_notes: dict[int, str] = field(default_factory=dict)
    triggers: dict[str, str] = field(default_factory=dict)  # E id -> trigger T id
    notes: list[tuple[int, str, str]] = field(default_factory=list)  # line, target, text
    norms: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, id, name, value
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
    if ident in parsed.seen and kind != "*":
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
    elif kind == "*":
        if len(args) < 3:
            raise _Bad(number, "an equivalence needs '*<TAB>TYPE T1 T2 ...'")
        parsed.relations.extend((number, args[0], a, b) for a, b in pairwise(args[1:]))
    elif kind == "#":
        if len(args) != 2:
            raise _Bad(number, "a note needs '#1<TAB>AnnotatorNotes TARGET<TAB>text'")
        text = fields[2] if len(fields) > 2 else ""
        # Another kind than AnnotatorNotes (TDT's Lemma) is kept before a tab in the note's line.
        parsed.notes.append((number, args[1], text if args[0] == NOTE else f"{args[0]}\t{text}"))
    else:
        _parse_n(number, args, fields, parsed)


def _parse_n(number: int, args: list[str], fields: list[str], parsed: _Parsed) -> None:
    db, _, kb_id = args[2].partition(":") if len(args) == 3 else ("", "", "")
    if args[:1] != ["Reference"] or not db or not kb_id:
        raise _Bad(number, "a normalisation needs 'N1<TAB>Reference TARGET DB:ID<TAB>name'")
    name = fields[2] if len(fields) > 2 else ""
    parsed.norms.append((number, args[1], KB_PREFIX + db, f"{kb_id} {name}" if name else kb_id))


def _parse_e(number: int, ident: str, args: list[str], parsed: _Parsed) -> None:
    if not args or ":" not in args[0]:
        raise _Bad(number, "an E line needs 'ID<TAB>TYPE:TRIGGER ROLE:ARG ...'")
    trigger = args[0].partition(":")[2]
    if trigger in parsed.triggers.values():
        raise _Bad(number, f"{ident} has the trigger {trigger} of another event; labeler keeps one")
    parsed.triggers[ident] = trigger
    for arg in args[1:]:
        role, _, target = arg.partition(":")
        if not target:
            raise _Bad(number, f"event argument {shown(arg)} is not ROLE:ID")
        parsed.relations.append((number, role_name(role), trigger, target))


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
    for number, target, kb, value in parsed.norms:
        span = parsed.spans.get(parsed.triggers.get(target, target))
        if span is None:
            raise _Bad(number, f"normalisation names {target}, which is not a T or E line")
        if kb in span.attributes:
            raise _Bad(number, f"{target} has a second id of {kb[len(KB_PREFIX) :]}")
        span.attributes[kb] = value
    for number, target, text in parsed.notes:
        target = parsed.triggers.get(target, target)
        if target in parsed.spans:
            span = parsed.spans[target]
            span.note = f"{span.note}\n{text}" if span.note else text
        elif target in parsed.relation_ids:
            index = parsed.relation_ids[target]
            before = parsed.relation_notes.get(index)
            parsed.relation_notes[index] = f"{before}\n{text}" if before else text
        else:
            raise _Bad(number, f"note names {target}, which is not a T, E or R line")


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
                RawSpan(
                    convert(s),
                    convert(e),
                    t.label,
                    dict(t.attributes),
                    None,
                    piece_key,
                    note=t.note,
                )
            )
        relations.extend(RawRelation(CONTINUES, a, b) for a, b in pairwise(keys))
    for index, (_, kind, head, tail) in enumerate(parsed.relations):
        attrs = parsed.relation_attributes.get(index, {})
        head_key, tail_key = parsed.triggers.get(head, head), parsed.triggers.get(tail, tail)
        note = parsed.relation_notes.get(index, "")
        relations.append(RawRelation(kind, head_key, tail_key, attrs, note))
    return RawAnnotationSet(spans=spans, relations=relations)


def read_ann(ann: Path, options: ReadOptions, root: Path | None = None) -> Record:
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
    kept = ann.relative_to(root if root is not None else _corpus_root(ann))
    meta = {"source_file": str(txt), BRAT_PATH: kept.with_suffix("").as_posix()}
    document = Document(text, title=ann.stem, meta=meta)
    return Record(document, Location(source), [raw])


def _corpus_root(ann: Path) -> Path:
    """The folder of the nearest `annotation.conf` above a file, as brat looks for it;
    the file's own folder if there is none."""
    for folder in ann.absolute().parents:
        if (folder / "annotation.conf").is_file():
            return folder
    return ann.absolute().parent


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    files = sorted(path.rglob("*.ann")) if path.is_dir() else [path]
    for ann in files:
        try:
            yield read_ann(ann.absolute(), options, path.absolute() if path.is_dir() else None)
        except InputError as exc:
            yield exc
