"""Relations in the editor, driven as a person drives them: labels by key, links by R and Tab,
by Ctrl+drag, arcs clicked, retyped and deleted, and every step undone and redone."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMenu

from labeler.domain.annotation import Relation, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.services.resources import builtin_schemas
from labeler.services.workspace import Services
from labeler.ui.editor.text_view import AnnotatedTextView
from labeler.ui.main_window import MainWindow
from labeler.ui.relations.arc_room import room_for
from tests.support import offsets
from tests.ui.support import add_project, drag_select, point_of, press

# The offscreen platform cannot raise a popup menu or grab the keyboard for it; it says so.
pytestmark = pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing the keyboard"
)

TEXT = (
    '"The troops are engineers," Colonel Ana Reyes said, "and they will leave soon." '
    "Halden Bank warned of costs.\n\n"
    "Prices rose 4 percent in March, the ministry said."
)


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    """The news schema plus a second type from CUE to SOURCE, so that one pair has a choice;
    one article, TEXT."""
    news = builtin_schemas()["news"].read_text(encoding="utf-8")
    schema = tmp_path / "news_plus.toml"
    schema.write_text(
        news + '\n[relations.quoted_from]\nheads = ["CUE"]\ntails = ["SOURCE"]\n', "utf-8"
    )
    add_project(services, tmp_path, [TEXT], schema=str(schema))
    return services


at = partial(offsets, TEXT)


def label(qtbot, window: MainWindow, snippet: str, key: Qt.Key, occurrence: int = 0) -> int:
    """Selects the words with the mouse and presses the label's key; returns the new span's id."""
    drag_select(qtbot, window, *at(snippet, occurrence))
    press(qtbot, window, key)
    span_id = window.text_view.selected_span
    assert span_id is not None
    assert window.editor.session.annotations.spans[span_id].text == snippet  # type: ignore[union-attr]
    return span_id


def stored_links(services: Services, window: MainWindow) -> set[tuple[str, str, str]]:
    """(type, head words, tail words) of the stored relations, read back from the database."""
    project = services.projects.get("News")
    doc_id = window.editor.session.document.id  # type: ignore[union-attr]
    (work,) = [
        s for s in services.documents.annotation_sets(project, doc_id) if s.annotator == "ana"
    ]
    spans = work.spans
    return {(r.type, spans[r.head].text, spans[r.tail].text) for r in work.relations.values()}


def shown_links(window: MainWindow) -> set[tuple[str, str, str]]:
    """The same, as the text view draws them."""
    spans = window.editor.session.annotations.spans  # type: ignore[union-attr]
    return {
        (r.type, spans[r.head].text, spans[r.tail].text)
        for r in window.text_view.relations.values()
    }


def painted_labels(qtbot, window: MainWindow) -> dict[int, QPointF]:
    """The centre of each arc's label in the last paint, by relation id."""
    view = window.text_view
    view.viewport().repaint()
    return {
        relation_id: rect.center() for _, rect, relation_id in view.arcs.shapes if rect is not None
    }


def chooser(qtbot, window: MainWindow) -> QMenu:
    qtbot.waitUntil(lambda: window.editor.chooser is not None and window.editor.chooser.isVisible())
    menu = window.editor.chooser
    assert menu is not None
    return menu


def entries(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator() and a.text()]


