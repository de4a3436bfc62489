"""Who said what across a project, read through storage on both engines, and its CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from labeler.domain.errors import LabelerError
from labeler.services.documents import DocumentService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.services.who_said_what import (
    CSV_COLUMNS,
    RowsCancelled,
    WhoSaidWhatService,
    write_csv,
)
from tests.attribution_articles import BARRIER, STRIKE, write_articles


@pytest.fixture
def env(migrated_db, tmp_path: Path):
    db = migrated_db
    projects = ProjectService(db)
    project = projects.create("News", "news")
    ImportService(db).import_paths("News", [write_articles(tmp_path / "articles.jsonl")])
    ids = {s.title: s.id for s in DocumentService(db).summaries(project)}
    return WhoSaidWhatService(db), project, ids


def test_one_annotators_rows_over_every_document_in_order(env) -> None:
    service, project, ids = env
    rows = service.rows(project, "ana")
    assert [(r.document_title, r.source, r.cue, r.content, r.claim_text) for r in rows] == [
        (
            "Port strike",
            "Ilse Marquard",
            "said",
            '"We will stay out," … "Our members have not had a raise."',
            "Our members have not had a raise",
        ),
        (
            "Port strike",
            "Economists at Halden Bank",
            "warned",
            "growth could slow",
            "growth could slow",
        ),
        (
            "Flood barrier",
            "The council",
            "said",
            "the flood barrier costs $42 million",
            "the flood barrier costs $42 million",
        ),
    ]
    assert [r.document_id for r in rows] == [ids["Port strike"]] * 2 + [ids["Flood barrier"]]
    assert {r.annotator for r in rows} == {"ana"}
    # The stored span ids: each row's place is its cue, at the cue's offset.
    assert [r.start for r in rows] == [
        STRIKE.index("said"),
        STRIKE.index("warned"),
        BARRIER.index("said"),
    ]
    assert all(r.span_id is not None and r.span_id > 0 and r.cue_id == r.span_id for r in rows)
    assert (rows[0].entity_label, rows[0].entity_text) == ("PERSON", "Ilse Marquard")
    assert (rows[1].entity_label, rows[1].entity_text) == ("ORG", "Halden Bank")


def test_every_annotator_by_name_and_the_annotator_list(env) -> None:
    service, project, _ = env
    rows = service.rows(project)
    assert [(r.document_title, r.annotator, r.cue) for r in rows] == [
        ("Port strike", "ana", "said"),
        ("Port strike", "ana", "warned"),
        ("Port strike", "bo", "said"),
        ("Flood barrier", "ana", "said"),
    ]
    assert rows[2].content == '"We will stay out,"'
    assert service.annotators(project) == ["ana", "bo"]
    assert service.rows(project, "nobody") == []


def test_reading_reports_progress_and_stops_when_cancelled(env) -> None:
    service, project, _ = env
    seen: list[tuple[int, int]] = []
    service.rows(project, "ana", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 3)]
    with pytest.raises(RowsCancelled):
        service.rows(project, "ana", cancelled=lambda: True)


def test_csv_has_a_header_and_one_line_per_attribution(env, tmp_path: Path) -> None:
    service, project, ids = env
    rows = service.rows(project, "ana")
    path = tmp_path / "who said what.csv"
    assert write_csv(rows, path) == 3
    with path.open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    assert records[0] == list(CSV_COLUMNS)
    assert len(records) == 4
    first = dict(zip(records[0], records[1], strict=True))
    assert first == {
        "document_id": str(ids["Port strike"]),
        "document_title": "Port strike",
        "annotator": "ana",
        "span_id": str(rows[0].span_id),
        "start": str(STRIKE.index("said")),
        "source": "Ilse Marquard",
        "cue": "said",
        "content": '"We will stay out," … "Our members have not had a raise."',
        "claim": "Our members have not had a raise",
        "claim_type": "event",
        "checkworthy": "yes",
        "verification": "unverified",
        "entity_label": "PERSON",
        "entity_text": "Ilse Marquard",
    }
    assert [r[records[0].index("claim_type")] for r in records[1:]] == [
        "event",
        "prediction",
        "quantity",
    ]


def test_csv_to_a_folder_that_does_not_exist_is_refused_with_the_path(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.csv"
    with pytest.raises(LabelerError, match="cannot write"):
        write_csv([], target)
