"""Single edits through the annotation service on both engines: each committed, all or nothing,
and refused when someone else changed the set since it was opened."""

from __future__ import annotations

import threading
from functools import partial

import pytest
import sqlalchemy as sa

from labeler.app import open_services
from labeler.domain.annotation import AnnotationSet, Span, Status
from labeler.domain.document import Document
from labeler.domain.errors import ConflictError, RuleError
from labeler.services.annotating import AnnotationService, EditSession
from labeler.services.documents import DocumentService
from labeler.services.projects import ProjectService
from labeler.services.resources import builtin_schemas
from tests.support import offsets

# Non-BMP characters before the spans: code-point and UTF-16 offsets differ here.
TEXT = "Ana 😀 said Ørsted hired 12 people. 𝔘nion leaders warned of 𝔘 costs."


at = partial(offsets, TEXT)


@pytest.fixture
def env(migrated_db, migrated_db_url, connect):
    db = migrated_db
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        doc_ids = store.documents.add_many(
            project.id, [Document(TEXT, "First"), Document("Another text.", "Second")]
        )

    class Env:
        url = migrated_db_url
        service = AnnotationService(db)
        service_projects = ProjectService(db)

        def __init__(self) -> None:
            self.db = db
            self.project = project
            self.doc_id = doc_ids[0]
            self.other_doc_id = doc_ids[1]

        def open(self, annotator: str = "ana", document_id: int | None = None) -> EditSession:
            return self.service.open(self.project, document_id or self.doc_id, annotator)

        def stored(self, annotator: str = "ana") -> AnnotationSet | None:
            """The set as a fresh connection reads it from the database."""
            fresh = connect(migrated_db_url)
            with fresh.reading() as store:
                return store.annotations.set_of(self.doc_id, annotator, project.schema)

    return Env()


def spans_of(s: AnnotationSet | None) -> dict[int, Span]:
    assert s is not None
    return s.spans


def test_a_new_session_is_empty_and_stores_nothing_until_the_first_edit(env) -> None:
    session = env.open()
    assert (session.document.text, session.annotations.id, session.status) == (
        TEXT,
        None,
        Status.TODO,
    )
    assert session.annotations.spans == {} and session.schema is env.project.schema
    assert env.stored() is None


def test_add_span_is_stored_with_its_database_id_in_code_points(env) -> None:
    session = env.open()
    start, end = at("Ørsted")
    org = session.add_span(start, end, "ORG")
    assert org.id is not None and org.id > 0
    assert (org.start, org.end, org.text, org.layer) == (11, 17, "Ørsted", "entity")
    assert session.annotations.spans == {org.id: org}
    assert session.annotations.id is not None
    stored = env.stored()
    assert stored is not None
    assert stored.id == session.annotations.id
    assert stored.version == session.annotations.version
    assert stored.spans == {org.id: org}
    # A span after two non-BMP characters: offsets count code points, not UTF-16 units.
    start, end = at("costs")
    costs = session.add_span(start, end, "MONEY")
    assert TEXT[costs.start : costs.end] == "costs"
    assert spans_of(env.stored())[costs.id].start == TEXT.index("costs")


def test_first_content_edit_moves_the_set_to_in_progress(env) -> None:
    session = env.open()
    session.add_span(*at("Ana"), "PERSON")
    assert session.status is Status.IN_PROGRESS
    stored = env.stored()
    assert stored is not None and stored.status is Status.IN_PROGRESS
    # The document list sees it too.
    [summary] = [s for s in DocumentService(env.db).summaries(env.project) if s.id == env.doc_id]
    assert summary.status == "in_progress"


def test_set_status_is_stored_and_returns_the_old_status(env) -> None:
    session = env.open()
    assert session.set_status(Status.SKIPPED) is Status.TODO  # creates the set
    stored = env.stored()
    assert stored is not None and stored.status is Status.SKIPPED and stored.spans == {}
    assert session.set_status(Status.DONE) is Status.SKIPPED
    assert env.stored().status is Status.DONE  # type: ignore[union-attr]
    # A content edit of a finished set leaves its status alone.
    session.add_span(*at("Ana"), "PERSON")
    assert env.stored().status is Status.DONE  # type: ignore[union-attr]
    version = env.stored().version  # type: ignore[union-attr]
    assert session.set_status(Status.DONE) is Status.DONE  # no change, no write
    assert env.stored().version == version  # type: ignore[union-attr]


