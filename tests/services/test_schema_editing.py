"""Changing a project's schema on both engines: counts first, renames carry annotations along,
removals delete exactly what was counted and only once confirmed, versions move on."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from labeler.domain.annotation import Relation, Span, Status
from labeler.domain.document import Document
from labeler.domain.errors import ConflictError, RuleError
from labeler.domain.schema_changes import Renames
from labeler.domain.schema_draft import SchemaDraft
from labeler.domain.schema_toml import parse_schema
from labeler.services.annotating import AnnotationService
from labeler.services.projects import ProjectService
from labeler.services.schema_editing import (
    ImpactChanged,
    OrphansNotConfirmed,
    SchemaEditingService,
)
from labeler.storage.annotation_repository import NewSet
from labeler.storage.schema_change_repository import SchemaChangeRepository
from tests.support import offsets

TEXT = "Ana 😀 said the Clean Air Act cut smog by 12 percent at Acme."
OTHER = "Bob cited the Clean Air Act."


def span(text: str, snippet: str, label: str, layer: str, local_id: int, **attrs: str) -> Span:
    return Span(*offsets(text, snippet), label, layer, snippet, dict(attrs), local_id)


@pytest.fixture
def env(migrated_db):
    db = migrated_db
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        doc_ids = store.documents.add_many(project.id, [Document(TEXT, "One"), Document(OTHER)])
        people = store.annotations.annotator_ids(["ana", "bob"])
        ana_spans = [
            span(TEXT, "Ana", "PERSON", "entity", -1),
            span(TEXT, "Ana", "SOURCE", "attribution", -2),
            span(TEXT, "said", "CUE", "attribution", -3, type="belief", factuality="factual"),
            span(TEXT, "Clean Air Act", "LAW", "entity", -4),
            span(TEXT, "cut smog by 12 percent", "CLAIM", "claim", -5, checkworthy="unsure"),
            span(TEXT, "Acme", "ORG", "entity", -6),
        ]
        ana_relations = [
            Relation("source", -3, -2),
            Relation("refers_to", -2, -1),
            Relation("attributed_to", -5, -2),
        ]
        store.annotations.add_sets(
            [
                NewSet(doc_ids[0], people["ana"], Status.IN_PROGRESS, ana_spans, ana_relations),
                NewSet(
                    doc_ids[1],
                    people["bob"],
                    Status.DONE,
                    [span(OTHER, "Clean Air Act", "LAW", "entity", -1)],
                    [],
                ),
                NewSet(
                    doc_ids[0],
                    people["bob"],
                    Status.TODO,
                    [span(TEXT, "Acme", "ORG", "entity", -1)],
                    [],
                ),
            ]
        )

    class Env:
        service = SchemaEditingService(db)
        projects = ProjectService(db)

        def __init__(self) -> None:
            self.db = db
            self.project = project
            self.doc_ids = doc_ids

        def stored(self) -> dict[tuple[int, str], tuple[int, set, set]]:
            """Each set as (version, spans, relations) with spans and relations by content."""
            schema = self.projects.get("News").schema
            result = {}
            with db.reading() as store:
                sets = store.annotations.sets_for(doc_ids, schema)
            for doc_id, found in sets.items():
                for s in found:
                    by_id = s.spans
                    spans = {
                        (x.text, x.label, x.layer, tuple(sorted(x.attributes.items())))
                        for x in by_id.values()
                    }
                    relations = {
                        (r.type, by_id[r.head].label, by_id[r.tail].label)
                        for r in s.relations.values()
                    }
                    result[(doc_id, s.annotator)] = (s.version, spans, relations)
            return result

    return Env()


def test_renames_carry_spans_relations_and_attribute_values_along(env) -> None:
    before = env.stored()
    draft = SchemaDraft(env.project.schema)
    draft.rename_label("LAW", "STATUTE")
    draft.rename_relation_type("source", "said_by")
    draft.rename_attribute("type", "cue_type")
    draft.rename_value("cue_type", "belief", "opinion")
    draft.recolour_label("ORG", "#123456")
    impact = env.service.impact(env.project, draft.schema, draft.renames())
    assert not impact.orphans_anything and impact.orphans == ()
    assert (impact.spans_relabelled, impact.relations_retyped, impact.values_renamed) == (2, 1, 1)

    done = env.service.apply(env.project, draft.schema, draft.renames())
    assert done.project.schema == draft.schema
    assert env.projects.get("News").schema.label("ORG").color == "#123456"
    assert (done.applied.spans_relabelled, done.applied.relations_retyped) == (2, 1)
    assert (done.applied.spans_deleted, done.applied.relations_deleted) == (0, 0)
    after = env.stored()
    one, two = env.doc_ids
    version, spans, relations = after[(one, "ana")]
    assert version == before[(one, "ana")][0] + 1
    assert ("Clean Air Act", "STATUTE", "entity", ()) in spans
    assert ("said", "CUE", "attribution", (("cue_type", "opinion"), ("factuality", "factual"))) in (
        spans
    )
    assert ("said_by", "CUE", "SOURCE") in relations and len(relations) == 3
    assert after[(two, "bob")][1] == {("Clean Air Act", "STATUTE", "entity", ())}
    assert after[(two, "bob")][0] == before[(two, "bob")][0] + 1
    # Nothing of it changed, yet it moves on too: an editor open on it offers the old labels.
    assert after[(one, "bob")][1:] == before[(one, "bob")][1:]
    assert after[(one, "bob")][0] == before[(one, "bob")][0] + 1
    assert done.applied.sets_changed == 2


def test_a_label_may_move_to_another_layer_and_take_its_spans(env) -> None:
    news = env.project.schema
    moved = replace(
        news,
        layers=tuple(
            replace(layer, labels=tuple(x for x in layer.labels if x.name != "LAW"))
            if layer.name == "entity"
            else replace(layer, labels=(*layer.labels, replace(news.label("LAW"), layer="claim")))
            if layer.name == "claim"
            else layer
            for layer in news.layers
        ),
    )
    done = env.service.apply(env.project, moved)
    assert done.applied.spans_relabelled == 2
    layers = {
        (x[0], x[1], x[2]) for _, spans, _ in env.stored().values() for x in spans if x[1] == "LAW"
    }
    assert layers == {("Clean Air Act", "LAW", "claim")}


def test_impact_counts_what_a_removal_would_orphan(env) -> None:
    draft = SchemaDraft(env.project.schema)
    draft.remove_label("SOURCE")
    draft.remove_value("checkworthy", "unsure")
    impact = env.service.impact(env.project, draft.schema, draft.renames())
    assert [str(o) for o in impact.orphans] == [
        "remove label SOURCE: 1 span, 3 relations",
        "remove relation type attributed_to: 1 relation",
        "remove relation type refers_to: 1 relation",
        "remove relation type source: 1 relation",
        "remove value unsure of attribute checkworthy: 1 span",
    ]
    assert (impact.spans_deleted, impact.relations_deleted, impact.values_dropped) == (1, 3, 1)
    assert impact.summary() == "1 span and 3 relations deleted, 1 attribute value dropped"


def test_a_relation_pairing_the_new_schema_forbids_is_orphaned(env) -> None:
    news = env.project.schema
    narrower = replace(
        news,
        relation_types=tuple(
            replace(r, tails=("ORG", "GPE")) if r.name == "refers_to" else r
            for r in news.relation_types
        ),
    )
    impact = env.service.impact(env.project, narrower)
    assert [str(o) for o in impact.orphans] == [
        "relation type refers_to no longer allows SOURCE → PERSON: 1 relation"
    ]
    done = env.service.apply(env.project, narrower, confirmed=impact)
    assert done.applied.relations_deleted == 1
    one = env.doc_ids[0]
    assert env.stored()[(one, "ana")][2] == {
        ("source", "CUE", "SOURCE"),
        ("attributed_to", "CLAIM", "SOURCE"),
    }


def test_unconfirmed_orphaning_is_refused_and_changes_nothing(env) -> None:
    before = env.stored()
    draft = SchemaDraft(env.project.schema)
    draft.remove_label("LAW")
    with pytest.raises(OrphansNotConfirmed, match="remove label LAW: 2 spans") as refused:
        env.service.apply(env.project, draft.schema, draft.renames())
    assert refused.value.impact.spans_deleted == 2
    assert env.stored() == before
    assert env.projects.get("News").schema == env.project.schema


def test_confirmed_removal_deletes_exactly_what_was_counted(env) -> None:
    before = env.stored()
    draft = SchemaDraft(env.project.schema)
    draft.remove_label("SOURCE")
    draft.remove_label("LAW")
    draft.remove_value("checkworthy", "unsure")
    counted = env.service.impact(env.project, draft.schema, draft.renames())
    done = env.service.apply(env.project, draft.schema, draft.renames(), confirmed=counted)
    assert done.impact == counted
    assert (done.applied.spans_deleted, done.applied.relations_deleted) == (3, 3)
    assert done.applied.spans_reattributed == 1
    after = env.stored()
    gone_spans = sum(len(b[1]) for b in before.values()) - sum(len(a[1]) for a in after.values())
    gone_relations = sum(len(b[2]) for b in before.values()) - sum(
        len(a[2]) for a in after.values()
    )
    assert (gone_spans, gone_relations) == (counted.spans_deleted, counted.relations_deleted)
    one, two = env.doc_ids
    assert after[(two, "bob")][1] == set()
    assert ("cut smog by 12 percent", "CLAIM", "claim", ()) in after[(one, "ana")][1]
    assert after[(one, "ana")][2] == set()
    for key in [(one, "ana"), (two, "bob"), (one, "bob")]:
        assert after[key][0] == before[key][0] + 1
    assert done.applied.sets_changed == 2


def test_an_editor_open_on_the_old_data_gets_a_conflict(env) -> None:
    editing = AnnotationService(env.db).open(env.project, env.doc_ids[1], "bob")
    draft = SchemaDraft(env.project.schema)
    draft.rename_label("LAW", "STATUTE")
    env.service.apply(env.project, draft.schema, draft.renames())
    with pytest.raises(ConflictError):
        editing.add_span(0, 3, "PERSON")


def test_a_schema_changed_elsewhere_is_not_overwritten(env) -> None:
    draft = SchemaDraft(env.project.schema)
    draft.recolour_label("ORG", "#000000")
    env.service.apply(env.project, draft.schema)
    stale = SchemaDraft(env.project.schema)
    stale.recolour_label("PERSON", "#ffffff")
    with pytest.raises(ConflictError, match="changed elsewhere"):
        env.service.apply(env.project, stale.schema)
    assert env.projects.get("News").schema.label("ORG").color == "#000000"


def test_a_loaded_file_is_stored_as_written_comments_and_all(env, news_toml) -> None:
    edited = news_toml.replace('color = "#64b5f6"', 'color = "#0000ff"  # ORG in blue')
    schema = parse_schema(edited)
    env.service.apply(env.project, schema, Renames(), source=edited)
    stored = env.projects.get("News")
    assert stored.schema_source == edited and stored.schema.label("ORG").color == "#0000ff"


def test_two_schema_changes_at_once_the_second_sees_the_first(
    env, monkeypatch, migrated_db_url
) -> None:
    if not migrated_db_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer in at a time: no two changes run at once there")
    held, first_done = threading.Event(), threading.Event()
    lock = SchemaChangeRepository.lock

    def late_lock(repository: SchemaChangeRepository, project_id: int) -> None:
        # The second change reaches its lock, then waits there until the first has committed.
        if threading.current_thread().name == "second":
            held.set()
            first_done.wait(10)
        lock(repository, project_id)

    monkeypatch.setattr(SchemaChangeRepository, "lock", late_lock)
    second = SchemaDraft(env.project.schema)
    second.remove_label("ORG")
    errors: list[Exception] = []

    def run_second() -> None:
        service = SchemaEditingService(env.db)
        try:
            impact = service.impact(env.project, second.schema, second.renames())
            service.apply(env.project, second.schema, second.renames(), confirmed=impact)
        except Exception as error:  # looked at below, in the main thread
            errors.append(error)

    thread = threading.Thread(target=run_second, name="second")
    thread.start()
    assert held.wait(10)
    first = SchemaDraft(env.project.schema)
    first.rename_label("LAW", "STATUTE")
    env.service.apply(env.project, first.schema, first.renames())
    first_done.set()
    thread.join(20)
    assert len(errors) == 1 and isinstance(errors[0], ConflictError), errors
    schema = env.projects.get("News").schema
    assert schema.has_label("STATUTE") and schema.has_label("ORG")
    assert ("Acme", "ORG", "entity", ()) in env.stored()[(env.doc_ids[0], "bob")][1]


def test_a_removed_label_whose_name_is_reused_loses_its_spans(env) -> None:
    draft = SchemaDraft(env.project.schema)
    draft.remove_label("ORG")
    draft.rename_label("PERSON", "ORG")
    impact = env.service.impact(env.project, draft.schema, draft.renames())
    assert [str(o) for o in impact.orphans] == ["remove label ORG: 2 spans"]
    env.service.apply(env.project, draft.schema, draft.renames(), confirmed=impact)
    labelled = {(x[0], x[1]) for _, spans, _ in env.stored().values() for x in spans}
    assert ("Ana", "ORG") in labelled and ("Acme", "ORG") not in labelled


def test_an_editor_open_on_a_set_the_change_left_alone_gets_a_conflict(env) -> None:
    editing = AnnotationService(env.db).open(env.project, env.doc_ids[0], "bob")  # ORG only
    draft = SchemaDraft(env.project.schema)
    draft.remove_label("LAW")
    impact = env.service.impact(env.project, draft.schema, draft.renames())
    done = env.service.apply(env.project, draft.schema, draft.renames(), confirmed=impact)
    assert done.applied.sets_changed == 2  # bob's set on the first document was not one of them
    start = TEXT.index("Clean Air Act")
    with pytest.raises(ConflictError):
        editing.add_span(start, start + len("Clean Air Act"), "LAW")
    assert ("Acme", "ORG", "entity", ()) in env.stored()[(env.doc_ids[0], "bob")][1]
    assert len(env.stored()[(env.doc_ids[0], "bob")][1]) == 1


def test_counts_changed_since_they_were_confirmed_refuse_the_change(env) -> None:
    draft = SchemaDraft(env.project.schema)
    draft.remove_label("ORG")
    shown = env.service.impact(env.project, draft.schema, draft.renames())
    assert shown.spans_deleted == 2
    other = AnnotationService(env.db).open(env.project, env.doc_ids[1], "cy")
    other.add_span(0, 3, "ORG")  # labelled while the lead reads the counts
    before = env.stored()
    with pytest.raises(ImpactChanged, match="counts changed") as refused:
        env.service.apply(env.project, draft.schema, draft.renames(), confirmed=shown)
    assert refused.value.impact.spans_deleted == 3
    assert env.stored() == before
    assert env.projects.get("News").schema.has_label("ORG")
    recounted = env.service.impact(env.project, draft.schema, draft.renames())
    done = env.service.apply(env.project, draft.schema, draft.renames(), confirmed=recounted)
    assert done.applied.spans_deleted == 3


def test_a_change_that_leaves_spans_overlapping_in_a_no_overlap_layer_is_refused(
    env, news_toml
) -> None:
    before = env.stored()
    # SOURCE "Ana" moves into the entity layer, where PERSON "Ana" is and overlap is forbidden.
    moved_text = news_toml.replace(
        "[layers.attribution.labels.SOURCE]", "[layers.entity.labels.SOURCE]"
    )
    moved = parse_schema(moved_text)
    impact = env.service.impact(env.project, moved)
    assert impact.overlaps == {"entity": 1}
    assert "layer 'entity' allows no overlap" in impact.overlap_problem()
    with pytest.raises(RuleError, match=r"'entity' allows no overlap, and 1 pair of spans"):
        env.service.apply(env.project, moved, source=moved_text, confirmed=impact)
    # A removed label's spans carried to a label of such a layer.
    carried = SchemaDraft(env.project.schema)
    carried.remove_label("SOURCE")
    carried.map_label("SOURCE", "PERSON")
    impact = env.service.impact(env.project, carried.schema, carried.renames())
    assert impact.overlaps == {"entity": 1}
    with pytest.raises(RuleError, match="'entity' allows no overlap"):
        env.service.apply(env.project, carried.schema, carried.renames(), confirmed=impact)
    # A layer that no longer allows overlap, with overlapping spans in it.
    AnnotationService(env.db).open(env.project, env.doc_ids[0], "bob").add_span(0, 3, "SOURCE")
    AnnotationService(env.db).open(env.project, env.doc_ids[0], "bob").add_span(0, 3, "CUE")
    stricter = replace(
        env.project.schema,
        layers=tuple(
            replace(layer, allow_overlap=False) if layer.name == "attribution" else layer
            for layer in env.project.schema.layers
        ),
    )
    impact = env.service.impact(env.project, stricter)
    assert impact.overlaps == {"attribution": 1}
    with pytest.raises(RuleError, match="'attribution' allows no overlap"):
        env.service.apply(env.project, stricter, confirmed=impact)
    assert env.projects.get("News").schema == env.project.schema
    after = env.stored()
    assert {k: v for k, v in after.items() if k != (env.doc_ids[0], "bob")} == {
        k: v for k, v in before.items() if k != (env.doc_ids[0], "bob")
    }
