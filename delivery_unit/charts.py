"""A small line chart of actuals against a planned trajectory, laid out on the server as SVG.

This module computes the geometry (every coordinate, tick and label); the template
``components/chart.html`` draws it as inline ``<svg>``. It takes plain data, not models, so that
any app (a priority's page, the stocktake pack) can chart anything with periods, a plan and
actuals.

Why a small template of our own rather than a charting library:

- No JavaScript: the chart is in the HTML the server sends, so it shows without scripts and
  in WeasyPrint, which runs none. The page and the printed pack show the identical drawing.
- The strict Content Security Policy (``style-src 'self'``) forbids inline styles. SVG
  presentation attributes (``fill``, ``stroke``, ``font-size``...) are not styles, so the chart
  uses only those. Libraries that write SVG (matplotlib, pygal, plotly's static export) put
  ``style="..."`` attributes or a ``<style>`` element in their output, which the browser would
  refuse, and bring a large dependency for one chart type.
- Accessibility is ours to control: ``role="img"``, ``<title>``, ``<desc>`` and
  ``aria-labelledby``, provisional points drawn hollow and named in the legend (never colour
  alone), and the same data given as a table beside the chart.
"""

import itertools
import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

HIGHER = "higher"
LOWER = "lower"

# The GOV.UK palette: text black, secondary grey, link blue. Blue and black on white pass the
# 3:1 contrast WCAG asks of graphics; the band's pale fill has its outer edge drawn in grey.
COLOURS = {
    "text": "#0b0c0c",
    "secondary": "#505a5f",
    "grid": "#e5e6e7",
    "axis": "#505a5f",
    "trajectory": "#505a5f",
    "band": "#b1b4b6",
    "actual": "#1d70b8",
    "marker": "#0b0c0c",
    "background": "#ffffff",
}
FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
# Arial's average glyph is about 0.55 of the font size wide; 0.6 leaves room, so labels that we
# space by this estimate do not touch.
CHARACTER_WIDTH = 0.6


@dataclass(frozen=True)
class Period:
    """One period on the x axis. ``key`` identifies it (a date, for example) so that a baseline
    or target can say which period it belongs to."""

    key: Hashable
    label: str
    planned: Decimal | None = None
    actual: Decimal | None = None
    provisional: bool = False
    starts_year: str = ""  # the year's label ("2025/26") when this period is its first


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    provisional: bool
    label: str  # shown as a tooltip: "Mar 2026: 312 (provisional)"


@dataclass(frozen=True)
class Marker:
    """The baseline or the target: a shape at its value and a label beside it."""

    x: float
    y: float
    label: str
    label_x: float
    label_y: float
    anchor: str  # the label's text-anchor: "start" or "end"
    # False when no place beside the marker is clear of the lines: the legend gives the value.
    placed: bool = True


@dataclass(frozen=True)
class LegendItem:
    kind: str  # trajectory, band, actual, provisional, baseline or target
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    font_size: int
    left: float
    top: float
    right: float
    bottom: float
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    year_marks: list[Tick]  # a line where each year starts, labelled where there is room
    band: list[str]  # polygon points, one polygon per unbroken stretch of trajectory
    trajectory: list[str]  # polyline points, likewise
    actual_lines: list[str]  # polyline points, one per unbroken stretch of actuals
    points: list[Point]
    baseline: Marker | None
    target: Marker | None
    legend: list[LegendItem]
    message: str  # "No data yet" when there is nothing to draw, "No actuals yet" when only a plan
    colours: dict[str, str]
    font_family: str = FONT_FAMILY

    @property
    def empty(self) -> bool:
        return not self.y_ticks

    @property
    def plot_width(self) -> float:
        return round(self.right - self.left, 1)

    @property
    def plot_height(self) -> float:
        return round(self.bottom - self.top, 1)

    @property
    def y_label_x(self) -> float:
        return round(self.left - 6, 1)

    @property
    def text_dy(self) -> float:
        """How far below a row's middle to put the baseline of its text, to centre it."""
        return round(self.font_size * 0.35, 1)

    @property
    def x_axis_label_y(self) -> float:
        return self.bottom + self.font_size + 6

    @property
    def year_label_y(self) -> float:
        """In the row above the plot that the chart keeps for the years' words."""
        return self.font_size + 2

    @property
    def message_x(self) -> float:
        return round((self.left + self.right) / 2, 1)

    @property
    def message_y(self) -> float:
        return round((self.top + self.bottom) / 2, 1)


