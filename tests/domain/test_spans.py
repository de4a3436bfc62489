"""built_span gives the same frozen Span as Span(...) (make_span and readers build spans so)."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, replace

import pytest

from labeler.domain.spans import Span, built_span


def test_a_built_span_is_the_span_the_dataclass_makes() -> None:
    args = (3, 9, "GPE", "entity", "Bergen", {"type": "city"}, -1, "a note")
    made, built = Span(*args), built_span(*args)
    assert built == made and repr(built) == repr(made)
    assert type(built) is Span
    assert pickle.loads(pickle.dumps(built)) == made
    assert replace(built, label="ORG") == replace(made, label="ORG")
    with pytest.raises(FrozenInstanceError):
        built.start = 4  # type: ignore[misc]
