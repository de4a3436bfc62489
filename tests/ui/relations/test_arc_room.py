"""Arc room: a paragraph gets only as much room above its lines as its arcs can stack up to,
and paragraphs without relations none, so more lines fit on a screen."""

from __future__ import annotations

from labeler.domain.annotation import Relation, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.services.resources import builtin_schemas
from labeler.ui.editor.text_view import AnnotatedTextView
from labeler.ui.relations.arc_painter import ARC_ROOM, LEVELS
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
