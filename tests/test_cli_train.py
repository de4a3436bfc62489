"""`labeler train` and `labeler models`: versions, figures, the threshold, the exported folder."""

from __future__ import annotations

from pathlib import Path

import spacy

from labeler.storage.database import Database
from tests.support import run_cli as run
from tests.training_corpus import stored_stories

SMALL = ("--iterations", "2", "--width", "16", "--depth", "1")


def test_train_prints_progress_and_figures_and_exports(tmp_path: Path, capsys) -> None:
    path = str(tmp_path / "cli.db")
    db = Database(path)
    db.open()
    stored_stories(db, done=8)
    db.close()
    code, out, err = run(capsys, "models", "--project", "Wire", "--db", path)
    assert (code, err) == (0, "")
    assert "no trained model yet" in out
    folder = tmp_path / "pipeline"
    args = ("train", "--project", "Wire", "--db", path, *SMALL)
    code, out, err = run(
        capsys, *args, "--out", str(folder), "--min-f1", "1", "--retrain-every", "3"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == [
        "training on 8 finished documents of 'Wire'",
        *(line for line in lines[1:3] if line.startswith("iteration ")),
    ]
    assert lines[1].startswith("iteration 1/2 loss ") and lines[2].startswith("iteration 2/2 ")
    assert lines[3].startswith("model v1 · P ") and "on 2 held-out documents (6 trained on)" in out
    assert lines[4].split() == ["label", "P", "R", "F1", "spans"]
    assert "below the threshold F1 1.00: it proposes nothing" in out
    assert spacy.load(folder).pipe_names == ["ner"]
    code, out, _ = run(capsys, *args)
    assert code == 0 and "model v2 · P " in out and "proposes nothing" in out  # kept: 1.00
    code, out, _ = run(capsys, "models", "--project", "Wire", "--db", path)
    assert [line.split()[0] for line in out.splitlines()] == ["v1", "v2", "threshold"]
    assert out.splitlines()[-1] == "threshold F1 1.00, retrained every 3"


def test_train_refuses_a_project_with_too_little_done(tmp_path: Path, capsys) -> None:
    path = str(tmp_path / "cli.db")
    db = Database(path)
    db.open()
    stored_stories(db, done=1, todo=3)
    db.close()
    code, _out, err = run(capsys, "train", "--project", "Wire", "--db", path, *SMALL)
    assert code != 0
    assert "training needs at least 2" in err
