"""NewProjectDialog: a project made in the window, on a built-in schema or a TOML file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.services.projects import ProjectService
from labeler.services.resources import builtin_schemas
from labeler.ui.schema.schema_choosers import SchemaChoosers

_FROM_FILE = "From a TOML file…"


class NewProjectDialog(QDialog):
    """Asks a name and a schema; a name in use or a broken schema file is said in the dialog,
    which stays open to be put right."""

    created = Signal(object)  # the Project

    def __init__(
        self,
        projects: ProjectService,
        choosers: SchemaChoosers | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self._projects = projects
        self._choosers = choosers or SchemaChoosers()
        self._file: Path | None = None
        self.name = QLineEdit(self)
        self.name.setObjectName("project_name")
        self.name.setPlaceholderText("e.g. Port strike coverage")
        self.schema = QComboBox(self)
        self.schema.setObjectName("project_schema")
        self.schema.addItems([*builtin_schemas(), _FROM_FILE])
        self.schema.activated.connect(self._on_schema)
        self.problem = QLabel(self)
        self.problem.setObjectName("project_problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Name:", self.name)
        form.addRow("Schema:", self.schema)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.resize(460, self.sizeHint().height())

    def _on_schema(self, _index: int) -> None:
        if self.schema.currentIndex() != self.schema.count() - 1:
            return  # a built-in schema; the last item asks for a file every time
        path = self._choosers.open_file(self)
        if path is None:
            self.schema.setCurrentIndex(0)
            return
        self._file = path
        self.schema.setItemText(self.schema.count() - 1, str(path))

    def create(self) -> Project | None:
        """Makes the project; on a problem says it and stays open."""
        chosen = self.schema.currentText()
        schema = (
            str(self._file) if self.schema.currentIndex() == self.schema.count() - 1 else chosen
        )
        try:
            project = self._projects.create(self.name.text(), schema)
        except LabelerError as error:
            self.problem.setText(f"Not created: {error}")
            self.problem.show()
            return None
        self.created.emit(project)
        self.accept()
        return project
