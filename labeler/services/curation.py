"""Curation: a curated (gold) set per document, started from what the chosen annotators
agree on and then edited through the same EditSession as any set (undo, autosave).

A curated set is stored as the set of the reserved annotator CURATED on its document, marked
curated with the curator's name (annotation_set.curated, .curator); each of its spans and
relations records which annotators had it (span.sources, relation.sources).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status, id_of
from labeler.domain.document_labels import agreed_labels
from labeler.domain.errors import LabelerError, RuleError
from labeler.domain.limits import CURATED, check_name
from labeler.domain.project import Project
from labeler.quality.curation import (
    CurationPlan,
    Disagreement,
    RelationKey,
    SpanKey,
    held_span,
    is_settled,
    item_key,
    plan_curation,
    span_key,
)
from labeler.services.annotating import AnnotationService, EditSession
from labeler.storage.database import Database

__all__ = ["CURATED", "Curation", "CurationService", "Started"]


@dataclass
class Curation:
    """A curated set being made: its edit session, the annotators' sets it is made from, every
    disagreement of their merge, and those the curator rejected (by item_key)."""

    session: EditSession
    curator: str
    annotators: list[str]
    disagreements: list[Disagreement] = field(default_factory=list)  # open, in text order
    sets: dict[str, AnnotationSet] = field(default_factory=dict)
    items: list[Disagreement] = field(default_factory=list)  # open or decided
    rejected: set[str] = field(default_factory=set)
    _keys: dict[int, str] = field(default_factory=dict, repr=False)  # id(item) -> item_key

    def key_of(self, item: Disagreement) -> str:
        """item_key(item), worked out once per item."""
        key = self._keys.get(id(item))
        if key is None:
            key = self._keys[id(item)] = item_key(item)
        return key

    def span_id(self, key: SpanKey) -> int | None:
        """The curated span with this extent and label, if the set has it."""
        return held_span(self.session.annotations, key)

    def is_open(self, item: Disagreement) -> bool:
        """Neither held by the curated set nor rejected."""
        return self.key_of(item) not in self.rejected and not is_settled(
            self.session.annotations, item
        )

    def refresh(self) -> list[Disagreement]:
        """Lists the open disagreements again (after edits, undo included) and returns them."""
        self.disagreements = [d for d in self.items if self.is_open(d)]
        return self.disagreements

    def version_of(self, key: SpanKey, annotator: str) -> Span | None:
        """The span with this key in `annotator`'s set, or None."""
        chosen = self.sets.get(annotator)
        span_id = held_span(chosen, key) if chosen is not None else None
        return None if chosen is None or span_id is None else chosen.spans[span_id]


@dataclass(frozen=True)
class Started:
    """What start_many did on one document: disagreements left, or why it was skipped."""

    document_id: int
    disagreements: int | None
    skipped: str = ""


