"""AttributeEditor: the selected span's attributes, one combo box per attribute of its label."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.annotation import Relation, Span
from labeler.domain.schema import Attribute, LabelSchema
from labeler.domain.snippets import quoted
from labeler.ui.colors import label_color, swatch_icon
from labeler.ui.editor.annotation_model import AnnotationModel

UNSET = "\u2014"  # an em dash: the attribute has no value
_QUOTE_LIMIT = 40
NO_SPAN_HINT = "Select a span to see its attributes."


class AttributeEditor(QWidget):
    """Shows a span's attribute values and reports the annotator's changes.

    It never changes the span: attribute_changed asks the editor to, and the editor shows the
    result with show_span again.
    """

    attribute_changed = Signal(int, str, object)
    relation_chosen = Signal(int)  # a relation of the span was clicked: select its arc

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attributeEditor")
        self._span: Span | None = None
        self._model: AnnotationModel | None = None
        self._relations_due = False  # a relation changed during the edit being made
        self._attributes: tuple[Attribute, ...] = ()
        self._combos: dict[str, QComboBox] = {}
        self._values: dict[str, str | None] = {}

        self._swatch = QLabel()
        self._swatch.setObjectName("attributeSwatch")
        self._header = QLabel()
        self._header.setObjectName("attributeHeader")
        self._header.setTextFormat(Qt.TextFormat.PlainText)
        self._header.setWordWrap(True)
        font = QFont(self._header.font())
        font.setBold(True)
        self._header.setFont(font)
        header_row = QHBoxLayout()
        header_row.setSpacing(6)
        header_row.addWidget(self._swatch, 0, Qt.AlignmentFlag.AlignTop)
        header_row.addWidget(self._header, 1)

        # The span's note, or with no span selected the document's.
        self._note = QLabel()
        self._note.setObjectName("attributeNote")
        self._note.setTextFormat(Qt.TextFormat.PlainText)
        self._note.setWordWrap(True)
        self._note.hide()
        self._document_note = ""

        self._hint = QLabel()
        self._hint.setObjectName("attributeHint")
        self._hint.setWordWrap(True)
        self._hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self._form_box = QWidget()
        self._form_box.setObjectName("attributeForm")
        self._form = QFormLayout(self._form_box)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow dock a value goes under its name, never under the dock's scroll bar.
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(header_row)
        layout.addWidget(self._note)
        layout.addWidget(self._hint)
        layout.addWidget(self._form_box)
        # The span's relations, each a button that selects its arc (Enter, Delete then work).
        self._relations_box = QWidget()
        self._relations_box.setObjectName("spanRelations")
        self._relations = QVBoxLayout(self._relations_box)
        self._relations.setContentsMargins(0, 0, 0, 0)
        self._relations.setSpacing(0)
        layout.addWidget(self._relations_box)
        self._relations_box.hide()
        self._buttons: list[QPushButton] = []
        layout.addStretch(1)
        self.show_span(None, None)

    # -- following the open set
    def follow(self, model: AnnotationModel) -> None:
        """Keeps the span shown, and its relations, as the model's set changes."""
        self._model = model
        model.opened.connect(lambda _session: self.show_span(model.schema, None))
        model.reloaded.connect(lambda: self.show_span(model.schema, None))
        model.span_changed.connect(self._on_span_changed)
        model.span_removed.connect(self._on_span_removed)
        model.relation_added.connect(self._on_relations_changed)
        model.relation_removed.connect(self._on_relations_changed)
        model.relation_changed.connect(self._on_relations_changed)
        model.edit_finished.connect(self._after_edit)

    def _on_span_changed(self, _old: Span, new: Span) -> None:
        if self._span is not None and self._span.id == new.id and self._model is not None:
            self.show_span(self._model.schema, new)

    def _on_span_removed(self, span: Span) -> None:
        if self._span is not None and self._span.id == span.id:
            self.show_span(None, None)

    def _on_relations_changed(self, *_relations: Relation) -> None:
        # Listed again once the edit is finished: deleting a span takes its relations first.
        self._relations_due = self._span is not None

    def _after_edit(self) -> None:
        if self._relations_due:
            self._relations_due = False
            if self._span is not None:
                self.show_relations(self._relation_rows(self._span))

    def _relation_rows(self, span: Span | None) -> list[tuple[int, str]]:
        """The followed set's relations of `span`, as show_relations lists them."""
        annotations = self._model.annotations if self._model is not None else None
        if annotations is None or span is None or span.id not in annotations.spans:
            return []
        spans = annotations.spans
        rows = []
        for r in annotations.relations_of(span.id):
            if r.id is None:
                continue
            noted = f" \u2014 note: {quoted(r.note, 30)}" if r.note else ""
            if r.head == span.id:
                rows.append((r.id, f"\u2192 {r.type} {quoted(spans[r.tail].text, 22)}{noted}"))
            else:
                text = f"\u2190 {r.type} from {quoted(spans[r.head].text, 22)}{noted}"
                rows.append((r.id, text))
        return rows

    # -- API
    def show_span(self, schema: LabelSchema | None, span: Span | None) -> None:
        """Shows `span`'s attributes under `schema`, or a hint when there are none to show;
        while following a model, the span's relations too.

        Filling the combo boxes emits nothing; showing the same span again with changed
        values only moves the combo boxes to them.
        """
        if self._model is not None:
            self.show_relations(self._relation_rows(span if schema is not None else None))
        if schema is None or span is None:
            self._show_note(self._document_note, "Document note")
            self._show_hint(None, NO_SPAN_HINT)
            return
        self._show_note(span.note, "Note")
        attributes = schema.attributes_for(span.label)
        same_form = (
            self._span is not None
            and self._span.id == span.id
            and attributes == self._attributes
            and bool(self._combos)
        )
        self._span = span
        self._set_header(schema, span)
        if not attributes:
            self._show_hint(span, f"{span.label} has no attributes.")
            return
        if not same_form:
            self._build_form(attributes)
        self._attributes = attributes
        self._hint.hide()
        self._form_box.show()
        for attribute in attributes:
            self._set_value(attribute, span.attributes.get(attribute.name))

    def show_relations(self, relations: Sequence[tuple[int, str]]) -> None:
        """Lists the shown span's relations as (relation id, how it reads) buttons."""
        while self._relations.count():
            item = self._relations.takeAt(0)
            widget = item.widget()
            if widget is not None:  # hidden at once: deleted only later, it would still paint
                widget.hide()
                widget.deleteLater()
        self._buttons = []
        if not relations:
            self._relations_box.hide()
            return
        title = QLabel("Relations:")
        self._relations.addWidget(title)
        for relation_id, text in relations:
            button = QPushButton(text)
            button.setObjectName(f"relation_{relation_id}")
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 1px 4px;")
            button.setToolTip("Select this relation: Enter changes its type, Delete removes it")
            button.clicked.connect(lambda _=False, r=relation_id: self.relation_chosen.emit(r))
            self._relations.addWidget(button)
            self._buttons.append(button)
        self._relations_box.show()

    def set_document_note(self, note: str) -> None:
        """The document's note, shown while no span is."""
        self._document_note = note
        if self._span is None:
            self._show_note(note, "Document note")

    def note_text(self) -> str:
        """The note shown (empty when none is)."""
        return self._note.text() if not self._note.isHidden() else ""

    def _show_note(self, note: str, title: str) -> None:
        self._note.setText(f"{title}: {note}" if note else "")
        self._note.setVisible(bool(note))

    def relation_buttons(self) -> list[QPushButton]:
        return list(self._buttons)

    def span_id(self) -> int | None:
        """The id of the span shown, if any."""
        return None if self._span is None else self._span.id

    def combo(self, attribute: str) -> QComboBox:
        """The combo box of `attribute` for the span shown."""
        return self._combos[attribute]

    # -- helpers
    def _show_hint(self, span: Span | None, hint: str) -> None:
        self._span = span
        self._attributes = ()
        self._clear_form()
        self._form_box.hide()
        if span is None:
            self._header.clear()
            self._swatch.clear()
            self._header.hide()
            self._swatch.hide()
        self._hint.setText(hint)
        self._hint.show()

    def _set_header(self, schema: LabelSchema, span: Span) -> None:
        self._header.setText(f"{span.label} \u00b7 {quoted(span.text, _QUOTE_LIMIT)}")
        self._header.setToolTip(f"{span.label}, characters {span.start}\u2013{span.end}")
        if schema.has_label(span.label):
            size = self._header.fontMetrics().height() - 2
            self._swatch.setPixmap(
                swatch_icon(label_color(schema.label(span.label))).pixmap(size, size)
            )
            self._swatch.show()
        else:
            self._swatch.hide()
        self._header.show()

    def _clear_form(self) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self._combos = {}
        self._values = {}

    def _build_form(self, attributes: tuple[Attribute, ...]) -> None:
        self._clear_form()
        for n, attribute in enumerate(attributes, start=1):
            combo = QComboBox()
            combo.setObjectName(f"attributeCombo_{attribute.name}")
            # As narrow as the dock needs (the open list shows every value whole).
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
            combo.addItem(UNSET, None)
            for value in attribute.values:
                combo.addItem(value, value)
            if attribute.description:
                combo.setToolTip(attribute.description)
            # activated, unlike currentIndexChanged, comes only from the annotator.
            combo.activated.connect(lambda _i, name=attribute.name: self._on_activated(name))
            # Ctrl+1, Ctrl+2… choose the value from the text (DocumentEditor.choose_attribute).
            key = f" <span style='color:gray'>Ctrl+{n}</span>" if n <= 9 else ""
            label = QLabel(f"{attribute.name.replace('_', ' ')}{key}:")
            label.setBuddy(combo)
            if attribute.description:
                label.setToolTip(attribute.description)
            self._form.addRow(label, combo)
            self._combos[attribute.name] = combo

    def _set_value(self, attribute: Attribute, value: str | None) -> None:
        combo = self._combos[attribute.name]
        row = combo.findData(value) if value is not None else 0
        if row < 0:  # a value the schema no longer lists: show it rather than hide it
            combo.addItem(f"{value} (not in schema)", value)
            row = combo.count() - 1
        combo.setCurrentIndex(row)
        self._values[attribute.name] = value

    def _on_activated(self, name: str) -> None:
        if self._span is None or self._span.id is None:
            return
        value = self._combos[name].currentData()
        if value == self._values.get(name):
            return
        self._values[name] = value
        self.attribute_changed.emit(self._span.id, name, value)