def nice_ticks(
    low: Decimal, high: Decimal, count: int = 5, min_step: Decimal | None = None
) -> list[Decimal]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) that cover ``low`` to ``high``
    in about ``count`` ticks. Decimal throughout, so that labels never read 0.30000000000000004."""
    low, high = min(low, high), max(low, high)
    if low == high:
        pad = abs(low) / 10 if low else Decimal(1)
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(n * magnitude for n in (1, 2, 5, 10) if raw <= n * magnitude)
    if min_step is not None and step < min_step:
        step = min_step
    first = (low / step).to_integral_value(ROUND_FLOOR) * step
    last = (high / step).to_integral_value(ROUND_CEILING) * step
    steps = int((last - first) / step)
    return [first + i * step for i in range(steps + 1)]


def line_chart(
    periods: Sequence[Period],
    *,
    id: str,
    title: str,
    description: str = "",
    baseline: tuple[Hashable, Decimal] | None = None,
    target: tuple[Hashable, Decimal] | None = None,
    tolerance: Decimal = Decimal(0),
    direction: str = HIGHER,
    format_value: Callable[[Decimal], str] | None = None,
    decimal_places: int = 0,
    width: int = 640,
    plot_height: int = 220,
    font_size: int = 12,
    floor: Decimal | None = None,
    ceiling: Decimal | None = None,
    from_zero: bool = False,
    periods_per_year: int = 12,
    climbs: bool = False,
) -> Chart:
    """Lay out a chart of ``periods``' actuals against their planned values.

    The tolerance band lies on the worse side of the trajectory (below it when higher is
    better, above it when lower is better): a value inside the band, or anywhere on the better
    side, counts as on trajectory, so the band shows exactly the room the rule allows.
    A baseline or target whose period is not among ``periods`` is left off the drawing (the
    description and the table still give it). Gaps in the actuals break the line, so that a
    missing period is visible rather than bridged. ``climbs``: the figures are year to date, so
    each year's lines start afresh at its first period instead of dropping from the last year's
    total.

    ``floor`` and ``ceiling`` are the least and most a value can be (0 for a count, 100 for a
    percentage): the axis never shows a value beyond them, and the tolerance band stops at them.
    ``from_zero`` starts the value axis at zero, as a count's should, so that the height of a
    line is the size of the number. ``periods_per_year`` (12, 4 or 1) makes the period labels
    fall on the same month or quarter each year."""
    tolerance = Decimal(tolerance)
    if format_value is None:

        def format_value(value: Decimal) -> str:
            return f"{value:,.{decimal_places}f}"

    index = {period.key: i for i, period in enumerate(periods)}
    markers = {
        name: (index[pair[0]], Decimal(pair[1]))
        for name, pair in (("baseline", baseline), ("target", target))
        if pair is not None and pair[0] in index
    }
    band_sign = -1 if direction == HIGHER else 1

    def possible(value: Decimal) -> Decimal:
        """``value`` kept within what the measure can be: a band edge below zero stops at 0."""
        if floor is not None and value < floor:
            return floor
        if ceiling is not None and value > ceiling:
            return ceiling
        return value

    values = [p.actual for p in periods if p.actual is not None]
    for p in periods:
        if p.planned is not None:
            values += [p.planned, possible(p.planned + band_sign * tolerance)]
    values += [value for _, value in markers.values()]
    if values and from_zero:
        values.append(Decimal(0))

    top = font_size + 8  # room for a marker label above the highest value
    if not values:
        return _empty_chart(id, title, description, width, plot_height, font_size, top)

    ticks = nice_ticks(min(values), max(values), min_step=Decimal(1).scaleb(-decimal_places))
    # Round ticks beyond what the measure can be (below 0, above 100%) are dropped, unless a
    # recorded value lies out there too: the axis then shows it rather than hide it.
    lowest, highest = min(values), max(values)
    while len(ticks) > 2 and floor is not None and ticks[0] < floor and ticks[1] <= lowest:
        ticks = ticks[1:]
    while len(ticks) > 2 and ceiling is not None and ticks[-1] > ceiling and ticks[-2] >= highest:
        ticks = ticks[:-1]
    tick_labels = [format_value(t) for t in ticks]
    left = max(len(label) for label in tick_labels) * font_size * CHARACTER_WIDTH + 14
    period_label_width = max(len(p.label) for p in periods) * font_size * CHARACTER_WIDTH
    right = width - max(period_label_width / 2, 8) - 4
    bottom = top + plot_height
    low, high = ticks[0], ticks[-1]

    def y_of(value: Decimal) -> float:
        return round(bottom - float((value - low) / (high - low)) * plot_height, 1)

    inset = 10  # keeps the first and last points off the axes
    step = (right - left - 2 * inset) / (len(periods) - 1) if len(periods) > 1 else 0

    def x_of(i: int) -> float:
        if len(periods) == 1:
            return round((left + right) / 2, 1)
        return round(left + inset + i * step, 1)

    # The years' words get a row of their own above the plot, where no label or line can be.
    year_marks = _year_marks(periods, x_of, step, font_size)
    if any(mark.label for mark in year_marks):
        top += font_size + 8
        bottom = top + plot_height

    breaks = {i for i, p in enumerate(periods) if p.starts_year} if climbs else set()
    # By index, the periods that have one: every run below is made of such indexes.
    planned = {i: p.planned for i, p in enumerate(periods) if p.planned is not None}
    actual = {i: p.actual for i, p in enumerate(periods) if p.actual is not None}
    planned_runs = _runs([i in planned for i in range(len(periods))], breaks)
    half = max(step / 2, 4) if step else 4  # a lone planned value gets a short mark
    trajectory, band = [], []
    for run in planned_runs:
        xs = [x_of(i) for i in run]
        if len(run) == 1:
            xs = [xs[0] - half, xs[0] + half]
            run = [run[0], run[0]]
        line = [(x, y_of(planned[i])) for x, i in zip(xs, run, strict=True)]
        trajectory.append(_points(line))
        if tolerance:
            edge = [
                (x, y_of(possible(planned[i] + band_sign * tolerance)))
                for x, i in zip(xs, run, strict=True)
            ]
            band.append(_points(line + edge[::-1]))

    actual_lines = [
        _points([(x_of(i), y_of(actual[i])) for i in run])
        for run in _runs([i in actual for i in range(len(periods))], breaks)
        if len(run) > 1
    ]
    points = [
        Point(
            x_of(i),
            y_of(p.actual),
            p.provisional,
            f"{p.label}: {format_value(p.actual)}" + (" (provisional)" if p.provisional else ""),
        )
        for i, p in enumerate(periods)
        if p.actual is not None
    ]

    # Each label goes where it touches no line, no point and not the other label: first on the
    # side away from the trajectory (below a baseline the line rises from, above a target it
    # rises to), reading into the chart, then the other places around its marker.
    rising = (
        markers["target"][1] >= markers["baseline"][1]
        if "baseline" in markers and "target" in markers
        else True
    )
    obstacles = _segments(trajectory + band + actual_lines)
    obstacles += [(pt.x - 4, pt.y - 4, pt.x + 4, pt.y + 4) for pt in points]
    # The years' words (see chart.html: 3 units right of the mark).
    obstacles += [
        _label_box(mark.label, mark.position + 3, font_size + 2, "start", font_size)
        for mark in year_marks
        if mark.label
    ]
    frame = (left, 0.0, float(width), float(bottom))
    taken: list[tuple[float, float, float, float]] = []
    marker_objects = {}
    for name, (i, value) in markers.items():
        x, y = x_of(i), y_of(value)
        text = f"{name.title()} {format_value(value)}"
        above = rising if name == "target" else not rising
        inwards = "start" if i < len(periods) / 2 else "end"
        obstacles.append((x - 6, y - 6, x + 6, y + 6))  # the marker itself
        place = _place_label(text, x, y, font_size, above, inwards, frame, obstacles + taken)
        if place is None:
            marker_objects[name] = Marker(x, y, text, x, y, "start", placed=False)
            continue
        label_x, label_y, anchor = place
        taken.append(_label_box(text, label_x, label_y, anchor, font_size))
        marker_objects[name] = Marker(x, y, text, label_x, label_y, anchor)

    y_ticks = [Tick(y_of(t), label) for t, label in zip(ticks, tick_labels, strict=True)]
    x_ticks = _x_ticks(periods, x_of, step, period_label_width, periods_per_year)

    any_provisional = any(p.provisional and p.actual is not None for p in periods)
    kinds = [
        ("trajectory", "Planned trajectory", bool(trajectory)),
        ("band", _band_label(tolerance, direction, format_value), bool(band)),
        ("actual", "Actual", bool(points) and not all(p.provisional for p in points)),
        ("provisional", "Provisional actual (may be revised)", any_provisional),
        (
            "baseline",
            _legend_label(marker_objects.get("baseline"), "Baseline"),
            "baseline" in marker_objects,
        ),
        (
            "target",
            _legend_label(marker_objects.get("target"), "Target"),
            "target" in marker_objects,
        ),
    ]
    legend_top = bottom + font_size * 2 + 18
    legend, legend_bottom = _legend(
        [(kind, label) for kind, label, shown in kinds if shown], width, legend_top, font_size
    )
    return Chart(
        id=_safe_id(id),
        title=title,
        description=description,
        width=width,
        height=math.ceil(legend_bottom + 6),
        font_size=font_size,
        left=round(left, 1),
        top=top,
        right=round(right, 1),
        bottom=bottom,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        year_marks=year_marks,
        band=band,
        trajectory=trajectory,
        actual_lines=actual_lines,
        points=points,
        baseline=marker_objects.get("baseline"),
        target=marker_objects.get("target"),
        legend=legend,
        message="" if points else "No actuals yet",
        colours=COLOURS,
    )


def _empty_chart(id, title, description, width, plot_height, font_size, top) -> Chart:
    return Chart(
        id=_safe_id(id),
        title=title,
        description=description or "No data yet.",
        width=width,
        height=top + plot_height + 8,
        font_size=font_size,
        left=8,
        top=top,
        right=width - 8,
        bottom=top + plot_height,
        y_ticks=[],
        x_ticks=[],
        year_marks=[],
        band=[],
        trajectory=[],
        actual_lines=[],
        points=[],
        baseline=None,
        target=None,
        legend=[],
        message="No data yet",
        colours=COLOURS,
    )


def _legend_label(marker: Marker | None, name: str) -> str:
    return marker.label if marker is not None and not marker.placed else name


def _band_label(tolerance: Decimal, direction: str, format_value) -> str:
    side = "below" if direction == HIGHER else "above"
    return f"Tolerance: up to {format_value(tolerance)} {side} plan still on trajectory"


def _runs(present: list[bool], breaks: set[int] | frozenset[int] = frozenset()) -> list[list[int]]:
    """Indices of each unbroken stretch of True; a stretch also starts afresh at each index in
    ``breaks``."""
    runs: list[list[int]] = []
    for i, here in enumerate(present):
        if not here:
            continue
        if runs and runs[-1][-1] == i - 1 and i not in breaks:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _points(pairs: list[tuple[float, float]]) -> str:
    return " ".join(f"{round(x, 1)},{round(y, 1)}" for x, y in pairs)


# Label every 1st, 2nd, 3rd... period, in steps that divide a year evenly (or whole years), so
# that labels fall on the same month or quarter each year.
_LABEL_STEPS = {
    12: (1, 2, 3, 6, 12, 24, 36, 60, 120),
    4: (1, 2, 4, 8, 12, 20, 40),
    1: (1, 2, 5, 10, 20, 50),
}


def _x_ticks(
    periods: Sequence[Period], x_of, step: float, label_width: float, periods_per_year: int = 12
) -> list[Tick]:
    """Period labels thinned so that none overlaps the next; the latest period is always
    labelled, because it is the one people look for."""
    room = label_width + 10
    steps = _LABEL_STEPS.get(periods_per_year, _LABEL_STEPS[12])
    every = next((n for n in steps if n * step >= room or step == 0), None)
    if every is None:
        every = math.ceil(room / step / periods_per_year) * periods_per_year
    last = len(periods) - 1
    return [Tick(x_of(i), periods[i].label) for i in range(len(periods)) if (last - i) % every == 0]


# A marker's label is bold: a little wider than CHARACTER_WIDTH.
BOLD_CHARACTER_WIDTH = 0.64

Box = tuple[float, float, float, float]  # left, top, right, bottom


def _label_box(text: str, x: float, y: float, anchor: str, font_size: int) -> Box:
    """The space a label's text takes, its baseline at ``y``, with a little room around it."""
    width = len(text) * font_size * BOLD_CHARACTER_WIDTH
    left = x if anchor == "start" else x - width
    return (left - 2, y - font_size * 0.8 - 2, left + width + 2, y + font_size * 0.25 + 2)