class CurationService:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._annotating = AnnotationService(db)

    def start(
        self,
        project: Project,
        document_id: int,
        curator: str,
        annotators: Sequence[str] | None = None,
        min_agree: int | None = None,
    ) -> Curation:
        """Starts the curated set of a document from what `annotators` (all who have a set
        there, when None) agree on, at least `min_agree` of them (all, when None).

        LabelerError if the document has a curated set with spans already, or fewer than two
        of the chosen annotators have a set on it.
        """
        curator = check_name(curator, "a curator")
        sets, plan = self._plan(project, document_id, annotators, min_agree)
        session = self._annotating.open(project, document_id, CURATED, curating=True)
        if session.annotations.id is not None:
            raise LabelerError(f"document {document_id} has a curated set already")
        scratch = AnnotationSet(project.schema, CURATED)
        local: dict[SpanKey, int] = {}
        for span, _ in plan.spans:
            local[span_key(span)] = id_of(scratch.add_span(span))
        for (type_, head, tail), attributes, _ in plan.relations:
            scratch.add_relation(Relation(type_, local[head], local[tail], dict(attributes)))
        if scratch.spans:
            session.copy_from(scratch)
        else:  # nothing agreed: the set is made all the same, to be marked curated
            session.set_status(Status.IN_PROGRESS)
        # The document labels that many agree on; the curator sets the others in the editor.
        need = len(sets) if min_agree is None else min_agree
        for name, values in agreed_labels((s.document_labels for s in sets.values()), need).items():
            session.set_document_label(name, values)
        curation = Curation(
            session, curator, sorted(sets), list(plan.disagreements), sets, plan.disagreements
        )
        had = {span_key(span): names for span, names in plan.spans}
        made = session.annotations
        span_sources = {i: had[span_key(sp)] for i, sp in made.spans.items()}
        keys = {i: span_key(sp) for i, sp in made.spans.items()}
        linked = {key: names for key, _, names in plan.relations}
        relation_sources = {
            i: linked[(r.type, keys[r.head], keys[r.tail])] for i, r in made.relations.items()
        }
        self._record(curation, span_sources, relation_sources)
        return curation

    def resume(
        self,
        project: Project,
        document_id: int,
        annotators: Sequence[str] | None = None,
        min_agree: int | None = None,
    ) -> Curation:
        """The document's curated set reopened, with the disagreements it has not settled: a
        span or relation the set holds, an attribute value it holds, or an item the curator
        rejected is settled. LabelerError if there is no curated set on the document."""
        with self._db.reading() as store:
            found = store.curation.curated_sets([document_id]).get(document_id)
        if found is None:
            raise LabelerError(f"document {document_id} has no curated set: start one first")
        sets, plan = self._plan(project, document_id, annotators, min_agree)
        session = self._annotating.open(project, document_id, found[0], curating=True)
        set_id = session.annotations.id
        with self._db.reading() as store:
            rejected = set(store.curation.rejections(set_id)) if set_id is not None else set()
        curation = Curation(
            session, found[1], sorted(sets), sets=sets, items=plan.disagreements, rejected=rejected
        )
        curation.refresh()
        return curation

    def open(
        self,
        project: Project,
        document_id: int,
        curator: str,
        annotators: Sequence[str] | None = None,
        min_agree: int | None = None,
    ) -> Curation:
        """The document's curated set: resumed if it has one, else started (see start)."""
        with self._db.reading() as store:
            found = store.curation.curated_sets([document_id]).get(document_id)
        if found is not None:
            return self.resume(project, document_id, annotators, min_agree)
        return self.start(project, document_id, curator, annotators, min_agree)

    def _plan(
        self,
        project: Project,
        document_id: int,
        annotators: Sequence[str] | None,
        min_agree: int | None,
    ) -> tuple[dict[str, AnnotationSet], CurationPlan]:
        with self._db.reading() as store:
            found = {
                s.annotator: s
                for s in store.annotations.sets_for([document_id], project.schema).get(
                    document_id, []
                )
                if s.annotator != CURATED
            }
        chosen = list(annotators) if annotators else sorted(found)
        sets = {a: found[a] for a in chosen if a in found}
        if len(sets) < 2:
            raise LabelerError(
                f"document {document_id} has sets by {len(sets)} of the chosen annotators "
                f"({', '.join(chosen) or 'none'}); curation needs two or more"
            )
        try:
            return sets, plan_curation(sets, project.schema, min_agree)
        except ValueError as error:
            raise LabelerError(str(error)) from None

    def start_many(
        self,
        project: Project,
        curator: str,
        annotators: Sequence[str] | None = None,
        min_agree: int | None = None,
        document_ids: Sequence[int] | None = None,
    ) -> list[Started]:
        """Starts curated sets on these documents (all of the project's, when None): for each,
        how many disagreements are left, or why none was started."""
        with self._db.reading() as store:
            known = store.documents.ids(project.id)
        wanted = known if document_ids is None else list(document_ids)
        missing = sorted(set(wanted) - set(known))
        if missing:
            raise LabelerError(
                f"project {project.name!r} has no document {', '.join(map(str, missing))}"
            )
        outcomes = []
        for document_id in wanted:
            try:
                curation = self.start(project, document_id, curator, annotators, min_agree)
            except LabelerError as error:
                outcomes.append(Started(document_id, None, str(error)))
                continue
            outcomes.append(Started(document_id, len(curation.disagreements)))
        return outcomes

    def accept(self, curation: Curation, item: Disagreement, annotator: str) -> None:
        """Takes `annotator`'s version of a disagreement into the curated set: a span with its
        attributes; a relation with the end spans the set lacks; an attribute's value."""
        version = item.versions.get(annotator)
        if version is None and item.kind != "attribute":
            raise RuleError(f"{annotator} has no version of this {item.kind}")
        session = curation.session
        if item.kind == "span":
            self._take_span(curation, item.span, annotator, item.had())
        elif item.kind == "attribute":
            span_id = self._needed(curation, item.span)
            attributes = dict(session.annotations.spans[span_id].attributes)
            assert item.attribute is not None
            if version is None:
                attributes.pop(item.attribute, None)
            else:
                attributes[item.attribute] = version
            session.update_span(span_id, attributes=attributes)
        else:
            assert item.relation is not None
            type_, head, tail = item.relation
            ends = [
                self._take_span(curation, key, annotator, self._holders(curation, key))
                for key in (head, tail)
            ]
            relation = session.add_relation(type_, ends[0], ends[1])
            self._record(curation, {}, {id_of(relation): item.had()})
        self.forget_rejection(curation, item)
        curation.refresh()

    def _take_span(self, curation: Curation, key: SpanKey, annotator: str, had: list[str]) -> int:
        """The curated span of `key`, added from `annotator`'s version when missing."""
        found = curation.span_id(key)
        if found is not None:
            return found
        mine = curation.version_of(key, annotator)
        attributes = dict(mine.attributes) if mine is not None else None
        span = curation.session.add_span(key[1], key[2], key[3], attributes)
        self._record(curation, {id_of(span): had}, {})
        return id_of(span)

    @staticmethod
    def _holders(curation: Curation, key: SpanKey) -> list[str]:
        return sorted(name for name in curation.sets if curation.version_of(key, name) is not None)

    def reject(self, curation: Curation, item: Disagreement) -> None:
        """Leaves a disagreement out of the curated set (takes it out if it was accepted) and
        stores the rejection, so that it is not listed as open again."""
        session = curation.session
        span_id = curation.span_id(item.span)
        if item.kind == "span" and span_id is not None:
            session.remove_span(span_id)
        elif item.kind == "attribute" and span_id is not None:
            attributes = dict(session.annotations.spans[span_id].attributes)
            if attributes.pop(item.attribute or "", None) is not None:
                session.update_span(span_id, attributes=attributes)
        elif item.kind == "relation" and item.relation is not None:
            type_, head, tail = item.relation
            head_id, tail_id = curation.span_id(head), curation.span_id(tail)
            for r in list(session.annotations.relations.values()):
                if (r.type, r.head, r.tail) == (type_, head_id, tail_id) and r.id is not None:
                    session.remove_relation(r.id)
        self.store_rejection(curation, item)
        curation.refresh()

    def store_rejection(self, curation: Curation, item: Disagreement) -> None:
        """Records that the curator rejected an item (the set itself is not changed)."""
        set_id = curation.session.annotations.id
        if set_id is None:
            raise LabelerError("the curated set is not stored yet: nothing to record against")
        with self._db.transaction() as store:
            store.curation.reject(set_id, item_key(item), item.had())
        curation.rejected.add(item_key(item))

    def forget_rejection(self, curation: Curation, item: Disagreement) -> None:
        """Undoes store_rejection (an accept, or an undone reject, reopens the item)."""
        key = item_key(item)
        set_id = curation.session.annotations.id
        if set_id is not None and key in curation.rejected:
            with self._db.transaction() as store:
                store.curation.unreject(set_id, key)
        curation.rejected.discard(key)

    def record_sources(
        self,
        curation: Curation,
        spans: dict[SpanKey, list[str]],
        relations: dict[RelationKey, list[str]],
    ) -> None:
        """Records who had each of these curated spans and relations (by key)."""
        made = curation.session.annotations
        span_ids = {key: curation.span_id(key) for key in spans}
        for _type, head, tail in relations:
            span_ids.setdefault(head, curation.span_id(head))
            span_ids.setdefault(tail, curation.span_id(tail))
        by_id = {i: spans[key] for key, i in span_ids.items() if i is not None and key in spans}
        linked: dict[int | None, list[str]] = {}
        for (type_, head, tail), names in relations.items():
            ends = (type_, span_ids[head], span_ids[tail])
            linked.update(
                {r.id: names for r in made.relations.values() if (r.type, r.head, r.tail) == ends}
            )
        self._record(curation, by_id, {i: n for i, n in linked.items() if i is not None})

    def sources(self, curation: Curation) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
        """Who had each span and relation of the curated set, as stored."""
        set_id = curation.session.annotations.id
        if set_id is None:
            return {}, {}
        with self._db.reading() as store:
            return store.curation.sources(set_id)

    @staticmethod
    def _needed(curation: Curation, key: SpanKey) -> int:
        span_id = curation.span_id(key)
        if span_id is None:
            raise RuleError(
                f"the curated set has no {key[3]} span at [{key[1]}, {key[2]}): accept it first"
            )
        return span_id

    def _record(
        self, curation: Curation, spans: dict[int, list[str]], relations: dict[int, list[str]]
    ) -> None:
        set_id = curation.session.annotations.id
        if set_id is None:
            return
        with self._db.transaction() as store:
            store.curation.mark_curated(set_id, curation.curator)
            store.curation.set_sources(spans, relations)
