"""Suggestion latency: how long the live recommenders take once a document opens, beside the open.

    python benchmarks/suggestions.py [--copies 20]

Builds a fresh SQLite database with the Sample project (its articles --copies times, each copy
a distinct text), opens every document as annotator "ana" and times the open
(AnnotationService.open) and then the suggestions the editor computes off the GUI thread
(SuggestionService.compute with the live recommenders: the project's labelled texts, the
attribution rules). Prints medians and p95 in milliseconds, and the suggestions per document.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from labeler.app import open_services
from labeler.services.resources import sample_articles
from labeler.services.sample import SAMPLE_ANNOTATOR


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        lines = Path(sample_articles()).read_text(encoding="utf-8").splitlines()
        copies = Path(folder) / "copies.jsonl"
        with copies.open("w", encoding="utf-8") as out:
            for n in range(args.copies):
                for line in lines:
                    record = json.loads(line)
                    record["text"] = record["text"] + f"\n(copy {n})"
                    out.write(json.dumps(record) + "\n")
        services = open_services(str(Path(folder) / "bench.db"))
        services.projects.create("Bench", "news")
        services.importer.import_paths("Bench", [copies], annotator=SAMPLE_ANNOTATOR)
        project = services.projects.get("Bench")
        began = time.perf_counter()
        recommenders = services.suggestions.live_recommenders(project)
        build = time.perf_counter() - began
        opens, latencies, counts, chars = [], [], [], []
        for summary in services.documents.summaries(project):
            began = time.perf_counter()
            session = services.annotations.open(project, summary.id, "ana")
            opened = time.perf_counter()
            found, outcomes = services.suggestions.compute(session, recommenders)
            done = time.perf_counter()
            assert all(o.problem is None for o in outcomes), outcomes
            opens.append((opened - began) * 1000)
            latencies.append((done - opened) * 1000)
            counts.append(len(found))
            chars.append(len(session.document.text))
        services.close()
    print(f"{len(opens)} documents, {statistics.median(chars):.0f} characters (median)")
    print(f"recommenders built once per project: {build * 1000:.0f} ms")
    print(f"open:        median {statistics.median(opens):6.1f} ms   p95 {p95(opens):6.1f} ms")
    late = latencies
    print(f"suggestions: median {statistics.median(late):6.1f} ms   p95 {p95(late):6.1f} ms")
    print(f"suggestions per document: median {statistics.median(counts):.0f}, max {max(counts)}")


if __name__ == "__main__":
    main()
