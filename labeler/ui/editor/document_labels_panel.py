"""DocumentLabelsPanel: the open document's labels (the schema's `[document]` attributes), a
field each, worked with keys: Tab between fields, a letter or the arrow keys in a choice,
Space to tick a value of a multiple choice, Return after a text."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.schema import DocumentAttribute, DocumentKind, LabelSchema
from labeler.ui.editor.annotation_model import AnnotationModel

UNSET = "\u2014"  # an em dash: no value
DOCUMENT_LABELS_KEY = "Ctrl+Shift+D"
NO_ATTRIBUTES = "The schema has no document labels ([document] attributes)."
NO_DOCUMENT = "Open a document to label it."

_Field = QComboBox | QListWidget | QLineEdit


class DocumentLabelsPanel(QWidget):
    """Shows the open set's document labels and reports the annotator's changes.

    It never changes the set: label_changed asks the editor to (an undoable command), and the
    set's DocumentLabelChanged event moves the field to what was stored.
    """

    label_changed = Signal(str, object)  # attribute name, its values (a tuple; empty: clear)
    finished = Signal()  # Esc: the annotator goes back to the text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentLabels")
        self._model: AnnotationModel | None = None
        self._schema: LabelSchema | None = None
        self._fields: dict[str, _Field] = {}
        self._attributes: dict[str, DocumentAttribute] = {}
        self._showing = False  # filling fields: their signals are not the annotator's
        title = QLabel(f"Document labels <span style='color:gray'>{DOCUMENT_LABELS_KEY}</span>")
        title.setObjectName("documentLabelsTitle")
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        self._hint = QLabel(NO_DOCUMENT)
        self._hint.setWordWrap(True)
        self._hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._form_box = QWidget()
        self._form = QFormLayout(self._form_box)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(title)
        layout.addWidget(self._hint)
        layout.addWidget(self._form_box)
        layout.addStretch(1)
        self._form_box.hide()

    # -- following the open set
    def follow(self, model: AnnotationModel) -> None:
        self._model = model
        model.opened.connect(lambda _session: self._show_all())
        model.reloaded.connect(self._show_all)
        model.document_label_changed.connect(self._show_one)

    def _show_all(self) -> None:
        model = self._model
        annotations = model.annotations if model is not None else None
        schema = model.schema if model is not None else None
        if annotations is None or schema is None:
            self._show_hint(NO_DOCUMENT)
            return
        if not schema.document_attributes:
            self._show_hint(NO_ATTRIBUTES)
            return
        if schema is not self._schema:
            self._build(schema)
        self._hint.hide()
        self._form_box.show()
        for name in self._fields:
            self._show_one(name, annotations.document_labels.get(name, ()))

    def _show_one(self, name: str, values: tuple[str, ...]) -> None:
        field = self._fields.get(name)
        if field is None:
            return
        self._showing = True
        try:
            if isinstance(field, QComboBox):
                row = field.findData(values[0]) if values else 0
                if row < 0:  # a value the schema no longer lists: shown rather than hidden
                    field.addItem(f"{values[0]} (not in schema)", values[0])
                    row = field.count() - 1
                field.setCurrentIndex(row)
            elif isinstance(field, QListWidget):
                for n in range(field.count()):
                    item = field.item(n)
                    ticked = item.data(Qt.ItemDataRole.UserRole) in values
                    item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            else:
                field.setText(values[0] if values else "")
        finally:
            self._showing = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.finished.emit()
            return
        super().keyPressEvent(event)

    # -- API
    def focus_first(self) -> bool:
        """Gives the keyboard to the first field; False when there is none."""
        if self._form_box.isHidden() or not self._fields:
            return False
        next(iter(self._fields.values())).setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def field(self, name: str) -> _Field:
        """The field of a document attribute."""
        return self._fields[name]

    def shown(self, name: str) -> tuple[str, ...]:
        """The values the field of `name` shows."""
        field = self._fields[name]
        if isinstance(field, QComboBox):
            value = field.currentData()
            return (value,) if value is not None else ()
        if isinstance(field, QListWidget):
            return tuple(
                field.item(n).data(Qt.ItemDataRole.UserRole)
                for n in range(field.count())
                if field.item(n).checkState() == Qt.CheckState.Checked
            )
        return (field.text(),) if field.text() else ()

    # -- building
    def _show_hint(self, hint: str) -> None:
        self._hint.setText(hint)
        self._hint.show()
        self._form_box.hide()

    def _build(self, schema: LabelSchema) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self._fields = {}
        self._attributes = {a.name: a for a in schema.document_attributes}
        for attribute in schema.document_attributes:
            field = self._field(attribute)
            field.setObjectName(f"documentLabel_{attribute.name}")
            if attribute.description:
                field.setToolTip(attribute.description)
            label = QLabel(f"{attribute.name.replace('_', ' ')}:")
            label.setBuddy(field)
            self._form.addRow(label, field)
            self._fields[attribute.name] = field
        self._schema = schema

    def _field(self, attribute: DocumentAttribute) -> _Field:
        name = attribute.name
        if attribute.kind is DocumentKind.TEXT:
            line = QLineEdit()
            line.setPlaceholderText("free text, Return keeps it")
            line.editingFinished.connect(lambda: self._changed(name))
            return line
        if attribute.kind is DocumentKind.MULTIPLE:
            ticks = QListWidget()
            for value in attribute.values:
                item = QListWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                ticks.addItem(item)
            rows = min(len(attribute.values), 6)
            ticks.setFixedHeight(ticks.sizeHintForRow(0) * rows + 2 * ticks.frameWidth() + 2)
            ticks.itemChanged.connect(lambda _item: self._changed(name))
            return ticks
        combo = QComboBox()
        combo.addItem(UNSET, None)
        for value in attribute.choices:
            combo.addItem(value, value)
        # activated, unlike currentIndexChanged, comes only from the annotator.
        combo.activated.connect(lambda _row: self._changed(name))
        return combo

    def _changed(self, name: str) -> None:
        if self._showing or self._model is None or self._model.annotations is None:
            return
        values = self.shown(name)
        if values != self._model.annotations.document_labels.get(name, ()):
            self.label_changed.emit(name, values)
            # What was stored (the edit may have been refused).
            self._show_one(name, self._model.annotations.document_labels.get(name, ()))
