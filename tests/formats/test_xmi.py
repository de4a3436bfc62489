"""UIMA CAS XMI: folder round trip through cassis, UTF-16 offsets on disk, foreign files, errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.formats import registry, xmi
from labeler.formats.records import ExportItem, ReadOptions, Record
from labeler.services.importing import check_record
from tests.formats.support import only_error, only_record, span_tuples
from tests.support import offsets

REPO = Path(__file__).resolve().parents[2]
TEXT = (
    "Zoë 🙂 met 𝒳 Corp. Their chief said 𝒳 sales rose 5%, the firm said, "
    "and then fell.\n\nZoë left."
)

XMI_NS = "{http://www.omg.org/XMI}id"
CUSTOM_NS = "{http:///webanno/custom.ecore}"
SEGMENT_NS = "{http:///de/tudarmstadt/ukp/dkpro/core/api/segmentation/type.ecore}"


at = partial(offsets, TEXT)


def annotated(schema, annotator: str = "alice") -> AnnotationSet:
    s = AnnotationSet(schema, annotator, Status.IN_PROGRESS)
    s.add_span(make_span(TEXT, *at("Zoë"), "PERSON", schema))
    org = s.add_span(make_span(TEXT, *at("𝒳 Corp"), "ORG", schema))
    source = s.add_span(make_span(TEXT, *at("Their chief"), "SOURCE", schema))
    cue = s.add_span(
        make_span(TEXT, *at("said"), "CUE", schema, {"type": "assertion", "factuality": "factual"})
    )
    first = s.add_span(make_span(TEXT, *at("𝒳 sales rose 5%"), "CONTENT", schema))
    second = s.add_span(make_span(TEXT, *at("and then fell"), "CONTENT", schema))
    claim = s.add_span(
        make_span(
            TEXT,
            *at("𝒳 sales rose 5%"),
            "CLAIM",
            schema,
            {"checkworthy": "yes", "claim_type": "quantity"},
        )
    )
    s.add_span(make_span(TEXT, *at("5%"), "PERCENT", schema))
    s.add_relation(Relation("source", cue.id, source.id))
    s.add_relation(Relation("content", cue.id, first.id))
    s.add_relation(Relation("continues", first.id, second.id))
    s.add_relation(Relation("attributed_to", claim.id, source.id))
    s.add_relation(Relation("refers_to", source.id, org.id))
    return s


def read_all(path: Path) -> list[Record | InputError]:
    return list(xmi.read(path, ReadOptions()))


@pytest.fixture
def written(tmp_path, schema):
    document = Document(
        TEXT, title="Wire 🙂", date=date(2026, 3, 14), meta={"url": "https://x.test/1"}, id=7
    )
    items = [
        ExportItem(document, [annotated(schema), AnnotationSet(schema, "bob")]),
        ExportItem(Document("Only text here.", id=12), []),
    ]
    out = tmp_path / "out"
    report = xmi.write(out, items, schema)
    return out, report


# ---------------------------------------------------------------- writing and round trip


def as_tuples(s: AnnotationSet, text: str = TEXT) -> tuple:
    return span_tuples(s, text)


def test_writes_one_xmi_per_document_and_one_type_system(written):
    out, report = written
    assert sorted(p.name for p in out.iterdir()) == ["000007.xmi", "000012.xmi", "TypeSystem.xml"]
    assert report.documents == 2
    assert report.notes["annotation sets after the first not exported"] == 1


def test_round_trip_keeps_text_metadata_spans_attributes_and_relations(written, schema):
    out, _ = written
    first, second = read_all(out)
    assert isinstance(first, Record)
    assert isinstance(second, Record)
    assert first.document.text == TEXT
    assert first.document.title == "Wire 🙂"
    assert first.document.date == date(2026, 3, 14)
    assert first.document.meta == {"url": "https://x.test/1"}
    (s,) = check_record(first, schema, "importer")
    assert s.annotator == "alice"
    assert s.status == Status.IN_PROGRESS
    assert as_tuples(s) == as_tuples(annotated(schema))
    assert second.document.text == "Only text here."
    assert second.sets == []


def test_cassis_loads_the_files_and_the_raw_offsets_are_utf16(written):
    out, _ = written
    ts = load_typesystem(out / "TypeSystem.xml")
    cas = load_cas_from_xmi(out / "000007.xmi", typesystem=ts)
    assert cas.sofa_string == TEXT
    labels = {(s.get_covered_text(), s.label) for s in cas.select(xmi.SPAN_TYPE)}
    assert ("𝒳 Corp", "ORG") in labels
    assert ("Zoë", "PERSON") in labels

    root = ET.parse(out / "000007.xmi").getroot()
    utf16 = TEXT.encode("utf-16-le")
    spans = root.findall(f"{CUSTOM_NS}Span")
    assert len(spans) == 8
    loaded = {str(s.xmiID): s.get_covered_text() for s in cas.select(xmi.SPAN_TYPE)}
    for element in spans:
        begin, end = int(element.get("begin")), int(element.get("end"))
        covered = utf16[2 * begin : 2 * end].decode("utf-16-le")
        assert covered == loaded[element.get(XMI_NS)]
    org = next(e for e in spans if e.get("label") == "ORG")
    start, end = at("𝒳 Corp")
    assert (int(org.get("begin")), int(org.get("end"))) == (start + 1, end + 2)  # 🙂, 𝒳


def test_type_system_has_span_relation_and_attribute_features(written, schema):
    out, _ = written
    ts = load_typesystem(out / "TypeSystem.xml")
    span = ts.get_type(xmi.SPAN_TYPE)
    assert span.supertype.name == "uima.tcas.Annotation"
    names = {f.name for f in span.all_features}
    assert {"layer", "label", "checkworthy", "claim_type", "verification", "factuality"} <= names
    assert "attr_type" in names  # `type` is taken in cassis and UIMA; the description keeps it
    relation = ts.get_type(xmi.RELATION_TYPE)
    assert relation.get_feature("Governor").rangeType.name == xmi.SPAN_TYPE
    assert relation.get_feature("Dependent").rangeType.name == xmi.SPAN_TYPE
    assert relation.get_feature("label").rangeType.name == "uima.cas.String"
    root = ET.parse(out / "000007.xmi").getroot()
    rel = next(e for e in root.findall(f"{CUSTOM_NS}Relation") if e.get("label") == "source")
    ids = {e.get(XMI_NS): e for e in root.findall(f"{CUSTOM_NS}Span")}
    assert ids[rel.get("Governor")].get("label") == "CUE"
    dependent = ids[rel.get("Dependent")]
    assert dependent.get("label") == "SOURCE"
    assert (rel.get("begin"), rel.get("end")) == (dependent.get("begin"), dependent.get("end"))


def test_sentences_and_tokens_cover_the_text(written):
    out, _ = written
    ts = load_typesystem(out / "TypeSystem.xml")
    cas = load_cas_from_xmi(out / "000007.xmi", typesystem=ts)
    sentences = cas.select(xmi.SENTENCE_TYPE)
    tokens = cas.select(xmi.TOKEN_TYPE)
    assert len(sentences) == 2  # "Corp." is one token, so no break after it
    assert [t.get_covered_text() for t in tokens[:4]] == ["Zoë", "🙂", "met", "𝒳"]
    visible = {i for i, ch in enumerate(TEXT) if not ch.isspace()}
    for covering in (sentences, tokens):
        covered: list[int] = []
        for a in covering:
            assert a.get_covered_text() == a.get_covered_text().strip()
            covered.extend(range(a.begin, a.end))
        assert len(covered) == len(set(covered))  # no overlap
        assert visible <= set(covered)
    assert {i for t in tokens for i in range(t.begin, t.end)} == visible
    metadata = cas.select(xmi.DOCUMENT_METADATA_TYPE)[0]
    assert (metadata.documentTitle, metadata.documentId, metadata.language) == (
        "Wire 🙂",
        "000007",
        "en",
    )
    root = ET.parse(out / "000007.xmi").getroot()
    assert root.findall(f"{SEGMENT_NS}Token")


def test_characters_xml_cannot_hold_become_spaces(tmp_path, schema):
    text = "Page one.\x0cPage two."
    s = AnnotationSet(schema, "alice", Status.DONE)
    s.add_span(make_span(text, 10, 14, "CARDINAL", schema))
    report = xmi.write(tmp_path, [ExportItem(Document(text, id=1), [s])], schema)
    assert report.notes["characters XML 1.0 cannot hold written as spaces"] == 1
    record = only_record(read_all(tmp_path))
    assert record.document.text == "Page one. Page two."
    assert [(x.start, x.end) for x in record.sets[0].spans] == [(10, 14)]


def test_stems_are_unique_without_ids(tmp_path, schema):
    items = [ExportItem(Document("A."), []), ExportItem(Document("B.", id=3), [])]
    items.append(ExportItem(Document("C.", id=3), []))
    xmi.write(tmp_path, items, schema)
    assert sorted(p.name for p in tmp_path.glob("*.xmi")) == [
        "000003-2.xmi",
        "000003.xmi",
        "doc-000001.xmi",
    ]


def test_registered_as_a_folder_format():
    fmt = registry.get("xmi")
    assert fmt.folder
    assert fmt.read is xmi.read
    assert registry.for_path(Path("a.xmi")) is fmt


# ---------------------------------------------------------------- foreign files and errors

NAMED_ENTITY_TS = """<?xml version="1.0" encoding="UTF-8"?>
<typeSystemDescription xmlns="http://uima.apache.org/resourceSpecifier">
  <types>
    <typeDescription>
      <name>de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity</name>
      <supertypeName>uima.tcas.Annotation</supertypeName>
      <features>
        <featureDescription>
          <name>value</name><rangeTypeName>uima.cas.String</rangeTypeName>
        </featureDescription>
        <featureDescription>
          <name>identifier</name><rangeTypeName>uima.cas.String</rangeTypeName>
        </featureDescription>
      </features>
    </typeDescription>
  </types>
