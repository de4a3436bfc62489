"""The command line as a person uses it: commands, output, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import run_cli as run


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def test_create_import_list_export_and_reimport(capsys, db: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("date 2026-05-04 Mayor resigns\nThe mayor resigned.", "utf-8")
    (folder / "b.txt").write_bytes("Ferry delayed 😀\nThe ferry was late.".encode("utf-16"))
    assert run(capsys, "project", "create", "News", "--schema", "news", "--db", db)[0] == 0
    code, out, err = run(capsys, "import", str(folder), "--project", "News", "--db", db)
    assert code == 0, err
    assert "Imported 2 documents" in out
    code, out, _ = run(capsys, "documents", "--project", "News", "--json", "--db", db)
    rows = json.loads(out)
    assert [(r["title"], r["date"], r["status"]) for r in rows] == [
        ("Mayor resigns", "2026-05-04", "todo"),
        ("Ferry delayed 😀", None, "todo"),
    ]
    assert rows[0]["spans"] == {"entity": 0, "claim": 0, "attribution": 0}
    code, out, _ = run(capsys, "documents", "--project", "News", "--db", db)
    assert "Mayor resigns" in out and "2026-05-04" in out
    out_file = tmp_path / "out.jsonl"
    code, out, _ = run(
        capsys,
        "export",
        "--project",
        "News",
        "--format",
        "jsonl",
        "--out",
        str(out_file),
        "--db",
        db,
    )
    assert code == 0 and "Wrote 2 documents" in out
    run(capsys, "project", "create", "Copy", "--db", db)
    code, out, err = run(capsys, "import", str(out_file), "--project", "Copy", "--db", db)
    assert code == 0, err
    code, out, _ = run(capsys, "project", "list", "--json", "--db", db)
    assert {p["name"]: p["documents"] for p in json.loads(out)} == {"Copy": 2, "News": 2}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["documents", "--project", "Nope"], "no project named 'Nope'"),
        (["project", "create", "X", "--schema", "missing.toml"], "missing.toml"),
        (["import", "nowhere.txt", "--project", "News"], "nowhere.txt: no such file or folder"),
        (
            ["export", "--project", "News", "--format", "nope", "--out", "x"],
            "unknown format 'nope'",
        ),
        (["formats", "--nope"], "No such option: --nope (see 'labeler formats --help')"),
        (["import", "--project", "News"], "Missing argument 'PATH"),
    ],
)
def test_errors_are_one_line_without_traceback(
    capsys, db: str, args: list[str], message: str
) -> None:
    run(capsys, "project", "create", "News", "--db", db)
    code, out, err = run(capsys, *args, "--db", db)
    assert code != 0
    assert message in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_broken_schema_names_file_and_line(capsys, db: str, tmp_path: Path) -> None:
    schema = tmp_path / "mine.toml"
    schema.write_text(
        '[schema]\nname = "mine"\n\n[layers.entity.labels.PERSON]\ncolour = "#ff0000"\n'
    )
    code, _, err = run(capsys, "project", "create", "Mine", "--schema", str(schema), "--db", db)
    assert code == 1
    assert f"{schema}:5:" in err and "did you mean 'color'" in err


def test_bad_database_url_is_one_line(capsys) -> None:
    code, _, err = run(capsys, "project", "list", "--db", "postgresql+psycopg://x@127.0.0.1:1/none")
    assert code == 1
    assert err.startswith("error: cannot open database")
    assert len(err.strip().splitlines()) == 1


def test_env_var_chooses_the_database(capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LABELER_DB", str(tmp_path / "env.db"))
    run(capsys, "project", "create", "FromEnv")
    assert (tmp_path / "env.db").exists()
    _code, out, _ = run(capsys, "project", "list")
    assert "FromEnv" in out


def test_first_run_of_the_default_database_seeds_the_sample(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    code, out, _ = run(capsys, "project", "list", "--json")
    assert code == 0
    [sample] = json.loads(out)
    assert sample["name"] == "Sample" and 4 <= sample["documents"] <= 6
    assert (tmp_path / "data" / "labeler" / "labeler.db").exists()
    code, out, _ = run(capsys, "documents", "--project", "Sample", "--json")
    rows = json.loads(out)
    assert sum(1 for r in rows if sum(r["spans"].values()) > 0) >= 3


def test_python_dash_m_runs_the_command_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "labeler", "formats"], capture_output=True, text=True, check=True
    )
    assert "jsonl" in result.stdout and "import/export" in result.stdout


def test_export_options_choose_statuses_layers_and_splits(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "sample.db")
    sample = Path(__file__).resolve().parents[1] / "resources" / "sample" / "articles.jsonl"
    run(capsys, "project", "create", "S", "--db", db)
    assert run(capsys, "import", str(sample), "--project", "S", "--db", db)[0] == 0
    out = tmp_path / "done.conll"
    code, text, err = run(capsys, "export", "-p", "S", "-f", "conll", "-o", str(out), "--db", db)
    assert code == 0, err
    assert "Wrote 1 document " in text
    assert "left out 4 documents: no annotation set with status done" in text
    assert out.read_text(encoding="utf-8").count("-DOCSTART-") == 1

    folder = tmp_path / "split"
    args = ["export", "-p", "S", "-o", str(folder), "--status", "any", "--layers", "claim"]
    code, text, err = run(capsys, *args, "--split", "60/20/20", "--seed", "3", "--db", db)
    assert code == 0, err
    files = sorted(p.name for p in folder.glob("*.jsonl"))
    assert files == ["dev.jsonl", "test.jsonl", "train.jsonl"]
    lines = [
        json.loads(x) for f in folder.glob("*.jsonl") for x in f.read_text("utf-8").splitlines()
    ]
    assert len(lines) == 5
    layers = {s["layer"] for x in lines for a in x["annotations"] for s in a["spans"]}
    assert layers == {"claim"}

    code, _, err = run(capsys, "export", "-p", "S", "-o", str(out), "--split", "80/30", "--db", db)
    assert code == 1 and "must add up to 100" in err


def test_import_offsets_name_the_unit_a_file_counts(capsys, db: str, tmp_path: Path) -> None:
    # A doccano file written in code points (as labeler wrote them before): read as doccano's
    # own UTF-16 units, "UNESCO" would come in as "ESCO s"; --offsets codepoints reads it right.
    path = tmp_path / "old.jsonl"
    line = {"text": "🎉🎉 On Monday, UNESCO said", "label": [[14, 20, "ORG"]]}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", "utf-8")
    assert run(capsys, "project", "create", "News", "--schema", "news", "--db", db)[0] == 0
    args = ("import", str(path), "--project", "News", "--format", "doccano", "--db", db)
    code, _, err = run(capsys, *args, "--offsets", "bytes")
    assert code != 0
    assert "offsets are counted in codepoints or utf16, not 'bytes'" in err
    code, _, err = run(capsys, *args, "--offsets", "codepoints")
    assert code == 0, err
    code, _, err = run(
        capsys,
        "export",
        "--project",
        "News",
        "--format",
        "jsonl",
        "--out",
        str(tmp_path / "out.jsonl"),
        "--db",
        db,
    )
    assert code == 0, err
    (row,) = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    (s,) = row["annotations"]
    assert [row["text"][x["start"] : x["end"]] for x in s["spans"]] == ["UNESCO"]


def test_export_to_a_one_set_format_asks_whose_sets(capsys, db: str, tmp_path: Path) -> None:
    line = {
        "title": "Shared",
        "text": "Ada Lind said so.",
        "annotations": [
            {"annotator": a, "status": "done", "spans": [{"start": 0, "end": 8, "label": "PERSON"}]}
            for a in ("ana", "ben")
        ],
    }
    source = tmp_path / "two.jsonl"
    source.write_text(json.dumps(line) + "\n", "utf-8")
    assert run(capsys, "project", "create", "Two", "--schema", "news", "--db", db)[0] == 0
    assert run(capsys, "import", str(source), "--project", "Two", "--db", db)[0] == 0
    out = tmp_path / "out.conll"
    args = ("export", "--project", "Two", "--format", "conll", "--out", str(out), "--db", db)
    code, _, err = run(capsys, *args)
    assert code != 0 and not out.exists()
    assert "1 document has sets by several annotators (ana, ben)" in err
    assert "--annotator NAME" in err and "--merge" in err
    code, text, err = run(capsys, *args, "--annotator", "ben")
    assert code == 0, err
    assert "Wrote 1 document (1 span, 0 relations)" in text
