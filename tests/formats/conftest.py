"""Fixtures of the format tests."""

from __future__ import annotations

import pytest

from labeler.domain.schema import LabelSchema
from labeler.domain.schema_toml import parse_schema


@pytest.fixture
def schema(news_toml: str) -> LabelSchema:
    """The news schema that ships with labeler."""
    return parse_schema(news_toml, "news.toml")
