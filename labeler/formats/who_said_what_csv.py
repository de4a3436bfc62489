"""Who said what as CSV: one line per attribution (source, cue, content, claims, entity)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from labeler.domain.errors import LabelerError
from labeler.domain.who_said_what import AttributionRow
from labeler.formats.csv_cells import safe_cell

COLUMNS = (
    "document_id",
    "document_title",
    "annotator",
    "span_id",
    "start",
    "source",
    "cue",
    "content",
    "claim",
    "claim_type",
    "checkworthy",
    "verification",
    "entity_label",
    "entity_text",
)


def record(row: AttributionRow) -> tuple[object, ...]:
    """One row's values, in the order of COLUMNS."""
    return (
        "" if row.document_id is None else row.document_id,
        row.document_title,
        row.annotator,
        "" if row.span_id is None else row.span_id,
        row.start,
        row.source,
        row.cue,
        row.content,
        row.claim_text,
        row.claim_type,
        row.checkworthy,
        row.verification,
        row.entity_label,
        row.entity_text,
    )


def write(rows: Iterable[AttributionRow], path: str | Path) -> int:
    """Writes the rows as CSV (UTF-8, a header row, one line per attribution); returns how
    many rows were written. Text a spreadsheet would run as a formula is written as text."""
    count = 0
    try:
        with Path(path).open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            for row in rows:
                writer.writerow([safe_cell(value) for value in record(row)])
                count += 1
    except OSError as error:
        raise LabelerError(f"cannot write {path}: {error.strerror or error}") from error
    return count
