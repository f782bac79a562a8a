"""An indicator's chart, text summary and data table, built from prefetched rows in Python.

``charted()`` loads what ``indicator_chart()`` reads for any number of indicators in three
queries (the indicators with their latest reading, their trajectories, their actuals), so that a
page or the stocktake pack charts every indicator without a query per indicator or per period.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from django.db.models import Prefetch
from django.utils import timezone

from delivery_unit import charts
from priorities.indicators.models import (
    Actual,
    Indicator,
    IndicatorQuerySet,
    Reading,
    State,
    TrajectoryPoint,
    Unit,
)
from priorities.indicators.periods import Frequency

PERIOD_NOUNS: dict[str, tuple[str, str]] = {
    Frequency.MONTHLY: ("month", "months"),
    Frequency.QUARTERLY: ("quarter", "quarters"),
    Frequency.ANNUAL: ("year", "years"),
}


def charted(indicators: IndicatorQuerySet) -> IndicatorQuerySet:
    """The indicators with the annotations ``reading()`` needs and, prefetched in period order,
    the trajectory and actuals that ``indicator_chart()`` reads."""
    return indicators.with_latest().prefetch_related(
        Prefetch("trajectory", queryset=TrajectoryPoint.objects.order_by("period")),
        Prefetch("actuals", queryset=Actual.objects.order_by("period")),
    )


@dataclass(frozen=True)
class DataRow:
    """One period of the data table: the same figures as the chart, in words and numbers."""

    period: date
    label: str
    planned: str
    actual: Actual | None
    actual_text: str
    # "On trajectory", "Off trajectory", "No data", "Not due yet" (with its due day once the period
    # has closed: "Not due yet: due 14 May") or "No plan"
    state: str

    @property
    def provisional(self) -> bool:
        return bool(self.actual and self.actual.provisional)


RECENT_PERIODS = 12


@dataclass(frozen=True)
class IndicatorChart:
    indicator: Indicator
    reading: Reading
    overdue_label: str  # "Data for Mar 2026 overdue: due 15 April, 3 working days late", or ""
    chart: charts.Chart
    summary: str
    rows: list[DataRow]

    @property
    def state_label(self) -> str:
        return self.reading.state.label

    @property
    def recent_rows(self) -> list[DataRow]:
        """The latest twelve periods that are due or have a figure, oldest first: what the
        priority page shows, with a link to the indicator's page for the rest."""
        due = [row for row in self.rows if row.actual or row.state != "Not due yet"]
        return due[-RECENT_PERIODS:]


def indicator_chart(
    indicator: Indicator, *, large: bool = False, today: date | None = None
) -> IndicatorChart:
    """Chart, summary and table for an indicator from ``charted()``: no queries."""
    today = today or timezone.localdate()
    planned = {point.period: point.value for point in indicator.trajectory.all()}
    actuals = {actual.period: actual for actual in indicator.actuals.all()}
    known = [indicator.baseline_period, indicator.target_period, *planned, *actuals]
    scheme = indicator.periods
    periods = scheme.between(min(known), max(known))
    due = scheme.last_closed(today, indicator.grace_days)

    rows = [
        _row(indicator, period, planned.get(period), actuals.get(period), due, today)
        for period in periods
    ]
    summary = summarise(indicator, planned, actuals)
    chart = charts.line_chart(
        [
            charts.Period(
                key=period,
                label=indicator.period_label(period),
                planned=planned.get(period),
                actual=actuals[period].value if period in actuals else None,
                provisional=period in actuals and actuals[period].provisional,
                starts_year=scheme.year_label(period)
                if scheme.year_start(period) == period
                else "",
            )
            for period in periods
        ],
        id=f"chart-{indicator.code}",
        title=f"{indicator.code} {indicator.name}: actuals against trajectory",
        description=f"{summary}. {_plan_in_words(indicator)}",
        baseline=(indicator.baseline_period, indicator.baseline_value),
        target=(indicator.target_period, indicator.target_value),
        tolerance=indicator.tolerance,
        direction=indicator.direction,
        format_value=indicator.format_value,
        decimal_places=indicator.decimal_places,
        width=800 if large else 640,
        plot_height=340 if large else 220,
        climbs=indicator.cumulative,
        **_possible_values(indicator),
    )
    reading = indicator.reading(today)
    overdue = overdue_words(indicator, reading, today)
    return IndicatorChart(indicator, reading, overdue, chart, summary, rows)


