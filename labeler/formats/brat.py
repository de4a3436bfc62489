"""brat standoff: a folder of `<stem>.txt` and `<stem>.ann` pairs, plus `annotation.conf`.

Writing: one `.txt` (the text) and one `.ann` per document, under the relative path the
document was imported from (its `brat_path` metadata, sub-folders kept), else under its id.
brat has one annotation file per document, so only the document's FIRST annotation set is
written; its title, date, metadata, annotator and status are not part of the format and are
lost. Spans are `T` lines; a span of an event layer (see brat_conf) is an event's trigger and
gets an `E` line with the relations from it as its roles (`Org-Arg`, `Org-Arg2`, ...; a role
that names another trigger names that event). Other relations are `R` lines, those of an
equivalence type `*` lines (one per group of linked spans). Attributes are `A` lines
(`A1<TAB>name T3 value`; a binary one, whose schema values are only "true", `A1<TAB>name T3`),
attributes `kb:DB` `N` lines (`N1<TAB>Reference T3 DB:ID<TAB>name`), and notes `#` lines
(`#1<TAB>AnnotatorNotes T3<TAB>note`, one per line of the note). A span whose text
holds line breaks is written as fragments split at them (`T1<TAB>CLAIM 0 5;6 12<TAB>...`),
since brat allows no line break in a span's text (a line break at the very start or end of a
span cannot be written and is left out). `annotation.conf` and `visual.conf` are
generated from the schema.

Reading: a `.ann` file with the `.txt` of the same stem beside it (or a folder of them). `T`,
`R`, `A`, `M` (an old name for `A`), `E`, `N`, `#` and `*` lines are read; any other line is an
error. A folder's files keep their path below it in the document's `brat_path` metadata. Offsets
count code points of the `.txt` file; each `T` line's text must equal the text it covers
(fragments joined by a space, a line break read as a space). A binary attribute (`A1<TAB>Negated
T3`) gets the value "true". An event `E1<TAB>Type:T6 Role:T5` becomes relations from its trigger
T6 to each argument, typed by the role (trailing digits dropped, `Theme2` -> `Theme`);
attributes and notes of an event go to its trigger span; two events on one trigger are refused.
`*<TAB>Alias T1 T2 T3` links T1 to T2 and T2 to T3. A normalisation `N1<TAB>Reference T1
DB:ID<TAB>name` becomes the span's attribute `kb:DB` = "ID name"; a note `#1<TAB>AnnotatorNotes
T1<TAB>text` the note of the span or relation (notes on one target are joined by line breaks).

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

from collections.abc import Iterable, Iterator
from pathlib import Path

from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.attribution_links import sid
from labeler.domain.schema import EVENT_KIND, KB_PREFIX, LabelSchema
from labeler.formats.brat_conf import BINARY
from labeler.formats.brat_read import BRAT_PATH, CONTINUES, NOTE, read
from labeler.formats.naming import document_stem
from labeler.formats.records import ExportItem, WriteReport, first_set
from labeler.formats.registry import Format, register

__all__ = ["BRAT_PATH", "CONTINUES", "ann_text", "annotation_conf", "fragments", "visual_conf"]


# ---------------------------------------------------------------- writing


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) split at line breaks into non-empty pieces (brat's rule for T lines)."""
    pieces: list[tuple[int, int]] = []
    begin = start
    while (i := text.find("\n", begin, end)) >= 0:
        if i > begin:
            pieces.append((begin, i))
        begin = i + 1
    if end > begin:
        pieces.append((begin, end))
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
    return "".join(_AnnWriter(s, text).lines())


class _AnnWriter:
    def __init__(self, s: AnnotationSet, text: str) -> None:
        self.s, self.text = s, text
        schema = s.schema
        events = {layer.name for layer in schema.layers if layer.kind == EVENT_KIND}
        equivalences = {r.name for r in schema.relation_types if r.equivalence}
        self.binary = {a.name for a in schema.attributes if a.values == (BINARY,)}
        self.ref: dict[int, str] = {}
        self.spans = s.sorted_spans()
        self.triggers = [span for span in self.spans if span.layer in events]
        for n, span in enumerate(self.spans, 1):
            self.ref[sid(span)] = f"T{n}"
        self.tref = dict(self.ref)
        for n, span in enumerate(self.triggers, 1):
            self.ref[sid(span)] = f"E{n}"
        self.roles: dict[int, list[tuple[str, int]]] = {sid(t): [] for t in self.triggers}
        self.plain = []
        self.equal: dict[str, list[tuple[int, int]]] = {}
        for rid in sorted(s.relations):  # stored order: the order of an event's arguments
            r = s.relations[rid]
            if r.head in self.roles:
                self.roles[r.head].append((r.type, r.tail))
            elif r.type in equivalences:
                self.equal.setdefault(r.type, []).append((r.head, r.tail))
            else:
                self.plain.append(r)
        self.plain.sort(key=lambda r: (self.tref[r.head], self.tref[r.tail], r.type))

    def lines(self) -> Iterator[str]:
        text, ref, tref = self.text, self.ref, self.tref
        targets: list[tuple[str, dict[str, str], str]] = []
        for span in self.spans:
            yield _t_line(int(tref[sid(span)][1:]), span, text)
            targets.append((ref[sid(span)], span.attributes, span.note))
        for trigger in self.triggers:
            seen: dict[str, int] = {}
            args = []
            for role, tail in self.roles[sid(trigger)]:
                seen[role] = seen.get(role, 0) + 1
                args.append(f" {role}{seen[role] if seen[role] > 1 else ''}:{ref[tail]}")
            yield f"{ref[sid(trigger)]}\t{trigger.label}:{tref[sid(trigger)]}{''.join(args)}\n"
        for n, r in enumerate(self.plain, 1):
            yield f"R{n}\t{r.type} Arg1:{tref[r.head]} Arg2:{tref[r.tail]}\n"
            targets.append((f"R{n}", r.attributes, r.note))
        for kind, links in self.equal.items():
            for group in _groups(links):
                members = sorted(group, key=lambda i: int(tref[i][1:]))
                yield f"*\t{kind} {' '.join(tref[i] for i in members)}\n"
        counts = {"A": 0, "N": 0, "#": 0}
        for target, values, note in targets:
            for name in sorted(values):
                value = values[name]
                if name.startswith(KB_PREFIX):
                    counts["N"] += 1
                    kb_id, _, label = value.partition(" ")
                    db = name[len(KB_PREFIX) :]
                    yield f"N{counts['N']}\tReference {target} {db}:{kb_id}\t{label}\n"
                    continue
                counts["A"] += 1
                shown = "" if value == BINARY and name in self.binary else f" {value}"
                yield f"A{counts['A']}\t{name} {target}{shown}\n"
            for line in note.split("\n") if note else ():
                counts["#"] += 1
                kind, _, text = line.rpartition("\t") if "\t" in line else (NOTE, "", line)
                yield f"#{counts['#']}\t{kind} {target}\t{text}\n"


