"""Choosing a file's reader by its name imports that reader's module alone, and chooses as
when every format is loaded: labeler's own endings and markers are written down in the
registry, equal to what the modules register; plugins are still asked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from labeler.formats import registry
from tests.format_plugin import installed_plugin

NAMES = [
    "a.txt", "a.TEXT", "a.jsonl", "a.ndjson", "a.csv", "a.tsv", "a.spacy", "a.conll", "a.iob",
    "a.ann", "a.json", "dataset_dict.json", "x_dataset_dict.json", "a.xmi", "a.tab", "a.jl",
    "a", "a.json.gz", "tasks.JSON",
]  # fmt: skip


def _chosen_with_all_loaded(path: Path) -> str | None:
    """The choice as the registry made it before: every format loaded, longest ending wins,
    the first registered on a tie."""
    registry.all_formats()  # every format loaded; _formats is in the order of registering
    best: tuple[int, registry.Format] | None = None
    for fmt in registry._formats.values():
        for ending in fmt.extensions if fmt.read else ():
            if path.name.lower().endswith(ending) and (best is None or len(ending) > best[0]):
                best = (len(ending), fmt)
    return best[1].name if best else None


def test_the_written_down_endings_and_markers_are_the_modules_own() -> None:
    registry.all_formats()
    own = {name: registry._formats[name] for name in registry._MODULES}
    assert {
        name: fmt.extensions if fmt.read else () for name, fmt in own.items()
    } == registry._OWN_ENDINGS
    assert {fmt.marker for fmt in own.values() if fmt.marker} == registry._OWN_MARKERS
    assert list(registry._OWN_ENDINGS) == list(registry._MODULES)


@pytest.mark.parametrize("name", NAMES)
def test_the_choice_is_the_one_made_with_every_format_loaded(name: str) -> None:
    chosen = registry.for_path(Path(name))
    assert (chosen.name if chosen else None) == _chosen_with_all_loaded(Path(name))


def test_a_plugin_still_claims_its_endings_and_cannot_take_an_own_name(tmp_path: Path) -> None:
    with installed_plugin(tmp_path):
        for name in NAMES:
            chosen = registry.for_path(Path(name))
            assert (chosen.name if chosen else None) == _chosen_with_all_loaded(Path(name))
        tab = registry.for_path(Path("x.tab"))
        assert tab is not None and tab.name == "tabbed"
        assert registry.for_path(Path("x.jl")) is None  # the plugin named jsonl is left out
        assert registry.get("jsonl").description != "a second jsonl"
        assert "dataset_dict.json" in registry.dataset_markers()


def test_choosing_a_reader_imports_its_module_alone() -> None:
    code = (
        "import sys; from pathlib import Path; from labeler.formats import registry;"
        "f = registry.for_path(Path('tasks.json')); registry.dataset_markers();"
        "print(f.name, sorted(m for m in registry._MODULES.values() if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["labelstudio", "['labeler.formats.labelstudio']"]


def test_the_look_for_plugins_sees_an_installed_one_and_is_safe_when_unsure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not registry._plugins_may_be_installed()  # none is installed here
    with installed_plugin(tmp_path):
        assert registry._plugins_may_be_installed()
    other = tmp_path / "other"
    (other / "tool-1.0.dist-info").mkdir(parents=True)
    (other / "tool-1.0.dist-info" / "entry_points.txt").write_text("[console_scripts]\nt = a:b\n")
    (other / "old-1.0.egg-info").write_text("Name: old\n")  # a bare PKG-INFO file
    monkeypatch.syspath_prepend(str(other))
    assert not registry._plugins_may_be_installed()
    for unsure in (tmp_path / "eggs.zip", tmp_path / "tool-1.0-py3.11.egg"):
        unsure.write_bytes(b"PK")
        with monkeypatch.context() as patch:
            patch.syspath_prepend(str(unsure))
            assert registry._plugins_may_be_installed()


def test_without_plugins_the_metadata_of_distributions_is_not_read() -> None:
    code = (
        "import sys; from pathlib import Path; from labeler.formats import registry;"
        "registry.for_path(Path('tasks.json')); print('importlib.metadata' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]
