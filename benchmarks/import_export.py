"""Import and export throughput beside a floor measured in the same run.

    python benchmarks/import_export.py [--docs 20000] [--spans 20] [--repeat 3]

Generates synthetic articles (about 3 KB each, with spans in every layer), imports them
into a fresh SQLite database through labeler's import service, exports them as native JSONL,
and prints documents/s and MB/s for each step beside its floor:
  import floor: plain sqlite3 executemany of the same rows into the same tables, one transaction;
  export floor: json.dumps of the same records, written with the standard library.
Medians over --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from labeler.domain.document import text_digest
from labeler.services.exporting import ExportService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database

WORDS = [
    "the",
    "council",
    "said",
    "on",
    "Monday",
    "that",
    "budget",
    "talks",
    "would",
    "resume",
    "after",
    "officials",
    "warned",
    "of",
    "a",
    "shortfall",
    "of",
    "about",
    "million",
    "dollars",
    "in",
    "the",
    "coming",
    "year",
    "while",
    "residents",
    "protested",
    "outside",
    "city",
    "hall",
    "and",
    "the",
    "mayor",
    "promised",
    "new",
    "measures",
    "according",
    "to",
    "a",
    "statement",
]
ENTITY_LABELS = ["PERSON", "ORG", "GPE", "DATE", "CARDINAL", "MONEY"]


def make_article(rng: random.Random, n: int, spans: int) -> dict:
    words: list[str] = []
    length = 0
    while length < 3000:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    words.append(f"#{n}")  # every article distinct
    text = " ".join(words)
    starts = []
    pos = 0
    for w in words:
        starts.append((pos, pos + len(w)))
        pos += len(w) + 1
    picked = sorted(rng.sample(range(len(starts) - 1), spans))
    out = []
    for i, k in enumerate(picked):
        s, e = starts[k]
        if i % 5 == 4:  # every fifth span a claim over a few words
            e = starts[min(k + 4, len(starts) - 1)][1]
            out.append(
                {"start": s, "end": e, "label": "CLAIM", "attributes": {"checkworthy": "yes"}}
            )
        else:
            out.append({"start": s, "end": e, "label": rng.choice(ENTITY_LABELS)})
    return {
        "title": f"Article {n}",
        "date": "2026-01-02",
        "meta": {"source": "bench"},
        "text": text,
        "spans": out,
    }


def write_input(path: Path, docs: int, spans: int) -> list[dict]:
    rng = random.Random(7)
    articles = [make_article(rng, n, spans) for n in range(docs)]
    with path.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    return articles


def floor_import(db_path: Path, articles: list[dict], layer_of: dict[str, str]) -> float:
    Database(str(db_path)).open()  # the same tables, indexes and triggers
    now = datetime.now(UTC).isoformat()
    doc_rows = [
        (
            i + 1,
            1,
            a["title"],
            a["date"],
            a["text"],
            text_digest(a["text"]),
            json.dumps(a["meta"]),
            now,
        )
        for i, a in enumerate(articles)
    ]
    set_rows = [(i + 1, i + 1, 1, "done", 1, now) for i in range(len(articles))]
    span_rows = [
        (
            i + 1,
            layer_of[s["label"]],
            s["label"],
            s["start"],
            s["end"],
            a["text"][s["start"] : s["end"]],
            json.dumps(s.get("attributes", {})),
        )
        for i, a in enumerate(articles)
        for s in a["spans"]
    ]
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO project (id, name, schema_toml, created_at) VALUES (1, 'F', '', ?)", (now,)
    )
    conn.execute("INSERT INTO annotator (id, name) VALUES (1, 'imported')")
    conn.executemany(
        "INSERT INTO document (id, project_id, title, date, text, digest, meta, "
        "created_at) VALUES (?,?,?,?,?,?,?,?)",
        doc_rows,
    )
    conn.executemany(
        "INSERT INTO annotation_set (id, document_id, annotator_id, status, version, "
        "updated_at) VALUES (?,?,?,?,?,?)",
        set_rows,
    )
    conn.executemany(
        "INSERT INTO span (set_id, layer, label, start_offset, end_offset, text, "
        "attributes) VALUES (?,?,?,?,?,?,?)",
        span_rows,
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def floor_export(path: Path, articles: list[dict], layer_of: dict[str, str]) -> float:
    records = [
        {
            "title": a["title"],
            "date": a["date"],
            "meta": a["meta"],
            "text": a["text"],
            "annotations": [
                {
                    "annotator": "imported",
                    "status": "done",
                    "spans": [
                        {
                            "id": k,
                            "layer": layer_of[s["label"]],
                            "label": s["label"],
                            "start": s["start"],
                            "end": s["end"],
                            "text": a["text"][s["start"] : s["end"]],
                            "attributes": s.get("attributes", {}),
                        }
                        for k, s in enumerate(a["spans"], 1)
                    ],
                    "relations": [],
                }
            ],
        }
        for a in articles
    ]
    t0 = time.perf_counter()
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--spans", type=int, default=20, help="spans per article")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="labeler-bench-") as tmp:
        folder = Path(tmp)
        source = folder / "articles.jsonl"
        articles = write_input(source, args.docs, args.spans)
        in_mb = source.stat().st_size / 1e6
        ours_import, ours_export, floor_imp, floor_exp = [], [], [], []
        out_mb = 0.0
        for run in range(args.repeat):
            db = Database(str(folder / f"ours{run}.db"))
            db.open()
            ProjectService(db).create("Bench", "news")
            schema = ProjectService(db).get("Bench").schema
            layer_of = {label.name: label.layer for label in schema.labels()}
            t0 = time.perf_counter()
            report = ImportService(db).import_paths("Bench", [source])
            ours_import.append(time.perf_counter() - t0)
            assert report.imported == args.docs, report
            out = folder / f"out{run}.jsonl"
            t0 = time.perf_counter()
            ExportService(db).export("Bench", "jsonl", out)
            ours_export.append(time.perf_counter() - t0)
            out_mb = out.stat().st_size / 1e6
            db.close()
            floor_imp.append(floor_import(folder / f"floor{run}.db", articles, layer_of))
            floor_exp.append(floor_export(folder / f"floor{run}.jsonl", articles, layer_of))

    def line(step: str, ours: list[float], floor: list[float], mb: float) -> None:
        o, f = statistics.median(ours), statistics.median(floor)
        print(
            f"{step:<7} labeler {args.docs / o:>9,.0f} docs/s {mb / o:>7.1f} MB/s   "
            f"floor {args.docs / f:>9,.0f} docs/s {mb / f:>7.1f} MB/s   "
            f"ratio {f / o:>5.0%} (target >= 50%)"
        )

    spans = args.docs * args.spans
    print(
        f"{args.docs:,} articles, {spans:,} spans, input {in_mb:.1f} MB, "
        f"median of {args.repeat} runs"
    )
    line("import", ours_import, floor_imp, in_mb)
    line("export", ours_export, floor_exp, out_mb)


if __name__ == "__main__":
    main()
