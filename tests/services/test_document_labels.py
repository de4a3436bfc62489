"""Document labels end to end: set in an edit session, stored per annotator, carried by every
format that has a place for them (and back in by its reader), counted as lost by the rest;
and the files the real consumers read (spaCy's DocBin, `datasets`, cassis)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labeler.domain.document import Document
from labeler.domain.errors import InputError, RuleError
from labeler.services.annotating import AnnotationService
from labeler.services.documents import DocumentService
from labeler.services.exporting import DOCUMENT_LABELS_LOST, ExportOptions, ExportService
from labeler.services.importing import ImportService
from labeler.services.label_additions import label_additions
from labeler.services.projects import ProjectService
from labeler.services.resources import builtin_schemas
from labeler.storage.database import Database

TEXT = "Ana 😀 said the 𝔘nion will strike. Prices rose 12% in Bergen."
EXTRA = """
[document.summary]
kind = "text"
description = "The article in one line"

[document.quality]
kind = "rating"
scale = 5

[document.paywalled]
values = ["yes", "no"]
"""
ANA = {
    "topic": ("economy", "international"),
    "genre": ("news",),
    "check_worthy": ("yes",),
    "summary": ("Strike 😀 threat; prices up",),
    "quality": ("4",),
}
BOB = {"genre": ("opinion",), "check_worthy": ("no",)}
CHOICES_OF_ANA = {k: v for k, v in ANA.items() if k in ("topic", "genre", "check_worthy")}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("document-labels")
    schema_file = folder / "news_plus.toml"
    schema_file.write_text(builtin_schemas()["news"].read_text("utf-8") + EXTRA, "utf-8")
    db = Database(str(folder / "db.sqlite"))
    db.open()
    projects = ProjectService(db)
    project = projects.create("P", str(schema_file))
    with db.transaction() as store:
        (doc_id,) = store.documents.add_many(project.id, [Document(TEXT, "Strike")])
    service = AnnotationService(db)
    for annotator, labels in (("ana", ANA), ("bob", BOB)):
        session = service.open(project, doc_id, annotator)
        session.add_span(0, 3, "PERSON")
        for name, values in labels.items():
            session.set_document_label(name, values)
        session.set_status(session.status.DONE)

    class World:
        def __init__(self) -> None:
            self.folder = folder
            self.schema_file = schema_file
            self.projects = projects
            self.exporter = ExportService(db)
            self.importer = ImportService(db)
            self.documents = DocumentService(db)
            self.project = project
            self.doc_id = doc_id
            self.copies = 0

        def labels(self, project_name: str) -> dict[str, dict[str, tuple[str, ...]]]:
            p = projects.get(project_name)
            (row,) = self.documents.summaries(p)
            return {
                s.annotator: s.document_labels for s in self.documents.annotation_sets(p, row.id)
            }

        def copy(self) -> str:
            self.copies += 1
            name = f"copy{self.copies}"
            projects.create(name, str(schema_file))
            return name

    yield World()
    db.close()


def test_labels_are_stored_per_annotator_and_read_back(world) -> None:
    assert world.labels("P") == {"ana": ANA, "bob": BOB}


def test_a_label_outside_the_schema_is_refused_and_nothing_changes(world) -> None:
    session = AnnotationService(world.documents._db).open(world.project, world.doc_id, "ana")
    with pytest.raises(RuleError, match="cannot be 'sport'"):
        session.set_document_label("genre", ("sport",))
    with pytest.raises(RuleError, match="takes one value"):
        session.set_document_label("genre", ("news", "opinion"))
    with pytest.raises(RuleError, match="not in schema"):
        session.set_document_label("mood", ("calm",))
    assert world.labels("P")["ana"] == ANA


# format -> (output name, one set only, what comes back of ana's labels)
CARRIED = {
    "jsonl": ("out.jsonl", False, ANA),
    "labelstudio": ("out.json", False, ANA),
    "spacy": ("out.spacy", True, ANA),
    "hf": ("hf", True, ANA),
    "xmi": ("xmi", True, ANA),
    "doccano": ("out.jsonl", True, CHOICES_OF_ANA),
}


@pytest.mark.parametrize("fmt", sorted(CARRIED))
def test_round_trip_through_each_format_that_holds_them(world, fmt: str) -> None:
    name, one_set, back = CARRIED[fmt]
    out = world.folder / f"rt-{fmt}" / name
    out.parent.mkdir()
    options = ExportOptions(annotators=("ana",)) if one_set else ExportOptions()
    report = world.exporter.export("P", fmt, out, options)
    assert DOCUMENT_LABELS_LOST not in report.not_carried
    copy = world.copy()
    world.importer.import_paths(copy, [out], format_name=fmt, annotator="ana")
    got = world.labels(copy)
    assert got["ana"] == back
    if not one_set:
        assert got["bob"] == BOB
    if fmt == "doccano":  # free text and the rating have no category
        lost = [n for why, n in report.not_carried.items() if "free text or ratings" in why]
        assert lost == [2]


@pytest.mark.parametrize(
    ("fmt", "name"), [("brat", "brat"), ("conll", "x.conll"), ("prodigy", "p.jsonl")]
)
def test_formats_without_a_place_count_them_as_lost(world, fmt: str, name: str) -> None:
    out = world.folder / f"lost-{fmt}" / name
    out.parent.mkdir()
    report = world.exporter.export("P", fmt, out, ExportOptions(annotators=("ana",)))
    assert report.not_carried[DOCUMENT_LABELS_LOST] == len(ANA)
    assert any(f"not carried ({len(ANA)}): document labels" in line for line in report.describe())


def test_a_merged_export_counts_the_labels_annotators_disagree_on(world) -> None:
    out = world.folder / "merged" / "m.jsonl"
    out.parent.mkdir()
    report = world.exporter.export("P", "doccano", out, ExportOptions(merge=True))
    disagree = [n for why, n in report.not_carried.items() if "other values" in why]
    assert disagree == [2]  # genre and check_worthy; ana's kept
    (line,) = out.read_text("utf-8").splitlines()
    cats = json.loads(line)["cats"]
    assert sorted(cats) == ["check_worthy:yes", "economy", "international", "news"]


# ---------------------------------------------------------------- the real consumers


def _export(world, fmt: str, name: str) -> Path:
    out = world.folder / f"consumer-{fmt}" / name
    out.parent.mkdir()
    world.exporter.export("P", fmt, out, ExportOptions(annotators=("ana",)))
    return out


def test_spacy_loads_the_docbin_with_cats(world) -> None:
    import spacy
    from spacy.tokens import DocBin

    out = _export(world, "spacy", "out.spacy")
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
    chosen = {name for name, score in doc.cats.items() if score == 1.0}
    assert chosen == {"economy", "international", "news", "check_worthy:yes"}
    assert doc.cats["politics"] == 0.0 and doc.cats["opinion"] == 0.0
    assert "summary" not in doc.cats  # free text: in user_data only


def test_datasets_loads_a_column_per_document_attribute(world) -> None:
    from datasets import ClassLabel, load_from_disk

    out = _export(world, "hf", "hf")
    train = load_from_disk(str(out))["train"]
    genre = train.features["doc_genre"]
    assert isinstance(genre, ClassLabel) and genre.int2str(train[0]["doc_genre"]) == "news"
    topic = train.features["doc_topic"].feature
    assert [topic.int2str(v) for v in train[0]["doc_topic"]] == ["economy", "international"]
    assert train[0]["doc_summary"] == ANA["summary"][0]
    assert train[0]["doc_quality"] == 4


def test_cassis_loads_the_document_labels_of_the_xmi(world) -> None:
    from cassis import load_cas_from_xmi, load_typesystem

    out = _export(world, "xmi", "xmi")
    with (out / "TypeSystem.xml").open("rb") as f:
        ts = load_typesystem(f)
    (xmi,) = out.glob("*.xmi")
    with xmi.open("rb") as f:
        cas = load_cas_from_xmi(f, typesystem=ts)
    found = sorted(
        (fs.get("name"), fs.get("value")) for fs in cas.select("webanno.custom.DocumentLabel")
    )
    assert found == sorted((n, v) for n, values in ANA.items() for v in values)


# ---------------------------------------------------------------- files the tools made


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_label_studio_results_on_the_whole_text_import(world, tmp_path) -> None:
    task = {
        "data": {"text": TEXT},
        "annotations": [
            {
                "completed_by": {"email": "cara@example.org"},
                "result": [
                    # As Label Studio stores them: a random id, no offsets.
                    {
                        "id": "Xy1",
                        "from_name": "genre",
                        "to_name": "text",
                        "type": "choices",
                        "origin": "manual",
                        "value": {"choices": ["analysis"]},
                    },
                    {
                        "id": "Xy2",
                        "from_name": "topic",
                        "to_name": "text",
                        "type": "choices",
                        "origin": "manual",
                        "value": {"choices": ["health", "science"]},
                    },
                    {
                        "id": "Xy3",
                        "from_name": "summary",
                        "to_name": "text",
                        "type": "textarea",
                        "origin": "manual",
                        "value": {"text": ["Line one", "line two"]},
                    },
                    {
                        "id": "Xy4",
                        "from_name": "quality",
                        "to_name": "text",
                        "type": "rating",
                        "origin": "manual",
                        "value": {"rating": 2},
                    },
                ],
            }
        ],
    }
    copy = world.copy()
    world.importer.import_paths(copy, [_write(tmp_path / "ls.json", [task])])
    assert world.labels(copy) == {
        "cara@example.org": {
            "genre": ("analysis",),
            "topic": ("health", "science"),
            "summary": ("Line one\nline two",),
            "quality": ("2",),
        }
    }


def test_doccano_categories_import_and_unknown_ones_are_refused_or_added(world, tmp_path) -> None:
    good = _write(tmp_path / "good.jsonl", {"text": TEXT, "label": ["economy", "check_worthy:no"]})
    copy = world.copy()
    world.importer.import_paths(copy, [good], format_name="doccano", annotator="dan")
    assert world.labels(copy) == {"dan": {"topic": ("economy",), "check_worthy": ("no",)}}

    ambiguous = _write(tmp_path / "amb.jsonl", {"text": TEXT, "cats": ["yes"]})
    with pytest.raises(InputError, match="'yes' is a value of the document attributes"):
        world.importer.import_paths(world.copy(), [ambiguous], format_name="doccano")

    unknown = _write(tmp_path / "unknown.jsonl", {"text": TEXT, "cats": ["weather", "economy"]})
    with pytest.raises(InputError, match="category 'weather' is no value"):
        world.importer.import_paths(world.copy(), [unknown], format_name="doccano")
    schema = world.projects.get("P").schema
    additions = label_additions(schema, [unknown], "doccano")
    assert [str(e) for e in additions.edits] == ["add document attribute category (multiple)"]
    assert additions.schema.document_attribute("category").values == ("weather",)


# ---------------------------------------------------------------- both engines


def test_labels_on_each_engine_stored_undone_and_carried_by_a_schema_change(
    migrated_db, migrated_db_url, connect
) -> None:
    from dataclasses import replace

    from labeler.services.schema_editing import OrphansNotConfirmed, SchemaEditingService

    project = ProjectService(migrated_db).create("News", "news")
    with migrated_db.transaction() as store:
        (doc_id,) = store.documents.add_many(project.id, [Document(TEXT, "Strike")])
    session = AnnotationService(migrated_db).open(project, doc_id, "ana")
    assert session.set_document_label("topic", ("crime", "health")) == ()
    assert session.set_document_label("genre", ("news",)) == ()
    assert session.set_document_label("genre", ()) == ("news",)  # unset, as undo does

    def stored() -> dict[str, tuple[str, ...]]:
        with connect(migrated_db_url).reading() as store:
            found = store.annotations.set_of(doc_id, "ana", project.schema)
        assert found is not None
        return found.document_labels

    assert stored() == {"topic": ("crime", "health")}
    topic = project.schema.document_attribute("topic")
    narrower = replace(
        project.schema,
        document_attributes=(
            replace(topic, values=tuple(v for v in topic.values if v != "crime")),
        ),
    )
    editing = SchemaEditingService(migrated_db)
    impact = editing.impact(project, narrower)
    assert impact.labels_dropped == 1 and impact.orphans_anything
    assert [str(o) for o in impact.orphans] == [
        "remove value crime of document attribute topic: 1 annotation set"
    ]
    with pytest.raises(OrphansNotConfirmed):
        editing.apply(project, narrower)
    editing.apply(project, narrower, confirmed=impact)
    assert stored() == {"topic": ("health",)}


def test_a_curated_set_starts_with_the_labels_enough_annotators_agree_on(migrated_db) -> None:
    from labeler.services.curation import CurationService
    from tests.agreement_corpus import stored_corpus

    project, ids = stored_corpus(migrated_db)
    service = AnnotationService(migrated_db)
    given = {
        "ana": {"genre": ("news",), "topic": ("economy",)},
        "ben": {"genre": ("news",), "topic": ("crime",)},
        "cy": {"genre": ("opinion",), "topic": ("crime",)},
    }
    for annotator, labels in given.items():
        session = service.open(project, ids[1], annotator)
        for name, values in labels.items():
            session.set_document_label(name, values)
    curation = CurationService(migrated_db).start(project, ids[1], "lee", min_agree=2)
    assert curation.session.annotations.document_labels == {
        "genre": ("news",),
        "topic": ("crime",),
    }
