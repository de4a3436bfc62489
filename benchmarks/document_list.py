"""The document list on a large project: open it, filter it, sort it.

    python benchmarks/document_list.py [--docs 100000] [--chars 3000] [--repeat 5]

Builds a fresh SQLite database in a temporary folder with --docs synthetic articles (about
--chars characters each); a third of them carry an annotation set of annotator "ana" and a
fifth one of "ben", with statuses of every kind and a few spans. Then shows the list in a
QTableView (offscreen) and prints, as medians over --repeat runs, the time from a change to
the first page painted: opening the project, each text and status filter, each sort.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from news_words import WORDS  # a module beside this script
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from labeler.domain.annotation import Span, Status
from labeler.domain.document import Document, DocumentQuery
from labeler.services.documents import DocumentService
from labeler.services.projects import ProjectService
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database
from labeler.ui.documents.document_list_model import DocumentListModel

STATUSES = list(Status)


def build(db: Database, docs: int, chars: int) -> None:
    rng = random.Random(7)
    paragraphs = []
    for _ in range(300):
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < 400:
            words.append(rng.choice(WORDS))
        paragraphs.append(" ".join(words).capitalize() + ".")
    project = ProjectService(db).create("Big", "news")
    start = date(2020, 1, 1)
    batch = 10_000
    with db.transaction() as store:
        names = store.annotations.annotator_ids(["ana", "ben"])
        for first in range(0, docs, batch):
            chunk = []
            for n in range(first, min(first + batch, docs)):
                parts = rng.sample(paragraphs, max(1, chars // 400))
                chunk.append(
                    Document(
                        text="\n\n".join(parts) + f" (#{n})",
                        title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}",
                        date=start + timedelta(days=rng.randrange(2000)) if n % 10 else None,
                    )
                )
            ids = store.documents.add_many(project.id, chunk)  # type: ignore[arg-type]
            sets = []
            for doc_id, doc in zip(ids, chunk, strict=True):
                for name, share in (("ana", 3), ("ben", 5)):
                    if doc_id % share:
                        continue
                    spans = [
                        Span(i * 10, i * 10 + 5, "ORG", "entity", doc.text[i * 10 : i * 10 + 5])
                        for i in range(rng.randrange(6))
                    ]
                    sets.append(NewSet(doc_id, names[name], rng.choice(STATUSES), spans, []))
            store.annotations.add_sets(sets)


def median_ms(setup: Callable[[], object], action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        setup()
        t = time.perf_counter()
        action()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="run only the cases whose name holds this")
    parser.add_argument(
        "--db", type=Path, help="keep the database in this file (built when missing) for reuse"
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.db"
        fresh = not path.exists()
        db = Database(str(path))
        t = time.perf_counter()
        db.open()
        if fresh:
            build(db, args.docs, args.chars)
            print(f"built {args.docs:,} documents in {time.perf_counter() - t:.1f} s")
        else:
            print(f"opened {path} in {time.perf_counter() - t:.1f} s (upgraded if older)")
        documents = DocumentService(db)
        project = ProjectService(db).get("Big")
        model = DocumentListModel(documents)
        view = QTableView()
        view.resize(800, 600)
        view.setModel(model)
        view.show()
        app.processEvents()

        def paint() -> None:
            view.viewport().repaint()  # paints the visible rows: fetches their page

        def open_with(query: DocumentQuery) -> tuple[Callable[[], None], Callable[[], None]]:
            """Untimed: no project, the query set; timed: open the project and paint."""

            def setup() -> None:
                model.set_project(None)
                model.set_query(query)
                paint()

            def run() -> None:
                model.set_project(project)
                paint()

            return setup, run

        def query(**changes: object) -> tuple[Callable[[], None], Callable[[], None]]:
            return open_with(replace(DocumentQuery(), **changes))  # type: ignore[arg-type]

        def in_import_order() -> None:
            model.set_project(None)
            model.set_query(DocumentQuery())
            model.set_project(project)
            paint()

        def header_click() -> None:
            model.sort(1, Qt.SortOrder.DescendingOrder)  # same rows, new order: a layout change
            paint()

        cases: list[tuple[str, tuple[Callable[[], None], Callable[[], None]]]] = [
            ("open project, first page painted", query()),
            ("filter text 'budget' (in nearly every text)", query(text="budget")),
            ("filter text 'FLOOD AID' (in a fifth)", query(text="FLOOD AID")),
            ("filter text 'zebra' (in none: a full scan)", query(text="zebra")),
            ("filter text '(#9999' (in a few)", query(text="(#9999")),
            ("filter text 'élan' (non-ASCII, in none)", query(text="élan")),
            ("filter status done (overall)", query(status=Status.DONE)),
            ("filter status done (ana)", query(status=Status.DONE, annotator="ana")),
            ("sort title", query(sort="title")),
            ("sort title descending", query(sort="title", descending=True)),
            ("sort date", query(sort="date")),
            ("sort status (overall)", query(sort="status")),
            ("sort status (ana)", query(sort="status", annotator="ana")),
            ("sort spans (overall)", query(sort="spans")),
            ("sort spans descending (ana)", query(sort="spans", descending=True, annotator="ana")),
            ("header click: date descending", (in_import_order, header_click)),
        ]
        width = max(len(name) for name, _ in cases)
        print(f"median of {args.repeat} runs, {documents.count(project):,} documents, SQLite")
        for name, (setup, action) in cases:
            if args.only not in name:
                continue
            ms = median_ms(setup, action, args.repeat)
            more = "+" if model.canFetchMore() else ""  # a status filter's list grows as read
            print(f"  {name:<{width}}  {ms:8.1f} ms  ({model.rowCount():,}{more} rows)")
        view.close()
        db.close()


if __name__ == "__main__":
    main()
