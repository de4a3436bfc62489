"""The lines of a text block, and the raised spaces that make a line taller from inside
(arc_room.py): a space set in a larger type, its advance trimmed back by word spacing."""

from __future__ import annotations

from array import array

from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
)


def blank_above(block: QTextBlock) -> int:
    """The height of an empty line just before `block` (0 if there is none)."""
    previous = block.previous()
    if not previous.isValid() or previous.length() > 1:
        return 0
    layout = block.document().documentLayout()
    return int(layout.blockBoundingRect(previous).height())


def lines_of(block: QTextBlock) -> list[tuple[int, int]]:
    """Where each line of `block` starts and ends, in UTF-16 units from the block's start.

    From Qt's layout of the block; Qt lays out only what comes near the screen, so for a
    block it has not laid out yet, from a layout made here as Qt will make it (the same
    text, type, width and wrapping)."""
    layout = block.layout()
    if layout.lineCount() == 0:
        document = block.document()
        layout = QTextLayout(block.text(), document.defaultFont())
        layout.setTextOption(document.defaultTextOption())
        width = document.textWidth() - 2 * document.documentMargin()
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(max(width, 1.0))
        layout.endLayout()
    lines = (layout.lineAt(i) for i in range(layout.lineCount()))
    return [(line.textStart(), line.textStart() + line.textLength()) for line in lines]


def space_on(block: QTextBlock, lines: list[tuple[int, int]], line_number: int) -> int | None:
    """The document position of the last space inside a line of `block` (not the one it
    breaks at), or None (a line of one long word). `lines`: the block's (lines_of)."""
    if not 0 <= line_number < len(lines):
        return None
    start, end = lines[line_number]
    text = block.text()
    if not text.isascii():  # Qt counts UTF-16 units: one character here for each
        text = "".join(map(chr, array("H", text.encode("utf-16"))[1:]))  # after the BOM
    at = text[:end].rstrip(" ").rfind(" ", start)  # a line's trailing space sets no height
    return None if at < 0 else block.position() + at


def set_format(document: QTextDocument, position: int, fmt: QTextCharFormat) -> None:
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
    cursor.setCharFormat(fmt)


class RaisedType:
    """The formats of raised spaces in one type, each size made once."""

    def __init__(self, font: QFont) -> None:
        self._font = font
        self._spaces: dict[int, QTextCharFormat] = {}
        self._descents: dict[int, int] = {}

    def space(self, px: int) -> QTextCharFormat:
        if px not in self._spaces:
            self._spaces[px] = _raised_space(self._font, px)
        return self._spaces[px]

    def extra_descent(self, px: int) -> int:
        """How much lower than the text a line raised by `px` reaches (whole px, down)."""
        if px <= 0:
            return 0
        if px not in self._descents:
            big = QFont(self._font)
            big.setPointSizeF(self.space(px).fontPointSize())
            lower = QFontMetricsF(big).descent() - QFontMetricsF(self._font).descent()
            self._descents[px] = int(lower)
        return self._descents[px]


def _raised_space(font: QFont, px: int) -> QTextCharFormat:
    """A space's format that makes its line `px` taller above the text, and no wider."""
    metrics = QFontMetricsF(font)
    ascent = metrics.ascent()
    big = QFont(font)
    points = font.pointSizeF() * (ascent + px) / ascent
    big.setPointSizeF(points)
    while QFontMetricsF(big).ascent() < ascent + px - 0.5:  # rounding in the font's metrics
        points += 0.25
        big.setPointSizeF(points)
    fmt = QTextCharFormat()
    fmt.setFontPointSize(points)
    advance = QFontMetricsF(big).horizontalAdvance(" ") - metrics.horizontalAdvance(" ")
    fmt.setFontWordSpacing(-advance)
    return fmt
