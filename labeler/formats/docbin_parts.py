"""What a spaCy DocBin keeps of each Doc, made apart from the DocBin: in a worker process when an
export is spread over several (`parallel`), and faster than `DocBin.add` in any case."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc, DocBin

# The token attributes whose strings DocBin.add keeps (text, tag, lemma, norm, morph, dep, and
# the entity's type, knowledge-base id and id): their hashes are read as one array here.
_STRING_ATTRS = ("ORTH", "TAG", "LEMMA", "NORM", "MORPH", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")


@dataclass(frozen=True)
class DocPart:
    """What DocBin.add keeps of one Doc, made where the Doc is (perhaps a worker process)."""

    tokens: Any  # numpy arrays, as DocBin.add makes them
    spaces: Any
    flags: dict[str, bool]
    strings: set[str]
    cats: dict[str, float]
    user_data: bytes
    span_groups: bytes

    @staticmethod
    def of(
        doc: Doc,
        attrs: list[int | str],
        span_strings: set[str] | None = None,
    ) -> DocPart:
        """What `DocBin.add(doc)` adds, with the same result (a test compares the bytes), in
        a fraction of the time: DocBin.add reads nine strings from a Python Token per token,
        more than tokenising cost; here the tokens' string hashes are read at once and each
        distinct one looked up once. `span_strings`, from a caller that made the doc's spans:
        their labels, knowledge-base ids and ids (read from every span otherwise)."""
        import numpy
        import srsly  # type: ignore[import-untyped]

        both = doc.to_array([*attrs, "SPACY"]).reshape((len(doc), len(attrs) + 1))
        array, spaces = both[:, :-1], numpy.asarray(both[:, -1:], dtype=bool)
        vocab = doc.vocab.strings
        if _string_columns(tuple(attrs)) is None:  # attributes other than a DocBin's own
            strings = token_strings(doc.to_array(list(_STRING_ATTRS)), _STRING_ATTRS, vocab)
        else:
            strings = token_strings(array, attrs, vocab)
        if span_strings is not None:
            strings.update(span_strings)
        for group in doc.spans.values() if span_strings is None else ():
            for span in group:
                strings.add(span.label_)
                if span.kb_id in vocab:
                    strings.add(span.kb_id_)
                if span.id in vocab:
                    strings.add(span.id_)
        return DocPart(
            array,
            spaces,
            {"has_unknown_spaces": doc.has_unknown_spaces},
            strings,
            doc.cats,
            srsly.msgpack_dumps(doc.user_data),
            doc.spans.to_bytes(),
        )

    def add_to(self, docbin: DocBin, with_tokens: bool = True) -> None:
        """Adds the part to the DocBin (all but its tokens if told: see docbin_file)."""
        assert docbin.store_user_data, "write_docbin keeps user data"
        if with_tokens:
            docbin.tokens.append(self.tokens)
        docbin.spaces.append(self.spaces)
        docbin.flags.append(self.flags)
        docbin.strings.update(self.strings)
        docbin.cats.append(self.cats)
        docbin.user_data.append(self.user_data)
        docbin.span_groups.append(self.span_groups)


def token_strings(array: Any, attrs: Sequence[int | str], strings: StringStore) -> set[str]:
    """The strings of the hashes in a Doc's token array (`attrs` its columns) that DocBin.add
    keeps."""
    import numpy

    if not len(array):
        return set()
    columns = _string_columns(tuple(attrs))
    assert columns is not None, "the string attributes are among the columns"
    # Most string columns of a Doc from a blank pipeline hold nothing (0): the others alone
    # are sorted, which halves the time.
    strung = array[:, columns]
    filled = strung.any(axis=0)
    new = numpy.unique(strung[:, filled]).tolist() + ([] if filled.all() else [0])
    return {strings[h] for h in new}


# What a tokenizer sets on its tokens (spaCy lets a tokenizer's special cases set ORTH and NORM
# alone, and a Doc marks its first token as a sentence start), then what the writer needs of
# each token besides: whether a space follows it and its offset (code points). Its end is the
# next token's offset less that space (the tokens and their spaces make the text): reading
# LENGTH, a lexeme's, took half as long as the rest.
_TOKENIZER_SETS = ("ORTH", "NORM", "SENT_START")
_READ = (*_TOKENIZER_SETS, "SPACY", "IDX")


@dataclass(frozen=True)
class TokenTable:
    """A Doc straight from a tokenizer, as the writer keeps it until its turn comes: per token
    the attributes `_READ`, read at once (the others a DocBin stores are 0 on such a Doc), and
    the Doc's flags and its text's length; with the strings of its hashes when it was made in a
    worker process (None: this process's vocabulary has them, and they are looked up once for
    all, `LocalStrings`)."""

    read: Any
    strings: set[str] | None
    flags: dict[str, bool]
    size: int  # the text's length (code points)

    @staticmethod
    def of(doc: Doc, size: int, with_strings: bool) -> TokenTable:
        """The table of `doc`, made by a tokenizer of a text of `size` code points."""
        import numpy

        read = doc.to_array(list(_READ)).reshape((len(doc), len(_READ)))
        strings = None
        if with_strings:
            found = numpy.unique(read[:, :2]).tolist()
            strings = {doc.vocab.strings[h] for h in found} | ({""} if found else set())
        return TokenTable(read, strings, {"has_unknown_spaces": doc.has_unknown_spaces}, size)

    def __len__(self) -> int:
        return len(self.read)

    def tokens(self, attrs: list[int | str]) -> Any:
        """The token array of a DocBin of these attributes (each a column; those a tokenizer
        does not set are 0)."""
        import numpy

        rows = numpy.zeros((len(self.read), len(attrs)), dtype=self.read.dtype)
        rows[:, _tokenizer_columns(tuple(attrs))] = self.read[:, : len(_TOKENIZER_SETS)]
        return rows

    @property
    def spaces(self) -> Any:
        import numpy

        return numpy.asarray(self.read[:, 3:4], dtype=bool)

    def offsets(self) -> tuple[list[int], list[int]]:
        """Each token's start and end (code points)."""
        import numpy

        starts, spaces = self.read[:, 4], self.read[:, 3]
        ends = numpy.empty_like(starts)
        ends[:-1] = starts[1:] - spaces[:-1]
        ends[-1:] = self.size - spaces[-1:]
        return starts.tolist(), ends.tolist()


