"""Writing one document as UIMA CAS XMI, element for element as dkpro-cassis writes it.

cassis builds a feature structure per token and checks every feature's type when it writes,
which made XMI the slowest export by far (60 ms a document). This module writes the text
straight from the document: the elements and attributes cassis writes, in its order, with its
namespace prefixes, ids and UTF-16 offsets, escaped as lxml escapes them, so the bytes are
those cassis writes (a test checks that cassis reads such a file and writes it back unchanged).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from labeler.domain.annotation import AnnotationSet
from labeler.domain.attribution_links import sid
from labeler.formats.records import ExportItem, WriteReport, first_set
from labeler.formats.spacy_docbin import blank_pipeline, document_lang
from labeler.formats.token_arrays import token_arrays
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
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_XMI_NS = "http://www.omg.org/XMI"
_CAS_NS = "http:///uima/cas.ecore"
_ID = f"{{{_XMI_NS}}}id"
_SOFA = "1"  # cassis numbers the sofa of the initial view 1, and what is added from 2


def xml_safe(value: str, report: WriteReport) -> str:
    cleaned, count = _NOT_XML.subn(" ", value)
    report.note("characters XML 1.0 cannot hold written as spaces", count)
    return cleaned


def _utf16(text: str) -> Callable[[int], int]:
    """Code-point offset -> UTF-16 offset in `text` (as cassis converts begin and end)."""
    if not _ASTRAL.search(text):
        return int
    sizes = (2 if ord(ch) > 0xFFFF else 1 for ch in text)
    table = [0, *itertools.accumulate(sizes)]
    return table.__getitem__


def _escape(value: str) -> str:
    """An attribute value escaped as libxml2 writes it (lxml, and so cassis)."""
    if _PLAIN.search(value) is None:
        return value
    return value.translate(_ESCAPES)


_PLAIN = re.compile('[&<>"\n\r\t]')
_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
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
        self.next_id = 2
        self.u16 = _utf16(text)

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

    def plain_annotations(self, type_name: str, ranges: list[tuple[int, int]]) -> None:
        """Annotations with no features but their offsets (tokens): made in one go."""
        tag, u16, first = self._tag(type_name), self.u16, self.next_id
        self.parts.extend(
            f'<{tag} xmi:id="{n}" sofa="1" begin="{u16(b)}" end="{u16(e)}"/>'
            for n, (b, e) in enumerate(ranges, first)
        )
        self.next_id += len(ranges)

    def write(self, path: Path, text: str) -> None:
        members = " ".join(str(n) for n in range(2, self.next_id))
        spaces = " ".join(f'xmlns:{prefix}="{url}"' for prefix, url in self.nsmap.items())
        xml = "".join(
            (
                "<?xml version='1.0' encoding='UTF-8'?>\n",
                f'<xmi:XMI {spaces} xmi:version="2.0">',
                *self.parts,
                '<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text/plain" ',
                f'sofaString="{_escape(text)}"/>',
                f'<cas:View sofa="1" members="{members}"/></xmi:XMI>',
            )
        )
        path.write_bytes(xml.encode("utf-8"))


def _segmentation(tree: _Tree, text: str, lang: str) -> None:
    """Sentence and Token annotations from a blank pipeline with the sentencizer."""
    nlp = blank_pipeline(lang, sentences=True)
    # The tokenizer and sentencizer are called directly: nlp(text) refuses long texts.
    arrays = token_arrays(nlp.get_pipe("sentencizer")(nlp.tokenizer(text)), text)
    starts, ends = arrays.starts, arrays.ends
    words = [i for i, token in enumerate(arrays.texts()) if not token.isspace()]
    breaks = [i for i, first in enumerate(arrays.sentence_starts) if first] + [len(starts)]
    w = 0
    for first, after in itertools.pairwise(breaks):
        sentence: list[int] = []
        while w < len(words) and words[w] < after:
            if words[w] >= first:
                sentence.append(words[w])
            w += 1
        if sentence:
            tree.annotation(SENTENCE_TYPE, starts[sentence[0]], ends[sentence[-1]])
            tree.plain_annotations(TOKEN_TYPE, [(starts[i], ends[i]) for i in sentence])


def _annotations(
    tree: _Tree, s: AnnotationSet, features: dict[str, str], report: WriteReport
) -> None:
    order = list(features.values())  # the span type's features, in the type system's order
    made: dict[int, tuple[int, int, int]] = {}  # span id -> (xmi:id, begin, end)
    for span in s.sorted_spans():
        values: dict[str, Any] = {}
        for name, value in span.attributes.items():
            if name in features:
                values[features[name]] = xml_safe(value, report)
            else:
                report.note("span attributes not in the schema, not exported")
        extra = {f: values[f] for f in order if f in values}
        label = xml_safe(span.label, report)
        number = tree.annotation(
            SPAN_TYPE, span.start, span.end, layer=span.layer, label=label, **extra
        )
        made[sid(span)] = (number, span.start, span.end)
    for r in sorted(s.relations.values(), key=lambda r: (made[r.head][0], r.type)):
        head, (tail, begin, end) = made[r.head][0], made[r.tail]
        label = xml_safe(r.type, report)
        tree.annotation(
            RELATION_TYPE, begin, end, Governor=str(head), Dependent=str(tail), label=label
        )
        report.note("relation attributes not exported (no feature for them)", len(r.attributes))


def write_document(
    path: Path, item: ExportItem, stem: str, features: dict[str, str], report: WriteReport
) -> None:
    """Writes one item's document and first annotation set to the XMI file `path`."""
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
    tree.write(path, text)