def undo(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(
        window.text_view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )


TROOPS = {
    ("source", "said", "Colonel Ana Reyes"),
    ("content", "said", "The troops are engineers"),
    ("continues", "The troops are engineers", "and they will leave soon"),
    ("attributed_to", "The troops are engineers", "Colonel Ana Reyes"),
    ("refers_to", "Colonel Ana Reyes", "Ana Reyes"),
}


def test_a_full_attribution_in_a_few_keys(qtbot, window: MainWindow, services: Services) -> None:
    label(qtbot, window, "Ana Reyes", Qt.Key.Key_P)
    label(qtbot, window, "The troops are engineers", Qt.Key.Key_T)
    label(qtbot, window, "Colonel Ana Reyes", Qt.Key.Key_S)
    assert stored_links(services, window) == {("refers_to", "Colonel Ana Reyes", "Ana Reyes")}
    label(qtbot, window, "said", Qt.Key.Key_V)
    # The cue brings its source and its content, as one step.
    assert stored_links(services, window) == {
        ("refers_to", "Colonel Ana Reyes", "Ana Reyes"),
        ("source", "said", "Colonel Ana Reyes"),
        ("content", "said", "The troops are engineers"),
    }
    assert "Saved: label “said” CUE" in window.statusBar().currentMessage()
    # The second piece of the quote continues the first, across the cue.
    label(qtbot, window, "and they will leave soon", Qt.Key.Key_T)
    # The claim inside the quote goes to its source.
    claim = label(qtbot, window, "The troops are engineers", Qt.Key.Key_C)
    assert stored_links(services, window) == TROOPS
    assert shown_links(window) == TROOPS
    # Claim attributes by keys: Ctrl+2 is claim_type; its menu takes 1 for the first value.
    qtbot.keyClick(window.text_view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    menu = chooser(qtbot, window)
    assert entries(menu)[:2] == ["&1  quantity", "&2  prediction"]
    qtbot.keyClick(menu, Qt.Key.Key_5)
    spans = window.editor.session.annotations.spans  # type: ignore[union-attr]
    assert spans[claim].attributes == {"claim_type": "event"}
    assert window.editor.attribute_editor.combo("claim_type").currentText() == "event"
    # Every arc is drawn with its label over the text.
    assert len(painted_labels(qtbot, window)) == len(TROOPS)

    # Undo takes back the claim with its link, then the second piece with its link.
    undo(qtbot, window)  # the attribute
    undo(qtbot, window)
    undo(qtbot, window)
    assert stored_links(services, window) == TROOPS - {
        ("attributed_to", "The troops are engineers", "Colonel Ana Reyes"),
        ("continues", "The troops are engineers", "and they will leave soon"),
    }
    assert shown_links(window) == stored_links(services, window)
    redo(qtbot, window)
    redo(qtbot, window)
    assert stored_links(services, window) == TROOPS
    assert shown_links(window) == TROOPS


def test_r_and_tab_link_and_the_chooser_offers_only_allowed_types(
    qtbot, window: MainWindow, services: Services
) -> None:
    cue = label(qtbot, window, "said", Qt.Key.Key_V, occurrence=1)
    label(qtbot, window, "the ministry", Qt.Key.Key_S)
    # The source came after its cue: the quick link is `source`; take it back to link by hand.
    assert stored_links(services, window) == {("source", "said", "the ministry")}
    window.text_view.select_relation(next(iter(window.text_view.relations)))
    press(qtbot, window, Qt.Key.Key_Delete)
    assert stored_links(services, window) == set()
    # From the cue: R, then Tab to the source, then R again.
    window.text_view.select_span(cue)
    press(qtbot, window, Qt.Key.Key_R)
    assert window.text_view.link_head == cue
    press(qtbot, window, Qt.Key.Key_Backtab)  # the source is before the cue in reading order
    assert window.editor.session.annotations.spans[window.text_view.selected_span].label == (  # type: ignore[union-attr, index]
        "SOURCE"
    )
    press(qtbot, window, Qt.Key.Key_R)
    menu = chooser(qtbot, window)
    # CUE to SOURCE allows `source` and `quoted_from`; nothing else is offered.
    assert [e.split(":")[0] for e in entries(menu)] == ["&1  source", "&2  quoted_from"]
    qtbot.keyClick(menu, Qt.Key.Key_2)
    assert stored_links(services, window) == {("quoted_from", "said", "the ministry")}
    assert window.text_view.link_head is None


def test_an_illegal_relation_is_refused(qtbot, window: MainWindow, services: Services) -> None:
    label(qtbot, window, "Halden Bank", Qt.Key.Key_O)
    cue = label(qtbot, window, "warned", Qt.Key.Key_V)
    before = stored_links(services, window)
    window.text_view.select_span(cue)
    press(qtbot, window, Qt.Key.Key_R)
    qtbot.mouseClick(
        window.text_view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, at("Bank")[0])
    )
    assert stored_links(services, window) == before == set()
    assert window.editor.chooser is None
    message = window.statusBar().currentMessage()
    assert "Not linked" in message and "no relation between CUE and ORG" in message


def test_ctrl_drag_links_and_an_arc_is_selected_retyped_and_deleted(
    qtbot, window: MainWindow, services: Services
) -> None:
    source = label(qtbot, window, "Halden Bank", Qt.Key.Key_S)
    cue = label(qtbot, window, "warned", Qt.Key.Key_V)
    # Start clean: no quick link between the two.
    for relation_id in list(window.text_view.relations):
        window.editor.delete_relation(relation_id)
    assert stored_links(services, window) == set()
    viewport = window.text_view.viewport()
    start, end = point_of(window, at("warned")[0] + 2), point_of(window, at("Halden")[0] + 2)
    qtbot.mousePress(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, start
    )
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, end
    )
    menu = chooser(qtbot, window)
    qtbot.keyClick(menu, Qt.Key.Key_1)
    assert stored_links(services, window) == {("source", "warned", "Halden Bank")}
    assert window.text_view.textCursor().hasSelection() is False  # the drag selected no text
    (relation_id,) = window.text_view.relations
    # A click on the arc's label selects the relation.
    centre = painted_labels(qtbot, window)[relation_id]
    qtbot.mouseClick(
        viewport, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y()))
    )
    assert window.text_view.selected_relation == relation_id
    assert window.text_view.selected_span is None
    # Enter offers the other type; 1 takes it.
    press(qtbot, window, Qt.Key.Key_Return)
    menu = chooser(qtbot, window)
    assert [e.split()[1] for e in entries(menu)] == ["quoted_from"]
    qtbot.keyClick(menu, Qt.Key.Key_1)
    assert stored_links(services, window) == {("quoted_from", "warned", "Halden Bank")}
    assert window.text_view.relations[relation_id].type == "quoted_from"
    # Delete removes it; undo brings it back under its id, then its old type.
    press(qtbot, window, Qt.Key.Key_Delete)
    assert stored_links(services, window) == set() == shown_links(window)
    undo(qtbot, window)
    assert stored_links(services, window) == {("quoted_from", "warned", "Halden Bank")}
    assert set(window.text_view.relations) == {relation_id}
    undo(qtbot, window)
    assert stored_links(services, window) == {("source", "warned", "Halden Bank")}
    redo(qtbot, window)
    redo(qtbot, window)
    assert stored_links(services, window) == set() == shown_links(window)
    assert {source, cue} <= set(window.editor.session.annotations.spans)  # type: ignore[union-attr]