class LocalStrings:
    """The strings DocBin.add keeps of the token tables made in this process (those whose own
    strings are None: each token's text and norm, and the empty string of the attributes left
    0), gathered as the writer goes: their hashes are looked up once for all, per vocabulary
    (one per language), after a batch of tables at a time, so that the tables can go."""

    BATCH = 256  # tables whose hashes are put together at once

    def __init__(self) -> None:
        self._waiting: dict[int, list[Any]] = {}
        self._found: dict[int, tuple[StringStore, set[int]]] = {}

    def add(self, table: TokenTable, vocab: StringStore) -> None:
        """Notes the table's hashes, if it is one of this process's, tokenised with `vocab`."""
        if table.strings is not None or not len(table):
            return
        key = id(vocab)
        self._found.setdefault(key, (vocab, set()))
        waiting = self._waiting.setdefault(key, [])
        waiting.append(table.read[:, :2])
        if len(waiting) >= self.BATCH:
            self._fold(key)

    def _fold(self, key: int) -> None:
        import numpy

        waiting = self._waiting.pop(key, [])
        if waiting:
            self._found[key][1].update(numpy.unique(numpy.concatenate(waiting)).tolist())

    def strings(self) -> set[str]:
        for key in list(self._waiting):
            self._fold(key)
        found = {vocab[h] for vocab, hashes in self._found.values() for h in hashes}
        return found | {""} if found else found


def set_entities(array: Any, attrs: list[int | str], entities: list[tuple[int, int, int]]) -> None:
    """Writes into a token array what `doc.set_ents(spans, default="outside")` sets before it
    is read: the entities' (first token, after, label hash), the other tokens outside (O)."""
    iob, kind = _entity_columns(tuple(attrs))
    if not len(array):
        return
    array[:, iob] = _OUTSIDE
    for first, after, label in entities:
        array[first, iob] = _BEGIN
        array[first + 1 : after, iob] = _INSIDE
        array[first:after, kind] = label


_INSIDE, _OUTSIDE, _BEGIN = 1, 2, 3  # spaCy's ent_iob codes (0: not set)
# A span in SpanGroup.to_bytes (id, kb id, label, first token, after, first and end character),
# headed as the msgpack bin it is in the group's list (0xc4, then its size: 40 bytes).
_SPAN = struct.Struct(">BBQQQllll")
_SPAN_BIN = 0xC4, _SPAN.size - 2


