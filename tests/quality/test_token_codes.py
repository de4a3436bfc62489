"""Token units: the tokens of token_bounds, and each token's label per annotator."""

from __future__ import annotations

import pytest

from labeler.domain.annotation import AnnotationSet, Status, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.domain.tokens import token_bounds, token_offsets
from labeler.quality.measures import MISSING
from labeler.quality.token_codes import LayerValues, document_codes

TEXT = "🙂 Ada  Lind (of Oslo) didn't say\n\nit."


def test_token_offsets_are_token_bounds() -> None:
    starts, ends = token_offsets(TEXT)
    assert list(zip(starts, ends, strict=True)) == token_bounds(TEXT)


def test_each_token_takes_its_spans_label(news_toml) -> None:
    schema = parse_schema(news_toml, "news.toml")
    ana = AnnotationSet(schema, "ana", Status.DONE)
    # "Ada  Lind" by characters from the middle of "Ada" to the middle of "Lind": both tokens
    start = TEXT.index("da")
    ana.add_span(make_span(TEXT, start, TEXT.index("ind"), "PERSON", schema))
    ana.add_span(make_span(TEXT, TEXT.index("Oslo"), TEXT.index("Oslo") + 4, "GPE", schema))
    values = LayerValues(schema, "entity")
    starts, ends = token_offsets(TEXT)
    spans = {"ana": list(ana.spans.values())}
    codes = document_codes(starts, ends, spans, ["ana", "ben"], values)
    words = [TEXT[s:e] for s, e in zip(starts, ends, strict=True)]
    named = {words[i]: values.names[c] for i, c in enumerate(codes[0]) if c}
    assert named == {"Ada": "PERSON", "Lind": "PERSON", "Oslo": "GPE"}
    assert (codes[1] == MISSING).all()
    assert values.names[0] == "O"


@pytest.mark.parametrize("layer", ["entity", "claim", "attribution"])
def test_values_are_o_then_the_layers_labels(news_toml, layer: str) -> None:
    schema = parse_schema(news_toml, "news.toml")
    values = LayerValues(schema, layer)
    assert values.names == ("O", *(label.name for label in schema.layer(layer).labels))
