"""Colour helpers: label colours as tints, bars, swatches and readable text over either palette."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from labeler.domain.schema import Label

_FALLBACK = QColor("#9e9e9e")
_BLACK = QColor(0, 0, 0)
_WHITE = QColor(255, 255, 255)

# WCAG 2: 4.5:1 for body text, 3:1 for graphical objects such as a span's bar.
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0

# How much of the label colour a background tint starts from, before readability trims it.
_TINT_OVER_LIGHT = 0.55
_TINT_OVER_DARK = 0.5


def label_color(label: Label) -> QColor:
    """The label's colour from the schema; a neutral grey if the schema's value is unusable."""
    color = QColor(label.color)
    return color if color.isValid() else QColor(_FALLBACK)


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = color.redF(), color.greenF(), color.blueF()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 to 21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def is_dark(color: QColor) -> bool:
    """Whether light text reads better than dark text on `color`."""
    return contrast_ratio(color, _WHITE) > contrast_ratio(color, _BLACK)


def readable_text_color(background: QColor) -> QColor:
    """Black or white, whichever contrasts more with `background`."""
    return QColor(_WHITE) if is_dark(background) else QColor(_BLACK)


def blend(color: QColor, base: QColor, amount: float) -> QColor:
    """`color` laid over `base` with opacity `amount` (0 gives base, 1 gives color)."""
    amount = min(1.0, max(0.0, amount))

    def mix(top: int, bottom: int) -> int:
        return round(top * amount + bottom * (1.0 - amount))

    return QColor(
        mix(color.red(), base.red()),
        mix(color.green(), base.green()),
        mix(color.blue(), base.blue()),
    )


def background_color(color: QColor, base: QColor, text: QColor | None = None) -> QColor:
    """A tint of `color` over `base` on which `text` keeps a 4.5:1 contrast.

    `text` defaults to black over a light base and white over a dark one; pass the palette's
    text colour when it is known. The tint is as strong as readability allows.
    """
    text = text if text is not None else readable_text_color(base)
    amount = _TINT_OVER_DARK if is_dark(base) else _TINT_OVER_LIGHT
    # A small margin keeps the ratio above the limit after the colour is rounded to 8 bits.
    while amount > 0.0:
        tint = blend(color, base, amount)
        if contrast_ratio(tint, text) >= TEXT_CONTRAST + 0.05:
            return tint
        amount = round(amount - 0.05, 2)
    return QColor(base.red(), base.green(), base.blue())


def bar_color(color: QColor, base: QColor) -> QColor:
    """`color`, darkened over a light base or lightened over a dark one until a thin line of it
    has a 3:1 contrast with `base`; hue and saturation stay, so bars keep their label's colour."""
    hue, saturation, lightness, _ = color.getHslF()
    hue = max(hue, 0.0)  # -1 for greys
    step = 0.02 if is_dark(base) else -0.02
    candidate = QColor.fromHslF(hue, saturation, lightness)
    while contrast_ratio(candidate, base) < GRAPHIC_CONTRAST + 0.05 and 0.0 < lightness < 1.0:
        lightness = min(1.0, max(0.0, lightness + step))
        candidate = QColor.fromHslF(hue, saturation, lightness)
    return candidate


def swatch_icon(color: QColor, size: int = 12) -> QIcon:
    """A small rounded square of `color`, outlined so pale colours show on a light background."""
    icon = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(color.darker(150))
        painter.setBrush(color)
        rect = QRectF(0.5, 0.5, size - 1.0, size - 1.0)
        painter.drawRoundedRect(rect, size / 5, size / 5)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
