"""SpanListModel: a set's spans grouped by layer in reading order, following the set's edits."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.errors import RuleError
from labeler.domain.schema import LabelSchema
from labeler.ui.editor.span_list_model import SpanListModel

TEXT = "Officials in Seoul said 11,000 soldiers 🪖 were sent.\nThe ministry warned of more. " * 40


def make(schema: LabelSchema, span_id: int, start: int, end: int, label: str) -> Span:
    return Span(start, end, label, schema.label(label).layer, TEXT[start:end], {}, span_id)


def random_span(schema: LabelSchema, rng: random.Random, span_id: int) -> Span:
    labels = [label.name for label in schema.labels()]
    start = rng.randrange(0, 300)  # a narrow range: equal starts and ends happen
    return make(schema, span_id, start, start + rng.randrange(1, 12), rng.choice(labels))


def rows(model: SpanListModel) -> list[int | None]:
    return [model.span_id(model.index(r, 0)) for r in range(model.rowCount())]


def expected(schema: LabelSchema, spans: dict[int, Span], layers: list[str] | None = None) -> list:
    order = [layer.name for layer in schema.layers if layers is None or layer.name in layers]
    return [
        s.id
        for layer in order
        for s in sorted(
            (s for s in spans.values() if s.layer == layer), key=lambda s: (s.start, s.end, s.id)
        )
    ]


@pytest.fixture
def spans(schema: LabelSchema) -> dict[int, Span]:
    rng = random.Random(7)
    return {i: random_span(schema, rng, i) for i in range(1, 41)}


def set_of(schema: LabelSchema, spans: dict[int, Span]) -> AnnotationSet:
    """A set with these spans, less those its rules refuse (dropped from `spans` too)."""
    annotations = AnnotationSet(schema, "ana")
    for span_id, span in list(spans.items()):
        try:
            annotations.add_span(span)
        except RuleError:
            del spans[span_id]
    return annotations


@pytest.mark.parametrize("force_py", [False, True], ids=["qt", "python"])
def test_random_edits_keep_the_rows_grouped_and_sorted(
    qtmodeltester, schema, spans, force_py
) -> None:
    annotations = set_of(schema, spans)
    model = SpanListModel()
    model.set_annotations(schema, annotations)
    qtmodeltester.check(model, force_py=force_py)  # stays attached: checks every edit's signals
    assert rows(model) == expected(schema, spans)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    rng = random.Random(11)
    next_id = 100
    done = 0
    for _ in range(300):
        action = rng.choice(("add", "remove", "move", "relabel", "attribute"))
        try:
            if action == "add" or not spans:
                span = random_span(schema, rng, next_id)
                next_id += 1
                annotations.add_span(span)
                spans[span.id] = span  # type: ignore[index]
            else:
                span_id = rng.choice(list(spans))
                old = spans[span_id]
                if action == "remove":
                    annotations.remove_span(span_id)
                    del spans[span_id]
                    continue
                if action == "move":
                    new = replace(old, start=max(0, old.start - 3), end=old.end + 2)
                elif action == "relabel":
                    label = rng.choice([label.name for label in schema.labels()])
                    new = replace(old, label=label, layer=schema.label(label).layer)
                else:
                    new = replace(old, attributes={"note": str(rng.random())})
                annotations.replace_span(new)
                spans[span_id] = new
        except RuleError:
            continue  # an overlap the layer forbids: the set refused it, nothing changed
        finally:
            assert rows(model) == expected(schema, spans)
        done += 1
    assert done > 100
    assert resets == []  # one row at a time, never a reset


def test_only_the_layers_shown_are_listed(qtmodeltester, schema, spans) -> None:
    annotations = set_of(schema, spans)
    model = SpanListModel()
    model.set_annotations(schema, annotations)
    model.set_layers(["claim", "attribution"])
    qtmodeltester.check(model)
    assert rows(model) == expected(schema, spans, ["claim", "attribution"])
    hidden = make(schema, 999, 400, 409, "PERSON")
    annotations.add_span(hidden)  # an edit in a hidden layer changes no row
    spans[999] = hidden
    assert rows(model) == expected(schema, spans, ["claim", "attribution"])
    assert model.row_of(999) is None
    model.set_layers(["entity", "claim", "attribution"])
    assert rows(model) == expected(schema, spans)
    claim = next(s for s in spans.values() if s.layer == "claim")
    moved = replace(claim, label="PERSON", layer="entity", start=420, end=422)
    annotations.replace_span(moved)  # to another layer: the row moves there
    spans[claim.id] = moved  # type: ignore[index]
    assert rows(model) == expected(schema, spans)


def test_a_reload_resets_and_the_list_holds_no_copy(qtmodeltester, schema, spans) -> None:
    annotations = set_of(schema, spans)
    model = SpanListModel()
    model.set_annotations(schema, annotations)
    qtmodeltester.check(model)
    removed = annotations.remove_spans(list(spans)[:5])
    assert model.rowCount() == len(annotations.spans) == len(spans) - 5
    annotations.restore_spans(removed)
    assert rows(model) == expected(schema, spans)
    first = model.span_id(model.index(0, 0))
    assert model.span_by_id(first) is annotations.spans[first]  # type: ignore[arg-type]


def test_cells_show_label_colour_and_short_text(schema) -> None:
    model = SpanListModel()
    annotations = AnnotationSet(schema, "ana")
    annotations.add_span(Span(0, len(TEXT), "CLAIM", "claim", TEXT, {}, 1))
    model.set_annotations(schema, annotations)
    assert model.index(0, 0).data() == "CLAIM"
    text = model.index(0, 1).data()
    assert text.endswith("…")
    assert len(text) <= 80
    assert "\n" not in text
    assert model.index(0, 0).data(SpanListModel.SpanIdRole) == 1
    assert model.index_of(1).row() == 0
