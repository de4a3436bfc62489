"""spaCy v3 DocBin (`.spacy`) files, the input of `spacy train`.

Each document becomes a `Doc` tokenized by a blank pipeline of its `meta["lang"]` (default
"en"). The entity layer goes to `doc.ents` (for the `ner` component) and every layer to
`doc.spans[layer]`, and all of them to `doc.spans["sc"]` (spancat's default key; overlap
allowed). spaCy spans hold whole tokens only, so a span off token boundaries is grown to the
tokens it touches, and one that touches no token, or an entity that then overlaps another,
is left out of `doc.ents`/`doc.spans` and counted in a `WriteReport`. Nothing is lost:
`doc.user_data["labeler"]` keeps the title, date, metadata, annotator, status and the native
spans (exact code-point offsets), relations and document labels, as the JSONL format writes
them, and the reader restores from it. Document labels of choice attributes also go to
`doc.cats` for textcat (see `_cats`). A DocBin made elsewhere is read from its `doc.ents`,
`doc.spans` and `doc.cats` (categories scored 0.5 or more) instead. Only the first annotation
set of each item is exported.
"""

from __future__ import annotations

import functools
import logging
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labeler.domain.annotation import AnnotationSet
from labeler.domain.document import Document
from labeler.domain.document_labels import category_names, labels_to_json
from labeler.domain.errors import InputError, Location
from labeler.domain.offsets import normalize_newlines
from labeler.domain.schema import LabelSchema
from labeler.domain.spans import Span
from labeler.formats import inflating, jsonl
from labeler.formats.docbin_file import DocBinFile
from labeler.formats.docbin_parts import (
    DocPart,
    LocalStrings,
    TokenTable,
    docbin_attrs,
    set_entities,
    span_groups_bytes,
    writer_docbin,
)
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
from labeler.formats.token_arrays import TokenArrays, Tokens, without_overlap

if TYPE_CHECKING:  # spaCy is imported late: it takes a second and most commands never need it
    from spacy.language import Language
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

USER_DATA_KEY = "labeler"
ENTITY_LAYER = "entity"
SPANCAT_KEY = "sc"  # spaCy's DEFAULT_SPANS_KEY


# ---------------------------------------------------------------- spaCy helpers (shared)


@cache
def blank_pipeline(lang: str, sentences: bool = False) -> Language:
    """A blank spaCy pipeline for lang, with a rule-based sentencizer if asked; cached.

    A language spaCy does not know, or whose tokenizer needs a package that is missing
    (Japanese, Korean, ...), falls back to the multi-language "xx" rules.
    """
    import spacy

    try:
        nlp = spacy.blank(lang)
    except ImportError as exc:
        logger.warning("no spaCy tokenizer for language %r (%s); using 'xx'", lang, exc)
        nlp = spacy.blank("xx")
    if sentences:
        nlp.add_pipe("sentencizer")
    return nlp


def document_lang(document: Document) -> str:
    return str(document.meta.get("lang") or "en")


# ---------------------------------------------------------------- writing


def _part(
    item: ExportItem,
    report: WriteReport,
    schema: LabelSchema,
    entity_layer: str,
    table: TokenTable,
) -> DocPart:
    """What the item's Doc adds to the DocBin (in a worker process, or here), as `DocBin.add`
    would add it once the Doc had its entities (`set_ents`), span groups (labels only: ids and
    knowledge-base ids are not set, and read as "") and user data: made from the Doc's token
    array alone, without a spaCy Span per span (a test compares the bytes with spaCy's)."""
    import srsly  # type: ignore[import-untyped]

    document = item.document
    attrs = docbin_attrs()
    starts, ends = table.offsets()
    arrays = TokenArrays(document.text, starts, ends)
    hashes = blank_pipeline(document_lang(document)).vocab.strings
    chosen = first_set(item, report)
    groups: dict[str, list[Tokens]] = {layer.name: [] for layer in schema.layers}
    entities: list[Tokens] = []
    unaligned = 0
    ordered = chosen.sorted_spans() if chosen else []
    for span in ordered:
        found = arrays.token_range(span.start, span.end)
        if found is None:
            unaligned += 1
            report.note(f"{span.layer} spans covering no token (kept in user_data only)")
            continue
        first, after, moved = found
        tokens = Tokens(first, after, span.label)
        if moved:
            report.note(f"{span.layer} spans moved to token boundaries in doc.spans/doc.ents")
        groups.setdefault(span.layer, []).append(tokens)
        if span.layer == entity_layer:
            entities.append(tokens)
    reason = "entities overlapping another once on token boundaries, left out of doc.ents"
    kept = without_overlap(entities, report, reason)
    unaligned += len(entities) - len(kept)
    tokens = table.tokens(attrs)
    set_entities(tokens, attrs, [(t.start, t.end, hashes.add(t.label)) for t in kept])
    strings = {span.label for group in groups.values() for span in group}
    if strings:
        strings.add("")
    hashed = {
        key: [(t.start, t.end, hashes.add(t.label)) for t in group] for key, group in groups.items()
    }
    cats = _cats(chosen, report) if chosen is not None and chosen.document_labels else {}
    native = _native(chosen, ordered) if chosen else None
    user_data = {
        USER_DATA_KEY: {
            "title": document.title,
            "date": document.date.isoformat() if document.date else None,
            "meta": document.meta,
            "annotator": native["annotator"] if native else None,
            "status": native["status"] if native else None,
            "spans": native["spans"] if native else [],
            "relations": native["relations"] if native else [],
            "document_labels": native.get("document_labels", {}) if native else {},
            "unaligned": unaligned,  # spans missing from doc.ents or doc.spans
        }
    }
    return DocPart(
        tokens,
        table.spaces,
        table.flags,
        strings if table.strings is None else table.strings | strings,
        cats,
        srsly.msgpack_dumps(user_data),
        # spaCy's span categorizer reads the group "sc" unless told otherwise: every layer's
        # spans, so that `spacy train` with a spancat pipeline works on the file as it is.
        span_groups_bytes(hashed, starts, ends, every=SPANCAT_KEY),
    )


