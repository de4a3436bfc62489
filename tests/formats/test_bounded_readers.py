"""Readers of binary and XML data refuse what would grow without bound: zlib bombs in a DocBin,
compressed Arrow data, XML entity expansion and external entities."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest

from labeler.domain.annotation import AnnotationSet, Status, make_span
from labeler.domain.document import Document
from labeler.domain.schema import LabelSchema
from labeler.formats import inflating, registry
from labeler.formats.records import ExportItem
from tests.formats.support import only_error

TEXT = "Ada Lindqvist said the strike cost Bergen dearly."


def _items(schema: LabelSchema) -> list[ExportItem]:
    s = AnnotationSet(schema, "alice", Status.DONE)
    s.add_span(make_span(TEXT, 0, 13, "PERSON", schema))
    return [ExportItem(Document(TEXT), [s])]


def _read(fmt: str, path: Path) -> list:
    reader = registry.get(fmt).read
    assert reader is not None
    from labeler.formats.records import ReadOptions

    return list(reader(path, ReadOptions()))


def test_zlib_data_is_measured_without_keeping_it() -> None:
    data = zlib.compress(b"\0" * 5_000_000)
    assert inflating.check_zlib(data) == 5_000_000
    with pytest.raises(inflating.TooLarge, match="likely decompression bomb"):
        inflating.check_zlib(data, limit=1_000_000)
    with pytest.raises(zlib.error):
        inflating.check_zlib(data[: len(data) // 2])
    assert inflating.expansion_limit(10) == inflating.FLOOR
    assert inflating.expansion_limit(10**9) == inflating.RATIO * 10**9


def test_a_docbin_zlib_bomb_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(inflating, "FLOOR", 1_000_000)
    bomb = tmp_path / "bomb.spacy"
    bomb.write_bytes(zlib.compress(b"\0" * 50_000_000, 9))  # 50 KB that grow 1,000 times
    error = only_error(_read("spacy", bomb))
    assert error.location.file == str(bomb)
    assert "decompression bomb" in error.reason


def test_a_cut_docbin_is_refused(tmp_path: Path, schema: LabelSchema) -> None:
    path = tmp_path / "cut.spacy"
    registry.get("spacy").write(path, _items(schema), schema)  # type: ignore[misc]
    assert len(_read("spacy", path)) == 1
    path.write_bytes(path.read_bytes()[:-40])
    assert "not a spaCy DocBin file" in only_error(_read("spacy", path)).reason


def _xmi_folder(tmp_path: Path, schema: LabelSchema) -> Path:
    folder = tmp_path / "xmi"
    registry.get("xmi").write(folder, _items(schema), schema)  # type: ignore[misc]
    return next(folder.glob("*.xmi"))


def test_xml_entity_expansion_is_refused(tmp_path: Path, schema: LabelSchema) -> None:
    xmi = _xmi_folder(tmp_path, schema)
    head, body = xmi.read_text(encoding="utf-8").split("\n", 1)
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    laughs = xmi.with_name("laughs.xmi")
    laughs.write_text(
        f"{head}\n<!DOCTYPE xmi:XMI [{entities}]>\n{body.replace(TEXT, '&l9;', 1)}",
        encoding="utf-8",
    )
    error = only_error(_read("xmi", laughs))
    assert error.location.file == str(laughs)
    assert "declares a document type or entities" in error.reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_external_entities_are_refused(tmp_path: Path, schema: LabelSchema, encoding) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the password", encoding="utf-8")
    xmi = _xmi_folder(tmp_path, schema)
    head, body = xmi.read_text(encoding="utf-8").split("\n", 1)
    doctype = f'<!DOCTYPE xmi:XMI [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    stolen = xmi.with_name("stolen.xmi")
    text = f"{head}\n{doctype}\n{body.replace(TEXT, '&xxe;', 1)}"
    if encoding == "utf-16":
        text = text.replace("encoding='UTF-8'", "encoding='UTF-16'")
    stolen.write_bytes(text.encode(encoding))
    error = only_error(_read("xmi", stolen))
    assert "declares a document type or entities" in error.reason
    assert "password" not in str(error)


def test_a_type_system_with_entities_is_refused(tmp_path: Path, schema: LabelSchema) -> None:
    xmi = _xmi_folder(tmp_path, schema)
    types = xmi.parent / "TypeSystem.xml"
    head, body = types.read_text(encoding="utf-8").split("\n", 1)
    types.write_text(f'{head}\n<!DOCTYPE t [<!ENTITY a "b">]>\n{body}', encoding="utf-8")
    error = only_error(_read("xmi", xmi))
    assert error.location.file == str(types)
    assert "declares a document type or entities" in error.reason


def test_compressed_arrow_data_is_refused_unread(tmp_path: Path, schema: LabelSchema) -> None:
    import pyarrow as pa

    folder = tmp_path / "ds"
    fmt = registry.get("hf")
    assert fmt.write_splits is not None
    fmt.write_splits(folder, {"train": _items(schema) * 3}, schema)
    arrow = next((folder / "train").glob("*.arrow"))
    with pa.memory_map(str(arrow)) as source:
        table = pa.ipc.open_stream(source).read_all()
    sink = io.BytesIO()
    options = pa.ipc.IpcWriteOptions(compression="zstd")
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    arrow.write_bytes(sink.getvalue())
    error = only_error(_read("hf", folder / "dataset_dict.json"))
    assert error.location.file == str(arrow)
    assert "Arrow data is compressed" in error.reason


def test_arrow_offsets_out_of_bounds_are_refused(tmp_path: Path, schema: LabelSchema) -> None:
    folder = tmp_path / "ds"
    registry.get("hf").write_splits(folder, {"train": _items(schema)}, schema)  # type: ignore[misc]
    arrow = next((folder / "train").glob("*.arrow"))
    data = arrow.read_bytes()
    offsets = (0).to_bytes(4, "little") + len(TEXT).to_bytes(4, "little")
    assert offsets in data  # the text column's offsets: [0, 49]
    arrow.write_bytes(data.replace(offsets, offsets[:4] + (10**6).to_bytes(4, "little")))
    error = only_error(_read("hf", folder / "dataset_dict.json"))
    assert "damaged Arrow data" in error.reason
