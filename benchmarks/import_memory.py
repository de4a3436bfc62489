"""Peak memory of one large import: small documents, one transaction.

    python benchmarks/import_memory.py [--docs 200000] [--repeat 1]

Writes --docs small articles (about 300 characters, two spans each) to a JSONL file, then
imports them into a fresh SQLite database in a child process and prints that process's peak
resident memory, what it held before the import began (Python, the libraries, the schema),
and the growth per document. The import is all-or-nothing (one transaction) either way.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from news_words import WORDS  # a module beside this script

CHILD = """
import json, resource, sys, time
from pathlib import Path
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database
db = Database(sys.argv[1]); db.open()
ProjectService(db).create("Big", "news")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
report = ImportService(db).import_paths("Big", [Path(sys.argv[2])])
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kb": before, "peak_kb": peak, "imported": report.imported, "s": took}))
"""


def write_articles(path: Path, docs: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for n in range(docs):
            words = [rng.choice(WORDS) for _ in range(45)] + [f"#{n}"]
            text = " ".join(words)
            first = len(words[0])
            second_start = first + 1 + len(words[1]) + 1
            spans = [
                {"start": 0, "end": first, "label": "PERSON"},
                {"start": second_start, "end": second_start + len(words[2]), "label": "ORG"},
            ]
            record = {
                "text": text,
                "title": f"Article {n}",
                "annotations": [{"annotator": "ana", "status": "done", "spans": spans}],
            }
            out.write(json.dumps(record) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        write_articles(source, args.docs)
        size_mb = source.stat().st_size / 1e6
        runs = []
        for n in range(args.repeat):
            db = f"sqlite:///{Path(tmp) / f'run{n}.db'}"
            out = subprocess.run(
                [sys.executable, "-c", CHILD, db, str(source)],
                capture_output=True,
                text=True,
            )
            if out.returncode != 0:
                sys.exit(out.stderr[-2000:])
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    peak = statistics.median(r["peak_kb"] for r in runs) / 1024
    before = statistics.median(r["before_kb"] for r in runs) / 1024
    took = statistics.median(r["s"] for r in runs)
    per_doc = (peak - before) * 1024 * 1024 / args.docs
    print(f"{args.docs:,} documents ({size_mb:.0f} MB of JSONL) imported in {took:.1f} s")
    print(
        f"peak RSS {peak:.0f} MB; {before:.0f} MB before the import; "
        f"{per_doc:,.0f} bytes per document above that"
    )


if __name__ == "__main__":
    main()