def test_deleting_a_span_removes_its_relations_and_undo_brings_both_back(
    qtbot, window: MainWindow, services: Services
) -> None:
    label(qtbot, window, "Prices rose 4 percent in March", Qt.Key.Key_T)
    source = label(qtbot, window, "the ministry", Qt.Key.Key_S)
    label(qtbot, window, "said", Qt.Key.Key_V, occurrence=1)
    links = {
        ("source", "said", "the ministry"),
        ("content", "said", "Prices rose 4 percent in March"),
    }
    assert stored_links(services, window) == links
    ids = set(window.text_view.relations)
    window.text_view.select_span(source)
    press(qtbot, window, Qt.Key.Key_Delete)
    assert stored_links(services, window) == {("content", "said", "Prices rose 4 percent in March")}
    assert shown_links(window) == stored_links(services, window)
    undo(qtbot, window)
    assert stored_links(services, window) == {
        ("source", "said", "the ministry"),
        ("content", "said", "Prices rose 4 percent in March"),
    }
    assert set(window.text_view.relations) == ids
    assert window.text_view.selected_span == source


def test_escape_stops_linking_and_the_menu_choice_is_free(qtbot, window: MainWindow) -> None:
    cue = label(qtbot, window, "warned", Qt.Key.Key_V)
    press(qtbot, window, Qt.Key.Key_R)
    assert window.text_view.link_head == cue
    assert "Linking from CUE" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_Escape)
    assert window.text_view.link_head is None
    assert window.text_view.selected_span == cue
    assert QApplication.activePopupWidget() is None


def test_the_attributes_panel_lists_a_span_s_relations_and_reaches_their_arcs(
    qtbot, window: MainWindow
) -> None:
    label(qtbot, window, "Prices rose 4 percent in March", Qt.Key.Key_T)
    label(qtbot, window, "the ministry", Qt.Key.Key_S)
    cue = label(qtbot, window, "said", Qt.Key.Key_V, occurrence=1)
    panel = window.editor.attribute_editor
    assert sorted(b.text() for b in panel.relation_buttons()) == [
        "→ content “Prices rose 4 percent…”",
        "→ source “the ministry”",
    ]
    source_button = next(b for b in panel.relation_buttons() if "source" in b.text())
    qtbot.mouseClick(source_button, Qt.MouseButton.LeftButton)
    relation = window.text_view.relations[window.text_view.selected_relation]  # type: ignore[index]
    assert (relation.type, relation.head) == ("source", cue)
    assert window.text_view.hasFocus()
    press(qtbot, window, Qt.Key.Key_Delete)
    assert [r.type for r in window.text_view.relations.values()] == ["content"]
    window.text_view.select_span(cue)
    assert [b.text() for b in panel.relation_buttons()] == ["→ content “Prices rose 4 percent…”"]


