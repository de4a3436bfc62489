"""Writing one document as UIMA CAS XMI, element for element as dkpro-cassis writes it.

cassis builds a feature structure per token and checks every feature's type when it writes,
which made XMI the slowest export by far (60 ms a document). This module writes the text
straight from the document: the elements and attributes cassis writes, in its order, with its
namespace prefixes, ids and UTF-16 offsets, escaped as lxml escapes them, so the bytes are
those cassis writes (a test checks that cassis reads such a file and writes it back unchanged).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable
from typing import Any

from labeler.domain.annotation import AnnotationSet
from labeler.domain.attribution_links import sid
from labeler.formats.records import ExportItem, WriteReport, first_set
from labeler.formats.spacy_docbin import document_lang
from labeler.formats.token_arrays import tokenise_columns
from labeler.formats.xmi_types import (
    DOCUMENT_LABEL_TYPE,
    DOCUMENT_METADATA_TYPE,
    METADATA_TYPE,
    RELATION_TYPE,
    SENTENCE_TYPE,
    SPAN_TYPE,
    TOKEN_TYPE,
)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XMI_NS = "http://www.omg.org/XMI"
_CAS_NS = "http:///uima/cas.ecore"
_ID = f"{{{_XMI_NS}}}id"
_SOFA = "1"  # cassis numbers the sofa of the initial view 1, and what is added from 2


_UNSAFE = "characters XML 1.0 cannot hold written as spaces"


def xml_safe(value: str, report: WriteReport) -> str:
    cleaned, count = _NOT_XML.subn(" ", value)
    report.note(_UNSAFE, count)
    return cleaned


@functools.lru_cache(maxsize=4096)
def _safe_escaped(value: str) -> tuple[str, int]:
    """xml_safe and _escape of a label or attribute value (few and repeated: remembered),
    and how many characters became spaces."""
    cleaned, count = _NOT_XML.subn(" ", value)
    return _escape(cleaned), count


@functools.lru_cache(maxsize=2)
def _numbers(last: int) -> str:
    """ "2 3 4 ... last" """
    return " ".join(map(str, range(2, last + 1)))


def _members(last: int) -> str:
    """The ids from 2 to `last`, joined by spaces: cut from a longer string made once."""
    length, low, digits = 0, 2, 1  # the length of "2 3 ... last", counted by digit count
    while low <= last:
        high = min(last, 10**digits - 1)
        length += (high - low + 1) * (digits + 1)
        low, digits = 10**digits, digits + 1
    return _numbers(max(1 << 16, 1 << last.bit_length()))[: max(length - 1, 0)]


def _utf16_table(text: str) -> list[int] | None:
    """Code-point offset -> UTF-16 offset in `text` (as cassis converts begin and end); None
    when they are the same (no character beyond the Basic Multilingual Plane)."""
    if text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return None  # (the length of the UTF-16 found faster than re finds a character)
    sizes = (2 if ord(ch) > 0xFFFF else 1 for ch in text)
    return [0, *itertools.accumulate(sizes)]


def _escape(value: str) -> str:
    """An attribute value escaped as libxml2 writes it (lxml, and so cassis). Each character
    is looked for alone ("&" first): seven scans of a text for one character cost less than
    one scan for any of seven (re) or a lookup per character (str.translate)."""
    for char, escaped in _ESCAPES:
        if char in value:
            value = value.replace(char, escaped)
    return value


_escaped_layer = functools.lru_cache(maxsize=256)(_escape)  # the schema's few layer names
_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\n", "&#10;"),
    ("\r", "&#13;"),
    ("\t", "&#9;"),
)


class _Tree:
    """The XMI text of one document, element by element, with cassis's namespace prefixes,
    numbering and attribute order; written without a declaration per element."""

    def __init__(self, text: str) -> None:
        self.nsmap = {"xmi": _XMI_NS, "cas": _CAS_NS}
        self._prefixes: dict[str, str] = {}
        self._repeats: dict[str, int] = {}
        self._tags: dict[str, str] = {}
        self.parts: list[str] = ['<cas:NULL xmi:id="0"/>']
        self.elements = b""  # the sentences and tokens, written after parts[:cut]
        self.cut = 0
        self.next_id = 2
        self.table = _utf16_table(text)
        self.u16: Callable[[int], int] = int if self.table is None else self.table.__getitem__

    def _tag(self, type_name: str) -> str:
        tag = self._tags.get(type_name)
        if tag is None:
            *package, name = type_name.split(".")
            url = "http:///" + "/".join(package) + ".ecore"
            if url not in self._prefixes:
                prefix = package[-1]
                if prefix in self.nsmap:  # taken by another namespace: type0, type1, ...
                    n = self._repeats.get(prefix, 0)
                    self._repeats[prefix] = n + 1
                    prefix = f"{prefix}{n}"
                self.nsmap[prefix] = url
                self._prefixes[url] = prefix
            tag = self._tags[type_name] = f"{self._prefixes[url]}:{name}"
        return tag

    def add(self, type_name: str, attributes: dict[str, str]) -> int:
        """Adds a feature structure; returns its xmi:id."""
        number = self.next_id
        self.next_id += 1
        values = "".join(f' {k}="{_escape(v)}"' for k, v in attributes.items())
        self.parts.append(f'<{self._tag(type_name)} xmi:id="{number}"{values}/>')
        return number

    def annotation(self, type_name: str, begin: int, end: int, **features: str) -> int:
        u16 = self.u16
        return self.add(
            type_name, {"sofa": _SOFA, "begin": str(u16(begin)), "end": str(u16(end)), **features}
        )

    def xml(self, text: str) -> bytes:
        members = _members(self.next_id - 1)
        spaces = " ".join(f'xmlns:{prefix}="{url}"' for prefix, url in self.nsmap.items())
        head = "".join(
            (
                "<?xml version='1.0' encoding='UTF-8'?>\n",
                f'<xmi:XMI {spaces} xmi:version="2.0">',
                *self.parts[: self.cut],
            )
        )
        tail = "".join(
            (
                *self.parts[self.cut :],
                '<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text/plain" ',
                f'sofaString="{_escape(text)}"/>',
                f'<cas:View sofa="1" members="{members}"/></xmi:XMI>',
            )
        )
        return b"".join((head.encode("utf-8"), self.elements, tail.encode("utf-8")))


def _segmentation(tree: _Tree, text: str, lang: str) -> None:
    """Sentence and Token annotations, as a blank pipeline with the sentencizer makes them:
    the tokens and sentence starts of token_arrays.tokenise (the sentencizer's rule, without
    a Token object per token). White-space tokens are in no sentence; a sentence of white
    space only is dropped."""
    import numpy as np

    arrays, all_starts, all_ends = tokenise_columns(text, lang, sentences=True)
    if not len(arrays):
        return
    words = np.flatnonzero(~_white_space_at(text, all_starts))
    if words.size == 0:
        return
    begins = np.zeros(len(arrays), dtype=np.int64)
    begins[arrays.sentences] = 1
    sentence = np.cumsum(begins)[words]
    first = np.empty(len(words), dtype=bool)  # the word opens its sentence
    first[0] = True
    np.not_equal(sentence[1:], sentence[:-1], out=first[1:])
    heads = np.flatnonzero(first)
    # One row per element in the file's order: each sentence, then its tokens.
    token_rows = np.arange(len(words)) + np.cumsum(first)
    sentence_rows = heads + np.arange(len(heads))
    starts, stops = all_starts[words], all_ends[words]
    rows = np.empty((len(words) + len(heads), 3), dtype=np.int64)
    rows[:, 0] = np.arange(tree.next_id, tree.next_id + len(rows))
    rows[token_rows, 1], rows[token_rows, 2] = starts, stops
    rows[sentence_rows, 1] = starts[heads]
    rows[sentence_rows, 2] = stops[np.append(heads[1:], len(words)) - 1]
    if tree.table is not None:
        rows[:, 1:] = np.array(tree.table)[rows[:, 1:]]
    tags = tree._tag(SENTENCE_TYPE), tree._tag(TOKEN_TYPE)
    if rows[-1, 0] < _DECIMALS and rows[:, 2].max() < _DECIMALS:  # every number in the table
        tree.elements = _elements(rows, sentence_rows, *tags)
    else:
        tree.elements = _formatted(rows, heads, len(words), *tags)
    tree.cut = len(tree.parts)
    tree.next_id += len(rows)


def _white_space_at(text: str, starts: Any) -> Any:
    """Whether the character at each start is white space (str.isspace). spaCy's tokenizer
    cuts runs of white space apart from the rest before anything else, so a token starting
    with white space is all white space."""
    import numpy as np

    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)[starts]
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        codes = np.minimum(codes[starts], _LAST_SPACE + 1)
    return _spaces()[codes]


_LAST_SPACE = 0x3000  # the highest code point str.isspace holds


@functools.cache
def _spaces() -> Any:
    """Per code point up to _LAST_SPACE, and one past it for all above, whether it is white
    space."""
    import numpy as np

    return np.array([chr(c).isspace() for c in range(_LAST_SPACE + 1)] + [False])


# Numbers below this are written from a table of their digits (nearly every document's).
_DECIMALS = 100_000


def _elements(rows: Any, sentence_rows: Any, sentence_tag: str, token_tag: str) -> bytes:
    """The elements of `rows` (xmi:id, begin, end; those at `sentence_rows` sentences, the
    rest tokens) as UTF-8: one template row per element, the digits of its numbers put in slots
    of the widest number's width, then the zero bytes left in the slots dropped."""
    import numpy as np

    templates, slots, width = _templates(sentence_tag, token_tag, len(str(_DECIMALS - 1)))
    kinds = np.ones(len(rows), dtype=np.intp)
    kinds[sentence_rows] = 0
    table = templates[kinds]
    digits = _digits(_DECIMALS)
    first = int(rows[0, 0])  # the ids follow each other: a slice of the table
    table[:, slots[0] : slots[0] + width] = digits[first : first + len(rows)]
    for column, slot in enumerate(slots[1:], 1):
        table[:, slot : slot + width] = digits[rows[:, column]]
    written: bytes = table[table != 0].tobytes()
    return written


