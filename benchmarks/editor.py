"""The annotation editor on a long article: open it, scroll through it, edit spans.

    python benchmarks/editor.py [--chars 1000000] [--spans 20000] [--repeat 5]
                                [--steps 200] [--edits 100] [--profile PART]

Generates one news-like article of about --chars characters (paragraphs of varied sentences,
some with emoji outside the Basic Multilingual Plane) holding --spans spans in all three
layers: entities (no overlaps), claims and attribution parts (bars, some stacked three deep).
It is imported through labeler's import service into a fresh SQLite database in a temporary
folder, then opened through the annotation service in a DocumentEditor shown offscreen, with
the span list, attribute editor and label palette beside it as the window docks them.

Measured, medians over --repeat runs (the step and edit figures pool every run's samples):
  open: the annotation service's open (database load), then DocumentEditor.open to the first
    full repaint of the text view, beside the same text put in a plain QPlainTextEdit of the
    same size with setPlainText and a repaint, in the same run;
  scroll: --steps page steps and --steps wheel steps (three lines) in all, spread through the
    document, each a scroll bar change and a repaint of the viewport;
  edits: --edits of each kind in all, split over the runs: create (select part of an
    unlabelled word, press PERSON's hotkey), relabel (select an entity span, press another
    label's hotkey) and delete (select a span, press Delete), each a real key event through
    QTest, timed from the key press to the end of the viewport's repaint, which includes the
    commit to SQLite and, as repaint() paints whatever is pending in the window, the side
    panels; and, apart, to the moment the window has settled (queued events done);
  memory: the process's peak resident set size, and its growth over the first open.
Targets (from the issue): open within 3x the plain widget; an edit and a scroll step under
16 ms at the 95th percentile; memory under 500 MB.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from news_words import WORDS  # a module beside this script
from PySide6.QtCore import QEvent, QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSlider,
    QApplication,
    QHBoxLayout,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from labeler.app import open_services
from labeler.domain.annotation import Span
from labeler.domain.document import DocumentQuery
from labeler.domain.project import Project
from labeler.services.workspace import Services
from labeler.ui.editor.document_editor import DocumentEditor
from labeler.ui.editor.text_view import AnnotatedTextView

ANNOTATOR = "bench"
WINDOW = (1400, 800)  # the text view gets about 1000 x 800 of it; the side panels the rest
SIDE_WIDTH = 380

# ---------------------------------------------------------------- the article

ENTITIES = {
    "PERSON": [
        "Ilse Marquard",
        "Tomas Rehn",
        "Ada Lindqvist",
        "Jonas Okafor",
        "Mira Castellanos",
        "Peter Haldane",
        "Sofia Brandt",
        "Kwame Mensah",
        "Lena Novak",
        "Rafael Duarte",
        "Zoë Kowalczyk",
        "Hiroshi Tanaka",
    ],
    "ORG": [
        "Coastal Transport Union",
        "Halden Bank",
        "Meridian Wire",
        "Valmera Port Authority",
        "Nordvik Shipping",
        "the Finance Ministry",
        "Orbis Analytics",
        "Aurelia Motors",
    ],
    "GPE": ["Valmera", "North Korea", "Ostrava", "Lisbon", "Nairobi", "Quebec", "Osaka", "Peru"],
    "NORP": ["South Korean", "Danish", "Kenyan", "Portuguese", "Czech", "Japanese"],
    "DATE": ["Monday", "March 14", "last week", "2023", "the third quarter", "Saturday"],
    "MONEY": ["$60 million", "€2.4 billion", "$15 million", "£300,000", "¥8 billion"],
    "CARDINAL": ["11,000", "40", "more than 300", "two dozen", "1,250", "nine"],
    "PERCENT": ["9 percent", "0.2 percentage points", "3.5%", "12 percent"],
    "ORDINAL": ["third", "first", "second", "fifth"],
    "LOC": ["the North Sea", "the Alps", "the Rift Valley", "the Baltic coast"],
    "FAC": ["Port of Valmera", "Harbour Bridge", "Terminal 4", "the central station"],
    "EVENT": ["the Spring Summit", "the World Cup", "the Harbour Festival"],
    "LAW": ["the Clean Ports Act", "the Fair Wages Directive", "Article 12"],
    "PRODUCT": ["Falcon 9", "Model Y", "the Aurora X2 phone"],
    "TIME": ["9 a.m.", "midnight", "noon", "6:30 p.m."],
    "QUANTITY": ["40 tonnes", "12 kilometres", "300 litres"],
    "WORK_OF_ART": ["The Long Tide", "Harbour Lights"],
}

# {LABEL}: an entity; «LABEL|...»: a claim or attribution span around the text, may nest.
TEMPLATES = [
    "«CONTENT|«CLAIM|{ORG} will cut {CARDINAL} jobs by {DATE}»», «CUE|said» "
    "«SOURCE|{PERSON}, who leads {ORG}».",
    "«CUE|According to» «SOURCE|{NORP} sources», «CONTENT|«CLAIM|{GPE} has sent at least "
    "{CARDINAL} soldiers to the border»».",
    "Shares of {ORG} fell {PERCENT} in {GPE} trading on {DATE}, the {ORDINAL} drop this month.",
    "«SOURCE|{PERSON}» «CUE|warned» that «CONTENT|«CLAIM|the {LAW} could cost {MONEY} a year» "
    "and hurt exporters along {LOC}» 🚢.",
    "The {EVENT} drew crowds to {FAC} at {TIME}, and organisers expect {QUANTITY} of equipment "
    "to arrive by {DATE}.",
    "«CLAIM|Prices for {PRODUCT} rose {PERCENT} after {ORG} raised costs in {GPE}» 📈, "
    "«SOURCE|analysts at {ORG}» «CUE|estimated».",
    "Residents of {GPE} gathered outside city hall on {DATE} while the mayor promised new "
    "measures for the harbour district.",
    "«SOURCE|The ministry» «CUE|said in a statement» that «CONTENT|talks would resume after "
    "officials reviewed the {WORK_OF_ART} report 🙂».",
    "«CONTENT|«SOURCE|{PERSON}» «CUE|argued» that «CLAIM|the port lost {MONEY} in {DATE}»», "
    "«CUE|according to» «SOURCE|{ORG}».",
    "Officials in {GPE} said the budget talks would continue, but few expected a deal before "
    "the weekend.",
    "«CLAIM|«CONTENT|Unemployment in {GPE} fell to {PERCENT} in {DATE}», the lowest since "
    "{DATE}», «SOURCE|{PERSON} of {ORG}» «CUE|told reporters» 🗞️.",
]
BAR_SHARE = {"claim": 0.15, "attribution": 0.25}  # the rest of the spans are entities


def _layer_of(label: str) -> str:
    if label == "CLAIM":
        return "claim"
    if label in ("SOURCE", "CUE", "CONTENT"):
        return "attribution"
    return "entity"


def _render(template: str, rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """A sentence from a template, with its candidate spans (start, end, label)."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    opened: list[tuple[str, int]] = []
    pos = 0
    i = 0
    while i < len(template):
        c = template[i]
        if c == "«":
            j = template.index("|", i)
            opened.append((template[i + 1 : j], pos))
            i = j + 1
        elif c == "»":
            label, start = opened.pop()
            spans.append((start, pos, label))
            i += 1
        elif c == "{":
            j = template.index("}", i)
            label = template[i + 1 : j]
            value = rng.choice(ENTITIES[label])
            spans.append((pos, pos + len(value), label))
            out.append(value)
            pos += len(value)
            i = j + 1
        else:
            out.append(c)
            pos += 1
            i += 1
    text = "".join(out)
    return text[0].upper() + text[1:], spans