</typeSystemDescription>
"""

NAMED_ENTITY_XMI = """<?xml version="1.0" encoding="UTF-8"?>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore"
    xmlns:type="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore" xmi:version="2.0">
  <cas:NULL xmi:id="0"/>
  <cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text"
      sofaString="Zoë 🙂 met 𝒳 Corp in Paris."/>
  <type:NamedEntity xmi:id="2" sofa="1" begin="0" end="3" value="PERSON"/>
  <type:NamedEntity xmi:id="3" sofa="1" begin="11" end="18" value="ORG"/>
  <type:NamedEntity xmi:id="4" sofa="1" begin="22" end="27" value="GPE"/>
  <cas:View sofa="1" members="2 3 4"/>
</xmi:XMI>
"""


def write_foreign(folder: Path, xmi_text: str, ts_name: str | None = "TypeSystem.xml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if ts_name:
        (folder / ts_name).write_text(NAMED_ENTITY_TS, encoding="utf-8")
    path = folder / "doc.xmi"
    path.write_text(xmi_text, encoding="utf-8")
    return path


def test_named_entities_from_elsewhere_import_as_entity_spans(tmp_path, schema):
    path = write_foreign(tmp_path, NAMED_ENTITY_XMI, "typesystem.xml")
    record = only_record(read_all(path))
    text = "Zoë 🙂 met 𝒳 Corp in Paris."
    assert record.document.text == text
    assert record.document.title == "doc"
    (s,) = check_record(record, schema, "importer")
    assert sorted((x.text, x.label, x.layer) for x in s.spans.values()) == [
        ("Paris", "GPE", "entity"),
        ("Zoë", "PERSON", "entity"),
        ("𝒳 Corp", "ORG", "entity"),
    ]


def test_broken_xml_names_file_line_and_reason(tmp_path):
    path = write_foreign(tmp_path, NAMED_ENTITY_XMI.replace("</xmi:XMI>", "</xmi:XMX>"))
    error = only_error(read_all(path))
    assert error.location.file == str(path)
    assert error.location.line == 11
    assert "invalid XML" in error.reason
    assert "mismatch" in error.reason


def test_missing_type_system_names_file_and_reason(tmp_path):
    path = write_foreign(tmp_path, NAMED_ENTITY_XMI, ts_name=None)
    error = only_error(read_all(path))
    assert error.location.file == str(path)
    assert "TypeSystem.xml" in error.reason


def test_offsets_outside_the_text_are_reported(tmp_path):
    path = write_foreign(tmp_path, NAMED_ENTITY_XMI.replace('end="27"', 'end="90"'))
    error = only_error(read_all(path))
    assert error.location.file == str(path)
    assert "outside the text" in error.reason


def test_offset_inside_a_surrogate_pair_is_reported(tmp_path):
    path = write_foreign(tmp_path, NAMED_ENTITY_XMI.replace('begin="11"', 'begin="12"'))
    error = only_error(read_all(path))
    assert "inside a character" in error.reason


def test_unknown_labels_are_left_to_the_schema_check(tmp_path, schema):
    path = write_foreign(tmp_path, NAMED_ENTITY_XMI.replace('"GPE"', '"CITY"'))
    record = only_record(read_all(path))
    with pytest.raises(InputError, match="CITY"):
        check_record(record, schema, "importer")


def test_bad_file_is_reported_and_the_others_read(tmp_path, written):
    out, _ = written
    (out / "000008.xmi").write_text("<not xmi", encoding="utf-8")
    items = read_all(out)
    assert [type(x).__name__ for x in items] == ["Record", "InputError", "Record"]
    assert items[1].location.file == str(out / "000008.xmi")


def test_metadata_json_is_restored_from_the_custom_type(written):
    out, _ = written
    root = ET.parse(out / "000007.xmi").getroot()
    (info,) = root.findall("{http:///labeler/type.ecore}Metadata")
    assert json.loads(info.get("json"))["annotator"] == "alice"
