"""CopyOffer: a strip above the text offering to start from another annotator's annotations."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from labeler.domain.annotation import AnnotationSet
from labeler.services.wording import plural


class CopyOffer(QFrame):
    """Shown while the annotator's own set is empty and someone else's is not."""

    chosen = Signal(object)  # the AnnotationSet to copy

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("copy_offer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(12, 6, 12, 6)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self._layout.addWidget(self.text, 1)
        self.buttons: list[QPushButton] = []
        self.hide()

    def offer(self, sets: Sequence[AnnotationSet]) -> None:
        """Offers these sets (the ones with spans, most spans first); none hides the strip."""
        for button in self.buttons:
            button.hide()
            button.deleteLater()
        self.buttons = []
        useful = sorted((s for s in sets if s.spans), key=lambda s: -len(s.spans))[:3]
        if not useful:
            self.hide()
            return
        names = ", ".join(f"{s.annotator} ({plural(len(s.spans), 'span')})" for s in useful)
        self.text.setText(f"Already annotated by {names}. You can start from a copy:")
        for s in useful:
            button = QPushButton(f"Start from {s.annotator}'s spans", self)
            button.setObjectName(f"copy_from_{s.annotator}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the text
            button.clicked.connect(lambda _checked=False, chosen=s: self.chosen.emit(chosen))
            self._layout.addWidget(button)
            self.buttons.append(button)
        self.show()
