"""File names for formats that write one file (or pair of files) per document."""

from __future__ import annotations

from labeler.domain.document import Document


def document_stem(doc: Document, ordinal: int, used: set[str]) -> str:
    """A file stem for a document: its id zero-padded, unique among the stems in `used`."""
    stem = f"{doc.id:06d}" if doc.id is not None else f"doc-{ordinal:06d}"
    base, n = stem, 1
    while stem in used:  # only when ids repeat; keeps every document's files distinct
        n += 1
        stem = f"{base}-{n}"
    used.add(stem)
    return stem
