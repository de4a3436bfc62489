"""`labeler export` on an up-to-date SQLite database runs before Typer, SQLAlchemy and pydantic
load: the same files and the same words as the full command line for every format and option,
and the full command line whenever the database is anything else."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from labeler.app import exports_pending, main, open_services, open_window, quick_export
from labeler.cli import build_cli
from labeler.cli.export_request import parse_export
from labeler.cli.quick import quick_answer
from tests.services.test_export_swap import _export, _killed_export
from tests.support import run_cli
from tests.test_cli_startup import loaded_by

SAMPLE = Path(__file__).parent.parent / "resources" / "sample" / "articles.jsonl"
STATUSES = ("done", "in_progress", "done", "skipped", "todo")


def _rich_lines() -> list[str]:
    """The sample articles (all three layers, relations, attributes), each with a second
    annotator's set, document labels, notes, a curated set on most, stored suggestions on
    some, sets of several statuses, and one article nobody annotated."""
    lines = []
    for n, line in enumerate(SAMPLE.read_text(encoding="utf-8").splitlines()):
        article = json.loads(line)
        annotations = article.pop("annotations", [])
        ana = {**annotations[0], "annotator": "ana", "status": STATUSES[n]} if annotations else {}
        if not ana:
            lines.append(json.dumps(article))
            continue
        spans = ana["spans"]
        spans[0]["note"] = "check the spelling"
        ana["note"] = "a long one" if n % 2 else ""
        ana["document_labels"] = {"topic": ["economy", "politics"], "genre": ["news"]}
        ana["active_seconds"] = 60 * (n + 1)
        kept = [s for s in spans if s["layer"] != "claim"][::2]
        ids = {s["id"] for s in kept}
        ben = {
            "annotator": "ben",
            "status": "done" if n % 2 == 0 else "in_progress",
            "spans": kept,
            "relations": [r for r in ana["relations"] if {r["head"], r["tail"]} <= ids],
            "document_labels": {"topic": ["economy"], "check_worthy": ["yes"]},
        }
        sets = [ana, ben]
        if n < 3:
            gold = {**ben, "annotator": "curated", "status": "done", "curated": True}
            gold["curator"] = "lee"
            gold["spans"] = [{**s, "sources": ["ana", "ben"]} for s in kept]
            sets.append(gold)
        article["annotations"] = sets
        if n in (0, 2):
            first = spans[1]
            article["suggestions"] = [
                {
                    "start": first["start"],
                    "end": first["end"],
                    "label": first["label"],
                    "score": 0.75,
                    "recommender": "gazetteer",
                }
            ]
        lines.append(json.dumps(article, ensure_ascii=False))
    lines.append(json.dumps({"title": "Untouched", "text": "Nobody annotated this article."}))
    return lines


@pytest.fixture(scope="module")
def rich_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rich")
    source = folder / "rich.jsonl"
    source.write_text("\n".join(_rich_lines()) + "\n", encoding="utf-8")
    db = folder / "rich.db"
    assert main(["project", "create", "News", "--db", str(db)]) == 0
    assert main(["import", str(source), "-p", "News", "--db", str(db)]) == 0
    return db


@pytest.fixture
def db(rich_db: Path, tmp_path: Path) -> str:
    copy = tmp_path / "copy.db"
    shutil.copyfile(rich_db, copy)
    return str(copy)


def full_cli(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    """The command line without the quick answers."""
    code = build_cli(open_services, open_window)(args)
    out, err = capsys.readouterr()
    return code, out, err


def quick(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    """The quick answer alone; fails if it would hand the command to the full command line."""
    code = quick_answer(args, None, quick_export=quick_export)
    assert code is not None, "the quick path did not answer"
    out, err = capsys.readouterr()
    return code, out, err


def files_under(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {".": path.read_bytes()}
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def records(path: Path) -> list[object]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


CASES = [
    ["-f", "jsonl"],
    ["-f", "jsonl", "--status", "done,in_progress", "--suggestions"],
    ["-f", "jsonl", "--annotator", "ana", "--layers", "entity,claim", "--labels", "PERSON,CLAIM"],
    ["-f", "jsonl", "--split", "50/25/25", "--seed", "3", "--status", "any"],
    ["-f", "jsonl", "--curated"],
    ["--format=labelstudio", "--status=any", "--suggestions"],
    ["-f", "doccano", "--merge", "--status", "any"],
    ["-f", "conll", "--annotator", "ana", "--status", "any"],
    ["-f", "conll", "--curated", "--split", "50/50"],
    ["-f", "prodigy", "--merge"],
    ["-f", "spacy", "--annotator", "ben"],
    ["-f", "brat", "--merge", "--status", "any"],
    ["-f", "xmi", "--annotator", "ana", "--status", "any"],
    ["-f", "hf", "--curated"],
]


@pytest.mark.parametrize("options", CASES, ids=[" ".join(c) for c in CASES])
def test_the_quick_export_writes_what_the_full_command_writes(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    out = tmp_path / "out"
    args = ["export", "-p", "News", "-o", str(out), "--db", db, *options]
    said = quick(capsys, args)
    assert said[0] == 0, said
    written = files_under(out)
    shutil.move(out, tmp_path / "quick")
    assert full_cli(capsys, args) == said
    assert files_under(out) == written
    assert any(written.values())


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-p", "Nwes", "-o", "{tmp}/x.jsonl"], "no project named 'Nwes'"),
        (["-p", "News", "-f", "nope", "-o", "{tmp}/x.jsonl"], "nope"),
        (["-p", "News", "-f", "csv", "-o", "{tmp}/x.csv"], "cannot be exported"),
        (["-p", "News", "-f", "conll", "-o", "{tmp}/x.conll"], "several annotators"),
        (["-p", "News", "-o", "{tmp}"], "is a folder"),
        (["-p", "News", "--status", "finished", "-o", "{tmp}/x.jsonl"], "--status 'finished'"),
        (["-p", "News", "--curated", "--merge", "-o", "{tmp}/x.jsonl"], "--curated takes"),
        (["-p", "News", "--annotator", "zed", "-o", "{tmp}/x.jsonl"], "nothing written"),
        (["-p", "News", "--layers", "nope", "-o", "{tmp}/x.jsonl"], "nope"),
    ],
)
def test_the_quick_export_refuses_as_the_full_command_does(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    args = ["export", *(a.format(tmp=tmp_path) for a in args), "--db", db]
    said = quick(capsys, args)
    assert said[0] == 1 and words in said[2], said
    assert full_cli(capsys, args) == said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db"]


def test_an_unwritable_output_says_what_the_full_command_says(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    args = ["export", "-p", "News", "-o", str(tmp_path / "file" / "x.jsonl"), "--db", db]
    said = run_cli(capsys, *args)
    assert said[0] != 0 and said[2].startswith("error:"), said
    assert full_cli(capsys, args) == said


def test_the_quick_export_loads_no_database_library_nor_typer(db: str, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    assert loaded_by("export", "-p", "News", "-o", str(out), "--db", db) == []
    assert len(out.read_text(encoding="utf-8").splitlines()) == 6


@pytest.mark.parametrize(
    "words",
    [
        ["-p", "News"],  # no --out: Typer says what is missing
        ["-p", "News", "-o", "x", "-o", "y"],
        ["-p", "News", "-o", "x", "--help"],
        ["-p", "News", "-o", "x", "--seed", "one"],
        ["-p", "News", "-o", "x", "--merge=yes"],
        ["-p", "News", "-o", "x", "extra"],
        ["-pNews", "-o", "x"],
    ],
)
def test_other_export_command_lines_go_to_the_full_command_line(words: list[str]) -> None:
    assert parse_export(words) is None


def test_a_database_of_another_revision_goes_the_usual_way(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    args = ["export", "-p", "News", "-o", str(tmp_path / "x.jsonl"), "--db", db]
    assert quick_answer(args, None, quick_export=quick_export) is None
    code, _, err = run_cli(capsys, *args)
    assert code == 1 and "written by a newer version of labeler" in err


def test_a_bundle_goes_the_usual_way_which_refuses_its_annotator(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO bundle_origin (document_id, annotator_id, server_version, local_version) "
            "SELECT s.document_id, s.annotator_id, 1, 1 FROM annotation_set s "
            "JOIN annotator a ON a.id = s.annotator_id WHERE a.name = 'ana'"
        )
    conn.close()
    args = ["export", "-p", "News", "-o", str(tmp_path / "x.jsonl"), "--db", db]
    assert quick_answer(args, None, quick_export=quick_export) is None
    code, _, err = run_cli(capsys, *args)
    assert code == 1 and "only a lead may export; ana is an annotator" in err


@pytest.mark.postgres
def test_a_server_database_goes_the_usual_way_with_the_same_output(
    rich_db: Path,
    migrated_postgres: str,
    postgres: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cluster = postgres
    url = cluster.new_database(migrated_postgres)  # type: ignore[attr-defined]
    try:
        source = tmp_path / "rich.jsonl"
        source.write_text("\n".join(_rich_lines()) + "\n", encoding="utf-8")
        assert main(["project", "create", "News", "--db", url]) == 0
        assert main(["import", str(source), "-p", "News", "--db", url]) == 0
        capsys.readouterr()
        for options in (["--status", "any", "--suggestions"], ["--curated"]):
            on_file, on_server = tmp_path / "file.jsonl", tmp_path / "server.jsonl"
            lite = ["export", "-p", "News", "-o", str(on_file), "--db", str(rich_db), *options]
            assert quick(capsys, lite)[0] == 0
            server = ["export", "-p", "News", "-o", str(on_server), "--db", url, *options]
            assert quick_answer(server, None, quick_export) is None
            assert run_cli(capsys, *server)[0] == 0
            # The same records; PostgreSQL's JSONB keeps an object's keys in an order of its own.
            assert records(on_server) == records(on_file)
            on_file.unlink()
            on_server.unlink()
    finally:
        cluster.drop_database(url)  # type: ignore[attr-defined]


def test_the_quick_export_recovers_a_killed_export_first(db: str, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "dataset"
    _export(out, "v1")
    _killed_export(out, "no-exchange", exports_pending())
    assert not out.exists()
    exporter = quick_export(db)  # the start of the quick export, as of the app
    assert exporter is not None
    exporter.close()
    assert (out / "data.txt").read_text(encoding="utf-8") == "v2"
    assert list(exports_pending().glob("*.txt")) == []
