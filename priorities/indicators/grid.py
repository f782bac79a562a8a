"""The data grid: a priority's indicators by period, typed into like a spreadsheet.

Every cell has two inputs named for its indicator and period: the value (``a-17-2025-04``) and
the version of the actual the person saw (``v-17-2025-04``, blank if there was none). One cell
saved by htmx as it is left and the whole grid posted as an ordinary form are read by the same
code, so the two paths cannot disagree about what a good value is or when a save is stale.

A cell never loses what someone typed: a bad value or a stale save shows the text as it was typed,
with the message beside it, and nothing is written. Saving the whole grid is all or nothing.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from delivery_unit.numbers import is_number, parse_id
from delivery_unit.versioning import Stale
from priorities.indicators.models import (
    Actual,
    Indicator,
    TrajectoryPoint,
    Unit,
    record_actual,
)
from priorities.indicators.periods import Frequency, PeriodError, Periods, YearBasis

# How many periods each table shows, ending at the period the window ends in.
WINDOW: dict[str, int] = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 8, Frequency.ANNUAL: 5}
MONTHS = Periods.monthly()
# The earlier and later links move the window by a year.
STEP_MONTHS = 12

# Actual.value is DecimalField(max_digits=16, decimal_places=4): twelve digits before the point.
MAX_VALUE = Decimal(10) ** 12
NOT_A_NUMBER = "Enter a number, like 312 or 95.5"
TOO_BIG = "Enter a number with no more than 12 digits before the decimal point"
_EXAMPLES = {1: "95.5", 2: "95.25", 3: "95.125", 4: "95.0625"}


class BadValue(ValueError):
    """What is wrong with a typed value, worded for the person who typed it."""


def parse_value(text: str, indicator: Indicator) -> Decimal:
    """The number in ``text`` as the indicator keeps it, or BadValue saying what to type.

    Accepts what people type in a spreadsheet: thousands commas ("3,000"), a sign, a "%" after a
    percentage and a "£" before money. Refuses exponents ("1e999"), "NaN" and "Infinity", which
    Decimal would take, and more decimal places than the indicator has.
    """
    text = text.strip().replace("\u2212", "-")
    if indicator.unit == Unit.PERCENTAGE:
        text = text.removesuffix("%").rstrip()
    if indicator.unit == Unit.MONEY:
        sign = text[:1] if text[:1] in "+-" else ""
        text = sign + text[len(sign) :].removeprefix("£")
    if len(text) > 40 or not is_number(text):
        raise BadValue(NOT_A_NUMBER)
    value = Decimal(text.replace(",", ""))
    if abs(value) >= MAX_VALUE:
        raise BadValue(TOO_BIG)
    places = indicator.decimal_places
    if value != value.quantize(Decimal(1).scaleb(-places)):
        if places == 0:
            raise BadValue("Enter a whole number, like 312")
        raise BadValue(
            f"Enter a number with no more than {places} decimal place{'s' if places > 1 else ''}"
            f", like {_EXAMPLES[places]}"
        )
    return value


def input_text(value: Decimal | None, indicator: Indicator | None = None) -> str:
    """A stored value as the input shows it, as the plan beside it reads: thousands separated,
    with the indicator's unit ("1,511,122", "95.5%", "£1,200"), but every stored digit kept (no
    rounding to the places shown elsewhere), so that saving it back changes nothing."""
    if value is None:
        return ""
    text = format(value.normalize(), ",f")
    if text == "-0":
        text = "0"
    unit = indicator.unit if indicator is not None else None
    if unit == Unit.PERCENTAGE:
        return f"{text}%"
    if unit == Unit.MONEY:
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    return text


def read_version(text: str | None) -> int | None:
    """The version a form carried; blank (or anything but a number) means "saw no value"."""
    return parse_id((text or "").strip())


def stale_message(current: Actual | None, indicator: Indicator, typed: str, *, by) -> str:
    """Who saved what, and when, while this person was typing: their value was not saved."""
    if current is None:
        return (
            f"The value here was removed while you were typing; your {typed} has not been saved. "
            "To save yours, press Enter in this cell."
        )
    who = "You" if current.entered_by_id == by.pk else str(current.entered_by or "Someone")
    when = timezone.localtime(current.entered_at)
    at = f"at {when:%H:%M}"
    if when.date() != timezone.localdate():
        at += f" on {when.day} {when:%B %Y}"
    return (
        f"{who} saved {indicator.format_value(current.value)} here {at} while you were "
        f"typing; your {typed} has not been saved. To save yours instead, press Enter in this cell."
    )


@dataclass
class Cell:
    """One indicator in one period: the planned value, the actual, and what the input shows."""

    indicator: Indicator
    period: date
    actual: Actual | None
    planned: Decimal | None
    text: str = ""  # what the input shows: the stored value, or what the person typed
    version: int | None = None  # the version the input carries
    error: str = ""
    notice: str = ""  # a note that is not an error ("a blank cell changes nothing")
    saved: bool = False
    stale: bool = False  # refused because someone else saved the cell first
    gap: bool = False  # no figure, between figures: a hole in the series, marked as such

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Show the stored value and its version, as a fresh page would."""
        self.text = input_text(self.actual.value if self.actual else None, self.indicator)
        self.version = self.actual.version if self.actual else None

    @cached_property
    def period_code(self) -> str:
        """The period's first month, `2025-04`: in the cell's URL and input names, which a
        quarter's label (`2025/26 Q1`) would not fit."""
        return Periods.monthly().code(self.period)

    @property
    def key(self) -> str:
        return f"{self.indicator.pk}-{self.period_code}"

    @property
    def name(self) -> str:
        return f"a-{self.key}"

    @property
    def version_name(self) -> str:
        return f"v-{self.key}"

    @property
    def input_id(self) -> str:
        return f"cell-{self.key}"

    @property
    def period_label(self) -> str:
        return self.indicator.period_label(self.period)

    @property
    def label(self) -> str:
        """What a screen reader hears for the input: "TA-01 Households in …, Apr 2025"."""
        return f"{self.indicator}, {self.period_label}"

    @property
    def short_label(self) -> str:
        return f"{self.indicator.code}, {self.period_label}"

    @property
    def value_text(self) -> str:
        return self.indicator.format_value(self.actual.value if self.actual else None)

    @property
    def planned_text(self) -> str:
        return self.indicator.format_value(self.planned)

    @property
    def on_trajectory(self) -> bool | None:
        """True or False when there is both an actual and a planned value, else None."""
        if self.actual is None or self.planned is None:
            return None
        return self.indicator.is_on(self.actual.value, self.planned)

    def take(self, text: str, seen: int | None) -> Decimal | None:
        """Read what was typed against the stored value, without saving: the value to save, or
        None when there is nothing to save (blank, unchanged or bad, which sets ``error``)."""
        if not text.strip():
            self.reset()
            return None
        self.text, self.version = text, seen
        try:
            value = parse_value(text, self.indicator)
        except BadValue as bad:
            self.error = str(bad)
            return None
        if unclosed := self.indicator.periods.not_ended(self.period, timezone.localdate()):
            self.error = unclosed
            return None
        if self.actual is not None and value == self.actual.value:
            self.reset()  # the same figure is already there, whoever saved it
            return None
        return value

    def refuse_as_stale(self, current: Actual | None, value: Decimal, *, by) -> None:
        """Someone saved this cell since the page was drawn: keep the typed text, show theirs,
        and move the version on so that saving again replaces theirs knowingly."""
        self.actual = current
        self.version = current.version if current else None
        self.stale = True
        typed = self.indicator.format_value(value)
        self.error = stale_message(current, self.indicator, typed, by=by)


