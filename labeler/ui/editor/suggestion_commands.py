"""Accepting suggestions as one undoable step: they become ordinary spans of the set."""

from __future__ import annotations

from labeler.domain.annotation import Relation, Span, id_of
from labeler.domain.errors import RuleError
from labeler.domain.snippets import quoted
from labeler.domain.suggestion import Suggestion
from labeler.services.annotating import EditSession
from labeler.services.suggesting import SuggestionService
from labeler.ui.editor.annotation_commands import EditCommand, EditReport


class AcceptSuggestionsCommand(EditCommand):
    """Accepts suggestions (those that no longer fit are passed over); undo removes the
    spans they made, redo puts them back with their ids and their recommender."""

    def __init__(
        self,
        session: EditSession,
        report: EditReport,
        service: SuggestionService,
        suggestions: list[Suggestion],
    ) -> None:
        first = suggestions[0]
        text = session.document.text
        if len(suggestions) == 1:
            extent = first.extent or (0, 0)
            what = f"accept {quoted(text[extent[0] : extent[1]])}"
        else:
            what = f"accept {len(suggestions)} suggestions"
        super().__init__(session, report, what)
        self._service = service
        self._suggestions = suggestions
        self._added: list[tuple[str, list[tuple[Span, list[Relation]]]]] = []
        self.spans: list[Span] = []

    def _do(self) -> None:
        if self._added:  # redo
            for recommender, removed in self._added:
                self.session.restore_spans(removed, source=recommender)
            return
        problems = []
        for suggestion in self._suggestions:
            try:
                added = self._service.accept(self.session, suggestion)
            except RuleError as error:
                problems.append(error)
                continue
            self._added.append((suggestion.recommender, added))
            self.spans += [span for span, _ in added]
        if not self._added:
            raise problems[0] if problems else RuleError("nothing to accept")

    def _undo(self) -> None:
        for _, removed in reversed(self._added):
            self.session.remove_spans([id_of(span) for span, _ in removed])
