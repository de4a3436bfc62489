"""The annotation editor driven as a person drives it: mouse, keys, undo, next document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QCheckBox

from labeler.app import open_services
from labeler.domain.annotation import Status
from labeler.domain.offsets import to_utf16
from labeler.services.sample import SAMPLE_ANNOTATOR, SAMPLE_PROJECT, seed_sample
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from tests.support import offsets as find
from tests.ui.support import add_project, drag_select, point_of, press, show_window

# Emoji and other characters outside the BMP before and between the names: code-point and
# UTF-16 offsets differ from the first line on.
TEXTS = [
    "🚢🚢 Ada Lindqvist 𝔐 met officials from Valmera on Monday.\n"
    '"We need a deal," said Ilse Marquard of the union 😀, adding talks would resume.',
    "Second article: the port of Valmera reopened.",
    "Third article: nothing happened in Halden.",
]


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    """The project "News" with TEXTS as articles 0, 1 and 2."""
    add_project(services, tmp_path, TEXTS)
    return services


def stored_spans(services: Services, window: MainWindow, annotator: str = "ana") -> list[tuple]:
    """(start, end, label, text) of the annotator's stored spans, read back from the database."""
    project = services.projects.get(window.current_project() or "")
    doc_id = window.editor.session.document.id  # type: ignore[union-attr]
    sets = [
        s for s in services.documents.annotation_sets(project, doc_id) if s.annotator == annotator
    ]
    if not sets:
        return []
    return sorted((s.start, s.end, s.label, s.text) for s in sets[0].spans.values())


def stored_status(services: Services, window: MainWindow, doc_id: int) -> Status | None:
    project = services.projects.get(window.current_project() or "")
    sets = [s for s in services.documents.annotation_sets(project, doc_id) if s.annotator == "ana"]
    return sets[0].status if sets else None


def test_drag_select_and_hotkey_stores_a_token_snapped_span_on_non_bmp_text(
    qtbot, window: MainWindow, services: Services
) -> None:
    text = TEXTS[0]
    start, end = find(text, "Ada Lindqvist")
    # A sloppy drag: from inside "Ada" to inside "Lindqvist"; the span snaps to whole words.
    drag_select(qtbot, window, start + 1, end - 2)
    assert window.text_view.textCursor().hasSelection()
    press(qtbot, window, Qt.Key.Key_P)
    assert stored_spans(services, window) == [(start, end, "PERSON", "Ada Lindqvist")]
    # What the window shows: the span is drawn, listed and selected, the set is saved.
    view = window.text_view
    marks = view.marks.in_range(0, 10_000)
    assert [(m.start, m.end, m.label) for m in marks] == [
        (to_utf16(text, start), to_utf16(text, end), "PERSON")
    ]
    assert view.selected_span is not None
    model = window.editor.span_model
    assert model.rowCount() == 1  # the list follows the set at once
    assert model.index(0, 0).data() == "PERSON"
    assert model.index(0, 1).data() == "Ada Lindqvist"
    counts = window.editor.span_panel.counts  # counted when the panel is painted next
    qtbot.waitUntil(lambda: counts.text() == "entity 1 · claim 0 · attribution 0")
    assert window.saved_label.text() == "✓ Saved"
    assert window.statusBar().currentMessage() == "Saved: label “Ada Lindqvist” PERSON"
    # The list's row follows a moment later.
    qtbot.waitUntil(lambda: window.documents.summary(0).status == "in_progress")  # type: ignore[union-attr]


