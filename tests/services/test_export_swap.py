"""An export killed at any moment leaves the old or the new folder in place, never none; what it
leaves behind is put right by the next export."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import platformdirs
import pytest

from labeler.app import APP_NAME, open_services
from labeler.services.export_target import EXPORT_MARK, ExportTarget
from labeler.services.folder_swap import JOURNAL_PREFIX, STAGING_PREFIX, recover_exports

# Exports "v2" into out/ (which holds "v1"), dying at the moment named by KILL.
_CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from labeler.services import folder_swap
    from labeler.services.export_target import ExportTarget

    out, kill = Path(sys.argv[1]), sys.argv[2]
    pending = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    real_exchange, real_replace = folder_swap._exchange, os.replace
    calls = []

    def exchange(a, b):
        if kill == "no-exchange":
            return False
        done = real_exchange(a, b)
        if kill == "after-exchange":
            os._exit(9)
        return done

    def replace(a, b):
        calls.append((a, b))
        if kill == "no-exchange" and Path(b) == out:  # the second rename: the new one in place
            os._exit(9)
        return real_replace(a, b)

    folder_swap._exchange = exchange
    folder_swap.os.replace = replace
    place = ExportTarget(out, folder=True, pending=pending)
    with place as staged:
        staged.mkdir()
        (staged / "data.txt").write_text("v2", encoding="utf-8")
        if kill == "writing":
            os._exit(9)
        place.commit()
    """
)


def _export(out: Path, content: str) -> None:
    place = ExportTarget(out, folder=True)
    with place as staged:
        staged.mkdir()
        (staged / "data.txt").write_text(content, encoding="utf-8")
        place.commit()


def _killed_export(out: Path, kill: str, pending: Path | None = None) -> None:
    extra = [str(pending)] if pending is not None else []
    done = subprocess.run([sys.executable, "-c", _CHILD, str(out), kill, *extra], check=False)
    assert done.returncode == 9


def _leftovers(parent: Path) -> list[str]:
    return sorted(
        p.name for p in parent.iterdir() if p.name.startswith((STAGING_PREFIX, JOURNAL_PREFIX))
    )


def test_killed_between_the_two_renames_the_next_export_puts_the_new_one_in_place(
    tmp_path: Path,
) -> None:
    out = tmp_path / "dataset"
    _export(out, "v1")
    _killed_export(out, "no-exchange")
    assert not out.exists()  # the window the journal is there for
    assert any(p.startswith(JOURNAL_PREFIX) for p in _leftovers(tmp_path))
    done = recover_exports(tmp_path)
    assert (out / "data.txt").read_text(encoding="utf-8") == "v2"
    assert (out / EXPORT_MARK).is_file()
    assert _leftovers(tmp_path) == []
    assert any("the new export put back in place" in line for line in done)


def test_the_next_export_recovers_first_then_replaces(tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    _export(out, "v1")
    _killed_export(out, "no-exchange")
    _export(out, "v3")
    assert (out / "data.txt").read_text(encoding="utf-8") == "v3"
    assert _leftovers(tmp_path) == []


def test_with_the_new_export_gone_the_old_one_comes_back(tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    _export(out, "v1")
    _killed_export(out, "no-exchange")
    [staging] = [tmp_path / n for n in _leftovers(tmp_path) if n.startswith(STAGING_PREFIX)]
    shutil.rmtree(staging / "dataset")
    recover_exports(tmp_path)
    assert (out / "data.txt").read_text(encoding="utf-8") == "v1"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_killed_right_after_the_atomic_swap_the_new_one_is_in_place(tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    _export(out, "v1")
    _killed_export(out, "after-exchange")
    assert (out / "data.txt").read_text(encoding="utf-8") == "v2"
    assert [n for n in _leftovers(tmp_path) if n.startswith(STAGING_PREFIX)]  # the old, aside
    recover_exports(tmp_path)
    assert _leftovers(tmp_path) == []


def test_killed_while_writing_the_old_export_stays_and_the_staging_goes(tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    _export(out, "v1")
    _killed_export(out, "writing")
    assert (out / "data.txt").read_text(encoding="utf-8") == "v1"
    assert len(_leftovers(tmp_path)) == 1
    _export(out, "v3")
    assert _leftovers(tmp_path) == []
    assert (out / "data.txt").read_text(encoding="utf-8") == "v3"


def test_a_staging_folder_of_a_live_export_is_left_alone(tmp_path: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        busy = tmp_path / f"{STAGING_PREFIX}busy"
        busy.mkdir()
        (busy / ".owner").write_text(f"{sleeper.pid}\n", encoding="utf-8")
        assert recover_exports(tmp_path) == []
        assert busy.is_dir()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert recover_exports(tmp_path) == [
        f"{busy}: removed, left behind by an export that did not finish"
    ]


def test_the_next_start_of_the_app_puts_the_folder_back(tmp_path: Path) -> None:
    out = tmp_path / "exports" / "dataset"
    _export(out, "v1")
    pending = platformdirs.user_data_path(APP_NAME) / "exports"
    _killed_export(out, "no-exchange", pending)
    assert not out.exists()
    assert len(list(pending.glob("*.txt"))) == 1
    services = open_services(str(tmp_path / "app.db"))  # the start of the app
    services.close()
    assert (out / "data.txt").read_text(encoding="utf-8") == "v2"
    assert _leftovers(out.parent) == []
    assert list(pending.glob("*.txt")) == []


def test_a_finished_export_leaves_no_note(tmp_path: Path) -> None:
    pending = tmp_path / "notes"
    place = ExportTarget(tmp_path / "ds", folder=True, pending=pending)
    with place as staged:
        staged.mkdir()
        assert len(list(pending.glob("*.txt"))) == 1
        place.commit()
    assert list(pending.glob("*.txt")) == []
