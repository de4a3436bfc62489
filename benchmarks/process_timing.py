"""Timing whole processes: wall time and the CPU time (user + system) the child used."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def labeler_command() -> list[str]:
    """The `labeler` console script beside this Python, else `python -m labeler`."""
    script = Path(sys.executable).parent / "labeler"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "labeler"]


def child_env(pycache: Path, **extra: str) -> dict[str, str]:
    """This environment for a timed command, with its bytecode cached in `pycache` as an
    installed program's is: PYTHONDONTWRITEBYTECODE (set in some shells and CI) would make
    every run compile every module of labeler from source."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(pycache), **extra}


def timed(command: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Runs a command to its end (it must succeed) in `env`; its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(list(command), capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def load_note() -> str:
    """The machine's load, to print beside the figures."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"
