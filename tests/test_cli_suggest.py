"""`labeler suggest`: a recommender's suggestions stored for a project's documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from labeler.app import open_services
from labeler.assist.string_matcher import StringMatcherRecommender
from tests.support import run_cli as run


@pytest.fixture
def db(tmp_path: Path, capsys) -> str:
    path = str(tmp_path / "cli.db")
    lines = [
        {"text": "Police said the road to Bergen was closed on Monday.", "title": "A"},
        {"text": "Ana Reyes flew to Oslo.", "title": "B"},
    ]
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    assert run(capsys, "project", "create", "News", "--db", path)[0] == 0
    assert run(capsys, "import", str(data), "--project", "News", "--db", path)[0] == 0
    return path


def stored(db: str, document_id: int) -> list[tuple[str, str, str]]:
    services = open_services(db)
    try:
        project = services.projects.get("News")
        session = services.annotations.open(project, document_id, "ana")
        text = session.document.text
        return sorted(
            (text[s.start : s.end], s.label, x.recommender)
            for x in services.suggestions.open_for(session)
            for s in x.spans
        )
    finally:
        services.close()


def test_gazetteer_and_rules_on_chosen_documents(capsys, db: str, tmp_path: Path) -> None:
    places = tmp_path / "places.tsv"
    places.write_text("Bergen\tGPE\nOslo\tGPE\n", encoding="utf-8")
    code, out, err = run(
        capsys, "suggest", "-p", "News", "-r", "gazetteer", "--gazetteer", str(places),
        "--documents", "2", "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == "gazetteer: 1 suggestions stored on 1 documents"
    assert stored(db, 1) == []
    assert stored(db, 2) == [("Oslo", "GPE", "gazetteer")]
    code, out, err = run(capsys, "suggest", "-p", "News", "-r", "attribution-rules", "--db", db)
    assert code == 0, err
    assert stored(db, 1) == [
        ("Police", "SOURCE", "attribution rules"),
        ("said", "CUE", "attribution rules"),
        ("the road to Bergen was closed on Monday", "CONTENT", "attribution rules"),
    ]


def test_an_installed_pipeline_by_folder_with_a_label_map(capsys, db: str, tmp_path: Path):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "Ana Reyes"}])  # type: ignore[attr-defined]
    folder = tmp_path / "ruler"
    nlp.to_disk(folder)
    code, _, err = run(
        capsys, "suggest", "-p", "News", "-r", "spacy", "--pipeline", str(folder),
        "--map", "PER=PERSON", "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert stored(db, 2) == [("Ana Reyes", "PERSON", "spacy ruler")]


def test_mistakes_are_one_line(capsys, db: str) -> None:
    code, _, err = run(capsys, "suggest", "-p", "News", "-r", "oracle", "--db", db)
    assert code == 1 and "no recommender 'oracle'" in err
    code, _, err = run(capsys, "suggest", "-p", "News", "-r", "spacy", "--db", db)
    assert code == 1 and "needs a pipeline (--pipeline)" in err
    code, _, err = run(
        capsys, "suggest", "-p", "News", "-r", "spacy", "--pipeline", "no_such_pipeline",
        "--db", db,
    )  # fmt: skip
    assert code == 1 and "no installed spaCy pipeline" in err
    code, _, err = run(
        capsys, "suggest", "-p", "News", "-r", "gazetteer", "--gazetteer", "x",
        "--documents", "a,b", "--db", db,
    )  # fmt: skip
    assert code == 1 and "give document ids" in err


def test_acceptance_per_recommender_and_label(capsys, db: str) -> None:
    code, out, _ = run(capsys, "suggestions", "-p", "News", "--db", db)
    assert code == 0 and "was accepted or rejected yet" in out
    services = open_services(db)
    try:
        project = services.projects.get("News")
        services.suggestions.pre_annotate(
            project, services.suggestions.recommender(project, _rules())
        )
        session = services.annotations.open(project, 1, "ana")
        (frame,) = services.suggestions.open_for(session)
        services.suggestions.accept(session, frame)
        gazetteer = StringMatcherRecommender({"Oslo": "GPE", "Ana": "PERSON"}, "gazetteer")
        services.suggestions.pre_annotate(project, gazetteer, [2])
        other = services.annotations.open(project, 2, "ana")
        for suggestion in services.suggestions.open_for(other):
            services.suggestions.reject(other, suggestion)
    finally:
        services.close()
    code, out, _ = run(capsys, "suggestions", "-p", "News", "--db", db)
    assert code == 0
    assert [line.split() for line in out.splitlines()[1:]] == [
        ["attribution", "rules", "(all)", "3", "0", "100%"],
        ["attribution", "rules", "CONTENT", "1", "0", "100%"],
        ["attribution", "rules", "CUE", "1", "0", "100%"],
        ["attribution", "rules", "SOURCE", "1", "0", "100%"],
        ["gazetteer", "(all)", "0", "2", "0%"],
        ["gazetteer", "GPE", "0", "1", "0%"],
        ["gazetteer", "PERSON", "0", "1", "0%"],
    ]


def _rules():
    from labeler.services.suggesting import RecommenderChoice

    return RecommenderChoice("attribution-rules")


def test_export_writes_the_suggestions_only_with_the_option(capsys, db: str, tmp_path: Path):
    code, _, err = run(capsys, "suggest", "-p", "News", "-r", "attribution-rules", "--db", db)
    assert code == 0, err
    plain, asked = tmp_path / "plain.json", tmp_path / "asked.json"
    common = ("-p", "News", "-f", "labelstudio", "--status", "any", "--db", db)
    assert run(capsys, "export", "-o", str(plain), *common)[0] == 0
    assert [t["predictions"] for t in json.loads(plain.read_text("utf-8"))] == [[], []]
    code, out, err = run(capsys, "export", "-o", str(asked), "--suggestions", *common)
    assert code == 0, err
    assert "and 1 suggestion, apart from the sets" in out
    first, second = json.loads(asked.read_text("utf-8"))
    assert [p["model_version"] for p in first["predictions"]] == ["attribution rules"]
    assert first["annotations"] == [] and second["predictions"] == []
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "x.conll"), "-f", "conll",
                       "-p", "News", "--suggestions", "--db", db)  # fmt: skip
    assert code == 1 and "'conll' has no place for suggestions" in err
