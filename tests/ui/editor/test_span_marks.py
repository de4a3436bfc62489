"""SpanMarks: range look-ups, reading-order steps and bar lanes, checked against brute force."""

from __future__ import annotations

import random

from labeler.domain.annotation import Span
from labeler.ui.editor.span_marks import Mark, SpanMarks, assign_lanes

TEXT = "😀 ab 𝔐 cd " * 200  # astral characters: UTF-16 offsets run ahead of code points


def random_spans(rng: random.Random, count: int) -> list[Span]:
    spans = []
    for i in range(count):
        start = rng.randrange(0, len(TEXT) - 1)
        end = min(len(TEXT), start + rng.choice((1, 2, 5, 40, 300)))
        layer = rng.choice(("entity", "claim", "attribution"))
        spans.append(Span(start, end, "X", layer, TEXT[start:end], {}, i + 1))
    return spans


def test_in_range_finds_exactly_the_overlapping_marks_after_edits() -> None:
    rng = random.Random(7)
    spans = random_spans(rng, 400)
    marks = SpanMarks()
    marks.reset(TEXT, spans[:300])
    for span in spans[300:]:
        marks.add(span)
    for span in spans[:50]:
        marks.remove(span.id)  # type: ignore[arg-type]
    live = {s.id: s for s in spans[50:]}
    for _ in range(200):
        a = rng.randrange(0, len(TEXT))
        b = a + rng.randrange(1, 60)
        a16, b16 = marks.to_utf16(a), marks.to_utf16(min(b, len(TEXT)))
        layers = rng.choice((None, ["entity"], ["claim", "attribution"]))
        found = {m.id for m in marks.in_range(a16, b16, layers)}
        expected = {
            s.id
            for s in live.values()
            if (layers is None or s.layer in layers)
            and marks.to_utf16(s.start) < b16
            and marks.to_utf16(s.end) > a16
        }
        assert found == expected


def test_marks_are_in_utf16_units() -> None:
    marks = SpanMarks()
    start = TEXT.index("ab")
    marks.reset(TEXT, [Span(start, start + 2, "X", "entity", "ab", {}, 1)])
    mark = marks.get(1)
    assert mark is not None
    assert (mark.start, mark.end) == (3, 5)  # "😀" takes two units, then a space
    assert marks.from_utf16(mark.start) == start


def test_step_walks_in_reading_order_across_layers() -> None:
    rng = random.Random(3)
    spans = random_spans(rng, 120)
    marks = SpanMarks()
    marks.reset(TEXT, spans)
    layers = ["entity", "claim", "attribution"]
    order = sorted((marks.get(s.id) for s in spans), key=lambda m: (m.start, m.id))  # type: ignore[union-attr]
    walked: list[Mark] = []
    key = (-1, 0)
    while (mark := marks.step(key, layers)) is not None:
        walked.append(mark)
        key = (mark.start, mark.id)
    assert [m.id for m in walked] == [m.id for m in order]
    back = marks.step((order[-1].start, order[-1].id), layers, backwards=True)
    assert back is not None
    assert back.id == order[-2].id


def test_lanes_never_stack_overlapping_bars_in_one_lane() -> None:
    rng = random.Random(11)
    marks = [
        Mark(i, s, s + rng.randrange(1, 50), "claim", "X")
        for i, s in enumerate(rng.randrange(0, 500) for _ in range(300))
    ]
    lanes = assign_lanes(marks, lanes=100)
    for a in marks:
        for b in marks:
            if a.id < b.id and a.start < b.end and b.start < a.end:
                assert lanes[a.id] != lanes[b.id]
    capped = assign_lanes(marks, lanes=3)
    assert set(capped.values()) <= {0, 1, 2}
