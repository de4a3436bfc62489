"""NewProjectDialog: a project made in the window, on a built-in schema, a TOML file, or a
schema made from the data or its tool's configuration (brat, Label Studio, doccano, CoNLL)."""

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
_FROM_DATA = "From the data or its configuration…"


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
        self._source: Path | None = None
        self.name = QLineEdit(self)
        self.name.setObjectName("project_name")
        self.name.setPlaceholderText("e.g. Port strike coverage")
        self.schema = QComboBox(self)
        self.schema.setObjectName("project_schema")
        self.schema.addItems([*builtin_schemas(), _FROM_DATA, _FROM_FILE])
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
        index = self.schema.currentIndex()
        if index < self.schema.count() - 2:
            return  # a built-in schema; the last two items ask for a file every time
        from_data = index == self.schema.count() - 2
        ask = self._choosers.schema_source if from_data else self._choosers.open_file
        path = ask(self)
        if path is None:
            self.schema.setCurrentIndex(0)
            return
        if from_data:
            self._source = path
        else:
            self._file = path
        self.schema.setItemText(index, str(path))

    def create(self) -> Project | None:
        """Makes the project; on a problem says it and stays open."""
        chosen = self.schema.currentText()
        index = self.schema.currentIndex()
        schema = str(self._file) if index == self.schema.count() - 1 else chosen
        try:
            if index == self.schema.count() - 2 and self._source is not None:
                project = self._projects.create_from(self.name.text(), self._source)
            else:
                project = self._projects.create(self.name.text(), schema)
        except LabelerError as error:
            self.problem.setText(f"Not created: {error}")
            self.problem.show()
            return None
        self.created.emit(project)
        self.accept()
        return project
