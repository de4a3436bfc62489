"""Writers spread over worker processes write what they write alone, byte for byte."""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import DocBin, Span

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.schema import LabelSchema
from labeler.formats import forked, parallel, registry
from labeler.formats.docbin_parts import add_doc
from labeler.formats.records import ExportItem, WriteReport
from tests.formats.support import attribution_set

TEXT = (
    "Zoë 🙂 met 𝒳 Corp.\x07 Their chief said 𝒳 sales rose 5%.\n\n  \n\nZoë  left. "
    "𝒳 <&>\"'\t\r\u2028\x85."
)
ATTRIBUTION = "𝒳 rose 5%, according to Ada Lind of 𝒳 Corp, on Monday."


def _items(schema: LabelSchema) -> list[ExportItem]:
    mixed = AnnotationSet(schema, "alice", Status.IN_PROGRESS)
    org = mixed.add_span(make_span(TEXT, 11, 17, "ORG", schema))
    cue = mixed.add_span(make_span(TEXT, 32, 36, "CUE", schema, {"type": "assertion"}))
    source = mixed.add_span(make_span(TEXT, 19, 31, "SOURCE", schema))
    mixed.add_span(make_span(TEXT, 0, 4, "PERSON", schema))  # grown to whole tokens
    mixed.add_relation(Relation("source", cue.id, source.id))  # type: ignore[arg-type]
    mixed.add_relation(Relation("refers_to", source.id, org.id))  # type: ignore[arg-type]
    items = []
    for n in range(9):  # more than a batch, in several batches of every worker
        sets = {
            0: [mixed],
            1: [attribution_set(schema, ATTRIBUTION), attribution_set(schema, ATTRIBUTION, "bo")],
            2: [],
            3: [attribution_set(schema, ATTRIBUTION, status=Status.SKIPPED)],
        }[n % 4]
        text = TEXT if n % 4 == 0 else ATTRIBUTION if n % 4 in (1, 3) else f"Only text {n}."
        meta = {"lang": "de"} if n == 5 else {"brat_path": "wire/one"} if n == 6 else {}
        document = Document(text, title=f"Story {n % 3} 🙂", meta=meta, id=n + 1)
        items.append(ExportItem(document, sets))
    return items


def _written(folder: Path, name: str, items: list[ExportItem], schema: LabelSchema) -> tuple:
    fmt = registry.get(name)
    folder.mkdir()
    out = folder / (name if fmt.folder or fmt.write_splits else f"{name}{fmt.extensions[0]}")
    if fmt.write_splits is not None:
        report = fmt.write_splits(out, {"train": items}, schema)
    else:
        assert fmt.write is not None
        report = fmt.write(out, items, schema)
    files = [out] if out.is_file() else sorted(p for p in out.rglob("*") if p.is_file())
    contents = {str(p.relative_to(folder)): p.read_bytes() for p in files}
    # The dataset's state file names a fingerprint of its making (random), not its contents.
    contents = {k: v for k, v in contents.items() if not k.endswith("state.json")}
    return contents, report.documents, dict(report.notes)


@pytest.mark.parametrize("name", ["prodigy", "spacy", "conll", "hf", "xmi"])
def test_workers_write_the_same_bytes_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema: LabelSchema, name: str
) -> None:
    items = _items(schema)
    alone = _written(tmp_path / "alone", name, items, schema)
    monkeypatch.setattr(parallel, "SERVED", False)  # spawned, as on macOS and Windows
    monkeypatch.setattr(parallel, "SERIAL_UP_TO", 2)
    monkeypatch.setattr(parallel, "TOKENISED_LATER", 1)
    monkeypatch.setattr(parallel, "BATCH", 2)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    spread = _written(tmp_path / "spread", name, items, schema)
    assert alone[1] == spread[1] == len(items)
    assert alone[2] == spread[2]  # the workers' notes are added to the report
    assert alone[0].keys() == spread[0].keys()
    for path, content in alone[0].items():
        assert spread[0][path] == content, path


def test_per_document_keeps_the_order_and_the_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "SERIAL_UP_TO", 3)
    monkeypatch.setattr(parallel, "BATCH", 4)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    report = WriteReport()
    assert list(parallel.per_document(_square, range(40), report)) == [n * n for n in range(40)]
    assert report.notes == {"odd": 20}


def _square(n: int, report: WriteReport) -> int:
    report.note("odd", n % 2)
    return n * n


