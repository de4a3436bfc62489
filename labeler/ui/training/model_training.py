"""ModelTraining: the project's model trained in a process of its own, with progress and cancel.

The process is `python -m labeler train ...` (TrainingService.command): spaCy's training holds
the interpreter for minutes, so it never shares one with the window. Its "iteration i/n" lines
are the progress; a cancelled process is killed, and since a version is recorded only at its
very end, nothing of it is kept.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

from labeler.assist.training import TrainingSettings
from labeler.domain.project import Project
from labeler.services.training import TrainingService

_ITERATION = re.compile(r"^iteration (\d+)/(\d+)")


class ModelTraining(QObject):
    """Runs one training at a time; `finished` says how it ended in one line."""

    started = Signal(str)  # the project's name
    progressed = Signal(int, int)  # iterations done, iterations in all
    finished = Signal(bool, str)  # whether a new version was kept, and a line about it

    def __init__(
        self,
        service: TrainingService,
        parent: QObject | None = None,
        settings: TrainingSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self.settings = settings or TrainingSettings()
        self._process: QProcess | None = None
        self._project: Project | None = None
        self._cancelled = False
        self._last_line = ""
        self._errors = ""

    def is_running(self) -> bool:
        return self._process is not None

    @property
    def project(self) -> Project | None:
        """The project being trained, while a training runs."""
        return self._project if self._process is not None else None

    def start(self, project: Project) -> bool:
        """Starts training the project's model; False if a training runs already."""
        if self._process is not None:
            return False
        args, extra = self._service.command(project, self.settings)
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        for key, value in extra.items():
            environment.insert(key, value)
        process.setProcessEnvironment(environment)
        process.readyReadStandardOutput.connect(self._read)
        process.readyReadStandardError.connect(self._read_errors)
        process.finished.connect(self._done)
        self._process, self._project = process, project
        self._cancelled, self._last_line, self._errors = False, "", ""
        process.start(args[0], args[1:])
        self.started.emit(project.name)
        return True

    def cancel(self) -> None:
        """Stops the training; it ends with `finished(False, ...)`."""
        if self._process is not None:
            self._cancelled = True
            self._process.kill()

    def wait(self, msecs: int = 5000) -> bool:
        """Blocks until the process ends (closing the window cancels first)."""
        return self._process is None or self._process.waitForFinished(msecs)

    def _read(self) -> None:
        if self._process is None:
            return
        while self._process.canReadLine():
            line = bytes(self._process.readLine().data()).decode("utf-8", "replace").strip()
            found = _ITERATION.match(line)
            if found:
                self.progressed.emit(int(found.group(1)), int(found.group(2)))
            elif line:
                self._last_line = line

    def _read_errors(self) -> None:
        if self._process is not None:
            self._errors += bytes(self._process.readAllStandardError().data()).decode(
                "utf-8", "replace"
            )

    def _done(self, code: int, status: QProcess.ExitStatus) -> None:
        process, project = self._process, self._project
        if process is None:
            return
        self._read()
        self._read_errors()
        self._process = None
        process.deleteLater()
        name = project.name if project is not None else ""
        if self._cancelled:
            self.finished.emit(False, f"Training of {name}'s model cancelled: nothing kept")
        elif status == QProcess.ExitStatus.NormalExit and code == 0:
            latest = self._service.latest(project) if project is not None else None
            figures = latest.figures() if latest is not None else ""
            self.finished.emit(True, f"{name}'s model trained: {figures}")
        else:
            why = self._errors.strip().splitlines()[-1:] or [f"exit code {code}"]
            self.finished.emit(False, f"Training of {name}'s model failed: {why[0]}")