def _segments(polylines: list[str]) -> list[Box | tuple[str, float, float, float, float]]:
    """Every straight piece of the drawn lines (the band's outline too), to keep labels off."""
    pieces: list = []
    for polyline in polylines:
        pairs = [tuple(map(float, pair.split(","))) for pair in polyline.split()]
        pieces += [("line", *a, *b) for a, b in itertools.pairwise(pairs)]
    return pieces


def _hits(box: Box, obstacle) -> bool:
    left, top, right, bottom = box
    if obstacle[0] != "line":
        o_left, o_top, o_right, o_bottom = obstacle
        return left < o_right and o_left < right and top < o_bottom and o_top < bottom
    _, x1, y1, x2, y2 = obstacle
    if x1 > x2:
        x1, y1, x2, y2 = x2, y2, x1, y1
    start, end = max(x1, left), min(x2, right)
    if start > end:
        return False
    if x2 == x1:
        low, high = min(y1, y2), max(y1, y2)
    else:
        slope = (y2 - y1) / (x2 - x1)
        ys = (y1 + slope * (start - x1), y1 + slope * (end - x1))
        low, high = min(ys), max(ys)
    return low < bottom and top < high


def _place_label(
    text: str,
    x: float,
    y: float,
    font_size: int,
    above: bool,
    inwards: str,
    frame: Box,
    obstacles: list,
) -> tuple[float, float, str] | None:
    """Where a marker's label goes: the first place around the marker, from the preferred one
    outwards, that stays inside ``frame`` and touches nothing in ``obstacles``; None when
    there is no such place (the legend then carries the value)."""
    outwards = "end" if inwards == "start" else "start"
    near_above, near_below = -9, 9 + font_size
    far_above, far_below = -9 - font_size * 1.5, 9 + font_size * 2.5
    beside = font_size * 0.35
    rows = (
        [near_above, near_below, beside, far_above, far_below]
        if above
        else [near_below, near_above, beside, far_below, far_above]
    )
    for shift in (0, 30, 60, 90):
        for dy in rows:
            for anchor in (inwards, outwards):
                label_x = x + 8 + shift if anchor == "start" else x - 8 - shift
                label_x, label_y = round(label_x, 1), round(y + dy, 1)
                box = _label_box(text, label_x, label_y, anchor, font_size)
                inside = (
                    box[0] >= frame[0]
                    and box[2] <= frame[2]
                    and box[1] >= frame[1]
                    and box[3] <= frame[3]
                )
                if inside and not any(_hits(box, obstacle) for obstacle in obstacles):
                    return label_x, label_y, anchor
    return None


