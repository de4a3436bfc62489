"""Every format through the services: export the Sample project, import it back, compare.

Each format gives back exactly the part it holds: the native formats everything, the others
their spans (and relations and attributes where they have a place for them).
"""

from __future__ import annotations

import pytest

from labeler.services.documents import DocumentService
from labeler.services.exporting import ANY_STATUS, ExportOptions, ExportService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.services.sample import SAMPLE_PROJECT, seed_sample

# format -> (what it holds: "relations", "attributes", "meta"), output name
HOLDS = {
    "jsonl": ({"relations", "attributes", "meta"}, "out.jsonl"),
    "spacy": ({"relations", "attributes", "meta"}, "out.spacy"),
    "hf": ({"relations", "attributes", "meta"}, "hf"),
    "brat": ({"relations", "attributes"}, "brat"),
    "labelstudio": ({"relations", "attributes"}, "out.json"),
    "xmi": ({"relations", "attributes", "meta"}, "xmi"),
    "doccano": ({"relations"}, "out.jsonl"),
    "prodigy": ({"relations"}, "out.jsonl"),
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("round-trips")
    from labeler.storage.database import Database

    db = Database(str(folder / "db.sqlite"))
    db.open()
    projects = ProjectService(db)
    importer = ImportService(db)
    seed_sample(projects, importer)
    yield projects, importer, ExportService(db), DocumentService(db), folder
    db.close()


def snapshot(projects, documents, project: str, holds: set[str]) -> dict[str, tuple]:
    """What a project holds, per document text, limited to what a format can carry."""
    p = projects.get(project)
    result = {}
    for row in documents.summaries(p):
        doc = documents.get(row.id)
        spans, relations = set(), set()
        for s in documents.annotation_sets(p, row.id):
            for sp in s.spans.values():
                attrs = tuple(sorted(sp.attributes.items())) if "attributes" in holds else ()
                spans.add((sp.start, sp.end, sp.label, attrs))
            if "relations" in holds:
                for r in s.relations.values():
                    head, tail = s.spans[r.head], s.spans[r.tail]
                    relations.add((r.type, head.start, head.label, tail.start, tail.label))
        meta = (doc.title, doc.date) if "meta" in holds else ()
        result[doc.text] = (meta, spans, relations)
    return result


@pytest.mark.parametrize("fmt", sorted(HOLDS))
def test_export_then_import_gives_back_what_the_format_holds(sample, fmt: str) -> None:
    projects, importer, exporter, documents, folder = sample
    holds, name = HOLDS[fmt]
    out = folder / fmt / name
    out.parent.mkdir()
    report = exporter.export(SAMPLE_PROJECT, fmt, out, ExportOptions(statuses=ANY_STATUS))
    assert report.documents == 5
    copy = f"copy-{fmt}"
    projects.create(copy, "news")
    back = importer.import_paths(copy, [out], format_name=fmt)
    assert (back.imported, back.skipped, back.duplicates) == (5, [], [])
    original = snapshot(projects, documents, SAMPLE_PROJECT, holds)
    assert snapshot(projects, documents, copy, holds) == original


def test_conll_gives_back_the_entities_by_their_words(sample) -> None:
    projects, importer, exporter, documents, folder = sample
    out = folder / "sample.conll"
    exporter.export(SAMPLE_PROJECT, "conll", out, ExportOptions(statuses=ANY_STATUS))
    projects.create("copy-conll", "news")
    assert importer.import_paths("copy-conll", [out]).imported == 5

    def entities(project: str) -> list[list[tuple[str, str]]]:
        p = projects.get(project)
        found = []
        for row in documents.summaries(p):
            spans = [
                (" ".join(sp.text.split()), sp.label)
                for s in documents.annotation_sets(p, row.id)
                for sp in s.sorted_spans()
                if sp.layer == "entity"
            ]
            found.append(spans)
        return found

    # CoNLL keeps tokens, not spacing: "$60 million" comes back as "$ 60 million".
    def squeeze(rows):
        return [[(text.replace(" ", ""), label) for text, label in row] for row in rows]

    assert squeeze(entities("copy-conll")) == squeeze(entities(SAMPLE_PROJECT))


@pytest.mark.parametrize(("fmt", "name"), [("hf", "hf"), ("xmi", "xmi"), ("brat", "brat")])
def test_a_dataset_folder_imports_without_naming_its_format(sample, fmt: str, name: str) -> None:
    projects, importer, exporter, _, folder = sample
    out = folder / f"auto-{fmt}" / name
    exporter.export(SAMPLE_PROJECT, fmt, out, ExportOptions(statuses=ANY_STATUS))
    projects.create(f"auto-{fmt}", "news")
    report = importer.import_paths(f"auto-{fmt}", [out.parent])
    assert (report.imported, report.skipped, report.duplicates) == (5, [], [])


@pytest.mark.parametrize(("fmt", "name"), [("brat", "brat"), ("conll", "x.conll")])
def test_documents_without_annotations_come_back_as_todo(sample, fmt: str, name: str) -> None:
    projects, importer, exporter, documents, folder = sample
    out = folder / f"todo-{fmt}" / name
    out.parent.mkdir()
    exporter.export(SAMPLE_PROJECT, fmt, out, ExportOptions(statuses=ANY_STATUS))
    projects.create(f"todo-{fmt}", "news")
    importer.import_paths(f"todo-{fmt}", [out], format_name=fmt)
    statuses = sorted(r.status for r in documents.summaries(projects.get(f"todo-{fmt}")))
    # The two sample articles nobody has annotated stay to do; a training export leaves them out.
    assert statuses.count("todo") == 2
