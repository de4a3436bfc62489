"""The window's docks: documents and search on the left, labels, spans and attributes (with the
document's labels) on the right, who said what and the guidelines under the text; and the
layout saved between runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QScrollArea,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from labeler.services.workspace import Services
from labeler.ui.documents.document_filter_bar import DocumentFilterBar
from labeler.ui.documents.document_list_model import DocumentListModel
from labeler.ui.documents.document_table import document_table
from labeler.ui.documents.search_panel import SearchPanel
from labeler.ui.guidelines_panel import GuidelinesPanel
from labeler.ui.who_said_what.who_said_what_panel import WhoSaidWhatPanel

if TYPE_CHECKING:
    from labeler.ui.main_window import MainWindow


def dock(window: QMainWindow, title: str, name: str, widget: QWidget) -> QDockWidget:
    """A movable, closable, floatable dock holding `widget`."""
    made = QDockWidget(title, window)
    made.setObjectName(name)
    made.setWidget(widget)
    made.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    return made


def build_docks(window: MainWindow, services: Services) -> None:
    """Makes the window's document list and its docks (the window's attributes of the same
    names) around its editor, and places them."""
    window.documents = DocumentListModel(services.documents, window)
    window.documents.follow(window.workspace)
    window.filter_bar = DocumentFilterBar(window)
    window.document_view = document_table(window.documents, window)
    document_panel = QWidget(window)
    column = QVBoxLayout(document_panel)
    column.setContentsMargins(4, 4, 4, 4)
    column.addWidget(window.filter_bar)
    column.addWidget(window.document_view, 1)

    editor = window.editor
    # The side columns run the full height; who said what sits under the text only.
    window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    window.document_dock = dock(window, "Documents", "documents_dock", document_panel)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.document_dock)
    window.search_panel = SearchPanel(services.search, window)
    window.search_dock = dock(window, "Search", "search_dock", window.search_panel)
    _tabify(window, window.document_dock, window.search_dock)
    window.document_dock.raise_()
    window.labels_dock = dock(window, "Labels", "labels_dock", editor.palette_widget)
    window.spans_dock = dock(window, "Spans", "spans_dock", editor.span_panel)
    # In a scroll area: the attribute form changing size never relays out the whole window.
    # Under the span's attributes, the document's labels (its own header, a field each).
    attributes_panel = QWidget(window)
    stack = QVBoxLayout(attributes_panel)
    stack.setContentsMargins(0, 0, 0, 0)
    stack.setSpacing(0)
    stack.addWidget(editor.attribute_editor)
    stack.addWidget(editor.document_labels)
    stack.addStretch(1)
    attributes = QScrollArea(window)
    attributes.setWidgetResizable(True)
    attributes.setFrameShape(QScrollArea.Shape.NoFrame)
    attributes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    attributes.setWidget(attributes_panel)
    window.attributes_scroll = attributes
    window.attributes_dock = dock(window, "Attributes", "attributes_dock", attributes)
    for right in (window.labels_dock, window.spans_dock, window.attributes_dock):
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, right)
    window.who_said_what = WhoSaidWhatPanel(parent=window)
    window.who_said_what.follow(editor.model)
    window.who_said_what_dock = dock(
        window, "Who said what", "who_said_what_dock", window.who_said_what
    )
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.who_said_what_dock)
    window.guidelines = GuidelinesPanel(services.projects.set_guidelines, window)
    window.guidelines_dock = dock(window, "Guidelines", "guidelines_dock", window.guidelines)
    _tabify(window, window.who_said_what_dock, window.guidelines_dock)
    window.who_said_what_dock.raise_()


def _tabify(window: QMainWindow, first: QDockWidget, second: QDockWidget) -> None:
    """Puts `second` in a tab beside `first`.

    The layout is brought up to date first: in a window not shown yet, Qt (6.11) brings it up
    to date in the middle of making the new tab bar, makes a second one, and leaves one of
    the two on screen with nothing behind it (a stray "Who said what | Guidelines" row).
    """
    layout = window.layout()
    if layout is not None:
        layout.activate()
    window.tabifyDockWidget(first, second)


def _tab_bars(window: QMainWindow) -> list[QTabBar]:
    return [bar for bar in window.findChildren(QTabBar) if bar.parent() is window]


def size_docks(window: MainWindow) -> None:
    """The docks' first sizes (a layout saved from the last run replaces them)."""
    window.resizeDocks([window.document_dock], [340], Qt.Orientation.Horizontal)
    # Wide enough for the news schema's labels in two columns, so all of them show.
    window.resizeDocks([window.labels_dock], [310], Qt.Orientation.Horizontal)
    window.resizeDocks(
        [window.labels_dock, window.spans_dock, window.attributes_dock],
        [420, 160, 280],
        Qt.Orientation.Vertical,
    )
    window.resizeDocks([window.who_said_what_dock], [200], Qt.Orientation.Vertical)


def restore_layout(window: MainWindow, settings: QSettings) -> None:
    """The window's size, docks and type size as the last run left them."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    state = settings.value("window/state")
    if isinstance(state, QByteArray):
        # Restored before the window shows, the layout makes new tab bars and leaves the old
        # ones on screen (Qt 6.11): they are hidden here, as Qt hides the ones it lets go.
        before = _tab_bars(window)
        if window.restoreState(state):
            for bar in before:
                bar.hide()
    points = settings.value("editor/point_size")
    if points is not None:
        window.text_view.set_point_size(float(points))  # type: ignore[arg-type]


def save_layout(window: MainWindow, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.setValue("editor/point_size", window.text_view.point_size)
    settings.setValue("annotator", window.annotator)
    settings.sync()