PERIODS_PER_YEAR: dict[str, int] = {
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.ANNUAL: 1,
}


def _possible_values(indicator: Indicator) -> dict:
    """What the chart's value axis may show: a count or a sum of money is never below zero and
    is drawn from zero; a percentage lies between 0 and 100."""
    unit = indicator.unit
    return {
        "floor": Decimal(0),
        "ceiling": Decimal(100) if unit == Unit.PERCENTAGE else None,
        "from_zero": unit in (Unit.COUNT, Unit.MONEY),
        "periods_per_year": PERIODS_PER_YEAR[indicator.frequency],
    }


def due_words(day: date, today: date) -> str:
    """ "due 14 May" (with the year when it is not this year's)."""
    return f"due {day.day} {day:%B}" + (f" {day.year}" if day.year != today.year else "")


def overdue_words(indicator: Indicator, reading: Reading, today: date) -> str:
    """ "Data for Mar 2026 overdue: due 15 April, 3 working days late", or "" if none is."""
    if reading.overdue_since is None:
        return ""
    words = (
        f"Data for {indicator.period_label(reading.overdue_since)} overdue: "
        f"{due_words(cast(date, reading.due_on), today)}"  # set with overdue_since
    )
    late = reading.working_days_late
    if late:
        words += f", {late} working day{'s' if late != 1 else ''} late"
    return words


def summarise(
    indicator: Indicator, planned: dict[date, Decimal], actuals: dict[date, Actual]
) -> str:
    """ "12 of 14 months on trajectory; latest 312 against 300 planned (Mar 2026)": how many
    periods with both an actual and a plan were on trajectory, then the latest actual."""
    if not actuals:
        return "No data yet"
    singular, plural = PERIOD_NOUNS[indicator.frequency]
    compared = [period for period in actuals if period in planned]
    on = sum(indicator.is_on(actuals[period].value, planned[period]) for period in compared)
    latest = actuals[max(actuals)]
    value = indicator.format_value(latest.value) + (" (provisional)" if latest.provisional else "")
    if indicator.cumulative:
        value += " year to date"
    when = indicator.period_label(latest.period)
    if latest.period in planned:
        latest_text = (
            f"latest {value} against {indicator.format_value(planned[latest.period])} planned "
            f"({when})"
        )
    else:
        latest_text = f"latest {value} ({when}), with no planned value for that {singular}"
    if not compared:
        return latest_text[0].upper() + latest_text[1:]
    noun = singular if len(compared) == 1 else plural
    return f"{on} of {len(compared)} {noun} on trajectory; {latest_text}"


def _plan_in_words(indicator: Indicator) -> str:
    return (
        f"{indicator.get_direction_display()}. Baseline "
        f"{indicator.format_value(indicator.baseline_value)} "
        f"({indicator.period_label(indicator.baseline_period)}); target "
        f"{indicator.format_value(indicator.target_value)} "
        f"({indicator.period_label(indicator.target_period)}); tolerance "
        f"{indicator.format_value(indicator.tolerance)}."
    )


def _row(
    indicator: Indicator,
    period: date,
    planned: Decimal | None,
    actual: Actual | None,
    due: date,
    today: date,
) -> DataRow:
    if actual is None and period <= due:
        state = "No data"
    elif actual is None:
        state = "Not due yet"
        if indicator.periods.end(period) < today:  # closed: say when its data is due
            state += f": {due_words(indicator.due_on(period), today)}"
    elif planned is None:
        state = "No plan"
    else:
        state = str((State.ON if indicator.is_on(actual.value, planned) else State.OFF).label)
    return DataRow(
        period=period,
        label=indicator.period_label(period),
        planned=indicator.format_value(planned),
        actual=actual,
        actual_text=indicator.format_value(actual.value if actual else None),
        state=state,
    )
