"""Kinds of indicator: cumulative in-year (year to date), seasonal trajectories, rates with a
named denominator, and watch indicators that warn beside a priority's state."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from priorities.indicators.charts import charted, indicator_chart
from priorities.indicators.models import (
    Indicator,
    NoProfile,
    Shape,
    State,
    TrajectoryPoint,
    draw_trajectory,
    record_actual,
)
from priorities.register import register_queryset, standing


def fetch(indicator) -> Indicator:
    return charted(Indicator.objects.filter(pk=indicator.pk)).get()


def enter(indicator, by, values: dict) -> None:
    for period, value in values.items():
        record_actual(indicator, period, value=Decimal(str(value)), by=by, check_version=False)


def plan(indicator, values: dict) -> None:
    TrajectoryPoint.objects.filter(indicator=indicator).delete()
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(indicator=indicator, period=period, value=value)
        for period, value in values.items()
    )


@pytest.fixture
def collection(priority) -> Indicator:
    """In-year council tax collection: the year to date, climbing from April to March."""
    return Indicator.objects.create(
        priority=priority,
        code="CT-01",
        name="In-year council tax collection",
        unit="percentage",
        decimal_places=1,
        direction="higher",
        cumulative=True,
        baseline_value=Decimal(95),
        baseline_period=date(2025, 3, 1),
        target_value=Decimal(97),
        target_period=date(2027, 3, 1),
        tolerance=Decimal(1),
    )


# Cumulative in-year


def test_a_cumulative_trajectory_climbs_through_each_year_and_starts_again(collection):
    planned = draw_trajectory(collection)
    # 2024/25's out-turn is the baseline; 2025/26 aims at 96%, 2026/27 at the 97% target.
    assert planned[date(2025, 3, 1)] == Decimal("95.0")
    assert planned[date(2025, 4, 1)] == Decimal("8.0")  # a twelfth of 96% after April
    assert planned[date(2025, 9, 1)] == Decimal("48.0")  # half way through the year
    assert planned[date(2026, 3, 1)] == Decimal("96.0")  # the year's end
    assert planned[date(2026, 4, 1)] == Decimal("8.1")  # the next year starts again
    assert planned[date(2027, 3, 1)] == Decimal("97.0")


@pytest.mark.parametrize(
    ("period", "actual", "state"),
    [
        (date(2025, 4, 1), "7.5", State.ON),  # start of the year: 8.0 planned, 1 tolerance
        (date(2025, 4, 1), "6.5", State.OFF),
        (date(2025, 9, 1), "47.5", State.ON),  # middle: 48.0 planned
        (date(2025, 9, 1), "45.0", State.OFF),
        (date(2026, 3, 1), "96.2", State.ON),  # end: 96.0 planned
        (date(2026, 3, 1), "94.5", State.OFF),
    ],
)
def test_the_state_compares_the_year_to_date_with_the_plan_to_date(
    collection, unit_staff, period, actual, state
):
    plan(collection, draw_trajectory(collection))
    enter(collection, unit_staff, {period: actual})
    assert fetch(collection).reading(today=date(2026, 6, 1)).state == state


def test_the_chart_draws_each_years_climb(collection, unit_staff):
    plan(collection, draw_trajectory(collection))
    enter(
        collection,
        unit_staff,
        {date(2026, 2, 1): "88.0", date(2026, 3, 1): "96.1", date(2026, 4, 1): "8.2"},
    )
    result = indicator_chart(fetch(collection), today=date(2026, 6, 1))
    # 2024/25's last month, 2025/26 and 2026/27: three stretches of plan, none joined across
    # a year's start (no line falling from March's 96% to April's 8%).
    assert len(result.chart.trajectory) == 3
    assert len(result.chart.actual_lines) == 1  # February to March; April starts afresh
    assert len(result.chart.points) == 3
    assert [mark.label for mark in result.chart.year_marks] == ["2025/26", "2026/27"]
    assert "latest 8.2% year to date against 8.1% planned (Apr 2026)" in result.summary


# Seasonal


@pytest.fixture
def winter_peak(priority, unit_staff) -> Indicator:
    """Rough sleeping: higher in winter. A year of actuals, 2024/25, with a winter peak."""
    indicator = Indicator.objects.create(
        priority=priority,
        code="RS-01",
        name="People seen sleeping rough",
        direction="lower",
        baseline_value=Decimal(100),
        baseline_period=date(2025, 4, 1),
        target_value=Decimal(78),
        target_period=date(2026, 3, 1),
        tolerance=Decimal(5),
    )
    pattern = [80, 80, 80, 80, 80, 100, 120, 140, 140, 120, 100, 80]  # April to March
    enter(
        indicator,
        unit_staff,
        {date(2024 + (3 + n) // 12, (3 + n) % 12 + 1, 1): v for n, v in enumerate(pattern)},
    )
    return indicator


def test_a_seasonal_trajectory_follows_last_years_pattern(winter_peak, unit_staff):
    straight = draw_trajectory(winter_peak)
    seasonal = draw_trajectory(winter_peak, Shape.SEASONAL)
    # The pattern averages 100: April's weight is 0.8, December's and January's 1.4.
    assert seasonal[date(2025, 4, 1)] == Decimal(80)  # 100 x 0.8
    assert seasonal[date(2025, 12, 1)] == (straight[date(2025, 12, 1)] * Decimal("1.4")).quantize(
        Decimal(1)
    )
    # A winter peak as planned is on trajectory; against the straight line it would be off.
    enter(winter_peak, unit_staff, {date(2025, 12, 1): 118})
    assert winter_peak.is_on(Decimal(118), seasonal[date(2025, 12, 1)])
    assert not winter_peak.is_on(Decimal(118), straight[date(2025, 12, 1)])


def test_a_typed_profile_shapes_the_trajectory(priority):
    indicator = Indicator.objects.create(
        priority=priority,
        code="RS-02",
        name="Outreach contacts",
        direction="higher",
        baseline_value=Decimal(100),
        baseline_period=date(2025, 4, 1),
        target_value=Decimal(100),
        target_period=date(2026, 3, 1),
    )
    with pytest.raises(NoProfile, match="no full year of data"):
        draw_trajectory(indicator, Shape.SEASONAL)
    profile = ["1", "1", "1", "1", "1", "1", "1", "1", "1", "2", "2", "2"]  # Q4 doubled
    seasonal = draw_trajectory(indicator, Shape.SEASONAL, profile=profile)
    assert seasonal[date(2025, 4, 1)] == Decimal(80)  # weight 12/15
    assert seasonal[date(2026, 2, 1)] == Decimal(160)


def test_unit_staff_draw_a_seasonal_trajectory_from_a_typed_profile(
    client_for, unit_staff, priority
):
    indicator = Indicator.objects.create(
        priority=priority,
        code="RS-03",
        name="Outreach shifts",
        direction="higher",
        baseline_value=Decimal(10),
        baseline_period=date(2025, 4, 1),
        target_value=Decimal(10),
        target_period=date(2026, 3, 1),
    )
    url = reverse("priorities:trajectory", args=[indicator.code])
    client = client_for(unit_staff)
    refused = client.post(
        url, {"draw-shape": "seasonal", "draw-reason": "Winter", "draw-profile": ""}
    )
    assert refused.status_code == 422
    assert "no full year of data" in refused.content.decode()
    response = client.post(
        url,
        {
            "draw-shape": "seasonal",
            "draw-reason": "Winter shifts",
            "draw-profile": "1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert len(indicator.profile) == 12
    assert dict(indicator.trajectory.values_list("period", "value"))[date(2026, 1, 1)] == 16
    bad = client.post(
        url, {"draw-shape": "seasonal", "draw-reason": "x", "draw-profile": "1, 2, lots"}
    )
    assert "Seasonal profile must be twelve numbers" in bad.content.decode()


# Rates


def test_a_rate_is_written_per_its_base_with_the_denominator_named(priority):
    indicator = Indicator(
        priority=priority,
        code="CS-01",
        unit="rate_per_10000",
        denominator="children aged under 18",
        decimal_places=1,
    )
    assert indicator.format_value(Decimal("312.46")) == "312.5 per 10,000"
    assert indicator.unit_words == "Rate per 10,000 children aged under 18"
    indicator.unit = "rate_per_1000"
    assert indicator.format_value(Decimal("4")) == "4.0 per 1,000"


# Watch indicators


def test_a_watch_indicator_warns_beside_the_state_without_making_it(
    indicator, priority, unit_staff, client_for
):
    watch = Indicator.objects.create(
        priority=priority,
        code="TA-04",
        name="Spend on nightly-paid accommodation",
        kind="perverse",
        unit="money",
        direction="lower",
        baseline_value=Decimal(100),
        baseline_period=date(2025, 1, 1),
        target_value=Decimal(100),
        target_period=date(2025, 12, 1),
    )
    plan(watch, {date(2025, 11, 1): Decimal(100)})
    enter(watch, unit_staff, {date(2025, 11, 1): 150})  # over the watch limit
    enter(indicator, unit_staff, {date(2025, 11, 1): 2440})  # on trajectory
    found = standing(register_queryset().get(pk=priority.pk))
    assert found.state == State.ON
    assert (found.on, found.off) == (1, 0)
    assert found.watch_words == "Watch: TA-04 off trajectory"
    html = client_for(unit_staff).get(reverse("priorities:register")).content.decode()
    assert "Watch: TA-04 off trajectory" in html
