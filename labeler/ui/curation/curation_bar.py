"""CurationBar: the strip above the text in curation mode: whose lane is whose, the current
disagreement with each annotator's version, and the keys."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from labeler.domain.snippets import quoted
from labeler.quality.curation import Disagreement

KEYS = "] next · [ previous · = accept (then 1, 2… to choose) · - reject · Ctrl+Shift+G leave"


def describe(item: Disagreement) -> str:
    """A disagreement in a line: what it is and where."""
    layer, start, end, label = item.span
    if item.kind == "relation" and item.relation is not None:
        type_, head, tail = item.relation
        return (
            f"Relation {head[3]} {quoted(item.text, 30)} →{type_}→ {tail[3]} [{tail[1]}, {tail[2]})"
        )
    if item.kind == "attribute":
        return f"Attribute {item.attribute} of {label} {quoted(item.text, 40)} [{start}, {end})"
    return f"Span {label} {quoted(item.text, 40)} [{start}, {end}) ({layer})"


class CurationBar(QFrame):
    """Shown while a curated set is open; says what the lanes and keys are."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curation_bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(2)
        self.legend = QLabel(self)
        self.legend.setObjectName("curation_legend")
        self.current = QLabel(self)
        self.current.setObjectName("curation_current")
        self.current.setWordWrap(True)
        self.current.setTextFormat(Qt.TextFormat.RichText)
        self.keys = QLabel(KEYS, self)
        self.keys.setEnabled(False)  # drawn greyed: a reminder, not news
        for label in (self.legend, self.current, self.keys):
            layout.addWidget(label)
        self.hide()

    def show_legend(self, curator: str, names: list[str], open_items: int, total: int) -> None:
        lanes = "  ".join(f"{n + 1} {name}" for n, name in enumerate(names))
        self.legend.setText(
            f"Curating as {curator} · lanes under each line: {lanes} · "
            f"{open_items} of {total} disagreements open"
        )

    def show_current(self, what: str, versions: list[tuple[str, str]]) -> None:
        """`what` the current disagreement is; `versions`: (annotators, their version)."""
        if not what:
            shown = "<i>No disagreement chosen: ] goes to the next one.</i>"
        else:
            rows = "".join(
                f"<br>&nbsp;&nbsp;<b>{escape(who)}</b>: {escape(version)}"
                for who, version in versions
            )
            shown = f"{escape(what)}{rows}"
        if shown != self.current.text():  # a new text lays the strip out again
            self.current.setText(shown)