def _cats(chosen: AnnotationSet, report: WriteReport) -> dict[str, float]:
    """doc.cats for textcat: every category of each choice attribute the annotator set, 1.0
    for the values chosen and 0.0 for the others (attributes not set are left out, missing)."""
    names = category_names(chosen.schema)
    cats: dict[str, float] = {}
    for name, values in chosen.document_labels.items():
        ours = {v: c for (a, v), c in names.items() if a == name}
        if not ours:
            report.note("document labels of free text or ratings (kept in user_data only)")
            continue
        cats.update((c, 1.0 if v in values else 0.0) for v, c in ours.items())
    return cats


def _native(chosen: AnnotationSet, ordered: list[Span]) -> dict[str, Any]:
    """The set as `jsonl.set_to_json` gives it (annotator, status, spans numbered from 1 in
    `ordered`, its sorted spans, relations, document labels), made directly rather than
    written as JSON and read back; a curated set's extra fields are left to set_to_json."""
    if chosen.curated is not None:
        return jsonl.set_to_json(chosen)
    number: dict[int | None, int] = {}
    spans: list[dict[str, Any]] = []
    for n, span in enumerate(ordered, 1):
        number[span.id] = n
        found = {
            "id": n,
            "layer": span.layer,
            "label": span.label,
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "attributes": span.attributes or {},
        }
        if span.note:
            found["note"] = span.note
        spans.append(found)
    relations: list[tuple[tuple[int, int, str], dict[str, Any]]] = []
    for r in chosen.relations.values():
        head, tail = number[r.head], number[r.tail]
        found = {"type": r.type, "head": head, "tail": tail, "attributes": r.attributes or {}}
        if r.note:
            found["note"] = r.note
        relations.append(((head, tail, r.type), found))
    relations.sort(key=lambda pair: pair[0])
    native: dict[str, Any] = {"annotator": chosen.annotator, "status": chosen.status.value}
    if chosen.document_labels:
        native["document_labels"] = labels_to_json(chosen.document_labels)
    return {**native, "spans": spans, "relations": [r for _, r in relations]}


def write_docbin(
    path: Path,
    items: Iterable[ExportItem],
    schema: LabelSchema,
    *,
    entity_layer: str = ENTITY_LAYER,
    report: WriteReport | None = None,
) -> WriteReport:
    """Writes items to one DocBin file. Every document is tokenised first (in worker processes
    when there are many: `parallel`), since the file gives the number of tokens before them;
    then each document's entities, span groups and user data are made here while a thread
    compresses the tokens written so far (`docbin_file`). spaCy is loaded here (if the workers
    tokenise) as their first tokens come back, not before: see `_writer_loaded`."""
    report = report if report is not None else WriteReport()
    kept: list[ExportItem] = []
    work = functools.partial(_tokens, parent=os.getpid())
    tables: list[TokenTable] = []
    for table in per_document(work, _remembered(items, kept), report, tokenised=True):
        if not tables:
            _writer_loaded(kept[0])
        tables.append(table)
    rows = sum(len(table) for table in tables)
    tables.reverse()  # each one is let go once written (popped from the end)
    local = LocalStrings()
    with _encoders_looked_up_once(), DocBinFile(path, writer_docbin(), rows) as out:
        for item in kept:
            table = tables.pop()
            out.add(_part(item, report, schema, entity_layer, table))
            local.add(table, blank_pipeline(document_lang(item.document)).vocab.strings)
            report.documents += 1
        out.docbin.strings.update(local.strings())
    return report


def _writer_loaded(item: ExportItem) -> None:
    """Loads what writing needs (spaCy, numpy and the first document's pipeline) as the first
    tokens come back, doing nothing when they were made here (spaCy is loaded). When they
    were made by forked workers (`parallel`), which may only be forked from a process without
    other threads (numpy's import starts OpenBLAS's), they have forked, and this process,
    which has sent the documents read ahead and would only wait for their tokens, loads it
    meanwhile rather than once they are all back."""
    blank_pipeline(document_lang(item.document))
    docbin_attrs()


