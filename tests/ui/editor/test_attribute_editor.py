"""AttributeEditor: shows a span's attribute values and reports only the annotator's changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from labeler.domain.annotation import Span
from labeler.ui.editor.attribute_editor import NO_SPAN_HINT, UNSET, AttributeEditor

CLAIM_TEXT = "North Korea has sent at least 11,000 soldiers to Russia, officials said"


@pytest.fixture
def editor(qtbot) -> AttributeEditor:
    widget = AttributeEditor()
    qtbot.addWidget(widget)
    widget.resize(260, 240)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _claim(**attributes: str) -> Span:
    return Span(35, 35 + len(CLAIM_TEXT), "CLAIM", "claim", CLAIM_TEXT, dict(attributes), 7)


def _hint(editor: AttributeEditor) -> QLabel:
    return editor.findChild(QLabel, "attributeHint")


def _header(editor: AttributeEditor) -> QLabel:
    return editor.findChild(QLabel, "attributeHeader")


def test_without_a_span_it_says_what_to_do(editor: AttributeEditor) -> None:
    assert _hint(editor).isVisible()
    assert _hint(editor).text() == NO_SPAN_HINT
    assert editor.findChildren(QComboBox) == []
    assert not _header(editor).isVisible()
    assert editor.span_id() is None


def test_a_label_without_attributes_says_so(editor: AttributeEditor, schema) -> None:
    editor.show_span(schema, Span(0, 11, "PERSON", "entity", "Moon Jae-in", {}, 3))
    assert _hint(editor).isVisible()
    assert _hint(editor).text() == "PERSON has no attributes."
    assert _header(editor).text() == "PERSON · “Moon Jae-in”"
    assert editor.findChildren(QComboBox) == []


def test_a_claim_shows_one_combo_per_attribute(qtbot, editor: AttributeEditor, schema) -> None:
    with qtbot.assertNotEmitted(editor.attribute_changed):
        editor.show_span(schema, _claim(checkworthy="yes", claim_type="quantity"))
    assert not _hint(editor).isVisible()
    header = _header(editor).text()
    assert header.startswith("CLAIM · “North Korea has sent")
    assert header.endswith("…”")
    for attribute in schema.attributes_for("CLAIM"):
        combo = editor.combo(attribute.name)
        assert combo.isVisible()
        items = [combo.itemText(i) for i in range(combo.count())]
        assert items == [UNSET, *attribute.values]
    assert editor.combo("checkworthy").currentText() == "yes"
    assert editor.combo("claim_type").currentText() == "quantity"
    assert editor.combo("verification").currentText() == UNSET


def test_choosing_with_the_keyboard_reports_the_change(qtbot, editor, schema) -> None:
    editor.show_span(schema, _claim(checkworthy="yes"))
    combo = editor.combo("checkworthy")
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    with qtbot.waitSignal(editor.attribute_changed) as changed:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert changed.args == [7, "checkworthy", "no"]
    with qtbot.waitSignal(editor.attribute_changed) as changed:
        qtbot.keyClick(combo, Qt.Key.Key_Home)
    assert changed.args == [7, "checkworthy", None]


# The offscreen platform cannot raise the popup or grab the keyboard for it, and says so.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_choosing_with_the_mouse_reports_the_change(qtbot, editor, schema) -> None:
    editor.show_span(schema, _claim())
    combo = editor.combo("verification")
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    # The popup ignores a release that comes within a double-click interval of opening it.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    row = combo.findText("disputed")
    rect = view.visualRect(view.model().index(row, 0))
    with qtbot.waitSignal(editor.attribute_changed) as changed:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert changed.args == [7, "verification", "disputed"]
    assert combo.currentText() == "disputed"


def test_choosing_the_value_it_already_has_reports_nothing(qtbot, editor, schema) -> None:
    editor.show_span(schema, _claim(checkworthy="yes"))
    combo = editor.combo("checkworthy")
    with qtbot.assertNotEmitted(editor.attribute_changed):
        combo.activated.emit(combo.currentIndex())


def test_showing_the_same_span_again_moves_the_combos_silently(qtbot, editor, schema) -> None:
    editor.show_span(schema, _claim(checkworthy="yes"))
    combo = editor.combo("checkworthy")
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    with qtbot.assertNotEmitted(editor.attribute_changed):
        editor.show_span(schema, _claim(checkworthy="unsure", verification="denied"))
    assert editor.combo("checkworthy") is combo  # not rebuilt: the focus stays where it was
    assert combo.hasFocus()
    assert combo.currentText() == "unsure"
    assert editor.combo("verification").currentText() == "denied"
    with qtbot.assertNotEmitted(editor.attribute_changed):
        editor.show_span(schema, _claim())
    assert combo.currentText() == UNSET


def test_another_span_or_none_replaces_the_form(qtbot, editor, schema) -> None:
    editor.show_span(schema, _claim(checkworthy="yes"))
    cue = Span(0, 12, "CUE", "attribution", "According to", {"type": "belief"}, 8)
    with qtbot.assertNotEmitted(editor.attribute_changed):
        editor.show_span(schema, cue)
    assert editor.span_id() == 8
    assert sorted(c.objectName() for c in editor.findChildren(QComboBox)) == [
        "attributeCombo_factuality",
        "attributeCombo_type",
    ]
    assert editor.combo("type").currentText() == "belief"
    editor.show_span(schema, None)
    assert _hint(editor).text() == NO_SPAN_HINT
    assert editor.findChildren(QComboBox) == []


def test_a_value_the_schema_does_not_list_is_still_shown(editor, schema) -> None:
    editor.show_span(schema, _claim(verification="retracted"))
    assert "retracted" in editor.combo("verification").currentText()
