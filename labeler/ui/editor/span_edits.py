"""The edits of spans that keys, the palette and the panels ask of the editor: label,
relabel, label a search's places, copy another's set, delete, resize, set an attribute or
the document's status."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.errors import ConflictError, LabelerError
from labeler.domain.snippets import quoted
from labeler.domain.tokens import word_bounds
from labeler.services.annotating import EditSession
from labeler.ui.editor.annotation_commands import (
    AddSpanCommand,
    ChangeSpanCommand,
    CopySetCommand,
    DeleteSpanCommand,
    EditCommand,
    SetStatusCommand,
)

if TYPE_CHECKING:
    from labeler.ui.editor.document_editor import DocumentEditor

# Stores a command's change and puts it on the undo stack (DocumentEditor._run).
Run = Callable[[EditCommand, Callable[[EditCommand], list[EditCommand]] | None], bool]


def explained(error: LabelerError) -> str:
    """An error as the status bar says it, with the way out where there is one."""
    return f"{error} (F5 reloads it)" if isinstance(error, ConflictError) else str(error)


class SpanEdits:
    """A DocumentEditor's span edits (its apply_label, delete_span… delegate here)."""

    def __init__(self, editor: DocumentEditor, run: Run) -> None:
        self._editor = editor
        self._run_command = run

    def _run(
        self,
        command: EditCommand,
        follow: Callable[[EditCommand], list[EditCommand]] | None = None,
    ) -> bool:
        return self._run_command(command, follow)

    def apply_label(self, label: str, exact: bool = False) -> None:
        """A label's hotkey or button: labels the selected text, else relabels the selected span."""
        session = self._editor.session
        if session is None:
            return
        chosen = self._editor.view.selected_range()
        span_id = self._editor.view.selected_span
        if chosen is not None:
            start, end = chosen if exact else session.snap(*chosen)
            span_id = _same_words(session, start, end, label)
            if span_id is None:
                command = AddSpanCommand(session, self._editor.report, start, end, label)
                if self._run(command, self._editor.relations.attribution_links) and command.span:
                    # The caret goes after the new span, so Ctrl+Right goes on to the next word.
                    self._editor.view.select_span(command.span.id, reveal=False, caret_at_end=True)
                return
        if span_id is not None:
            span = session.annotations.spans[span_id]
            if span.label != label:
                text = f"relabel {quoted(span.text)} {span.label} as {label}"
                # A span relabelled as a cue (say) joins its attribution as a new one would.
                command = ChangeSpanCommand(
                    session, self._editor.report, span_id, text, label=label
                )
                self._run(command, self._editor.relations.attribution_links)
            self._editor.view.select_span(span_id, reveal=False, caret_at_end=True)
            return
        self._editor.message.emit(f"Select some text first, then press {label}'s key")

    def label_ranges(self, ranges: Sequence[tuple[int, int]], label: str) -> int:
        """Labels each [start, end) (a search's places in this document) as one undo step;
        ranges the schema refuses (an overlap, say) are skipped and said. Returns how many."""
        session, stack = self._editor.session, self._editor.undo_stack
        if session is None or stack is None:
            return 0
        done: list[EditCommand] = []
        for start, end in ranges:
            command = AddSpanCommand(session, self._editor.report, start, end, label)
            try:
                command.apply()
            except LabelerError as error:
                self._editor.message.emit(f"Not labelled [{start}, {end}): {explained(error)}")
                continue
            done.append(command)
        if done:
            stack.beginMacro(f"label {len(done)} places {label}")
            for command in done:
                stack.push(command)
            stack.endMacro()
        return len(done)

    def copy_from(self, other: AnnotationSet) -> None:
        """Starts this annotator's set from a copy of another annotator's spans and relations."""
        session = self._editor.session
        if session is not None and self._run(CopySetCommand(session, self._editor.report, other)):
            self._editor.offer.offer([])
        self._editor.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def delete_span(self, span_id: int | None = None) -> None:
        session = self._editor.session
        span_id = self._editor.view.selected_span if span_id is None else span_id
        if session is None or span_id is None:
            return
        self._run(DeleteSpanCommand(session, self._editor.report, span_id))

    def resize_span(self, span_id: int, edge: str, tokens: int) -> None:
        """Moves one edge of a span by a token (+1: right, -1: left)."""
        session = self._editor.session
        if session is None:
            return
        span = session.annotations.spans[span_id]
        start, end = _moved_edge(
            word_bounds(session.document.text, session.tokens_near(span.start, span.end)),
            span.start,
            span.end,
            edge,
            tokens,
        )
        if (start, end) == (span.start, span.end) or start >= end:
            self._editor.message.emit("The span cannot move that edge further")
            return
        command = ChangeSpanCommand(
            session, self._editor.report, span_id, "resize span", start=start, end=end
        )
        self._run(command)

    def set_attribute(self, span_id: int, name: str, value: str | None) -> None:
        session = self._editor.session
        if session is None or span_id not in session.annotations.spans:
            return
        attributes = dict(session.annotations.spans[span_id].attributes)
        if value is None:
            attributes.pop(name, None)
        else:
            attributes[name] = value
        text = f"set {name} = {value}" if value is not None else f"clear {name}"
        command = ChangeSpanCommand(
            session, self._editor.report, span_id, text, attributes=attributes
        )
        if not self._run(command):
            span = session.annotations.spans.get(span_id)
            self._editor.attribute_editor.show_span(self._editor.schema, span)
        # As after a palette click: the label keys work on the text again at once.
        self._editor.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_status(self, status: Status) -> bool:
        session = self._editor.session
        if session is None:
            return False
        if session.status is status:
            return True
        return self._run(SetStatusCommand(session, self._editor.report, status))


def _moved_edge(
    bounds: list[tuple[int, int]], start: int, end: int, edge: str, tokens: int
) -> tuple[int, int]:
    """[start, end) with one edge moved to the neighbouring token's boundary."""
    if edge == "end":
        ends = [b[1] for b in bounds]
        if tokens > 0:
            i = bisect.bisect_right(ends, end)
            return start, ends[i] if i < len(ends) else end
        i = bisect.bisect_left(ends, end) - 1
        return start, ends[i] if i >= 0 and ends[i] > start else end
    starts = [b[0] for b in bounds]
    if tokens < 0:
        i = bisect.bisect_left(starts, start) - 1
        return starts[i] if i >= 0 else start, end
    i = bisect.bisect_right(starts, start)
    return starts[i] if i < len(starts) and starts[i] < end else start, end


def _same_words(session: EditSession, start: int, end: int, label: str) -> int | None:
    """The span over exactly these words in `label`'s layer, where that layer allows no
    overlap: a label's key on its words relabels it rather than being refused."""
    schema = session.schema
    if not schema.has_label(label):
        return None
    layer = schema.label(label).layer
    if schema.layer(layer).allow_overlap:
        return None
    for span in session.annotations.spans_in(start, end, layer):
        if (span.start, span.end) == (start, end):
            return span.id
    return None
