"""SchemaConfirmDialog: before a schema change loses annotations, names each loss with its
counts and lets the lead carry a removed label's spans to a label of the new schema instead."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.errors import LabelerError
from labeler.domain.schema_draft import SchemaDraft
from labeler.domain.schema_impact import SchemaImpact

_REMOVE = "remove its spans"


class SchemaConfirmDialog(QDialog):
    """Lists what applying the draft loses; accepted means "apply and lose it".

    `recount` gives the impact of the draft as it is now: it is asked again whenever the lead
    carries a removed label to another one.
    """

    def __init__(
        self,
        draft: SchemaDraft,
        impact: SchemaImpact,
        recount: Callable[[], SchemaImpact],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("schemaConfirmDialog")
        self.setWindowTitle("Confirm the schema change")
        self._draft = draft
        self._recount = recount
        self.impact = impact

        intro = QLabel(
            "The new schema has no room for some stored annotations. A removed label's spans "
            "can go to a label of the new schema instead:",
            self,
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        self.carry_boxes: dict[str, QComboBox] = {}
        self._label_rows: dict[str, QLabel] = {}
        labels = [lab.name for lab in draft.schema.labels()]
        for row, orphan in enumerate(o for o in impact.orphans if o.label):
            text = QLabel(str(orphan), self)
            box = QComboBox(self)
            box.setObjectName(f"carry_{orphan.label}")
            box.addItem(_REMOVE, None)
            for name in labels:
                box.addItem(f"carry to {name}", name)
            box.currentIndexChanged.connect(
                lambda _i, old=orphan.label, b=box: self._carry(old, b.currentData())
            )
            grid.addWidget(text, row, 0)
            grid.addWidget(box, row, 1)
            self.carry_boxes[orphan.label] = box
            self._label_rows[orphan.label] = text
        self.others = QLabel(self)
        self.others.setObjectName("otherOrphans")
        self.others.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("orphanSummary")
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #c62828")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.others)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._show()

    def _carry(self, label: str, target: str | None) -> None:
        try:
            self._draft.map_label(label, target)
            self.impact = self._recount()
        except LabelerError as error:
            self.problem.setText(str(error))
            return
        self.problem.clear()
        self._show()

    def _show(self) -> None:
        by_label = {o.label: o for o in self.impact.orphans if o.label}
        for label, text in self._label_rows.items():
            target = self.carry_boxes[label].currentData()
            text.setText(
                str(by_label[label]) if label in by_label else f"{label}: carried to {target}"
            )
        self.others.setText("\n".join(str(o) for o in self.impact.orphans if not o.label))
        self.others.setVisible(bool(self.others.text()))
        loses = self.impact.orphans_anything
        self.summary.setText(f"In all: {self.impact.summary()}.")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Apply and lose them" if loses else "Apply")
        overlap = self.impact.overlap_problem()
        ok.setEnabled(not overlap)
        if overlap:
            self.problem.setText(f"Cannot apply: {overlap}.")

    def orphan_lines(self) -> list[str]:
        """What the dialog shows, line by line (for the window's message and for tests)."""
        return [label.text() for label in self._label_rows.values()] + [
            line for line in self.others.text().splitlines() if line
        ]
