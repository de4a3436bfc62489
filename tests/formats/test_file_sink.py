"""Files written through the helper process are those written here, and its failures are told."""

from __future__ import annotations

import errno
import os
import pickle

import pytest

from labeler.formats import file_sink
from labeler.formats.file_sink import FileSink
from labeler.formats.records import WriteReport
from labeler.formats.xmi import _Writer

FILES = {
    f"{n:03d} {name}": bytes(range(n % 256)) * n + name.encode()
    for n, name in enumerate(["a.xmi", "Zoë 🙂.xmi", "e", "", "x" * 200], 1)
}


@pytest.mark.parametrize("direct", [0, 2, 100])  # all, some and none through the helper
def test_every_file_is_written_with_its_bytes(tmp_path, direct):
    with FileSink(tmp_path, direct=direct) as sink:
        for name, data in FILES.items():
            sink.write(name, data)
        started = sink._process is not None
    assert started == (direct < len(FILES))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == FILES


def test_a_file_replaces_one_of_its_name(tmp_path):
    (tmp_path / "a").write_bytes(b"old and longer")
    with FileSink(tmp_path, direct=0) as sink:
        sink.write("a", b"new")
    assert (tmp_path / "a").read_bytes() == b"new"


def test_a_file_that_cannot_be_written_raises_the_os_error_with_its_name(tmp_path):
    (tmp_path / "taken").mkdir()
    sink = FileSink(tmp_path, direct=0)
    sink.write("first", b"1")

    def write_the_rest() -> None:  # the failure is raised at close, or by a later write
        sink.write("taken", b"2")
        for n in range(200):
            sink.write(f"after{n}", b"3" * 100_000)
        sink.close()

    with pytest.raises(OSError, match="taken") as raised:
        write_the_rest()
    assert raised.value.errno == errno.EISDIR
    assert raised.value.filename == str(tmp_path / "taken")
    assert (tmp_path / "first").read_bytes() == b"1"
    assert sink._process is None  # waited for


def test_leaving_on_an_error_waits_for_the_helper_and_keeps_the_error(tmp_path):
    sink = FileSink(tmp_path, direct=0)

    def cancelled() -> None:
        with sink:
            sink.write("done", b"x")
            raise KeyError("cancelled")

    with pytest.raises(KeyError):
        cancelled()
    assert sink._process is None
    assert (tmp_path / "done").read_bytes() == b"x"


@pytest.mark.parametrize("started", [False, True])
def test_a_copy_in_another_process_writes_its_files_itself(tmp_path, started):
    sink = FileSink(tmp_path, direct=0)
    if started:
        sink.write("before", b"b")
    sink.pid = -1  # as a forked worker's copy sees it, the helper started or not
    sink.write("here", b"x")
    assert (sink._process is not None) == started
    assert (tmp_path / "here").read_bytes() == b"x"
    sink.pid = os.getpid()
    sink.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["before", "here"][not started :]


def test_a_record_cut_short_writes_no_file(tmp_path):
    sink = FileSink(tmp_path, direct=0)
    sink.write("whole", b"w")
    stdin = sink._process.stdin
    stdin.write(len(b"cut").to_bytes(4, "little") + (100).to_bytes(4, "little") + b"cut" + b"x")
    sink.close()
    assert [p.name for p in tmp_path.iterdir()] == ["whole"]


def test_a_sink_without_helper_never_starts_it(tmp_path, monkeypatch):
    monkeypatch.setattr(file_sink, "DIRECT", 0)
    sink = FileSink(tmp_path, helper=False)
    for name, data in FILES.items():
        sink.write(name, data)
    assert sink._process is None
    assert len(list(tmp_path.iterdir())) == len(FILES)


def test_files_are_written_here_when_the_helper_cannot_start(tmp_path, monkeypatch):
    monkeypatch.setattr(file_sink.sys, "executable", str(tmp_path / "no-python"))
    with FileSink(tmp_path, direct=1) as sink:
        for name, data in FILES.items():
            sink.write(name, data)
        assert sink._process is None
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == FILES


def test_the_xmi_writer_sent_to_a_worker_writes_there_without_the_helper(tmp_path, schema):
    from labeler.domain.document import Document
    from labeler.formats.records import ExportItem
    from labeler.formats.xmi_types import attribute_features

    with FileSink(tmp_path, direct=0) as sink:
        writer = pickle.loads(pickle.dumps(_Writer(attribute_features(schema), sink)))
        writer((ExportItem(Document("Hello there.", id=1), []), "one"), WriteReport())
        assert writer.sink is not sink
        assert writer.sink._process is None and sink._process is None
    assert (tmp_path / "one.xmi").read_bytes().startswith(b"<?xml")