def test_keyboard_only_labelling(qtbot, window: MainWindow, services: Services) -> None:
    text = TEXTS[0]
    view = window.text_view
    view.setFocus()
    press(qtbot, window, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    # Word by word to "Valmera", then extend over it with Shift and press the GPE key.
    target = text.index("Valmera")
    while view.caret() < target:
        press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert view.caret() == target
    press(
        qtbot,
        window,
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    press(qtbot, window, Qt.Key.Key_G)
    assert stored_spans(services, window) == [(target, target + 7, "GPE", "Valmera")]
    # Shift+P is PRODUCT, a different label from p (PERSON): relabel the selected span with it.
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    assert stored_spans(services, window) == [(target, target + 7, "PRODUCT", "Valmera")]


def test_alt_keeps_the_exact_characters(qtbot, window: MainWindow, services: Services) -> None:
    text = TEXTS[0]
    start, _ = find(text, "Lindqvist")
    window.text_view.select_range(start, start + 4)
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert stored_spans(services, window) == [(start, start + 4, "PERSON", "Lind")]


def test_an_overlap_the_schema_forbids_is_refused_and_nothing_changes(
    qtbot, window: MainWindow, services: Services
) -> None:
    text = TEXTS[0]
    start, end = find(text, "Ada Lindqvist")
    window.text_view.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_P)
    before = stored_spans(services, window)
    window.text_view.select_range(start + 4, end + 3)  # "Lindqvist 𝔐": overlaps PERSON
    press(qtbot, window, Qt.Key.Key_O)
    assert stored_spans(services, window) == before
    assert "overlap" in window.statusBar().currentMessage()
    assert len(window.text_view.marks) == 1
    assert window.editor.undo_stack.count() == 1  # type: ignore[union-attr]
    # A claim bar may cover the same words: another layer.
    window.text_view.select_range(start, end + 3)
    press(qtbot, window, Qt.Key.Key_C)
    assert [s[2] for s in stored_spans(services, window)] == ["PERSON", "CLAIM"]


def test_another_label_s_key_on_the_exact_words_of_a_span_relabels_it(
    qtbot, window: MainWindow, services: Services
) -> None:
    text = TEXTS[0]
    start, end = find(text, "Valmera")
    window.text_view.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_O)  # ORG
    span_id = window.text_view.selected_span
    # A sloppy drag over the same words, then GPE's key: the ORG becomes a GPE, same span.
    drag_select(qtbot, window, start + 1, end - 1)
    press(qtbot, window, Qt.Key.Key_G)
    assert stored_spans(services, window) == [(start, end, "GPE", "Valmera")]
    assert window.text_view.selected_span == span_id
    assert [m.label for m in window.text_view.marks.in_range(0, 10_000)] == ["GPE"]
    assert "relabel" in window.statusBar().currentMessage()
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(services, window) == [(start, end, "ORG", "Valmera")]


def test_click_tab_delete_resize_and_undo_redo_of_each(
    qtbot, window: MainWindow, services: Services
) -> None:
    text = TEXTS[0]
    view = window.text_view
    ada = find(text, "Ada Lindqvist")
    ilse = find(text, "Ilse Marquard")
    for span, key in ((ada, Qt.Key.Key_P), (ilse, Qt.Key.Key_P)):
        view.select_range(*span)
        press(qtbot, window, key)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert view.selected_span is None
    # A click on the span's text selects it; Tab steps to the next.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, ada[0] + 2))
    first = view.selected_span
    assert first is not None
    assert window.editor.attribute_editor.span_id() == first
    press(qtbot, window, Qt.Key.Key_Tab)
    second = view.selected_span
    assert second not in (None, first)
    assert view.marks.get(second).label == "PERSON"  # type: ignore[union-attr]
    # Shift+Alt+Left takes a word off its end; Ctrl+Shift+Alt+Left puts one before its start.
    shift_alt = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
    press(qtbot, window, Qt.Key.Key_Left, shift_alt)
    assert (ilse[0], ilse[0] + 4, "PERSON", "Ilse") in stored_spans(services, window)
    press(qtbot, window, Qt.Key.Key_Left, shift_alt | Qt.KeyboardModifier.ControlModifier)
    said = text.index("said")
    assert (said, ilse[0] + 4, "PERSON", "said Ilse") in stored_spans(services, window)
    press(qtbot, window, Qt.Key.Key_Delete)
    assert stored_spans(services, window) == [(*ada, "PERSON", "Ada Lindqvist")]
    history = [
        [(*ada, "PERSON", "Ada Lindqvist"), (said, ilse[0] + 4, "PERSON", "said Ilse")],
        [(*ada, "PERSON", "Ada Lindqvist"), (ilse[0], ilse[0] + 4, "PERSON", "Ilse")],
        [(*ada, "PERSON", "Ada Lindqvist"), (*ilse, "PERSON", "Ilse Marquard")],
        [(*ada, "PERSON", "Ada Lindqvist")],
        [],
    ]
    for expected in history:
        press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert stored_spans(services, window) == expected
        assert len(view.marks) == len(expected)
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    for expected in [*reversed(history[:-1]), [(*ada, "PERSON", "Ada Lindqvist")]]:
        press(qtbot, window, Qt.Key.Key_Z, redo)
        assert stored_spans(services, window) == expected