def test_a_ctrl_click_links_nothing_and_a_click_on_stacked_spans_finds_the_one_that_fits(
    qtbot, window: MainWindow, services: Services
) -> None:
    label(qtbot, window, "Ana Reyes", Qt.Key.Key_P)
    source = label(qtbot, window, "Ana Reyes", Qt.Key.Key_S)  # on the same words as PERSON
    assert stored_links(services, window) == {("refers_to", "Ana Reyes", "Ana Reyes")}
    viewport = window.text_view.viewport()
    reyes = point_of(window, at("Reyes")[0] + 2)
    qtbot.mouseClick(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, reyes
    )
    assert stored_links(services, window) == {("refers_to", "Ana Reyes", "Ana Reyes")}
    # R on a claim, then a click where SOURCE and PERSON lie on the same words: only the
    # source can be linked to a claim, and it is.
    label(qtbot, window, "Halden Bank warned of costs", Qt.Key.Key_C)
    press(qtbot, window, Qt.Key.Key_R)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=reyes)
    assert ("attributed_to", "Halden Bank warned of costs", "Ana Reyes") in stored_links(
        services, window
    )
    claim_links = [r for r in window.text_view.relations.values() if r.type == "attributed_to"]
    assert [r.tail for r in claim_links] == [source]


def test_paragraphs_far_down_get_room_for_their_arcs_as_the_view_comes_near(qtbot) -> None:
    schema = parse_schema(builtin_schemas()["news"].read_text("utf-8"), "news.toml")
    paragraphs = [f"Paragraph {n}: nothing said here." for n in range(200)]
    paragraphs[5] = paragraphs[150] = "The mayor said it would rain."
    text = "\n".join(paragraphs)
    spans, relations = [], []
    for n, number in enumerate((5, 150)):
        base = sum(len(p) + 1 for p in paragraphs[:number])
        cue = make_span(text, base + 10, base + 14, "CUE", schema, span_id=10 * n + 1)
        source = make_span(text, base + 4, base + 9, "SOURCE", schema, span_id=10 * n + 2)
        spans += [cue, source]
        relations.append(Relation("source", cue.id, source.id, {}, 100 + n))
    view = AnnotatedTextView(schema)
    qtbot.addWidget(view)
    view.set_content(text, spans, relations)

    def room(number: int) -> float:
        return sum(view.line_room(number).values())

    plain = 0
    one = room_for(1, view.arcs.pitch)  # one relation in each: one level of arcs
    assert room(5) == plain + one  # on the first screen: at once
    assert room(150) == plain  # far down: not yet
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    # The view comes to the far paragraph: it has its room.
    view.setTextCursor(QTextCursor(view.document().findBlockByNumber(150)))
    view.ensureCursorVisible()
    assert view.verticalScrollBar().value() > 0
    assert room(150) == plain + one
    assert room(149) == plain and room(151) == plain
    assert room(5) == plain + one
    # Deleting the far relation's span takes the room back at once.
    view.remove_span(11)
    assert room(150) == plain and room(5) == plain + one


def test_room_that_comes_above_the_screen_leaves_the_top_of_the_view_in_place(qtbot) -> None:
    schema = parse_schema(builtin_schemas()["news"].read_text("utf-8"), "news.toml")
    paragraphs = [f"Paragraph {n}: nothing said here." for n in range(200)]
    paragraphs[100] = "The mayor said it would rain."
    text = "\n".join(paragraphs)
    base = sum(len(p) + 1 for p in paragraphs[:100])
    cue = make_span(text, base + 10, base + 14, "CUE", schema, span_id=1)
    source = make_span(text, base + 4, base + 9, "SOURCE", schema, span_id=2)
    view = AnnotatedTextView(schema)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_content(text, [cue, source], [Relation("source", 1, 2, {}, 100)])
    view.setTextCursor(QTextCursor(view.document().findBlockByNumber(130)))
    view.ensureCursorVisible()  # the view goes down past paragraph 100, too far for its room
    assert view.line_room(100) == {}

    def top_of(number: int) -> int:
        return view.cursorRect(QTextCursor(view.document().findBlockByNumber(number))).top()

    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + top_of(101))  # then shows paragraph 101 at its top
    assert sum(view.line_room(100).values()) == room_for(1, view.arcs.pitch)  # room came...
    assert view.cursorForPosition(QPoint(0, 1)).block().blockNumber() == 101  # ...above it
    assert top_of(101) == 0