def test_update_span_round_trip(env) -> None:
    session = env.open()
    cue = session.add_span(*at("said"), "CUE", {"type": "assertion"})
    old = session.update_span(cue.id, attributes={"type": "belief", "factuality": "factual"})
    assert old == cue
    assert spans_of(env.stored())[cue.id].attributes == {"type": "belief", "factuality": "factual"}
    # Resizing recomputes the text from the document.
    start, _ = at("Ana")
    session.update_span(cue.id, start=start)
    assert spans_of(env.stored())[cue.id].text == "Ana 😀 said"
    # A new label may move the span to another layer; attributes the label lacks are dropped.
    session.update_span(cue.id, start=at("Ana")[0], end=at("Ana")[1], label="PERSON")
    moved = spans_of(env.stored())[cue.id]
    assert (moved.label, moved.layer, moved.text, moved.attributes) == (
        "PERSON",
        "entity",
        "Ana",
        {},
    )
    assert session.annotations.spans == spans_of(env.stored())
    # Undo is update_span back to the old values.
    session.update_span(
        cue.id, start=cue.start, end=cue.end, label=cue.label, attributes=cue.attributes
    )
    assert spans_of(env.stored())[cue.id] == cue


def test_rule_errors_write_nothing_and_change_nothing(env) -> None:
    session = env.open()
    org = session.add_span(*at("Ørsted"), "ORG")
    session.add_span(*at("12"), "CARDINAL")
    src = session.add_span(*at("Ana"), "SOURCE")
    cue = session.add_span(*at("said"), "CUE")
    session.add_relation("source", cue.id, src.id)
    before = env.stored()
    local = (dict(session.annotations.spans), dict(session.annotations.relations))
    version = session.annotations.version
    attempts = [
        lambda: session.add_span(*at("Ørsted hired"), "GPE"),  # overlaps ORG
        lambda: session.add_span(0, len(TEXT) + 1, "CLAIM"),  # outside the text
        lambda: session.add_span(*at("people"), "NUMBER"),  # unknown label
        lambda: session.add_span(*at("said"), "CUE", {"type": "rumour"}),  # bad value
        lambda: session.add_span(*at("costs"), "MONEY", span_id=org.id),  # id in use
        lambda: session.update_span(org.id, end=at("12")[1]),  # would overlap CARDINAL
        lambda: session.update_span(src.id, label="CONTENT"),  # its `source` relation forbids
        lambda: session.update_span(12345, label="ORG"),
        lambda: session.add_relation("source", src.id, cue.id),  # backwards
        lambda: session.add_relation("source", cue.id, 12345),
        lambda: session.remove_span(12345),
        lambda: session.remove_relation(12345),
    ]
    for attempt in attempts:
        with pytest.raises(RuleError):
            attempt()
    assert env.stored() == before
    assert (dict(session.annotations.spans), dict(session.annotations.relations)) == local
    assert session.annotations.version == version


def test_rule_error_on_a_new_set_creates_no_set(env) -> None:
    session = env.open()
    with pytest.raises(RuleError):
        session.add_span(*at("12"), "NUMBER")
    assert env.stored() is None
    assert session.annotations.id is None and session.status is Status.TODO


def test_remove_and_restore_a_span_with_its_relations_and_ids(env) -> None:
    session = env.open()
    src = session.add_span(*at("Ana"), "SOURCE")
    cue = session.add_span(*at("said"), "CUE")
    person = session.add_span(*at("Ana"), "PERSON")
    r1 = session.add_relation("source", cue.id, src.id)
    r2 = session.add_relation("refers_to", src.id, person.id)
    assert r1.id is not None and r1.id > 0
    full = env.stored()
    assert full is not None and set(full.relations) == {r1.id, r2.id}
    span, relations = session.remove_span(src.id)
    assert span == src and sorted(r.id for r in relations) == sorted([r1.id, r2.id])
    after = env.stored()
    assert after is not None
    assert set(after.spans) == {cue.id, person.id} and after.relations == {}
    assert session.annotations.relations == {}
    session.restore_span(span, relations)
    back = env.stored()
    assert back is not None
    assert back.spans == full.spans and back.relations == full.relations
    assert session.annotations.spans == full.spans
    assert session.annotations.relations == full.relations


