"""CoNLL-2003 style files: one token a line with its IOB tag, for token classification.

Writing: each document starts with a `-DOCSTART- -X- O O` line and a blank line (the exact
header `spacy convert --converter ner` splits on); then one `token TAG` line a token (IOB2
tags), and a blank line after each sentence. Tokens come from a blank spaCy pipeline of the
document's `meta["lang"]`, sentences from the rule of spaCy's sentencizer (see `token_arrays`);
white-space tokens are left out, and a sentence never ends inside an entity. The format holds
one layer without overlap and no relations: the entity layer by default (`write_conll(...,
layer=...)` for another). Spans off token boundaries are grown to whole tokens; what cannot be
held (spans that then overlap or cover no token, other layers, relations, annotation sets after
the first) is counted in the returned `WriteReport`; the export service shows them.

Reading: two-column (`token TAG`) or four-column (`token POS chunk TAG`) files, the tag being
the last column, in IOB2 or IOB1. Sentences are joined with "\\n", their tokens with one space,
so the original spacing is not restored. `-DOCSTART-` lines split documents; a malformed line
skips its document and is reported with its line number. Tags are read into the entity layer: a
label of another layer (`B-CLAIM`) is refused.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shown
from labeler.formats.decoding import read_lines
from labeler.formats.parallel import per_document
from labeler.formats.records import (
    ExportItem,
    RawAnnotationSet,
    RawSpan,
    ReadOptions,
    Record,
    WriteReport,
    first_set,
)
from labeler.formats.registry import Format, register
from labeler.formats.spacy_docbin import ENTITY_LAYER, document_lang
from labeler.formats.token_arrays import TokenArrays, Tokens, tokenise, without_overlap

DOCSTART = "-DOCSTART-"
_HEADER = f"{DOCSTART} -X- O O"
_TAG = re.compile(r"O|[BI]-\S+")

# ---------------------------------------------------------------- writing


class _Document(NamedTuple):
    """What a document's lines are made of: little to send to a worker process."""

    text: str
    lang: str
    spans: list[tuple[int, int, str]]  # the layer's spans: start, end, label, in order


def _document(item: ExportItem, layer: str, report: WriteReport) -> _Document:
    """The item's text and the spans of its first set in the layer (the rest is counted)."""
    chosen = first_set(item, report)
    spans: list[tuple[int, int, str]] = []
    if chosen is not None:
        report.note("relations not exported", len(chosen.relations))
        spans = [(s.start, s.end, s.label) for s in chosen.sorted_spans() if s.layer == layer]
        others = len(chosen.spans) - len(spans)
        report.note(f"spans of layers other than {layer!r} not exported", others)
    return _Document(item.document.text, document_lang(item.document), spans)


def _tags(
    document: _Document, arrays: TokenArrays, layer: str, report: WriteReport
) -> dict[int, str]:
    """The IOB2 tag of each token in an entity of the layer (the others are "O")."""
    found = []
    missing = moved = 0
    for start, end, label in document.spans:
        tokens = arrays.token_range(start, end)
        if tokens is None:
            missing += 1
        else:
            moved += tokens[2]
            found.append(Tokens(tokens[0], tokens[1], label))
    report.note(f"{layer} spans covering no token, left out", missing)
    report.note(f"{layer} spans moved to token boundaries", moved)
    reason = f"{layer} spans overlapping another (once on token boundaries), left out"
    tags: dict[int, str] = {}
    for entity in without_overlap(found, report, reason):
        tags[entity.start] = f"B-{entity.label}"
        tags.update(dict.fromkeys(range(entity.start + 1, entity.end), f"I-{entity.label}"))
    return tags


def _lines(arrays: TokenArrays, tags: dict[int, str]) -> list[str]:
    """The document's `token TAG` lines, a blank line after each sentence; white-space tokens
    are left out, and a sentence break inside an entity is ignored, so the entity stays whole.

    Most tokens are tagged "O" and continue their sentence: the lines are joined a run of those
    at a time, since a string made per token cost more than tokenising did."""
    words = arrays.texts()
    spaces = arrays.space_tokens()
    left_out = set(spaces)
    if spaces:
        words = [w for i, w in enumerate(words) if i not in left_out]

    def position(i: int) -> int:  # token i's line, or the next line when it is left out
        return i - bisect_left(spaces, i) if spaces else i

    marked = {position(i): tag for i, tag in tags.items() if i not in left_out}
    breaks = {position(i) for i in arrays.sentences if not tags.get(i, "O").startswith("I-")}
    breaks = {p for p in breaks if 0 < p < len(words)}
    lines: list[str] = []
    done = 0
    for p in sorted(marked.keys() | breaks):
        if p > done:
            lines += (" O\n".join(words[done:p]), " O\n")
        if p in breaks:
            lines.append("\n")
        lines += (words[p], " ", marked.get(p, "O"), "\n")
        done = p + 1
    if done < len(words):
        lines += (" O\n".join(words[done:]), " O\n")
    if words:
        lines.append("\n")
    return lines


