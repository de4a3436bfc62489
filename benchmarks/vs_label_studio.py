"""labeler beside Label Studio, as whole commands on the same task file.

    python benchmarks/vs_label_studio.py [--docs 5000] [--spans 20] [--repeat 3]
        [--label-studio VENV] [--port 18093]

Generates a Label Studio task file (--docs articles of about 3 KB, each with one annotation of
--spans word-aligned entity regions), then times, as whole processes, labeler importing it
(`labeler import`), exporting JSON lines (`labeler export -f jsonl`) and CoNLL 2003
(`labeler export -f conll`), beside the floor: benchmarks/plain_floor.py doing the same import
and JSON-lines export with json and sqlite3 alone.

With --label-studio (a virtual environment where `pip install label-studio` was run), it also
starts Label Studio from it on 127.0.0.1 with a throwaway data folder, imports the same file
through its REST API (timed until every task is stored), exports JSON and CONLL2003 through
it, stops it, and prints each row with how many times faster labeler is. Both hold the same
number of spans, checked from the exports. Medians over --repeat runs; the machine's load is
printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from label_studio_server import LabelStudio  # modules beside this script
from news_words import WORDS
from process_timing import child_env, labeler_command, load_note, median, timed

LABELS = ["PERSON", "ORG", "GPE", "DATE", "CARDINAL", "MONEY"]
FLOOR = Path(__file__).resolve().parent / "plain_floor.py"


def make_task(rng: random.Random, n: int, spans: int) -> dict:
    """A task of about 3 KB with `spans` one-word entity regions, in Label Studio's JSON."""
    words: list[str] = []
    length = 0
    while length < 3000:
        words.append(rng.choice(WORDS))
        length += len(words[-1]) + 1
    words.append(f"#{n}")
    text = " ".join(words)
    starts = []
    pos = 0
    for word in words:
        starts.append(pos)
        pos += len(word) + 1
    result = []
    for i, k in enumerate(sorted(rng.sample(range(len(words) - 1), spans))):
        start, end = starts[k], starts[k] + len(words[k])
        value = {"start": start, "end": end, "text": words[k], "labels": [rng.choice(LABELS)]}
        result.append(
            {
                "id": f"r{n}_{i}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": value,
            }
        )
    return {"data": {"text": text}, "annotations": [{"result": result}]}


def write_tasks(path: Path, docs: int, spans: int) -> int:
    """Writes the task file; returns how many spans it holds."""
    rng = random.Random(7)
    tasks = [make_task(rng, n, spans) for n in range(docs)]
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return docs * spans


def label_config() -> str:
    labels = "".join(f'<Label value="{label}"/>' for label in LABELS)
    return (
        f'<View><Labels name="label" toName="text">{labels}</Labels>'
        '<Text name="text" value="$text"/></View>'
    )