def make_article(chars: int, spans: int, seed: int = 7) -> tuple[str, list[dict]]:
    """About `chars` characters of paragraphs and exactly `spans` spans spread over them."""
    rng = random.Random(seed)
    parts: list[str] = []
    candidates: list[tuple[int, int, str]] = []
    pos = 0
    while pos < chars:
        for n in range(rng.randint(3, 7)):
            if rng.random() < 0.25:
                words = rng.sample(WORDS, rng.randint(8, 18))
                sentence, found = " ".join(words).capitalize() + ".", []
            else:
                sentence, found = _render(rng.choice(TEMPLATES), rng)
            if n:
                parts.append(" ")
                pos += 1
            candidates += [(pos + s, pos + e, label) for s, e, label in found]
            parts.append(sentence)
            pos += len(sentence)
        parts.append("\n\n")
        pos += 2
    text = "".join(parts).rstrip("\n")
    by_layer: dict[str, list[tuple[int, int, str]]] = {}
    for c in candidates:
        by_layer.setdefault(_layer_of(c[2]), []).append(c)
    want = {layer: round(spans * share) for layer, share in BAR_SHARE.items()}
    want["entity"] = spans - sum(want.values())
    chosen: list[tuple[int, int, str]] = []
    for layer, n in want.items():
        if len(by_layer[layer]) < n:
            raise SystemExit(f"only {len(by_layer[layer])} {layer} spans fit; raise --chars")
        chosen += rng.sample(by_layer[layer], n)
    chosen.sort()
    records = [
        {"id": n, "start": s, "end": e, "label": label, "text": text[s:e]}
        for n, (s, e, label) in enumerate(chosen, start=1)
    ]
    return text, records