def test_a_docbin_filled_part_by_part_is_the_docbin_add_makes() -> None:
    nlp = spacy.blank("en")
    texts = [TEXT, ATTRIBUTION, "", "Zoë  left.\n\nAgain."]
    theirs, ours = DocBin(store_user_data=True), DocBin(store_user_data=True)
    for text in texts:
        doc = nlp.make_doc(text)
        if len(doc) > 3:
            doc.set_ents([Span(doc, 1, 3, label="PERSON")], default="outside")
            doc.spans["sc"] = [doc.char_span(doc[0].idx, doc[2].idx + len(doc[2]), "ORG")]
        doc.user_data["labeler"] = {"title": text[:5]}
        theirs.add(doc)
        add_doc(ours, doc)
    assert ours.to_bytes() == theirs.to_bytes()


def _pid(job: int, report: WriteReport) -> int:
    return os.getpid()


def test_tokenised_work_starts_workers_many_times_later(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "SERVED", False)
    monkeypatch.setattr(parallel, "SERIAL_UP_TO", 2)
    monkeypatch.setattr(parallel, "BATCH", 2)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    monkeypatch.setattr(parallel, "TOKENISED_LATER", 5)
    here = os.getpid()
    tokenised = list(parallel.per_document(_pid, range(10), WriteReport(), tokenised=True))
    assert tokenised == [here] * 10  # 10 jobs: within 2 x 5, all in this process
    other = list(parallel.per_document(_pid, range(10), WriteReport()))
    assert other[:2] == [here, here] and here not in other[2:]


def test_forked_workers_start_early_for_small_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """From the command line (FORK), tokenising work on small jobs goes to workers forked
    past FORKED_AFTER jobs; other work waits as long as with spawned workers."""
    monkeypatch.setattr(parallel, "SERVED", False)
    # A thread beside this one would keep workers spawned (other tests leave tqdm's monitor).
    monkeypatch.setattr(parallel, "threads", lambda: 1)
    monkeypatch.setattr(parallel, "FORK", True)
    monkeypatch.setattr(parallel, "EARLY", False)  # as on macOS: forked once spaCy is loaded
    monkeypatch.setattr(parallel, "FORKED_AFTER", 2)
    monkeypatch.setattr(parallel, "SERIAL_UP_TO", 2)
    monkeypatch.setattr(parallel, "TOKENISED_LATER", 5)
    monkeypatch.setattr(parallel, "BATCH", 2)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    here = os.getpid()
    small = list(
        parallel.per_document(_pid, range(10), WriteReport(), tokenised=True, small_jobs=True)
    )
    assert small[:2] == [here, here] and here not in small[2:]
    items = list(parallel.per_document(_pid, range(10), WriteReport(), tokenised=True))
    assert items == [here] * 10


def test_forked_workers_write_the_same_conll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema: LabelSchema
) -> None:
    items = _items(schema)
    alone = _written(tmp_path / "alone", "conll", items, schema)
    monkeypatch.setattr(parallel, "FORK", True)
    monkeypatch.setattr(parallel, "EARLY", False)
    monkeypatch.setattr(parallel, "threads", lambda: 1)
    monkeypatch.setattr(parallel, "FORKED_AFTER", 2)
    monkeypatch.setattr(parallel, "BATCH", 2)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    assert _written(tmp_path / "forked", "conll", items, schema) == alone


def test_no_fork_beside_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "SERVED", False)
    monkeypatch.setattr(parallel, "FORK", True)
    monkeypatch.setattr(parallel, "threads", lambda: 2)
    monkeypatch.setattr(parallel, "FORKED_AFTER", 2)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    here = os.getpid()
    jobs = parallel.per_document(_pid, range(10), WriteReport(), tokenised=True, small_jobs=True)
    assert list(jobs) == [here] * 10


