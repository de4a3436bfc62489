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
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

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
from labeler.formats.token_arrays import TokenArrays, tokenise_columns, trimmed

DOCSTART = "-DOCSTART-"
_HEADER = f"{DOCSTART} -X- O O"
_TAG = re.compile(r"O|[BI]-\S+")
Columns = tuple[Any, Any]  # the tokens' starts and ends as numpy arrays

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
    """The IOB2 tag of each token in an entity of the layer (the others are "O").

    Each span's tokens are those of `TokenArrays.token_range`, found here without it: this runs for
    every span of an export, and a span without white space at its edges (nearly all) needs
    two look-ups only."""
    text, starts, ends = arrays.text, arrays.starts, arrays.ends
    found: list[tuple[int, int, int, str]] = []  # first token, first - after, after, label
    missing = moved = 0
    for start, end, label in document.spans:
        first, last = trimmed(text, start, end)
        if first >= last:
            missing += 1
            continue
        head = bisect_right(starts, first) - 1
        after = bisect_right(starts, last - 1)
        if starts[head] != start or ends[after - 1] != end:
            moved += 1
        found.append((head, head - after, after, label))
    report.note(f"{layer} spans covering no token, left out", missing)
    report.note(f"{layer} spans moved to token boundaries", moved)
    # Those sharing no token with an earlier one (earlier start, then longer, first), as
    # token_arrays.without_overlap keeps them: the sort is stable, on those two keys alone.
    found.sort(key=_RANGE)
    tags: dict[int, str] = {}
    reach = overlapping = 0
    for head, _, after, label in found:
        if head < reach:
            overlapping += 1
            continue
        reach = after
        tags[head] = f"B-{label}"
        if after - head > 1:
            tags.update(dict.fromkeys(range(head + 1, after), f"I-{label}"))
    reason = f"{layer} spans overlapping another (once on token boundaries), left out"
    report.note(reason, overlapping)
    return tags


_RANGE = itemgetter(0, 1)


def _lines(arrays: TokenArrays, tags: dict[int, str], columns: Columns) -> list[str]:
    """The document's `token TAG` lines, a blank line after each sentence; white-space tokens
    are left out, and a sentence break inside an entity is ignored, so the entity stays whole.

    Most tokens are tagged "O", continue their sentence, and are parted from the next by one
    space or nothing: their lines are the text with each space, and a space put between tokens
    that touch, made " O\n" (see _all_o), which costs less than a string per token. Only the
    tagged tokens and the sentence starts are then looked at one by one. `columns` are the
    tokens' starts and ends as numpy arrays (see token_arrays.tokenise_columns)."""
    spaces = arrays.space_tokens()
    untagged = _all_o(arrays, spaces, columns)
    if untagged is None:
        return _lines_by_token(arrays, tags, spaces)
    lines, runs = untagged
    if not runs:
        return []
    text, starts, ends = arrays.text, arrays.starts, arrays.ends
    left_out = set(spaces)
    count = len(starts)
    breaks = set()
    for i in arrays.sentences:
        if tags.get(i, "O").startswith("I-"):
            continue
        while i in left_out:  # a break at a white-space token falls on the next line
            i += 1
        if runs[0].first < i < count:
            breaks.add(i)
    found: list[str] = []
    done = 0  # where in `lines` the text not yet copied begins
    run = runs[0]
    firsts = [r.first for r in runs] if len(runs) > 1 else None
    marked = tags.keys() - left_out if left_out else tags.keys()
    for i in sorted(marked | breaks if breaks else marked):
        if firsts is not None:
            run = runs[bisect_right(firsts, i) - 1]
        # Token i's line: after the run's text before it, a space put between each two tokens
        # that touch, and " O\n" (two more than the space it replaced) after each token.
        at = run.base + starts[i] - starts[run.first] + 2 * (i - run.first)
        if run.touching:
            at += bisect_right(run.touching, i)
        found.append(lines[done:at])
        if i in breaks:
            found.append("\n")
        tag = tags.get(i)
        done = at
        if tag is not None:
            word = text[starts[i] : ends[i]]
            found += (word, " ", tag, "\n")
            done += len(word) + 3
    found += (lines[done:], "\n")
    return found


class _Run(NamedTuple):
    """Tokens between white-space tokens: the first, those that touch the one before, and
    where their lines begin."""

    first: int
    touching: list[int]
    base: int


def _all_o(
    arrays: TokenArrays, spaces: list[int], columns: Columns
) -> tuple[str, list[_Run]] | None:
    """The lines of every token but the white-space ones, as if each were tagged "O" and no
    sentence ended, and the runs of tokens they come from. None when a run's tokens are not
    parted by one space or nothing (spaCy's tokens always are: a check, not a case)."""
    text, starts, ends = arrays.text, arrays.starts, arrays.ends
    starts_column, ends_column = columns
    runs: list[_Run] = []
    pieces: list[str] = []
    length = first = 0
    for after in [*spaces, len(starts)]:
        if after > first:
            begin, end = starts[first], ends[after - 1]
            run = text[begin:end]
            touch = starts_column[first + 1 : after] == ends_column[first : after - 1]
            touching = (touch.nonzero()[0] + (first + 1)).tolist()
            gaps = after - first - 1 - len(touching)  # tokens parted by a space
            held = int(ends_column[first:after].sum() - starts_column[first:after].sum())
            if end - begin - held != gaps or run.count(" ") != gaps:
                return None
            if touching:
                cuts = [begin, *(starts[t] for t in touching), end]
                run = " ".join([text[a:b] for a, b in pairwise(cuts)])
            piece = run.replace(" ", " O\n") + " O\n"
            runs.append(_Run(first, touching, length))
            pieces.append(piece)
            length += len(piece)
        first = after + 1
    return "".join(pieces), runs


def _lines_by_token(arrays: TokenArrays, tags: dict[int, str], spaces: list[int]) -> list[str]:
    """_lines, a string made per token."""
    words = arrays.texts()
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
    with path.open("wb") as out:  # the blocks come encoded (see _block)
        documents = (_document(item, layer, report) for item in items)
        work = functools.partial(_block, layer=layer)
        for block in per_document(work, documents, report, tokenised=True, small_jobs=True):
            out.write(block)
            report.documents += 1
    return report


def _block(document: _Document, report: WriteReport, layer: str) -> bytes:
    """One document's lines, UTF-8: the header, then each sentence and an empty line. Encoded
    here, in the worker that made them: bytes go back to the exporting process as they are,
    where a string would be encoded to be sent, decoded there, and encoded again to be written."""
    arrays, starts, ends = tokenise_columns(document.text, document.lang, sentences=True)
    tags = _tags(document, arrays, layer, report)
    return "".join([f"{_HEADER}\n\n", *_lines(arrays, tags, (starts, ends))]).encode()


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