def span_groups_bytes(
    groups: dict[str, list[tuple[int, int, int]]],
    starts: list[int],
    ends: list[int],
    every: str | None = None,
) -> bytes:
    """What `doc.spans.to_bytes()` gives for span groups named by their keys, of spans
    (first token, after, label hash) with no id, knowledge-base id or attributes, on tokens
    with these offsets (as SpanGroups.to_bytes and SpanGroup.to_bytes pack them); with one more
    group, `every`, of all the groups' spans in order (set as a dict key is). Each span is
    packed once, with its msgpack head, and each group's head is packed without its spans."""
    from srsly.msgpack import Packer  # type: ignore[import-untyped]

    pack = Packer(use_bin_type=True).pack  # as srsly.msgpack_dumps packs, made once here
    span = _SPAN.pack
    packed = {
        key: [span(*_SPAN_BIN, 0, 0, label, a, b, starts[a], ends[b - 1]) for a, b, label in spans]
        for key, spans in groups.items()
    }
    if every is not None:
        packed[every] = [x for group in packed.values() for x in group]
    if not packed:
        return pack([])  # type: ignore[no-any-return]
    message: dict[bytes, list[str]] = {}
    for key, spans in packed.items():
        group = b"".join([_group_head(key), _array_head(len(spans)), *spans])
        message.setdefault(group, []).append(key)
    return pack(message)  # type: ignore[no-any-return]


@cache
def _group_head(key: str) -> bytes:
    """A span group's msgpack map up to its spans' array (packed empty, then its head cut)."""
    from srsly.msgpack import Packer

    empty: bytes = Packer(use_bin_type=True).pack({"name": key, "attrs": {}, "spans": []})
    assert empty.endswith(b"\x90"), "an empty array last"
    return empty[:-1]


def _array_head(size: int) -> bytes:
    """The head of a msgpack array of `size` items (fixarray, array 16 or array 32)."""
    if size < 16:
        return bytes([0x90 | size])
    if size < 1 << 16:
        return b"\xdc" + size.to_bytes(2, "big")
    return b"\xdd" + size.to_bytes(4, "big")


def add_doc(docbin: DocBin, doc: Doc) -> None:
    """`docbin.add(doc)`, faster (see DocPart.of)."""
    DocPart.of(doc, list(docbin.attrs)).add_to(docbin)


@cache
def _string_columns(attrs: tuple[int | str, ...]) -> list[int] | None:
    """Where the string attributes are among `attrs` (None if one is missing)."""
    from spacy.attrs import intify_attr  # type: ignore[import-not-found]

    ids = [intify_attr(a) for a in attrs]
    wanted = [intify_attr(a) for a in _STRING_ATTRS]
    return [ids.index(a) for a in wanted] if all(a in ids for a in wanted) else None


@cache
def _tokenizer_columns(attrs: tuple[int | str, ...]) -> list[int]:
    """Where the attributes a tokenizer sets are among `attrs`."""
    from spacy.attrs import intify_attr

    ids = [intify_attr(a) for a in attrs]
    return [ids.index(intify_attr(a)) for a in _TOKENIZER_SETS]


@cache
def _entity_columns(attrs: tuple[int | str, ...]) -> tuple[int, int]:
    """Where ENT_IOB and ENT_TYPE are among `attrs`."""
    from spacy.attrs import intify_attr

    ids = [intify_attr(a) for a in attrs]
    return ids.index(intify_attr("ENT_IOB")), ids.index(intify_attr("ENT_TYPE"))


# The attributes the writer's DocBin stores per token: those a Doc straight from a tokenizer
# has (ORTH, NORM, SENT_START) and the entities the writer sets (ENT_IOB, ENT_TYPE). A DocBin
# keeps each token's space apart (SPACY) whatever its attributes. The default's others (TAG,
# HEAD, DEP, LEMMA, MORPH, POS, ENT_KB_ID, ENT_ID) would all be 0, as a Doc has them unset:
# spaCy reads the file into the same Docs (a test compares them), from 5 columns rather than
# 13, whose compression is the longest part of an export.
WRITTEN_ATTRS = ("ORTH", "NORM", "SENT_START", "ENT_IOB", "ENT_TYPE")


def writer_docbin() -> DocBin:
    """An empty DocBin of the writer's attributes, keeping user data."""
    from spacy.tokens import DocBin

    return DocBin(attrs=WRITTEN_ATTRS, store_user_data=True)


@cache
def docbin_attrs() -> list[int | str]:
    """The attributes the writer's DocBin stores per token, in its order (ORTH first)."""
    return list(writer_docbin().attrs)