def key_select(qtbot, window: MainWindow, snippet: str, occurrence: int = 0) -> None:
    """Selects the words by keyboard alone: Ctrl+Right to their start, Ctrl+Shift+Right over
    them (the span snaps, so a word's trailing space or comma does no harm)."""
    view = window.text_view
    start, end = at(snippet, occurrence)
    press(qtbot, window, Qt.Key.Key_Escape)
    if view.caret() > start:
        press(qtbot, window, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    while view.caret() < start:
        press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert view.caret() == start
    extend = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    while (view.selected_range() or (0, 0))[1] < end:
        press(qtbot, window, Qt.Key.Key_Right, extend)


def test_a_full_attribution_by_keyboard_alone(
    qtbot, window: MainWindow, services: Services
) -> None:
    window.text_view.setFocus()
    for snippet, key in (
        ("The troops are engineers", Qt.Key.Key_T),
        ("Colonel Ana Reyes", Qt.Key.Key_S),
        ("said", Qt.Key.Key_V),
        ("and they will leave soon", Qt.Key.Key_T),
        ("The troops are engineers", Qt.Key.Key_C),
    ):
        key_select(qtbot, window, snippet)
        press(qtbot, window, key)
    assert stored_links(services, window) == TROOPS - {
        ("refers_to", "Colonel Ana Reyes", "Ana Reyes")
    }
    # The entity after the source: linked from it; then the claim's type by keys.
    key_select(qtbot, window, "Ana Reyes")
    press(qtbot, window, Qt.Key.Key_P)
    assert stored_links(services, window) == TROOPS
    key_select(qtbot, window, "The troops are engineers")  # selects text, not the claim
    press(qtbot, window, Qt.Key.Key_Escape)
    view = window.text_view
    claim = next(
        s.id
        for s in window.editor.session.annotations.spans.values()  # type: ignore[union-attr]
        if s.label == "CLAIM"
    )
    while view.selected_span != claim:
        press(qtbot, window, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(chooser(qtbot, window), Qt.Key.Key_1)
    assert window.editor.session.annotations.spans[claim].attributes == {  # type: ignore[union-attr]
        "claim_type": "quantity"
    }


def test_a_full_attribution_with_the_mouse(qtbot, window: MainWindow, services: Services) -> None:
    palette = window.editor.palette_widget
    viewport = window.text_view.viewport()

    def mouse_label(snippet: str, label_name: str) -> int:
        drag_select(qtbot, window, *at(snippet))
        qtbot.mouseClick(palette.button(label_name), Qt.MouseButton.LeftButton)
        span_id = window.text_view.selected_span
        assert span_id is not None
        return span_id

    first = mouse_label("The troops are engineers", "CONTENT")
    source = mouse_label("Colonel Ana Reyes", "SOURCE")
    cue = mouse_label("said", "CUE")
    second = mouse_label("and they will leave soon", "CONTENT")
    claim = mouse_label("and they will leave soon", "CLAIM")
    # Quick attribution made the links already; take them all back to link by hand.
    for relation_id in list(window.text_view.relations):
        window.editor.delete_relation(relation_id)
    assert stored_links(services, window) == set()

    def ctrl_drag(from_words: str, to_words: str) -> None:
        start = point_of(window, at(from_words)[0] + 1)
        end = point_of(window, at(to_words)[0] + 1)
        ctrl = Qt.KeyboardModifier.ControlModifier
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, ctrl, start)
        qtbot.mouseMove(viewport, end)
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, ctrl, end)

    ctrl_drag("said", "Colonel")  # CUE -> SOURCE: source or quoted_from, a menu
    menu = chooser(qtbot, window)
    qtbot.mouseClick(
        menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(menu.actions()[1]).center()
    )
    ctrl_drag("said", "The troops")  # CUE -> CONTENT: one type, no menu
    # (Not from where the last drag ended: a second press there would be a double-click.)
    ctrl_drag("are engineers", "and they")
    # The claim over "and they will leave soon" lies on the same words as the content piece:
    # from the claim's bar under the words, Ctrl+drag to the source.
    viewport.repaint()
    claim_bar = next(rect for rect, i in window.text_view.bars if i == claim)
    start = claim_bar.center().toPoint()
    end = point_of(window, at("Colonel")[0] + 1)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, ctrl, start)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, ctrl, end)
    assert stored_links(services, window) == {
        ("source", "said", "Colonel Ana Reyes"),
        ("content", "said", "The troops are engineers"),
        ("continues", "The troops are engineers", "and they will leave soon"),
        ("attributed_to", "and they will leave soon", "Colonel Ana Reyes"),
    }
    relations = window.editor.session.annotations.relations.values()  # type: ignore[union-attr]
    assert {(r.head, r.tail) for r in relations} == {
        (cue, source),
        (cue, first),
        (first, second),
        (claim, source),
    }
    # The claim's type from the Attributes panel's combo box, by mouse.
    window.text_view.select_span(claim)
    combo = window.editor.attribute_editor.combo("claim_type")
    combo.setCurrentIndex(combo.findText("prediction"))
    combo.activated.emit(combo.currentIndex())  # what a click on the item sends
    spans = window.editor.session.annotations.spans  # type: ignore[union-attr]
    assert spans[claim].attributes == {"claim_type": "prediction"}


