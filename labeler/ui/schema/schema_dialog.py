"""SchemaDialog: a project's label schema to read and edit (labels, attributes, relation types),
from its own buttons or a loaded TOML file; OK counts what the change loses, asks, applies."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.schema_changes import Renames
from labeler.domain.schema_draft import SchemaDraft
from labeler.domain.schema_impact import SchemaImpact
from labeler.domain.schema_toml import load_schema_file, write_schema
from labeler.services.schema_editing import SchemaEditingService
from labeler.ui.colors import label_color, swatch_icon
from labeler.ui.schema.schema_choosers import SchemaChoosers
from labeler.ui.schema.schema_confirm_dialog import SchemaConfirmDialog

_KIND = Qt.ItemDataRole.UserRole  # ("layer" | "label" | "attribute" | "value" | "relation", ...)


def _names(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))


class SchemaDialog(QDialog):
    """Edits a draft of the project's schema; `applied` carries the AppliedSchema after OK."""

    applied = Signal(object)

    def __init__(
        self,
        service: SchemaEditingService,
        project: Project,
        choosers: SchemaChoosers | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("schemaDialog")
        self.setWindowTitle(f"Schema of {project.name}")
        self.resize(1020, 680)
        self._service = service
        self._project = project
        self._ask = choosers or SchemaChoosers()
        self.draft = SchemaDraft(project.schema, project.schema_source)
        self.confirmation: SchemaConfirmDialog | None = None

        self.labels = self._tree("labels", ["Label", "Colour", "Hotkey", "Description"])
        self.attributes = self._tree("attributes", ["Attribute / value", "Labels", "Values"])
        self.relations = self._tree("relations", ["Relation type", "Heads → tails"])
        label_box = self._group(
            "Layers and labels",
            self.labels,
            [
                ("Add label…", self.add_label),
                ("Rename…", self.rename_label),
                ("Colour…", self.recolour_label),
                ("Remove", self.remove_label),
            ],
        )
        attribute_box = self._group(
            "Attributes",
            self.attributes,
            [
                ("Add attribute…", self.add_attribute),
                ("Add value…", self.add_value),
                ("Rename…", self.rename_attribute),
                ("Remove", self.remove_attribute),
            ],
        )
        relation_box = self._group(
            "Relation types",
            self.relations,
            [
                ("Add relation type…", self.add_relation_type),
                ("Rename…", self.rename_relation_type),
                ("Remove", self.remove_relation_type),
            ],
        )
        self.changes = QPlainTextEdit(self)
        self.changes.setObjectName("schemaChanges")
        self.changes.setReadOnly(True)
        self.changes.setMaximumHeight(90)
        self.changes.setPlaceholderText("No changes yet.")
        self.problem = QLabel(self)
        self.problem.setObjectName("schemaProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.load_button = QPushButton("Load TOML…", self)
        self.save_button = QPushButton("Save TOML…", self)
        self.load_button.clicked.connect(self.load_toml)
        self.save_button.clicked.connect(self.save_toml)
        bottom = QHBoxLayout()
        for button in (self.load_button, self.save_button):
            button.setAutoDefault(False)
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)

        right = QVBoxLayout()
        right.addWidget(attribute_box, 3)
        right.addWidget(relation_box, 2)
        columns = QHBoxLayout()
        columns.addWidget(label_box, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(QLabel("Changes to apply:", self))
        layout.addWidget(self.changes)
        layout.addWidget(self.problem)
        layout.addLayout(bottom)
        self._show()

    # -- building
    def _tree(self, name: str, headers: list[str]) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName(f"{name}Tree")
        tree.setHeaderLabels(headers)
        tree.setRootIsDecorated(True)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        return tree

    def _group(
        self, title: str, tree: QTreeWidget, actions: list[tuple[str, Callable[[], None]]]
    ) -> QGroupBox:
        box = QGroupBox(title, self)
        column = QVBoxLayout(box)
        column.addWidget(tree, 1)
        row = QHBoxLayout()
        for text, slot in actions:
            button = QPushButton(text, box)
            button.setObjectName(f"{tree.objectName()}_{text.strip('…').lower().replace(' ', '_')}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        return box

    # -- showing the draft
    def _show(self) -> None:
        """Fills the trees from the draft, keeping what was selected."""
        schema = self.draft.schema
        chosen = {t: self._chosen(t) for t in (self.labels, self.attributes, self.relations)}
        bold = QFont(self.font())
        bold.setBold(True)
        self.labels.clear()
        for layer in schema.layers:
            rule = "overlap allowed" if layer.allow_overlap else "no overlap"
            head = QTreeWidgetItem([layer.name, "", "", f"{rule}. {layer.description}"])
            head.setData(0, _KIND, ("layer", layer.name))
            head.setFont(0, bold)
            for label in layer.labels:
                item = QTreeWidgetItem([label.name, label.color, label.hotkey, label.description])
                item.setIcon(1, swatch_icon(label_color(label)))
                item.setData(0, _KIND, ("label", label.name))
                head.addChild(item)
            self.labels.addTopLevelItem(head)
        self.attributes.clear()
        for attribute in schema.attributes:
            head = QTreeWidgetItem(
                [attribute.name, ", ".join(attribute.labels), ", ".join(attribute.values)]
            )
            head.setData(0, _KIND, ("attribute", attribute.name))
            for value in attribute.values:
                child = QTreeWidgetItem([value])
                child.setData(0, _KIND, ("value", attribute.name, value))
                head.addChild(child)
            self.attributes.addTopLevelItem(head)
        for document in schema.document_attributes:  # shown; edited in the TOML file
            item = QTreeWidgetItem(
                [document.name, f"the document ({document.kind})", ", ".join(document.choices)]
            )
            item.setData(0, _KIND, ("document", document.name))
            item.setToolTip(0, "A document label: change it in the TOML file (Load TOML…)")
            self.attributes.addTopLevelItem(item)
        self.relations.clear()
        for relation in schema.relation_types:
            item = QTreeWidgetItem(
                [relation.name, f"{' | '.join(relation.heads)} → {' | '.join(relation.tails)}"]
            )
            item.setData(0, _KIND, ("relation", relation.name))
            item.setToolTip(0, relation.description)
            self.relations.addTopLevelItem(item)
        for tree in (self.labels, self.attributes, self.relations):
            tree.expandAll()
            for column in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(column)
            self._select(tree, chosen[tree])
        self.attributes.collapseAll()
        edits = [str(e) for e in self.draft.change().edits()]
        self.changes.setPlainText("\n".join(edits))

    @staticmethod
    def _chosen(tree: QTreeWidget) -> tuple[str, ...] | None:
        item = tree.currentItem()
        return None if item is None else item.data(0, _KIND)

    @staticmethod
    def _select(tree: QTreeWidget, key: tuple[str, ...] | None) -> None:
        if key is None:
            return
        found = [
            item
            for item in tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
            if item.data(0, _KIND) == key
        ]
        if found:
            tree.setCurrentItem(found[0])

    def select(self, tree: QTreeWidget, *key: str) -> None:
        """Makes the item of `key` (say "label", "LAW") current, as a click would."""
        self._select(tree, tuple(key))

    def _edit(
        self, change: Callable[[], object], then: tuple[QTreeWidget, tuple] | None = None
    ) -> None:
        try:
            change()
        except LabelerError as error:
            self.problem.setText(str(error))
            return
        self.problem.clear()
        self._show()
        if then is not None:
            self._select(*then)

    def _current(self, tree: QTreeWidget, *kinds: str) -> tuple[str, ...] | None:
        key = self._chosen(tree)
        if key is None or key[0] not in kinds:
            self.problem.setText(f"Choose a {' or '.join(kinds)} first.")
            return None
        return key

    # -- labels
    def add_label(self) -> None:
        key = self._chosen(self.labels)
        schema = self.draft.schema
        layer = (
            schema.layers[0].name
            if key is None
            else (key[1] if key[0] == "layer" else schema.label(key[1]).layer)
        )
        name = self._ask.text(self, "Add label", f"Name of the new label in layer {layer}:", "")
        if name:
            self._edit(lambda: self.draft.add_label(layer, name), (self.labels, ("label", name)))

    def rename_label(self) -> None:
        key = self._current(self.labels, "label")
        if key is None:
            return
        name = self._ask.text(self, "Rename label", f"New name for {key[1]}:", key[1])
        if name and name != key[1]:
            self._edit(
                lambda: self.draft.rename_label(key[1], name), (self.labels, ("label", name))
            )

    def recolour_label(self) -> None:
        key = self._current(self.labels, "label")
        if key is None:
            return
        color = self._ask.color(self, QColor(self.draft.schema.label(key[1]).color))
        if color is not None:
            self._edit(lambda: self.draft.recolour_label(key[1], color.name()))

    def remove_label(self) -> None:
        key = self._current(self.labels, "label")
        if key is not None:
            self._edit(lambda: self.draft.remove_label(key[1]))

    # -- attributes
    def add_attribute(self) -> None:
        label = self._chosen(self.labels)
        default = label[1] if label is not None and label[0] == "label" else ""
        name = self._ask.text(self, "Add attribute", "Name of the new attribute:", "")
        labels = name and self._ask.text(self, "Add attribute", "For labels (a, b):", default)
        values = labels and self._ask.text(self, "Add attribute", "Values (yes, no):", "")
        if name and labels and values:
            self._edit(lambda: self.draft.add_attribute(name, _names(labels), _names(values)))

    def add_value(self) -> None:
        key = self._current(self.attributes, "attribute", "value")
        if key is None:
            return
        value = self._ask.text(self, "Add value", f"New value of {key[1]}:", "")
        if value:
            self._edit(lambda: self.draft.add_value(key[1], value))

    def rename_attribute(self) -> None:
        key = self._current(self.attributes, "attribute", "value")
        if key is None:
            return
        old = key[-1]
        new = self._ask.text(self, "Rename", f"New name for {old}:", old)
        if not new or new == old:
            return
        if key[0] == "value":
            self._edit(lambda: self.draft.rename_value(key[1], old, new))
        else:
            self._edit(
                lambda: self.draft.rename_attribute(old, new), (self.attributes, ("attribute", new))
            )

    def remove_attribute(self) -> None:
        key = self._current(self.attributes, "attribute", "value")
        if key is None:
            return
        if key[0] == "value":
            self._edit(lambda: self.draft.remove_value(key[1], key[2]))
        else:
            self._edit(lambda: self.draft.remove_attribute(key[1]))

    # -- relation types
    def add_relation_type(self) -> None:
        name = self._ask.text(self, "Add relation type", "Name of the new relation type:", "")
        heads = name and self._ask.text(self, "Add relation type", "From labels (a, b):", "")
        tails = heads and self._ask.text(self, "Add relation type", "To labels (a, b):", "")
        if name and heads and tails:
            self._edit(
                lambda: self.draft.add_relation_type(name, _names(heads), _names(tails)),
                (self.relations, ("relation", name)),
            )

    def rename_relation_type(self) -> None:
        key = self._current(self.relations, "relation")
        if key is None:
            return
        name = self._ask.text(self, "Rename relation type", f"New name for {key[1]}:", key[1])
        if name and name != key[1]:
            self._edit(
                lambda: self.draft.rename_relation_type(key[1], name),
                (self.relations, ("relation", name)),
            )

    def remove_relation_type(self) -> None:
        key = self._current(self.relations, "relation")
        if key is not None:
            self._edit(lambda: self.draft.remove_relation_type(key[1]))

    # -- files
    def load_toml(self) -> None:
        """Takes a schema file as the draft; a label it lacks is removed unless carried on."""
        path = self._ask.open_file(self)
        if path is None:
            return

        def load() -> None:
            schema, text = load_schema_file(path)
            self.draft.load(schema, text)

        self._edit(load)

    def save_toml(self) -> None:
        path = self._ask.save_file(self)
        if path is None:
            return
        text = self.draft.source or write_schema(self.draft.schema)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            self.problem.setText(f"Not saved: {error.strerror or error}")
            return
        self.problem.setText(f"Saved to {path}")

    # -- applying
    def accept(self) -> None:
        """Counts what the draft loses; asks first if anything; then applies it."""
        unchanged = (
            self.draft.schema == self._project.schema
            and self.draft.renames() == Renames()  # a label removed and added again is not
            and self.draft.source in (None, self._project.schema_source)
        )
        if unchanged:
            super().accept()
            return
        try:
            impact = self._service.impact(self._project, self.draft.schema, self.draft.renames())
        except LabelerError as error:
            self.problem.setText(str(error))
            return
        if impact.overlap_problem():
            self.problem.setText(f"Not applied: {impact.overlap_problem()}.")
            return
        if not impact.orphans_anything:
            self._apply(impact)
            return
        self.confirmation = SchemaConfirmDialog(
            self.draft,
            impact,
            lambda: self._service.impact(self._project, self.draft.schema, self.draft.renames()),
            self,
        )
        confirmation = self.confirmation
        confirmation.accepted.connect(lambda: self._apply(confirmation.impact))
        confirmation.rejected.connect(self._show)  # carried labels show as renames
        confirmation.open()

    def _apply(self, confirmed: SchemaImpact) -> None:
        """Applies the draft as counted in `confirmed`, the impact the lead saw."""
        try:
            done = self._service.apply(
                self._project,
                self.draft.schema,
                self.draft.renames(),
                confirmed=confirmed,
                source=self.draft.source,
            )
        except LabelerError as error:
            self.problem.setText(f"Not applied: {error}")
            return
        self.applied.emit(done)
        super().accept()
