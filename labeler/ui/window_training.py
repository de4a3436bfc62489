"""The window's model trained in the loop: its panel in the status bar, the Project menu's
Train model and Model settings, training after every N finished documents, and the document
list's confidence order (active learning)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from labeler.domain.annotation import Status
from labeler.domain.project import Project
from labeler.services.workspace import Services
from labeler.ui.documents.confidence_order import ConfidenceOrder
from labeler.ui.training.model_panel import ModelPanel, WindowModel
from labeler.ui.training.model_settings_dialog import ModelSettingsDialog

if TYPE_CHECKING:
    from labeler.ui.main_window import MainWindow


class WindowTraining:
    """What a MainWindow does with the project's model; built with its docks and status bar."""

    def __init__(self, window: MainWindow, services: Services) -> None:
        self._window = window
        self._service = services.training
        self.panel = ModelPanel(window)
        self.panel.may_train = services.team.identity().may_lead
        self.panel.show_training(False)
        window.statusBar().addPermanentWidget(self.panel)
        self.model = WindowModel(services.training, self.panel, window)
        self.order = ConfidenceOrder(
            services.training,
            window.workspace,
            window.documents,
            window.document_view,
            window.filter_bar.confidence_box,
            window,
        )
        self.settings_dialog: ModelSettingsDialog | None = None
        self.model.set_project(window.workspace.project)
        window.workspace.project_changed.connect(self.model.set_project)
        self.model.model_changed.connect(self._take_new_model)
        self.model.message.connect(window.status.message)
        self.order.message.connect(window.status.message)
        window.editor.model.status_changed.connect(self._on_status)

    def train(self) -> bool:
        return self.model.train()

    def show_settings(self) -> ModelSettingsDialog | None:
        """The lead's settings for the open project's model (modal; kept for tests)."""
        project = self._window.workspace.project
        if project is None:
            return None
        dialog = ModelSettingsDialog(project.name, self._service.policy(project), self._window)
        self.settings_dialog = dialog
        dialog.finished.connect(lambda result: self._settings_done(dialog, project, result))
        dialog.open()
        return dialog

    def _settings_done(self, dialog: ModelSettingsDialog, project: Project, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            return
        self._service.set_policy(project, dialog.policy())
        self.model.show_model()
        self._window.suggestions.set_project(self._window.workspace.project)

    def _take_new_model(self) -> None:
        """A new version: the editor's recommenders are made afresh for the next document,
        and the confidence order (when on) is worked out again."""
        self._window.suggestions.set_project(self._window.workspace.project)
        self.order.refresh()

    def _on_status(self, status: Status) -> None:
        if status is Status.DONE:
            self.model.after_finished_document()

    def stop(self) -> None:
        """The window closes: a training that runs is cancelled."""
        self.model.close()
