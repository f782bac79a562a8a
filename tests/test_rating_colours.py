"""Ratings read apart in greyscale and to people who cannot tell red from green.

The four likelihood colours are read from the stylesheets themselves (the screen's SCSS and the
pack's print CSS), and their relative luminance (WCAG 2's formula) is compared: from Red to Green
each step is clearly lighter than the one before, and the words on each fill keep WCAG AA
contrast.
"""

import re
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STYLESHEETS = [ROOT / "static/scss/application.scss", ROOT / "static/css/pack.css"]
SCALE = ["red", "amber_red", "amber_green", "green"]
# Two greys whose luminance contrast is under this are hard to tell apart on paper; the old
# Red and Amber-red fills (#f4cdc6, #fcd6c3) stood at 1.08.
MIN_STEP = 1.6


def relative_luminance(hex_colour: str) -> float:
    red, green, blue = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted([relative_luminance(first), relative_luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rating_colours(stylesheet: Path) -> dict[str, tuple[str, str]]:
    """Each rating's (fill, text) colour as its rule in ``stylesheet`` sets them."""
    css = stylesheet.read_text()
    colours = {}
    for rating in SCALE:
        rule = re.search(r"\.app-rating--" + rating + r"\b[^{]*\{([^}]*)\}", css)
        assert rule, f"{stylesheet.name} has no rule for .app-rating--{rating}"
        fill = re.search(r"background(?:-color)?:\s*(#[0-9a-fA-F]{6})", rule.group(1))
        text = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", rule.group(1))
        assert fill and text, f"{stylesheet.name}: .app-rating--{rating} needs a fill and a colour"
        colours[rating] = (fill.group(1), text.group(1))
    return colours


def test_relative_luminance_matches_the_wcag_formula():
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_each_rating_is_clearly_lighter_than_the_one_below_it(stylesheet):
    colours = rating_colours(stylesheet)
    for worse, better in pairwise(SCALE):
        step = contrast(colours[worse][0], colours[better][0])
        assert relative_luminance(colours[better][0]) > relative_luminance(colours[worse][0])
        assert step >= MIN_STEP, f"{worse} and {better} print as near the same grey ({step:.2f})"


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_the_words_on_each_rating_keep_aa_contrast(stylesheet):
    for rating, (fill, text) in rating_colours(stylesheet).items():
        assert contrast(fill, text) >= 4.5, rating


def test_screen_and_paper_use_the_same_colours():
    screen, paper = (rating_colours(stylesheet) for stylesheet in STYLESHEETS)
    assert screen == paper
