"""Writes articles.jsonl, the Sample project's articles, from the stories below.

The stories are fictional. Annotations are given as (key, label, snippet, occurrence) so that
offsets are found in the text rather than counted by hand; run this script after editing a story:

    python resources/sample/build_sample.py
"""

from __future__ import annotations

import json
from pathlib import Path

STORIES = [
    {
        "title": "Dockworkers extend Valmera port strike as talks stall",
        "date": "2026-03-14",
        "meta": {"source": "Meridian Wire", "section": "Business"},
        "text": (
            "VALMERA, March 14 (Meridian Wire) - Dockworkers at the Port of Valmera extended "
            "their strike into a third day on Saturday after talks with the port authority broke "
            "down overnight, leaving more than 40 container ships waiting offshore.\n\n"
            '"We will stay out until the authority puts a real offer on the table," said Ilse '
            'Marquard, who leads the Coastal Transport Union. "Our members have not had a raise '
            'since 2023."\n\n'
            "The port authority said the union's demand for a 9 percent raise would cost about "
            "$60 million a year. According to its chief executive, Tomas Rehn, the strike is "
            "costing regional exporters close to $15 million a day.\n\n"
            "Economists at Halden Bank warned that a strike lasting beyond next week could shave "
            "0.2 percentage points off quarterly growth. Transport minister Ada Lindqvist urged "
            "both sides to return to the table on Monday."
        ),
        "status": "in_progress",
        "spans": [
            ("valmera", "GPE", "VALMERA", 1),
            ("wire1", "ORG", "Meridian Wire", 1),
            ("march14", "DATE", "March 14", 1),
            ("port", "FAC", "Port of Valmera", 1),
            ("third", "ORDINAL", "third", 1),
            ("sat", "DATE", "Saturday", 1),
            ("ships", "CARDINAL", "more than 40", 1),
            ("ilse", "PERSON", "Ilse Marquard", 1),
            ("ctu", "ORG", "Coastal Transport Union", 1),
            ("y2023", "DATE", "2023", 1),
            ("pct9", "PERCENT", "9 percent", 1),
            ("usd60", "MONEY", "about $60 million", 1),
            ("tomas", "PERSON", "Tomas Rehn", 1),
            ("usd15", "MONEY", "close to $15 million", 1),
            ("halden", "ORG", "Halden Bank", 1),
            ("ada", "PERSON", "Ada Lindqvist", 1),
            ("monday", "DATE", "Monday", 1),
            # attribution 1: the union leader, content split by the cue
            (
                "q1a",
                "CONTENT",
                "We will stay out until the authority puts a real offer on the table",
                1,
            ),
            ("said1", "CUE", "said", 1),
            ("src1", "SOURCE", "Ilse Marquard, who leads the Coastal Transport Union", 1),
            ("q1b", "CONTENT", "Our members have not had a raise since 2023.", 1),
            # attribution 2: the port authority
            ("src2", "SOURCE", "The port authority", 1),
            ("said2", "CUE", "said", 2),
            (
                "c2",
                "CONTENT",
                "the union's demand for a 9 percent raise would cost about $60 million a year",
                1,
            ),
            (
                "claim2",
                "CLAIM",
                "the union's demand for a 9 percent raise would cost about $60 million a year",
                1,
            ),
            # attribution 3: according to
            ("cue3", "CUE", "According to", 1),
            ("src3", "SOURCE", "its chief executive, Tomas Rehn", 1),
            (
                "c3",
                "CONTENT",
                "the strike is costing regional exporters close to $15 million a day",
                1,
            ),
            (
                "claim3",
                "CLAIM",
                "the strike is costing regional exporters close to $15 million a day",
                1,
            ),
            # attribution 4: warned
            ("src4", "SOURCE", "Economists at Halden Bank", 1),
            ("cue4", "CUE", "warned", 1),
            (
                "c4",
                "CONTENT",
                "a strike lasting beyond next week could shave 0.2 percentage points off quarterly growth",
                1,
            ),
            (
                "claim4",
                "CLAIM",
                "a strike lasting beyond next week could shave 0.2 percentage points off quarterly growth",
                1,
            ),
        ],
        "attributes": {
            "said2": {"type": "assertion", "factuality": "factual"},
            "claim2": {
                "checkworthy": "yes",
                "claim_type": "quantity",
                "verification": "unverified",
            },
            "claim3": {
                "checkworthy": "yes",
                "claim_type": "quantity",
                "verification": "unverified",
            },
            "claim4": {
                "checkworthy": "yes",
                "claim_type": "prediction",
                "verification": "unverified",
            },
        },
        "relations": [
            ("source", "said1", "src1"),
            ("content", "said1", "q1a"),
            ("continues", "q1a", "q1b"),
            ("refers_to", "src1", "ilse"),
            ("source", "said2", "src2"),
            ("content", "said2", "c2"),
            ("attributed_to", "claim2", "src2"),
            ("source", "cue3", "src3"),
            ("content", "cue3", "c3"),
            ("refers_to", "src3", "tomas"),
            ("attributed_to", "claim3", "src3"),
            ("source", "cue4", "src4"),
            ("content", "cue4", "c4"),
            ("refers_to", "src4", "halden"),
            ("attributed_to", "claim4", "src4"),
        ],
    },
    {
        "title": "Northbridge approves €42 million flood barrier after record winter",
        "date": "2026-02-03",
        "meta": {"source": "Meridian Wire", "section": "Environment"},
        "text": (
            "NORTHBRIDGE, Feb 3 (Meridian Wire) - Northbridge city council voted 31 to 9 on "
            "Tuesday to build a €42 million flood barrier on the River Aske, weeks after the "
            "wettest winter on record flooded more than 2,000 homes.\n\n"
            'Mayor Priya Okafor said the barrier would protect the old town "for the next '
            'hundred years" and that construction would begin in the spring. Councillor Jonas '
            "Feld, who voted against the plan, said its cost had doubled since it was first "
            "proposed in 2024.\n\n"
            "The national weather office has reported that rainfall in the region was 68 percent "
            "above the long-term average between November and January. Insurers estimate the "
            "damage from the floods at €110 million."
        ),
        "status": "in_progress",
        "spans": [
            ("nb", "GPE", "NORTHBRIDGE", 1),
            ("feb3", "DATE", "Feb 3", 1),
            ("wire", "ORG", "Meridian Wire", 1),
            ("council", "ORG", "Northbridge city council", 1),
            ("votes", "CARDINAL", "31", 1),
            ("votes2", "CARDINAL", "9", 1),
            ("tue", "DATE", "Tuesday", 1),
            ("eur42", "MONEY", "€42 million", 1),
            ("aske", "LOC", "River Aske", 1),
            ("homes", "CARDINAL", "more than 2,000", 1),
            ("priya", "PERSON", "Priya Okafor", 1),
            ("jonas", "PERSON", "Jonas Feld", 1),
            ("y2024", "DATE", "2024", 1),
            ("pct68", "PERCENT", "68 percent", 1),
            ("eur110", "MONEY", "€110 million", 1),
            ("src1", "SOURCE", "Mayor Priya Okafor", 1),
            ("said1", "CUE", "said", 1),
            (
                "c1",
                "CONTENT",
                'the barrier would protect the old town "for the next hundred years" and that construction would begin in the spring',
                1,
            ),
            ("src2", "SOURCE", "Councillor Jonas Feld, who voted against the plan", 1),
            ("said2", "CUE", "said", 2),
            ("c2", "CONTENT", "its cost had doubled since it was first proposed in 2024", 1),
            ("claim2", "CLAIM", "its cost had doubled since it was first proposed in 2024", 1),
            ("src3", "SOURCE", "The national weather office", 1),
            ("cue3", "CUE", "has reported", 1),
            (
                "c3",
                "CONTENT",
                "rainfall in the region was 68 percent above the long-term average between November and January",
                1,
            ),
            (
                "claim3",
                "CLAIM",
                "rainfall in the region was 68 percent above the long-term average between November and January",
                1,
            ),
            ("claim4", "CLAIM", "Insurers estimate the damage from the floods at €110 million", 1),
        ],
        "attributes": {
            "claim2": {"checkworthy": "yes", "claim_type": "comparison"},
            "claim3": {"checkworthy": "yes", "claim_type": "quantity", "verification": "confirmed"},
            "claim4": {"checkworthy": "unsure", "claim_type": "quantity"},
        },
        "relations": [
            ("source", "said1", "src1"),
            ("content", "said1", "c1"),
            ("refers_to", "src1", "priya"),
            ("source", "said2", "src2"),
            ("content", "said2", "c2"),
            ("refers_to", "src2", "jonas"),
            ("attributed_to", "claim2", "src2"),
            ("source", "cue3", "src3"),
            ("content", "cue3", "c3"),
            ("attributed_to", "claim3", "src3"),
        ],
    },
    {
        "title": "Health agency warns of measles rise as vaccination rates slip",
        "date": "2026-04-22",
        "meta": {"source": "Meridian Wire", "section": "Health"},
        "text": (
            "LISBON, April 22 (Meridian Wire) - Measles cases in southern Europe rose fourfold in "
            "the first quarter, the European Centre for Vaccine Safety warned on Wednesday, "
            "blaming a slide in childhood vaccination rates since the pandemic.\n\n"
            "The agency counted 3,180 confirmed cases between January and March, up from 790 a "
            "year earlier. Two children died, according to the report.\n\n"
            '"Every one of these cases was preventable," said Dr. Helena Varga, the centre\'s '
            'director. "Coverage needs to be back above 95 percent, and it needs to happen '
            'before the summer travel season."\n\n'
            "Portugal's health ministry said it would open walk-in vaccination clinics in 40 "
            "towns from May 1 🩺 and send reminders to the families of 120,000 children."
        ),
        "status": "done",
        "spans": [
            ("lisbon", "GPE", "LISBON", 1),
            ("apr22", "DATE", "April 22", 1),
            ("wire", "ORG", "Meridian Wire", 1),
            ("europe", "LOC", "southern Europe", 1),
            ("q1", "DATE", "the first quarter", 1),
            ("ecvs", "ORG", "European Centre for Vaccine Safety", 1),
            ("wed", "DATE", "Wednesday", 1),
            ("n3180", "CARDINAL", "3,180", 1),
            ("janmar", "DATE", "between January and March", 1),
            ("n790", "CARDINAL", "790", 1),
            ("two", "CARDINAL", "Two", 1),
            ("helena", "PERSON", "Helena Varga", 1),
            ("pct95", "PERCENT", "95 percent", 1),
            ("pt", "GPE", "Portugal", 1),
            ("n40", "CARDINAL", "40", 1),
            ("may1", "DATE", "May 1", 1),
            ("n120k", "CARDINAL", "120,000", 1),
            (
                "c1",
                "CONTENT",
                "Measles cases in southern Europe rose fourfold in the first quarter",
                1,
            ),
            (
                "claim1",
                "CLAIM",
                "Measles cases in southern Europe rose fourfold in the first quarter",
                1,
            ),
            ("src1", "SOURCE", "the European Centre for Vaccine Safety", 1),
            ("cue1", "CUE", "warned", 1),
            ("c2", "CONTENT", "Two children died", 1),
            ("claim2", "CLAIM", "Two children died", 1),
            ("cue2", "CUE", "according to", 1),
            ("src2", "SOURCE", "the report", 1),
            ("q3", "CONTENT", "Every one of these cases was preventable,", 1),
            ("said3", "CUE", "said", 1),
            ("src3", "SOURCE", "Dr. Helena Varga, the centre's director", 1),
            (
                "q3b",
                "CONTENT",
                "Coverage needs to be back above 95 percent, and it needs to happen before the summer travel season.",
                1,
            ),
        ],
        "attributes": {
            "cue1": {"type": "assertion", "factuality": "factual"},
            "claim1": {
                "checkworthy": "yes",
                "claim_type": "quantity",
                "verification": "unverified",
            },
            "claim2": {"checkworthy": "yes", "claim_type": "event"},
        },
        "relations": [
            ("source", "cue1", "src1"),
            ("content", "cue1", "c1"),
            ("refers_to", "src1", "ecvs"),
            ("attributed_to", "claim1", "src1"),
            ("source", "cue2", "src2"),
            ("content", "cue2", "c2"),
            ("attributed_to", "claim2", "src2"),
            ("source", "said3", "src3"),
            ("content", "said3", "q3"),
            ("continues", "q3", "q3b"),
            ("refers_to", "src3", "helena"),
        ],
    },
    {
        "title": "Calyxa to cut 1,200 jobs as chip demand cools",
        "date": "2026-06-09",
        "meta": {"source": "Meridian Wire", "section": "Technology"},
        "text": (
            "SAN JOSE, June 9 (Meridian Wire) - Chipmaker Calyxa Systems will cut about 1,200 "
            "jobs, or 8 percent of its workforce, the company said on Tuesday, after orders from "
            "data-centre customers fell for a second straight quarter.\n\n"
            "Chief executive Marcus Bell told analysts on a call that the cuts would save $180 "
            'million a year and that the company expected demand to recover "in the second half '
            'of 2027 at the earliest".\n\n'
            "Shares in Calyxa fell 6.5 percent in early trading. Analysts at Forde & Lyle said "
            "the company had been slower than its rivals to shift production to chips for "
            "artificial intelligence, a market that one industry group estimates will be worth "
            "$400 billion by 2030."
        ),
    },
    {
        "title": "Drought cuts Kestrel Plains wheat harvest by a fifth, ministry says",
        "date": "2026-08-27",
        "meta": {"source": "Meridian Wire", "section": "Agriculture"},
        "text": (
            "ARDEN, Aug 27 (Meridian Wire) - This year's wheat harvest in the Kestrel Plains will be "
            "about 20 percent smaller than last year's because of the summer drought, the "
            "agriculture ministry said on Thursday.\n\n"
            "The ministry put the harvest at 4.1 million tonnes, the lowest since 2012. Farmers' "
            'groups say the real figure could be lower still. "Some of my neighbours harvested '
            'nothing at all," said Ruth Abara, who farms 300 hectares near Millbrook.\n\n'
            "Agriculture minister Owen Trask said the government would not restrict grain exports "
            "but would release 500,000 tonnes from the national reserve to keep bread prices "
            "stable. Bakers' associations have warned that flour prices are already up 12 percent "
            "since June."
        ),
    },
]


