"""The state of an indicator: its latest actual against the trajectory, within tolerance."""

from datetime import date
from decimal import Decimal

import pytest

from delivery_unit.versioning import Stale
from priorities.indicators.models import (
    Actual,
    Indicator,
    Shape,
    State,
    draw_trajectory,
    record_actual,
)

TODAY = date(2026, 1, 20)


def reading(indicator, today=TODAY):
    return Indicator.objects.with_latest().get(pk=indicator.pk).reading(today)


def enter(indicator, month, value, by, **extra):
    return record_actual(
        indicator, date(2025, month, 1), value=Decimal(value), by=by, check_version=False, **extra
    )


def test_no_actual_is_no_data_and_overdue(indicator):
    result = reading(indicator)
    assert result.state == State.NO_DATA
    assert result.overdue_since == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("value", "state"),
    [("2450", State.ON), ("2470", State.ON), ("2471", State.OFF), ("2300", State.ON)],
    ids=["on plan", "within tolerance", "just outside", "better than plan"],
)
def test_lower_is_better_with_tolerance(indicator, unit_staff, value, state):
    # December's plan is 2450 with a tolerance of 20.
    enter(indicator, 12, value, unit_staff)
    assert reading(indicator).state == state


@pytest.mark.parametrize(
    ("value", "state"), [("2430", State.ON), ("2429", State.OFF), ("2600", State.ON)]
)
def test_higher_is_better_with_tolerance(indicator, unit_staff, value, state):
    Indicator.objects.filter(pk=indicator.pk).update(direction="higher")
    enter(indicator, 12, value, unit_staff)
    assert reading(indicator).state == state


def test_state_uses_the_latest_period_not_the_latest_entry(indicator, unit_staff):
    enter(indicator, 12, "2400", unit_staff)  # on
    enter(indicator, 3, "9999", unit_staff)  # an old period entered later: off, but older
    result = reading(indicator)
    assert (result.state, result.period) == (State.ON, date(2025, 12, 1))


def test_actual_outside_the_trajectory_has_no_data_state(indicator, unit_staff):
    record_actual(indicator, date(2026, 3, 1), value=Decimal(1), by=unit_staff, check_version=False)
    assert reading(indicator, today=date(2026, 3, 20)).state == State.NO_DATA


def test_overdue_after_the_grace_in_working_days(indicator, unit_staff):
    enter(indicator, 11, "2500", unit_staff)
    # December closed on the 31st; 20 working days after it, skipping New Year's Day and the
    # weekends, is Thursday 29 January.
    assert indicator.grace_days == 20
    assert indicator.due_on(date(2025, 12, 1)) == date(2026, 1, 29)
    assert reading(indicator, today=date(2026, 1, 29)).overdue_since is None
    late = reading(indicator, today=date(2026, 1, 30))
    assert (late.overdue_since, late.due_on, late.working_days_late) == (
        date(2025, 12, 1),
        date(2026, 1, 29),
        1,
    )
    # Over the weekend it is still one working day late; on Monday, two.
    assert reading(indicator, today=date(2026, 2, 1)).working_days_late == 1
    assert reading(indicator, today=date(2026, 2, 2)).working_days_late == 2


def test_quarterly_indicator(indicator, unit_staff):
    Indicator.objects.filter(pk=indicator.pk).update(frequency="quarterly")
    indicator.trajectory.exclude(period__month__in=[1, 4, 7, 10]).delete()
    record_actual(
        indicator, date(2025, 10, 1), value=Decimal(2540), by=unit_staff, check_version=False
    )
    result = reading(indicator, today=date(2026, 3, 1))
    assert result.state == State.ON  # plan 2550, lower is better
    assert result.overdue_since is None
    # 2025/26 Q4 closed on 31 March; 20 working days later, Good Friday and Easter Monday
    # skipped, is Thursday 30 April.
    assert reading(indicator, today=date(2026, 4, 30)).overdue_since is None
    assert reading(indicator, today=date(2026, 5, 1)).overdue_since == date(2026, 1, 1)


def test_revision_keeps_the_earlier_value_in_history(indicator, unit_staff, priority_lead):
    first, _ = record_actual(indicator, date(2025, 5, 1), value=Decimal(2800), by=unit_staff)
    revised, changed = record_actual(
        indicator, date(2025, 5, 1), value=Decimal(2790), by=priority_lead, version=first.version
    )
    assert changed and revised.version == 2
    history = list(Actual.history.filter(id=revised.pk).order_by("history_date"))
    assert [h.value for h in history] == [Decimal(2800), Decimal(2790)]
    assert [h.history_user for h in history] == [unit_staff, priority_lead]


def test_a_stale_version_is_refused(indicator, unit_staff):
    record_actual(indicator, date(2025, 5, 1), value=Decimal(2800), by=unit_staff)
    with pytest.raises(Stale):
        record_actual(indicator, date(2025, 5, 1), value=Decimal(1), by=unit_staff, version=None)
    assert Actual.objects.get().value == Decimal(2800)


def test_the_same_value_again_changes_nothing(indicator, unit_staff):
    record_actual(indicator, date(2025, 5, 1), value=Decimal(2800), by=unit_staff)
    again, changed = record_actual(
        indicator, date(2025, 5, 1), value=Decimal("2800.0"), by=unit_staff, version=1
    )
    assert not changed and again.version == 1
    assert Actual.history.count() == 1


@pytest.mark.parametrize(
    ("shape", "middle"),
    [(Shape.STRAIGHT, Decimal(2700)), (Shape.EARLY, Decimal(2550)), (Shape.LATE, Decimal(2850))],
)
def test_draw_trajectory_shapes(indicator, shape, middle):
    Indicator.objects.filter(pk=indicator.pk).update(target_period=date(2026, 1, 1))
    indicator.refresh_from_db()
    values = draw_trajectory(indicator, shape)
    assert len(values) == 13
    assert values[date(2025, 1, 1)] == Decimal(3000)
    assert values[date(2026, 1, 1)] == Decimal(2400)
    assert values[date(2025, 7, 1)] == middle