def test_attribute_set_in_the_editor_is_stored_and_undone(
    qtbot, window: MainWindow, services: Services
) -> None:
    text = TEXTS[0]
    start, end = find(text, "talks would resume")
    window.text_view.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_C)
    combo = window.editor.attribute_editor.combo("claim_type")
    combo.setFocus()
    while combo.currentText() != "prediction":  # arrow keys step through the values
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    session = window.editor.session
    assert session is not None
    project = services.projects.get("News")
    stored = services.documents.annotation_sets(project, session.document.id)[0]  # type: ignore[arg-type]
    assert [s.attributes for s in stored.spans.values()] == [{"claim_type": "prediction"}]
    # Each arrow key was one change: undo steps back through them, the combo box following.
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    stored = services.documents.annotation_sets(project, session.document.id)[0]  # type: ignore[arg-type]
    assert [s.attributes for s in stored.spans.values()] == [{"claim_type": "quantity"}]
    assert window.editor.attribute_editor.combo("claim_type").currentText() == "quantity"
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    stored = services.documents.annotation_sets(project, session.document.id)[0]  # type: ignore[arg-type]
    assert [s.attributes for s in stored.spans.values()] == [{}]
    assert window.editor.attribute_editor.combo("claim_type").currentText() == "—"


def test_deleting_a_span_with_relations_and_undo_brings_both_back(
    qtbot, tmp_path: Path, settings: QSettings
) -> None:
    services = open_services(str(tmp_path / "sample.db"))
    try:
        seed_sample(services.projects, services.importer)
        window = show_window(qtbot, services, SAMPLE_ANNOTATOR, settings)
        assert window.current_project() == SAMPLE_PROJECT
        session = window.editor.session
        assert session is not None
        before = session.annotations
        cue = next(s for s in before.spans.values() if s.label == "CUE")
        relations = {r.id for r in before.relations.values() if cue.id in (r.head, r.tail)}
        assert relations
        window.text_view.select_span(cue.id)
        press(qtbot, window, Qt.Key.Key_Delete)
        project = services.projects.get(SAMPLE_PROJECT)
        doc_id = session.document.id
        stored = services.documents.annotation_sets(project, doc_id)[0]  # type: ignore[arg-type]
        assert cue.id not in stored.spans
        assert not relations & set(stored.relations)
        press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        stored = services.documents.annotation_sets(project, doc_id)[0]  # type: ignore[arg-type]
        assert stored.spans[cue.id] == cue
        assert relations <= set(stored.relations)
        assert window.text_view.marks.get(cue.id) is not None
    finally:
        services.close()


def test_done_skip_next_and_previous_move_through_the_list(
    qtbot, window: MainWindow, services: Services
) -> None:
    first = window.editor.session.document.id  # type: ignore[union-attr]
    assert window.position_label.text() == "1 / 3"
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert stored_status(services, window, first) is Status.DONE  # type: ignore[arg-type]
    second = window.editor.session.document.id  # type: ignore[union-attr]
    assert second != first
    assert window.position_label.text() == "2 / 3"
    assert window.documents.summary(0).status == "done"  # type: ignore[union-attr]
    skip = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window, Qt.Key.Key_Return, skip)
    assert stored_status(services, window, second) is Status.SKIPPED  # type: ignore[arg-type]
    assert window.position_label.text() == "3 / 3"
    press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.editor.session.document.id == second  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert "No more documents" in window.statusBar().currentMessage()
    # Going back to a document brings back its undo history: undo the skip.
    press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_status(services, window, second) is Status.TODO  # type: ignore[arg-type]


