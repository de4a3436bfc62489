"""Team load: annotator processes editing at once on one PostgreSQL team database.

    python benchmarks/team_load.py [--annotators 10] [--edits 500] [--documents 200] [--as-owner]

Starts a throwaway PostgreSQL cluster (tests/pg_cluster.py), sets up a team database (team
init, one lead and N annotator accounts, a project whose documents are assigned one annotator
each), then runs N annotator processes at once, each logged in as its own account and making
its edits through the app's services (add a span, now and then remove one), while a lead
process reads the progress view over and over. Prints edits/s, the p50 and p95 latency of an
edit, and of the lead's progress read; then checks, as the owner, that every span an
annotator was told was saved is in the database, in that annotator's set, and that no set holds
a span made by another annotator. Exits 1 if any check fails.

Row-level security is in force (the accounts are members of labeler_annotator); the test
cluster lets them in without a password, which changes nothing of what the policies check.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from labeler.app import open_services
from labeler.domain.document import Document
from labeler.domain.team import Role
from labeler.storage.database import Database
from tests.pg_cluster import PostgresCluster

WORDS = (
    "Port workers in Bergen walked out on Monday, said Ilse Marquard, who leads the union. "
    "Officials at the Ministry of Trade said the strike has cost exporters $15 million. "
)
LABELS = ("PERSON", "ORG", "GPE", "DATE", "MONEY")


def _url(base: str, user: str) -> str:
    return base.replace("postgres@", f"{user}@", 1)


def annotate(url: str, name: str, edits: int, seed: int, out: mp.Queue) -> None:
    """One annotator's process: `edits` edits on their assigned documents, each timed."""
    services = open_services(url)
    project = services.projects.get("Load")
    mine = services.assignments.document_ids(project, name)
    latencies: list[float] = []
    kept: dict[int, int] = {}  # span id -> document id, as last reported saved
    sessions = {}
    slots: dict[int, int] = {}
    began = time.time()
    for i in range(edits):
        document_id = mine[(i + seed) % len(mine)]
        start = time.perf_counter()
        session = sessions.get(document_id)
        if session is None:
            session = services.annotations.open(project, document_id, name)
            sessions[document_id] = session
        if i % 5 == 4 and session.annotations.spans:
            span_id = next(iter(session.annotations.spans))
            session.remove_span(span_id)
            kept.pop(span_id, None)
        else:
            slot = slots.get(document_id, 0)
            slots[document_id] = slot + 1
            at = (slot * 7) % (len(WORDS) * 4 - 10)
            span = session.add_span(at, at + 5, LABELS[i % len(LABELS)])
            kept[span.id] = document_id
        latencies.append(time.perf_counter() - start)
    ended = time.time()
    services.close()
    out.put((name, latencies, kept, (began, ended)))


def watch(url: str, stop: mp.Event, out: mp.Queue) -> None:
    """The lead's process: reads the progress of every annotator until told to stop."""
    services = open_services(url)
    project = services.projects.get("Load")
    reads: list[float] = []
    while not stop.is_set():
        start = time.perf_counter()
        services.assignments.progress(project)
        reads.append(time.perf_counter() - start)
        time.sleep(0.2)
    services.close()
    out.put(("lead", reads, {}, (0.0, 0.0)))


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotators", type=int, default=10)
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument(
        "--as-owner",
        action="store_true",
        help="every process logs in as the owner, whom no policy binds: the cost of the "
        "policies is the difference",
    )
    args = parser.parse_args()
    cluster = PostgresCluster()
    cluster.start()
    try:
        owner_url = cluster.new_database()
        names = [f"load_annotator_{i}" for i in range(args.annotators)]
        owner = open_services(owner_url)
        owner.team.init()
        owner.team.add("load_lead", Role.LEAD, "lead")
        for name in names:
            owner.team.add(name, Role.ANNOTATOR, "x")
        project = owner.projects.create("Load", "news")
        setup = Database(owner_url)
        with setup.transaction() as store:
            store.documents.add_many(
                project.id,
                [Document(f"Story {i}. " + WORDS * 4, f"Story {i}") for i in range(args.documents)],
            )
        setup.close()
        owner.assignments.assign(project, names, per_document=1, seed=1)
        owner.close()

        ctx = mp.get_context("spawn")
        out: mp.Queue = ctx.Queue()
        stop = ctx.Event()
        lead = ctx.Process(target=watch, args=(_url(owner_url, "load_lead"), stop, out))
        workers = [
            ctx.Process(
                target=annotate,
                args=(owner_url if args.as_owner else _url(owner_url, n), n, args.edits, i, out),
            )
            for i, n in enumerate(names)
        ]
        lead.start()
        for w in workers:
            w.start()
        results = {}
        spans_of_time: list[tuple[float, float]] = []
        for _ in workers:
            name, latencies, kept, took = out.get()
            results[name] = (latencies, kept)
            spans_of_time.append(took)
        # From the first edit to the last, process start-up left out.
        elapsed = max(t[1] for t in spans_of_time) - min(t[0] for t in spans_of_time)
        stop.set()
        _, reads, _, _ = out.get()
        for proc in (*workers, lead):
            proc.join()

        check = Database(owner_url)
        with check.reading() as store:
            rows = (
                store.session.connection()
                .exec_driver_sql(
                    "SELECT s.id, a.name FROM span s JOIN annotation_set t ON t.id = s.set_id "
                    "JOIN annotator a ON a.id = t.annotator_id"
                )
                .all()
            )
        check.close()
        owner_of = dict(rows)
        missing = sum(
            1 for name, (_, kept) in results.items() for span_id in kept if span_id not in owner_of
        )
        misplaced = sum(
            1
            for name, (_, kept) in results.items()
            for span_id in kept
            if span_id in owner_of and owner_of[span_id] != name
        )
        extra = len(owner_of) - sum(len(kept) for _, kept in results.values())
        all_edits = [x for latencies, _ in results.values() for x in latencies]
        print(
            f"{len(names)} annotators x {args.edits} edits: {len(all_edits)} edits in "
            f"{elapsed:.1f} s = {len(all_edits) / elapsed:.0f} edits/s; per edit p50 "
            f"{p(all_edits, 50):.1f} ms, p95 {p(all_edits, 95):.1f} ms"
        )
        print(
            f"lead's progress read while they worked: {len(reads)} reads, p50 "
            f"{p(reads, 50):.1f} ms, p95 {p(reads, 95):.1f} ms"
        )
        print(
            f"check: {missing} saved spans missing, {misplaced} in another annotator's set, "
            f"{extra} spans in the database that no annotator reported"
        )
        return 0 if missing == misplaced == extra == 0 else 1
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
