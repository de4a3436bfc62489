"""UIMA CAS XMI for INCEpTION: a folder of `<stem>.xmi` files and one shared `TypeSystem.xml`.

Read with dkpro-cassis, and written by `xmi_writer` exactly as cassis writes (faster): begin
and end are UTF-16 code units in the file, code points everywhere else (cassis converts back
when reading); XMI is XML 1.0 only (cassis cannot write INCEpTION's XML 1.1).

Types written (all in `TypeSystem.xml`):

- `webanno.custom.Span` (supertype `uima.tcas.Annotation`): every span of every layer, with
  string features `layer`, `label` and one per schema attribute. A feature is named after its
  attribute, except where the name is not a plain identifier or is taken (`type`, `begin`,
  `label`, ... -> `attr_type`); the feature's description keeps the attribute's real name.
- `webanno.custom.DocumentLabel` (supertype `uima.cas.AnnotationBase`, a document-level
  layer in INCEpTION): one per value of each document label, with string features `name` (the
  document attribute) and `value`.
- `webanno.custom.Relation`: every relation, with `Governor` (head) and `Dependent` (tail)
  pointing at `webanno.custom.Span`, and a string feature `label` (the relation type); its
  begin/end are the Dependent's, as INCEpTION sets them.

Why one span type rather than one per layer (`webanno.custom.Entity`, `...Claim`, ...):
INCEpTION draws an arc only between two spans of the same layer, and lets only one relation
layer attach to a span layer. The news schema links spans across layers (`attributed_to`:
CLAIM -> SOURCE, `refers_to`: SOURCE -> PERSON), so with a type per layer those relations
could not be carried. One span layer with a `layer` feature carries every relation. In
INCEpTION, create a span layer `Span` (features `layer`, `label` and the attributes, all
strings; overlap and stacking allowed; crossing sentences allowed; character-level anchoring
if spans do not follow token boundaries) and a relation layer `Relation` attached to it with a
`label` feature; or import this `TypeSystem.xml` as the project's layers [U: INCEpTION import
not run here].

Also written, for INCEpTION to show and name the document: `Sentence` and `Token`
(`de.tudarmstadt.ukp.dkpro.core.api.segmentation.type`) from a blank spaCy pipeline with the
sentencizer (white space is in neither); `DocumentMetaData` with `documentTitle` (the title),
`documentId` (the file stem) and `language`. `labeler.type.Metadata` holds a JSON string with
the title, date, metadata, annotator and status for this reader to restore; it is not an
INCEpTION layer, so INCEpTION drops it on import (and uses the file name, not documentTitle,
as the document's name [U]). Only the first annotation set of each document is written.
Characters XML 1.0 cannot hold (control characters other than tab and line breaks, lone
surrogates) are written as spaces, which keeps every offset; the report counts them.

Reading: a `.xmi` file (or a folder of them) with `TypeSystem.xml` (or `typesystem.xml`) in
the same folder. Spans come from `webanno.custom.Span`, from any other `webanno.custom` span
type with a `label` feature (its other string features become attributes), and from DKPro's
`NamedEntity` (its `value` is the label). Relations come from any `webanno.custom` type with
`Governor` and `Dependent` features, typed by `label` (else by the type's short name).
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labeler.domain.annotation import Status
from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.domain.offsets import normalize_newlines
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shown
from labeler.formats import inflating, json_decoding
from labeler.formats.file_sink import FileSink
from labeler.formats.naming import document_stem
from labeler.formats.parallel import per_document
from labeler.formats.records import (
    ExportItem,
    RawAnnotationSet,
    RawRelation,
    RawSpan,
    ReadOptions,
    Record,
    WriteReport,
)
from labeler.formats.registry import Format, register
from labeler.formats.xmi_types import (
    ATTRIBUTE_MARK,
    CUSTOM_PREFIX,
    DOCUMENT_LABEL_TYPE,
    DOCUMENT_METADATA_TYPE,
    METADATA_TYPE,
    NAMED_ENTITY_TYPE,
    RESERVED_FEATURES,
    STRING,
    TYPESYSTEM_FILE,
    attribute_features,
    build_typesystem,
    load_folder_typesystem,
)
from labeler.formats.xmi_types import (  # the types the files hold, named for the tests' readers
    RELATION_TYPE as RELATION_TYPE,
)
from labeler.formats.xmi_types import SENTENCE_TYPE as SENTENCE_TYPE
from labeler.formats.xmi_types import SPAN_TYPE as SPAN_TYPE
from labeler.formats.xmi_types import TOKEN_TYPE as TOKEN_TYPE
from labeler.formats.xmi_writer import document_xmi

if TYPE_CHECKING:  # cassis and lxml are imported late, as spaCy is: few commands need them
    from cassis import Cas, TypeSystem
    from cassis.typesystem import FeatureStructure

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNMAPPED = "Not mapping external offset"


# ---------------------------------------------------------------- writing


def write(path: Path, items: Iterable[ExportItem], schema: LabelSchema) -> WriteReport:
    path.mkdir(parents=True, exist_ok=True)
    ts = build_typesystem(schema)
    ts.to_xml(path / TYPESYSTEM_FILE)
    used: set[str] = set()
    report = WriteReport()
    named = ((item, document_stem(item.document, n, used)) for n, item in enumerate(items, 1))
    with FileSink(path) as sink:
        work = _Writer(attribute_features(schema), sink)
        # Workers only for very large exports, as for the other tokenising writers: at 5,000
        # documents they made it slower (14 s against 5.3 s on a busy 2-core machine).
        for count, _ in enumerate(per_document(work, named, report, tokenised=True), 1):
            report.documents = count
    return report


class _Writer:
    """Writes an item to `<stem>.xmi` in the sink's folder (in a worker process, or here: then
    through the sink, which a worker is not sent)."""

    def __init__(self, features: dict[str, str], sink: FileSink) -> None:
        self.features = features
        self.sink = sink

    def __call__(self, named: tuple[ExportItem, str], report: WriteReport) -> None:
        item, stem = named
        self.sink.write(f"{stem}.xmi", document_xmi(item, stem, self.features, report))

    def __getstate__(self) -> tuple[dict[str, str], Path]:
        return self.features, self.sink.folder

    def __setstate__(self, state: tuple[dict[str, str], Path]) -> None:
        self.features, self.sink = state[0], FileSink(state[1], helper=False)


# ---------------------------------------------------------------- reading


_NO_DTD = (
    "not read: the file declares a document type or entities, which UIMA XMI never does "
    "(the way of entity expansion bombs and of reading other files)"
)


def _load_cas(path: Path, ts: TypeSystem) -> Cas:
    from cassis import load_cas_from_xmi
    from lxml import etree

    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Location(source), f"cannot read the file ({exc.strerror})") from None
    if inflating.xml_declares_entities(data):
        raise InputError(Location(source), _NO_DTD)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cas = load_cas_from_xmi(io.BytesIO(data), typesystem=ts)
        except etree.XMLSyntaxError as exc:
            raise InputError(Location(source, exc.lineno), f"invalid XML: {exc.msg}") from None
        except OSError as exc:
            raise InputError(Location(source), f"cannot read the file ({exc})") from None
        except Exception as exc:  # unknown types, bad references, ...: cassis's own words
            raise InputError(Location(source), f"not a readable UIMA CAS XMI file: {exc}") from None
    for warning in caught:
        message = str(warning.message)
        if message.startswith(_UNMAPPED):
            # cassis keeps such an offset unconverted; it would point at the wrong text.
            raise InputError(
                Location(source),
                f"an annotation's offset lies outside the text or inside a character: {message}",
            )
        warnings.warn_explicit(message, warning.category, warning.filename, warning.lineno)
    return cas


def _restore_info(cas: Cas, path: Path) -> tuple[Document, dict[str, Any]]:
    """Title, date and metadata from labeler's JSON, else from DocumentMetaData."""
    text = cas.sofa_string
    found = [fs for fs in cas.select_all_fs() if fs.type.name == METADATA_TYPE]
    info: dict[str, Any] = {}
    if found and found[0].get("json"):
        try:
            info = json_decoding.loads(found[0].get("json"))
        except json_decoding.JsonProblem as exc:
            raise InputError(Location(str(path)), f"{METADATA_TYPE} json: {exc}") from None
        if not isinstance(info, dict):
            raise InputError(Location(str(path)), f"{METADATA_TYPE} json must be an object")
    title = info.get("title")
    if title is None:
        metas = [fs for fs in cas.select_all_fs() if fs.type.name == DOCUMENT_METADATA_TYPE]
        title = (metas[0].get("documentTitle") if metas else None) or path.stem
    when = None
    if info.get("date"):
        try:
            when = date.fromisoformat(str(info["date"])[:10])
        except ValueError:
            raise InputError(
                Location(str(path)), f"date {shown(info['date'])} is not a date"
            ) from None
    meta = info.get("meta")
    meta = dict(meta) if isinstance(meta, dict) else {"source_file": str(path)}
    text, _ = normalize_newlines(text)
    return Document(text, title=str(title), date=when, meta=meta), info