def test_a_restarted_app_shows_the_same_spans(
    qtbot, tmp_path: Path, services: Services, settings: QSettings
) -> None:
    window = show_window(qtbot, services, "ana", settings)
    start, end = find(TEXTS[0], "Valmera")
    window.text_view.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_G)
    window.close()
    again = open_services(str(tmp_path / "labeler.db"))
    try:
        reopened = show_window(qtbot, again, None, settings)
        assert reopened.annotator == "ana"  # remembered in the settings
        marks = list(reopened.text_view.marks.in_range(0, 10_000))
        assert [(m.label, reopened.text_view.marks.from_utf16(m.start)) for m in marks] == [
            ("GPE", start)
        ]
    finally:
        again.close()


def test_zoom_find_layers_and_help(qtbot, window: MainWindow, settings: QSettings) -> None:
    view = window.text_view
    size = view.point_size
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size > size
    window.close()
    assert float(settings.value("editor/point_size")) == pytest.approx(view.point_size)  # type: ignore[arg-type]
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.find_bar.isVisible()
    qtbot.keyClicks(window.editor.find_bar.field, "marquard")
    qtbot.keyClick(window.editor.find_bar.field, Qt.Key.Key_Return)
    assert view.textCursor().selectedText() == "Marquard"
    qtbot.keyClick(window.editor.find_bar.field, Qt.Key.Key_Escape)
    assert not window.editor.find_bar.isVisible()
    palette = window.editor.palette_widget
    toggle = palette.findChild(QCheckBox, "layerToggle_entity")
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert "entity" not in view.visible_layers()
    qtbot.keyClick(view, Qt.Key.Key_F1)
    assert window.help_overlay.isVisible()


def test_a_new_annotator_can_start_from_the_sample_annotations_and_undo_it(
    qtbot, tmp_path: Path, settings: QSettings
) -> None:
    services = open_services(str(tmp_path / "sample.db"))
    try:
        seed_sample(services.projects, services.importer)
        window = show_window(qtbot, services, "ana", settings)
        assert len(window.text_view.marks) == 0
        offer = window.editor.offer
        assert offer.isVisible()
        project = services.projects.get(SAMPLE_PROJECT)
        doc_id = window.editor.session.document.id  # type: ignore[union-attr]
        theirs = next(
            s for s in services.documents.annotation_sets(project, doc_id) if s.annotator != "ana"
        )
        qtbot.mouseClick(offer.buttons[0], Qt.MouseButton.LeftButton)
        assert not offer.isVisible()
        mine = next(
            s for s in services.documents.annotation_sets(project, doc_id) if s.annotator == "ana"
        )

        def shape(s):  # spans by place and label; relations by the places they link
            where = {i: (sp.start, sp.end, sp.label) for i, sp in s.spans.items()}
            return sorted(where.values()), sorted(
                (r.type, where[r.head], where[r.tail]) for r in s.relations.values()
            )

        assert shape(mine) == shape(theirs)
        assert not set(mine.spans) & set(theirs.spans)  # copies, not the same rows
        assert len(window.text_view.marks) == len(theirs.spans)
        press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        mine = next(
            s for s in services.documents.annotation_sets(project, doc_id) if s.annotator == "ana"
        )
        assert (mine.spans, mine.relations) == ({}, {})
        assert len(window.text_view.marks) == 0
        redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        press(qtbot, window, Qt.Key.Key_Z, redo)
        mine = next(
            s for s in services.documents.annotation_sets(project, doc_id) if s.annotator == "ana"
        )
        assert shape(mine) == shape(theirs)
    finally:
        services.close()


def test_double_click_selects_a_word_and_a_palette_click_labels_it(
    qtbot, window: MainWindow, services: Services
) -> None:
    start, end = find(TEXTS[0], "officials")
    viewport = window.text_view.viewport()
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=point_of(window, start + 3))
    assert window.text_view.selected_range() == (start, end)
    qtbot.mouseClick(window.editor.palette_widget.button("NORP"), Qt.MouseButton.LeftButton)
    assert stored_spans(services, window) == [(start, end, "NORP", "officials")]
    assert window.text_view.hasFocus()