def write_conll(
    path: Path,
    items: Iterable[ExportItem],
    schema: LabelSchema,
    *,
    layer: str = ENTITY_LAYER,
    report: WriteReport | None = None,
) -> WriteReport:
    """Writes one layer of items as CoNLL/IOB2."""
    schema.layer(layer)  # raises, naming the layer, if the schema has none of that name
    report = report if report is not None else WriteReport()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        documents = (_document(item, layer, report) for item in items)
        work = functools.partial(_block, layer=layer)
        for block in per_document(work, documents, report, tokenised=True, small_jobs=True):
            out.write(block)
            report.documents += 1
    return report


def _block(document: _Document, report: WriteReport, layer: str) -> str:
    """One document's lines: the header, then each sentence and an empty line."""
    arrays = tokenise(document.text, document.lang, sentences=True)
    return "".join([f"{_HEADER}\n\n", *_lines(arrays, _tags(document, arrays, layer, report))])


def write(path: Path, items: Iterable[ExportItem], schema: LabelSchema) -> WriteReport:
    return write_conll(path, items, schema)


# ---------------------------------------------------------------- reading


LAYER = ENTITY_LAYER
"""The layer a CoNLL file's tags are read into: labels of other layers are refused."""


@dataclass
class _Pending:
    """A document being read: its sentences of (token, tag), or the first error in it."""

    line: int
    sentences: list[list[tuple[str, str]]] = field(default_factory=lambda: [[]])
    error: InputError | None = None

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    def record(self, source: str) -> Record | InputError | None:
        if self.error is not None:
            return self.error
        sentences = [s for s in self.sentences if s]
        if not sentences:
            return None
        text, spans = _rebuild(sentences)
        return Record(Document(text), Location(source, self.line), [RawAnnotationSet(spans=spans)])


def _rebuild(sentences: list[list[tuple[str, str]]]) -> tuple[str, list[RawSpan]]:
    """The text (tokens joined by spaces, sentences by newlines) and the spans the tags mark.

    IOB1 and IOB2 read alike: I-X continues an X entity, or starts one after anything else.
    """
    pieces: list[str] = []
    spans: list[RawSpan] = []
    position = 0
    for sentence in sentences:
        if pieces:
            pieces.append("\n")
            position += 1
        entity: tuple[str, int] | None = None  # (label, start) of the entity being read
        end = position
        for n, (token, tag) in enumerate(sentence):
            if n:
                pieces.append(" ")
                position += 1
            kind, _, label = tag.partition("-")
            if entity is not None and (kind != "I" or label != entity[0]):
                spans.append(RawSpan(entity[1], end, entity[0], key=len(spans) + 1, layer=LAYER))
                entity = None
            if entity is None and kind in ("B", "I"):
                entity = (label, position)
            pieces.append(token)
            position += len(token)
            end = position
        if entity is not None:
            spans.append(RawSpan(entity[1], end, entity[0], key=len(spans) + 1, layer=LAYER))
    return "".join(pieces), spans


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    del options  # the tag is always the last column
    source = str(path)
    pending: _Pending | None = None
    found = False
    for item in read_lines(path):
        if isinstance(item, InputError):
            if item.location.line is None:
                yield item  # the whole file is unreadable
                return
            pending = pending or _Pending(item.location.line)
            pending.error = pending.error or item
            continue
        number, line = item
        fields = line.split()
        if not fields:
            if pending is not None:
                pending.end_sentence()
            continue
        if fields[0] == DOCSTART:
            if pending is not None and (result := pending.record(source)) is not None:
                found = True
                yield result
            pending = _Pending(number)
            continue
        pending = pending or _Pending(number)
        if pending.error is not None:
            continue  # the document is skipped; its first error is reported
        where = Location(source, number)
        if len(fields) < 2:
            pending.error = InputError(where, f"expected a token and its tag, found {shown(line)}")
        elif not _TAG.fullmatch(fields[-1]):
            pending.error = InputError(
                where, f"tag {shown(fields[-1])} is not O, B-TYPE or I-TYPE (IOB1 or IOB2)"
            )
        else:
            pending.sentences[-1].append((fields[0], fields[-1]))
    if pending is not None and (result := pending.record(source)) is not None:
        found = True
        yield result
    if not found:
        yield InputError(Location(source), "the file holds no tokens")


register(
    Format(
        name="conll",
        description="CoNLL-2003 / IOB2 token-per-line: the entity layer, for token classification",
        extensions=(".conll", ".iob"),
        read=read,
        write=write,
    )
)
