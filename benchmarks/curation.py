"""Curation mode on a long article: three annotators' sets drawn at once, edits and decisions.

    python benchmarks/curation.py [--chars 1000000] [--spans 20000] [--repeat 5] [--edits 60]

Generates the article of benchmarks/editor.py (about --chars characters, --spans spans in all
three layers) and three annotators' sets on it: ana's as generated, ben's with one entity in 20
relabelled, cy's with one in 10 relabelled and one in 20 left out; all imported through the
import service into a fresh SQLite database in a temporary folder.

Measured, medians over --repeat runs:
  single open: ana's set opened through the annotation service and shown in a DocumentEditor
    (offscreen) to the first full repaint of the text view;
  curation open: the curated set opened through the curation service (the three sets read,
    their merge planned, the curated set and its rejections read; the first run also stores
    the merge of what all three agree on) and shown in curation mode, lanes and all, to the
    first full repaint;
  edits (p50/p95 over every run's samples): relabel an entity (the command, its commit and
    the repaint of the viewport) in the single set and in the curated set in curation mode,
    and a decision in curation mode (reject the disagreement stepped to, with the step to the
    next one and the repaint; the open count follows after that paint).
Targets (from the issue): curation open within 3x the single open; edits under 16 ms at p95.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from editor import make_article  # a module beside this script
from PySide6.QtWidgets import QApplication

from labeler.app import open_services
from labeler.domain.document import DocumentQuery
from labeler.ui.curation.curation_controller import CurationController
from labeler.ui.editor.annotation_commands import ChangeSpanCommand
from labeler.ui.editor.document_editor import DocumentEditor

ENTITY = ("PERSON", "ORG", "GPE", "NORP", "DATE", "MONEY")


def variant(records: list[dict], relabel: int, drop: int, seed: int) -> list[dict]:
    """A copy of `records` with one entity in `relabel` relabelled, one in `drop` left out."""
    rng = random.Random(seed)
    out = []
    for r in records:
        if r["label"] in ENTITY and drop and rng.randrange(drop) == 0:
            continue
        r = dict(r)
        if r["label"] in ENTITY and relabel and rng.randrange(relabel) == 0:
            r["label"] = rng.choice([x for x in ENTITY if x != r["label"]])
        out.append(r)
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--spans", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--edits", type=int, default=60)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="labeler-curation-bench-"))
    text, records = make_article(args.chars, args.spans)
    sets = {
        "ana": records,
        "ben": variant(records, 20, 0, 1),
        "cy": variant(records, 10, 20, 2),
    }
    line = {
        "title": "A very long wire story",
        "text": text,
        "annotations": [
            {"annotator": who, "status": "done", "spans": spans} for who, spans in sets.items()
        ],
    }
    source = folder / "article.jsonl"
    source.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    services = open_services(str(folder / "bench.db"))
    project = services.projects.create("Bench", "news")
    services.importer.import_paths("Bench", [source], annotator="ana")
    (document_id,) = services.documents.ids(project, DocumentQuery())
    print(
        f"article: {len(text):,} characters; spans: "
        + ", ".join(f"{who} {len(s):,}" for who, s in sets.items())
    )

    editor = DocumentEditor(project.schema)
    controller = CurationController(editor, services.curation)
    editor.resize(1200, 800)
    editor.show()
    app.processEvents()
    view = editor.view

    def shown() -> None:
        app.processEvents()  # a long article's set opens in the turn after its first paint
        view.viewport().repaint()

    single, curated = [], []
    plain, relabels, decisions = [], [], []
    per_run = max(1, args.edits // args.repeat)
    rng = random.Random(5)

    def relabel(session: object, into: list[float]) -> None:
        made = session.annotations  # type: ignore[attr-defined]
        entities = [s for s in made.spans.values() if s.label in ENTITY]
        for span in rng.sample(entities, per_run):
            view.select_span(span.id)
            shown()
            label = next(x for x in ENTITY if x != span.label)
            command = ChangeSpanCommand(session, editor.report, span.id, "relabel", label=label)  # type: ignore[arg-type]
            t0 = time.perf_counter()
            editor.run_command(command)
            view.viewport().repaint()
            into.append(time.perf_counter() - t0)

    for run in range(args.repeat):
        controller.leave()
        editor.forget(document_id)
        t0 = time.perf_counter()
        session = services.annotations.open(project, document_id, "ana", lazy=True)
        editor.open(session)
        shown()
        single.append(time.perf_counter() - t0)
        relabel(session, plain)

        editor.close_document()
        editor.forget(document_id)
        t0 = time.perf_counter()
        curation = services.curation.open(project, document_id, "lee")
        controller.begin(curation)
        shown()
        curated.append(time.perf_counter() - t0)
        if run == 0:
            print(
                f"curated set: {len(curation.session.annotations.spans):,} spans agreed; "
                f"{len(curation.items):,} disagreements"
            )
        relabel(curation.session, relabels)
        controller.step()
        for _ in range(per_run):
            shown()
            t0 = time.perf_counter()
            controller.reject()
            view.viewport().repaint()
            decisions.append(time.perf_counter() - t0)

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms"

    ratio = statistics.median(curated) / statistics.median(single)
    print(f"single-set open (median of {args.repeat}): {ms(single)}")
    print(f"curation open (median of {args.repeat}): {ms(curated)}  = {ratio:.1f}x  (target 3x)")
    for name, values in (
        ("relabel, single set (for comparison)", plain),
        ("relabel in curation mode", relabels),
        ("decision (reject + step) in curation mode", decisions),
    ):
        print(
            f"{name}: p50 {statistics.median(values) * 1000:.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.1f} ms over {len(values)} (target p95 < 16 ms)"
        )
    services.close()


if __name__ == "__main__":
    main()
