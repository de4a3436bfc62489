"""The text view's input states, driven through the real view: which state keys and the mouse
put it in, and what each state asks for through the view's signals."""

from __future__ import annotations

from functools import partial

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from labeler.domain.annotation import Relation, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.services.resources import builtin_schemas
from labeler.ui.editor.text_input import DragLinkState, IdleState, LinkState
from labeler.ui.editor.text_view import AnnotatedTextView
from tests.support import offsets

TEXT = "Halden Bank warned of costs, the ministry said on Monday."
BANK, CUE, MINISTRY, SAID, BANK_ORG = 1, 2, 3, 4, 5
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


at = partial(offsets, TEXT)


@pytest.fixture
def view(qtbot) -> AnnotatedTextView:
    schema = parse_schema(builtin_schemas()["news"].read_text("utf-8"), "news.toml")
    spans = [
        make_span(TEXT, *at("Halden Bank"), "SOURCE", schema, span_id=BANK),
        make_span(TEXT, *at("warned"), "CUE", schema, span_id=CUE),
        make_span(TEXT, *at("the ministry"), "SOURCE", schema, span_id=MINISTRY),
        make_span(TEXT, *at("said"), "CUE", schema, span_id=SAID),
        make_span(TEXT, *at("Halden Bank"), "ORG", schema, span_id=BANK_ORG),  # stacked
    ]
    view = AnnotatedTextView(schema)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.set_content(TEXT, spans, [Relation("source", CUE, BANK, {}, 100)])
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    view.viewport().repaint()  # the bars hit-tested are those of the last paint
    return view


