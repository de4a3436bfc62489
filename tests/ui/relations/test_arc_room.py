"""Arc room: a paragraph gets only as much room above its lines as its arcs can stack up to,
and paragraphs without relations none, so more lines fit on a screen."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt

from labeler.domain.annotation import Relation, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.services.resources import builtin_schemas
from labeler.ui.editor.text_view import AnnotatedTextView
from labeler.ui.relations.arc_painter import ARC_ROOM, LABEL_PX, LEVELS
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
    view.resize(500, 400)
    view.set_content(TEXT, spans, [])
    block = view.document().findBlockByNumber

    def room(number: int) -> float:
        return block(number).blockFormat().lineHeight()

    plain = room(1)
    heights = []
    for n, (cue, source) in enumerate(pairs):
        view.add_relation(Relation("source", cue, source, {}, 100 + n))
        heights.append(room(1) - plain)
        assert room(0) == room(2) == plain  # paragraphs without arcs: no room
    assert heights == [room_for(1), room_for(2), room_for(3), room_for(3)]
    assert heights[0] < heights[1] < heights[2] == ARC_ROOM  # LEVELS levels at most
    assert LEVELS == 3
    for n in reversed(range(len(pairs))):
        view.remove_relation(100 + n)
    assert room(1) == plain


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
        assert rect.height() >= LABEL_PX, rid
