"""WindowWorkspace: the project, document and annotator the window is working on, announced.

Not to be confused with `labeler.services.workspace`, which builds the services for a database;
this is the window's current choice among what those services hold.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, SignalInstance

from labeler.domain.project import Project


class WindowWorkspace(QObject):
    """One place for what the window works on; what shows any of it follows the signals.

    Choosing another project first lets go of the open document (`document_changed(None)`),
    then announces the project. Setting what is already current announces nothing. Changes
    made by a listener while one is announced (the window opens the new project's document
    when it hears of the project) are announced after it, so every listener hears them all
    in the order they were made.
    """

    project_changed = Signal(object)  # Project, or None
    document_changed = Signal(object)  # the open document's id, or None
    annotator_changed = Signal(str)

    def __init__(self, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._document_id: int | None = None
        self._annotator = annotator
        self._to_announce: list[tuple[SignalInstance, object]] = []

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def project_name(self) -> str | None:
        return self._project.name if self._project is not None else None

    @property
    def document_id(self) -> int | None:
        return self._document_id

    @property
    def annotator(self) -> str:
        return self._annotator

    def set_project(self, project: Project | None) -> None:
        """Works on another project (None: none), with no document open in it yet.

        The same project read again (its schema edited, say) replaces the copy held without a
        signal: whoever read it again updates what depends on its schema.
        """
        if project is not None and project.name == self.project_name:
            self._project = project
            return
        if project is None and self._project is None:
            return
        self.set_document(None)
        self._project = project
        self._announce(self.project_changed, project)

    def set_document(self, document_id: int | None) -> None:
        """The document now open in the window (None: none)."""
        if document_id == self._document_id:
            return
        self._document_id = document_id
        self._announce(self.document_changed, document_id)

    def set_annotator(self, name: str) -> None:
        """Who annotates from now on; their own annotation sets are the ones edited."""
        if name == self._annotator:
            return
        self._annotator = name
        self._announce(self.annotator_changed, name)

    def _announce(self, signal: SignalInstance, value: object) -> None:
        self._to_announce.append((signal, value))
        if len(self._to_announce) > 1:
            return  # an announcement is under way: this one comes after it
        try:
            while self._to_announce:
                signal, value = self._to_announce[0]
                signal.emit(value)
                self._to_announce.pop(0)
        finally:
            self._to_announce.clear()
