"""Training the project's model in the loop: examples from finished documents, versions kept
per project with their held-out figures, the model as a recommender, and the order of an
annotator's remaining documents by the model's confidence (active learning).

Each version is a spaCy pipeline folder under `models_root/project-<id>/v<version>`; the
database keeps its version, date, size and figures (table trained_model). A training that
fails or is cancelled leaves neither a folder nor a row.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labeler.assist.trained_model import TrainedModelRecommender
from labeler.assist.training import (
    Evaluation,
    Progress,
    TrainingExample,
    TrainingSettings,
    confidence,
    evaluate,
    held_out_split,
    scored_entities,
    train_pipeline,
)
from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.document import DocumentQuery
from labeler.domain.errors import LabelerError, NotFoundError
from labeler.domain.project import Project
from labeler.domain.schema import LabelSchema
from labeler.domain.trained_model import LabelScore, TrainedModel, TrainingPolicy
from labeler.storage.database import Database

ENTITY_LAYER = "entity"


def entity_layer(schema: LabelSchema) -> str:
    """The layer the entity recognizer learns: `entity`, else the first layer without overlap."""
    names = [layer.name for layer in schema.layers]
    if ENTITY_LAYER in names:
        return ENTITY_LAYER
    for layer in schema.layers:
        if not layer.allow_overlap:
            return layer.name
    raise LabelerError("the schema has no layer without overlap for an entity recognizer")


def _span_layers(schema: LabelSchema, entity: str) -> dict[str, list[str]]:
    """The layers a span categorizer learns (those that may overlap), with their labels."""
    return {
        layer.name: [label.name for label in layer.labels]
        for layer in schema.layers
        if layer.allow_overlap and layer.name != entity and layer.labels
    }


def _chosen_set(sets: Sequence[AnnotationSet], gold: str | None) -> AnnotationSet | None:
    """A finished document's set to learn from: the curated one, else the first done set
    (annotators in alphabetical order)."""
    done = sorted((s for s in sets if s.status is Status.DONE), key=lambda s: s.annotator)
    for s in done:
        if s.annotator == gold:
            return s
    return done[0] if done else None


@dataclass(frozen=True)
class TrainingOutcome:
    """A trained version and its held-out evaluation."""

    model: TrainedModel
    evaluation: Evaluation


class TrainingService:
    def __init__(self, db: Database, models_root: Path) -> None:
        self._db = db
        self.models_root = models_root
        self._pipelines: dict[str, Any] = {}  # folder -> loaded pipeline
        self._confidence: dict[tuple[str, int], float] = {}  # (folder, document id) -> score

    # -- what it learns from
    def examples(self, project: Project) -> list[TrainingExample]:
        """The project's finished documents with their entity-layer spans, and the spans of
        the layers that may overlap."""
        layer = entity_layer(project.schema)
        overlap = _span_layers(project.schema, layer)
        found: list[TrainingExample] = []
        with self._db.reading() as store:
            for batch in store.documents.iter_documents(project.id):
                ids = [d.id for d in batch if d.id is not None]
                sets = store.annotations.sets_for(ids, project.schema)
                gold = store.curation.curated_sets(ids)
                for document in batch:
                    assert document.id is not None
                    curated = gold.get(document.id)
                    chosen = _chosen_set(sets.get(document.id, []), curated and curated[0])
                    if chosen is None:
                        continue
                    by_layer: dict[str, list[tuple[int, int, str]]] = {}
                    for s in chosen.spans.values():
                        by_layer.setdefault(s.layer, []).append((s.start, s.end, s.label))
                    spans = tuple(sorted(by_layer.pop(layer, [])))
                    groups = {k: tuple(sorted(v)) for k, v in by_layer.items() if k in overlap}
                    found.append(TrainingExample(document.text, spans, document.digest, groups))
        return found

    def done_count(self, project: Project) -> int:
        """How many of the project's documents have a finished set (what training can use)."""
        with self._db.reading() as store:
            return store.models.finished_documents(project.id)

    def command(
        self, project: Project, settings: TrainingSettings | None = None
    ) -> tuple[list[str], dict[str, str]]:
        """The command line that trains the project's model in a process of its own, and the
        environment it needs beside the current one (the database, kept off the command
        line where a password would show)."""
        settings = settings or TrainingSettings()
        args = [sys.executable, "-m", "labeler", "train", "--project", project.name]
        args += ["--iterations", str(settings.iterations), "--width", str(settings.width)]
        args += ["--depth", str(settings.depth)]
        return args, {"LABELER_DB": self._db.url}

    # -- training
    def train(
        self,
        project: Project,
        settings: TrainingSettings | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        examples: Sequence[TrainingExample] | None = None,
    ) -> TrainingOutcome:
        """Trains a new version on the finished documents (less a held-out share, which
        measures it), keeps its folder and records it. TrainingCancelled when `cancelled`
        says so; nothing is kept then."""
        settings = settings or TrainingSettings()
        chosen = list(examples) if examples is not None else self.examples(project)
        if len(chosen) < 2:
            raise LabelerError(
                f"project {project.name!r} has {len(chosen)} finished documents: "
                "training needs at least 2 (one is held out to measure the model)"
            )
        train, held = held_out_split(chosen, settings.held_out, settings.seed)
        layer = entity_layer(project.schema)
        labels = [label.name for label in project.schema.layer(layer).labels]
        nlp = train_pipeline(
            train, labels, settings, progress, cancelled, _span_layers(project.schema, layer)
        )
        evaluation = evaluate(nlp, held)
        home = self.models_root / f"project-{project.id}"
        home.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".training-", dir=home))
        try:
            nlp.to_disk(staging)
            with self._db.transaction() as store:
                version = store.models.next_version(project.id)
                folder = home / f"v{version}"
                model = _record(version, folder, len(train), evaluation)
                store.models.add(project.id, model)
                if folder.exists():  # left by a database since reset: not this project's now
                    shutil.rmtree(folder)
                staging.rename(folder)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        return TrainingOutcome(model, evaluation)

    # -- versions and settings
    def models(self, project: Project) -> list[TrainedModel]:
        """The project's trained versions, oldest first."""
        with self._db.reading() as store:
            return store.models.versions(project.id)

    def latest(self, project: Project) -> TrainedModel | None:
        found = self.models(project)
        return found[-1] if found else None

    def policy(self, project: Project) -> TrainingPolicy:
        with self._db.reading() as store:
            return store.models.policy(project.id)

    def set_policy(self, project: Project, policy: TrainingPolicy) -> None:
        with self._db.transaction() as store:
            store.models.set_policy(project.id, policy)

    def due(self, project: Project) -> bool:
        """Whether the lead's "retrain every N newly finished documents" asks for a training
        now: N or more finished since the latest version was trained (or since none was)."""
        every = self.policy(project).retrain_every
        if every <= 0:
            return False
        latest = self.latest(project)
        known = latest.documents + latest.held_out if latest is not None else 0
        return self.done_count(project) - known >= every

    def export(self, project: Project, out: Path, version: int | None = None) -> TrainedModel:
        """Copies a version's pipeline folder (default: the latest) to `out`; spacy.load(out)
        reads it."""
        model = self._version(project, version)
        if out.exists() and any(out.iterdir()):
            raise LabelerError(f"{out} is not empty: give a new or empty folder")
        shutil.copytree(model.folder, out, dirs_exist_ok=True)
        return model

    def _version(self, project: Project, version: int | None) -> TrainedModel:
        found = self.models(project)
        if not found:
            raise NotFoundError(f"project {project.name!r} has no trained model yet")
        if version is None:
            return found[-1]
        for model in found:
            if model.version == version:
                return model
        raise NotFoundError(f"project {project.name!r} has no model version {version}")

    # -- using it
    def recommender(self, project: Project) -> TrainedModelRecommender | None:
        """The latest version as a recommender (silent below the lead's F1); None if none."""
        latest = self.latest(project)
        if latest is None or not Path(latest.folder).is_dir():
            return None
        return TrainedModelRecommender(
            latest.folder, latest.version, latest.f1, self.policy(project).min_f1
        )

    def confidences(
        self,
        project: Project,
        annotator: str,
        cancelled: Callable[[], bool] | None = None,
    ) -> dict[int, float]:
        """The latest model's confidence (training.confidence) on each of the annotator's
        remaining documents (todo or in progress), by document id; lower is less sure.
        Scores are cached per model version and document (texts never change)."""
        latest = self.latest(project)
        if latest is None:
            raise NotFoundError(f"project {project.name!r} has no trained model yet")
        with self._db.reading() as store:
            ids = [
                i
                for status in (Status.TODO, Status.IN_PROGRESS)
                for i in store.documents.query_ids(
                    project.id, DocumentQuery(status=status, annotator=annotator)
                )
            ]
        missing = [i for i in ids if (latest.folder, i) not in self._confidence]
        if missing:
            nlp = self._pipeline(latest.folder)
            for start in range(0, len(missing), 32):
                if cancelled is not None and cancelled():
                    break
                part = missing[start : start + 32]
                with self._db.reading() as store:
                    texts = [store.documents.get(i).text for i in part]
                for i, scores in zip(part, scored_entities(nlp, texts), strict=True):
                    self._confidence[(latest.folder, i)] = confidence(scores)
        return {
            i: self._confidence[(latest.folder, i)]
            for i in ids
            if (latest.folder, i) in self._confidence
        }

    def _pipeline(self, folder: str) -> Any:
        nlp = self._pipelines.get(folder)
        if nlp is None:
            import spacy

            if not Path(folder).is_dir():  # trained on another machine of a team, or deleted
                raise LabelerError(f"the model's folder {folder} is not on this machine")
            nlp = self._pipelines[folder] = spacy.load(folder)
        return nlp


def _record(version: int, folder: Path, trained_on: int, evaluation: Evaluation) -> TrainedModel:
    overall = evaluation.overall
    per_label = {
        label: LabelScore(f.precision, f.recall, f.f1, f.true_positives + f.false_negatives)
        for label, f in evaluation.per_label.items()
    }
    return TrainedModel(
        version=version,
        created=dt.datetime.now(dt.UTC),
        folder=str(folder),
        documents=trained_on,
        held_out=evaluation.documents,
        precision=overall.precision,
        recall=overall.recall,
        f1=overall.f1,
        per_label=per_label,
    )
