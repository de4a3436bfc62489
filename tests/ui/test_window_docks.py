"""The side docks at the window's default size: every label of the news schema shows in the
Labels dock, and the Attributes dock's text is never under its scroll bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QScrollArea, QWidget

from labeler.services.sample import SAMPLE_ANNOTATOR, seed_sample
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow


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
