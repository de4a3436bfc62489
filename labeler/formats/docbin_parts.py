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
        known: set[int] | None = None,
    ) -> DocPart:
        """What `DocBin.add(doc)` adds, with the same result (a test compares the bytes), in
        a fraction of the time: DocBin.add reads nine strings from a Python Token per token,
        more than tokenising cost; here the tokens' string hashes are read at once and each
        distinct one looked up once. `span_strings`, from a caller that made the doc's spans:
        their labels, knowledge-base ids and ids (read from every span otherwise). `known`:
        the string hashes of the parts made before for the same DocBin, whose strings this part
        need not carry again (it adds its own)."""
        import numpy
        import srsly  # type: ignore[import-untyped]

        both = doc.to_array([*attrs, "SPACY"]).reshape((len(doc), len(attrs) + 1))
        array, spaces = both[:, :-1], numpy.asarray(both[:, -1:], dtype=bool)
        vocab = doc.vocab.strings
        if _string_columns(tuple(attrs)) is None:  # attributes other than a DocBin's own
            strings = token_strings(doc.to_array(list(_STRING_ATTRS)), _STRING_ATTRS, vocab, known)
        else:
            strings = token_strings(array, attrs, vocab, known)
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


class KnownHashes(set[int]):
    """The string hashes of the parts made for one DocBin in this process (see DocPart.of). A
    worker process gets it empty: its parts carry their strings themselves."""

    def __reduce__(self) -> tuple[type[KnownHashes], tuple[()]]:
        return KnownHashes, ()


def token_strings(
    array: Any, attrs: Sequence[int | str], strings: StringStore, known: set[int] | None
) -> set[str]:
    """The strings of the hashes in a Doc's token array (`attrs` its columns) that DocBin.add
    keeps, less those `known` already (which then learns them)."""
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
    if known is not None:
        new = [h for h in new if h not in known]
        known.update(new)
    return {strings[h] for h in new}


@dataclass(frozen=True)
class TokenTable:
    """A Doc's token array as a DocBin keeps it, with its spaces and token offsets (read from
    the Doc at once), the strings of its hashes and its flags: the Doc's share of the DocBin
    but for its entities, span groups, categories and user data."""

    rows: Any  # per token: the DocBin's attributes, SPACY, IDX and LENGTH
    width: int  # how many of the columns are the DocBin's attributes
    strings: set[str]
    flags: dict[str, bool]

    @staticmethod
    def of(doc: Doc, attrs: list[int | str], known: set[int] | None) -> TokenTable:
        """The table of a Doc straight from a tokenizer, which sets no attribute of its tokens
        but their text, norm and the first one's sentence start (spaCy lets a tokenizer's
        special cases set ORTH and NORM alone): those are read, the other columns are 0."""
        import numpy

        width = len(attrs)
        columns = [*_tokenizer_columns(tuple(attrs)), width, width + 1, width + 2]
        read = doc.to_array([*_TOKENIZER_SETS, "SPACY", "IDX", "LENGTH"])
        rows = numpy.zeros((len(doc), width + 3), dtype=read.dtype)
        rows[:, columns] = read.reshape((len(doc), len(columns)))
        strings = token_strings(rows[:, :width], attrs, doc.vocab.strings, known)
        return TokenTable(rows, width, strings, {"has_unknown_spaces": doc.has_unknown_spaces})

    @property
    def tokens(self) -> Any:
        return self.rows[:, : self.width]

    @property
    def spaces(self) -> Any:
        import numpy

        return numpy.asarray(self.rows[:, self.width : self.width + 1], dtype=bool)

    def offsets(self) -> tuple[list[int], list[int]]:
        """Each token's start and end (code points)."""
        starts = self.rows[:, self.width + 1]
        return starts.tolist(), (starts + self.rows[:, self.width + 2]).tolist()


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
_SPAN = struct.Struct(">QQQllll")  # a span in SpanGroup.to_bytes: id, kb id, label, ...


def span_groups_bytes(
    groups: dict[str, list[tuple[int, int, int]]], starts: list[int], ends: list[int]
) -> bytes:
    """What `doc.spans.to_bytes()` gives for span groups named by their keys, of spans
    (first token, after, label hash) with no id, knowledge-base id or attributes, on tokens
    with these offsets (as SpanGroups.to_bytes and SpanGroup.to_bytes pack them)."""
    import srsly

    if not groups:
        return srsly.msgpack_dumps([])  # type: ignore[no-any-return]
    pack = _SPAN.pack
    message: dict[bytes, list[str]] = {}
    for key, spans in groups.items():
        packed = [pack(0, 0, label, a, b, starts[a], ends[b - 1]) for a, b, label in spans]
        group = srsly.msgpack_dumps({"name": key, "attrs": {}, "spans": packed})
        message.setdefault(group, []).append(key)
    return srsly.msgpack_dumps(message)  # type: ignore[no-any-return]


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


_TOKENIZER_SETS = ("ORTH", "NORM", "SENT_START")  # what a tokenizer sets on its tokens


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


@cache
def docbin_attrs() -> list[int | str]:
    """The attributes a DocBin stores per token by default (the writer's DocBin keeps them)."""
    from spacy.tokens import DocBin

    return list(DocBin().attrs)