def _attribute_names(fs_type: Any) -> dict[str, str]:
    """Feature name -> attribute name for the string features of a span type."""
    names: dict[str, str] = {}
    for feature in fs_type.all_features:
        if feature.name in RESERVED_FEATURES or feature.rangeType.name != STRING:
            continue
        mark = ATTRIBUTE_MARK.search(feature.description or "")
        try:
            name = json_decoding.loads(mark.group(1)) if mark else feature.name
        except json_decoding.JsonProblem:
            name = feature.name
        names[feature.name] = name if isinstance(name, str) else feature.name
    return names


def _is_relation(fs_type: Any) -> bool:
    names = {f.name for f in fs_type.all_features}
    return {"Governor", "Dependent"} <= names


def _raw_set(cas: Cas, original: str, path: Path) -> RawAnnotationSet:
    _, remap = normalize_newlines(original)
    source = str(path)
    spans: list[RawSpan] = []
    relations: list[FeatureStructure] = []
    attribute_names: dict[str, dict[str, str]] = {}
    for fs in cas.select_all_annotations():
        name = fs.type.name
        if name.startswith(CUSTOM_PREFIX) and _is_relation(fs.type):
            relations.append(fs)
            continue
        if name == NAMED_ENTITY_TYPE:
            label, attributes = fs.get("value"), {}
        elif name.startswith(CUSTOM_PREFIX) and fs.type.get_feature("label") is not None:
            label = fs.get("label")
            if name not in attribute_names:
                attribute_names[name] = _attribute_names(fs.type)
            attributes = {
                attr: str(fs.get(feature))
                for feature, attr in attribute_names[name].items()
                if fs.get(feature) is not None
            }
        else:
            continue
        where = f"{name.rpartition('.')[2]} [{fs.begin}, {fs.end})"
        if not label:
            raise InputError(Location(source), f"{where} has no label")
        if not 0 <= fs.begin < fs.end <= len(original):
            raise InputError(
                Location(source),
                f"{where} lies outside the text (length {len(original)}) or is empty",
            )
        spans.append(RawSpan(remap(fs.begin), remap(fs.end), label, attributes, None, fs.xmiID))
    keys = {s.key for s in spans}
    raw_relations: list[RawRelation] = []
    for fs in relations:
        head, tail = fs.get("Governor"), fs.get("Dependent")
        kind = fs.get("label") if fs.type.get_feature("label") else None
        kind = kind or fs.type.name.rpartition(".")[2]
        if head is None or tail is None or head.xmiID not in keys or tail.xmiID not in keys:
            raise InputError(
                Location(source), f"relation {kind!r} does not link two spans that were read"
            )
        raw_relations.append(RawRelation(kind, head.xmiID, tail.xmiID))
    return RawAnnotationSet(spans=spans, relations=raw_relations)


