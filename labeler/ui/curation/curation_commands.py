"""The undoable part of a curator's decision that is not an edit of the set: which items were
rejected (stored, so they are not listed again) and who had what was accepted."""

from __future__ import annotations

from collections.abc import Sequence

from labeler.quality.curation import Disagreement, RelationKey, SpanKey, item_key
from labeler.services.curation import Curation, CurationService
from labeler.ui.editor.annotation_commands import EditCommand, EditReport


class DecisionCommand(EditCommand):
    """Stores rejections and forgets those of accepted items; records the accepted items'
    sources. Undo puts the rejections back as they were. Pushed after the set's own edits,
    in the same undo step."""

    def __init__(
        self,
        report: EditReport,
        service: CurationService,
        curation: Curation,
        text: str,
        *,
        accepted: Sequence[Disagreement] = (),
        rejected: Sequence[Disagreement] = (),
        span_sources: dict[SpanKey, list[str]] | None = None,
        relation_sources: dict[RelationKey, list[str]] | None = None,
    ) -> None:
        super().__init__(curation.session, report, text)
        self._service = service
        self._curation = curation
        self._accepted = list(accepted)
        self._rejected = list(rejected)
        self._sources = (span_sources or {}, relation_sources or {})
        # Which items were rejected before: undo restores exactly that.
        self._before = {item_key(d) for d in (*accepted, *rejected)} & curation.rejected

    def _do(self) -> None:
        if any(self._sources):
            self._service.record_sources(self._curation, *self._sources)
        for item in self._accepted:
            self._service.forget_rejection(self._curation, item)
        for item in self._rejected:
            self._service.store_rejection(self._curation, item)

    def _undo(self) -> None:
        for item in (*self._accepted, *self._rejected):
            if item_key(item) in self._before:
                self._service.store_rejection(self._curation, item)
            else:
                self._service.forget_rejection(self._curation, item)
