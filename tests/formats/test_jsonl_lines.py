"""The native JSONL lines written as text are, byte for byte, what json.dumps writes for their
content: its separators, its escapes, UTF-8 kept as it is, every field in its place."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.curated import CuratedMark
from labeler.domain.document import Document
from labeler.domain.suggestion import SuggestedSpan, Suggestion
from labeler.formats import jsonl
from labeler.formats.jsonl_lines import item_line, long_string, set_text
from labeler.formats.records import ExportItem, WriteReport
from tests.formats.test_jsonl import TEXT, annotated, at


def rich_sets(schema) -> list[AnnotationSet]:
    plain = annotated(schema, "ana", Status.DONE)
    noted = annotated(schema, "ben", Status.IN_PROGRESS)
    noted.note = 'Check "the quote"\n\tand the \\ path'
    noted.active_seconds = 95
    noted.document_labels = {"topic": ("economy", "politics"), "genre": ("news",)}
    first = min(noted.spans)
    noted.spans[first] = make_span(
        TEXT, *at("Ada Lind"), "PERSON", schema, note="Zoë's \u2028 boss"
    ).with_id(first)
    link = next(iter(noted.relations.values()))
    noted.relations[link.id] = Relation(link.type, link.head, link.tail, {}, link.id, "sure?")
    gold = annotated(schema, "curated", Status.DONE)
    spans, relations = sorted(gold.spans), sorted(gold.relations)
    gold.curated = CuratedMark(
        "lee", {spans[0]: ["ben", "ana"], spans[1]: ["ana"]}, {relations[0]: ["ana", "ben"]}
    )
    return [plain, noted, gold]


def test_a_line_is_what_json_dumps_writes_for_its_content(schema) -> None:
    doc = Document(TEXT, 'Zoë "quits"', date(2026, 5, 1), {"desk": "Bü", "n": [1, 2.5]}, id=9)
    suggestions = [Suggestion(SuggestedSpan(*at("Shares"), "ORG"), 0.1 + 0.2, "gazetteer")]
    line = item_line(ExportItem(doc, rich_sets(schema), suggestions), WriteReport())
    record = json.loads(line)
    assert json.dumps(record, ensure_ascii=False) == line
    assert [s["annotator"] for s in record["annotations"]] == ["ana", "ben", "curated"]
    ana, ben, gold = record["annotations"]
    assert list(ben) == [
        "annotator", "status", "note", "document_labels", "active_seconds", "spans", "relations"
    ]  # fmt: skip
    assert ben["document_labels"] == {"topic": ["economy", "politics"], "genre": ["news"]}
    assert [s.get("note") for s in ben["spans"] if "note" in s] == ["Zoë's \u2028 boss"]
    assert [r.get("note") for r in ben["relations"] if "note" in r] == ["sure?"]
    assert (gold["curated"], gold["curator"]) == (True, "lee")
    assert sorted(s["sources"] for s in gold["spans"] if "sources" in s) == [
        ["ana"], ["ana", "ben"]
    ]  # fmt: skip
    assert [r["sources"] for r in gold["relations"] if "sources" in r] == [["ana", "ben"]]
    assert "curated" not in ana and "note" not in ana
    assert [s["score"] for s in record["suggestions"]] == [0.1 + 0.2]
    assert record["date"] == "2026-05-01" and record["meta"] == doc.meta


def test_a_set_as_a_dict_is_its_text_read_back(schema) -> None:
    for s in rich_sets(schema):
        assert json.dumps(jsonl.set_to_json(s), ensure_ascii=False) == set_text(s)


def test_a_document_without_date_sets_or_meta(schema, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    jsonl.write(out, [ExportItem(Document("Plain text.", id=1), [])], schema)
    assert out.read_text(encoding="utf-8") == (
        '{"title": "", "date": null, "meta": {}, "text": "Plain text.", "annotations": []}\n'
    )


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_a_long_text_is_quoted_as_json_quotes_it(text: str) -> None:
    assert long_string(text) == json.dumps(text, ensure_ascii=False)


def test_every_ascii_character_is_quoted_as_json_quotes_it() -> None:
    every = "".join(map(chr, range(0x80)))
    for text in (every, every * 3, "Plain words.", 'a "quote" \\ and\r\nlines\t', "é\n", ""):
        assert long_string(text) == json.dumps(text, ensure_ascii=False)
