"""Imported by the server that forks an in-process export's workers (`forked.server`), once a
run of the program: what the tokenising writers' work needs (spaCy without its command line,
the English tokenizer, the writers and their libraries), so that each worker it forks starts
with them loaded. Nothing else imports it."""

from __future__ import annotations

import contextlib


def _load() -> None:
    from labeler.formats.forked import load_spacy

    load_spacy()
    from labeler.formats import conll, hf, prodigy, spacy_docbin, xmi  # noqa: F401
    from labeler.formats.spacy_docbin import blank_pipeline

    blank_pipeline("en").make_doc("Warm up.")  # the tokenizer's tables, made once
    with contextlib.suppress(ImportError):  # the XMI writer's libraries
        import cassis  # noqa: F401
        import lxml.etree  # noqa: F401


_load()