def test_remove_and_re_add_a_relation(env) -> None:
    session = env.open()
    src = session.add_span(*at("Ana"), "SOURCE")
    cue = session.add_span(*at("said"), "CUE")
    rel = session.add_relation("source", cue.id, src.id)
    assert session.remove_relation(rel.id) == rel
    assert env.stored().relations == {}  # type: ignore[union-attr]
    assert set(env.stored().spans) == {src.id, cue.id}  # type: ignore[union-attr]
    again = session.add_relation("source", cue.id, src.id, relation_id=rel.id)
    assert again == rel
    assert env.stored().relations == {rel.id: rel}  # type: ignore[union-attr]


def test_a_relation_is_not_made_twice_and_retyping_is_checked(env) -> None:
    session = env.open()
    cue = session.add_span(*at("said"), "CUE")
    content = session.add_span(*at("Ørsted hired 12 people"), "CONTENT")
    rel = session.add_relation("content", cue.id, content.id)
    version = session.annotations.version
    with pytest.raises(RuleError, match="already linked"):
        session.add_relation("content", cue.id, content.id)
    with pytest.raises(RuleError, match="cannot go from CUE to CONTENT"):
        session.retype_relation(rel.id, "source")
    with pytest.raises(RuleError, match="does not exist"):
        session.retype_relation(12345, "source")
    assert session.retype_relation(rel.id, "content") == rel  # the same type: nothing written
    assert session.annotations.version == version
    assert env.stored().relations == {rel.id: rel}  # type: ignore[union-attr]


def test_retyping_a_relation_is_stored(env, tmp_path) -> None:
    news = builtin_schemas()["news"].read_text(encoding="utf-8")
    # A second type for CUE -> SOURCE, so that one relation can change into the other.
    extra = '\n[relations.quoted_from]\nheads = ["CUE"]\ntails = ["SOURCE"]\n'
    schema_file = tmp_path / "news2.toml"
    schema_file.write_text(news + extra, encoding="utf-8")
    project = ProjectService(env.db).create("News 2", str(schema_file))
    with env.db.transaction() as store:
        (doc_id,) = store.documents.add_many(project.id, [Document(TEXT, "Again")])
    session = env.service.open(project, doc_id, "ana")
    src = session.add_span(*at("Ana"), "SOURCE")
    cue = session.add_span(*at("said"), "CUE")
    rel = session.add_relation("source", cue.id, src.id)
    assert session.retype_relation(rel.id, "quoted_from") == rel
    assert session.annotations.relations[rel.id].type == "quoted_from"
    with env.db.reading() as store:
        stored = store.annotations.set_of(doc_id, "ana", project.schema)
    assert stored is not None and stored.relations[rel.id].type == "quoted_from"
    assert stored.version == session.annotations.version


def test_a_relation_comes_back_with_its_attributes(env) -> None:
    session = env.open()
    src = session.add_span(*at("Ana"), "SOURCE")
    cue = session.add_span(*at("said"), "CUE")
    rel = session.add_relation("source", cue.id, src.id, attributes={"confidence": "high"})
    gone = session.remove_relation(rel.id)
    back = session.add_relation(gone.type, gone.head, gone.tail, gone.id, gone.attributes)
    assert back == rel and back.attributes == {"confidence": "high"}
    assert env.stored().relations == {rel.id: rel}  # type: ignore[union-attr]


def test_a_first_edit_under_a_schema_changed_since_opening_is_refused(env) -> None:
    session = env.open()  # ana has no set here yet: no version guards it
    with env.db.transaction() as store:
        store.projects.set_schema(env.project.id, env.project.schema_source + "\n# edited\n")
    with pytest.raises(ConflictError, match="schema was changed elsewhere"):
        session.add_span(*at("Ana"), "PERSON")
    assert env.stored() is None
    assert session.annotations.spans == {} and session.annotations.id is None
    # Reopened under the project as it is now, the same edit goes through.
    env.project = env.service_projects.get(env.project.name)
    session = env.open()
    session.add_span(*at("Ana"), "PERSON")
    assert len(spans_of(env.stored())) == 1


