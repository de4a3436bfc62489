"""ArcRoom: which paragraphs of the text get room above their lines for the relations' arcs.

Room goes to a paragraph while some relation has an end in it, and only as much as the arcs
stacked there can need: one level for one relation, up to LEVELS. A count of ends per
paragraph is kept as relations come and go, and only paragraphs whose room changes get a new
block format, in one layout pass.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import partial

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextDocument

from labeler.domain.annotation import Relation
from labeler.ui.editor.span_marks import SpanMarks
from labeler.ui.relations.arc_painter import LEVELS, LIFT, PITCH

FIRST_SCREEN_BLOCKS = 60  # more paragraphs than a first screen of text ever shows
# What Qt starts a new block at in inserted text (a CR LF pair is never in a stored text).
_PARAGRAPH_BREAK = re.compile("[\n\r\u2029]")


def _paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of `text` begins as Qt splits it into blocks, in code points."""
    if "\r" in text or "\u2029" in text:
        return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    # Newlines only, as stored texts have: str.find beats a regular expression on a text
    # with emoji (stored four bytes a character) by five times.
    starts = [0]
    find = text.find
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts


def room_for(ends: int) -> int:
    """Px above each line of a paragraph in which `ends` relations end: a level for each
    (no line holds more arcs than the paragraph has relations), at most LEVELS."""
    return 0 if ends <= 0 else LIFT + min(LEVELS, ends) * PITCH + 2


