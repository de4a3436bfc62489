"""Writing one document as UIMA CAS XMI, element for element as dkpro-cassis writes it.

cassis builds a feature structure per token and checks every feature's type when it writes,
which made XMI the slowest export by far (60 ms a document). This module makes the same lxml
tree straight from the document: the same elements and attributes in the same order, the same
namespace prefixes, ids and UTF-16 offsets, written by the same lxml call, so the bytes are
those cassis writes (a test checks that cassis reads a file and writes it back unchanged).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labeler.domain.annotation import AnnotationSet
from labeler.domain.attribution_links import sid
from labeler.formats.records import ExportItem, WriteReport, first_set
from labeler.formats.spacy_docbin import blank_pipeline, document_lang
from labeler.formats.token_arrays import token_arrays
from labeler.formats.xmi_types import (
    DOCUMENT_METADATA_TYPE,
    METADATA_TYPE,
    RELATION_TYPE,
    SENTENCE_TYPE,
    SPAN_TYPE,
    TOKEN_TYPE,
)

if TYPE_CHECKING:
    pass

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


class _Tree:
    """The XMI elements of one document, with cassis's namespace prefixes and numbering."""

    def __init__(self, text: str) -> None:
        from lxml import etree

        self._etree = etree
        self.nsmap = {"xmi": _XMI_NS, "cas": _CAS_NS}
        self._prefixes: dict[str, str] = {}
        self._repeats: dict[str, int] = {}
        self._tags: dict[str, str] = {}
        self.root = etree.Element(
            etree.QName(_XMI_NS, "XMI"), attrib={f"{{{_XMI_NS}}}version": "2.0"}, nsmap=self.nsmap
        )
        etree.SubElement(self.root, etree.QName(_CAS_NS, "NULL")).attrib[_ID] = "0"
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
            tag = self._tags[type_name] = f"{{{url}}}{name}"
        return tag

    def add(self, type_name: str, attributes: dict[str, str]) -> int:
        """Adds a feature structure; returns its xmi:id."""
        number = self.next_id
        self.next_id += 1
        element = self._etree.SubElement(self.root, self._tag(type_name))
        element.attrib[_ID] = str(number)
        for key, value in attributes.items():
            element.attrib[key] = value
        return number

    def annotation(self, type_name: str, begin: int, end: int, **features: str) -> int:
        u16 = self.u16
        return self.add(
            type_name, {"sofa": _SOFA, "begin": str(u16(begin)), "end": str(u16(end)), **features}
        )

    def write(self, path: Path, text: str) -> None:
        etree = self._etree
        sub = etree.SubElement
        sofa = sub(self.root, etree.QName(_CAS_NS, "Sofa"))
        for key, value in (
            (_ID, _SOFA),
            ("sofaNum", "1"),
            ("sofaID", "_InitialView"),
            ("mimeType", "text/plain"),
            ("sofaString", text),
        ):
            sofa.attrib[key] = value
        view = sub(self.root, etree.QName(_CAS_NS, "View"))
        view.attrib["sofa"] = _SOFA
        view.attrib["members"] = " ".join(str(n) for n in range(2, self.next_id))
        document = etree.ElementTree(self.root)
        etree.cleanup_namespaces(document, top_nsmap=self.nsmap)
        with path.open("wb") as out:
            document.write(out, xml_declaration=True, pretty_print=False, encoding="UTF-8")


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
        for i in sentence:
            tree.annotation(TOKEN_TYPE, starts[i], ends[i])


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
    tree.write(path, text)