def _year_marks(periods: Sequence[Period], x_of, step: float, font_size: int) -> list[Tick]:
    """A mark halfway between a year's last period and the next year's first. Each is labelled
    with the year it starts when the years are wide enough for the words; otherwise unlabelled,
    the line alone shows where the years turn."""
    starts = [i for i, period in enumerate(periods) if period.starts_year and i > 0]
    if not starts or len(starts) == len(periods) - 1:  # no turn, or every period is a year
        return []
    widest = max((len(periods[i].starts_year) for i in starts), default=0)
    room = widest * font_size * CHARACTER_WIDTH + 6
    gaps = [b - a for a, b in itertools.pairwise(starts)] or [len(periods) - starts[0]]
    labelled = min(gaps) * step >= room
    return [
        Tick(round(x_of(i) - step / 2, 1), periods[i].starts_year if labelled else "")
        for i in starts
    ]


def _legend(
    items: list[tuple[str, str]], width: int, top: float, font_size: int
) -> tuple[list[LegendItem], float]:
    """Lay the legend out in rows that wrap at the chart's width. Each item is a 24-unit glyph
    then its words; returns the items and the bottom of the last row."""
    placed, x, y = [], 8.0, top
    row_height = font_size + 10
    for kind, label in items:
        item_width = 24 + 6 + len(label) * font_size * CHARACTER_WIDTH + 18
        if x > 8 and x + item_width > width - 8:
            x, y = 8.0, y + row_height
        placed.append(LegendItem(kind, label, round(x, 1), round(y, 1)))
        x += item_width
    return placed, (y + row_height / 2 if items else top)


def _safe_id(text: str) -> str:
    """An id usable in ``id`` and ``aria-labelledby``: letters, digits, hyphens."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-").lower()
    return cleaned if cleaned[:1].isalpha() else f"chart-{cleaned}"