def _groups(links: list[tuple[int, int]]) -> list[set[int]]:
    """The spans that equivalence links join, group by group, in the order first met."""
    group_of: dict[int, set[int]] = {}
    groups: list[set[int]] = []
    for a, b in links:
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is None and gb is None:
            ga = {a, b}
            groups.append(ga)
        elif ga is None or gb is None:
            ga = ga if ga is not None else gb
            assert ga is not None
            ga.update((a, b))
        elif ga is not gb:
            ga.update(gb)
            groups.remove(gb)
        for i in ga:
            group_of[i] = ga
    return groups


def annotation_conf(schema: LabelSchema) -> str:
    """brat's annotation.conf for a schema: entities, relations, events, attributes."""
    events = [
        label for layer in schema.layers if layer.kind == EVENT_KIND for label in layer.labels
    ]
    event_names = {label.name for label in events}
    out = [f"# generated by labeler from schema {schema.name!r}\n", "[entities]\n"]
    for layer in schema.layers:
        if layer.kind != EVENT_KIND:
            out.append(f"# layer {layer.name}\n")
            out.extend(f"{label.name}\n" for label in layer.labels)
    out.append("\n[relations]\n")
    roles = [r for r in schema.relation_types if r.heads and set(r.heads) <= event_names]
    for rel in schema.relation_types:
        if rel not in roles:
            same = ", <REL-TYPE>:symmetric-transitive" if rel.equivalence else ""
            out.append(
                f"{rel.name}\tArg1:{'|'.join(rel.heads)}, Arg2:{'|'.join(rel.tails)}{same}\n"
            )
    # Spans of different layers overlap freely; the editor enforces the within-layer rule.
    out.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n")
    out.append("\n[events]\n")
    for event in events:
        # The role's count for this event type as read from a conf; any number ("*") else.
        args = [
            f"{r.name}{dict(r.limits).get(event.name, '*')}:{'|'.join(r.tails)}"
            for r in roles
            if event.name in r.heads
        ]
        out.append(f"{event.name}\t{', '.join(args)}\n" if args else f"{event.name}\n")
    out.append("\n[attributes]\n")
    for attr in schema.attributes:
        values = "" if attr.values == (BINARY,) else f", Value:{'|'.join(attr.values)}"
        out.append(f"{attr.name}\tArg:{'|'.join(attr.labels)}{values}\n")
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
    made = {path}  # folders made for the files

    def named() -> Iterator[tuple[ExportItem, str]]:
        for count, item in enumerate(items, 1):
            doc = item.document
            stem = _kept_path(doc.meta.get(BRAT_PATH), used) or document_stem(doc, count, used)
            if "/" in stem and (path / stem).parent not in made:
                (path / stem).parent.mkdir(parents=True, exist_ok=True)
                made.add((path / stem).parent)
            yield item, stem

    # One process: the writing is quick beside reading the documents and creating the files,
    # and worker processes made a 5,000-document export slower (5.0 s against 1.9 s).
    for count, (item, stem) in enumerate(named(), 1):
        text = item.document.text
        (path / f"{stem}.txt").write_bytes(text.encode())
        (path / f"{stem}.ann").write_bytes(ann_text(first_set(item, report), text).encode())
        report.documents = count
        report.note("titles, dates and metadata not carried (brat has no place for them)")
    return report


def _kept_path(kept: object, used: set[str]) -> str | None:
    """The relative path a document was imported from, if it is one to write under again."""
    if not isinstance(kept, str) or not kept or kept in used:
        return None
    parts = kept.split("/")
    if kept.startswith("/") or any(p in ("", ".", "..") or "\\" in p for p in parts):
        return None
    used.add(kept)
    return kept


register(
    Format(
        name="brat",
        description="brat standoff: .txt and .ann per document, with annotation.conf",
        extensions=(".ann",),
        read=read,
        write=write,
        folder=True,
        companions=(".txt",),
        notes=True,
    )
)
