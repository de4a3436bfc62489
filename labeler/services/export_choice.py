"""What an export takes out: the options, the format's defaults filled in, the report, and
the refusals (nothing chosen, several annotators for a one-set format)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.errors import LabelerError
from labeler.domain.snippets import quoted
from labeler.domain.splits import SplitRatios
from labeler.formats import registry
from labeler.services.wording import plural
from labeler.storage.plain_read import SharedDocuments

ANY_STATUS: frozenset[Status] = frozenset(Status)


class ExportCancelled(LabelerError):
    """The person cancelled the export; nothing was written."""


class NothingToExport(LabelerError):
    """The options chose no document; nothing was written (so a retry needs no overwrite).

    `by_status` is True when the statuses asked for (or the format's default) left them out.
    """

    def __init__(self, message: str, by_status: bool) -> None:
        super().__init__(message)
        self.by_status = by_status


CLI_CHOICES = (
    "--annotator NAME for one annotator's sets, or --merge to merge the sets of each document "
    "into one (spans that overlap another annotator's are left out and counted), or --curated "
    "to take each document's finished curated set (`labeler curate` starts them)"
)


class SeveralAnnotators(LabelerError):
    """A one-set format, and documents that several chosen annotators have a set on: whose
    set goes out is a person's choice, never the name that sorts first."""

    def __init__(
        self, format_name: str, shared: SharedDocuments, choices: str = CLI_CHOICES
    ) -> None:
        self.format_name = format_name
        self.shared = shared
        super().__init__(self.describe(choices))

    def describe(self, choices: str) -> str:
        """The refusal, ending with the ways to choose (`choices`, in the asker's words)."""
        shared = self.shared
        named = "; ".join(
            f"{quoted(title) if title else f'document {doc_id}'} ({', '.join(names)})"
            for doc_id, title, names in shared.examples
        )
        more = ", ..." if shared.count > len(shared.examples) else ""
        verb = "has" if shared.count == 1 else "have"
        return (
            f"{self.format_name} holds one annotation set per document, and "
            f"{plural(shared.count, 'document')} {verb} sets by several annotators "
            f"({', '.join(shared.annotators)}): {named}{more}. Nothing was written; choose "
            f"whose sets go out: {choices}."
        )


@dataclass(frozen=True)
class ExportOptions:
    """What goes out. None means no filter, except for statuses: None takes the format's default,
    every status for a lossless format (the native JSONL) and `done` for the others."""

    statuses: frozenset[Status] | None = None
    annotators: tuple[str, ...] | None = None
    layers: tuple[str, ...] | None = None
    labels: tuple[str, ...] | None = None
    merge: bool = False  # the chosen annotators' sets as one set, for one-set formats
    curated: bool = False  # each document's curated set, if done; others are left out
    split: SplitRatios = field(default_factory=SplitRatios)
    seed: int = 0
    # Each document's stored suggestions too, apart from its sets (Label Studio predictions,
    # the native format's `suggestions`); only formats that hold them apart take this.
    suggestions: bool = False


@dataclass
class ExportReport:
    documents: int = 0
    spans_by_label: Counter[str] = field(default_factory=Counter)
    relations: int = 0
    documents_by_split: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)  # documents not exported, by reason
    not_carried: Counter[str] = field(default_factory=Counter)  # what the format could not hold
    outputs: list[Path] = field(default_factory=list)
    splits: list[str] = field(default_factory=list)  # the splits asked for, in order
    suggestions: int = 0  # stored suggestions written apart from the sets (when asked)

    def describe(self) -> list[str]:
        """The summary a person reads after an export, a line each."""
        spans = sum(self.spans_by_label.values())
        lines = [
            f"Wrote {plural(self.documents, 'document')} ({plural(spans, 'span')}, "
            f"{plural(self.relations, 'relation')})."
        ]
        if self.suggestions:
            lines.append(f"  and {plural(self.suggestions, 'suggestion')}, apart from the sets")
        lines.extend(f"  {path}" for path in self.outputs)
        if len(self.splits) > 1:
            for split in self.splits:
                n = self.documents_by_split.get(split, 0)
                lines.append(f"  {split:<6}{n:>8,} " + ("document" if n == 1 else "documents"))
        lines.extend(f"  {label:<14}{n:>8,}" for label, n in sorted(self.spans_by_label.items()))
        lines.extend(
            f"left out {plural(n, 'document')}: {why}" for why, n in sorted(self.left_out.items())
        )
        lines.extend(f"not carried ({n:,}): {why}" for why, n in sorted(self.not_carried.items()))
        return lines


def filtered(
    s: AnnotationSet, layers: tuple[str, ...] | None, labels: tuple[str, ...] | None
) -> AnnotationSet:
    if layers is None and labels is None:
        return s
    kept = {
        i: sp
        for i, sp in s.spans.items()
        if (layers is None or sp.layer in layers) and (labels is None or sp.label in labels)
    }
    relations = {i: r for i, r in s.relations.items() if r.head in kept and r.tail in kept}
    return AnnotationSet(
        s.schema,
        s.annotator,
        s.status,
        kept,
        relations,
        s.id,
        s.version,
        s.note,
        s.active_seconds,
        dict(s.document_labels),
    )


@dataclass(frozen=True)
class Choice:
    """The options with the format's defaults filled in."""

    statuses: frozenset[Status] | None  # None: any status, and documents without a set too
    options: ExportOptions
    notes: bool = True  # the format writes notes
    document_notes: bool = True  # the format writes the document's note (the set's own)
    document_labels: bool = True  # the format writes document labels (or counts their loss)
    lossless: bool = False  # the format carries every set, curated ones flagged as such

    @staticmethod
    def of(fmt: registry.Format, options: ExportOptions) -> Choice:
        statuses = options.statuses
        if statuses is None:
            statuses = ANY_STATUS if fmt.lossless else frozenset({Status.DONE})
        return Choice(
            None if statuses == ANY_STATUS else statuses,
            options,
            notes=fmt.notes,
            document_notes=fmt.document_notes,
            document_labels=fmt.document_labels,
            lossless=fmt.lossless,
        )

    def why_not(self) -> str:
        return "no " + self.wanted()

    def wanted(self) -> str:
        if self.options.curated:
            return "finished (done) curated set"
        parts = []
        if self.statuses is not None:
            parts.append("status " + " or ".join(sorted(s.value for s in self.statuses)))
        if self.options.annotators is not None:
            parts.append("annotator " + " or ".join(self.options.annotators))
        return "annotation set with " + " and ".join(parts)

    def nothing(self, project: str, total: int) -> NothingToExport:
        """The refusal of an export that chose no document."""
        if total == 0:
            return NothingToExport(f"nothing written: project {project!r} has no documents", False)
        every = "the document" if total == 1 else f"the {total:,} documents"
        return NothingToExport(
            f"nothing written: none of {every} of {project!r} has a"
            f"{'n' if not self.options.curated else ''} {self.wanted()}",
            self.statuses is not None and not self.options.curated,
        )


NO_GOLD = "no finished (done) curated set"
GOLD_LEFT = "curated sets (export them with --curated)"
CONFLICT = "spans overlapping another annotator's, left out of the merged set"
NOTES = "notes on spans and relations (the format has no place for them)"
DOCUMENT_NOTES = "notes on documents (the format has no place for them)"
DOCUMENT_LABELS_LOST = "document labels (the format has no place for them)"
LABELS_DISAGREE = "document labels another annotator gave other values (the first one's kept)"


def notes_in(s: AnnotationSet) -> int:
    return sum(1 for sp in s.spans.values() if sp.note) + sum(
        1 for r in s.relations.values() if r.note
    )
