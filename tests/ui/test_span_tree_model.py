"""SpanTreeModel: layers over their spans in text order, kept sorted by incremental edits."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from labeler.domain.annotation import Span
from labeler.domain.schema import LabelSchema
from labeler.domain.schema_toml import parse_schema
from labeler.ui.span_tree_model import (
    LABEL_COLUMN,
    TEXT_COLUMN,
    WHERE_COLUMN,
    SpanIdRole,
    SpanTreeModel,
)

TEXT = "Officials in Seoul said 11,000 soldiers 🪖 were sent.\nThe ministry warned of more. " * 40


@pytest.fixture
def schema(news_toml: str) -> LabelSchema:
    return parse_schema(news_toml, "news.toml")


def _span(schema: LabelSchema, span_id: int, start: int, end: int, label: str) -> Span:
    return Span(start, end, label, schema.label(label).layer, TEXT[start:end], {}, span_id)


def _random_span(schema: LabelSchema, rng: random.Random, span_id: int) -> Span:
    labels = [label.name for label in schema.labels()]
    start = rng.randrange(0, 300)  # a narrow range, so equal starts and ends happen
    end = start + rng.randrange(1, 12)
    return _span(schema, span_id, start, end, rng.choice(labels))


def _rows(model: SpanTreeModel, layer: str) -> list[int | None]:
    parent = model.layer_index(layer)
    return [model.span_id(model.index(r, 0, parent)) for r in range(model.rowCount(parent))]


def _expected(spans: dict[int, Span], layer: str) -> list[int]:
    mine = [s for s in spans.values() if s.layer == layer]
    return [s.id for s in sorted(mine, key=lambda s: (s.start, s.end, s.id))]  # type: ignore[misc]


def _assert_sorted(model: SpanTreeModel, schema: LabelSchema, spans: dict[int, Span]) -> None:
    for layer in schema.layers:
        assert _rows(model, layer.name) == _expected(spans, layer.name), layer.name
        count = len(_expected(spans, layer.name))
        assert model.layer_index(layer.name).data() == f"{layer.name} ({count})"


@pytest.fixture
def spans(schema: LabelSchema) -> dict[int, Span]:
    rng = random.Random(7)
    return {i: _random_span(schema, rng, i) for i in range(1, 41)}


@pytest.mark.parametrize("force_py", [False, True], ids=["qt", "python"])
def test_model_tester_passes_after_set_spans(qtmodeltester, schema, spans, force_py) -> None:
    model = SpanTreeModel()
    model.set_spans(schema, spans.values())
    qtmodeltester.check(model, force_py=force_py)
    _assert_sorted(model, schema, spans)


@pytest.mark.parametrize("force_py", [False, True], ids=["qt", "python"])
def test_random_edits_keep_every_layer_sorted(qtmodeltester, schema, spans, force_py) -> None:
    model = SpanTreeModel()
    model.set_spans(schema, spans.values())
    # The tester stays attached and checks every signal the edits below emit.
    qtmodeltester.check(model, force_py=force_py)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.layoutChanged.connect(lambda: resets.append(True))
    rng = random.Random(11)
    next_id = 1000
    for _ in range(100):
        action = rng.random()
        if action < 0.3 or not spans:
            next_id += 1
            span = _random_span(schema, rng, next_id)
            model.add_span(span)
            spans[span.id] = span  # type: ignore[index]
        elif action < 0.5:
            span_id = rng.choice(list(spans))
            model.remove_span(span_id)
            del spans[span_id]
        else:
            old = spans[rng.choice(list(spans))]
            moved = _random_span(schema, rng, old.id)  # type: ignore[arg-type]
            if rng.random() < 0.5:  # same layer, perhaps same offsets: only the label changes
                same_layer = [label.name for label in schema.layer(old.layer).labels]
                moved = replace(old, label=rng.choice(same_layer))
                if rng.random() < 0.5:
                    moved = replace(moved, start=moved.start + 1, end=moved.end + 1)
            model.update_span(moved)
            spans[moved.id] = moved  # type: ignore[index]
        _assert_sorted(model, schema, spans)
    qtmodeltester.check(model, force_py=force_py)
    assert resets == []


def test_rows_show_text_label_and_where(qapp, schema) -> None:
    long_text = "A claim\nthat runs on " + "and on " * 20
    claim = Span(120, 120 + len(long_text), "CLAIM", "claim", long_text, {}, 5)
    person = Span(120, 134, "PERSON", "entity", "Moon Jae-in 🪖x", {}, 6)
    model = SpanTreeModel()
    model.set_spans(schema, [claim, person])
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Text",
        "Label",
        "Where",
    ]
    row = model.index_of(5)
    text = row.siblingAtColumn(TEXT_COLUMN).data()
    assert "\n" not in text
    assert text.startswith("A claim that runs on")
    assert text.endswith("…")
    assert len(text) <= 60
    assert row.siblingAtColumn(LABEL_COLUMN).data() == "CLAIM"
    assert row.siblingAtColumn(WHERE_COLUMN).data() == f"120–{120 + len(long_text)}"
    assert row.siblingAtColumn(LABEL_COLUMN).data(Qt.ItemDataRole.DecorationRole) == QColor(
        "#d84315"
    )
    assert model.index_of(6).data() == "Moon Jae-in 🪖x"
    assert model.index_of(6).siblingAtColumn(WHERE_COLUMN).data() == "120–134"


def test_span_ids_on_span_rows_and_none_on_layer_rows(qapp, schema, spans) -> None:
    model = SpanTreeModel()
    model.set_spans(schema, spans.values())
    assert [model.index(r, 0).data() for r in range(3)] == [
        f"{layer.name} ({len(_expected(spans, layer.name))})" for layer in schema.layers
    ]
    for row in range(model.rowCount()):
        layer_row = model.index(row, 0)
        assert model.span_id(layer_row) is None
        assert layer_row.data(SpanIdRole) is None
        assert not model.parent(layer_row).isValid()
    for span_id in spans:
        index = model.index_of(span_id)
        assert index.isValid()
        assert model.span_id(index) == span_id
        assert index.siblingAtColumn(WHERE_COLUMN).data(SpanIdRole) == span_id
        assert model.parent(index) == model.layer_index(spans[span_id].layer)
    assert not model.index_of(999_999).isValid()
    assert model.span_id(QModelIndex()) is None


def test_a_layer_change_moves_the_span_to_the_other_layer(qtbot, schema) -> None:
    model = SpanTreeModel()
    model.set_spans(schema, [_span(schema, 1, 0, 9, "PERSON")])
    with qtbot.waitSignals([model.rowsRemoved, model.rowsInserted]):
        model.update_span(_span(schema, 1, 0, 9, "SOURCE"))
    assert _rows(model, "entity") == []
    assert _rows(model, "attribution") == [1]
    assert model.index_of(1).siblingAtColumn(LABEL_COLUMN).data() == "SOURCE"


def test_edits_emit_row_signals_not_resets(qtbot, schema) -> None:
    model = SpanTreeModel()
    model.set_spans(schema, [_span(schema, i, 10 * i, 10 * i + 5, "GPE") for i in range(1, 6)])
    entity = model.layer_index("entity")
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted) as sig:
        model.add_span(_span(schema, 9, 25, 27, "ORG"))
    assert sig.args[1:] == [2, 2]
    assert sig.args[0] == entity
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsMoved) as moved:
        model.update_span(_span(schema, 9, 45, 47, "ORG"))
    assert moved.args[1:3] == [2, 2]
    assert _rows(model, "entity") == [1, 2, 3, 4, 9, 5]
    with qtbot.assertNotEmitted(model.rowsMoved), qtbot.waitSignal(model.dataChanged) as changed:
        model.update_span(_span(schema, 9, 45, 47, "LOC"))
    assert changed.args[0].row() == 4
    with qtbot.waitSignal(model.rowsRemoved) as removed:
        model.remove_span(3)
    assert removed.args[1:] == [2, 2]
    assert _rows(model, "entity") == [1, 2, 4, 9, 5]


def test_bad_spans_are_refused(qapp, schema) -> None:
    model = SpanTreeModel()
    model.set_spans(schema, [_span(schema, 1, 0, 5, "GPE")])
    with pytest.raises(ValueError, match="no id"):
        model.add_span(Span(0, 5, "GPE", "entity", "x"))
    with pytest.raises(ValueError, match="already shown"):
        model.add_span(_span(schema, 1, 3, 5, "GPE"))
    with pytest.raises(ValueError, match="not in the schema"):
        model.set_spans(schema, [Span(0, 5, "X", "nowhere", "x", {}, 2)])
    with pytest.raises(KeyError):
        model.remove_span(42)
    with pytest.raises(KeyError):
        model.update_span(_span(schema, 42, 0, 5, "GPE"))
    assert _rows(model, "entity") == [1]


def test_twenty_thousand_spans_edit_without_resorting(qapp, schema) -> None:
    rng = random.Random(3)
    many = [
        Span(s, s + 5, "ORG", "entity", "x", {}, i)
        for i, s in enumerate(rng.sample(range(0, 1_000_000), 20_000), start=1)
    ]
    model = SpanTreeModel()
    model.set_spans(schema, many)
    sorted_calls: list[int] = []
    model.layoutChanged.connect(lambda: sorted_calls.append(1))
    for i in range(200):
        model.add_span(Span(i * 7, i * 7 + 3, "PERSON", "entity", "y", {}, 100_000 + i))
        model.update_span(Span(i * 11, i * 11 + 4, "PERSON", "entity", "y", {}, 100_000 + i))
    assert model.rowCount(model.layer_index("entity")) == 20_200
    assert sorted_calls == []
    ids = _rows(model, "entity")
    starts = [model.span_by_id(i).start for i in ids]  # type: ignore[union-attr, misc]
    assert starts == sorted(starts)
