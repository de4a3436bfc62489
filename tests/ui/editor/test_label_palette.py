"""LabelPalette: buttons and hotkeys choose labels; layer check boxes show and hide layers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QScrollArea, QWidget

from labeler.domain.schema import LabelSchema
from labeler.ui.editor.label_palette import LabelPalette


@pytest.fixture
def palette(qtbot, schema: LabelSchema) -> LabelPalette:
    widget = LabelPalette(schema)
    qtbot.addWidget(widget)
    widget.resize(260, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def text_view(qtbot, palette: LabelPalette) -> QWidget:
    """A stand-in for the editor's text view: the label actions added with a widget context."""
    view = QWidget()
    view.setObjectName("textViewStandIn")
    view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    for action in palette.actions_by_label().values():
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        view.addAction(action)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    return view


def test_clicking_a_button_chooses_its_label(qtbot, palette: LabelPalette) -> None:
    button = palette.button("PERSON")
    with qtbot.waitSignal(palette.label_chosen) as chosen:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert chosen.args == ["PERSON"]

    scroll = palette.findChild(QScrollArea, "labelScroll")
    scroll.ensureWidgetVisible(palette.button("CONTENT"))
    with qtbot.waitSignal(palette.label_chosen) as chosen:
        qtbot.mouseClick(palette.button("CONTENT"), Qt.MouseButton.LeftButton)
    assert chosen.args == ["CONTENT"]


def test_a_button_click_triggers_the_labels_action(qtbot, palette: LabelPalette) -> None:
    action = palette.actions_by_label()["CLAIM"]
    with qtbot.waitSignal(action.triggered):
        qtbot.mouseClick(palette.button("CLAIM"), Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    ("key", "modifier", "label"),
    [
        (Qt.Key.Key_P, Qt.KeyboardModifier.NoModifier, "PERSON"),
        (Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier, "PRODUCT"),
        (Qt.Key.Key_4, Qt.KeyboardModifier.NoModifier, "PERCENT"),
        (Qt.Key.Key_C, Qt.KeyboardModifier.NoModifier, "CLAIM"),
        (Qt.Key.Key_V, Qt.KeyboardModifier.NoModifier, "CUE"),
    ],
)
def test_a_hotkey_on_the_text_view_chooses_the_label(
    qtbot, palette: LabelPalette, text_view: QWidget, key, modifier, label
) -> None:
    with qtbot.waitSignal(palette.label_chosen) as chosen:
        qtbot.keyClick(text_view, key, modifier)
    assert chosen.args == [label]


def test_hotkeys_do_not_fire_where_the_actions_were_not_added(
    qtbot, palette: LabelPalette, text_view: QWidget
) -> None:
    other = QWidget()
    other.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    with qtbot.assertNotEmitted(palette.label_chosen, wait=50):
        qtbot.keyClick(other, Qt.Key.Key_P)
    palette.activateWindow()
    palette.button("PERSON").setFocus()
    qtbot.waitUntil(palette.button("PERSON").hasFocus)
    with qtbot.assertNotEmitted(palette.label_chosen, wait=50):
        qtbot.keyClick(palette.button("PERSON"), Qt.Key.Key_O)


def test_every_label_has_an_action_with_its_hotkey(palette: LabelPalette, schema) -> None:
    actions = palette.actions_by_label()
    assert list(actions) == [label.name for label in schema.labels()]
    for label in schema.labels():
        action = actions[label.name]
        assert action.text() == label.name
        assert action.shortcut() == QKeySequence(label.hotkey)
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut
        assert not action.icon().isNull()
        assert label.description in action.toolTip()
    assert palette.actions() == []  # never live on the palette itself


def test_buttons_show_name_and_hotkey(palette: LabelPalette) -> None:
    assert palette.button("PERSON").text() == "PERSON"
    assert palette.button("PERSON").hotkey == "p"
    assert palette.button("PRODUCT").hotkey == "Shift+P"
    assert "People" in palette.button("PERSON").toolTip()


def test_unchecking_a_layer_reports_it(qtbot, palette: LabelPalette) -> None:
    box = palette.layer_toggle("claim")
    assert box is palette.findChild(QCheckBox, "layerToggle_claim")
    assert box.isChecked()
    assert palette.visible_layers() == {"entity", "claim", "attribution"}
    palette.findChild(QScrollArea, "labelScroll").ensureWidgetVisible(box)
    with qtbot.waitSignal(palette.layer_toggled) as toggled:
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert toggled.args == ["claim", False]
    assert palette.visible_layers() == {"entity", "attribution"}
    box.setFocus()
    with qtbot.waitSignal(palette.layer_toggled) as toggled:
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert toggled.args == ["claim", True]


def test_set_layer_visible_updates_the_box_without_a_signal(qtbot, palette) -> None:
    with qtbot.assertNotEmitted(palette.layer_toggled):
        palette.set_layer_visible("attribution", False)
    assert not palette.findChild(QCheckBox, "layerToggle_attribution").isChecked()
    assert palette.visible_layers() == {"entity", "claim"}
    with qtbot.assertNotEmitted(palette.layer_toggled):
        palette.set_layer_visible("attribution", True)
    assert "attribution" in palette.visible_layers()


def test_fits_a_narrow_dock_with_a_scroll_bar(qtbot, palette: LabelPalette) -> None:
    scroll = palette.findChild(QScrollArea, "labelScroll")
    assert scroll.verticalScrollBar().isVisible()
    assert not scroll.horizontalScrollBar().isVisible()
    viewport = scroll.viewport().width()
    for name in ("PERSON", "WORK_OF_ART", "LANGUAGE", "PRODUCT"):
        button = palette.button(name)
        assert button.width() >= button.sizeHint().width(), name  # nothing elided
        assert button.mapTo(scroll.widget(), button.rect().topRight()).x() <= viewport


def test_a_wide_dock_lays_labels_out_in_columns(qtbot, palette: LabelPalette) -> None:
    one = palette.button("PERSON").geometry()
    assert palette.button("NORP").geometry().top() > one.top()
    palette.resize(420, 400)
    qtbot.waitUntil(
        lambda: palette.button("NORP").geometry().top() == palette.button("PERSON").geometry().top()
    )
    assert palette.button("NORP").geometry().left() > palette.button("PERSON").geometry().right()