def read_xmi(path: Path, ts: TypeSystem) -> Record:
    """The document of one XMI file read with `ts`; InputError names the file (and line)."""
    cas = _load_cas(path, ts)
    original = cas.sofa_string
    if not original or not original.strip():
        raise InputError(Location(str(path)), "the document's text (sofaString) is empty")
    document, info = _restore_info(cas, path)
    raw = _raw_set(cas, original, path)
    if info.get("annotator"):
        raw.annotator = str(info["annotator"])
    if info.get("status"):
        try:
            raw.status = Status(info["status"])
        except ValueError:
            raise InputError(
                Location(str(path)), f"unknown status {shown(info['status'])}"
            ) from None
    for fs in cas.select_all_fs():
        if fs.type.name == DOCUMENT_LABEL_TYPE and fs.get("name") and fs.get("value") is not None:
            have = raw.document_labels.get(fs.get("name"), ())
            raw.document_labels[fs.get("name")] = (*have, str(fs.get("value")))
    sets = [raw] if raw.spans or raw.annotator or raw.document_labels else []
    return Record(document, Location(str(path)), sets)


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    del options  # nothing to choose: the type system says what everything is
    files = sorted(path.rglob("*.xmi")) if path.is_dir() else [path]
    if not files:
        yield InputError(Location(str(path)), "the folder holds no .xmi files")
    typesystems: dict[Path, TypeSystem | InputError] = {}
    for file in files:
        folder = file.parent
        if folder not in typesystems:
            try:
                typesystems[folder] = load_folder_typesystem(folder)
            except InputError as exc:
                typesystems[folder] = exc
        ts = typesystems[folder]
        if isinstance(ts, InputError):
            missing = ts.location.file == str(folder)  # else TypeSystem.xml is named, with its line
            yield InputError(Location(str(file)), ts.reason) if missing else ts
            continue
        try:
            yield read_xmi(file, ts)
        except InputError as exc:
            yield exc


register(
    Format(
        name="xmi",
        description="UIMA CAS XMI for INCEpTION: one .xmi per document and TypeSystem.xml",
        extensions=(".xmi",),
        read=read,
        write=write,
        document_labels=True,
        folder=True,
    )
)
