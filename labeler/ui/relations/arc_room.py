"""ArcRoom: which lines of the text get room above them for the relations' arcs.

An arc is drawn on the line of each of its ends (one piece when both ends share a line), so a
line gets room when some relation ends on it, and only as much as the arcs stacked there can
need: a level for each, up to LEVELS. Lines without an arc end keep their height, even in a
paragraph full of relations.

Qt gives every line of a paragraph the same spacing, so a line is made taller from inside:
one space on it is set in a larger type (raised_lines.py), which raises the line's ascent by
the room and leaves its text where it was. The space is invisible and nothing reads the view's
character formats.

Room is given where it can be seen: to the paragraphs on screen and a couple around them
(NEAR), when the relations change and as the view scrolls; a paragraph further
away keeps what it had until the view comes near it. Room that comes above the top of the
view leaves the passage at the top where it was. A format change while Qt still lays the text
out would leave the rest of it unplaced: full_layout.py keeps the layout whole.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QPoint
from PySide6.QtGui import QFontMetricsF, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from labeler.domain.annotation import Relation
from labeler.ui.editor.span_marks import SpanMarks
from labeler.ui.relations.arc_painter import LEVELS, LIFT, PITCH
from labeler.ui.relations.full_layout import FullLayout
from labeler.ui.relations.raised_lines import (
    RaisedType,
    blank_above,
    lines_of,
    set_format,
    space_on,
)

NEAR = 2  # paragraphs above and below the screen that get their room before they show
# What Qt starts a new block at in inserted text (a CR LF pair is never in a stored text).
_PARAGRAPH_BREAK = re.compile("[\n\r\u2029]")
Pair = tuple[int, int]  # where a relation's head and tail spans begin, code points (-1: not shown)


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


def room_for(ends: int, pitch: float = PITCH) -> int:
    """Px above a line on which `ends` arcs end: a level for each (no line holds more arcs
    than end on it), at most LEVELS."""
    return 0 if ends <= 0 else round(LIFT + min(LEVELS, ends) * pitch + 2)


class ArcRoom:
    """The arc room of the lines of the document a view shows, for the relations drawn."""

    def __init__(self, view: QTextEdit, pitch: Callable[[], float]) -> None:
        self._view = view
        self._pitch = pitch  # px from one arc level to the next (the labels' type decides)
        self._document: QTextDocument | None = None
        self._marks: SpanMarks | None = None
        self._pairs: dict[int, Pair] = {}  # relation id -> where its ends begin
        self._expected: list[Pair] = []  # every relation's ends, before all of them are here
        # The pairs of the relations ending in each paragraph: block -> key -> pair (a key is
        # a relation id, or below zero an expected pair's place); made when first needed.
        self._index: dict[int, dict[int, Pair]] | None = None
        self._starts: list[int] | None = None  # where each paragraph begins, code points
        self._raised: dict[int, dict[int, tuple[int, int]]] = {}  # block -> line -> (char, px)
        self._stale: set[int] = set()  # paragraphs whose room waits for the view to come near
        self._lines: dict[int, list[tuple[int, int]]] = {}  # the lines _wanted found, by block
        self._settling = False
        self._layout = FullLayout(view)  # Qt's layout kept whole as formats change
        self.shown = True
        view.verticalScrollBar().valueChanged.connect(lambda _value: self.follow_screen())

    def reset(self, document: QTextDocument, marks: SpanMarks, text: str = "") -> None:
        """A new text: nothing has room yet."""
        self._document, self._marks = document, marks
        self._pairs, self._expected, self._starts, self._index = {}, [], None, None
        self._raised, self._stale = {}, set()
        self._layout.start(document)
        starts = _paragraph_starts(text)
        if len(starts) == document.blockCount():
            self._starts = starts

    def set_all(self, relations: Mapping[int, Relation], *, expected: Iterable[int] = ()) -> None:
        """Places every relation's ends afresh: the paragraphs near the screen get their room
        now, the rest as the view comes near them.

        `expected`: where the spans at the ends of every relation of the set begin (code
        points, head then tail, relation by relation), those drawn already included, when not
        all are here yet: the lines get the room they will keep, and nothing moves when the
        rest come.
        """
        touched = self._blocks_of_all()
        self._pairs = {rid: self._pair_of(r) for rid, r in relations.items()}
        flat = list(expected)
        self._expected = list(zip(flat[0::2], flat[1::2], strict=True))
        self._index = None
        self._stale |= touched | self._blocks_of_all()
        self.follow_screen()

    def add(self, relation: Relation) -> None:
        assert relation.id is not None
        pair = self._pair_of(relation)
        old = self._pairs.get(relation.id)
        self._pairs[relation.id] = pair
        if not self._expected:
            self._unindex(relation.id, old)
            self._add_to_index(relation.id, pair)
        self._make_room(self._blocks_of(pair) | (self._blocks_of(old) if old else set()))

    def remove(self, relation_id: int) -> None:
        pair = self._pairs.pop(relation_id, None)
        if pair is not None:
            if not self._expected:
                self._unindex(relation_id, pair)
            self._make_room(self._blocks_of(pair))

    def set_shown(self, shown: bool) -> None:
        """Gives every line with arcs its room (as the view comes near it), or takes it all
        back."""
        self.shown = shown
        self.refresh()
        if not shown:  # taking room back needs no line breaking: all of it at once
            self._make_room(set(self._raised))

    def refresh(self) -> None:
        """Places the room again on every line: the lines broke elsewhere (a new width) or the
        type changed (zoom, the desktop's font)."""
        self._layout.start(self._document)  # Qt lays the text out again
        self._stale |= self._blocks_of_all() | set(self._raised)
        self.follow_screen()

    def follow_screen(self) -> None:
        """Gives room to the paragraphs near the screen that wait for it, keeping the passage
        at the top of the view in place (called as the view scrolls or grows)."""
        document = self._document
        if self._settling or not self._stale or document is None:
            return
        if document is not self._view.document():
            return
        view = self._view
        bar = view.verticalScrollBar()
        height = view.viewport().height()
        # Every paragraph is a line high at least: no more than this many show. (A text just
        # set is not laid out yet: Qt's hit test can find its top, or bottom, further down.)
        lines = math.ceil(height / QFontMetricsF(document.defaultFont()).lineSpacing())
        top, bottom = 0, lines
        if bar.value():
            top = view.cursorForPosition(QPoint(0, 0)).block().blockNumber()
            hit = view.cursorForPosition(QPoint(0, height)).block().blockNumber()
            bottom = top + lines if hit < top else min(hit, top + lines)
        due = {n for n in range(max(0, top - NEAR), bottom + NEAR + 1) if n in self._stale}
        if not due:
            return
        self._stale -= due
        self._settling = True
        try:
            if bar.value() == 0:
                self._make_room(due)
                return
            anchor = view.cursorForPosition(QPoint(0, 0))
            before = view.cursorRect(anchor).top()
            self._make_room(due)
            bar.setValue(bar.value() + view.cursorRect(anchor).top() - before)
        finally:
            self._settling = False

    def line_room(self, number: int) -> dict[int, int]:
        """The room given above the lines of paragraph `number`: line index -> px."""
        return {line: px for line, (_, px) in self._raised.get(number, {}).items()}

    # -- where the ends are
    def _pair_of(self, relation: Relation) -> Pair:
        assert self._marks is not None
        head, tail = self._marks.start_of(relation.head), self._marks.start_of(relation.tail)
        return (-1 if head is None else head, -1 if tail is None else tail)

    def _by_block(self) -> dict[int, dict[int, Pair]]:
        if self._index is None:
            keyed = (
                {-1 - i: p for i, p in enumerate(self._expected)} if self._expected else self._pairs
            )
            index: dict[int, dict[int, Pair]] = {}
            after = bisect.bisect_right  # one past the paragraph's number
            starts = self._block_starts()
            for key, pair in keyed.items():
                head, tail = pair
                if head >= 0:
                    index.setdefault(after(starts, head) - 1, {})[key] = pair
                if tail >= 0:
                    index.setdefault(after(starts, tail) - 1, {})[key] = pair
            self._index = index
        return self._index

    def _add_to_index(self, key: int, pair: Pair) -> None:
        if self._index is not None:
            for number in self._blocks_of(pair):
                self._index.setdefault(number, {})[key] = pair

    def _unindex(self, key: int, pair: Pair | None) -> None:
        if self._index is not None and pair is not None:
            for number in self._blocks_of(pair):
                self._index.get(number, {}).pop(key, None)

    def _block_number(self, position: int) -> int:
        return -1 if position < 0 else bisect.bisect_right(self._block_starts(), position) - 1

    def _blocks_of(self, pair: Pair) -> set[int]:
        return {self._block_number(p) for p in pair} - {-1}

    def _blocks_of_all(self) -> set[int]:
        return {number for number, pairs in self._by_block().items() if pairs}

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

    # -- giving room
    def _wanted(self, numbers: set[int]) -> dict[int, dict[int, int]]:
        """The arcs ending on each line of these paragraphs: block -> line index -> count."""
        assert self._document is not None
        assert self._marks is not None
        to_utf16 = self._marks.to_utf16
        counts: dict[int, dict[int, int]] = {n: {} for n in numbers}

        def line_of(position: int) -> tuple[int, int] | None:
            number = self._block_number(position)
            if number not in counts:
                return None
            if number not in breaks:
                block = document.findBlockByNumber(number)
                self._lines[number] = lines_of(block)
                breaks[number] = (block.position(), [a for a, _ in self._lines[number]])
            base, starts = breaks[number]
            return number, bisect.bisect_right(starts, to_utf16(position) - base) - 1

        document = self._document
        breaks: dict[int, tuple[int, list[int]]] = {}

        index = self._by_block()
        pairs = {key: pair for n in numbers for key, pair in index.get(n, {}).items()}
        for pair in pairs.values():
            ends = {line_of(p) for p in pair if p >= 0} - {None}
            for number, line in ends:  # type: ignore[misc]
                on = counts[number]
                on[line] = on.get(line, 0) + 1
        return counts

    def _make_room(self, numbers: set[int]) -> None:
        """Gives the lines of these paragraphs the room their arcs need, or takes it back;
        one layout pass for all of them."""
        document = self._document
        if not numbers or document is None:
            return
        self._stale -= numbers
        self._lines = {}
        wanted = self._wanted(numbers) if self.shown else {n: {} for n in numbers}
        type_ = RaisedType(document.defaultFont())
        pitch = self._pitch()
        edit: QTextCursor | None = None
        restart = False
        for number, lines in wanted.items():
            block = document.findBlockByNumber(number)
            if not block.isValid():
                continue
            rooms = {line: room_for(n, pitch) for line, n in lines.items()}
            if 0 in rooms:  # an empty line before the paragraph gives some of it
                rooms[0] = max(0, rooms[0] - blank_above(block))
            raised: dict[int, tuple[int, int]] = {}
            breaks = self._lines.pop(number, None) or (lines_of(block) if rooms else [])
            for line in sorted(rooms):
                # A raised line reaches lower too (its large space's descent): the room the
                # next line needs is that much less.
                px = rooms[line] - type_.extra_descent(raised.get(line - 1, (0, 0))[1])
                char = space_on(block, breaks, line) if px > 0 else None
                if char is not None:
                    raised[line] = (char, px)
            if raised == self._raised.get(number, {}):
                continue
            if edit is None:
                restart = self._layout.before_change(self._view.verticalScrollBar().value() == 0)
                edit = QTextCursor(document)
                edit.beginEditBlock()
            for char, _ in self._raised.get(number, {}).values():
                set_format(document, char, QTextCharFormat())
            for char, px in raised.values():
                set_format(document, char, type_.space(px))
            if raised:
                self._raised[number] = raised
            else:
                self._raised.pop(number, None)
        if edit is not None:
            edit.endEditBlock()
            if restart:
                self._layout.after_change()
