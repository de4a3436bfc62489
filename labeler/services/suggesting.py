"""Suggesting: recommenders chosen by name, batch pre-annotation, accepting and rejecting.

Suggestions are stored per document (batch pre-annotation, imports) or computed when a
document opens; an annotator's rejections are stored per document, so a rejected proposal
is not shown to them there again. An accepted suggestion becomes an ordinary span, and the
recommender that proposed it is recorded beside it (the span_source table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from labeler.assist.attribution_rules import DEFAULT_CUES, AttributionRulesRecommender, read_cues
from labeler.assist.entity_rules import LABELS as ENTITY_RULE_LABELS
from labeler.assist.entity_rules import EntityRulesRecommender
from labeler.assist.fitting import fitting
from labeler.assist.recommender import Recommender
from labeler.assist.safe_run import Outcome, run_safely, snapshot
from labeler.assist.spacy_pipeline import SpacyPipelineRecommender, read_label_mapping
from labeler.assist.string_matcher import StringMatcherRecommender
from labeler.domain.annotation import AnnotationSet, Relation, Span, id_of, make_span
from labeler.domain.errors import LabelerError, NotFoundError, RuleError
from labeler.domain.project import Project
from labeler.domain.suggestion import SuggestedRelation, SuggestedSpan, Suggestion
from labeler.services.annotating import EditSession
from labeler.services.training import TrainingService
from labeler.storage.database import Database

RECOMMENDERS = (
    "string-matcher", "gazetteer", "attribution-rules", "entity-rules", "spacy", "trained-model",
)  # fmt: skip
DEFAULT_TIMEOUT = 30.0  # seconds a recommender may take on one document


@dataclass(frozen=True)
class RecommenderChoice:
    """Which recommender to build, and what it reads: a gazetteer file, a list of cues, an
    installed spaCy pipeline (package name or folder) with its label mapping."""

    name: str
    gazetteer: Path | None = None
    cues: Path | None = None
    pipeline: str | None = None
    mapping: Mapping[str, str] | None = None
    mapping_file: Path | None = None


@dataclass
class PreAnnotationReport:
    """What a batch pre-annotation did."""

    recommender: str
    documents: int = 0
    stored: int = 0
    problems: list[str] = field(default_factory=list)

    def headline(self) -> str:
        return (
            f"{self.recommender}: {self.stored} suggestions stored on {self.documents} "
            f"documents" + (f", {len(self.problems)} problems" if self.problems else "")
        )


Progress = Callable[[int, int], None]  # documents done, documents in all


@dataclass(frozen=True)
class SuggestionTally:
    """How a recommender's suggestions of one label fared with the annotators; label ""
    stands for all of its labels."""

    recommender: str
    label: str
    accepted: int
    rejected: int

    @property
    def rate(self) -> float | None:
        """Accepted of those decided; None before any was."""
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None


def tallies(decisions: Mapping[tuple[str, str], tuple[int, int]]) -> list[SuggestionTally]:
    """The decisions as rows: for each recommender, its total first, then each label."""
    rows: list[SuggestionTally] = []
    for recommender in sorted({r for r, _ in decisions}):
        mine = [(label, ar) for (r, label), ar in sorted(decisions.items()) if r == recommender]
        accepted = sum(a for _, (a, _r) in mine)
        rejected = sum(r for _, (_a, r) in mine)
        rows.append(SuggestionTally(recommender, "", accepted, rejected))
        rows += [SuggestionTally(recommender, label, a, r) for label, (a, r) in mine]
    return rows


class SuggestionService:
    def __init__(self, db: Database, training: TrainingService | None = None) -> None:
        self._db = db
        self._training = training  # the project's model trained in the loop, when there is one

    def recommender(self, project: Project, choice: RecommenderChoice) -> Recommender:
        """The recommender `choice` names (one of RECOMMENDERS)."""
        if choice.name == "string-matcher":
            with self._db.reading() as store:
                texts = store.suggestions.labelled_texts(project.id)
            return StringMatcherRecommender(texts)
        if choice.name == "gazetteer":
            if choice.gazetteer is None:
                raise LabelerError("the gazetteer recommender needs a file (--gazetteer)")
            return StringMatcherRecommender.from_gazetteer(choice.gazetteer)
        if choice.name == "attribution-rules":
            cues = read_cues(choice.cues) if choice.cues is not None else DEFAULT_CUES
            return AttributionRulesRecommender(cues)
        if choice.name == "entity-rules":
            return EntityRulesRecommender()
        if choice.name == "spacy":
            if choice.pipeline is None:
                raise LabelerError("the spacy recommender needs a pipeline (--pipeline)")
            mapping = dict(choice.mapping) if choice.mapping is not None else None
            if choice.mapping_file is not None:
                mapping = {**read_label_mapping(choice.mapping_file), **(mapping or {})}
            found = SpacyPipelineRecommender(choice.pipeline, mapping)
            found.load()
            return found
        if choice.name == "trained-model":
            trained = self._training.recommender(project) if self._training else None
            if trained is None:
                raise LabelerError(f"project {project.name!r} has no trained model: labeler train")
            return trained
        known = ", ".join(RECOMMENDERS)
        raise NotFoundError(f"no recommender {choice.name!r}; the recommenders are {known}")

    def pre_annotate(
        self,
        project: Project,
        recommender: Recommender,
        document_ids: Sequence[int] | None = None,
        progress: Progress | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> PreAnnotationReport:
        """Stores `recommender`'s suggestions for these documents (default: all of the
        project's), replacing what it stored there before. A document where it fails is
        reported and the rest go on."""
        with self._db.reading() as store:
            known = store.documents.ids(project.id)
        if document_ids is None:
            wanted = known
        else:
            missing = sorted(set(document_ids) - set(known))
            if missing:
                raise NotFoundError(f"project {project.name!r} has no document {missing[0]}")
            wanted = list(dict.fromkeys(document_ids))
        report = PreAnnotationReport(recommender.name)
        empty = AnnotationSet(project.schema, "")
        for done, document_id in enumerate(wanted, 1):
            with self._db.reading() as store:
                document = store.documents.get(document_id)
            outcome = run_safely(recommender, document.text, empty, timeout)
            if outcome.problem is not None:
                report.problems.append(f"document {document_id}: {outcome.problem}")
            else:
                with self._db.transaction() as store:
                    store.suggestions.clear([document_id], recommender.name)
                    report.stored += store.suggestions.store(document_id, outcome.suggestions)
            report.documents += 1
            if progress is not None:
                progress(done, len(wanted))
        return report

    # -- in the editor

    def open_for(self, session: EditSession) -> list[Suggestion]:
        """The stored suggestions of the session's document that its annotator has not
        rejected and that still fit the set, best first."""
        document_id = id_of_document(session)
        with self._db.reading() as store:
            stored = store.suggestions.stored([document_id]).get(document_id, [])
            rejected = store.suggestions.rejected(document_id, session.annotations.annotator)
        return fitting(session.annotations, [s for s in stored if s.key not in rejected])

    def compute(
        self,
        session: EditSession,
        recommenders: Sequence[Recommender],
        timeout: float = DEFAULT_TIMEOUT,
        annotations: AnnotationSet | None = None,
    ) -> tuple[list[Suggestion], list[Outcome]]:
        """The stored suggestions of the session's document and those the recommenders make
        now, without the ones its annotator rejected there; and each recommender's outcome
        (a problem for one that raised or hung). Runs on a copy of the set (`annotations`,
        taken where the set is edited, else made here), so it is safe off the GUI thread."""
        document_id = id_of_document(session)
        if annotations is None:
            annotations = snapshot(session.annotations)
        outcomes = [
            run_safely(r, session.document.text, annotations, timeout) for r in recommenders
        ]
        with self._db.reading() as store:
            stored = store.suggestions.stored([document_id]).get(document_id, [])
            rejected = store.suggestions.rejected(document_id, annotations.annotator)
        found: dict[str, Suggestion] = {}
        for s in [*stored, *(s for o in outcomes for s in o.suggestions)]:
            if s.key not in rejected and s.key not in found:
                found[s.key] = s
        return fitting(annotations, found.values()), outcomes

    def learn(
        self,
        session: EditSession,
        recommenders: Sequence[Recommender],
        span: Span,
        annotations: AnnotationSet,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> tuple[list[Suggestion], list[Outcome]]:
        """Teaches the recommenders a span just labelled (the string matcher proposes its
        text from now on) and returns what they propose for it now, without what the
        session's annotator rejected there, fitted to `annotations` (a copy of the set, or an
        empty set of its schema and annotator: either is safe off the GUI thread, where the
        set itself is not). A recommender that fails to learn is reported."""
        text = session.document.text
        outcomes = []
        for recommender in recommenders:
            try:
                recommender.learn(text, span)
            except Exception as error:  # a recommender's bug is reported, never raised
                problem = f"failed to learn: {type(error).__name__}: {error}"
                outcomes.append(Outcome(recommender.name, problem=problem))
                continue
            outcomes.append(run_safely(recommender, text, annotations, timeout, span))
        with self._db.reading() as store:
            rejected = store.suggestions.rejected(id_of_document(session), annotations.annotator)
        found = [s for o in outcomes for s in o.suggestions if s.key not in rejected]
        return fitting(annotations, found), outcomes

    def live_recommenders(self, project: Project) -> list[Recommender]:
        """The recommenders the editor runs when a document opens: the texts labelled in the
        project so far, the attribution rules, the entity rules (amounts, dates ...) where the
        schema has labels they propose, and the project's trained model if it has one (it
        proposes nothing below the lead's threshold F1)."""
        found: list[Recommender] = [
            self.recommender(project, RecommenderChoice("string-matcher")),
            AttributionRulesRecommender(),
        ]
        if any(project.schema.has_label(label) for label in ENTITY_RULE_LABELS):
            found.append(EntityRulesRecommender())
        trained = self._training.recommender(project) if self._training else None
        if trained is not None and trained.proposes:
            found.append(trained)
        return found

    def accept(
        self, session: EditSession, suggestion: Suggestion
    ) -> list[tuple[Span, list[Relation]]]:
        """Makes a suggestion ordinary spans (and relations) of the set, recording its
        recommender; returns them as remove_spans would (empty for a relation)."""
        proposal = suggestion.proposal
        if isinstance(proposal, SuggestedRelation):
            session.add_relation(proposal.type, proposal.head, proposal.tail)
            return []
        text, schema = session.document.text, session.schema
        spans = [
            make_span(text, s.start, s.end, s.label, schema, s.attributes or None)
            for s in suggestion.spans
        ]
        links = [] if isinstance(proposal, SuggestedSpan) else list(proposal.links)
        return session.add_proposed(spans, links, suggestion.recommender)

    def reject(self, session: EditSession, suggestion: Suggestion) -> None:
        """Remembers that the session's annotator does not want this suggestion here."""
        document_id = id_of_document(session)
        with self._db.transaction() as store:
            annotator = session.annotations.annotator
            annotator_id = store.annotations.annotator_ids([annotator])[annotator]
            store.suggestions.reject(document_id, annotator_id, suggestion)

    def unreject(self, session: EditSession, suggestion: Suggestion) -> None:
        """Forgets a rejection (its undo)."""
        document_id = id_of_document(session)
        with self._db.transaction() as store:
            annotator = session.annotations.annotator
            annotator_id = store.annotations.annotator_ids([annotator])[annotator]
            store.suggestions.unreject(document_id, annotator_id, suggestion.key)

    def sources(self, session: EditSession) -> dict[int, str]:
        """The recommender of each span of the set that came from a suggestion."""
        with self._db.reading() as store:
            return store.suggestions.sources([id_of(s) for s in session.annotations.spans.values()])

    def tallies(self, project: Project) -> list[SuggestionTally]:
        """Accepted and rejected per recommender (all its labels, then each), from the
        stored spans' sources and the stored rejections."""
        return tallies(self.decisions(project))

    def decisions(self, project: Project) -> dict[tuple[str, str], tuple[int, int]]:
        """Per (recommender, label), how many suggestions were accepted and rejected."""
        with self._db.reading() as store:
            return store.suggestions.decisions(project.id)


def id_of_document(session: EditSession) -> int:
    if session.document.id is None:
        raise RuleError("the document is not stored")
    return session.document.id
