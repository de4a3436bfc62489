"""Suggestions through the services on both engines: stored per document, rejected per
annotator, accepted as ordinary spans that name their recommender, never exported unless
accepted; recommenders that raise or hang are reported, not waited for."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from labeler.assist.recommender import Recommender
from labeler.assist.safe_run import run_safely
from labeler.assist.string_matcher import StringMatcherRecommender
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.document import Document
from labeler.domain.errors import InputError, NotFoundError
from labeler.domain.suggestion import SuggestedSpan, Suggestion
from labeler.services.annotating import AnnotationService
from labeler.services.exporting import ExportOptions, ExportService
from labeler.services.projects import ProjectService
from labeler.services.suggesting import RecommenderChoice, SuggestionService
from tests.failing_recommenders import Hanging, Raising

TEXT = "Police said the road to Bergen was closed. 😀 Officials in Bergen met the Bank of Norway."
OTHER = '"We will stay out," Ilse Marquard said in Bergen.'


@pytest.fixture
def env(migrated_db):
    db = migrated_db
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        ids = store.documents.add_many(project.id, [Document(TEXT, "One"), Document(OTHER, "Two")])
    return db, project, ids, SuggestionService(db)


def gazetteer() -> StringMatcherRecommender:
    return StringMatcherRecommender({"Bergen": "GPE", "Bank of Norway": "ORG"}, "gazetteer")


def texts(text: str, suggestions: list[Suggestion]) -> list[tuple[str, str]]:
    return sorted((text[s.start : s.end], s.label) for x in suggestions for s in x.spans)


def test_batch_suggestions_are_stored_per_document_and_replaced_on_a_rerun(env) -> None:
    db, project, ids, service = env
    seen: list[tuple[int, int]] = []
    report = service.pre_annotate(project, gazetteer(), progress=lambda d, n: seen.append((d, n)))
    assert (report.documents, report.stored, report.problems) == (2, 4, [])
    assert seen == [(1, 2), (2, 2)]
    assert report.headline() == "gazetteer: 4 suggestions stored on 2 documents"
    again = service.pre_annotate(project, gazetteer(), [ids[1]])
    assert again.stored == 1
    session = AnnotationService(db).open(project, ids[0], "ana")
    assert texts(TEXT, service.open_for(session)) == [
        ("Bank of Norway", "ORG"), ("Bergen", "GPE"), ("Bergen", "GPE")]  # fmt: skip
    with pytest.raises(NotFoundError, match="no document 999"):
        service.pre_annotate(project, gazetteer(), [999])


def test_rejected_is_not_proposed_again_to_that_annotator_on_that_document(env) -> None:
    db, project, ids, service = env
    service.pre_annotate(project, gazetteer())
    ana = AnnotationService(db).open(project, ids[0], "ana")
    bank = next(s for s in service.open_for(ana) if s.spans[0].label == "ORG")
    service.reject(ana, bank)
    assert bank not in service.open_for(AnnotationService(db).open(project, ids[0], "ana"))
    assert bank in service.open_for(AnnotationService(db).open(project, ids[0], "bo"))
    # Computed live too: a rejected proposal stays away whichever recommender makes it.
    live, outcomes = service.compute(ana, [gazetteer()])
    assert bank.key not in {s.key for s in live} and outcomes[0].problem is None
    service.unreject(ana, bank)
    assert bank in service.open_for(ana)
    assert service.decisions(project) == {}


def test_accepted_becomes_an_ordinary_span_that_names_its_recommender(env) -> None:
    db, project, ids, service = env
    service.pre_annotate(project, gazetteer())
    ana = AnnotationService(db).open(project, ids[0], "ana")
    bank = next(s for s in service.open_for(ana) if s.spans[0].label == "ORG")
    (span, relations), = service.accept(ana, bank)  # fmt: skip
    assert (span.text, span.label, relations) == ("Bank of Norway", "ORG", [])
    reopened = AnnotationService(db).open(project, ids[0], "ana")
    assert [(s.text, s.label) for s in reopened.annotations.spans.values()] == [
        ("Bank of Norway", "ORG")
    ]
    assert service.sources(reopened) == {span.id: "gazetteer"}
    assert bank not in service.open_for(reopened)  # it is a span now
    # Undo takes the span and its source away; redo brings both back under the same id.
    removed = reopened.remove_spans([span.id])
    assert service.sources(reopened) == {}
    reopened.restore_spans(removed, source="gazetteer")
    assert service.sources(reopened) == {span.id: "gazetteer"}
    service.reject(reopened, service.open_for(reopened)[0])
    assert service.decisions(project) == {
        ("gazetteer", "GPE"): (0, 1),
        ("gazetteer", "ORG"): (1, 0),
    }


def test_an_attribution_frame_is_accepted_as_spans_with_their_relations(env) -> None:
    db, project, ids, service = env
    rules = service.recommender(project, RecommenderChoice("attribution-rules"))
    service.pre_annotate(project, rules, [ids[1]])
    session = AnnotationService(db).open(project, ids[1], "ana")
    (frame,) = service.open_for(session)
    added = service.accept(session, frame)
    spans = {s.label: s for s, _ in added}
    assert {k: s.text for k, s in spans.items()} == {
        "SOURCE": "Ilse Marquard", "CUE": "said", "CONTENT": "We will stay out"}  # fmt: skip
    links = {(r.type, r.head, r.tail) for r in session.annotations.relations.values()}
    cue = spans["CUE"].id
    assert links == {("source", cue, spans["SOURCE"].id), ("content", cue, spans["CONTENT"].id)}
    stored = AnnotationService(db).open(project, ids[1], "ana").annotations
    assert len(stored.spans) == 3 and len(stored.relations) == 2
    assert set(service.sources(session).values()) == {"attribution rules"}
    assert service.decisions(project) == {
        ("attribution rules", label): (1, 0) for label in ("CONTENT", "CUE", "SOURCE")
    }


def test_suggestions_never_enter_an_export_unless_accepted(env, tmp_path: Path) -> None:
    db, project, ids, service = env
    service.pre_annotate(project, gazetteer())
    ana = AnnotationService(db).open(project, ids[0], "ana")
    bank = next(s for s in service.open_for(ana) if s.spans[0].label == "ORG")
    service.accept(ana, bank)
    out = tmp_path / "out.jsonl"
    ExportService(db).export("News", "jsonl", out, ExportOptions())
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    labelled = [
        (TEXT if r["title"] == "One" else OTHER)[s["start"] : s["end"]]
        for r in exported
        for a in r.get("annotations", [])
        for s in a["spans"]
    ]
    assert labelled == ["Bank of Norway"]
    assert "Bergen" not in json.dumps([r.get("annotations") for r in exported])


def test_a_recommender_that_raises_or_hangs_is_reported_and_the_others_still_answer(
    env,
) -> None:
    db, project, ids, service = env
    ana = AnnotationService(db).open(project, ids[0], "ana")
    hanging = Hanging([Suggestion(SuggestedSpan(0, 6, "ORG"), 0.5, "hanging")])
    began = time.perf_counter()
    found, outcomes = service.compute(ana, [Raising(), hanging, gazetteer()], timeout=0.3)
    took = time.perf_counter() - began
    hanging.release.set()
    assert took < 2
    assert [(o.recommender, o.problem) for o in outcomes] == [
        ("raising", "failed: RuntimeError: model file is corrupt"),
        ("hanging", "gave no answer within 0.3 s"),
        ("gazetteer", None),
    ]
    assert len(found) == 3
    report = service.pre_annotate(project, Raising())
    assert report.stored == 0 and len(report.problems) == 2
    assert report.problems[0].endswith("failed: RuntimeError: model file is corrupt")


def test_run_safely_gives_the_suggestions_of_a_recommender_that_answers(news_toml) -> None:
    from labeler.domain.schema_toml import parse_schema

    annotations = AnnotationSet(parse_schema(news_toml, "news.toml"), "ana")
    outcome = run_safely(gazetteer(), TEXT, annotations, timeout=10)
    assert outcome.problem is None and len(outcome.suggestions) == 3


def test_jsonl_suggestions_are_imported_as_suggestions_not_spans(env, tmp_path: Path) -> None:
    from labeler.services.importing import ImportService

    db, project, _ids, service = env
    text = "Crlf\r\nBergen 😀 and Oslo."
    line = {
        "text": text,
        "title": "Three",
        "spans": [{"start": 19, "end": 23, "label": "GPE"}],
        "suggestions": [
            {"start": 6, "end": 12, "label": "GPE", "score": 0.7, "recommender": "desk model"},
            {"start": 19, "end": 23, "label": "GPE"},
        ],
    }
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = ImportService(db).import_paths("News", [path])
    assert (report.imported, report.spans, report.suggestions) == (1, 1, 2)
    assert "2 suggestions stored" in report.headline("News")
    (doc_id,) = [i for i in project_docs(db, project) if i not in _ids]
    session = AnnotationService(db).open(project, doc_id, "ana")
    shown = service.open_for(session)
    assert [(texts(session.document.text, [x]), x.score, x.recommender) for x in shown] == [
        ([("Bergen", "GPE")], 0.7, "desk model"),
        ([("Oslo", "GPE")], 0.5, "import"),
    ]
    imported = AnnotationService(db).open(project, doc_id, "imported").annotations
    assert [s.text for s in imported.spans.values()] == ["Oslo"]
    unknown = [{"start": 0, "end": 5, "label": "X"}]
    bad = dict(line, text="Other text here.", spans=[], suggestions=unknown)
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"in.jsonl:1: suggestion 1: unknown label 'X'"):
        ImportService(db).import_paths("News", [path])


def project_docs(db, project) -> list[int]:
    with db.reading() as store:
        return store.documents.ids(project.id)


def test_the_string_matcher_learns_the_texts_labelled_in_the_project(env) -> None:
    db, project, ids, service = env
    ana = AnnotationService(db).open(project, ids[1], "ana")
    bergen = OTHER.index("Bergen")
    ana.add_span(bergen, bergen + 6, "GPE")
    bo = AnnotationService(db).open(project, ids[1], "bo")
    bo.add_span(bergen, bergen + 6, "LOC")
    AnnotationService(db).open(project, ids[1], "cy").add_span(bergen, bergen + 6, "GPE")
    matcher = service.recommender(project, RecommenderChoice("string-matcher"))
    assert matcher.name == "string matcher"
    session = AnnotationService(db).open(project, ids[0], "ana")
    found, _ = service.compute(session, [matcher])
    assert texts(TEXT, found) == [("Bergen", "GPE"), ("Bergen", "GPE")]  # GPE twice, LOC once


def test_a_rejected_frame_counts_under_each_of_its_labels_and_tallies_total_them(env) -> None:
    db, project, ids, service = env
    rules = service.recommender(project, RecommenderChoice("attribution-rules"))
    service.pre_annotate(project, rules, [ids[1]])
    service.pre_annotate(project, gazetteer(), [ids[1]])
    session = AnnotationService(db).open(project, ids[1], "ana")
    frame = next(s for s in service.open_for(session) if s.recommender == "attribution rules")
    place = next(s for s in service.open_for(session) if s.recommender == "gazetteer")
    service.reject(session, frame)
    service.accept(session, place)
    assert service.decisions(project) == {
        ("attribution rules", "CONTENT"): (0, 1),
        ("attribution rules", "CUE"): (0, 1),
        ("attribution rules", "SOURCE"): (0, 1),
        ("gazetteer", "GPE"): (1, 0),
    }
    rows = [
        (t.recommender, t.label, t.accepted, t.rejected, t.rate) for t in service.tallies(project)
    ]
    assert rows == [
        ("attribution rules", "", 0, 3, 0.0),
        ("attribution rules", "CONTENT", 0, 1, 0.0),
        ("attribution rules", "CUE", 0, 1, 0.0),
        ("attribution rules", "SOURCE", 0, 1, 0.0),
        ("gazetteer", "", 1, 0, 1.0),
        ("gazetteer", "GPE", 1, 0, 1.0),
    ]


def test_learning_a_span_proposes_its_text_elsewhere_but_not_what_was_rejected(env) -> None:
    db, project, ids, service = env
    matcher = StringMatcherRecommender({})
    session = AnnotationService(db).open(project, ids[0], "ana")
    first = TEXT.index("Bergen")
    span = session.add_span(first, first + 6, "GPE")
    found, outcomes = service.learn(session, [matcher], span, session.annotations)
    assert [o.problem for o in outcomes] == [None]
    (other,) = found
    assert texts(TEXT, found) == [("Bergen", "GPE")] and other.spans[0].start > first
    service.reject(session, other)
    assert service.learn(session, [matcher], span, session.annotations)[0] == []
    # Learned for good: the matcher proposes it on the next document too.
    two = AnnotationService(db).open(project, ids[1], "ana")
    assert texts(OTHER, matcher.suggest(OTHER, two.annotations)) == [("Bergen", "GPE")]


class Unteachable(Recommender):
    name = "unteachable"

    def suggest(self, text: str, annotations: AnnotationSet, new_span: Span | None = None):
        return []

    def learn(self, text: str, span: Span) -> None:
        raise ValueError("cannot learn")


def test_a_recommender_that_fails_to_learn_is_reported(env) -> None:
    db, project, ids, service = env
    session = AnnotationService(db).open(project, ids[0], "ana")
    span = session.add_span(0, 6, "PERSON")
    found, outcomes = service.learn(session, [Unteachable()], span, session.annotations)
    assert found == []
    assert outcomes[0].problem == "failed to learn: ValueError: cannot learn"


def test_the_entity_rules_are_live_where_the_schema_has_their_labels(env, tmp_path) -> None:
    db, project, _ids, service = env
    names = [r.name for r in service.live_recommenders(project)]
    assert names == ["string matcher", "attribution rules", "entity rules"]
    rules = service.recommender(project, RecommenderChoice("entity-rules"))
    assert rules.name == "entity rules"
    conf = tmp_path / "annotation.conf"
    conf.write_text("[entities]\nTopic\n[relations]\n[events]\n[attributes]\n", "utf-8")
    plain = ProjectService(db).create_from("Plain", conf)
    assert "entity rules" not in [r.name for r in service.live_recommenders(plain)]
