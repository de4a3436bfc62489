"""Three short articles with attributions by two annotators, as a JSONL file to import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support import offsets

STRIKE = (
    '"We will stay out," said Ilse Marquard. "Our members have not had a raise." '
    "Economists at Halden Bank warned that growth could slow."
)
BARRIER = "The council said the flood barrier costs $42 million. Nothing else happened."
QUIET = "A quiet day in Valmera: nobody said anything."

# (label, words, attributes) by a name; relations as (type, head name, tail name).
_Spans = dict[str, tuple[str, str, dict[str, str]]]
_Relations = list[tuple[str, str, str]]

ANA_STRIKE: tuple[_Spans, _Relations] = (
    {
        "first": ("CONTENT", '"We will stay out,"', {}),
        "said": ("CUE", "said", {"type": "assertion"}),
        "marquard": ("SOURCE", "Ilse Marquard", {}),
        "person": ("PERSON", "Ilse Marquard", {}),
        "second": ("CONTENT", '"Our members have not had a raise."', {}),
        "raise": (
            "CLAIM",
            "Our members have not had a raise",
            {"claim_type": "event", "checkworthy": "yes", "verification": "unverified"},
        ),
        "economists": ("SOURCE", "Economists at Halden Bank", {}),
        "bank": ("ORG", "Halden Bank", {}),
        "warned": ("CUE", "warned", {}),
        "growth": ("CONTENT", "growth could slow", {}),
        "slow": ("CLAIM", "growth could slow", {"claim_type": "prediction", "checkworthy": "no"}),
    },
    [
        ("source", "said", "marquard"),
        ("content", "said", "first"),
        ("continues", "first", "second"),
        ("refers_to", "marquard", "person"),
        ("attributed_to", "raise", "marquard"),
        ("source", "warned", "economists"),
        ("content", "warned", "growth"),
        ("refers_to", "economists", "bank"),
    ],
)
BO_STRIKE: tuple[_Spans, _Relations] = (
    {
        "said": ("CUE", "said", {}),
        "marquard": ("SOURCE", "Ilse Marquard", {}),
        "first": ("CONTENT", '"We will stay out,"', {}),
    },
    [("source", "said", "marquard"), ("content", "said", "first")],
)
ANA_BARRIER: tuple[_Spans, _Relations] = (
    {
        "council": ("SOURCE", "The council", {}),
        "said": ("CUE", "said", {}),
        "content": ("CONTENT", "the flood barrier costs $42 million", {}),
        "cost": ("CLAIM", "the flood barrier costs $42 million", {"claim_type": "quantity"}),
        "money": ("MONEY", "$42 million", {}),
    },
    [
        ("source", "said", "council"),
        ("content", "said", "content"),
        ("attributed_to", "cost", "council"),
    ],
)


def _annotation(text: str, annotator: str, made: tuple[_Spans, _Relations]) -> dict[str, Any]:
    spans, relations = made
    names = list(spans)
    records = []
    for number, name in enumerate(names, 1):
        label, words, attrs = spans[name]
        start, end = offsets(text, words)
        layer = {"CLAIM": "claim"}.get(label, "attribution")
        if label in ("PERSON", "ORG", "MONEY"):
            layer = "entity"
        records.append(
            {
                "id": number,
                "layer": layer,
                "label": label,
                "start": start,
                "end": end,
                "text": words,
                "attributes": attrs,
            }
        )
    links = [
        {"type": kind, "head": names.index(head) + 1, "tail": names.index(tail) + 1}
        for kind, head, tail in relations
    ]
    return {"annotator": annotator, "status": "in_progress", "spans": records, "relations": links}


def write_articles(path: Path) -> Path:
    """Writes the three articles (strike: ana and bo; barrier: ana; quiet: nobody)."""
    records = [
        {
            "title": "Port strike",
            "text": STRIKE,
            "annotations": [
                _annotation(STRIKE, "ana", ANA_STRIKE),
                _annotation(STRIKE, "bo", BO_STRIKE),
            ],
        },
        {
            "title": "Flood barrier",
            "text": BARRIER,
            "annotations": [_annotation(BARRIER, "ana", ANA_BARRIER)],
        },
        {"title": "Quiet day", "text": QUIET},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
