"""Agreement over a large project, beside the time that only loading its sets takes.

    python benchmarks/agreement.py [--docs 10000] [--spans 20] [--chars 1500] [--repeat 3]

Builds a fresh SQLite database in a temporary folder with --docs synthetic articles (about
--chars characters each) and three annotators' sets on every one, all done, each with --spans
spans: entities, two claims with a claim type, and two attributions (CUE, SOURCE, CONTENT with
their `source` and `content` relations). The second and third annotators copy the first with
changes: a boundary moved by a word, another label, a span left out, another claim type.

Then, as medians over --repeat runs (wall clock, and CPU time of this process): loading what
agreement reads (every document's text and sets, page by page, as the agreement service reads
them), and the whole agreement run (AgreementService.measure: loading, tokenising, every
figure). Target: within 3x of the load.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from news_words import WORDS  # a module beside this script

from labeler.domain.annotation import Relation, Span, Status
from labeler.domain.document import Document
from labeler.services.agreement import AgreementService
from labeler.services.projects import ProjectService
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database

ANNOTATORS = ("ana", "ben", "cy")
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "DATE", "MONEY", "NORP")
CLAIM_TYPES = ("quantity", "prediction", "causal", "event")
FRAME_SLOTS = ((0, "SOURCE"), (1, "CUE"), (2, "CONTENT"))


def words_of(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for word in text.split(" "):
        spans.append((start, start + len(word)))
        start += len(word) + 1
    return spans


def first_set(
    text: str, rng: random.Random, n_spans: int
) -> list[tuple[int, int, str, str, dict[str, str]]]:
    """(start word, end word, label, layer, attributes): one span per slot of words."""
    words = words_of(text)
    slot = len(words) // n_spans
    out = []
    for k in range(n_spans):
        first = k * slot + rng.randrange(max(1, slot - 3))
        last = min(first + rng.randrange(1, 4), (k + 1) * slot)
        frame = next((label for offset, label in FRAME_SLOTS if k % 10 == offset), None)
        if frame is not None:
            out.append((first, last, frame, "attribution", {}))
        elif k % 10 == 5:
            out.append((first, last, "CLAIM", "claim", {"claim_type": rng.choice(CLAIM_TYPES)}))
        else:
            out.append((first, last, rng.choice(ENTITY_LABELS), "entity", {}))
    return out


def changed(
    spans: list[tuple[int, int, str, str, dict[str, str]]], rng: random.Random
) -> list[tuple[int, int, str, str, dict[str, str]]]:
    """Another annotator's version: about one span in four differs."""
    out = []
    for first, last, label, layer, attrs in spans:
        roll = rng.random()
        if roll < 0.06 and layer == "entity":
            continue  # left out
        if roll < 0.14 and last - first > 1:
            last -= 1  # a word shorter
        elif roll < 0.2 and layer == "entity":
            label = rng.choice(ENTITY_LABELS)
        elif roll < 0.26 and attrs:
            attrs = {"claim_type": rng.choice(CLAIM_TYPES)}
        out.append((first, last, label, layer, attrs))
    return out


def build(db: Database, docs: int, n_spans: int, chars: int) -> None:
    rng = random.Random(11)
    project = ProjectService(db).create("Agree", "news")
    with db.transaction() as store:
        names = store.annotations.annotator_ids(list(ANNOTATORS))
        for begin in range(0, docs, 2000):
            texts = []
            for _ in range(min(2000, docs - begin)):
                words: list[str] = []
                while sum(len(w) + 1 for w in words) < chars:
                    words.append(rng.choice(WORDS))
                texts.append(" ".join(words) + ".")
            ids = store.documents.add_many(
                project.id, [Document(t, f"Article {begin + i}") for i, t in enumerate(texts)]
            )
            new_sets = []
            for doc_id, text in zip(ids, texts, strict=True):
                words = words_of(text)
                base = first_set(text, rng, n_spans)
                for n, name in enumerate(ANNOTATORS):
                    mine = base if n == 0 else changed(base, rng)
                    spans = [
                        Span(
                            words[a][0],
                            words[b - 1][1],
                            label,
                            layer,
                            text[words[a][0] : words[b - 1][1]],
                            attrs,
                            -(i + 1),
                        )
                        for i, (a, b, label, layer, attrs) in enumerate(mine)
                    ]
                    new_sets.append(
                        NewSet(doc_id, names[name], Status.DONE, spans, relations_of(spans))
                    )
            store.annotations.add_sets(new_sets)


def relations_of(spans: list[Span]) -> list[Relation]:
    """CUE -source-> SOURCE and CUE -content-> CONTENT within each attribution's slots."""
    by_label: dict[str, list[Span]] = {}
    for s in spans:
        by_label.setdefault(s.label, []).append(s)
    out = []
    for cue, source, content in zip(
        by_label.get("CUE", []),
        by_label.get("SOURCE", []),
        by_label.get("CONTENT", []),
        strict=False,
    ):
        out.append(Relation("source", cue.id, source.id, id=-(len(out) + 1)))
        out.append(Relation("content", cue.id, content.id, id=-(len(out) + 1)))
    return out


def load_only(db: Database, project_id: int) -> int:
    """Reads what agreement reads, page by page, and keeps nothing; returns spans seen."""
    project = ProjectService(db).get("Agree")
    seen = 0
    with db.reading() as store:
        for batch in store.documents.iter_documents(project_id, 500):
            sets = store.annotations.sets_for([d.id for d in batch], project.schema)
            seen += sum(len(s.spans) for found in sets.values() for s in found)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=20)
    parser.add_argument("--chars", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(str(Path(folder) / "bench.db"))
        db.open()
        t = time.perf_counter()
        build(db, args.docs, args.spans, args.chars)
        print(
            f"built {args.docs:,} documents x {len(ANNOTATORS)} annotators x "
            f"{args.spans} spans in {time.perf_counter() - t:.1f} s"
        )
        project = ProjectService(db).get("Agree")
        service = AgreementService(db)
        service.measure(project, ["ana", "ben"], ["claim"])  # warm up: spaCy's tokenizer
        loads, runs, load_cpu, run_cpu = [], [], [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            spans = load_only(db, project.id)
            loads.append(time.perf_counter() - t)
            load_cpu.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            report = service.measure(project)
            runs.append(time.perf_counter() - t)
            run_cpu.append(time.process_time() - c)
        load, run = statistics.median(loads), statistics.median(runs)
        cpu_load, cpu_run = statistics.median(load_cpu), statistics.median(run_cpu)
        tokens = report.figure(report.figures[0].measure, report.layers[0]).units
        print(f"load only   {load:7.2f} s  ({spans:,} spans)")
        print(
            f"agreement   {run:7.2f} s  ({report.documents:,} documents, "
            f"{len(report.figures):,} figures, {tokens:,} token units per layer and pair "
            f"pooled)"
        )
        print(f"ratio       {run / load:7.2f} x  (target: within 3x)")
        print(
            f"CPU time    load {cpu_load:.2f} s, agreement {cpu_run:.2f} s: "
            f"{cpu_run / cpu_load:.2f} x (less bent by other work on the machine)"
        )
        for measure in ("span_f1_exact", "cohen_kappa", "krippendorff_alpha", "fleiss_kappa"):
            f = next(x for x in report.figures if x.measure == measure and x.pair == "all")
            print(f"  entity {measure}: {f.value:.3f} over {f.units:,} units")
        db.close()


if __name__ == "__main__":
    main()