def test_a_first_edit_waits_for_a_schema_change_in_progress_then_is_refused(env) -> None:
    if not env.url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer in at a time: nothing runs at once there")
    session = env.open()
    engine = sa.create_engine(env.url)
    outcome: dict[str, object] = {}

    def first_edit() -> None:
        try:
            session.add_span(*at("Ana"), "PERSON")
            outcome["done"] = True
        except ConflictError as error:
            outcome["error"] = error

    try:
        with engine.connect() as other:
            # A schema change under way holds the project row, as SchemaChangeRepository does.
            change = other.begin()
            project = {"p": env.project.id}
            other.execute(sa.text("SELECT id FROM project WHERE id = :p FOR UPDATE"), project)
            editing = threading.Thread(target=first_edit)
            editing.start()
            editing.join(0.5)
            assert editing.is_alive()  # the first edit waits for the change to end
            other.execute(
                sa.text("UPDATE project SET schema_toml = schema_toml || :tail WHERE id = :p"),
                {**project, "tail": "\n# changed\n"},
            )
            change.commit()
        editing.join(10)
    finally:
        engine.dispose()
    assert "done" not in outcome
    assert isinstance(outcome.get("error"), ConflictError)
    assert env.stored() is None


def test_re_adding_a_span_under_its_old_id(env) -> None:
    session = env.open()
    org = session.add_span(*at("Ørsted"), "ORG")
    session.remove_span(org.id)
    again = session.add_span(org.start, org.end, org.label, span_id=org.id)
    assert again == org
    assert spans_of(env.stored()) == {org.id: org}


def test_every_edit_bumps_the_version(env) -> None:
    session = env.open()
    versions = []
    src = session.add_span(*at("Ana"), "SOURCE")
    versions.append(session.annotations.version)
    cue = session.add_span(*at("said"), "CUE")
    versions.append(session.annotations.version)
    rel = session.add_relation("source", cue.id, src.id)
    versions.append(session.annotations.version)
    session.remove_relation(rel.id)
    versions.append(session.annotations.version)
    assert versions == sorted(set(versions))
    assert env.stored().version == versions[-1]  # type: ignore[union-attr]


def test_a_stale_session_is_refused_and_changes_nothing(env) -> None:
    first = env.open()
    first.add_span(*at("Ana"), "PERSON")
    second = env.open()  # opened now: sees the PERSON
    first.add_span(*at("Ørsted"), "ORG")  # first writes again: second is stale
    stored = env.stored()
    local = (dict(second.annotations.spans), second.annotations.version, second.status)
    with pytest.raises(ConflictError, match=r"changed elsewhere.*reopen the document"):
        second.add_span(*at("12"), "CARDINAL")
    with pytest.raises(ConflictError):
        second.set_status(Status.DONE)
    [person] = second.annotations.spans
    with pytest.raises(ConflictError):
        second.remove_span(person)
    assert env.stored() == stored
    assert (dict(second.annotations.spans), second.annotations.version, second.status) == local
    # Reopened, it works again; the first session is now the stale one.
    third = env.open()
    third.add_span(*at("12"), "CARDINAL")
    with pytest.raises(ConflictError):
        first.update_span(person, label="NORP")
    assert sorted(s.text for s in spans_of(env.stored()).values()) == ["12", "Ana", "Ørsted"]


def test_two_sessions_on_a_new_set_the_second_is_refused(env) -> None:
    first = env.open()
    second = env.open()
    first.add_span(*at("Ana"), "PERSON")
    with pytest.raises(ConflictError, match="changed elsewhere"):
        second.add_span(*at("Ørsted"), "ORG")
    assert second.annotations.id is None and second.annotations.spans == {}
    assert [s.text for s in spans_of(env.stored()).values()] == ["Ana"]


def test_annotators_have_their_own_sets(env) -> None:
    ana = env.open("ana")
    ben = env.open("ben")
    ana.add_span(*at("Ana"), "PERSON")
    ben.add_span(*at("Ana"), "ORG")  # no conflict: another set
    ana.add_span(*at("Ørsted"), "ORG")
    assert [s.label for s in spans_of(env.stored("ben")).values()] == ["ORG"]
    assert len(spans_of(env.stored("ana"))) == 2
    sets = DocumentService(env.db).annotation_sets(env.project, env.doc_id)
    assert [s.annotator for s in sets] == ["ana", "ben"]