@functools.lru_cache(maxsize=8)
def _templates(sentence_tag: str, token_tag: str, width: int) -> tuple[Any, list[int], int]:
    """A Sentence and a Token element with `width` zero bytes for each number, as two rows of
    one width (the shorter tag after zero bytes, so that the slots line up), and the slots'
    columns."""
    import numpy as np

    pieces = (' xmi:id="', '" sofa="1" begin="', '" end="', '"/>')
    rows: list[bytes] = []
    slots: list[int] = []
    longest = max(len(sentence_tag), len(token_tag))
    for tag in sentence_tag, token_tag:
        row = "\0" * (longest - len(tag)) + f"<{tag}{pieces[0]}"
        slots = []
        for piece in pieces[1:]:
            slots.append(len(row))
            row += "\0" * width + piece
        rows.append(row.encode("ascii"))
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(2, -1), slots, width


@functools.lru_cache(maxsize=2)
def _digits(below: int) -> Any:
    """The ASCII digits of each number below `below` (a power of ten), one row each, with zero
    bytes for the leading zeros."""
    import numpy as np

    width = len(str(below - 1))
    numbers = np.arange(below)
    table = np.zeros((below, width), dtype=np.uint8)
    for k in range(width):
        power = 10 ** (width - 1 - k)
        table[:, k] = np.where(numbers >= power, 48 + numbers // power % 10, 0)
    table[0, -1] = 48
    return table


def _formatted(rows: Any, heads: Any, words: int, sentence_tag: str, token_tag: str) -> bytes:
    """The elements of `rows` written by str formatting (for numbers past the table's)."""
    element = ' xmi:id="%s" sofa="1" begin="%s" end="%s"/>'
    opened, token = f"<{sentence_tag}{element}", f"<{token_tag}{element}"
    after = [*heads[1:].tolist(), words]
    template = "".join(opened + token * (b - a) for a, b in zip(heads.tolist(), after, strict=True))
    return (template % tuple(rows.ravel().tolist())).encode("ascii")


def _annotations(
    tree: _Tree, s: AnnotationSet, features: dict[str, str], report: WriteReport
) -> None:
    """The set's spans, then its relations, written as `add` would write them."""
    spans = s.sorted_spans()
    if not spans:
        return
    tag, u16, parts, number = tree._tag(SPAN_TYPE), tree.u16, tree.parts, tree.next_id
    made: dict[int, tuple[int, int, int]] = {}  # span id -> (xmi:id, begin, end)
    unsafe = unknown = 0  # counted here, noted once
    for span in spans:
        attributes, extra = span.attributes, ""
        if attributes:  # the features in the type system's order
            unknown += sum(name not in features for name in attributes)
            values = [
                (feature, *_safe_escaped(attributes[name]))
                for name, feature in features.items()
                if name in attributes
            ]
            unsafe += sum(count for _, _, count in values)
            extra = "".join(f' {feature}="{value}"' for feature, value, _ in values)
        label, count = _safe_escaped(span.label)
        unsafe += count
        parts.append(
            f'<{tag} xmi:id="{number}" sofa="1" begin="{u16(span.start)}" '
            f'end="{u16(span.end)}" layer="{_escaped_layer(span.layer)}" label="{label}"{extra}/>'
        )
        made[sid(span)] = (number, span.start, span.end)
        number += 1
    report.note("span attributes not in the schema, not exported", unknown)
    report.note(_UNSAFE, unsafe)
    tree.next_id = number
    for r in sorted(s.relations.values(), key=lambda r: (made[r.head][0], r.type)):
        head, (tail, begin, end) = made[r.head][0], made[r.tail]
        label = xml_safe(r.type, report)
        tree.annotation(
            RELATION_TYPE, begin, end, Governor=str(head), Dependent=str(tail), label=label
        )
        report.note("relation attributes not exported (no feature for them)", len(r.attributes))


def document_xmi(
    item: ExportItem, stem: str, features: dict[str, str], report: WriteReport
) -> bytes:
    """The XMI file of one item's document and first annotation set."""
    document = item.document
    text = xml_safe(document.text, report)
    tree = _Tree(text)
    lang = document_lang(document)
    title = xml_safe(document.title, report)
    tree.annotation(
        DOCUMENT_METADATA_TYPE,
        0,
        len(text),
        language=lang,
        documentTitle=title,
        documentId=stem,
    )
    chosen = first_set(item, report)
    info = {
        "title": document.title,
        "date": document.date.isoformat() if document.date else None,
        "meta": document.meta,
        "annotator": chosen.annotator if chosen else None,
        "status": chosen.status.value if chosen else None,
    }
    # ASCII JSON escapes every control character, so the string is always XML-safe.
    tree.add(METADATA_TYPE, {"json": json.dumps(info, default=str)})
    _segmentation(tree, text, lang)
    if chosen is not None:
        _annotations(tree, chosen, features, report)
        for name in sorted(chosen.document_labels):
            for value in chosen.document_labels[name]:
                tree.add(
                    DOCUMENT_LABEL_TYPE,
                    {"sofa": _SOFA, "name": name, "value": xml_safe(value, report)},
                )
    return tree.xml(text)