@dataclass
class Row:
    indicator: Indicator
    cells: list[Cell]


@dataclass
class Table:
    """The indicators of one frequency and year, by the periods of the window."""

    frequency: str
    year: str
    periods: list[date]
    rows: list[Row]

    @property
    def heading(self) -> str:
        kind = f"{Frequency(self.frequency).label} indicators"
        if self.frequency == Frequency.MONTHLY or self.year == YearBasis.REPORTING:
            return kind
        return f"{kind}, {YearBasis(self.year).label.removeprefix('The ')}"

    @property
    def period_labels(self) -> list[str]:
        scheme = Periods.of(self.frequency, self.year)
        return [scheme.label(period) for period in self.periods]

    @property
    def span(self) -> str:
        first, last = self.period_labels[0], self.period_labels[-1]
        return f"{first} to {last}"


@dataclass
class Grid:
    until: date  # the month the window ends in
    current: date  # this month: the window never goes past it
    tables: list[Table] = field(default_factory=list)

    def cells(self) -> Iterator[Cell]:
        for table in self.tables:
            for row in table.rows:
                yield from row.cells

    def cell(self, indicator: Indicator, period: date) -> Cell | None:
        for cell in self.cells():
            if cell.indicator.pk == indicator.pk and cell.period == period:
                return cell
        return None

    @property
    def errors(self) -> list[Cell]:
        return [cell for cell in self.cells() if cell.error]

    @property
    def is_default(self) -> bool:
        return self.until == self.current

    @property
    def until_code(self) -> str:
        return MONTHS.code(self.until)

    @property
    def earlier(self) -> str:
        return MONTHS.code(MONTHS.shift(self.until, -STEP_MONTHS))

    @property
    def earlier_label(self) -> str:
        return MONTHS.label(MONTHS.shift(self.until, -STEP_MONTHS))

    @property
    def later_label(self) -> str:
        later = min(MONTHS.shift(self.until, STEP_MONTHS), self.current)
        return MONTHS.label(later)

    @property
    def later(self) -> str | None:
        """The ``until`` of the next window, "" for the default one, None if this is it."""
        if self.until >= self.current:
            return None
        later = MONTHS.shift(self.until, STEP_MONTHS)
        return "" if later >= self.current else MONTHS.code(later)


