"""Stored suggestions exported apart from the annotations, only when asked: Label Studio
predictions (per recommender, with scores) and the native JSONL's annotator-less list; both
read back as the same suggestions, and never as annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labeler.assist.string_matcher import StringMatcherRecommender
from labeler.domain.annotation import Status
from labeler.domain.document import Document
from labeler.domain.errors import LabelerError
from labeler.services.annotating import AnnotationService
from labeler.services.exporting import ExportOptions, ExportService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.services.suggesting import RecommenderChoice, SuggestionService
from labeler.storage.database import Database

TEXT = (
    '🚢 "We will stay out," Ilse Marquard said in Bergen. '
    "Officials in Bergen met the Bank of Norway."
)
OTHER = "Nothing was said about Oslo."


@pytest.fixture
def env(migrated_db: Database) -> tuple[Database, list[int]]:
    db = migrated_db
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        ids = store.documents.add_many(project.id, [Document(TEXT, "One"), Document(OTHER, "Two")])
    service = SuggestionService(db)
    places = StringMatcherRecommender(
        {"Bergen": "GPE", "Bank of Norway": "ORG", "Oslo": "GPE"}, "gazetteer"
    )
    service.pre_annotate(project, places)
    rules = service.recommender(project, RecommenderChoice("attribution-rules"))
    service.pre_annotate(project, rules)
    # ana accepts the bank and finishes the first document
    session = AnnotationService(db).open(project, ids[0], "ana")
    bank = next(s for s in service.open_for(session) if s.spans[0].label == "ORG")
    service.accept(session, bank)
    session.set_status(Status.DONE)
    return db, ids


def stored(db: Database, project: str) -> set[tuple[str, str, str, float]]:
    """Every stored suggestion of a project: (document title, recommender, key, score)."""
    with db.reading() as store:
        ids = store.documents.ids(store.projects.get(project).id)
        by_doc = store.suggestions.stored(ids)
        titles = {i: store.documents.get(i).title for i in ids}
    return {(titles[i], s.recommender, s.key, s.score) for i, ss in by_doc.items() for s in ss}


def test_label_studio_predictions_only_when_asked_and_never_as_annotations(
    env, tmp_path: Path
) -> None:
    db, _ids = env
    exporter = ExportService(db)
    plain = tmp_path / "plain.json"
    exporter.export("News", "labelstudio", plain, ExportOptions(statuses=frozenset(Status)))
    assert all(task["predictions"] == [] for task in json.loads(plain.read_text("utf-8")))

    out = tmp_path / "tasks.json"
    report = exporter.export(
        "News", "labelstudio", out, ExportOptions(statuses=frozenset(Status), suggestions=True)
    )
    assert report.suggestions == 5  # 3 places and a frame on One, 1 place on Two
    assert "  and 5 suggestions, apart from the sets" in report.describe()
    first, second = json.loads(out.read_text("utf-8"))
    # The annotations hold what ana accepted, and nothing else.
    (annotation,) = first["annotations"]
    assert [r["value"]["text"] for r in annotation["result"]] == ["Bank of Norway"]
    assert second["annotations"] == []
    by_model = {p["model_version"]: p for p in first["predictions"]}
    assert sorted(by_model) == ["attribution rules", "gazetteer"]
    gazetteer = by_model["gazetteer"]
    assert gazetteer["score"] == 0.9
    assert sorted(r["value"]["text"] for r in gazetteer["result"]) == [
        "Bank of Norway", "Bergen", "Bergen"]  # fmt: skip
    assert all(r["score"] == 0.9 and r["from_name"] == "label" for r in gazetteer["result"])
    frame = by_model["attribution rules"]["result"]
    regions = {r["id"]: r["value"]["labels"][0] for r in frame if r["type"] == "labels"}
    links = sorted(
        (r["labels"][0], regions[r["from_id"]], regions[r["to_id"]])
        for r in frame
        if r["type"] == "relation"
    )
    assert links == [("content", "CUE", "CONTENT"), ("source", "CUE", "SOURCE")]
    assert [p["model_version"] for p in second["predictions"]] == ["gazetteer"]


@pytest.mark.parametrize(("format_name", "name"), [("labelstudio", "t.json"), ("jsonl", "t.jsonl")])
def test_an_export_read_back_gives_the_same_suggestions(
    env, tmp_path: Path, format_name: str, name: str
) -> None:
    db, _ids = env
    out = tmp_path / name
    options = ExportOptions(statuses=frozenset(Status), suggestions=True)
    ExportService(db).export("News", format_name, out, options)
    ProjectService(db).create("Again", "news")
    ImportService(db).import_paths("Again", [out], format_name=format_name)
    assert stored(db, "Again") == stored(db, "News")
    assert len(stored(db, "News")) == 5
    # The suggestions came back as suggestions: the only span is the one ana accepted.
    with db.reading() as store:
        project = store.projects.get("Again")
        sets = store.annotations.sets_for(store.documents.ids(project.id), project.schema)
    assert sorted(sp.text for found in sets.values() for s in found for sp in s.spans.values()) == [
        "Bank of Norway"
    ]


def test_native_jsonl_writes_an_annotator_less_list_only_when_asked(env, tmp_path: Path) -> None:
    db, _ids = env
    exporter = ExportService(db)
    plain, asked = tmp_path / "plain.jsonl", tmp_path / "asked.jsonl"
    exporter.export("News", "jsonl", plain)
    lines = plain.read_text("utf-8").splitlines()
    assert not any("suggestions" in json.loads(line) for line in lines)
    exporter.export("News", "jsonl", asked, ExportOptions(suggestions=True))
    first = json.loads(asked.read_text("utf-8").splitlines()[0])
    assert [s["text"] for s in first["annotations"][0]["spans"]] == ["Bank of Norway"]
    simple = sorted(
        (s["text"], s["label"], s["recommender"], s["score"])
        for s in first["suggestions"]
        if "spans" not in s
    )
    assert simple == [
        ("Bank of Norway", "ORG", "gazetteer", 0.9),
        ("Bergen", "GPE", "gazetteer", 0.9),
        ("Bergen", "GPE", "gazetteer", 0.9),
    ]
    (frame,) = [s for s in first["suggestions"] if "spans" in s]
    assert [(s["label"], s["text"]) for s in frame["spans"]] == [
        ("SOURCE", "Ilse Marquard"), ("CUE", "said"), ("CONTENT", "We will stay out")]  # fmt: skip
    assert all("annotator" not in s for s in first["suggestions"])


def test_a_format_without_a_place_for_suggestions_refuses_them(env, tmp_path: Path) -> None:
    db, _ids = env
    with pytest.raises(LabelerError, match="'conll' has no place for suggestions"):
        ExportService(db).export(
            "News", "conll", tmp_path / "x.conll", ExportOptions(suggestions=True)
        )
    assert not (tmp_path / "x.conll").exists()
