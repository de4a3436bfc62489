"""The side docks at the window's default size: every label of the news schema shows in the
Labels dock, and the Attributes dock's text is never under its scroll bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QScrollArea, QTabBar, QWidget

from labeler.services.sample import SAMPLE_ANNOTATOR, seed_sample
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from labeler.ui.window_docks import save_layout


@pytest.fixture
def services(services: Services) -> Services:
    seed_sample(services.projects, services.importer)
    return services


@pytest.fixture
def annotator() -> str:
    return SAMPLE_ANNOTATOR  # the sample's spans are this annotator's


def test_every_label_of_the_news_schema_shows_at_the_default_size(window: MainWindow) -> None:
    assert (window.width(), window.height()) == (1400, 860)
    palette = window.editor.palette_widget
    scroll = palette.findChild(QScrollArea, "labelScroll")
    viewport = scroll.viewport()
    seen = QRect(QPoint(0, 0), viewport.size())
    for label in window.editor.schema.labels():
        button = palette.button(label.name)
        where = QRect(button.mapTo(viewport, QPoint(0, 0)), button.size())
        assert button.isVisible() and seen.contains(where), label.name  # no scrolling needed
        assert button.width() >= button.sizeHint().width(), label.name  # nothing elided
    assert scroll.verticalScrollBar().maximum() == 0


@pytest.mark.parametrize("label", ["CLAIM", "CUE", "SOURCE"])
def test_the_attributes_dock_shows_its_text_beside_the_scroll_bar(
    window: MainWindow, label: str
) -> None:
    session = window.editor.session
    assert session is not None
    span = next(s for s in session.annotations.spans.values() if s.label == label)
    window.text_view.select_span(span.id)
    area = window.attributes_dock.widget()
    assert isinstance(area, QScrollArea)
    content = area.widget()
    assert content.width() <= area.viewport().width()
    assert not area.horizontalScrollBar().isVisible()
    # The form's widgets end inside the viewport, left of a vertical scroll bar if one shows.
    for child in content.findChildren(QWidget):
        if child.isVisible():
            right = child.mapTo(area.viewport(), QPoint(child.width(), 0)).x()
            assert right <= area.viewport().width(), child.objectName()


def _tab_rows(window: MainWindow) -> list[list[str]]:
    """The dock tab bars the window shows (or will show), each as its tabs' titles."""
    return sorted(
        [bar.tabText(i) for i in range(bar.count())]
        for bar in window.findChildren(QTabBar)
        if bar.parent() is window and bar.isVisibleTo(window)
    )


def test_each_group_of_tabbed_docks_has_one_tab_row_on_a_first_start_and_after(
    qtbot, services: Services, settings
) -> None:
    rows = [["Documents", "Search"], ["Who said what", "Guidelines"]]
    for _ in range(2):  # the first start, then one that restores the layout it saved
        window = MainWindow(services, SAMPLE_ANNOTATOR, settings)
        qtbot.addWidget(window)
        assert _tab_rows(window) == rows  # no stray row in the bottom-left corner
        window.show()  # as the app shows it: no row left over once laid out
        qtbot.waitExposed(window)
        assert _tab_rows(window) == rows
        bottom = next(
            bar
            for bar in window.findChildren(QTabBar)
            if bar.isVisible() and bar.tabText(0) == "Who said what"
        )
        # under the text, not beside the Documents dock
        assert bottom.mapTo(window, QPoint(0, 0)).x() >= window.editor.x()
        save_layout(window, settings)
        window.close()
