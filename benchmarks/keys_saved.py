"""Keys saved by suggestions: a scripted annotator labels the Sample articles twice, to the same
final result, without suggestions and with them, counting every key press and click.

    QT_QPA_PLATFORM=offscreen python benchmarks/keys_saved.py [--rounds 10]

The target of each article is the Sample project's own annotation set (the articles that ship
with one: their spans, labels, attribute values and relations). Each run starts from a fresh
database with the articles' texts only, in the real main window (offscreen Qt), pressing the
editor's real keys on its text view. How the annotator acts, and what each act counts:

- a span labelled by hand: selecting its text (1: one click-drag) and the label's hotkey (1;
  held with Alt where the span's edges are not word edges, as "2023." with its full stop);
  labelled in text order, so quick attribution links cues to sources and contents as it does
  for a person;
- with suggestions (the live recommenders: the project's labelled texts, learned as they are
  labelled, and the attribution rules; with --gazetteer FILE or --pipeline NAME, that one
  too): Alt+Down to the first suggestion (1), then each one walked through is accepted with
  Alt+A (1) when all its spans are in the target, or rejected with Alt+X (1), or with all
  the others of its label when every one of them is right (Alt+Shift+A, 1); then the spans
  still missing are labelled by hand, and what those bring (the matcher proposes their text
  elsewhere) is walked through again;
- a relation still missing: a drag from span to span (1), plus 1 to choose its type when the
  schema allows several between those labels; a relation not wanted: click and Delete (2);
- an attribute value to set: Ctrl+digit and the value's digit (2).

Both runs must end with the target set exactly, or the benchmark fails. Then every Sample
article is opened --rounds times in the window with suggestions, timing the open (the row
chosen until the editor shows the document) and the suggestion latency (until they are drawn).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QSettings,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from labeler.app import open_services
from labeler.assist.recommender import Recommender
from labeler.domain.annotation import AnnotationSet
from labeler.domain.project import Project
from labeler.domain.suggestion import Suggestion
from labeler.services.resources import sample_articles
from labeler.services.suggesting import RecommenderChoice
from labeler.services.workspace import Services
from labeler.ui.editor.annotation_commands import AddRelationCommand, DeleteRelationCommand
from labeler.ui.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SpanKey = tuple[int, int, str]


@dataclass
class Target:
    """An article's target set: spans (with attribute values) and relations, by span key."""

    title: str
    spans: dict[SpanKey, dict[str, str]]
    relations: set[tuple[str, SpanKey, SpanKey]]