def this_month(today: date | None = None) -> date:
    return MONTHS.start(today or timezone.localdate())


def parse_until(text: str | None, today: date | None = None) -> date:
    """The month the window ends in: ``text`` as YYYY-MM, or this month if it is missing, malformed
    or in the future (there is no data to enter for periods that have not started)."""
    current = this_month(today)
    try:
        until = MONTHS.parse(text or "")
    except PeriodError:
        return current
    return min(until, current)


def until_for(period: date, scheme: Periods, today: date | None = None) -> date:
    """A window that ends with ``period``: its last month, or this month if it is still open."""
    return min(scheme.last_month(period), this_month(today))


def build_grid(priority, until: date, today: date | None = None) -> Grid:
    """The priority's indicators by frequency, each table the window's periods ending in
    ``until``; three queries however many indicators and periods."""
    grid = Grid(until=until, current=this_month(today))
    indicators = list(priority.indicators.order_by("position", "code"))
    windows: dict[tuple[str, str], list[date]] = {}
    for frequency, year in sorted({_table_of(i) for i in indicators}, key=_table_order):
        scheme = Periods.of(frequency, year)
        last = scheme.start(until)
        windows[frequency, year] = [scheme.shift(last, n) for n in range(1 - WINDOW[frequency], 1)]
    if not windows:
        return grid
    in_window = Q()
    for (frequency, _year), periods in windows.items():
        in_window |= Q(
            indicator__frequency=frequency, period__gte=periods[0], period__lte=periods[-1]
        )
    on_priority = Q(indicator__priority=priority)
    actuals = {
        (a.indicator_id, a.period): a
        for a in Actual.objects.filter(on_priority & in_window).select_related("entered_by")
    }
    planned = {
        (p.indicator_id, p.period): p.value
        for p in TrajectoryPoint.objects.filter(on_priority & in_window)
    }
    for (frequency, year), periods in windows.items():
        rows = []
        for indicator in indicators:
            if _table_of(indicator) != (frequency, year):
                continue
            cells = []
            for period in periods:
                actual = actuals.get((indicator.pk, period))
                if actual is not None:
                    actual.indicator = indicator  # for messages, without a query
                cells.append(Cell(indicator, period, actual, planned.get((indicator.pk, period))))
            figures = [n for n, cell in enumerate(cells) if cell.actual is not None]
            for cell in cells[figures[0] : figures[-1]] if figures else []:
                cell.gap = cell.actual is None
            rows.append(Row(indicator, cells))
        grid.tables.append(Table(frequency, year, periods, rows))
    return grid


