"""CurationBar: the strip above the text in curation mode: whose lane is whose, the current
disagreement with each annotator's version, and the keys."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

KEYS = "] next · [ previous · = accept (then 1, 2… to choose) · - reject · Ctrl+Shift+G leave"


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
            self.current.setText("<i>No disagreement chosen: ] goes to the next one.</i>")
            return
        rows = "".join(
            f"<br>&nbsp;&nbsp;<b>{escape(who)}</b>: {escape(version)}" for who, version in versions
        )
        self.current.setText(f"{escape(what)}{rows}")