@dataclass
class Tally:
    """Acts counted in one run."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def targets() -> tuple[list[str], list[Target]]:
    """The Sample articles' texts (as JSONL lines without annotations) and the targets of
    those that ship with an annotation set."""
    lines, found = [], []
    for line in Path(sample_articles()).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        sets = record.pop("annotations", [])
        lines.append(json.dumps(record))
        if not sets or not sets[0]["spans"]:
            continue
        by_id = {s["id"]: (s["start"], s["end"], s["label"]) for s in sets[0]["spans"]}
        spans = {by_id[s["id"]]: dict(s.get("attributes") or {}) for s in sets[0]["spans"]}
        relations = {(r["type"], by_id[r["head"]], by_id[r["tail"]]) for r in sets[0]["relations"]}
        found.append(Target(record["title"], spans, relations))
    return lines, found


def wait(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.perf_counter() + timeout
    while not condition():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        if time.perf_counter() > end:
            raise TimeoutError("the window did not get there in time")
        time.sleep(0.001)


def key_of(sequence: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    combination = QKeySequence(sequence)[0]  # type: ignore[index]
    return combination.key(), combination.keyboardModifiers()


class Annotator:
    """Drives one main window like a person, counting every act."""

    def __init__(self, window: MainWindow, suggestions: bool) -> None:
        self.window = window
        self.suggestions = suggestions
        self.tally = Tally()
        self.shown = 0
        window.suggestions.shown.connect(self._on_shown)

    def _on_shown(self) -> None:
        self.shown += 1

    @property
    def annotations(self) -> AnnotationSet:
        session = self.window.editor.session
        assert session is not None
        return session.annotations

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier, what: str) -> None:
        QTest.keyClick(self.window.text_view, key, modifiers)
        self.tally.add(what)
        self.settle()

    def settle(self) -> None:
        """Waits for what the last act set going (the matcher learning a span)."""
        wait(lambda: self.window.suggestions.pending == 0)

    def open(self, row: int) -> tuple[float, float]:
        """Opens a document; (seconds to open, seconds until its suggestions are drawn)."""
        before = self.shown
        began = time.perf_counter()
        self.window.document_view.selectRow(row)
        wait(lambda: self.window.editor.session is not None)
        opened = time.perf_counter()
        wait(lambda: self.shown > before)
        return opened - began, time.perf_counter() - began

    def have(self) -> dict[SpanKey, int]:
        return {(s.start, s.end, s.label): i for i, s in self.annotations.spans.items()}

    def annotate(self, target: Target) -> None:
        view = self.window.text_view
        view.setFocus()
        if self.suggestions:
            self.walk(target)
        schema = self.annotations.schema
        while missing := sorted(set(target.spans) - set(self.have())):
            start, end, label = missing[0]
            view.select_range(start, end)
            self.tally.add("select text (click-drag)")
            key, modifiers = key_of(schema.label(label).hotkey or "")
            session = self.window.editor.session
            assert session is not None
            if session.snap(start, end) != (start, end):
                modifiers |= ALT  # with Alt, the exact characters (else they snap to words)
            self.press(key, modifiers, "label key")
            if (start, end, label) not in self.have():
                raise RuntimeError(f"labelling {label} [{start}, {end}) made another span")
            if self.suggestions:
                self.walk(target)
        self.fix_relations(target)
        self.fix_attributes(target)

    def walk(self, target: Target) -> None:
        """Goes through the suggestions shown, accepting the right ones, rejecting the rest."""
        controller = self.window.suggestions
        while controller.suggestions:
            if controller.current is None:
                self.press(Qt.Key.Key_Down, ALT, "next suggestion (Alt+Down)")
            chosen = controller.under_caret()
            assert chosen is not None
            label = chosen.spans[0].label
            alike = [s for s in controller.suggestions if s.spans[0].label == label]
            if len(alike) > 1 and all(self.right(s, target) for s in alike):
                self.press(Qt.Key.Key_A, ALT | SHIFT, "accept all of a label (Alt+Shift+A)")
            elif self.right(chosen, target):
                self.press(Qt.Key.Key_A, ALT, "accept (Alt+A)")
            else:
                self.press(Qt.Key.Key_X, ALT, "reject (Alt+X)")

    def right(self, suggestion: Suggestion, target: Target) -> bool:
        """Whether every span it proposes is in the target and not yet in the set."""
        have = self.have()
        keys = [(p.start, p.end, p.label) for p in suggestion.spans]
        return all(k in target.spans and k not in have for k in keys)

    def fix_relations(self, target: Target) -> None:
        editor = self.window.editor
        session = editor.session
        assert session is not None
        have = self.have()
        made = {
            (r.type, self._key(r.head), self._key(r.tail)): i
            for i, r in session.annotations.relations.items()
        }
        for wrong in sorted(set(made) - target.relations):
            editor.run_command(DeleteRelationCommand(session, editor.report, made[wrong]))
            self.tally.add("delete a relation (click, Delete)", 2)
        for type_, head, tail in sorted(target.relations - set(made)):
            editor.run_command(
                AddRelationCommand(session, editor.report, type_, have[head], have[tail])
            )
            self.tally.add("link two spans (drag)")
            if len(session.schema.relation_types_for(head[2], tail[2])) > 1:
                self.tally.add("choose the relation type (key)")

    def _key(self, span_id: int) -> SpanKey:
        span = self.annotations.spans[span_id]
        return span.start, span.end, span.label

    def fix_attributes(self, target: Target) -> None:
        have = self.have()
        for key, values in sorted(target.spans.items()):
            span = self.annotations.spans[have[key]]
            for name, value in sorted(values.items()):
                if span.attributes.get(name) != value:
                    self.window.editor.set_attribute(have[key], name, value)
                    self.tally.add("attribute value (Ctrl+digit, digit)", 2)

    def check(self, target: Target) -> None:
        found = {
            (s.start, s.end, s.label): dict(s.attributes) for s in self.annotations.spans.values()
        }
        relations = {
            (r.type, self._key(r.head), self._key(r.tail))
            for r in self.annotations.relations.values()
        }
        if found != target.spans or relations != target.relations:
            raise RuntimeError(f"{target.title!r} did not end as its target")


def run(
    folder: Path,
    lines: list[str],
    goals: list[Target],
    suggestions: bool,
    more: Sequence[RecommenderChoice] = (),
) -> tuple[Annotator, Services]:
    """One run in a fresh database and window: the annotator who did it, and the services."""
    source = folder / "articles.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    services: Services = open_services(str(folder / "bench.db"))
    services.projects.create("Bench", "news")
    services.importer.import_paths("Bench", [source])
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, "bench", settings)
    if not suggestions:
        window.suggestions.recommenders_for = lambda _project: []
    elif more:
        live = services.suggestions.live_recommenders

        def recommenders(project: Project) -> list[Recommender]:
            made = [services.suggestions.recommender(project, c) for c in more]
            return [*live(project), *made]

        window.suggestions.recommenders_for = recommenders
    window.resize(1200, 800)
    window.show()
    window.activateWindow()
    window.open_project("Bench")
    annotator = Annotator(window, suggestions)
    titles = [json.loads(line)["title"] for line in lines]
    for goal in goals:
        annotator.open(titles.index(goal.title))
        annotator.annotate(goal)
        annotator.check(goal)
    return annotator, services


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def close(annotator: Annotator, services: Services) -> None:
    annotator.window.close()
    annotator.window.deleteLater()
    QApplication.processEvents()
    services.close()


def quiet(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages, less the offscreen platform's note on size hints."""
    if "propagateSizeHints" not in message:
        print(message)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10, help="opens of each article timed")
    parser.add_argument("--gazetteer", type=Path, help="a gazetteer's suggestions too")
    parser.add_argument("--pipeline", help="an installed spaCy pipeline's suggestions too")
    args = parser.parse_args()
    more = []
    if args.gazetteer is not None:
        more.append(RecommenderChoice("gazetteer", gazetteer=args.gazetteer))
    if args.pipeline is not None:
        more.append(RecommenderChoice("spacy", pipeline=args.pipeline))
    qInstallMessageHandler(quiet)
    app: Any = QApplication.instance() or QApplication([])
    lines, goals = targets()
    spans = sum(len(g.spans) for g in goals)
    relations = sum(len(g.relations) for g in goals)
    print(f"{len(goals)} Sample articles with a target set: {spans} spans, {relations} relations")
    with tempfile.TemporaryDirectory() as plain_dir, tempfile.TemporaryDirectory() as with_dir:
        plain, services = run(Path(plain_dir), lines, goals, suggestions=False)
        close(plain, services)
        helped, services = run(Path(with_dir), lines, goals, suggestions=True, more=more)
        opens, latencies = [], []
        for _ in range(args.rounds):
            for row in range(len(lines)):
                opened, drawn = helped.open(row)
                opens.append(opened * 1000)
                latencies.append(drawn * 1000)
        close(helped, services)
    for name, annotator in (("without suggestions", plain), ("with suggestions", helped)):
        print(f"{name}: {annotator.tally.total} key presses and clicks")
        for what, n in sorted(annotator.tally.counts.items()):
            print(f"    {what:<40}{n:>5}")
    saved = 1 - helped.tally.total / plain.tally.total
    print(f"fewer with suggestions: {saved:.0%} (target: at least 40%)")
    print(f"{len(opens)} opens of the {len(lines)} Sample articles, offscreen window:")
    print(
        f"open:                median {statistics.median(opens):6.1f} ms   p95 {p95(opens):6.1f} ms"
    )
    print(
        f"suggestions drawn:   median {statistics.median(latencies):6.1f} ms   "
        f"p95 {p95(latencies):6.1f} ms (from choosing the row)"
    )
    del app


if __name__ == "__main__":
    main()
