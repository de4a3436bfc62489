"""Full-text search over a large project: the documents and places of words or a phrase.

    python benchmarks/search.py --db FILE [--repeat 5] [--limit 200]

Runs on a database built by `benchmarks/document_list.py --docs 1000000 --db FILE` (its
project "Big"); opening it upgrades it first, which fills the index once. Prints, as medians
over --repeat runs, the time SearchService.search takes for each query, from the words typed
to the hits with their places and context, and how many documents and places it found.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from labeler.services.projects import ProjectService
from labeler.services.searching import SearchService
from labeler.storage.database import Database

QUERIES = [
    ("budget", "a word in nearly every text"),
    ("flood aid", "two words, anywhere"),
    ('"flood aid"', "a phrase"),
    ('"aid flood budget"', "a phrase of three words (rare)"),
    ("zebra", "a word in no text"),
    ("9999", "a number in a few texts"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--project", default="Big")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    db = Database(str(args.db))
    t = time.perf_counter()
    db.open()
    print(f"opened {args.db} in {time.perf_counter() - t:.1f} s (upgraded if older)")
    project = ProjectService(db).get(args.project)
    search = SearchService(db)
    with db.reading() as store:
        total = store.documents.count(project.id)
    print(f"median of {args.repeat} runs, {total:,} documents, first {args.limit} hits")
    for query, about in QUERIES:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = search.search(project, query, limit=args.limit)
            times.append(time.perf_counter() - t)
        places = sum(len(h.places) for h in result.hits)
        more = "+" if result.more else ""
        print(
            f"  {query:<20} {about:<32} {statistics.median(times) * 1000:8.1f} ms"
            f"  ({len(result.hits)}{more} documents, {places} places)"
        )
    db.close()


if __name__ == "__main__":
    main()
