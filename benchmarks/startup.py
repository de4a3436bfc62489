"""Start-up of labeler's commands, timed as whole processes, and the window's document list.

    python benchmarks/startup.py [--runs 9] [--docs 1000]

Times `labeler --help`, `labeler formats` and `labeler project list` (on an up-to-date SQLite
database holding one project of --docs documents) as whole processes: the median wall and CPU
seconds of --runs runs, beside two floors: Python doing nothing, and a bare Typer app with two
commands printing its help. The first run of each uses an empty bytecode cache
(PYTHONPYCACHEPREFIX in a fresh folder: every module compiled, labeler's and its libraries'),
printed apart as "cold"; the others read the bytecode cached by the first, as an installed
program does (PYTHONDONTWRITEBYTECODE, if set, is left out of the commands' environment).

Then opens the window (offscreen, as `labeler --db DB` does, through window_probe.py) on that
database and times from starting the process to the document list of the last project
holding its rows.
"""

from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from process_timing import (
    child_env,
    labeler_command,
    load_note,
    median,
    timed,
)  # modules beside this
from vs_label_studio import write_tasks

HERE = Path(__file__).resolve().parent
BARE_TYPER = '''
import typer
app = typer.Typer(add_completion=False)
@app.command()
def hello(name: str = "x") -> None:
    """Say hello."""
@app.command()
def other() -> None:
    """Another command."""
app()
'''


def series(command: list[str], runs: int, folder: Path) -> tuple[float, float, float]:
    """(cold wall, median warm wall, median warm CPU) of a command: cold with a bytecode
    cache of its own, empty; warm with the shared one, filled by an untimed run first."""
    cold, _ = timed(command, child_env(folder / f"pycache-cold-{secrets.token_hex(4)}"))
    warm_env = child_env(folder / "pycache")
    timed(command, warm_env)
    warm = [timed(command, warm_env) for _ in range(runs)]
    return cold, median([w for w, _ in warm]), median([c for _, c in warm])


def window_seconds(db: str, folder: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """From starting `labeler --db DB` (offscreen) to its document list holding rows: wall
    seconds, the CPU seconds the process had used by then, and the rows."""
    config = folder / "config"
    (config / "labeler").mkdir(parents=True, exist_ok=True)
    (config / "labeler" / "labeler.conf").write_text(
        "[General]\nannotator=bench\nlast_project=Bench\n", encoding="utf-8"
    )
    env = {**env, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config)}
    start = time.time()
    done = subprocess.run(
        [sys.executable, str(HERE / "window_probe.py"), "--db", db],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    found = [line for line in done.stdout.splitlines() if line.startswith("listed ")]
    if done.returncode != 0 or not found:
        raise SystemExit(f"the window did not list the documents: {done.stderr[-2000:]}")
    _, moment, cpu, rows = found[-1].split()
    return float(moment) - start, float(cpu), int(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--docs", type=int, default=1000, help="documents in the project")
    args = parser.parse_args()
    labeler = labeler_command()
    with tempfile.TemporaryDirectory(prefix="startup-") as tmp:
        folder = Path(tmp)
        env = child_env(folder / "pycache")
        db = str(folder / "bench.db")
        tasks = folder / "tasks.json"
        write_tasks(tasks, args.docs, 20)
        timed([*labeler, "project", "create", "Bench", "--db", db], env)
        timed([*labeler, "import", str(tasks), "-p", "Bench", "--db", db], env)
        bare = folder / "bare_typer.py"
        bare.write_text(BARE_TYPER, encoding="utf-8")
        print(f"{load_note()}; medians of {args.runs} runs after a cold one")
        print(f"{'command':<34}{'cold wall':>10}{'wall':>8}{'CPU':>8}")
        rows = [
            ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
            ("bare Typer app --help (floor)", [sys.executable, str(bare), "--help"]),
            ("labeler --help", [*labeler, "--help"]),
            ("labeler formats", [*labeler, "formats"]),
            ("labeler project list", [*labeler, "project", "list", "--db", db]),
        ]
        for name, command in rows:
            cold, wall, cpu = series(command, args.runs, folder)
            print(f"{name:<34}{cold:>10.3f}{wall:>8.3f}{cpu:>8.3f}")
        window_seconds(db, folder, env)  # a first run fills the bytecode cache of Qt's modules
        opened = [window_seconds(db, folder, env) for _ in range(max(3, args.runs // 3))]
        print(
            f"window: document list of {opened[0][2]:,} documents shown "
            f"{median([s for s, _, _ in opened]):.3f} s after the command started, "
            f"{median([c for _, c, _ in opened]):.3f} s of CPU (medians of {len(opened)}; "
            "offscreen)"
        )
        print(load_note())
    return 0


if __name__ == "__main__":
    sys.exit(main())
