"""The formats offered to the window and the command line, as services/formats.py lists them."""

from __future__ import annotations

import pytest

from labeler.domain.errors import LabelerError
from labeler.services import formats


def test_readers_and_writers_say_what_each_format_does() -> None:
    every = {f.name: f for f in formats.all_formats()}
    assert list(every) == sorted(every)
    assert {"text", "csv"} <= {f.name for f in formats.readers()} - {
        f.name for f in formats.writers()
    }
    assert every["text"].abilities == "import"
    assert every["conll"].abilities == "import/export"
    assert every["hf"].writes_folder and every["brat"].writes_folder
    assert not every["conll"].writes_folder
    assert [f.name for f in formats.writers() if f.lossless] == ["jsonl"]
    assert formats.writers()[0].name == "jsonl"  # the native, lossless format first
    assert every["jsonl"].extensions == (".jsonl", ".ndjson")


def test_an_unknown_name_is_refused_with_the_nearest() -> None:
    assert formats.describe("spacy").name == "spacy"
    with pytest.raises(LabelerError, match="unknown format 'conl'; did you mean 'conll'"):
        formats.describe("conl")
