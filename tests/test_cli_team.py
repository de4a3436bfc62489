"""The team commands as a person types them: accounts, assignment, progress, bundles."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from labeler.app import open_services
from labeler.cli import build_cli
from labeler.domain.document import Document
from labeler.storage.database import Database
from tests.support import run_cli as run
from tests.team_setup import make_team


@pytest.mark.postgres
def test_a_team_is_set_up_assigned_and_refused_from_the_command_line(
    capsys, postgres, monkeypatch, tmp_path: Path
) -> None:
    team = make_team(postgres)
    owner = team.owner_url
    assert run(capsys, "team", "init", "--db", owner)[0] == 0  # again: safe
    code, out, err = run(capsys, "team", "add", f"carol{team.lead}", "--db", owner)
    assert code == 0, err
    carol = f"carol{team.lead}"
    password = out.split("Password (shown only now; give it to " + carol + "): ")[1].strip()
    team.passwords[carol] = password
    monkeypatch.setattr("sys.stdin", io.StringIO("dave's own\n"))
    dave = f"dave{team.lead}"
    code, out, err = run(
        capsys, "team", "add", dave, "--role", "lead", "--password-stdin", "--db", owner
    )
    assert code == 0, err
    assert "Password" not in out
    team.passwords[dave] = "dave's own"
    assert run(capsys, "team", "join", carol, "--project", "Ours", "--db", owner)[0] == 0
    code, out, _ = run(capsys, "team", "list", "--db", owner)
    listed = {line.split()[0]: line.split(maxsplit=2)[1:] for line in out.splitlines()}
    assert listed[carol] == ["annotator", "Ours"]
    assert listed[dave] == ["lead", "no project"]
    code, out, err = run(
        capsys,
        "assign",
        "--project",
        "Ours",
        "--annotators",
        f"{carol},{team.alice}",
        "--per-document",
        "1",
        "--seed",
        "1",
        "--db",
        team.url(dave),
    )
    assert code == 0, err
    assert f"{carol}: " in out
    code, out, err = run(capsys, "documents", "--project", "Ours", "--db", team.url(carol))
    assert code == 0, err
    assert out.splitlines()[0].startswith(f"Assigned to {carol}: 0 / ")
    code, out, _ = run(capsys, "progress", "--project", "Ours", "--db", team.url(dave))
    assert f"{carol}  0 / " in out
    article = tmp_path / "a.txt"
    article.write_text("A new article.", encoding="utf-8")
    code, _, err = run(capsys, "import", str(article), "--project", "Ours", "--db", team.url(carol))
    assert code == 1
    assert err == f"error: only a lead may import documents; {carol} is an annotator\n"
    code, _, err = run(
        capsys,
        "export",
        "--project",
        "Ours",
        "--format",
        "jsonl",
        "--out",
        str(tmp_path / "out.jsonl"),
        "--db",
        team.url(carol),
    )
    assert (code, err) == (1, f"error: only a lead may export; {carol} is an annotator\n")
    code, _, err = run(
        capsys, "assign", "--project", "Ours", "--annotators", carol, "--db", team.url(carol)
    )
    assert (code, err.strip()) == (
        1,
        f"error: only a lead may assign documents; {carol} is an annotator",
    )
    code, _, err = run(capsys, "project", "list", "--db", team.url(carol, "wrong"))
    assert code == 1
    assert "cannot open database" in err and "wrong password or user name" in err
    assert "wrong" not in err.split("@")[0]  # the URL is shown without its password
    code, _, err = run(capsys, "project", "list", "--db", team.url(carol, ""))
    assert code == 1 and "no password given (in the URL, PGPASSWORD or ~/.pgpass)" in err
    monkeypatch.setenv("PGPASSWORD", password)
    code, out, err = run(capsys, "project", "list", "--db", team.url(carol, ""))
    assert code == 0, err
    assert "Ours" in out
    monkeypatch.delenv("PGPASSWORD")
    newcomer = f"erin{team.lead}"
    run(capsys, "team", "add", newcomer, "--db", owner)
    monkeypatch.setattr("sys.stdin", io.StringIO("erin's\n"))
    run(capsys, "team", "remove", newcomer, "--db", owner)
    run(capsys, "team", "add", newcomer, "--password-stdin", "--db", owner)
    team.passwords[newcomer] = "erin's"
    code, out, _ = run(capsys, "project", "list", "--db", team.url(newcomer))
    assert out.startswith(f"{newcomer} is not a member of any project yet")
    assert run(capsys, "team", "remove", carol, "--db", owner)[0] == 0
    code, out, _ = run(capsys, "team", "list", "--db", owner)
    assert carol not in out


def test_team_commands_on_sqlite_say_what_they_need(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "one.db")
    code, _, err = run(capsys, "team", "init", "--db", db)
    assert code == 1
    assert "needs a team database on PostgreSQL" in err


def test_assign_progress_and_a_bundle_round_trip_on_sqlite(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "lead.db")
    run(capsys, "project", "create", "News", "--db", db)
    setup = Database(db)
    with setup.transaction() as store:
        project = store.projects.get("News")
        store.documents.add_many(project.id, [Document(f"Story {i} text.") for i in range(4)])
    setup.close()
    code, out, err = run(
        capsys, "assign", "--project", "News", "--annotators", "ana,bo", "--db", db
    )
    assert code == 0, err
    assert "ana: 2 documents" in out and "bo: 2 documents" in out
    bundle = tmp_path / "ana.bundle"
    code, out, err = run(
        capsys, "bundle", "out", "--project", "News", "--annotator", "ana", str(bundle), "--db", db
    )
    assert code == 0, err
    assert "Wrote 2 documents" in out
    offline = open_services(str(bundle))
    try:
        copy = offline.projects.get("News")
        first = offline.assignments.document_ids(copy, "ana")[0]
        offline.annotations.open(copy, first, "ana").add_span(0, 5, "ORG")
    finally:
        offline.close()
    code, out, err = run(capsys, "bundle", "in", str(bundle), "--db", db)
    assert code == 0, err
    assert out.startswith("1 annotation sets brought back, 1 unchanged")
    code, out, _ = run(capsys, "progress", "--project", "News", "--db", db)
    assert "ana  0 / 2 done  (1 in progress, 0 skipped)" in out
    code, out, _ = run(capsys, "documents", "--project", "News", "--assigned-to", "bo", "--db", db)
    assert out.splitlines()[0] == "Assigned to bo: 0 / 2 done"


def test_a_file_given_alone_opens_in_the_window(tmp_path: Path) -> None:
    db = tmp_path / "bundle.db"
    made = Database(str(db))
    made.open()
    made.close()
    opened: list[str] = []

    def open_window(services) -> int:
        opened.append(services.database)
        return 0

    cli = build_cli(open_services, open_window)
    assert cli([str(db)]) == 0
    assert opened == [str(db)]
