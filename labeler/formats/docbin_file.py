"""A spaCy DocBin written to its file as `DocBin.to_disk` writes it, byte for byte (a test
compares them), with its token bytes compressed on a second thread while the writer makes the
rest of each document.

The file is zlib-compressed msgpack of one map: the version, the attributes, then every token's
attributes as one bin (80 megabytes for five thousand articles, of the writer's five
attributes), then the spaces, lengths, strings, categories, flags, span groups and user data. A
msgpack map is its header then each key and value packed alone, and zlib's output does not
depend on how its input is cut when no flush is asked for between the pieces: so the pieces go
to one compressor as they come. The bin's head holds its size, so the number of tokens must be
known before the first token is written (the writer tokenises every document first). zlib lets
go of the interpreter's lock while it compresses: the thread gets pieces of several megabytes (a
smaller piece would wait for the lock more than it works), at most a few at once, so memory
stays bounded.

Compressing (0.9 s of CPU for 5,000 articles, 100 MB, half of it the tokens' 80 MB, of the
writer's five attributes: 1.3 s for 230 MB with a DocBin's default thirteen) is the longest
part of an export, and cannot start before every document is tokenised: an export takes
that long after tokenising ends, however fast the rest. The writer does as little as it
can before (`spacy_docbin`), and the thread never waits for it but at the very start.
"""

from __future__ import annotations

import queue
import threading
import zlib
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import DocBin

    from labeler.formats.docbin_parts import DocPart

PIECE = 16 << 20  # bytes of tokens sent to the compressing thread at once
# The first pieces are smaller (each twice the last, from this), so that the thread starts soon
# after the writer: it has waited for every document to be tokenised, and is the last to end.
FIRST_PIECE = 1 << 20
_IN_FLIGHT = 2  # pieces waiting for the thread at most
WRITE_AFTER = 4 << 20  # compressed bytes the thread holds before it writes them
_END = object()  # no more pieces


class DocBinFile:
    """Writes `path` as `docbin.to_disk(path)` would once every part is added: `add` each
    part, in order, within `with`. `token_rows`: the number of tokens of all the parts."""

    def __init__(self, path: Path, docbin: DocBin, token_rows: int) -> None:
        assert not docbin.tokens, "the tokens go straight to the file"
        assert docbin.store_user_data, "the writer keeps user data"
        self.docbin = docbin
        self._path = path
        self._size = token_rows * len(docbin.attrs) * 8  # uint64 per attribute
        self._written = 0
        self._lengths: list[int] = []
        self._waiting: list[Any] = []
        self._waiting_bytes = 0
        self._piece = min(FIRST_PIECE, PIECE)
        self._pieces: queue.Queue[Any] = queue.Queue(_IN_FLIGHT)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._compress, name="docbin-zlib", daemon=True)

    def __enter__(self) -> DocBinFile:
        import srsly  # type: ignore[import-untyped]

        self._out = self._path.open("wb")
        self._thread.start()
        head = [bytes([0x80 | len(self._keys())])]
        for key in ("version", "attrs"):
            head += [srsly.msgpack_dumps(key), srsly.msgpack_dumps(getattr(self.docbin, key))]
        head += [srsly.msgpack_dumps("tokens"), _bin_header(self._size)]
        self._send(b"".join(head))
        return self

    def add(self, part: DocPart) -> None:
        """A document's share: its tokens to the file, the rest to the DocBin until the end."""
        tokens = part.tokens
        self._lengths.append(len(tokens))
        self._waiting.append(tokens)
        self._waiting_bytes += tokens.nbytes
        self._written += tokens.nbytes
        if self._waiting_bytes >= self._piece:
            self._piece = min(2 * self._piece, PIECE)
            self._send_tokens()
        part.add_to(self.docbin, with_tokens=False)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if kind is None:
                self._finish()
        finally:
            self._pieces.put(_END)
            self._thread.join()
            self._out.close()
        if self._failure is not None and kind is None:
            raise self._failure

    def _finish(self) -> None:
        import numpy
        import srsly

        assert self._written == self._size, "the token count given matches the parts"
        self._send_tokens()
        docbin = self.docbin
        spaces = numpy.vstack(docbin.spaces) if docbin.spaces else numpy.asarray([])
        values = {
            "spaces": spaces.tobytes("C"),
            "lengths": numpy.asarray(self._lengths, dtype="int32").tobytes("C"),
            "strings": sorted(docbin.strings),
            "cats": docbin.cats,
            "flags": docbin.flags,
            "span_groups": docbin.span_groups,
            "user_data": docbin.user_data,
        }
        assert list(values) == self._keys()[3:], "the keys in DocBin.to_bytes's order"
        self._send(b"".join(srsly.msgpack_dumps(x) for pair in values.items() for x in pair))

    @staticmethod
    def _keys() -> list[str]:
        keys = ["version", "attrs", "tokens", "spaces", "lengths", "strings", "cats", "flags"]
        return [*keys, "span_groups", "user_data"]

    def _send_tokens(self) -> None:
        import numpy

        if self._waiting:
            self._send(numpy.concatenate(self._waiting))  # one C-ordered copy of the rows
        self._waiting, self._waiting_bytes = [], 0

    def _send(self, piece: Any) -> None:
        if self._failure is not None:
            raise self._failure
        self._pieces.put(piece)

    def _compress(self) -> None:
        """In the thread: compresses each piece until the end, writing what it made every few
        megabytes; after a failure (a full disk, say) it only takes the pieces, so that the
        writer never waits for it. The thread takes the interpreter's lock back after each
        compression and each write, waiting for the writer's thread to let go of it (up to the
        switch interval, 5 ms): so it compresses large pieces and writes seldom, the compressed
        bytes being a thirtieth of the tokens'."""
        compressor = zlib.compressobj()
        made: list[bytes] = []
        held = 0
        while True:
            piece = self._pieces.get()
            if piece is _END:
                break
            if self._failure is None:
                made.append(compressor.compress(piece))
                held += len(made[-1])
                if held >= WRITE_AFTER:
                    self._write(made)
                    held = 0
        if self._failure is None:
            made.append(compressor.flush())
            self._write(made)

    def _write(self, made: list[bytes]) -> None:
        """In the thread: writes the bytes made and forgets them (noting a failure)."""
        try:
            self._out.write(b"".join(made))
        except BaseException as exc:  # raised again in the writer's thread
            self._failure = exc
        made.clear()


def _bin_header(size: int) -> bytes:
    """The head of a msgpack bin of `size` bytes (bin 8, 16 or 32, the smallest that holds it)."""
    if size < 1 << 8:
        return b"\xc4" + size.to_bytes(1, "big")
    if size < 1 << 16:
        return b"\xc5" + size.to_bytes(2, "big")
    return b"\xc6" + size.to_bytes(4, "big")
