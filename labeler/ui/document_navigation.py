"""Moving between the window's documents: next and previous in the list, done and skipped,
a place chosen in search or who said what; and the list's rows following edits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer

from labeler.domain.annotation import Status
from labeler.services.wording import plural

if TYPE_CHECKING:
    from labeler.ui.main_window import MainWindow


class DocumentNavigation:
    """A MainWindow's moves between documents (its go_to, finish, open_at… delegate here)."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        # The list's status and span count follow edits a moment later, not on every key.
        self._list_refresh = QTimer(window)
        self._list_refresh.setSingleShot(True)
        self._list_refresh.setInterval(400)
        self._list_refresh.timeout.connect(self.refresh_list_rows)
        self._stale_rows: set[int] = set()
        window.editor.model.changed.connect(self._on_annotations_changed)

    def show_document(self, document_id: int) -> None:
        """Opens a document, by its row in the list when it is listed."""
        window = self._window
        if document_id != window.workspace.document_id:
            row = window.documents.row_of(document_id)
            if row is not None:
                window.document_view.selectRow(row)
                window.document_view.scrollTo(window.documents.index(row, 0))
            if document_id != window.workspace.document_id:  # not in the filtered list
                window.open_document(document_id)

    def open_text_at(self, document_id: int, start: int, end: int) -> None:
        """Opens a document and selects [start, end) of its text, in code points (a search hit)."""
        window = self._window
        self.show_document(document_id)
        if window.workspace.document_id != document_id:
            return
        window.text_view.select_range(start, end)
        window.text_view.ensureCursorVisible()
        window.activateWindow()
        window.text_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def label_places(self, document_id: int, places: list[tuple[int, int]], label: str) -> None:
        """Opens a document and labels each of the places (a search's) as one undo step."""
        window = self._window
        self.show_document(document_id)
        if window.workspace.document_id != document_id:
            return
        done = window.editor.label_ranges(places, label)
        window.status.message(f"Labelled {plural(done, 'place')} {label} (one undo step)")

    def open_at(self, document_id: int, span_id: int) -> None:
        """Opens a document (by its row in the list when it is listed) and selects a span."""
        window = self._window
        self.show_document(document_id)
        session = window.editor.session
        if session is None or span_id not in session.annotations.spans:
            window.status.message("That span is not in your annotations of this document")
            return
        window.editor.view.select_span(span_id)
        window.activateWindow()
        window.text_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def go_to(self, step: int) -> bool:
        """Opens the document `step` rows away in the list; False at either end."""
        window = self._window
        document_id = window.workspace.document_id
        current = window.documents.row_of(document_id) if document_id else None
        row = (current if current is not None else -1) + step
        if not 0 <= row < window.documents.rowCount():
            window.status.message("No more documents in this list")
            return False
        window.statusBar().clearMessage()
        window.document_view.selectRow(row)
        window.document_view.scrollTo(window.documents.index(row, 0))
        return True

    def finish(self, status: Status) -> None:
        """Marks the open document done or skipped, then opens the next one."""
        window = self._window
        # The row to go on from is taken first: a status filter may drop this document.
        document_id = window.workspace.document_id
        current = window.documents.row_of(document_id) if document_id else None
        title = window.windowTitle().removesuffix(" — labeler")
        if not window.editor.set_status(status):
            return
        self.refresh_list_rows()  # the finished document's row shows its status at once
        if window.workspace.project is not None:
            window.fit_assignment(window.workspace.project)
        next_row = current if current is not None else 0
        if window.documents.row_of(window.workspace.document_id or -1) is not None:
            next_row += 1
        word = status.word
        if next_row >= window.documents.rowCount():
            window.documents.fetchMore()  # a list filtered by status grows as it goes
        if next_row < window.documents.rowCount():
            window.document_view.selectRow(next_row)
            window.status.message(f"Marked {word} and saved: {title}")
        else:
            window.status.message(f"Marked {word} and saved: {title}. That was the last document.")
        window.status.show_position()

    def _on_annotations_changed(self, _change: object) -> None:
        session = self._window.editor.session
        if session is not None and session.document.id is not None:
            self.row_changed(session.document.id)

    def row_changed(self, document_id: int) -> None:
        """Re-reads a document's row in the list a moment later (with others changed meanwhile)."""
        self._stale_rows.add(document_id)
        self._list_refresh.start()

    def stop(self) -> None:
        """No pending re-reads of the list's rows (the window is closing)."""
        self._list_refresh.stop()

    def refresh_list_rows(self) -> None:
        stale, self._stale_rows = self._stale_rows, set()
        for document_id in stale:
            self._window.documents.refresh_document(document_id)