# Relation types of the news schema by (head label, tail label).
_LINKS = {
    ("CUE", "SOURCE"): "source",
    ("CUE", "CONTENT"): "content",
    ("CONTENT", "CONTENT"): "continues",
    ("CLAIM", "SOURCE"): "attributed_to",
    **{("SOURCE", label): "refers_to" for label in ("PERSON", "ORG", "GPE", "NORP")},
}


def make_relations(records: list[dict], relations: int) -> list[dict]:
    """Up to `relations` links the schema allows between spans a few places apart in the text,
    so that paragraphs are dense with arcs."""
    made: list[dict] = []
    seen: set[tuple[int, int]] = set()
    for reach in range(1, 8):
        for a, b in zip(records, records[reach:], strict=False):
            for head, tail in ((a, b), (b, a)):
                kind = _LINKS.get((head["label"], tail["label"]))
                if kind and (head["id"], tail["id"]) not in seen and len(made) < relations:
                    seen.add((head["id"], tail["id"]))
                    made.append({"type": kind, "head": head["id"], "tail": tail["id"]})
    return made


# ---------------------------------------------------------------- measuring helpers


def _quiet(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages on stderr, less the offscreen plugin's note on every window size change."""
    if "does not support propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def rss_mb() -> float:
    """The process's resident set size now, in MB (Linux; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6  # bytes vs KiB


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share in 0..1)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Samples:
    times: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.times.setdefault(name, []).append(seconds)

    def ms(self, name: str) -> list[float]:
        return [t * 1000 for t in self.times.get(name, [])]


class Profiler:
    """cProfile around the part named by --profile; prints the top functions at the end."""

    def __init__(self, part: str | None) -> None:
        self.part = part
        self.profile = cProfile.Profile() if part else None

    def run(self, part: str, action: Callable[[], object]) -> None:
        if self.profile is not None and part == self.part:
            self.profile.enable()
            try:
                action()
            finally:
                self.profile.disable()
        else:
            action()

    def report(self) -> None:
        if self.profile is None:
            return
        print(f"\n-- profile of {self.part} (all runs), top 30 by cumulative, then by own time")
        stats = pstats.Stats(self.profile).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)


# ---------------------------------------------------------------- the bench


@dataclass
class Bench:
    app: QApplication
    services: Services
    project: Project
    document_id: int
    text: str
    window: QWidget
    editor: DocumentEditor
    plain: QPlainTextEdit
    samples: Samples
    profiler: Profiler
    rng: random.Random

    @property
    def view(self) -> AnnotatedTextView:
        return self.editor.view

    def settle(self) -> None:
        """Runs what the event loop would: queued events, then deferred deletes (which
        processEvents outside a running loop leaves alone, so replaced documents would pile up)."""
        for _ in range(3):
            self.app.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.app.processEvents()

    # -- open
    def open_once(self) -> None:
        document_id = self.document_id
        self.editor.forget(document_id)  # no kept session: a fresh open from the database
        self.editor.close_document()
        self.settle()
        gc.collect()
        view = self.view

        def run() -> None:
            t0 = time.perf_counter()
            # As the window opens a document: the set is read when first asked for, and
            # the editor draws a long article's first screen before that.
            session = self.services.annotations.open(
                self.project, document_id, ANNOTATOR, lazy=True
            )
            t1 = time.perf_counter()
            self.editor.open(session)
            t2 = time.perf_counter()
            view.viewport().repaint()
            t3 = time.perf_counter()
            self.samples.add("service open", t1 - t0)
            self.samples.add("editor.open", t2 - t1)
            self.samples.add("editor paint", t3 - t2)
            self.samples.add("editor open+paint", t3 - t1)
            self.samples.add("full open+paint", t3 - t0)
            self.settle()  # the side panels paint, queued signals run
            self.samples.add("full open, window settled", time.perf_counter() - t0)
            t4 = time.perf_counter()
            view.document().pageCount()  # forces the rest of the layout Qt does in idle steps
            self.samples.add("rest of the layout", time.perf_counter() - t4)

        self.profiler.run("open", run)
        assert len(view.marks) == len(self.editor.session.annotations.spans)  # type: ignore[union-attr]

    def plain_once(self) -> None:
        plain = self.plain
        plain.setPlainText("")
        plain.viewport().repaint()
        self.settle()
        gc.collect()
        t0 = time.perf_counter()
        plain.setPlainText(self.text)
        t1 = time.perf_counter()
        plain.viewport().repaint()
        t2 = time.perf_counter()
        self.samples.add("plain setPlainText", t1 - t0)
        self.samples.add("plain open+paint", t2 - t0)

    # -- scroll
    def scroll(self, steps: int) -> None:
        view = self.view
        bar = view.verticalScrollBar()
        viewport = view.viewport()
        view.document().pageCount()  # layout complete: the scroll bar spans the document
        self.settle()
        lines = 3 * bar.singleStep()  # one wheel notch
        for kind, starts in (("page", 10), ("wheel", 10)):
            per_start = max(1, round(steps / starts))
            for k in range(starts):
                bar.setValue(int(bar.maximum() * (k + self.rng.random() * 0.5) / starts))
                viewport.repaint()
                self.settle()

                def run(kind: str = kind, per_start: int = per_start) -> None:
                    for _ in range(per_start):
                        t0 = time.perf_counter()
                        if kind == "page":
                            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
                        else:
                            bar.setValue(bar.value() + lines)
                        viewport.repaint()
                        self.samples.add(f"scroll {kind}", time.perf_counter() - t0)

                self.profiler.run("scroll", run)

    # -- edits
    def _press(self, kind: str, key: str | Qt.Key, first: bool = False) -> None:
        """A key press timed to the end of the viewport repaint; then the window settles."""
        view = self.view
        self.settle()
        if QApplication.focusWidget() is not view:
            raise SystemExit(
                f"the text view lost the keyboard focus to {QApplication.focusWidget()}"
            )
        t0 = time.perf_counter()
        QTest.keyClick(view, key)
        view.viewport().repaint()
        t1 = time.perf_counter()
        self.settle()
        t2 = time.perf_counter()
        self.samples.add(kind, t1 - t0)
        self.samples.add("edit", t1 - t0)
        if first:
            self.samples.add(f"first {kind} after open", t1 - t0)
        self.samples.add(f"{kind}, window settled", t2 - t0)

    def edits(self, words: list[tuple[int, int]], relabel: list[int], delete: list[int]) -> None:
        editor, view = self.editor, self.view
        session = editor.session
        assert session is not None
        schema = session.schema
        hotkeys = {
            label.name: label.hotkey
            for label in schema.labels()
            if label.layer == "entity" and label.hotkey and len(label.hotkey) == 1
        }
        person = hotkeys["PERSON"]
        spans = session.annotations.spans

        def create(start: int, end: int, first: bool) -> None:
            view.select_range(start + 1, end - 1)  # part of the word: the editor snaps it
            view.viewport().repaint()
            before = len(spans)
            self._press("create", person, first)
            made = spans[view.selected_span] if view.selected_span is not None else None
            assert len(spans) == before + 1, f"no span made on [{start}, {end})"
            assert made is not None
            assert (made.start, made.end, made.label) == (start, end, "PERSON"), made

        def change(span_id: int) -> None:
            old = spans[span_id].label
            target = self.rng.choice([name for name in hotkeys if name != old])
            view.select_span(span_id)
            view.viewport().repaint()
            self._press("relabel", hotkeys[target])
            assert spans[span_id].label == target, (span_id, old, target)

        def remove(span_id: int) -> None:
            view.select_span(span_id)
            view.viewport().repaint()
            self._press("delete", Qt.Key.Key_Delete)
            assert span_id not in spans, span_id

        jobs: list[Callable[[], None]] = []
        for i in range(len(words)):  # interleaved, as an annotator works
            jobs.append(lambda w=words[i], first=not i: create(*w, first))
            jobs.append(lambda s=relabel[i]: change(s))
            jobs.append(lambda s=delete[i]: remove(s))

        def run() -> None:
            for job in jobs:
                job()

        self.profiler.run("edits", run)


def split(total: int, runs: int) -> list[int]:
    """`total` spread over `runs` as evenly as whole numbers allow."""
    return [total // runs + (r < total % runs) for r in range(runs)]


def pick_targets(
    text: str, spans: dict[int, Span], linked: set[int], per_run: list[int], rng: random.Random
) -> list[tuple[list[tuple[int, int]], list[int], list[int]]]:
    """For each run, distinct words free of entities and distinct spans to relabel and delete,
    spread through the document. Relabelled entities are ones without relations (a relation
    may forbid the new label); deleted spans may have some, which go with them."""
    covered = bytearray(len(text) + 1)
    entity_ids, other_ids, free_entities = [], [], []
    for span_id, span in spans.items():
        if span.layer == "entity" and span_id not in linked:
            free_entities.append(span_id)
        if span.layer == "entity":
            covered[span.start : span.end] = b"\1" * (span.end - span.start)
            entity_ids.append(span_id)
        else:
            other_ids.append(span_id)
    free = [
        (m.start(), m.end())
        for m in re.finditer(r"(?<![\w'-])[a-z]{5,}(?![\w'-])", text)
        if not any(covered[m.start() : m.end()])
    ]
    need = sum(per_run)
    words = rng.sample(free, need)
    relabel = rng.sample(free_entities, need)
    entity_delete = rng.sample(sorted(set(entity_ids) - set(relabel)), need)
    bars = rng.sample(other_ids, need)
    # Half the deletions on the entity layer, half among the bars.
    delete = [entity_delete[i] if i % 2 else bars[i] for i in range(need)]
    out = []
    first = 0
    for n in per_run:
        part = slice(first, first + n)
        out.append((words[part], relabel[part], delete[part]))
        first += n
    return out


def build(
    folder: Path, chars: int, spans: int, relations: int
) -> tuple[Services, Project, int, str, float]:
    text, records = make_article(chars, spans)
    links = make_relations(records, relations)
    source = folder / "article.jsonl"
    line = {
        "title": "A very long wire story",
        "date": "2026-03-14",
        "meta": {"source": "bench"},
        "text": text,
        "annotations": [
            {
                "annotator": ANNOTATOR,
                "status": "in_progress",
                "spans": records,
                "relations": links,
            }
        ],
    }
    source.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    services = open_services(str(folder / "bench.db"))
    project = services.projects.create("Bench", "news")
    t0 = time.perf_counter()
    report = services.importer.import_paths("Bench", [source], annotator=ANNOTATOR)
    seconds = time.perf_counter() - t0
    assert report.imported == 1, report
    assert report.spans == spans, report
    (document_id,) = services.documents.ids(project, DocumentQuery())
    return services, project, document_id, text, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000, help="article length")
    parser.add_argument("--spans", type=int, default=20_000)
    parser.add_argument("--relations", type=int, default=5_000, help="drawn as arcs")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200, help="scroll steps of each kind")
    parser.add_argument("--edits", type=int, default=100, help="edits of each kind")
    parser.add_argument(
        "--profile",
        choices=["open", "scroll", "edits"],
        help="run that part under cProfile and print where its time goes",
    )
    args = parser.parse_args()
    qInstallMessageHandler(_quiet)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="labeler-bench-") as tmp:
        services, project, document_id, text, import_s = build(
            Path(tmp), args.chars, args.spans, args.relations
        )
        # As the app does at launch (a thread while the first article is read): load the
        # tokenizer, so the first span made does not pay for it.
        services.annotations.warm_up()
        size_mb = len(text.encode("utf-8")) / 1e6
        astral = sum(1 for ch in text if ord(ch) > 0xFFFF)

        window = QWidget()
        row = QHBoxLayout(window)
        editor = DocumentEditor(project.schema)
        row.addWidget(editor, 1)
        side = QWidget()
        side.setFixedWidth(SIDE_WIDTH)
        column = QVBoxLayout(side)
        column.addWidget(editor.palette_widget)
        column.addWidget(editor.span_panel, 1)
        attributes = QScrollArea()  # as the main window docks it
        attributes.setWidgetResizable(True)
        attributes.setWidget(editor.attribute_editor)
        column.addWidget(attributes)
        row.addWidget(side)
        window.resize(*WINDOW)
        window.show()
        QTest.qWaitForWindowExposed(window)
        app.processEvents()

        # The plain widget: the same text area, shown beside without taking the keyboard.
        plain = QPlainTextEdit()
        plain.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        plain.setReadOnly(True)
        plain.setFont(editor.view.document().defaultFont())
        plain.resize(editor.view.size())
        plain.show()
        QTest.qWaitForWindowExposed(plain)

        window.activateWindow()
        if not QTest.qWaitForWindowActive(window):
            raise SystemExit("the editor's window did not become active: hotkeys cannot work")
        editor.view.setFocus()
        app.processEvents()

        bench = Bench(
            app,
            services,
            project,
            document_id,
            text,
            window,
            editor,
            plain,
            Samples(),
            Profiler(args.profile),
            random.Random(11),
        )
        gc.collect()
        rss_before = rss_mb()
        bench.open_once()
        rss_after_open = rss_mb()
        session = editor.session
        assert session is not None
        linked = {i for r in session.annotations.relations.values() for i in (r.head, r.tail)}
        targets = pick_targets(
            text,
            session.annotations.spans,
            linked,
            split(args.edits, args.repeat),
            random.Random(5),
        )
        steps = split(args.steps, args.repeat)
        for run in range(args.repeat):
            if run:
                bench.open_once()
            bench.plain_once()
            editor.view.setFocus()
            bench.scroll(steps[run])
            bench.edits(*targets[run])
        peak = peak_rss_mb()
        relation_count = len(session.annotations.relations)
        view_size = editor.view.viewport().size()
        plain.close()
        window.close()
        services.close()

    s = bench.samples
    med = {name: statistics.median(s.ms(name)) for name in s.times}
    total = time.perf_counter() - started
    print(
        f"article: {len(text):,} characters ({size_mb:.2f} MB UTF-8, {astral:,} astral), "
        f"{args.spans:,} spans, {relation_count:,} relations; imported in {import_s:.1f} s; "
        f"viewport {view_size.width()}x{view_size.height()}; median of {args.repeat} runs "
        f"(steps and edits: all runs' samples pooled); {total:.0f} s in all"
    )
    print(f"{'open':<38} {'median':>9}")
    for name in (
        "service open",
        "editor.open",
        "editor paint",
        "editor open+paint",
        "full open+paint",
        "full open, window settled",
        "rest of the layout",
        "plain setPlainText",
        "plain open+paint",
    ):
        print(f"  {name:<36} {med[name]:>6.1f} ms")
    plain_ms = med["plain open+paint"]
    ratio_editor = med["editor open+paint"] / plain_ms
    ratio_full = med["full open+paint"] / plain_ms
    print(f"{'steps and edits':<38} {'median':>9} {'p95':>9} {'max':>9} {'n':>6}")
    rows = ["scroll page", "scroll wheel", "create", "relabel", "delete", "edit"]
    rows += ["first create after open"]
    rows += [f"{k}, window settled" for k in ("create", "relabel", "delete")]
    for name in rows:
        ms = s.ms(name)
        print(
            f"  {name:<36} {statistics.median(ms):>6.1f} ms {percentile(ms, 0.95):>6.1f} ms "
            f"{max(ms):>6.1f} ms {len(ms):>6}"
        )
    print("memory")
    print(f"  {'peak RSS':<36} {peak:>6.0f} MB")
    print(f"  {'RSS before the first open':<36} {rss_before:>6.0f} MB")
    print(f"  {'RSS growth over the first open':<36} {rss_after_open - rss_before:>6.0f} MB")

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    scroll_p95 = max(percentile(s.ms("scroll page"), 0.95), percentile(s.ms("scroll wheel"), 0.95))
    edit_p95 = percentile(s.ms("edit"), 0.95)
    print("targets")
    print(
        f"  {verdict(ratio_editor <= 3)} open within 3x the plain widget: editor.open + paint "
        f"{ratio_editor:.1f}x ({med['editor open+paint']:.0f} vs {plain_ms:.0f} ms)"
    )
    print(
        f"  {verdict(ratio_full <= 3)} the same with the database load: service open + editor "
        f"{ratio_full:.1f}x ({med['full open+paint']:.0f} ms)"
    )
    print(f"  {verdict(edit_p95 < 16)} an edit under 16 ms at p95: {edit_p95:.1f} ms")
    print(f"  {verdict(scroll_p95 < 16)} a scroll step under 16 ms at p95: {scroll_p95:.1f} ms")
    print(f"  {verdict(peak < 500)} memory under 500 MB: peak RSS {peak:.0f} MB")
    bench.profiler.report()


if __name__ == "__main__":
    main()
