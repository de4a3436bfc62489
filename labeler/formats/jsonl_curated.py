"""A curated (gold) set in the native JSON Lines format: `"curated": true` and the `curator`
on the set, and on each span and relation the `sources`, the annotators who had it."""

from __future__ import annotations

from typing import Any

from labeler.domain.annotation import AnnotationSet
from labeler.domain.snippets import shown


class CuratedProblem(ValueError):
    """What is wrong with a set's curated fields (the reader names the line)."""


def set_fields(s: AnnotationSet) -> dict[str, Any]:
    """The set-level fields of a curated set; none for any other."""
    if s.curated is None:
        return {}
    return {"curated": True, "curator": s.curated.curator}


def span_fields(s: AnnotationSet, span_id: int) -> dict[str, Any]:
    had = s.curated.spans.get(span_id) if s.curated is not None else None
    return {"sources": sorted(had)} if had else {}


def relation_fields(s: AnnotationSet, relation_id: int | None) -> dict[str, Any]:
    if s.curated is None or relation_id is None:
        return {}
    had = s.curated.relations.get(relation_id)
    return {"sources": sorted(had)} if had else {}


def curator_of(raw: dict[str, Any], where: str) -> str | None:
    """The curator of a set marked curated, else None."""
    flag = raw.get("curated", False)
    if not isinstance(flag, bool):
        raise CuratedProblem(f"{where}curated {shown(flag)} is not true or false")
    if not flag:
        return None
    curator = raw.get("curator")
    if not isinstance(curator, str) or not curator.strip():
        raise CuratedProblem(f'{where}a curated set needs its curator\'s name ("curator")')
    return curator.strip()


def sources_of(raw: dict[str, Any], what: str) -> list[str]:
    """A span's or relation's `sources`: a list of annotator names (none if absent)."""
    value = raw.get("sources", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CuratedProblem(f"{what} sources must be a list of annotator names")
    return list(value)
