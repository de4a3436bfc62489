"""Export throughput of every format, beside the native JSONL writer in the same run.

    python benchmarks/export_formats.py [--docs 20000] [--spans 20] [--repeat 1] [--commands]

Generates synthetic articles (about 3 KB each, 20 spans: entities and claims with attributes),
imports them once, then exports the whole project in each format (every status) and prints
documents/s and the ratio to the native JSONL writer, with the CPU seconds each export used
(this process's and its workers'; the system's share apart, as creating files is mostly
system time), beside the machine's load. Medians over --repeat runs.

With --commands it then times each format again as a user runs it, a whole `labeler export`
process on the same database (start-up included), against the `labeler export -f jsonl` command.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_export import write_input
from process_timing import child_env, labeler_command, load_note, timed

from labeler.formats import forked, registry
from labeler.services.exporting import ANY_STATUS, ExportOptions, ExportService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--spans", type=int, default=20, help="spans per article")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--formats", default="", help="comma-separated; default: all")
    parser.add_argument(
        "--commands", action="store_true", help="also time each as a whole `labeler export`"
    )
    args = parser.parse_args()
    names = [n for n in args.formats.split(",") if n] or [
        f.name for f in registry.all_formats() if f.write or f.write_splits
    ]
    names = ["jsonl"] + [n for n in names if n != "jsonl"]  # the yardstick goes first

    with tempfile.TemporaryDirectory(prefix="labeler-bench-") as tmp:
        folder = Path(tmp)
        source = folder / "articles.jsonl"
        write_input(source, args.docs, args.spans)
        db = Database(str(folder / "bench.db"))
        db.open()
        ProjectService(db).create("Bench", "news")
        t0 = time.perf_counter()
        ImportService(db).import_paths("Bench", [source])
        print(
            f"{args.docs:,} articles, {args.docs * args.spans:,} spans "
            f"(imported in {time.perf_counter() - t0:.1f} s), median of {args.repeat} runs"
        )
        exporter = ExportService(db)
        options = ExportOptions(statuses=ANY_STATUS)
        seconds: dict[str, float] = {}
        print(load_note())
        for name in names:
            fmt = registry.get(name)
            runs, cpus, systems = [], [], []
            for run in range(args.repeat):
                out = folder / f"out-{name}-{run}"
                if not (fmt.folder or fmt.write_splits):
                    out = out.with_suffix(fmt.extensions[0])
                t0, (c0, s0) = time.perf_counter(), _cpu()
                report = exporter.export("Bench", name, out, options)
                runs.append(time.perf_counter() - t0)
                c1, s1 = _cpu()
                cpus.append(c1 - c0)
                systems.append(s1 - s0)
                assert report.documents == args.docs, (name, report.documents)
                # Outputs stay until the end: on ext4 without a journal (as on the benchmark
                # machine) creating a file skips every inode freed in the last 30 s, so files
                # written just after another run's were deleted cost up to 20 times more.
            seconds[name] = statistics.median(runs)
            rate = args.docs / seconds[name]
            ratio = seconds["jsonl"] / seconds[name]
            cpu, system = statistics.median(cpus), statistics.median(systems)
            print(
                f"{name:<12} {rate:>9,.0f} docs/s {seconds[name]:>7.1f} s {ratio:>6.0%} of jsonl"
                f" {cpu:>7.1f} s CPU ({system:.1f} s system)"
            )
            sys.stdout.flush()
        print(load_note())
        db.close()
        if args.commands:
            _commands(folder, names, args.repeat)


def _commands(folder: Path, names: list[str], repeat: int) -> None:
    """Each format exported by a whole `labeler export` process, against the JSONL command."""
    print("whole `labeler export` processes (start-up included), wall s (CPU s):")
    env = child_env(folder / "pycache")
    timed([*labeler_command(), "formats"], env)  # compiles the bytecode once, untimed
    seconds: dict[str, float] = {}
    for name in names:
        fmt = registry.get(name)
        walls, cpus = [], []
        for run in range(repeat):
            out = folder / f"cmd-{name}-{run}"
            if not (fmt.folder or fmt.write_splits):
                out = out.with_suffix(fmt.extensions[0])
            command = [*labeler_command(), "export", "-p", "Bench", "-f", name, "-o", str(out)]
            wall, cpu = timed([*command, "--status", "any", "--db", str(folder / "bench.db")], env)
            walls.append(wall)
            cpus.append(cpu)
        seconds[name] = statistics.median(walls)
        ratio = seconds["jsonl"] / seconds[name]
        print(
            f"{name:<12} {seconds[name]:>7.2f} s ({statistics.median(cpus):.2f} CPU)"
            f" {ratio:>6.0%} of jsonl"
        )
        sys.stdout.flush()
    print(load_note())


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its ended workers: all, and the system's share."""
    t = os.times()
    system = t.system + t.children_system
    served = forked.server_cpu_seconds()  # workers forked by the server: not our children
    return t.user + t.children_user + system + served, system


if __name__ == "__main__":
    main()