def _remembered(items: Iterable[ExportItem], kept: list[ExportItem]) -> Iterator[ExportItem]:
    for item in items:
        kept.append(item)
        yield item


def _tokens(item: ExportItem, report: WriteReport, parent: int) -> TokenTable:
    """The item's tokens, read from its Doc at once: in a worker process, with the strings of
    their hashes, which the writer's vocabulary lacks; or here (`parent`), without (the writer
    looks them up once for all, as it writes: tokenising is all it does before it starts)."""
    del report  # tokenising notes nothing
    document = item.document
    doc = blank_pipeline(document_lang(document)).make_doc(document.text)
    return TokenTable.of(doc, len(document.text), with_strings=os.getpid() != parent)


@contextmanager
def _encoders_looked_up_once() -> Iterator[None]:
    """srsly looks up its msgpack encoders among every installed package's entry points on each
    call to pack (about a millisecond, and DocBin packs six times a document: more than all the
    rest of the work). They cannot change during one export, so they are looked up once."""
    from srsly.msgpack import msgpack_encoders  # type: ignore[import-untyped]

    found = msgpack_encoders.get_all()
    msgpack_encoders.get_all = lambda: found
    try:
        yield
    finally:
        del msgpack_encoders.get_all  # the class's own method again


def write(path: Path, items: Iterable[ExportItem], schema: LabelSchema) -> WriteReport:
    return write_docbin(path, items, schema)


# ---------------------------------------------------------------- reading


def _as_lists(value: Any) -> Any:
    """msgpack in DocBin gives back tuples for lists; the JSONL checks expect lists."""
    if isinstance(value, tuple | list):
        return [_as_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_lists(v) for k, v in value.items()}
    return value


def _restore(text: str, payload: Any) -> tuple[Document, list[RawAnnotationSet]]:
    """The document and set written by this module, checked as the JSONL reader checks a line."""
    if not isinstance(payload, dict):
        raise jsonl.RecordProblem(f"user_data[{USER_DATA_KEY!r}] must be a mapping")
    payload = _as_lists(payload)
    obj: dict[str, Any] = {
        "text": text,
        "title": payload.get("title") or "",
        "date": payload.get("date"),
        "meta": payload.get("meta") or {},
    }
    if (
        payload.get("annotator") is not None
        or payload.get("spans")
        or payload.get("relations")
        or payload.get("document_labels")
    ):
        obj["annotations"] = [
            {
                k: payload[k]
                for k in ("annotator", "status", "spans", "relations", "document_labels")
                if payload.get(k) is not None
            }
        ]
    return jsonl.parse_line(obj, ReadOptions())


def _from_spacy(doc: Doc) -> tuple[Document, list[RawAnnotationSet]]:
    """A Doc made elsewhere: doc.ents and every doc.spans group, labels as given."""
    text, remap = normalize_newlines(doc.text)
    seen: set[tuple[int, int, str]] = set()
    spans: list[RawSpan] = []
    groups = [doc.ents, *doc.spans.values()]
    for span in (s for group in groups for s in group):
        key = (remap(span.start_char), remap(span.end_char), span.label_)
        if key not in seen:  # an entity is often in doc.spans too
            seen.add(key)
            spans.append(RawSpan(key[0], key[1], key[2], key=len(spans) + 1))
    # textcat's scores: a category scored 0.5 or more is one the document has.
    categories = [name for name, score in doc.cats.items() if score >= 0.5]
    sets = [RawAnnotationSet(spans=spans, categories=categories)] if spans or categories else []
    return Document(text), sets


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    del options  # a DocBin has no columns to choose
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(Location(source), f"cannot read the file ({exc.strerror})")
        return
    try:
        inflating.check_zlib(data)
    except inflating.TooLarge as exc:
        yield InputError(Location(source), f"not read: {exc}")
        return
    except zlib.error as exc:
        yield InputError(Location(source), f"not a spaCy DocBin file: {exc}")
        return
    try:
        docs = list(DocBin().from_bytes(data).get_docs(Vocab()))
    except Exception as exc:  # zlib, msgpack and spaCy each fail their own way on foreign bytes
        yield InputError(Location(source), f"not a spaCy DocBin file: {exc}")
        return
    if not docs:
        yield InputError(Location(source), "the file holds no documents")
    for number, doc in enumerate(docs, 1):
        location = Location(source, number)
        if not doc.text.strip():
            yield InputError(location, "the document's text is empty")
            continue
        payload = doc.user_data.get(USER_DATA_KEY)
        try:
            document, sets = _from_spacy(doc) if payload is None else _restore(doc.text, payload)
        except jsonl.RecordProblem as exc:
            yield InputError(location, f"user_data[{USER_DATA_KEY!r}]: {exc}")
            continue
        yield Record(document, location, sets)


register(
    Format(
        name="spacy",
        description="spaCy DocBin for `spacy train`: entities as doc.ents, layers as doc.spans",
        extensions=(".spacy",),
        read=read,
        write=write,
        document_labels=True,
    )
)
