"""Training the model in the loop: time to train on N finished documents, and what follows.

    python benchmarks/training.py [--documents 500] [--sentences 12] [--iterations 10] [--runs 1]
                                  [--cues]

Builds a fresh SQLite database with a project of made-up wire stories (tests/training_corpus:
PERSON, ORG and GPE in a few sentence frames, --sentences a story), all finished by one
annotator but for 50 left to do (with --cues their attribution CUEs too, which adds a span
categorizer for the attribution layer), then times TrainingService.train with the default model size
(what `labeler train` and the window run): reading the examples, training, measuring on the
held-out share and keeping the version. Then the confidence of the remaining documents (the
active-learning order), cold and cached, and one document's suggestions. Prints medians over
--runs; the machine's load changes the figures, so say what else ran beside them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ is not installed

from labeler.assist.training import TrainingSettings
from labeler.domain.annotation import AnnotationSet
from labeler.domain.trained_model import TrainingPolicy
from labeler.services.training import TrainingService
from labeler.storage.database import Database
from tests.training_corpus import stored_stories

LEFT_TO_DO = 50


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--sentences", type=int, default=12)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cues", action="store_true")
    args = parser.parse_args()
    settings = TrainingSettings(iterations=args.iterations)
    trains, cpus, reads, colds, warms, suggests, f1s = [], [], [], [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            db = Database(str(Path(folder) / "bench.db"))
            db.open()
            project, ids = stored_stories(
                db, args.documents, LEFT_TO_DO, sentences=args.sentences, cues=args.cues
            )
            service = TrainingService(db, Path(folder) / "models")
            began = time.perf_counter()
            examples = service.examples(project)
            read, cpu = time.perf_counter(), time.process_time()
            model = service.train(project, settings, examples=examples).model
            trained, cpu = time.perf_counter(), time.process_time() - cpu
            service.confidences(project, "ana")
            cold = time.perf_counter()
            service.confidences(project, "ana")
            warm = time.perf_counter()
            service.set_policy(project, TrainingPolicy(min_f1=0.0))
            recommender = service.recommender(project)
            assert recommender is not None
            with db.reading() as store:
                text = store.documents.get(ids[-1]).text
            recommender.load()
            before = time.perf_counter()
            recommender.suggest(text, AnnotationSet(project.schema, "ben"))
            suggested = time.perf_counter()
            db.close()
        reads.append(read - began)
        trains.append(trained - read)
        cpus.append(cpu)
        colds.append((cold - trained) * 1000)
        warms.append((warm - cold) * 1000)
        suggests.append((suggested - before) * 1000)
        f1s.append(model.f1)
        chars = statistics.median(len(e.text) for e in examples)
    print(
        f"{args.documents} finished documents ({chars:.0f} characters median, "
        f"{model.documents} trained on, {model.held_out} held out), {args.iterations} iterations, "
        f"width {settings.width} depth {settings.depth}; {args.runs} run(s), medians"
    )
    print(f"read the examples:   {statistics.median(reads):7.2f} s")
    print(
        f"train + measure:     {statistics.median(trains):7.2f} s wall, "
        f"{statistics.median(cpus):.2f} s CPU   held-out F1 {f1s[-1]:.3f}"
    )
    cold, warm = statistics.median(colds), statistics.median(warms)
    print(f"confidence of {LEFT_TO_DO} remaining documents: {cold:.0f} ms, cached {warm:.1f} ms")
    print(f"one document's suggestions (beam-scored): {statistics.median(suggests):6.1f} ms")


if __name__ == "__main__":
    main()