def _locate(text: str, snippet: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.find(snippet, start + 1)
        if start < 0:
            raise ValueError(f"snippet {snippet!r} (occurrence {occurrence}) not in the text")
    return start, start + len(snippet)


def _layer(label: str) -> str:
    if label == "CLAIM":
        return "claim"
    if label in {"SOURCE", "CUE", "CONTENT"}:
        return "attribution"
    return "entity"


def build(story: dict) -> dict:
    line = {k: story[k] for k in ("title", "date", "meta", "text")}
    if "spans" not in story:
        line["annotations"] = []
        return line
    located = []
    for key, label, snippet, occurrence in story["spans"]:
        start, end = _locate(story["text"], snippet, occurrence)
        located.append((start, end, _layer(label), label, key))
    located.sort()
    ids = {key: n for n, (*_, key) in enumerate(located, 1)}
    spans = [
        {
            "id": ids[key],
            "layer": layer,
            "label": label,
            "start": start,
            "end": end,
            "text": story["text"][start:end],
            "attributes": story["attributes"].get(key, {}),
        }
        for start, end, layer, label, key in located
    ]
    relations = sorted(
        (
            {"type": t, "head": ids[h], "tail": ids[tl], "attributes": {}}
            for t, h, tl in story["relations"]
        ),
        key=lambda r: (r["head"], r["tail"], r["type"]),
    )
    line["annotations"] = [
        {"annotator": "sample", "status": story["status"], "spans": spans, "relations": relations}
    ]
    return line


def main() -> None:
    out = Path(__file__).with_name("articles.jsonl")
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        for story in STORIES:
            handle.write(json.dumps(build(story), ensure_ascii=False) + "\n")
    print(f"wrote {len(STORIES)} articles to {out}")


if __name__ == "__main__":
    main()
