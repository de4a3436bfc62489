"""The model trained in the loop: versions kept per project with held-out figures, the
threshold F1, cancel, export, and the order of the remaining documents by its confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.assist.training import TrainingCancelled, TrainingSettings
from labeler.domain.annotation import AnnotationSet
from labeler.domain.errors import LabelerError
from labeler.domain.trained_model import TrainingPolicy
from labeler.services.training import TrainingService
from tests.training_corpus import stored_stories

TINY = TrainingSettings(iterations=4, width=32, depth=1, batch_size=4)


@pytest.fixture
def env(migrated_db, tmp_path: Path):
    project, ids = stored_stories(migrated_db, done=12, todo=4)
    return project, ids, TrainingService(migrated_db, tmp_path / "models")


def test_versions_are_kept_per_project_with_their_figures(env, tmp_path: Path) -> None:
    project, _ids, service = env
    assert service.latest(project) is None
    seen: list[tuple[int, int]] = []
    first = service.train(project, TINY, progress=lambda i, n, _loss: seen.append((i, n)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    model = first.model
    assert (model.version, model.documents, model.held_out) == (1, 10, 2)
    assert Path(model.folder) == tmp_path / "models" / f"project-{project.id}" / "v1"
    assert (Path(model.folder) / "meta.json").is_file()
    assert 0.0 <= model.f1 <= 1.0
    assert set(model.per_label) <= {"PERSON", "ORG", "GPE"}
    second = service.train(project, TINY).model
    assert second.version == 2
    assert [m.version for m in service.models(project)] == [1, 2]
    stored = service.latest(project)
    assert stored is not None
    assert (stored.version, stored.f1, stored.per_label) == (2, second.f1, second.per_label)
    # nothing is left behind but the two folders
    assert sorted(p.name for p in Path(model.folder).parent.iterdir()) == ["v1", "v2"]


def test_a_cancelled_training_keeps_nothing(env) -> None:
    project, _ids, service = env
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(TrainingCancelled):
        service.train(project, TINY, cancelled=cancelled)
    assert service.models(project) == []
    home = service.models_root / f"project-{project.id}"
    assert not home.exists() or list(home.iterdir()) == []


def test_a_model_below_the_threshold_proposes_nothing(env) -> None:
    project, ids, service = env
    model = service.train(project, TINY).model
    text = service_text(service, ids[0])
    empty = AnnotationSet(project.schema, "ben")
    service.set_policy(project, TrainingPolicy(min_f1=0.0))
    recommender = service.recommender(project)
    assert recommender is not None and recommender.proposes
    found = recommender.suggest(text, empty)
    assert all(s.recommender == "trained model" for s in found)
    assert all(0.0 <= s.score <= 1.0 for s in found)
    service.set_policy(project, TrainingPolicy(min_f1=min(model.f1 + 0.01, 1.0)))
    gated = service.recommender(project)
    assert gated is not None and not gated.proposes
    assert gated.suggest(text, empty) == []


def test_a_trained_model_learns_the_stories(migrated_db, tmp_path: Path) -> None:
    project, ids = stored_stories(migrated_db, done=30, todo=1, sentences=2)
    service = TrainingService(migrated_db, tmp_path / "models")
    settings = TrainingSettings(iterations=8, width=48, depth=1, batch_size=4)
    model = service.train(project, settings).model
    assert model.f1 > 0.6, model
    recommender = service.recommender(project)
    assert recommender is not None
    text = service_text(service, ids[-1])
    labels = {text[s.spans[0].start : s.spans[0].end]: s.spans[0].label
              for s in recommender.suggest(text, AnnotationSet(project.schema, "ben"))}  # fmt: skip
    assert set(labels.values()) & {"PERSON", "ORG", "GPE"}


def test_training_needs_two_finished_documents(migrated_db, tmp_path: Path) -> None:
    project, _ids = stored_stories(migrated_db, done=1, todo=2)
    service = TrainingService(migrated_db, tmp_path / "models")
    with pytest.raises(LabelerError, match="1 finished documents"):
        service.train(project, TINY)


def test_export_copies_a_version_that_spacy_loads(env, tmp_path: Path) -> None:
    import spacy

    project, _ids, service = env
    service.train(project, TINY)
    out = tmp_path / "exported"
    assert service.export(project, out).version == 1
    assert spacy.load(out).pipe_names == ["ner"]
    with pytest.raises(LabelerError, match="not empty"):
        service.export(project, out)


def test_due_after_every_n_newly_finished_documents(env) -> None:
    project, _ids, service = env
    assert not service.due(project)  # never, by default
    service.set_policy(project, TrainingPolicy(min_f1=0.3, retrain_every=5))
    assert service.policy(project) == TrainingPolicy(0.3, 5)
    assert service.due(project)  # 12 finished, no model yet
    service.train(project, TINY)
    assert not service.due(project)


def test_remaining_documents_get_a_cached_confidence(env) -> None:
    project, ids, service = env
    with pytest.raises(LabelerError, match="no trained model"):
        service.confidences(project, "ana")
    service.train(project, TINY)
    scores = service.confidences(project, "ana")
    assert sorted(scores) == ids[12:]  # the four "ana" has not finished
    assert all(0.5 <= s <= 1.0 for s in scores.values())
    assert service.confidences(project, "ana", cancelled=lambda: True) == scores  # cached
    everyone = service.confidences(project, "ben")  # ben has finished nothing
    assert sorted(everyone) == ids


def service_text(service: TrainingService, document_id: int) -> str:
    with service._db.reading() as store:
        return store.documents.get(document_id).text


def test_the_trained_model_is_listed_with_the_other_recommenders(env, migrated_db) -> None:
    from labeler.services.suggesting import RecommenderChoice, SuggestionService

    project, _ids, service = env
    suggestions = SuggestionService(migrated_db, service)
    with pytest.raises(LabelerError, match="no trained model"):
        suggestions.recommender(project, RecommenderChoice("trained-model"))
    assert [r.name for r in suggestions.live_recommenders(project)] == [
        "string matcher", "attribution rules", "entity rules"]  # fmt: skip
    assert service.done_count(project) == 12
    service.train(project, TINY)
    service.set_policy(project, TrainingPolicy(min_f1=0.0))
    names = [r.name for r in suggestions.live_recommenders(project)]
    assert names[-1] == "trained model"
    chosen = suggestions.recommender(project, RecommenderChoice("trained-model"))
    assert chosen.name == "trained model"
    service.set_policy(project, TrainingPolicy(min_f1=1.0))
    latest = service.latest(project)
    assert latest is not None
    listed = "trained model" in [r.name for r in suggestions.live_recommenders(project)]
    assert listed == (latest.f1 >= 1.0)


def test_the_command_trains_in_a_process_of_its_own(env, migrated_db) -> None:
    project, _ids, service = env
    args, environment = service.command(project, TINY)
    assert args[1:] == ["-m", "labeler", "train", "--project", "Wire", "--iterations", "4",
                        "--width", "32", "--depth", "1"]  # fmt: skip
    assert environment == {"LABELER_DB": migrated_db.url}


def test_a_model_whose_folder_is_not_here_is_said_so(env, migrated_db, tmp_path: Path) -> None:
    project, _ids, service = env
    model = service.train(project, TINY).model
    Path(model.folder).rename(tmp_path / "elsewhere")  # trained on another machine of a team
    elsewhere = TrainingService(migrated_db, tmp_path / "models")
    assert elsewhere.recommender(project) is None
    with pytest.raises(LabelerError, match="is not on this machine"):
        elsewhere.confidences(project, "ana")


def test_layers_that_overlap_get_a_span_categorizer(migrated_db, tmp_path: Path) -> None:
    import spacy

    project, ids = stored_stories(migrated_db, done=24, todo=1, sentences=2, cues=True)
    service = TrainingService(migrated_db, tmp_path / "models")
    examples = service.examples(project)
    assert {layer for e in examples for layer in e.groups} == {"attribution"}
    text = examples[0].text
    assert {text[s:e] for s, e, _label in examples[0].groups["attribution"]} <= {
        "said", "told", "According to"}  # fmt: skip
    settings = TrainingSettings(iterations=10, width=32, depth=1, batch_size=4)
    model = service.train(project, settings).model
    assert spacy.load(model.folder).pipe_names == ["ner", "spancat_attribution"]
    assert model.per_label["CUE"].support > 0
    assert {"CUE", "PERSON", "ORG", "GPE"} <= set(model.per_label)
    service.set_policy(project, TrainingPolicy(min_f1=0.0))
    recommender = service.recommender(project)
    assert recommender is not None
    story = service_text(service, ids[-1])
    found = recommender.suggest(story, AnnotationSet(project.schema, "ben"))
    cues = {story[s.spans[0].start : s.spans[0].end] for s in found if s.spans[0].label == "CUE"}
    assert cues <= {"said", "told", "According to"}
    assert model.per_label["CUE"].f1 == 0.0 or cues