def _table_of(indicator: Indicator) -> tuple[str, str]:
    """The table an indicator's row is in: one for each frequency and, for quarters and years,
    each kind of year (a month is the same month in any year)."""
    if indicator.frequency == Frequency.MONTHLY:
        return Frequency.MONTHLY, YearBasis.REPORTING
    return indicator.frequency, indicator.year


def _table_order(key: tuple[str, str]) -> tuple[int, int]:
    return Frequency.values.index(key[0]), YearBasis.values.index(key[1])


def enter_cell(cell: Cell, data: Mapping[str, str], *, by) -> int:
    """Save the one cell that was left, as htmx sends it. Returns the HTTP status that says what
    happened: 200 saved (or nothing to save), 422 a bad value, 409 someone saved it first."""
    typed = data.get(cell.name, "")
    value = cell.take(typed, read_version(data.get(cell.version_name)))
    if cell.error:
        return 422
    if value is None:
        if typed.strip():
            cell.saved = True  # the figure typed is the one already there
        elif cell.actual is not None:
            cell.notice = f"Left as {cell.value_text}: a blank cell changes nothing."
        return 200
    try:
        cell.actual, _ = record_actual(
            cell.indicator, cell.period, value=value, by=by, version=cell.version
        )
    except Stale as stale:
        if stale.current is not None and stale.current.value == value:
            cell.actual = stale.current  # they saved the same figure: nothing is lost
        else:
            cell.refuse_as_stale(stale.current, value, by=by)
            return 409
    cell.actual.indicator = cell.indicator
    cell.reset()
    cell.saved = True
    return 200


@dataclass
class GridSave:
    saved: int = 0
    refused: bool = False  # something was bad or stale: nothing was saved
    stale: bool = False


def save_grid(grid: Grid, data: Mapping[str, str], *, by) -> GridSave:
    """Save every changed cell of the posted grid, all or nothing: if any value is bad or was
    saved by someone else since the page was drawn, nothing is written and each such cell says
    why, keeping what was typed."""
    changes: list[tuple[Cell, Decimal]] = []
    for cell in grid.cells():
        if cell.name in data:
            value = cell.take(data[cell.name], read_version(data.get(cell.version_name)))
            if value is not None:
                changes.append((cell, value))
    changes = _drop_untouched(changes, by=by)
    if grid.errors:
        return GridSave(refused=True, stale=any(cell.stale for cell in grid.errors))
    result = GridSave()
    with transaction.atomic():
        for cell, value in changes:
            try:
                record_actual(cell.indicator, cell.period, value=value, by=by, version=cell.version)
            except Stale as stale:  # saved by someone else in the last moment
                if stale.current is not None and stale.current.value == value:
                    continue  # the same figure (their own, by htmx, as the form was posted)
                cell.refuse_as_stale(stale.current, value, by=by)
                result.refused = result.stale = True
            else:
                result.saved += 1
        if result.refused:
            transaction.set_rollback(True)
            result.saved = 0
    return result


def _drop_untouched(changes: list[tuple[Cell, Decimal]], *, by) -> list[tuple[Cell, Decimal]]:
    """Of the cells whose stored value moved on since the page was drawn, tell apart the ones this
    person left alone (their text is the figure they saw: show the new one instead) from the ones
    they changed (refused as stale, so that neither figure is lost unseen). One query."""
    kept: list[tuple[Cell, Decimal]] = []
    moved: list[tuple[Cell, Decimal]] = []
    for cell, value in changes:
        current = cell.actual.version if cell.actual else None
        (kept if cell.version == current else moved).append((cell, value))
    if not moved:
        return kept
    seen = Q(pk__in=[])
    for cell, _ in moved:
        if cell.version is not None:
            seen |= Q(indicator_id=cell.indicator.pk, period=cell.period, version=cell.version)
    seen_values = {
        (h.indicator_id, h.period, h.version): h.value for h in Actual.history.filter(seen)
    }
    for cell, value in moved:
        if seen_values.get((cell.indicator.pk, cell.period, cell.version)) == value:
            cell.reset()  # untouched: show what is there now
        else:
            cell.refuse_as_stale(cell.actual, value, by=by)
    return kept