def test_an_edit_made_elsewhere_is_never_overwritten(
    qtbot, window: MainWindow, services: Services, settings: QSettings
) -> None:
    # The same annotator in a second window (another machine on a shared database).
    other = show_window(qtbot, services, "ana", settings)
    text = TEXTS[0]
    other.text_view.select_range(*find(text, "Valmera"))
    qtbot.keyClick(other.text_view, Qt.Key.Key_G)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.text_view.select_range(*find(text, "Ada Lindqvist"))
    press(qtbot, window, Qt.Key.Key_P)
    assert "changed elsewhere" in window.statusBar().currentMessage()
    assert [s[2] for s in stored_spans(services, window)] == ["GPE"]
    press(qtbot, window, Qt.Key.Key_F5)
    assert [m.label for m in window.text_view.marks.in_range(0, 10_000)] == ["GPE"]
    window.text_view.select_range(*find(text, "Ada Lindqvist"))
    press(qtbot, window, Qt.Key.Key_P)
    assert sorted(s[2] for s in stored_spans(services, window)) == ["GPE", "PERSON"]


def test_labelling_in_a_hidden_layer_shows_that_layer_again(
    qtbot, window: MainWindow, services: Services
) -> None:
    toggle = window.editor.palette_widget.layer_toggle("claim")
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert "claim" not in window.text_view.visible_layers()
    drag_select(qtbot, window, *find(TEXTS[0], "talks would resume"))  # back in the text
    press(qtbot, window, Qt.Key.Key_C)
    assert [s[2] for s in stored_spans(services, window)] == ["CLAIM"]
    assert "claim" in window.text_view.visible_layers()
    assert toggle.isChecked()


def test_switching_projects_rebuilds_the_palette_for_the_new_schema(
    qtbot, tmp_path: Path, services: Services, settings: QSettings
) -> None:
    schema = tmp_path / "tiny.toml"
    schema.write_text(
        '[schema]\nname = "tiny"\n\n[layers.topic]\noverlap = true\nstyle = "bar"\n\n'
        '[layers.topic.labels.SPORT]\ncolor = "#336699"\nhotkey = "x"\n',
        "utf-8",
    )
    services.projects.create("Tiny", str(schema))
    source = tmp_path / "tiny.jsonl"
    source.write_text(json.dumps({"title": "Match", "text": "Halden won the cup."}) + "\n", "utf-8")
    services.importer.import_paths("Tiny", [source])
    window = show_window(qtbot, services, "ana", settings)
    window.project_box.setCurrentText("Tiny")
    palette = window.editor.palette_widget
    assert list(palette.actions_by_label()) == ["SPORT"]
    assert window.labels_dock.widget() is palette
    window.text_view.select_range(0, 6)
    press(qtbot, window, Qt.Key.Key_X)
    assert stored_spans(services, window) == [(0, 6, "SPORT", "Halden")]
    press(qtbot, window, Qt.Key.Key_P)  # PERSON's key means nothing in this project
    assert stored_spans(services, window) == [(0, 6, "SPORT", "Halden")]


def test_alt_with_a_menu_letter_labels_instead_of_opening_a_menu(
    qtbot, window: MainWindow, services: Services
) -> None:
    start, _ = find(TEXTS[0], "Monday")
    window.text_view.setFocus()
    window.text_view.select_range(start, start + 3)
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # DATE; D was a menu
    assert stored_spans(services, window) == [(start, start + 3, "DATE", "Mon")]
    assert window.menuBar().activeAction() is None


def test_keyboard_labelling_goes_on_from_the_end_of_the_new_span(
    qtbot, window: MainWindow, services: Services
) -> None:
    text = TEXTS[0]
    view = window.text_view
    view.setFocus()
    start = text.index("Ada")
    view.select_range(start, start)
    extend = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window, Qt.Key.Key_Right, extend)
    press(qtbot, window, Qt.Key.Key_Right, extend)
    press(qtbot, window, Qt.Key.Key_P)
    assert view.caret() == start + len("Ada Lindqvist")
    # On to the next words at once: "𝔐 met" is skipped, "officials" is labelled.
    press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    while text[view.caret() :].startswith(("𝔐", "met")):
        press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Right, extend)
    press(qtbot, window, Qt.Key.Key_N)
    labels = [(s[2], s[3]) for s in stored_spans(services, window)]
    assert labels == [("PERSON", "Ada Lindqvist"), ("NORP", "officials")]


