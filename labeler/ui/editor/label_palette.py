"""LabelPalette: the schema's labels by layer, one action per label for its button and hotkey."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionToolButton,
    QStylePainter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.schema import Label, LabelSchema
from labeler.ui.colors import label_color, swatch_icon

_SWATCH = 12
_PAD = 6
_GAP = 6
_MAX_COLUMNS = 3


def hotkey_text(sequence: QKeySequence) -> str:
    """A shortcut as the annotator types it: "p" for a plain letter, "Shift+P" with a modifier."""
    text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
    return text.lower() if len(text) == 1 else text


def compact_hotkey(text: str) -> str:
    """A hotkey as a button shows it: "⇧P" for "Shift+P", as on the key itself, so that two
    columns of labels fit the dock (the tooltip and F1 spell it out)."""
    return text.replace("Shift+", "\u21e7")


class LabelButton(QToolButton):
    """A flat button showing a label's colour swatch, its name and, to the right, its hotkey."""

    def __init__(self, label: Label, hotkey: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label_name = label.name
        self.hotkey = hotkey
        self._shown_key = compact_hotkey(hotkey)
        self._color = label_color(label)
        self.setObjectName(f"labelButton_{label.name}")
        self.setText(label.name)
        self.setAutoRaise(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(f"{label.name}, hotkey {hotkey}" if hotkey else label.name)

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        width = _PAD + _SWATCH + _GAP + fm.horizontalAdvance(self.label_name) + _PAD
        if self.hotkey:
            width += 2 * _GAP + fm.horizontalAdvance(self._shown_key)
        return QSize(width, max(fm.height(), _SWATCH) + 6)

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        return QSize(
            _PAD + _SWATCH + _GAP + self.fontMetrics().horizontalAdvance("MMM…"), hint.height()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionToolButton()
        self.initStyleOption(option)
        option.text = ""
        painter.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, option)
        rect = self.rect().adjusted(_PAD, 0, -_PAD, 0)
        swatch = QRect(rect.left(), rect.center().y() - _SWATCH // 2 + 1, _SWATCH, _SWATCH)
        painter.setRenderHint(QStylePainter.RenderHint.Antialiasing)
        painter.setPen(self._color.darker(150))
        painter.setBrush(self._color)
        painter.drawRoundedRect(swatch.adjusted(0, 0, -1, -1), 2.5, 2.5)
        fm = self.fontMetrics()
        text_rect = rect.adjusted(_SWATCH + _GAP, 0, 0, 0)
        if self.hotkey:
            key_width = fm.horizontalAdvance(self._shown_key)
            key_rect = QRect(text_rect.right() - key_width, rect.top(), key_width, rect.height())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(key_rect, Qt.AlignmentFlag.AlignVCenter, self._shown_key)
            text_rect.setRight(key_rect.left() - _GAP)
        name = fm.elidedText(self.label_name, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(text_rect, align, name)


class LabelPalette(QWidget):
    """The labels of a schema, grouped by layer, each layer with a "show" check box.

    Every label owns a QAction (label name, hotkey, swatch) that the editor adds to its text
    view; the palette's buttons trigger the same actions. The actions have a widget shortcut
    context and are not added to the palette, so their hotkeys fire only where they are added.
    """

    label_chosen = Signal(str)
    layer_toggled = Signal(str, bool)

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self._schema = schema
        self._actions: dict[str, QAction] = {}
        self._buttons: dict[str, LabelButton] = {}
        self._toggles: dict[str, QCheckBox] = {}
        self._grids: dict[str, QGridLayout] = {}
        self._columns = 0

        content = QWidget()
        content.setObjectName("labelPaletteContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(6, 6, 6, 6)
        column.setSpacing(2)
        for layer in schema.layers:
            toggle = QCheckBox(layer.name)
            toggle.setObjectName(f"layerToggle_{layer.name}")
            toggle.setChecked(True)
            toggle.setToolTip(layer.description or f"Show the {layer.name} layer")
            font = QFont(toggle.font())
            font.setBold(True)
            toggle.setFont(font)
            toggle.toggled.connect(lambda checked, name=layer.name: self._on_toggled(name, checked))
            self._toggles[layer.name] = toggle
            if column.count():
                column.addSpacing(6)
            # As wide as its text, so a click on the middle of it lands on something clickable.
            column.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
            grid = QGridLayout()
            grid.setContentsMargins(14, 0, 0, 0)
            grid.setHorizontalSpacing(2)
            grid.setVerticalSpacing(0)
            self._grids[layer.name] = grid
            column.addLayout(grid)
            for label in layer.labels:
                self._add_label(label, content)
        column.addStretch(1)

        self._scroll = QScrollArea()
        self._scroll.setObjectName("labelScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(content)
        self._scroll.viewport().installEventFilter(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)
        self._arrange(1)

    # -- API
    def actions_by_label(self) -> dict[str, QAction]:
        """Each label's action, by label name, in schema order."""
        return dict(self._actions)

    def button(self, label: str) -> LabelButton:
        """The button of `label`."""
        return self._buttons[label]

    def layer_toggle(self, layer: str) -> QCheckBox:
        """The "show" check box of `layer`."""
        return self._toggles[layer]

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        """Ticks or clears a layer's check box without emitting layer_toggled."""
        toggle = self._toggles[layer]
        blocked = toggle.blockSignals(True)
        try:
            toggle.setChecked(visible)
        finally:
            toggle.blockSignals(blocked)

    def visible_layers(self) -> set[str]:
        """The layers whose check box is ticked."""
        return {name for name, toggle in self._toggles.items() if toggle.isChecked()}

    def sizeHint(self) -> QSize:
        return QSize(260, 420)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 120)

    # -- events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._arrange(self._fitting_columns(self._scroll.viewport().width()))
        return super().eventFilter(watched, event)

    # -- helpers
    def _add_label(self, label: Label, parent: QWidget) -> None:
        sequence = QKeySequence(label.hotkey) if label.hotkey else QKeySequence()
        shown_key = hotkey_text(sequence) if label.hotkey else ""
        action = QAction(swatch_icon(label_color(label)), label.name, self)
        action.setObjectName(f"labelAction_{label.name}")
        action.setData(label.name)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        if label.hotkey:
            action.setShortcut(sequence)
        description = label.description or label.name
        action.setToolTip(f"{label.name}: {description}")
        action.setStatusTip(description)
        action.triggered.connect(lambda _checked=False, name=label.name: self._choose(name))
        self._actions[label.name] = action

        button = LabelButton(label, shown_key, parent)
        tip = f"<b>{label.name}</b>"
        if shown_key:
            tip += f" &nbsp;<i>{shown_key}</i>"
        button.setToolTip(f"{tip}<br>{description}")
        button.clicked.connect(action.trigger)
        self._buttons[label.name] = button

    def _choose(self, name: str) -> None:
        self.label_chosen.emit(name)

    def _on_toggled(self, layer: str, checked: bool) -> None:
        self.layer_toggled.emit(layer, checked)

    def _fitting_columns(self, width: int) -> int:
        """The most columns whose widest buttons, column by column, fit `width` unelided."""
        usable = width - 12 - 14  # the content margins and the indent under the layer name
        for columns in range(_MAX_COLUMNS, 1, -1):
            widths = [0] * columns
            for layer in self._schema.layers:
                for i, label in enumerate(layer.labels):
                    hint = self._buttons[label.name].sizeHint().width()
                    widths[i % columns] = max(widths[i % columns], hint)
            if sum(widths) + 2 * (columns - 1) <= usable:
                return columns
        return 1

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for layer in self._schema.layers:
            grid = self._grids[layer.name]
            for i, label in enumerate(layer.labels):
                button = self._buttons[label.name]
                grid.removeWidget(button)
                grid.addWidget(button, i // columns, i % columns)
            for c in range(_MAX_COLUMNS):
                grid.setColumnStretch(c, 1 if c < columns else 0)
