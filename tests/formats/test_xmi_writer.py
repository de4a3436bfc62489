"""The fast XMI writer writes the bytes cassis writes for the same CAS."""

from __future__ import annotations

from cassis import load_cas_from_xmi, load_typesystem

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.formats import xmi
from labeler.formats.records import ExportItem

TEXT = (
    "Zoë 🙂 met 𝒳 Corp.\x07 Their chief said 𝒳 sales rose 5%.\n\n  \n\nZoë  left. "
    "𝒳 <&>\"'\t\r\u2028\x85."
)


def test_cassis_reads_and_writes_back_the_same_bytes(tmp_path, schema):
    s = AnnotationSet(schema, "alice", Status.DONE)
    org = s.add_span(make_span(TEXT, 11, 17, "ORG", schema))
    cue = s.add_span(
        make_span(TEXT, 32, 36, "CUE", schema, {"factuality": "factual", "type": "assertion"})
    )
    source = s.add_span(make_span(TEXT, 19, 31, "SOURCE", schema))
    s.add_relation(Relation("source", cue.id, source.id))
    s.add_relation(Relation("refers_to", source.id, org.id))
    items = [
        ExportItem(
            Document(TEXT, title='Wire \x01🙂 & <"a">', meta={"lang": "en", "q": '"&'}, id=3), [s]
        ),
        ExportItem(Document("Only text.", id=4), []),
        ExportItem(Document("   ", id=5), []),
    ]
    out = tmp_path / "out"
    report = xmi.write(out, items, schema)
    assert report.notes["characters XML 1.0 cannot hold written as spaces"] == 2
    ts = load_typesystem(out / "TypeSystem.xml")
    files = sorted(out.glob("*.xmi"))
    assert len(files) == 3
    for file in files:
        written = file.read_bytes()
        again = tmp_path / "again.xmi"
        load_cas_from_xmi(file, typesystem=ts).to_xmi(again)
        assert again.read_bytes() == written, file.name
