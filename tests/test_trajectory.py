"""Unit staff set up indicators and draw or adjust trajectories; every change says why."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from priorities.indicators.models import Indicator, TrajectoryRevision

INDICATOR = {
    "code": "ta-02",
    "name": "Families in bed and breakfast over six weeks",
    "kind": "goal",
    "unit": "count",
    "decimal_places": "0",
    "direction": "lower",
    "frequency": "quarterly",
    "baseline_value": "48",
    "baseline_period_text": "2024/25 Q4",
    "target_value": "0",
    "target_period_text": "2025/26 Q4",
    "tolerance": "2",
    "grace_days": "45",
    "source": "Housing system",
}


def test_unit_staff_adds_an_indicator_with_a_straight_trajectory(client_for, unit_staff, priority):
    response = client_for(unit_staff).post(
        reverse("priorities:indicator_create", args=[priority.slug]), INDICATOR
    )
    indicator = Indicator.objects.get(code="TA-02")
    assert response["Location"] == reverse("priorities:trajectory", args=["TA-02"])
    assert (indicator.baseline_period, indicator.target_period) == (
        date(2025, 1, 1),
        date(2026, 1, 1),
    )
    planned = dict(indicator.trajectory.values_list("period", "value"))
    assert planned == {
        date(2025, 1, 1): 48,
        date(2025, 4, 1): 36,
        date(2025, 7, 1): 24,
        date(2025, 10, 1): 12,
        date(2026, 1, 1): 0,
    }
    revision = indicator.trajectory_revisions.get()
    assert revision.changed_by == unit_staff
    assert "straight line" in revision.reason


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "TA01"}, "Code must be like TA-01"),
        ({"baseline_period_text": "2025-04"}, "does not fit a quarterly indicator"),
        ({"target_period_text": "2024/25 Q3"}, "Target period must be after the baseline period"),
        ({"target_period_text": "2025-Q4"}, "does not fit a quarterly indicator: use YYYY/YY Qn"),
        ({"baseline_value": "lots"}, "Baseline value must be a number"),
        ({"decimal_places": "7"}, "Decimal places must be 4 or fewer"),
    ],
)
def test_bad_indicator_input_changes_nothing(client_for, unit_staff, priority, overrides, message):
    response = client_for(unit_staff).post(
        reverse("priorities:indicator_create", args=[priority.slug]), INDICATOR | overrides
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("role", ["priority_lead", "other_lead", "leadership", "administrator"])
def test_only_unit_staff_change_indicators_and_trajectories(request, client_for, indicator, role):
    client = client_for(request.getfixturevalue(role))
    for url in [
        reverse("priorities:indicator_edit", args=[indicator.code]),
        reverse("priorities:trajectory", args=[indicator.code]),
        reverse("priorities:indicator_create", args=[indicator.priority.slug]),
    ]:
        assert client.get(url).status_code == 403
        assert client.post(url, {"draw-shape": "late", "draw-reason": "No."}).status_code == 403
    assert not TrajectoryRevision.objects.exists()


def adjust_data(indicator, reason="Slower start agreed at stocktake", **changes) -> dict:
    data = {f"adjust-p{p.period:%Y-%m}": str(p.value) for p in indicator.trajectory.all()}
    data |= {f"adjust-p{k}": v for k, v in changes.items()}
    return data | {"adjust-reason": reason, "adjust-based_on": "", "adjust": ""}


def test_adjusting_a_period_is_recorded_with_who_when_why(client_for, unit_staff, indicator):
    response = client_for(unit_staff).post(
        reverse("priorities:trajectory", args=[indicator.code]),
        adjust_data(indicator, **{"2025-06": "2800"}),
    )
    assert response.status_code == 302
    assert indicator.trajectory.get(period=date(2025, 6, 1)).value == Decimal(2800)
    revision = TrajectoryRevision.objects.get()
    assert revision.changes() == [("2025-06", "2750.0000", "2800")]
    assert revision.reason == "Slower start agreed at stocktake"
    page = client_for(unit_staff).get(reverse("priorities:trajectory", args=[indicator.code]))
    assert "Slower start agreed at stocktake" in page.content.decode()


def test_a_trajectory_change_needs_a_reason(client_for, unit_staff, indicator):
    response = client_for(unit_staff).post(
        reverse("priorities:trajectory", args=[indicator.code]),
        adjust_data(indicator, reason="", **{"2025-06": "2800"}),
    )
    assert response.status_code == 422
    assert "Enter why the trajectory is changing" in response.content.decode()
    assert indicator.trajectory.get(period=date(2025, 6, 1)).value == Decimal(2750)


def test_bad_planned_value_is_named_by_period(client_for, unit_staff, indicator):
    response = client_for(unit_staff).post(
        reverse("priorities:trajectory", args=[indicator.code]),
        adjust_data(indicator, **{"2025-06": "a lot"}),
    )
    assert response.status_code == 422
    assert "Planned value for Jun 2025 must be a number" in response.content.decode()
    assert not TrajectoryRevision.objects.exists()


def test_redrawing_along_a_curve(client_for, unit_staff, indicator):
    response = client_for(unit_staff).post(
        reverse("priorities:trajectory", args=[indicator.code]),
        {"draw-shape": "late", "draw-reason": "Interventions take time", "draw-based_on": ""},
    )
    assert response.status_code == 302
    assert indicator.trajectory.get(period=date(2025, 12, 1)).value == Decimal(2400)
    assert indicator.trajectory.get(period=date(2025, 2, 1)).value > Decimal(2950)


def test_a_stale_trajectory_edit_is_refused(client_for, unit_staff, indicator):
    url = reverse("priorities:trajectory", args=[indicator.code])
    client_for(unit_staff).post(url, adjust_data(indicator, reason="First", **{"2025-06": "1"}))
    response = client_for(unit_staff).post(
        url, adjust_data(indicator, reason="Second", **{"2025-07": "2"})
    )
    assert response.status_code == 409
    assert "changed this trajectory while you were editing" in response.content.decode()
    assert TrajectoryRevision.objects.count() == 1


def test_priority_page_offers_adding_an_indicator_to_unit_staff_only(
    client_for, unit_staff, priority_lead, priority
):
    url = priority.get_absolute_url()
    assert "Add an indicator" in client_for(unit_staff).get(url).content.decode()
    assert "Add an indicator" not in client_for(priority_lead).get(url).content.decode()


def edit_data(indicator, **overrides) -> dict:
    return (
        INDICATOR
        | {
            "code": indicator.code,
            "frequency": "monthly",
            "baseline_value": "3000",
            "baseline_period_text": "2025-01",
            "target_value": "2400",
            "target_period_text": "2025-12",
            "tolerance": "20",
            "version": str(indicator.version),
        }
        | overrides
    )


def test_frequency_cannot_change_once_set_up(client_for, unit_staff, indicator):
    response = client_for(unit_staff).post(
        reverse("priorities:indicator_edit", args=[indicator.code]),
        edit_data(
            indicator,
            frequency="quarterly",
            baseline_period_text="2024/25 Q4",
            target_period_text="2025/26 Q3",
        ),
    )
    assert response.status_code == 422
    assert "Frequency cannot change once the indicator is set up" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.frequency == "monthly"


def test_moving_the_target_needs_a_reason_and_is_recorded(client_for, unit_staff, indicator):
    url = reverse("priorities:indicator_edit", args=[indicator.code])
    refused = client_for(unit_staff).post(url, edit_data(indicator, target_value="2600"))
    assert refused.status_code == 422
    assert "Enter why the baseline or target is changing" in refused.content.decode()
    response = client_for(unit_staff).post(
        url, edit_data(indicator, target_value="2600", change_reason="Demand rose after the freeze")
    )
    assert response.status_code == 302
    assert indicator.trajectory.get(period=date(2025, 12, 1)).value == Decimal(2600)
    revision = TrajectoryRevision.objects.get()
    assert revision.reason == "Baseline or target changed: Demand rose after the freeze"
    assert ("2025-12", "2450.0000", "2600") in revision.changes()


def test_a_stale_indicator_edit_shows_theirs_and_can_be_saved_again(
    client_for, unit_staff, indicator
):
    url = reverse("priorities:indicator_edit", args=[indicator.code])
    client_for(unit_staff).post(url, edit_data(indicator, name="Their name"))
    stale = client_for(unit_staff).post(url, edit_data(indicator, name="My name"))
    assert stale.status_code == 409
    assert "Their name" in stale.content.decode()
    again = client_for(unit_staff).post(url, edit_data(indicator, name="My name", version="2"))
    assert again.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "My name"
