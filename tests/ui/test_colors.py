"""Label colours stay readable as tints and visible as bars over a light and a dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from labeler.domain.schema import Label, LabelSchema
from labeler.ui.colors import (
    background_color,
    bar_color,
    contrast_ratio,
    label_color,
    readable_text_color,
    relative_luminance,
    swatch_icon,
)

# (base, text) pairs as palettes have them: Qt's light Fusion, plain white, and two dark themes.
LIGHT = [(QColor("#ffffff"), QColor("#000000")), (QColor("#f0f0f0"), QColor("#1a1a1a"))]
DARK = [
    (QColor("#1e1e1e"), QColor("#ffffff")),
    (QColor("#2b2b2b"), QColor("#e6e6e6")),
    (QColor("#19232d"), QColor("#dfe1e2")),
]


def test_wcag_numbers_match_the_reference_values() -> None:
    assert relative_luminance(QColor("#ffffff")) == pytest.approx(1.0)
    assert relative_luminance(QColor("#000000")) == pytest.approx(0.0)
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    # #777777 on white is the usual example of "just below 4.5:1".
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


def test_label_color_reads_the_schema_and_falls_back_to_grey(schema: LabelSchema) -> None:
    assert label_color(schema.label("PERSON")) == QColor("#e57373")
    broken = label_color(Label("ODD", "entity", "not a colour"))
    assert broken.isValid()
    assert broken.red() == broken.green() == broken.blue()


@pytest.mark.parametrize(("base", "text"), LIGHT + DARK)
def test_every_tint_keeps_the_text_readable(schema: LabelSchema, base, text) -> None:
    for label in schema.labels():
        tint = background_color(label_color(label), base, text)
        ratio = contrast_ratio(tint, text)
        assert ratio >= 4.5, f"{label.name} on {base.name()}: {ratio:.2f}"


@pytest.mark.parametrize(("base", "text"), LIGHT + DARK)
def test_every_tint_is_visible_against_the_base(schema: LabelSchema, base, text) -> None:
    for label in schema.labels():
        tint = background_color(label_color(label), base, text)
        distance = max(
            abs(tint.red() - base.red()),
            abs(tint.green() - base.green()),
            abs(tint.blue() - base.blue()),
        )
        assert distance >= 24, f"{label.name} on {base.name()} is too faint: {tint.name()}"


@pytest.mark.parametrize(("base", "text"), LIGHT + DARK)
def test_text_colour_defaults_to_black_or_white_by_the_base(schema, base, text) -> None:
    default_text = QColor("#000000") if base in [b for b, _ in LIGHT] else QColor("#ffffff")
    for label in schema.labels():
        tint = background_color(label_color(label), base)
        assert contrast_ratio(tint, default_text) >= 4.5, label.name


@pytest.mark.parametrize(("base", "text"), LIGHT + DARK)
def test_every_bar_shows_on_the_base(schema: LabelSchema, base, text) -> None:
    for label in schema.labels():
        bar = bar_color(label_color(label), base)
        ratio = contrast_ratio(bar, base)
        assert ratio >= 3.0, f"{label.name} bar on {base.name()}: {ratio:.2f}"


def test_bars_keep_their_hue(schema: LabelSchema) -> None:
    for base, _ in LIGHT + DARK:
        for name in ("PERSON", "GPE", "ORG", "CLAIM", "SOURCE"):
            color = label_color(schema.label(name))
            bar = bar_color(color, base)
            assert abs(bar.hslHueF() - color.hslHueF()) < 0.02, (name, base.name())


def test_readable_text_colour_is_black_or_white(schema: LabelSchema) -> None:
    assert readable_text_color(QColor("#ffffff")) == QColor("#000000")
    assert readable_text_color(QColor("#fff176")) == QColor("#000000")
    assert readable_text_color(QColor("#000000")) == QColor("#ffffff")
    assert readable_text_color(QColor("#1565c0")) == QColor("#ffffff")
    for label in schema.labels():
        color = label_color(label)
        assert contrast_ratio(readable_text_color(color), color) >= 4.5, label.name


def test_swatch_icon_is_filled_with_the_colour(qapp) -> None:
    icon = swatch_icon(QColor("#e57373"), 12)
    assert not icon.isNull()
    image = icon.pixmap(12, 12).toImage()
    assert image.pixelColor(6, 6) == QColor("#e57373")
    assert image.pixelColor(0, 0).alpha() < 255  # rounded corners


def test_pure_functions_leave_their_arguments_alone() -> None:
    color = QColor("#64b5f6")
    base = QColor("#1e1e1e")
    background_color(color, base)
    bar_color(color, base)
    assert color == QColor("#64b5f6")
    assert base == QColor("#1e1e1e")