class ArcRoom:
    """The arc room of one document's paragraphs, for the relations drawn on it."""

    def __init__(self, owner: QObject, line_distance: int) -> None:
        self._owner = owner  # for the timer that gives the rest its room after a paint
        self._line_distance = line_distance
        self._document: QTextDocument | None = None
        self._marks: SpanMarks | None = None
        self._counts: dict[int, int] = {}  # block number -> relation ends in it
        self._ends: dict[int, tuple[int, int]] = {}  # relation id -> its two blocks
        self._starts: list[int] | None = None  # where each paragraph begins, code points
        self._later: set[int] = set()  # paragraphs whose room waits for the next turn
        self.shown = True

    def set_line_distance(self, line_distance: int) -> None:
        """The room under every line that paragraphs laid out from now on get."""
        self._line_distance = line_distance

    def reset(self, document: QTextDocument, marks: SpanMarks, text: str = "") -> None:
        """A new text: nothing has room yet."""
        self._document, self._marks = document, marks
        self._counts, self._ends, self._starts, self._later = {}, {}, None, set()
        starts = _paragraph_starts(text)
        if len(starts) == document.blockCount():
            self._starts = starts

    def set_all(
        self,
        relations: Mapping[int, Relation],
        *,
        first_screen_first: bool,
        expected: Iterable[int] = (),
    ) -> None:
        """Counts every relation's ends afresh.

        `first_screen_first` (a document just opened, shown from its start): paragraphs past
        the first screen get their room in the next turn of the event loop, after the first
        paint. `expected`: where the spans at the ends of every relation of the set begin
        (code points, head then tail, relation by relation), those drawn already included,
        when not all are here yet: the paragraphs are counted from them, so that each gets
        the room it will keep, and nothing moves when the rest come.
        """
        before = dict(self._counts)
        span_ids = {i for r in relations.values() for i in (r.head, r.tail)}
        block_of = {span_id: self._block_of(span_id) for span_id in span_ids}
        counts: dict[int, int] = {}
        ends: dict[int, tuple[int, int]] = {}
        for relation_id, r in relations.items():
            head, tail = block_of[r.head], block_of[r.tail]
            ends[relation_id] = (head, tail)
            for number in (head,) if head == tail else (head, tail):
                if number >= 0:
                    counts[number] = counts.get(number, 0) + 1
        pairs = list(expected)
        if pairs:  # every relation, by where its ends are: counted as the ones above are
            # One past each paragraph's number: bisect by map runs in C, 10,000 ends in 2 ms.
            after = list(map(partial(bisect.bisect_right, self._block_starts()), pairs))
            counts = dict(Counter(after[0::2]))
            for head, tail in zip(after[0::2], after[1::2], strict=True):
                if tail != head:
                    counts[tail] = counts.get(tail, 0) + 1
            counts = {n - 1: c for n, c in counts.items()}
        self._counts, self._ends = counts, ends
        self._flip(before, first_screen_first)

    def _flip(self, before: dict[int, int], first_screen_first: bool) -> None:
        """Gives room to, or takes it from, the paragraphs whose room the new counts change
        (`before`: the counts they had)."""
        counts = self._counts
        flipped = {
            n
            for n in before.keys() | counts.keys()
            if room_for(before.get(n, 0)) != room_for(counts.get(n, 0))
        }
        if first_screen_first:
            later = {n for n in flipped if n >= FIRST_SCREEN_BLOCKS}
            if later:
                if not self._later:
                    QTimer.singleShot(0, self._owner, self._make_room_later)
                self._later |= later
                flipped -= later
        self._make_room(flipped)

    def add(self, relation: Relation) -> None:
        assert relation.id is not None
        blocks = (self._block_of(relation.head), self._block_of(relation.tail))
        self._ends[relation.id] = blocks
        self._make_room(self._count(blocks, +1))

    def remove(self, relation_id: int) -> None:
        blocks = self._ends.pop(relation_id, None)
        if blocks is not None:
            self._make_room(self._count(blocks, -1))

    def set_shown(self, shown: bool) -> None:
        """Gives every paragraph with arcs its room, or takes it all back."""
        self.shown = shown
        self._make_room(set(self._counts) | self._later)
        self._later = set()

    def _count(self, blocks: tuple[int, int], step: int) -> set[int]:
        """Counts a relation's ends in (+1) or out of (-1) their paragraphs; returns the
        paragraphs whose room that changes."""
        flipped: set[int] = set()
        for number in set(blocks) - {-1}:
            was = self._counts.get(number, 0)
            count = was + step
            if count > 0:
                self._counts[number] = count
            else:
                self._counts.pop(number, None)
            if room_for(count) != room_for(was):
                flipped.add(number)
        return flipped

    def _block_of(self, span_id: int) -> int:
        """The number of the paragraph a span begins in; -1 for a span not shown."""
        assert self._document is not None
        assert self._marks is not None
        start = self._marks.start_of(span_id)
        if start is None:
            return -1
        return bisect.bisect_right(self._block_starts(), start) - 1

    def _block_starts(self) -> list[int]:
        """Where each paragraph begins, in code points: a bisect per span beats a findBlock."""
        if self._starts is None:  # the text did not say: from Qt's blocks, once per text
            assert self._document is not None
            assert self._marks is not None
            block = self._document.begin()
            starts = []
            while block.isValid():
                starts.append(self._marks.from_utf16(block.position()))
                block = block.next()
            self._starts = starts
        return self._starts

    def _make_room_later(self) -> None:
        later, self._later = self._later, set()
        self._make_room(later)

    def _make_room(self, numbers: set[int]) -> None:
        """Gives these paragraphs room above each line for arcs, or takes it back, as their
        count of relation ends says; one layout pass for all of them."""
        document = self._document
        if not numbers or document is None:
            return
        edit = QTextCursor(document)
        edit.beginEditBlock()
        for number in numbers:
            block = document.findBlockByNumber(number)
            if not block.isValid():
                continue
            room = room_for(self._counts.get(number, 0)) if self.shown else 0
            fmt = block.blockFormat()
            # Room above the first line too, unless an empty line before the paragraph gives it.
            previous = block.previous()
            gap = previous.isValid() and previous.length() <= 1
            fmt.setTopMargin(0 if gap else room)
            # Every line gets the room under it (Qt has no spacing above a line); the last
            # line's is taken back, so paragraphs stay as far apart as before.
            fmt.setBottomMargin(-room)
            fmt.setLineHeight(
                self._line_distance + room,
                QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value,
            )
            QTextCursor(block).setBlockFormat(fmt)
        edit.endEditBlock()
