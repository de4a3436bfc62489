"""HelpOverlay: a dimmed layer over the window with a card listing the keyboard shortcuts."""

from __future__ import annotations

import contextlib
import re

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

TITLE = "Keyboard shortcuts"
FOOTER = "Esc, F1 or a click closes this."
_BACKDROP = QColor(0, 0, 0, 150)
_MARGIN = 24
# Up to this many lines (headers and shortcuts) go in one column; more are split in two.
_ONE_COLUMN_LINES = 16
_CLOSE_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_F1)
_KEY_STYLE = (
    "QLabel#helpKey { border: 1px solid palette(mid); border-radius: 3px;"
    " padding: 0px 5px; background: palette(base); color: palette(text); }"
)

Row = tuple[str, str]
Section = tuple[str, list[Row]]


def action_text(action: QAction) -> str:
    """An action's text without "&" mnemonics ("&&" stays a literal "&") or a trailing "..."."""
    text = re.sub(r"&(.)", r"\1", action.text().split("\t")[0])
    return text.removesuffix("...").removesuffix("\u2026")


def shortcut_text(action: QAction) -> str:
    """An action's shortcuts in the platform's words ("p" for a plain letter), or "" if none.

    An action without shortcuts may carry the keys as text in its data: keys that a widget
    handles itself, listed here for help only.
    """
    native = QKeySequence.SequenceFormat.NativeText
    keys = [s.toString(native) for s in action.shortcuts() if not s.isEmpty()]
    if not keys:
        data = action.data()
        return data if isinstance(data, str) else ""
    return ", ".join(k.lower() if len(k) == 1 else k for k in keys)


def split_columns(sections: list[Section]) -> list[list[Section]]:
    """Sections in one column, or in two of about equal height when there are many lines.

    A section is split between the columns (repeating its title) only when that balances
    the columns clearly better than splitting between sections.
    """
    lines = sum(1 + len(rows) for _, rows in sections)
    if lines <= _ONE_COLUMN_LINES:
        return [sections]
    best: tuple[int, int, int, int] | None = None  # (height, mid-section, section, row)
    left = 0
    for i, (_, rows) in enumerate(sections):
        for j in range(len(rows) + 1):
            if j == len(rows) and i < len(sections) - 1:
                continue  # the end of one section is the start of the next
            mid = 0 < j < len(rows)
            here = left + (1 + j if j else 0)
            height = max(here, lines - here + (1 if mid else 0))
            candidate = (height + 2 * mid, int(mid), i, j)
            if best is None or candidate < best:
                best = candidate
        left += 1 + len(rows)
    assert best is not None
    _, _, i, j = best
    if j == 0:
        return [sections[:i], sections[i:]]
    title, rows = sections[i]
    first = [*sections[:i], (title, rows[:j])]
    second = [(f"{title} (continued)", rows[j:]), *sections[i + 1 :]]
    return [first, second]


class _Card(QFrame):
    """The rounded panel in the middle, painted in the window colour."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.setBrush(self.palette().color(QPalette.ColorRole.Window))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)


class HelpOverlay(QWidget):
    """Covers its parent with a dimmed backdrop and a card of shortcuts; hidden until toggled.

    While it shows, it takes the keyboard: Esc or F1 closes it and no other shortcut fires.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(_KEY_STYLE)
        self._return_focus: QWidget | None = None
        self._tips: dict[str, str] = {}

        self._card = _Card(self)
        self._card.setObjectName("helpCard")
        title = QLabel(TITLE)
        title.setObjectName("helpTitle")
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        self._columns = QWidget()
        self._columns.setObjectName("helpColumns")
        self._columns_layout = QHBoxLayout(self._columns)
        self._columns_layout.setContentsMargins(0, 0, 0, 0)
        self._columns_layout.setSpacing(32)
        footer = QLabel(FOOTER)
        footer.setObjectName("helpFooter")
        footer.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        card_layout = QVBoxLayout(self._card)
        card_layout.setContentsMargins(24, 18, 24, 16)
        card_layout.setSpacing(12)
        card_layout.addWidget(title)
        card_layout.addWidget(self._columns)
        card_layout.addWidget(footer, 0, Qt.AlignmentFlag.AlignRight)

        parent.installEventFilter(self)
        self.setGeometry(parent.rect())
        self.hide()

    # -- API
    def set_sections(self, sections: list[tuple[str, list[QAction]]]) -> None:
        """Lists the actions that have a shortcut, by section; empty sections are left out."""
        shown: list[Section] = []
        # What an action says on hover (a label's description from the schema), by its text.
        self._tips = {action_text(a): a.statusTip() for _, acts in sections for a in acts}
        for title, actions in sections:
            rows = [(action_text(a), shortcut_text(a)) for a in actions]
            rows = [row for row in rows if row[1]]
            if rows:
                shown.append((title, rows))
        while self._columns_layout.count():
            item = self._columns_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # gone from view at once: deleteLater waits for the event loop
                widget.setParent(None)
                widget.deleteLater()
        for column in split_columns(shown):
            self._columns_layout.addWidget(
                self._column_widget(column), 0, Qt.AlignmentFlag.AlignTop
            )
        self._place_card()

    def toggle(self) -> None:
        """Shows the overlay if it is hidden, hides it if it shows."""
        self.setVisible(not self.isVisible())

    # -- events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            # Keys reach keyPressEvent rather than the window's shortcuts behind the overlay.
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _CLOSE_KEYS:
            self.hide()
            event.accept()
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), _BACKDROP)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_card()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focus = QApplication.focusWidget()
        self._return_focus = focus if focus is not None and focus is not self else None
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self._place_card()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        widget, self._return_focus = self._return_focus, None
        if widget is not None:
            # RuntimeError: the widget was deleted while the overlay showed.
            with contextlib.suppress(RuntimeError):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- helpers
    def _column_widget(self, sections: list[Section]) -> QWidget:
        column = QWidget()
        grid = QGridLayout(column)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        row = 0
        for title, rows in sections:
            header = QLabel(title)
            header.setObjectName("helpSection")
            font = QFont(header.font())
            font.setBold(True)
            header.setFont(font)
            if row:
                grid.setRowMinimumHeight(row, 6)
                row += 1
            grid.addWidget(header, row, 0, 1, 2)
            row += 1
            for text, keys in rows:
                name = QLabel(text)
                name.setObjectName("helpText")
                name.setToolTip(self._tips.get(text, ""))
                key = QLabel(keys)
                key.setObjectName("helpKey")
                grid.addWidget(name, row, 0)
                grid.addWidget(key, row, 1, Qt.AlignmentFlag.AlignLeft)
                row += 1
        grid.setColumnStretch(0, 1)
        return column

    def _place_card(self) -> None:
        hint = self._card.sizeHint()
        width = min(hint.width(), max(0, self.width() - 2 * _MARGIN))
        height = min(hint.height(), max(0, self.height() - 2 * _MARGIN))
        self._card.setGeometry(
            (self.width() - width) // 2, (self.height() - height) // 2, width, height
        )
