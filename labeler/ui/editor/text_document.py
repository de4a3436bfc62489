"""The text document a view shows; how far its first screen reaches, from the font's measures."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextBlockFormat, QTextCursor, QTextDocument

MEASURED = 2_000  # characters measured at a time to bound what the first screen shows


def new_document(
    parent: QObject, text: str, font: QFont, margin: int, line_distance: float
) -> QTextDocument:
    """A document of `text` with room under every line for the bar lanes."""
    document = QTextDocument(parent)
    document.setUndoRedoEnabled(False)
    document.setDocumentMargin(margin)
    document.setDefaultFont(font)
    # News in a left-to-right language: a paragraph that opens with an Arabic or Hebrew
    # name stays left to right (its right-to-left runs still read right to left).
    option = document.defaultTextOption()
    option.setTextDirection(Qt.LayoutDirection.LeftToRight)
    document.setDefaultTextOption(option)
    root = document.rootFrame().frameFormat()
    # The last line's bars stay in view.
    root.setBottomMargin(margin + 2 * line_distance)
    document.rootFrame().setFrameFormat(root)
    cursor = QTextCursor(document)
    block = QTextBlockFormat()
    # Room under every line for the bar lanes; new blocks inherit the format as text goes in.
    block.setLineHeight(line_distance, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
    cursor.setBlockFormat(block)
    cursor.insertText(text)
    return document


def screen_end(text: str, size: QSize, font: QFont, margin: int) -> int:
    """Where the paragraphs on a viewport of `size` end at most, in code points, when it
    shows the start of `text`.

    Counted from the font's measures, paragraph by paragraph: each takes at least as many
    lines as its width fills, and at least one. (Asking Qt's layout would lay out more.)
    """
    metrics = QFontMetricsF(font)
    width = max(size.width() - 2 * margin, 1.0)
    lines_left = size.height() / metrics.height() + 1
    position = 0
    while position < len(text) and lines_left > 0:
        stop = text.find("\n", position, position + MEASURED)
        stop = stop + 1 if stop >= 0 else min(len(text), position + MEASURED)
        lines_left -= max(1, metrics.horizontalAdvance(text[position:stop]) // width)
        position = stop
    if 0 < position < len(text) and text[position - 1] != "\n":  # the whole paragraph
        stop = text.find("\n", position)
        position = stop + 1 if stop >= 0 else len(text)
    return position