def test_a_restore_whose_id_is_taken_is_a_conflict_and_writes_nothing(env) -> None:
    session = env.open()
    src = session.add_span(*at("Ana"), "SOURCE")
    cue = session.add_span(*at("said"), "CUE")
    session.add_relation("source", cue.id, src.id)
    span, relations = session.remove_span(src.id)
    # Meanwhile another set holds a span with that id.
    with env.db.transaction() as store:
        other, _ = store.annotations.create_set(env.other_doc_id, "ben", Status.TODO)
        store.annotations.insert_span(other, span, span.id)
    stored = env.stored()
    version = session.annotations.version
    with pytest.raises(ConflictError, match=f"span {span.id} cannot be restored"):
        session.restore_span(span, relations)
    assert env.stored() == stored
    assert session.annotations.version == version
    assert src.id not in session.annotations.spans and session.annotations.relations == {}


def test_restore_refuses_what_the_rules_refuse(env) -> None:
    session = env.open()
    org = session.add_span(*at("Ørsted"), "ORG")
    session.add_span(*at("12"), "CARDINAL")  # so that SQLite does not hand out org's id again
    span, relations = session.remove_span(org.id)
    gpe = session.add_span(*at("Ørsted hired"), "GPE")
    assert gpe.id != org.id
    stored = env.stored()
    with pytest.raises(RuleError, match="overlap"):
        session.restore_span(span, relations)
    with pytest.raises(RuleError, match="outside the text"):
        session.restore_span(Span(0, 999, "ORG", "entity", "", {}, 777), [])
    assert env.stored() == stored


def test_token_bounds_and_snap(env) -> None:
    session = env.open()
    bounds = session.token_bounds()
    assert bounds is session.token_bounds()  # cached
    assert [TEXT[s:e] for s, e in bounds][:4] == ["Ana", "😀", "said", "Ørsted"]
    start = TEXT.index("rsted")
    assert session.snap(start, start + 3) == at("Ørsted")


def test_the_services_offer_annotating(tmp_path) -> None:
    services = open_services(f"sqlite:///{tmp_path / 'app.db'}")
    try:
        assert isinstance(services.annotations, AnnotationService)
    finally:
        services.close()


def test_copy_from_another_annotator_then_remove_and_restore_the_copies(env) -> None:
    theirs = env.open("sample")
    cue = theirs.add_span(*at("said"), "CUE")
    source = theirs.add_span(*at("Ana"), "SOURCE")
    person = theirs.add_span(*at("Ana"), "PERSON")
    theirs.add_relation("source", cue.id, source.id)
    theirs.add_relation("refers_to", source.id, person.id)

    mine = env.open("ana")
    copies = mine.copy_from(theirs.annotations)
    stored = env.stored("ana")
    assert stored is not None
    place = {i: (s.start, s.end, s.label) for i, s in stored.spans.items()}
    assert sorted(place.values()) == sorted((s.start, s.end, s.label) for s in copies)
    assert sorted((r.type, place[r.head], place[r.tail]) for r in stored.relations.values()) == [
        ("refers_to", (0, 3, "SOURCE"), (0, 3, "PERSON")),
        ("source", (*at("said"), "CUE"), (0, 3, "SOURCE")),
    ]
    assert not set(stored.spans) & set(theirs.annotations.spans)  # rows of its own
    assert stored.status is Status.IN_PROGRESS
    with pytest.raises(RuleError, match="fresh start"):
        mine.copy_from(theirs.annotations)  # only onto an empty set

    removed = mine.remove_spans([s.id for s in copies])
    emptied = env.stored("ana")
    assert emptied is not None
    assert (emptied.spans, emptied.relations) == ({}, {})
    mine.restore_spans(removed)
    back = env.stored("ana")
    assert back is not None
    assert back.spans == stored.spans
    assert back.relations == stored.relations
    assert env.stored("sample").spans == theirs.annotations.spans  # theirs untouched
