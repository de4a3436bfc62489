"""Stored suggestions as the formats that hold them apart from annotations write them.

Label Studio: one prediction per recommender (`model_version` its name), each span a `labels`
region with its own `score`, a frame's links as relation results, attributes as per-region
choices; the prediction's `score` is its least sure region's. The native JSONL: a top-level
`suggestions` list without annotators; a span is `{start, end, label, text, score,
recommender}`, a frame `{spans: [...], links: [[type, head, tail]], score, recommender}`.
Both importers read these back as the same suggestions. A suggested relation between spans
of an annotation set has no place in either (it names the set's span ids) and is counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from labeler.domain.suggestion import SuggestedFrame, SuggestedRelation, SuggestedSpan, Suggestion
from labeler.formats.labelstudio_config import LABELS, TEXT
from labeler.formats.records import RawAnnotationSet, RawRelation, RawSpan, WriteReport

NOT_CARRIED = "suggested relations between annotated spans (they name a set's span ids)"


def _region(span: SuggestedSpan, text: str, rid: str, score: float) -> list[dict[str, Any]]:
    value = {"start": span.start, "end": span.end, "text": text[span.start : span.end]}
    found: list[dict[str, Any]] = [
        {
            "id": rid,
            "from_name": LABELS,
            "to_name": TEXT,
            "type": "labels",
            "score": score,
            "value": {**value, "labels": [span.label]},
        }
    ]
    found.extend(
        {
            "id": rid,
            "from_name": name,
            "to_name": TEXT,
            "type": "choices",
            "value": {**value, "choices": [span.attributes[name]]},
        }
        for name in sorted(span.attributes)
    )
    return found


def predictions(
    suggestions: Sequence[Suggestion], text: str, report: WriteReport
) -> list[dict[str, Any]]:
    """A document's suggestions as Label Studio predictions, one per recommender."""
    by_recommender: dict[str, list[Suggestion]] = {}
    for s in suggestions:
        if isinstance(s.proposal, SuggestedRelation):
            report.note(NOT_CARRIED)
            continue
        by_recommender.setdefault(s.recommender, []).append(s)
    found = []
    for k, (name, mine) in enumerate(by_recommender.items(), 1):
        results: list[dict[str, Any]] = []
        n = 0
        for s in mine:
            rids = []
            for span in s.spans:
                n += 1
                rids.append(f"p{k}-s{n}")
                results += _region(span, text, rids[-1], s.score)
            if isinstance(s.proposal, SuggestedFrame):
                results.extend(
                    {
                        "type": "relation",
                        "from_id": rids[head],
                        "to_id": rids[tail],
                        "direction": "right",
                        "labels": [type_],
                    }
                    for type_, head, tail in s.proposal.links
                )
        found.append(
            {"model_version": name, "score": min(s.score for s in mine), "result": results}
        )
    return found


def _span_json(span: SuggestedSpan, text: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": text[span.start : span.end],
    }
    if span.attributes:
        found["attributes"] = dict(span.attributes)
    return found


def suggestions_json(
    suggestions: Sequence[Suggestion], text: str, report: WriteReport
) -> list[dict[str, Any]]:
    """A document's suggestions as the native JSONL's top-level `suggestions` list."""
    found = []
    for s in suggestions:
        proposal = s.proposal
        if isinstance(proposal, SuggestedRelation):
            report.note(NOT_CARRIED)
            continue
        where = {"score": s.score, "recommender": s.recommender}
        if isinstance(proposal, SuggestedSpan):
            found.append({**_span_json(proposal, text), **where})
        else:
            spans = [_span_json(p, text) for p in proposal.spans]
            found.append({"spans": spans, "links": [list(x) for x in proposal.links], **where})
    return found


SpanReader = Callable[[Any, str], list[RawSpan]]
"""Reads a list of spans of one document (the native format's checks), prefixing problems."""


def read_suggestions(
    value: Any, spans_of: SpanReader, string: Callable[[Any, str], str]
) -> list[RawAnnotationSet]:
    """The native `suggestions` list as one set per recommender named (default 'import');
    a frame's spans are joined by its links. ValueError (or spans_of's error) says why not."""
    if not isinstance(value, list):
        raise ValueError("field 'suggestions' must be a list")
    by_recommender: dict[str, RawAnnotationSet] = {}
    for n, raw in enumerate(value, 1):
        where = f"suggestion {n}: "
        if not isinstance(raw, dict):
            raise ValueError(f"{where}must be an object")
        name = string(raw.get("recommender", "import"), f"{where}recommender").strip() or "import"
        found = by_recommender.setdefault(name, RawAnnotationSet(recommender=name))
        if "spans" in raw:  # a frame: spans linked, accepted together
            spans = spans_of(raw["spans"], where)
            links = raw.get("links", [])
            if not isinstance(links, list) or not all(_link(x, len(spans)) for x in links):
                raise ValueError(f"{where}links must be [type, head, tail] of its spans")
            found.relations += [RawRelation(t, (n, h), (n, k)) for t, h, k in links]
        else:
            spans = spans_of([{k: v for k, v in raw.items() if k != "score"}], where)
        for i, span in enumerate(spans):
            span.key = (n, i)
        if "score" in raw:
            score = raw["score"]
            if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
                raise ValueError(f"{where}score must be a number from 0 to 1")
            for span in spans:
                span.score = float(score)
        found.spans += spans
    return list(by_recommender.values())


def _link(value: Any, count: int) -> bool:
    """Whether a frame's link is [type, head, tail], naming two of its `count` spans."""
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(type(i) is int and 0 <= i < count for i in value[1:])
    )