def point(view: AnnotatedTextView, offset: int) -> QPoint:
    """A viewport point on the character at `offset` (the text is ASCII: offsets are UTF-16)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(offset)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 2, rect.center().y())


def click(
    qtbot, view: AnnotatedTextView, offset: int, modifiers=Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.mouseClick(view.viewport(), LEFT, modifiers, point(view, offset))


def ctrl_drag(qtbot, view: AnnotatedTextView, start: int, end: int) -> None:
    qtbot.mousePress(view.viewport(), LEFT, CTRL, point(view, start))
    assert isinstance(view.input.state, DragLinkState)
    qtbot.mouseMove(view.viewport(), point(view, end))
    qtbot.mouseRelease(view.viewport(), LEFT, CTRL, point(view, end))


def test_idle_at_first_and_r_without_a_span_stays_idle(qtbot, view: AnnotatedTextView) -> None:
    assert isinstance(view.input.state, IdleState)
    assert view.link_head is None
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert type(view.input.state) is IdleState
    assert view.link_head is None


def test_r_starts_a_link_and_escape_ends_it_keeping_the_span(
    qtbot, view: AnnotatedTextView
) -> None:
    view.select_span(SAID)
    with qtbot.waitSignal(view.link_mode_changed) as started:
        qtbot.keyClick(view, Qt.Key.Key_R)
    assert started.args == [SAID]
    assert isinstance(view.input.state, LinkState)
    assert view.link_head == view.input.preview_head == SAID
    with qtbot.waitSignal(view.link_mode_changed) as ended:
        qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert ended.args == [None]
    assert type(view.input.state) is IdleState
    assert view.selected_span == SAID


def test_in_a_link_tab_steps_and_r_links_to_the_span_stepped_to(
    qtbot, view: AnnotatedTextView
) -> None:
    view.select_span(SAID)
    qtbot.keyClick(view, Qt.Key.Key_R)
    qtbot.keyClick(view, Qt.Key.Key_Backtab)  # back to "the ministry", still linking
    assert view.selected_span == MINISTRY
    assert view.link_head == SAID
    with qtbot.waitSignal(view.link_requested) as linked:
        qtbot.keyClick(view, Qt.Key.Key_R)
    assert linked.args == [[SAID], [MINISTRY]]
    assert type(view.input.state) is IdleState


def test_r_on_the_head_itself_links_nothing_and_keeps_linking(
    qtbot, view: AnnotatedTextView
) -> None:
    view.select_span(SAID)
    qtbot.keyClick(view, Qt.Key.Key_R)
    with qtbot.assertNotEmitted(view.link_requested):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.link_head == SAID


def test_in_a_link_a_click_on_spans_links_to_them_and_a_click_elsewhere_stops(
    qtbot, view: AnnotatedTextView
) -> None:
    view.select_span(CUE)
    qtbot.keyClick(view, Qt.Key.Key_R)
    with qtbot.waitSignal(view.link_requested) as linked:
        click(qtbot, view, at("Bank")[0])
    # Both spans under the pointer are offered, the likeliest first.
    assert linked.args[0] == [CUE]
    assert set(linked.args[1]) == {BANK, BANK_ORG}
    assert view.link_head is None
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert view.link_head == CUE
    with qtbot.assertNotEmitted(view.link_requested):
        click(qtbot, view, at("costs")[0])
    assert view.link_head is None
    assert type(view.input.state) is IdleState


def test_ctrl_drag_links_from_the_span_pressed_and_comes_back_idle(
    qtbot, view: AnnotatedTextView
) -> None:
    with (
        qtbot.assertNotEmitted(view.link_mode_changed),
        qtbot.waitSignal(view.link_requested) as linked,
    ):
        ctrl_drag(qtbot, view, at("said")[0] + 1, at("ministry")[0] + 2)
    assert linked.args == [[SAID], [MINISTRY]]
    assert type(view.input.state) is IdleState
    assert view.input.pointer is None
    assert not view.textCursor().hasSelection()


def test_a_ctrl_click_is_no_drag_and_links_nothing(qtbot, view: AnnotatedTextView) -> None:
    with qtbot.assertNotEmitted(view.link_requested):
        click(qtbot, view, at("said")[0] + 1, CTRL)
    assert type(view.input.state) is IdleState


def test_a_ctrl_drag_while_linking_by_key_comes_back_to_the_link(
    qtbot, view: AnnotatedTextView
) -> None:
    view.select_span(SAID)
    qtbot.keyClick(view, Qt.Key.Key_R)
    with qtbot.waitSignal(view.link_requested) as linked:
        ctrl_drag(qtbot, view, at("warned")[0] + 1, at("Monday")[0] + 1)
        assert linked.args is None  # no span under the release: nothing yet
        ctrl_drag(qtbot, view, at("warned")[0] + 1, at("ministry")[0] + 1)
    assert linked.args == [[CUE], [MINISTRY]]
    assert isinstance(view.input.state, LinkState)
    assert view.link_head == SAID


def test_clicking_again_on_stacked_spans_steps_through_them(qtbot, view: AnnotatedTextView) -> None:
    chosen = []
    view.span_clicked.connect(chosen.append)
    for _ in range(3):
        click(qtbot, view, at("Halden")[0] + 1)
    assert chosen[0] in (BANK, BANK_ORG)
    assert chosen == [chosen[0], ({BANK, BANK_ORG} - {chosen[0]}).pop(), chosen[0]]
    assert view.selected_span == chosen[0]
    click(qtbot, view, at("costs")[0] + 1)
    assert chosen[-1] is None
    assert view.selected_span is None


def test_idle_keys_ask_for_edits_of_the_selected_span(qtbot, view: AnnotatedTextView) -> None:
    view.select_span(MINISTRY)
    alt_shift = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitSignal(view.resize_requested) as resized:
        qtbot.keyClick(view, Qt.Key.Key_Right, alt_shift)
    assert resized.args == [MINISTRY, "end", 1]
    with qtbot.waitSignal(view.resize_requested) as resized:
        qtbot.keyClick(view, Qt.Key.Key_Left, alt_shift | CTRL)
    assert resized.args == [MINISTRY, "start", -1]
    with qtbot.waitSignal(view.label_key) as labelled:
        qtbot.keyClick(view, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert labelled.args == ["GPE", True]
    with qtbot.waitSignal(view.delete_requested) as deleted:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert deleted.args == [MINISTRY]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_span is None


def test_idle_keys_on_a_selected_relation(qtbot, view: AnnotatedTextView) -> None:
    view.select_relation(100)
    with qtbot.waitSignal(view.relation_edit_requested) as edit:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert edit.args == [100]
    with qtbot.waitSignal(view.relation_delete_requested) as delete:
        qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert delete.args == [100]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_relation is None
    assert type(view.input.state) is IdleState


def test_removing_the_head_span_ends_the_link(qtbot, view: AnnotatedTextView) -> None:
    view.select_span(CUE)
    qtbot.keyClick(view, Qt.Key.Key_R)
    with qtbot.waitSignal(view.link_mode_changed) as ended:
        view.remove_span(CUE)
    assert ended.args == [None]
    assert type(view.input.state) is IdleState


def test_tab_steps_through_the_spans_in_reading_order_and_wraps_round(
    qtbot, view: AnnotatedTextView
) -> None:
    seen = []
    for _ in range(6):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        seen.append(view.selected_span)
    # The two spans on "Halden Bank" come first, in id order; the sixth Tab wraps round.
    assert seen == [BANK, BANK_ORG, CUE, MINISTRY, SAID, BANK]
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.selected_span == SAID
    view.set_layer_visible("attribution", False)
    assert view.input.step_span() == BANK_ORG
    assert view.input.step_span() == BANK_ORG  # the only span shown
    assert type(view.input.state) is IdleState
