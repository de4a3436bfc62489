"""Each token's label in one layer, per annotator: the units of the token-level measures."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

import numpy as np

from labeler.domain.annotation import Span
from labeler.domain.schema import LabelSchema
from labeler.quality.measures import MISSING, Codes

OUTSIDE = "O"
"""The value of a token that no span of the layer covers."""


class LayerValues:
    """The values a token can take in one layer: OUTSIDE (0), then the layer's labels."""

    def __init__(self, schema: LabelSchema, layer: str) -> None:
        self.layer = layer
        self.names: tuple[str, ...] = (
            OUTSIDE,
            *(label.name for label in schema.layer(layer).labels),
        )
        self.index = {name: i for i, name in enumerate(self.names)}

    def __len__(self) -> int:
        return len(self.names)


def document_codes(
    starts: Sequence[int],
    ends: Sequence[int],
    spans: Mapping[str, Sequence[Span]],
    annotators: Sequence[str],
    values: LayerValues,
) -> Codes:
    """Annotators x tokens (given by their `starts` and `ends`): each token's value in the
    layer from each annotator's spans of that layer, MISSING for an annotator not in `spans`.

    A token takes the label of a span it shares a character with; where spans of the layer
    overlap, the one that starts later wins (the inner one, for nested spans). Labels the
    layer does not know (a schema changed since) are left out.
    """
    codes = np.full((len(annotators), len(starts)), MISSING, dtype=np.int16)
    index = values.index
    for row, name in enumerate(annotators):
        found = spans.get(name)
        if found is None:
            continue
        line = codes[row]
        line[:] = 0
        for span in sorted(found, key=lambda s: (s.start, -s.end)):
            code = index.get(span.label)
            if code is None:
                continue
            first = bisect.bisect_right(ends, span.start)  # the first token ending after start
            last = bisect.bisect_left(starts, span.end)  # past the last token starting before end
            if first < last:
                line[first:last] = code
    return codes
