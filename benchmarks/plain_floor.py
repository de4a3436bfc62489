"""The floor the whole-process benchmarks compare labeler with: the same import and JSON-lines
export done as plainly as Python allows, in one process.

    python benchmarks/plain_floor.py TASKS.json DB OUT.jsonl

Reads a Label Studio task file with json, inserts its documents and spans with sqlite3
executemany (one transaction, WAL, foreign keys on), selects them back and writes one JSON
line per document. No checks: what labeler does on top of this is checking, and that is the
cost the comparison shows. Imports nothing but the standard library.
"""

from __future__ import annotations

import json
import sqlite3
import sys

SCHEMA = """
CREATE TABLE document (id INTEGER PRIMARY KEY, text TEXT NOT NULL, meta TEXT NOT NULL);
CREATE TABLE span (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES document(id),
    label TEXT NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX span_document ON span (document_id);
"""


def main(tasks_path: str, db_path: str, out_path: str) -> int:
    with open(tasks_path, encoding="utf-8") as f:
        tasks = json.load(f)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    documents = []
    spans = []
    for n, task in enumerate(tasks, 1):
        text = task["data"]["text"]
        documents.append((n, text, json.dumps(task.get("meta", {}))))
        for annotation in task.get("annotations", []):
            for r in annotation["result"]:
                v = r["value"]
                spans.append((n, v["labels"][0], v["start"], v["end"], text[v["start"] : v["end"]]))
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO document (id, text, meta) VALUES (?, ?, ?)", documents)
    conn.executemany(
        "INSERT INTO span (document_id, label, start_offset, end_offset, text) "
        "VALUES (?, ?, ?, ?, ?)",
        spans,
    )
    conn.execute("COMMIT")
    by_document: dict[int, list[dict]] = {}
    for doc_id, label, start, end, words in conn.execute(
        "SELECT document_id, label, start_offset, end_offset, text FROM span "
        "ORDER BY document_id, start_offset"
    ):
        by_document.setdefault(doc_id, []).append(
            {"start": start, "end": end, "label": label, "text": words}
        )
    with open(out_path, "w", encoding="utf-8") as out:
        for doc_id, text, meta in conn.execute("SELECT id, text, meta FROM document ORDER BY id"):
            record = {"text": text, "meta": json.loads(meta), "spans": by_document.get(doc_id, [])}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
