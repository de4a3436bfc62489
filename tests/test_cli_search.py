"""`labeler search`: documents and places for words or a phrase, as a person reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import run_cli as run

ARTICLES = [
    {"text": "The flood aid reached Bergen. Flood aid is late.", "title": "North"},
    {"text": "Aid came before the flood.", "title": "South"},
    {"text": "Nothing here.", "title": "Flood aid report"},
]


@pytest.fixture
def db(capsys, tmp_path: Path) -> str:
    path = str(tmp_path / "cli.db")
    source = tmp_path / "a.jsonl"
    source.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    assert run(capsys, "project", "create", "News", "--db", path)[0] == 0
    assert run(capsys, "import", str(source), "--project", "News", "--db", path)[0] == 0
    return path


def test_phrase_lists_documents_and_places_in_context(capsys, db: str) -> None:
    code, out, _ = run(capsys, "search", '"flood aid"', "--project", "News", "--db", db)
    assert code == 0
    lines = out.splitlines()
    assert "North  (2 places)" in lines[0]
    assert lines[1].split()[:4] == ["[4,", "13)", "The", "[flood"]
    assert "aid] reached Bergen. Flood aid is late." in lines[1]
    assert "Flood aid report  (in the title)" in lines[3]
    assert "South" not in out  # both words, but not as the phrase


def test_words_as_json_and_limit(capsys, db: str) -> None:
    code, out, _ = run(
        capsys, "search", "aid flood", "--project", "News", "--json", "--limit", "2", "--db", db
    )
    found = json.loads(out)
    assert code == 0 and found["more"] is True
    assert [d["title"] for d in found["documents"]] == ["North", "South"]
    assert found["documents"][1]["places"] == [[0, 3], [20, 25]]


def test_no_hit_and_no_word(capsys, db: str) -> None:
    code, out, _ = run(capsys, "search", "zebra", "--project", "News", "--db", db)
    assert (code, out.strip()) == (0, "No document of 'News' holds zebra.")
    code, _, err = run(capsys, "search", "--project", "News", "--db", db, "--", "...")
    assert code == 1 and "at least one word" in err
