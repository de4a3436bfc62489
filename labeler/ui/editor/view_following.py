"""How a text view follows the annotation model: the open set and each change of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from labeler.services.annotating import EditSession
from labeler.ui.editor.annotation_model import AnnotationModel

if TYPE_CHECKING:
    from labeler.ui.editor.text_view import AnnotatedTextView


def follow(view: AnnotatedTextView, model: AnnotationModel) -> None:
    """Draws the model's open set and each change of it on `view`."""

    def opened(session: EditSession | None) -> None:
        first_screen = view.take_first_screen()
        if session is None:
            view.set_content("", ())
        elif session is first_screen:  # its text is here, with its first screen's spans
            annotations = session.annotations
            view.set_spans(annotations)
            view.set_relations(annotations.relations.values())
        else:
            annotations = session.annotations
            view.set_content(session.document.text, annotations, annotations.relations.values())

    def reloaded() -> None:
        annotations = model.annotations
        if annotations is not None:
            view.set_spans(annotations)
            view.set_relations(annotations.relations.values())

    model.opened.connect(opened)
    model.reloaded.connect(reloaded)
    model.span_added.connect(view.add_span)
    model.span_removed.connect(lambda span: view.remove_span(span.id))
    model.span_changed.connect(lambda _old, new: view.update_span(new))
    model.relation_added.connect(view.add_relation)
    model.relation_removed.connect(lambda relation: view.remove_relation(relation.id))
    model.relation_changed.connect(lambda _old, new: view.update_relation(new))
