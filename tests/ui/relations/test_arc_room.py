"""Arc room: a line gets only as much room above it as the arcs ending on it can stack up to,
and lines without an arc end none (even in a paragraph of relations), so more lines fit on a
screen. Labels are in small UI text of the desktop's font."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from labeler.domain.annotation import Relation, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.services.resources import builtin_schemas
from labeler.ui.editor.text_view import AnnotatedTextView
from labeler.ui.relations.arc_painter import ARC_ROOM, LEVELS, label_font
from labeler.ui.relations.arc_room import room_for

TEXT = (
    "Nothing is said in this first paragraph at all.\n"
    "The mayor said it would rain, the clerk said it would not, and the priest said so too, "
    "and the baker said nothing.\n"
    "Nothing is said in this last paragraph either."
)


def test_room_grows_with_the_arcs_a_paragraph_holds_and_goes_with_them(qtbot) -> None:
    schema = parse_schema(builtin_schemas()["news"].read_text("utf-8"), "news.toml")
    spans = []
    pairs = []
    start = 0
    for n, who in enumerate(("mayor", "clerk", "priest", "baker")):
        source_at = TEXT.index(who, start)
        cue_at = TEXT.index("said", source_at)
        start = cue_at + 4
        source = make_span(
            TEXT, source_at, source_at + len(who), "SOURCE", schema, span_id=2 * n + 1
        )
        cue = make_span(TEXT, cue_at, cue_at + 4, "CUE", schema, span_id=2 * n + 2)
        spans += [source, cue]
        pairs.append((cue.id, source.id))
    view = AnnotatedTextView(schema)
    qtbot.addWidget(view)
    view.resize(2000, 400)  # the paragraph on one line
    view.set_content(TEXT, spans, [])
    pitch = view.arcs.pitch

    def room(number: int) -> int:
        return sum(view.line_room(number).values())

    heights = []
    for n, (cue, source) in enumerate(pairs):
        view.add_relation(Relation("source", cue, source, {}, 100 + n))
        heights.append(room(1))
        assert room(0) == room(2) == 0  # paragraphs without arcs: no room
    expected = [room_for(k, pitch) for k in (1, 2, 3, 3)]
    assert heights == expected
    assert heights[0] < heights[1] < heights[2]  # LEVELS levels at most
    assert LEVELS == 3
    assert room_for(3) == ARC_ROOM
    for n in reversed(range(len(pairs))):
        view.remove_relation(100 + n)
    assert room(1) == 0


def test_only_the_line_an_arc_ends_on_grows(qtbot) -> None:
    """A paragraph of six lines with one short relation on its second line: that line alone
    gets room, and the paragraph grows by that room, not six times it."""
    schema = parse_schema(builtin_schemas()["news"].read_text("utf-8"), "news.toml")
    sentence = "The harbour board met on Monday to weigh the offer from the union. "
    text = sentence * 12
    view = AnnotatedTextView(schema)
    qtbot.addWidget(view)
    view.resize(520, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_content(text, [], [])
    block = view.document().firstBlock()
    view.document().documentLayout().blockBoundingRect(block)
    lines = block.layout()
    assert lines.lineCount() >= 6
    start = lines.lineAt(1).textStart()
    board = text.index("board", start)
    met = text.index("met", board)
    spans = [
        make_span(text, board - 8, board + 5, "SOURCE", schema, span_id=1),
        make_span(text, met, met + 3, "CUE", schema, span_id=2),
    ]
    view.set_content(text, spans, [])
    block = view.document().firstBlock()
    view.document().documentLayout().blockBoundingRect(block)
    lines = block.layout()
    plain = [lines.lineAt(i).height() for i in range(lines.lineCount())]
    height = view.document().documentLayout().blockBoundingRect(block).height()
    view.add_relation(Relation("source", 2, 1, {}, 5))
    view.document().documentLayout().blockBoundingRect(block)
    lines = view.document().firstBlock().layout()
    grown = [lines.lineAt(i).height() - plain[i] for i in range(lines.lineCount())]
    room = room_for(1, view.arcs.pitch)
    assert view.line_room(0) == {1: room}
    assert grown[0] == 0 and all(g == 0 for g in grown[2:])
    assert room <= grown[1] <= room * 1.5  # the raised space's descent adds a little
    layout = view.document().documentLayout()
    assert layout.blockBoundingRect(view.document().firstBlock()).height() == height + grown[1]
    # The text of the grown line stays where its arc's room ends: the arc is painted above it.
    qtbot.waitUntil(lambda: bool(labels_painted(view)))
    [(stroke, label, rid)] = view.arcs.shapes
    assert rid == 5 and label is not None
    x = view.cursorRect(_cursor_at(view, met)).top()
    assert stroke.boundingRect().top() >= x - room - 1
    view.remove_relation(5)
    view.document().documentLayout().blockBoundingRect(block)
    lines = view.document().firstBlock().layout()
    assert [lines.lineAt(i).height() for i in range(lines.lineCount())] == plain


def _cursor_at(view: AnnotatedTextView, position: int):
    cursor = view.textCursor()
    cursor.setPosition(view.marks.to_utf16(position))
    return cursor


def test_arc_labels_follow_the_desktop_font(qtbot) -> None:
    text = "The port authority said the union's demand would cost about $60 million a year."
    cue = text.index("said")
    view = shown_view(
        qtbot, text, [(4, 18, "SOURCE"), (cue, cue + 4, "CUE")], [Relation("source", 2, 1, {}, 9)]
    )
    small = labels_painted(view)[9].height()
    before = sum(view.line_room(0).values())
    big = QFont(view.font())
    big.setPointSizeF(16)
    view.setFont(big)  # as a change of the desktop's font reaches the view
    qtbot.waitUntil(lambda: labels_painted(view)[9].height() > small)
    label = labels_painted(view)[9]
    assert label.height() >= QFontMetricsF(label_font(big)).height()
    assert label_font(big).pointSizeF() == 15  # small UI text: a point below
    assert sum(view.line_room(0).values()) > before  # room for the bigger labels


def shown_view(qtbot, text: str, spans: list, relations: list) -> AnnotatedTextView:
    schema = parse_schema(builtin_schemas()["news"].read_text("utf-8"), "news.toml")
    view = AnnotatedTextView(schema)
    qtbot.addWidget(view)
    view.resize(520, 300)
    view.set_content(
        text, [make_span(text, *s, schema, span_id=i + 1) for i, s in enumerate(spans)], relations
    )
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: bool(labels_painted(view)))
    return view


def labels_painted(view: AnnotatedTextView) -> dict[int, QRectF]:
    view.viewport().repaint()
    return {rid: rect for _, rect, rid in view.arcs.shapes if rect is not None}


def test_a_source_on_the_words_of_its_person_gets_a_loop_one_can_see_and_click(qtbot) -> None:
    text = "Ana Reyes said the port would reopen."
    view = shown_view(
        qtbot, text, [(0, 9, "PERSON"), (0, 9, "SOURCE")], [Relation("refers_to", 2, 1, {}, 7)]
    )
    view.viewport().repaint()
    [(stroke, label, rid)] = view.arcs.shapes
    assert rid == 7 and label is not None
    assert stroke.boundingRect().width() >= 16  # a loop, not a line up and down again
    assert label.width() > 30  # "refers_to", legible
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=label.center().toPoint())
    assert view.selected_relation == 7


def test_no_label_under_the_selected_span_s_tag_and_none_past_the_text(qtbot) -> None:
    text = "The port authority said the union's demand would cost about $60 million a year."
    cue = text.index("said")
    claim = text.index("the union")
    view = shown_view(
        qtbot,
        text,
        [
            (4, 18, "SOURCE"),
            (cue, cue + 4, "CUE"),
            (claim, len(text) - 1, "CLAIM"),
            (claim, len(text) - 1, "CONTENT"),
        ],
        [
            Relation("source", 2, 1, {}, 10),
            Relation("content", 2, 4, {}, 11),
            Relation("attributed_to", 3, 1, {}, 12),
        ],
    )
    view.select_span(3)  # the claim: its tag sits above "the union's"
    labels = labels_painted(view)
    assert len(labels) == 3
    mark = view.marks.get(3)
    assert mark is not None
    placed = view._painter.selection_tag(view.font(), "CLAIM", view._point_size)
    assert placed is not None
    tag = placed[0]
    width = view.viewport().width()
    for rid, rect in labels.items():
        assert not rect.intersects(tag), rid
        assert rect.left() >= 0 and rect.right() <= width, rid
        assert rect.height() >= QFontMetricsF(label_font(view.font())).height(), rid


def _placed_to_the_end(view: AnnotatedTextView) -> bool:
    """Qt's layout reaches the last paragraph: each is placed below the one before, and the
    document is as tall as its paragraphs (a layout cut short stacks the rest at its end)."""
    document = view.document()
    layout = document.documentLayout()
    block = document.findBlockByNumber(document.blockCount() - 4)
    tops = []
    while block.isValid():
        tops.append(layout.blockBoundingRect(block).top())
        block = block.next()
    line = QFontMetricsF(document.defaultFont()).lineSpacing()
    height = layout.documentSize().height()
    return tops == sorted(set(tops)) and height >= document.blockCount() * line


def test_room_given_while_qt_still_lays_the_text_out_leaves_its_layout_whole(qtbot) -> None:
    """Qt lays a long text out lazily; a format change before it is done would end that for
    good, leaving the paragraphs below unplaced. Room given at the top as the text opens, and
    far down before the layout is through, leaves every paragraph placed."""
    schema = parse_schema(builtin_schemas()["news"].read_text("utf-8"), "news.toml")
    paragraph = "The mayor said it would rain on the harbour by the evening.\n"
    text = paragraph * 600
    spans, relations = [], []
    for n in range(600):
        at = n * len(paragraph)
        source = make_span(text, at + 4, at + 9, "SOURCE", schema, span_id=2 * n + 1)
        cue = make_span(text, at + 10, at + 14, "CUE", schema, span_id=2 * n + 2)
        spans += [source, cue]
        relations.append(Relation("source", cue.id, source.id, {}, 1000 + n))
    for far in (False, True):
        view = AnnotatedTextView(schema)
        qtbot.addWidget(view)
        view.resize(520, 300)
        view.show()
        qtbot.waitExposed(view)
        view.set_content(text, spans, relations)
        assert view.line_room(0)  # the top has its room at once
        if far:  # the view jumps down before the idle layout is through: room there too
            bar = view.verticalScrollBar()
            bar.setValue(bar.maximum() // 2)
            top = view.cursorForPosition(view.viewport().rect().topLeft()).blockNumber()
            assert view.line_room(top)
        assert _placed_to_the_end(view)