def _early(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a command-line process on Linux: workers forked before anything is read."""
    monkeypatch.setattr(parallel, "spare_cores", lambda: 2.0)  # however busy the machine
    monkeypatch.setattr(parallel, "threads", lambda: 1)
    monkeypatch.setattr(parallel, "FORK", True)
    monkeypatch.setattr(parallel, "EARLY", True)
    monkeypatch.setattr(parallel, "BATCH", 2)
    monkeypatch.setattr(parallel, "PROCESSES", 2)


def _early_jobs(work: Any, count: int) -> list[Any]:
    jobs = parallel.per_document(work, range(count), WriteReport(), tokenised=True, small_jobs=True)
    return list(jobs)


@pytest.mark.parametrize("name", ["conll", "prodigy", "xmi"])
def test_early_forked_workers_write_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema: LabelSchema, name: str
) -> None:
    items = _items(schema) * 3  # batches for the leader and for the helper it forks
    alone = _written(tmp_path / "alone", name, items, schema)
    _early(monkeypatch)
    assert _written(tmp_path / "early", name, items, schema) == alone


def test_early_workers_keep_the_order_and_the_notes_and_do_all_the_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _early(monkeypatch)
    report = WriteReport()
    squares = parallel.per_document(_square, range(40), report, tokenised=True, small_jobs=True)
    assert list(squares) == [n * n for n in range(40)]
    assert report.notes == {"odd": 20}
    pids = _early_jobs(_pid, 40)
    assert os.getpid() not in pids
    assert len(set(pids)) <= 2  # the leader and the one helper it forked
    assert _early_jobs(_pid, 0) == []


def test_early_workers_for_export_items_only_with_cores_to_spare(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _early(monkeypatch)
    here = os.getpid()
    assert here not in _early_jobs(_pid, 10)
    items = list(parallel.per_document(_pid, range(10), WriteReport(), tokenised=True))
    assert here not in items  # export items (not small jobs) too
    monkeypatch.setattr(parallel, "spare_cores", lambda: 0.2)  # a busy machine
    items = list(parallel.per_document(_pid, range(10), WriteReport(), tokenised=True))
    assert items == [here] * 10
    assert here not in _early_jobs(_pid, 10)  # small jobs (CoNLL's) as before


def _fails_on_seven(n: int, report: WriteReport) -> int:
    if n == 7:
        raise ValueError("no tokenizer for language 'zz'")
    return n


def _dies_on_seven(n: int, report: WriteReport) -> int:
    if n == 7:
        os._exit(3)  # as if killed: no word sent back
    return n


def test_a_worker_failure_is_raised_here_naming_its_cause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _early(monkeypatch)
    with pytest.raises(forked.WorkerFailed, match="ValueError: no tokenizer for language 'zz'"):
        _early_jobs(_fails_on_seven, 20)
    with pytest.raises(forked.WorkerFailed, match="ended unexpectedly"):
        _early_jobs(_dies_on_seven, 20)


def test_no_early_fork_beside_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    _early(monkeypatch)
    monkeypatch.setattr(parallel, "SERVED", False)
    monkeypatch.setattr(parallel, "threads", lambda: 2)
    monkeypatch.setattr(parallel, "FORKED_AFTER", 100)
    assert _early_jobs(_pid, 10) == [os.getpid()] * 10


def _jobs_then_a_hang(count: int) -> Iterator[int]:
    yield from range(count)
    time.sleep(60)  # the exporting process reads on, and is killed meanwhile


def _noting_pid(folder: Path) -> Callable[[int, WriteReport], int]:
    return functools.partial(_note_pid, folder)


def _note_pid(folder: Path, n: int, report: WriteReport) -> int:
    (folder / str(os.getpid())).touch()
    time.sleep(0.2)  # long enough for the helper to take a batch too
    return n


def _export_until_killed(folder: Path) -> None:
    parallel.FORK, parallel.EARLY, parallel.BATCH, parallel.PROCESSES = True, True, 2, 2
    jobs = _jobs_then_a_hang(8)
    work = _noting_pid(folder)
    for _ in parallel.per_document(work, jobs, WriteReport(), tokenised=True, small_jobs=True):
        pass


def test_workers_end_when_the_exporting_process_is_killed(tmp_path: Path) -> None:
    exporting = multiprocessing.get_context("fork").Process(
        target=_export_until_killed, args=(tmp_path,)
    )
    exporting.start()
    deadline = time.monotonic() + 20
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # until both workers worked
    workers = [int(p.name) for p in tmp_path.iterdir()]
    assert len(workers) == 2
    os.kill(exporting.pid, signal.SIGKILL)  # type: ignore[arg-type]
    exporting.join()
    deadline = time.monotonic() + 10
    while any(map(forked._alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(forked._alive, workers))


LOAD_SPACY = """
import sys
from labeler.formats.forked import load_spacy
from labeler.formats.token_arrays import tokenise
load_spacy()
arrays = tokenise("Zoë met Ada.  Then left!", "en", sentences=True)
print([m for m in ("typer", "rich", "httpx", "weasel") if m in sys.modules], arrays.texts(),
      arrays.sentences)
"""


def test_a_worker_loads_spacy_without_its_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOAD_SPACY], capture_output=True, text=True, check=True
    )
    expected = "[] ['Zoë', 'met', 'Ada', '.', ' ', 'Then', 'left', '!'] [0, 4]"
    assert done.stdout.strip() == expected
