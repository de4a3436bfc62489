"""Import and export throughput beside a floor measured in the same run.

    python benchmarks/import_export.py [--docs 20000] [--spans 20] [--repeat 3]

Generates synthetic articles (about 3 KB each, with spans in every layer), imports them
into a fresh SQLite database through labeler's import service, exports them as native JSONL,
and prints documents/s and MB/s for each step beside its floor, the same job done plainly
with the standard library in the same run:
  import floor: read the same file with json.loads, build the same rows, and insert them with
    plain sqlite3 executemany into the same tables, in one transaction;
  export floor: select the same rows with plain sqlite3 and write the same JSON with json.dumps.
Each floor is also shown for its last part alone (the executemany calls; the writing), a
stricter yardstick. Medians over --repeat runs.
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

from news_words import WORDS  # a module beside this script

from labeler.domain.document import text_digest
from labeler.services.exporting import ExportService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database

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


def _rows(articles: list[dict], layer_of: dict[str, str], now: str) -> tuple[list, list, list]:
    """The rows labeler stores for these articles: documents, annotation sets, spans."""
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
    return doc_rows, set_rows, span_rows


def floor_import(db_path: Path, source: Path, layer_of: dict[str, str]) -> tuple[float, float]:
    """Plain sqlite3 into the same tables: (executemany of ready rows, the whole job).

    The whole job reads the same file with json.loads, builds the same rows and inserts them
    with executemany; the first figure times only the inserts.
    """
    Database(str(db_path)).open()  # the same tables, indexes and triggers
    now = datetime.now(UTC).isoformat()
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    t_start = time.perf_counter()
    with source.open(encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    doc_rows, set_rows, span_rows = _rows(articles, layer_of, now)
    t_insert = time.perf_counter()
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
    t_end = time.perf_counter()
    conn.close()
    return t_end - t_insert, t_end - t_start


def floor_export(path: Path, db_path: Path) -> tuple[float, float]:
    """The same JSON from the floor's database: (json.dumps and write only, the whole job).

    The whole job selects the rows with plain sqlite3, groups spans by document, builds the
    records and writes them with json.dumps; the first figure times only the writing.
    """
    conn = sqlite3.connect(db_path)
    t_start = time.perf_counter()
    spans: dict[int, list[dict]] = {}
    for set_id, layer, label, start, end, text, attrs in conn.execute(
        "SELECT set_id, layer, label, start_offset, end_offset, text, attributes FROM span "
        "ORDER BY set_id, start_offset, end_offset, layer, label"
    ):
        found = spans.setdefault(set_id, [])
        found.append(
            {
                "id": len(found) + 1,
                "layer": layer,
                "label": label,
                "start": start,
                "end": end,
                "text": text,
                "attributes": json.loads(attrs),
            }
        )
    records = [
        {
            "title": title,
            "date": day,
            "meta": json.loads(meta),
            "text": text,
            "annotations": [
                {
                    "annotator": "imported",
                    "status": "done",
                    "spans": spans.get(doc_id, []),
                    "relations": [],
                }
            ],
        }
        for doc_id, title, day, text, meta in conn.execute(
            "SELECT id, title, date, text, meta FROM document ORDER BY id"
        )
    ]
    t_write = time.perf_counter()
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    t_end = time.perf_counter()
    conn.close()
    return t_end - t_write, t_end - t_start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--spans", type=int, default=20, help="spans per article")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="labeler-bench-") as tmp:
        folder = Path(tmp)
        source = folder / "articles.jsonl"
        write_input(source, args.docs, args.spans)
        in_mb = source.stat().st_size / 1e6
        ours_import, ours_export = [], []
        floors: dict[str, list[float]] = {
            k: [] for k in ("imp_rows", "imp_job", "exp_write", "exp_job")
        }
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
            floor_db = folder / f"floor{run}.db"
            rows, job = floor_import(floor_db, source, layer_of)
            floors["imp_rows"].append(rows)
            floors["imp_job"].append(job)
            write, job = floor_export(folder / f"floor{run}.jsonl", floor_db)
            floors["exp_write"].append(write)
            floors["exp_job"].append(job)

    def rate(seconds: list[float], mb: float) -> tuple[float, str]:
        t = statistics.median(seconds)
        return t, f"{args.docs / t:>8,.0f} docs/s {mb / t:>6.1f} MB/s"

    def step(
        name: str,
        ours: list[float],
        job: list[float],
        narrow: list[float],
        mb: float,
        narrow_name: str,
    ) -> None:
        o, ours_text = rate(ours, mb)
        j, job_text = rate(job, mb)
        n, narrow_text = rate(narrow, mb)
        print(f"{name:<7} labeler              {ours_text}")
        print(f"        floor, whole job     {job_text}   labeler at {j / o:>4.0%} (target >= 50%)")
        print(f"        floor, {narrow_name:<13} {narrow_text}   labeler at {n / o:>4.0%}")

    spans = args.docs * args.spans
    print(
        f"{args.docs:,} articles, {spans:,} spans, input {in_mb:.1f} MB, "
        f"median of {args.repeat} runs"
    )
    step("import", ours_import, floors["imp_job"], floors["imp_rows"], in_mb, "inserts only")
    step("export", ours_export, floors["exp_job"], floors["exp_write"], out_mb, "writing only")


if __name__ == "__main__":
    main()