def jsonl_spans(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(len(a["spans"]) for line in f for a in json.loads(line).get("annotations", []))


def conll_entities(data: str) -> int:
    """How many entities a CoNLL file tags (B- tags in its last column)."""
    return sum(
        1 for line in data.splitlines() if line.strip() and line.split()[-1].startswith("B-")
    )


def run_labeler(folder: Path, tasks: Path, repeat: int) -> dict[str, list[tuple[float, float]]]:
    labeler = labeler_command()
    times: dict[str, list[tuple[float, float]]] = {
        "import": [],
        "export jsonl": [],
        "export conll": [],
        "floor": [],
    }
    env = child_env(folder / "pycache")
    small = folder / "small.json"
    write_tasks(small, 10, 5)
    for n in range(-1, repeat):  # round -1, on ten tasks, fills the bytecode cache: untimed
        db = str(folder / f"labeler{n}.db")
        source = str(small if n < 0 else tasks)
        jsonl, conll = folder / f"out{n}.jsonl", folder / f"out{n}.conll"
        commands = {
            "import": [*labeler, "import", source, "-p", "Bench", "--db", db],
            "export jsonl": [*labeler, "export", "-p", "Bench", "-f", "jsonl", "-o", str(jsonl)],
            "export conll": [*labeler, "export", "-p", "Bench", "-f", "conll", "-o", str(conll)],
            "floor": [
                sys.executable,
                str(FLOOR),
                source,
                str(folder / f"floor{n}.db"),
                str(folder / f"floor{n}.jsonl"),
            ],
        }
        timed([*labeler, "project", "create", "Bench", "--db", db], env)
        for key, command in commands.items():
            took = timed(command + (["--db", db] if key.startswith("export") else []), env)
            if n >= 0:
                times[key].append(took)
    times["spans"] = [(float(jsonl_spans(folder / "out0.jsonl")), 0.0)]
    times["conll entities"] = [
        (float(conll_entities((folder / "out0.conll").read_text(encoding="utf-8"))), 0.0)
    ]
    return times


def run_label_studio(
    venv: Path, folder: Path, tasks: Path, repeat: int, port: int
) -> dict[str, list[tuple[float, float]]]:
    """Label Studio's (wall, server CPU) seconds for each step, and what its exports hold."""
    times: dict[str, list[tuple[float, float]]] = {
        "import": [],
        "export json": [],
        "export conll": [],
    }
    with LabelStudio(venv, folder / "label-studio", port, secrets.token_hex(20)) as ls:
        body = tasks.read_bytes()
        count = len(json.loads(body))

        def step(key: str, work: Callable[[], bytes | None]) -> bytes | None:
            cpu, start = ls.cpu_seconds(), time.perf_counter()
            out = work()
            times[key].append((time.perf_counter() - start, ls.cpu_seconds() - cpu))
            return out

        exported = conll = b""
        for n in range(repeat):
            project = ls.create_project(f"Bench {n}", label_config())
            step("import", partial(ls.import_tasks, project, body, count))
            exported = step("export json", partial(ls.export, project, "JSON")) or b""
            conll = step("export conll", partial(ls.export, project, "CONLL2003")) or b""
        spans = sum(
            sum(1 for r in a["result"] if r.get("type") == "labels")
            for task in json.loads(exported)
            for a in task.get("annotations", [])
        )
        times["spans"] = [(float(spans), 0.0)]
        times["conll entities"] = [(float(conll_entities(conll.decode("utf-8"))), 0.0)]
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--spans", type=int, default=20, help="entity regions per task")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--label-studio", type=Path, metavar="VENV", help="its virtual env")
    parser.add_argument("--port", type=int, default=18093, help="Label Studio's port")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vs-ls-") as tmp:
        folder = Path(tmp)
        tasks = folder / "tasks.json"
        expected = write_tasks(tasks, args.docs, args.spans)
        size = tasks.stat().st_size / 1e6
        print(f"{args.docs:,} tasks, {expected:,} spans, {size:.1f} MB; {load_note()}")
        ours = run_labeler(folder, tasks, args.repeat)
        theirs = (
            run_label_studio(args.label_studio, folder, tasks, args.repeat, args.port)
            if args.label_studio
            else None
        )
        print(f"after the runs: {load_note()}")
    return report(ours, theirs, expected, args.repeat)


def report(
    ours: dict[str, list[tuple[float, float]]],
    theirs: dict[str, list[tuple[float, float]]] | None,
    expected: int,
    repeat: int,
) -> int:
    def wall(key: str) -> float:
        return median([w for w, _ in ours[key]])

    def cpu(key: str) -> float:
        return median([c for _, c in ours[key]])

    print(
        f"\nmedians of {repeat} runs: wall seconds, and in brackets CPU seconds (labeler's "
        "whole process; Label Studio's server processes during the request)"
    )
    problems = []
    spans = int(ours["spans"][0][0])
    if spans != expected:
        problems.append(f"labeler's JSON lines hold {spans:,} spans, not {expected:,}")
    if theirs is None:
        rows = [
            ("import", "import"),
            ("export JSON (labeler: jsonl)", "export jsonl"),
            ("export CoNLL 2003", "export conll"),
        ]
        print(f"{'work':<30}{'labeler':>18}")
        for name, key in rows:
            print(f"{name:<30}{wall(key):>10.2f} ({cpu(key):.2f})")
    else:
        print(
            f"{'work':<30}{'labeler':>16}{'Label Studio':>16}{'faster by':>11}{'CPU faster by':>15}"
        )
        for name, key, their_key in (
            ("import the task file", "import", "import"),
            ("export JSON (labeler: jsonl)", "export jsonl", "export json"),
            ("export CoNLL 2003", "export conll", "export conll"),
        ):
            their_wall = median([w for w, _ in theirs[their_key]])
            their_cpu = median([c for _, c in theirs[their_key]])
            print(
                f"{name:<30}{wall(key):>8.2f} ({cpu(key):.2f}){their_wall:>8.2f} "
                f"({their_cpu:.2f}){their_wall / wall(key):>10.1f}x"
                f"{their_cpu / cpu(key):>14.1f}x"
            )
        their_spans = int(theirs["spans"][0][0])
        if their_spans != spans:
            problems.append(f"Label Studio holds {their_spans:,} spans, labeler {spans:,}")
        else:
            print(f"both hold {spans:,} spans")
        their_tags = int(theirs["conll entities"][0][0])
        print(
            f"CoNLL entities tagged: labeler {int(ours['conll entities'][0][0]):,}, "
            f"Label Studio {their_tags:,}"
        )
    both = wall("import") + wall("export jsonl")
    floor = wall("floor")
    print(
        f"\nimport + JSON-lines export: labeler {both:.2f} s "
        f"(CPU {cpu('import') + cpu('export jsonl'):.2f}), plain script {floor:.2f} s "
        f"(CPU {cpu('floor'):.2f}): {both / floor:.2f}x the floor"
    )
    for problem in problems:
        print(f"MISMATCH: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