def test_f5_after_a_schema_change_made_elsewhere_lets_the_first_edit_through(
    qtbot, window: MainWindow, services: Services
) -> None:
    project = services.projects.get("News")
    # Another lead stores the same schema with a comment added: only the text differs.
    services.schemas.apply(project, project.schema, source=project.schema_source + "\n# v2\n")
    drag_select(qtbot, window, *at("Halden Bank"))
    press(qtbot, window, Qt.Key.Key_O)
    assert "schema was changed elsewhere" in window.statusBar().currentMessage()
    assert window.editor.session.annotations.spans == {}  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_F5)
    label(qtbot, window, "Halden Bank", Qt.Key.Key_O)
    assert window.saved_label.text() == "✓ Saved"


def test_a_span_relabelled_as_a_cue_is_linked_as_a_new_cue_is(
    qtbot, window: MainWindow, services: Services
) -> None:
    label(qtbot, window, "Prices rose 4 percent in March", Qt.Key.Key_T)
    label(qtbot, window, "the ministry", Qt.Key.Key_S)
    cue = label(qtbot, window, "said", Qt.Key.Key_S, occurrence=1)  # the wrong key first
    press(qtbot, window, Qt.Key.Key_V)  # then the right one: a relabel
    assert window.editor.session.annotations.spans[cue].label == "CUE"  # type: ignore[union-attr]
    assert stored_links(services, window) == {
        ("source", "said", "the ministry"),
        ("content", "said", "Prices rose 4 percent in March"),
    }
    undo(qtbot, window)  # the relabel and its links, as one step
    assert stored_links(services, window) == set()
    assert window.editor.session.annotations.spans[cue].label == "SOURCE"  # type: ignore[union-attr]
    # A relabel that a relation forbids says how to get out of it.
    redo(qtbot, window)
    window.text_view.select_span(cue)
    press(qtbot, window, Qt.Key.Key_T)
    message = window.statusBar().currentMessage()
    assert "delete that relation first" in message
    assert window.editor.session.annotations.spans[cue].label == "CUE"  # type: ignore[union-attr]


def test_relations_can_be_hidden_to_read_more_lines_at_once(qtbot, window: MainWindow) -> None:
    label(qtbot, window, "Prices rose 4 percent in March", Qt.Key.Key_T)
    label(qtbot, window, "the ministry", Qt.Key.Key_S)
    label(qtbot, window, "said", Qt.Key.Key_V, occurrence=1)
    view = window.text_view
    number = view.document().findBlock(view.marks.to_utf16(at("Prices")[0])).blockNumber()
    tall = sum(view.line_room(number).values())
    assert len(painted_labels(qtbot, window)) == 2
    qtbot.keyClick(
        view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert not window.actions.arcs_action.isChecked()
    assert tall > 0  # the lines the two arcs end on (less what a blank line above gives)
    assert view.line_room(number) == {}
    assert painted_labels(qtbot, window) == {}
    window.actions.arcs_action.trigger()
    assert sum(view.line_room(number).values()) == tall
    assert len(painted_labels(qtbot, window)) == 2