def test_snapping_leaves_quotes_and_brackets_out(
    qtbot, window: MainWindow, services: Services
) -> None:
    text = TEXTS[0]
    start = text.index('"We need')
    window.text_view.select_range(start, text.index("said") - 1)  # '"We need a deal,"'
    press(qtbot, window, Qt.Key.Key_T)
    assert [s[3] for s in stored_spans(services, window)] == ["We need a deal"]


def test_a_click_finds_the_span_in_a_right_to_left_run(
    qtbot, tmp_path: Path, settings: QSettings
) -> None:
    services = open_services(str(tmp_path / "rtl.db"))
    try:
        services.projects.create("News", "news")
        text = "محمد العلي told reporters on Thursday that talks would go on."
        source = tmp_path / "rtl.jsonl"
        source.write_text(json.dumps({"title": "RTL", "text": text}) + "\n", "utf-8")
        services.importer.import_paths("News", [source])
        window = show_window(qtbot, services, "ana", settings)
        for word, key in (("محمد العلي", Qt.Key.Key_P), ("Thursday", Qt.Key.Key_D)):
            window.text_view.select_range(*find(text, word))
            press(qtbot, window, key)
        press(qtbot, window, Qt.Key.Key_Escape)
        view = window.text_view
        for word, label in (("Thursday", "DATE"), ("العلي", "PERSON")):
            a, b = find(text, word)
            left, right = point_of(window, a), point_of(window, b)
            middle = QPoint((left.x() + right.x()) // 2, left.y())
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
            assert view.selected_span is not None, word
            assert view.marks.get(view.selected_span).label == label  # type: ignore[union-attr]
            press(qtbot, window, Qt.Key.Key_Escape)
    finally:
        services.close()


def test_every_bar_of_a_deep_stack_is_drawn_in_a_lane_of_its_own(
    qtbot, window: MainWindow, services: Services
) -> None:
    text = TEXTS[0]
    view = window.text_view
    start = text.index("met")
    end = text.index("Monday")
    # Five nested claim and content spans over the same words: deeper than the three lanes.
    for k, key in enumerate((Qt.Key.Key_C, Qt.Key.Key_T, Qt.Key.Key_C, Qt.Key.Key_T, Qt.Key.Key_C)):
        view.select_range(start + 4 * k, end - 3 * k)
        press(qtbot, window, key, Qt.KeyboardModifier.AltModifier)
    assert len(stored_spans(services, window)) == 5
    view.viewport().repaint()
    tops = {span_id: rect.top() for rect, span_id in view.bars}
    assert len(tops) == 5
    assert len(set(tops.values())) == 5  # no two bars in the same place


def test_an_edit_while_another_writer_holds_the_database_is_refused_not_lost(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    import sqlite3

    other = sqlite3.connect(tmp_path / "labeler.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # an import in another process, say
        window.text_view.select_range(*find(TEXTS[0], "Valmera"))
        press(qtbot, window, Qt.Key.Key_G)
        assert "busy" in window.statusBar().currentMessage()
        assert len(window.text_view.marks) == 0
        assert window.editor.undo_stack.count() == 0  # type: ignore[union-attr]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert stored_spans(services, window) == []
    press(qtbot, window, Qt.Key.Key_G)  # the selection is still there: try again
    assert [s[2] for s in stored_spans(services, window)] == ["GPE"]


def test_relabelling_into_a_hidden_layer_shows_it_and_layers_reset_with_a_new_annotator(
    qtbot, window: MainWindow, services: Services
) -> None:
    view = window.text_view
    view.select_range(*find(TEXTS[0], "talks would resume"))
    press(qtbot, window, Qt.Key.Key_C)
    qtbot.mouseClick(window.editor.palette_widget.layer_toggle("entity"), Qt.MouseButton.LeftButton)
    view.setFocus()
    press(qtbot, window, Qt.Key.Key_P)  # the selected claim becomes a PERSON, in "entity"
    assert "entity" in view.visible_layers()
    assert [m.label for m in view.marks.in_range(0, 10_000)] == ["PERSON"]
    qtbot.waitUntil(lambda: window.editor.span_model.rowCount() == 1)
    # Another name at the window edits a set of its own, not the first annotator's.
    window.annotator = "bob"
    window.documents.set_annotator("bob")
    window.open_document(window.editor.session.document.id)  # type: ignore[union-attr]
    assert window.editor.session.annotations.annotator == "bob"  # type: ignore[union-attr]
    assert len(view.marks) == 0
    view.select_range(*find(TEXTS[0], "Valmera"))
    press(qtbot, window, Qt.Key.Key_G)
    assert [s[2] for s in stored_spans(services, window, "bob")] == ["GPE"]
    assert [s[2] for s in stored_spans(services, window, "ana")] == ["PERSON"]


def test_undo_of_a_delete_works_after_spans_were_made_elsewhere(
    qtbot, window: MainWindow, services: Services
) -> None:
    # The deleted span had the highest id; a span made on another document since then must
    # not take it, or undo could not put the deleted span back.
    view = window.text_view
    view.select_range(*find(TEXTS[0], "Valmera"))
    press(qtbot, window, Qt.Key.Key_G)
    gone = view.selected_span
    press(qtbot, window, Qt.Key.Key_Delete)
    press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # the next article
    view.select_range(*find(TEXTS[1], "Valmera"))
    press(qtbot, window, Qt.Key.Key_G)
    assert view.selected_span != gone
    press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s[2] for s in stored_spans(services, window)] == ["GPE"]
    assert view.selected_span == gone
    assert window.saved_label.text() == "✓ Saved"


def test_the_span_list_follows_edits_and_document_switches_made_in_quick_succession(
    qtbot, window: MainWindow, services: Services
) -> None:
    view = window.text_view
    model = window.editor.span_model
    view.select_range(*find(TEXTS[0], "Valmera"))
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    # Delete, then at once (before the list has caught up) open the next document.
    press(qtbot, window, Qt.Key.Key_Delete)
    press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    view.select_range(*find(TEXTS[1], "Valmera"))
    press(qtbot, window, Qt.Key.Key_G)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(
        qtbot,
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier,
    )
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == ["Valmera"]
    assert model.rowCount() == len(view.marks) == 1
    qtbot.waitUntil(lambda: window.editor.span_panel.counts.text().startswith("entity 1"))


def test_the_window_layout_is_remembered_between_runs(
    qtbot, services: Services, settings: QSettings
) -> None:
    first = show_window(qtbot, services, "ana", settings)
    first.resize(700, 550)  # within the offscreen screen: a restored window must fit one
    first.spans_dock.toggleViewAction().trigger()  # View → Spans: hidden
    assert not first.spans_dock.isVisible()
    press(qtbot, first, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # the second article
    left_at = first.editor.session.document.id  # type: ignore[union-attr]
    first.close()
    second = show_window(qtbot, services, None, settings)
    assert (second.width(), second.height()) == (700, 550)
    assert not second.spans_dock.isVisible()
    assert second.labels_dock.isVisible()
    assert second.annotator == "ana"
    assert second.editor.session.document.id == left_at  # type: ignore[union-attr]
    assert second.position_label.text() == "2 / 3"


def test_the_copy_offer_goes_with_the_first_span_and_comes_back_when_none_is_left(
    qtbot, tmp_path: Path, settings: QSettings
) -> None:
    services = open_services(str(tmp_path / "sample.db"))
    try:
        seed_sample(services.projects, services.importer)
        window = show_window(qtbot, services, "ana", settings)
        offer = window.editor.offer
        assert offer.isVisible()
        text = window.editor.session.document.text  # type: ignore[union-attr]
        window.text_view.select_range(*find(text, "Dockworkers"))
        press(qtbot, window, Qt.Key.Key_O)
        assert not offer.isVisible()
        press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert offer.isVisible()
    finally:
        services.close()


def test_choosing_an_attribute_hands_the_keys_back_to_the_text(
    qtbot, window: MainWindow, services: Services
) -> None:
    window.text_view.select_range(*find(TEXTS[0], "talks would resume"))
    press(qtbot, window, Qt.Key.Key_C)
    combo = window.editor.attribute_editor.combo("checkworthy")
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert window.text_view.hasFocus()
    press(qtbot, window, Qt.Key.Key_Delete)  # acts on the span, not on the combo box
    assert stored_spans(services, window) == []
