"""Annotating: one annotator's edits on one open document, each committed at once.

Every edit is checked against the domain rules first (a RuleError changes nothing), then
written in one transaction that also moves the annotation set to its next version. A set
changed elsewhere since it was opened is refused with ConflictError, never overwritten.
Only after the commit does the in-memory annotation set change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status, id_of, make_span
from labeler.domain.document import Document
from labeler.domain.errors import NotAllowedError, RuleError
from labeler.domain.limits import check_annotator
from labeler.domain.project import Project
from labeler.domain.schema import LabelSchema
from labeler.domain.tokens import snap_to_tokens, token_bounds, token_bounds_near, word_bounds
from labeler.services.collector import fewer_collections
from labeler.services.set_notes import NotesAndTime
from labeler.storage.annotation_repository import AnnotationRepository
from labeler.storage.database import Database
from labeler.storage.store import Store

T = TypeVar("T")
_EDIT_WAIT_MS = 2_000  # an edit that waits longer for another writer is refused, not hung


class AnnotationService:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def warm_up() -> None:
        """Loads the tokenizer, which takes a second the first time: call it off the GUI
        thread at start, so the first span an annotator makes snaps at once."""
        token_bounds("Warm up.")

    def open(
        self,
        project: Project,
        document_id: int,
        annotator: str,
        *,
        lazy: bool = False,
        curating: bool = False,
    ) -> EditSession:
        """An edit session on this annotator's set of this document (empty if none yet).

        `lazy`: the set is read when the session is first asked for it, not now, as it is
        then; an editor shows a long article's first screen (EditSession.part) before that.
        `curating`: the curated set (annotator CURATED) may be opened, by the curation service.
        """
        annotator = check_annotator(annotator, curating=curating)
        with self._db.reading() as store:
            me = store.team.identity()
            if me.is_account and annotator != me.name and not curating:
                # A team account annotates under its own login name, never another.
                raise NotAllowedError(
                    f"on this team database you annotate as {me.name}, not as {annotator}"
                )
            document = store.documents.get(document_id)
        schema = project.schema

        def load() -> AnnotationSet:
            with fewer_collections(), self._db.reading() as store:
                found = store.annotations.set_of(document_id, annotator, schema)
            return found if found is not None else AnnotationSet(schema, annotator)

        loader = SetLoader(schema, annotator, load)
        return EditSession(self._db, document, loader if lazy else load(), project.schema_source)


@dataclass(frozen=True)
class SetLoader:
    """How an edit session reads its annotation set when it is first asked for it."""

    schema: LabelSchema
    annotator: str
    load: Callable[[], AnnotationSet]


class EditSession(NotesAndTime):
    """One annotator's annotation set on one open document; each change is committed before
    the method returns."""

    def __init__(
        self,
        db: Database,
        document: Document,
        annotations: AnnotationSet | SetLoader,
        schema_source: str | None = None,
    ) -> None:
        self._db = db
        # The schema text the set is edited under: a set made later is refused if the
        # project's schema changed meanwhile (an existing set's version guards the rest).
        self._schema_source = schema_source
        self.document = document
        self._annotations = annotations if isinstance(annotations, AnnotationSet) else None
        self._loader = annotations if isinstance(annotations, SetLoader) else None
        self._bounds: list[tuple[int, int]] | None = None
        self._pending_seconds = 0.0  # active time not yet stored: written with the next edit

    @property
    def annotations(self) -> AnnotationSet:
        """The source of truth the editor reads, read from the database at the first call;
        empty (id None) until the first edit stores it."""
        if self._annotations is None:
            assert self._loader is not None
            self._annotations = self._loader.load()
        return self._annotations

    @property
    def loaded(self) -> bool:
        """Whether the annotation set has been read (see `annotations`)."""
        return self._annotations is not None

    @property
    def annotator(self) -> str:
        return self._loader.annotator if self._loader is not None else self.annotations.annotator

    @property
    def schema(self) -> LabelSchema:
        return self._loader.schema if self._loader is not None else self.annotations.schema

    @property
    def status(self) -> Status:
        return self.annotations.status

    def part(self, start: int, end: int) -> tuple[dict[int, Span], dict[int, Relation], list[int]]:
        """What a view of [start, end) draws: the spans that overlap it, the relations that
        touch them and the spans at their other ends; and where the spans at the ends of
        every relation begin. Read alone while the set is not."""
        if self._annotations is None:
            assert self.document.id is not None
            with self._db.reading() as store:
                return store.annotations.part_of(self.document.id, self.annotator, start, end)
        spans = self._annotations.spans
        shown = {i for i, s in spans.items() if s.start < end and s.end > start}
        relations = self._annotations.relations
        touching = {i: r for i, r in relations.items() if r.head in shown or r.tail in shown}
        shown.update(i for r in touching.values() for i in (r.head, r.tail))
        starts = [spans[i].start for r in relations.values() for i in (r.head, r.tail)]
        return {i: spans[i] for i in shown}, touching, starts

    # -- tokens

    def token_bounds(self) -> list[tuple[int, int]]:
        """The word tokens of the text as [start, end) code-point ranges, computed once."""
        if self._bounds is None:
            self._bounds = token_bounds(self.document.text)
        return self._bounds

    def tokens_near(self, start: int, end: int) -> list[tuple[int, int]]:
        """The word tokens around [start, end): an edit need not wait for a long text's tokens."""
        if self._bounds is not None:
            return self._bounds
        return token_bounds_near(self.document.text, start, end)

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) grown to whole words (see labeler.domain.tokens.snap_to_tokens).

        Brackets, quotes and stops at the edges are left out: a selection of "(Meridian Wire),"
        becomes "Meridian Wire". A selection of punctuation only snaps to its tokens.
        """
        tokens = self.tokens_near(start, end)
        words = word_bounds(self.document.text, tokens)
        snapped = snap_to_tokens(start, end, words)
        if snapped == (start, end):  # nothing but punctuation (or exactly a word) selected
            return snap_to_tokens(start, end, tokens)
        return snapped

    # -- edits

    def add_span(
        self,
        start: int,
        end: int,
        label: str,
        attributes: dict[str, str] | None = None,
        span_id: int | None = None,
    ) -> Span:
        """Adds a span and returns it with its database id.

        `span_id` re-creates a span under the id it had (redo of an add after its undo).
        """
        span = make_span(self.document.text, start, end, label, self.schema, attributes, span_id)
        if not span.text.strip():
            raise RuleError("a span needs words, not only white space")
        self.annotations.check_new_span(span)
        new_id = self._write(lambda repo, set_id: repo.insert_span(set_id, span, span_id))
        return self.annotations.add_span(span.with_id(new_id))

    def remove_span(self, span_id: int) -> tuple[Span, list[Relation]]:
        """Deletes a span with every relation touching it; returns both, for restore_span."""
        if span_id not in self.annotations.spans:
            raise RuleError(f"span {span_id} does not exist")
        self._write(lambda repo, _set_id: repo.delete_span(span_id))
        return self.annotations.remove_span(span_id)

    def restore_span(self, span: Span, relations: list[Relation]) -> None:
        """Puts back a span that remove_span returned, and its relations, with their ids."""
        if span.id is None:
            raise RuleError("only a span with an id can be restored")
        # Rebuilt from the document: the range must still fit the text and the label the schema.
        checked = make_span(
            self.document.text, span.start, span.end, span.label, self.schema, span.attributes
        ).with_id(span.id)
        self.annotations.check_restore(checked, relations)

        def write(repo: AnnotationRepository, set_id: int) -> None:
            repo.insert_span(set_id, checked, checked.id)
            for r in relations:
                repo.insert_relation(set_id, r, r.id)

        self._write(write)
        self.annotations.restore_span(checked, relations)

    def update_span(
        self,
        span_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attributes: dict[str, str] | None = None,
    ) -> Span:
        """Changes a span's range, label or attributes; returns the span as it was.

        A new label may move the span to another layer. Unless `attributes` is given, a
        relabelled span keeps only the attribute values its new label allows. The span's text
        is taken from the document again.
        """
        old = self.annotations.spans.get(span_id)
        if old is None:
            raise RuleError(f"span {span_id} does not exist")
        new_label = old.label if label is None else label
        if attributes is None:
            attributes = old.attributes
            if new_label != old.label:
                attributes = self._kept_attributes(new_label, attributes)
        span = make_span(
            self.document.text,
            old.start if start is None else start,
            old.end if end is None else end,
            new_label,
            self.schema,
            attributes,
            span_id,
        )
        if span == old:
            return old
        self.annotations.check_replace(span)
        self._write(lambda repo, _set_id: repo.update_span(span))
        return self.annotations.replace_span(span)

    def add_relation(
        self,
        type_: str,
        head: int,
        tail: int,
        relation_id: int | None = None,
        attributes: dict[str, str] | None = None,
    ) -> Relation:
        """Links head to tail with a relation of this type; returns it with its database id.

        `relation_id` and `attributes` re-create a relation as it was (undo of a removal).
        """
        relation = Relation(type_, head, tail, dict(attributes or {}), relation_id)
        if relation_id is not None and relation_id in self.annotations.relations:
            raise RuleError(f"relation {relation_id} exists already")
        self.annotations.check_relation(relation)
        new_id = self._write(
            lambda repo, set_id: repo.insert_relation(set_id, relation, relation_id)
        )
        return self.annotations.add_relation(replace(relation, id=new_id))

    def retype_relation(self, relation_id: int, type_: str) -> Relation:
        """Gives a relation another type (checked against the schema); returns it as it was."""
        old = self.annotations.relations.get(relation_id)
        if old is None:
            raise RuleError(f"relation {relation_id} does not exist")
        if old.type == type_:
            return old
        relation = replace(old, type=type_)
        self.annotations.check_relation(relation)
        self._write(lambda repo, _set_id: repo.update_relation(relation))
        return self.annotations.replace_relation(relation)

    def remove_relation(self, relation_id: int) -> Relation:
        """Deletes one relation and returns it."""
        if relation_id not in self.annotations.relations:
            raise RuleError(f"relation {relation_id} does not exist")
        self._write(lambda repo, _set_id: repo.delete_relation(relation_id))
        return self.annotations.remove_relation(relation_id)

    def copy_from(self, other: AnnotationSet) -> list[Span]:
        """Copies another annotator's spans and relations into this set, which has no spans
        yet, in one transaction; returns the new spans (relations come along)."""
        if self.annotations.spans:
            raise RuleError("copying is for a fresh start: this annotation set has spans already")
        scratch = AnnotationSet(self.schema, self.annotations.annotator)
        originals = list(other.spans.values())
        copies = scratch.add_spans(
            make_span(self.document.text, s.start, s.end, s.label, self.schema, s.attributes)
            for s in originals
        )
        local = {id_of(o): id_of(c) for o, c in zip(originals, copies, strict=True)}
        for r in other.relations.values():
            scratch.add_relation(Relation(r.type, local[r.head], local[r.tail], dict(r.attributes)))

        def write(repo: AnnotationRepository, set_id: int) -> tuple[list[Span], list[Relation]]:
            real = {id_of(c): repo.insert_span(set_id, c) for c in copies}
            spans = [c.with_id(real[id_of(c)]) for c in copies]
            relations = []
            for r in scratch.relations.values():
                linked = Relation(r.type, real[r.head], real[r.tail], r.attributes)
                relations.append(replace(linked, id=repo.insert_relation(set_id, linked)))
            return spans, relations

        spans, relations = self._write(write)
        self.annotations.add_all(spans, relations)
        return spans

    def remove_spans(self, span_ids: list[int]) -> list[tuple[Span, list[Relation]]]:
        """Deletes several spans with their relations in one transaction, for restore_spans."""
        missing = [i for i in span_ids if i not in self.annotations.spans]
        if missing:
            raise RuleError(f"span {missing[0]} does not exist")

        def write(repo: AnnotationRepository, _set_id: int) -> None:
            for span_id in span_ids:
                repo.delete_span(span_id)

        self._write(write)
        return self.annotations.remove_spans(span_ids)

    def add_proposed(
        self, proposed: list[Span], links: list[tuple[str, int, int]], source: str
    ) -> list[tuple[Span, list[Relation]]]:
        """Adds spans a recommender proposed (and `links` among them: relation type, head and
        tail index into `proposed`) in one transaction, recording `source` as the spans'
        recommender. Returns them as remove_spans does, for restore_spans (redo)."""
        scratch = AnnotationSet(self.schema, self.annotations.annotator)
        for span in proposed:
            self.annotations.check_new_span(span)
        made = scratch.add_spans(proposed)
        relations = [
            scratch.add_relation(Relation(t, id_of(made[h]), id_of(made[k]))) for t, h, k in links
        ]

        def write(repo: AnnotationRepository, set_id: int) -> list[tuple[Span, list[Relation]]]:
            real = {id_of(s): repo.insert_span(set_id, s) for s in made}
            rels = []
            for r in relations:
                linked = Relation(r.type, real[r.head], real[r.tail])
                rels.append(replace(linked, id=repo.insert_relation(set_id, linked)))
            spans = [s.with_id(real[id_of(s)]) for s in made]
            return [(s, [r for r in rels if r.head == s.id]) for s in spans]

        def record(store: Store, added: list[tuple[Span, list[Relation]]]) -> None:
            for span, _ in added:
                store.suggestions.record_source(id_of(span), source)

        added = self._write(write, then=record)
        self.annotations.add_all([s for s, _ in added], [r for _, rels in added for r in rels])
        return added

    def restore_spans(
        self, removed: list[tuple[Span, list[Relation]]], source: str | None = None
    ) -> None:
        """Puts back what remove_spans returned, with the same ids, in one transaction
        (with `source`, as spans a recommender proposed)."""
        relations = {r.id: r for _, rels in removed for r in rels}
        spans = [span for span, _ in removed]
        for span in spans:
            self.annotations.check_span(span)

        def write(repo: AnnotationRepository, set_id: int) -> None:
            for span in spans:
                repo.insert_span(set_id, span, span.id)
            for r in relations.values():
                repo.insert_relation(set_id, r, r.id)

        def record(store: Store, _none: None) -> None:
            for span in spans:
                if source is not None:
                    store.suggestions.record_source(id_of(span), source)

        self._write(write, then=record)
        self.annotations.restore_spans(removed)

    def set_status(self, status: Status) -> Status:
        """Sets where the annotator is with this document; returns the status it had."""
        old = self.annotations.status
        if status is old:
            return old
        self._write(lambda _repo, _set_id: None, status=status)
        return old

    # -- helpers

    def _kept_attributes(self, label: str, attributes: dict[str, str]) -> dict[str, str]:
        if not self.schema.has_label(label):
            return {}  # make_span names the unknown label
        allowed = {a.name: a.values for a in self.schema.attributes_for(label)}
        return {k: v for k, v in attributes.items() if v in allowed.get(k, ())}

    def _write(
        self,
        change: Callable[[AnnotationRepository, int], T],
        status: Status | None = None,
        note: str | None = None,
        then: Callable[[Store, T], None] | None = None,
    ) -> T:
        """Runs `change` in one transaction that creates the set if needed and bumps its
        version; then records the set's id, version and status. Without an explicit status,
        the first content edit of a set still to do moves it to in progress."""
        annotations = self.annotations
        if status is None and annotations.status is Status.TODO:
            status = Status.IN_PROGRESS
        with self._db.transaction(wait_ms=_EDIT_WAIT_MS) as store:
            repo = store.annotations
            if annotations.id is None:
                set_id, version = repo.create_set(
                    self.document.id,  # type: ignore[arg-type]
                    annotations.annotator,
                    annotations.status,
                    self._schema_source,
                )
            else:
                set_id, version = annotations.id, annotations.version
            seconds = int(self._pending_seconds)
            version = repo.bump(set_id, version, status, note=note, add_seconds=seconds)
            result = change(repo, set_id)
            if then is not None:
                then(store, result)
        annotations.id = set_id
        annotations.version = version
        annotations.active_seconds += seconds
        self._pending_seconds -= seconds
        if status is not None:
            annotations.set_status(status)
        return result
