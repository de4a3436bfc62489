"""Native JSONL is lossless: attributions made in the editor (split contents, claims with their
attributes, every relation, two annotators, statuses) export and import back the same."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from labeler.app import open_services
from labeler.domain.annotation import Status
from labeler.services.exporting import ANY_STATUS, ExportOptions
from labeler.services.workspace import Services
from tests.attribution_articles import STRIKE, write_articles
from tests.support import offsets


def everything(services: Services, project_name: str) -> dict[str, tuple]:
    """All a project holds, per document text: metadata and every annotator's full set, with
    spans and relations named by content (ids differ from one database to the next)."""
    project = services.projects.get(project_name)
    held = {}
    for row in services.documents.summaries(project):
        doc = services.documents.get(row.id)
        sets = {}
        for s in services.documents.annotation_sets(project, row.id):
            key = {i: (sp.start, sp.end, sp.layer, sp.label, sp.text) for i, sp in s.spans.items()}
            spans = {(*key[i], tuple(sorted(sp.attributes.items()))) for i, sp in s.spans.items()}
            relations = {
                (r.type, key[r.head], key[r.tail], tuple(sorted(r.attributes.items())))
                for r in s.relations.values()
            }
            sets[s.annotator] = (s.status, spans, relations)
        held[doc.text] = (doc.title, doc.date, tuple(sorted(doc.meta.items())), sets)
    return held


def test_annotations_made_in_the_editor_come_back_whole(tmp_path: Path) -> None:
    services = open_services(str(tmp_path / "first.db"))
    services.projects.create("News", "news")
    articles = write_articles(tmp_path / "articles.jsonl")
    # A relation with attributes of its own, which the schema leaves free.
    records = [json.loads(line) for line in articles.read_text("utf-8").splitlines()]
    records[0]["annotations"][0]["relations"][0]["attributes"] = {"confidence": "high"}
    articles.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    services.importer.import_paths("News", [articles])
    project = services.projects.get("News")
    strike = next(r.id for r in services.documents.summaries(project) if r.title == "Port strike")
    # More made through the editor's service: a cue's attributes, a claim's, a split content.
    session = services.annotations.open(project, strike, "cy")

    at = partial(offsets, STRIKE)

    first = session.add_span(*at("We will stay out"), "CONTENT")
    cue = session.add_span(*at("said"), "CUE", {"type": "assertion", "factuality": "factual"})
    source = session.add_span(*at("Ilse Marquard"), "SOURCE")
    second = session.add_span(*at("Our members have not had a raise"), "CONTENT")
    claim = session.add_span(
        *at("Our members have not had a raise"),
        "CLAIM",
        {"checkworthy": "yes", "claim_type": "quantity", "verification": "disputed"},
    )
    session.add_relation("source", cue.id, source.id)
    session.add_relation("content", cue.id, first.id)
    session.add_relation("continues", first.id, second.id)
    session.add_relation("attributed_to", claim.id, source.id)
    session.set_status(Status.DONE)
    before = everything(services, "News")
    assert before[STRIKE][3]["cy"][0] is Status.DONE
    assert len(before[STRIKE][3]["cy"][2]) == 4
    assert set(before[STRIKE][3]) == {"ana", "bo", "cy"}
    assert any(r[3] == (("confidence", "high"),) for r in before[STRIKE][3]["ana"][2])

    out = tmp_path / "out.jsonl"
    services.exporter.export("News", "jsonl", out, ExportOptions(statuses=ANY_STATUS))
    services.close()

    fresh = open_services(str(tmp_path / "second.db"))
    fresh.projects.create("Copy", "news")
    report = fresh.importer.import_paths("Copy", [out], format_name="jsonl")
    assert (report.imported, report.skipped) == (3, [])
    assert everything(fresh, "Copy") == before
    fresh.close()
