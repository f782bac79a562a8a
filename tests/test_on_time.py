"""Who updates on time: the share of data, milestones and actions returned by their due dates,
and the median working days late, per lead, service and priority, on a council with known late
returns across a weekend and bank holidays (the early May bank holiday, Easter and the spring
bank holiday of 2026); the page, its sort links, its export read back, and its query count.

Today is Monday 15 June 2026 throughout.
"""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from plans.models import DeliveryPlan, Milestone
from priorities.indicators.models import Actual, Indicator
from priorities.models import Priority
from rhythm import on_time
from stocktakes.models import Action

TODAY = date(2026, 6, 15)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def make_indicator(priority: Priority, code: str, baseline: date) -> Indicator:
    """Monthly, its data due one working day after each month closes."""
    return Indicator.objects.create(
        priority=priority,
        code=code,
        name=f"Indicator {code}",
        direction="lower",
        baseline_value=Decimal(10),
        baseline_period=baseline,
        target_value=Decimal(5),
        target_period=date(2027, 3, 1),
        grace_days=1,
    )


def enter(indicator: Indicator, period: date, on: datetime, by, value: int = 1) -> Actual:
    actual = Actual(indicator=indicator, period=period, value=value, entered_by=by, entered_at=on)
    actual._history_date = on  # type: ignore[attr-defined]
    actual.save()
    return actual


def change_action(action: Action, status: str, on: datetime) -> None:
    action.status = status
    action._history_date = on  # type: ignore[attr-defined]
    action.save()


@pytest.fixture
def council(priority, other_priority, priority_lead, other_lead, unit_staff, stocktake):
    """TA: March's data on time (revised after its due date), April's one working day late
    (entered Tuesday 5 May, after a weekend and the bank holiday), May's not in (10 working days
    late today). CT: both months on time. TA's milestones: one done on time, one done a day
    late across the spring bank holiday, one not done (3 working days late). TA's actions: one
    done a working day late across Easter, one done early, one dropped (left out)."""
    Priority.objects.filter(pk=priority.pk).update(
        services="Housing Demand; Temporary Accommodation"
    )
    Priority.objects.filter(pk=other_priority.pk).update(services="Revenues")
    ta = make_indicator(priority, "TA-01", date(2026, 3, 1))
    march = enter(ta, date(2026, 3, 1), at(date(2026, 4, 1), 17), priority_lead)
    march.value = 2
    march._history_date = at(date(2026, 4, 20))  # type: ignore[attr-defined]
    march.save()  # a revision after the due date: the first entry counts
    enter(ta, date(2026, 4, 1), at(date(2026, 5, 5)), priority_lead)
    ct = make_indicator(other_priority, "CT-01", date(2026, 4, 1))
    enter(ct, date(2026, 4, 1), at(date(2026, 5, 1)), other_lead)
    enter(ct, date(2026, 5, 1), at(date(2026, 6, 1)), other_lead)

    version = DeliveryPlan.objects.get(priority=priority).versions.get()
    for title, due, done_on in [
        ("Early", date(2026, 5, 20), date(2026, 5, 19)),
        ("After the bank holiday", date(2026, 5, 22), date(2026, 5, 26)),
        ("Not done", date(2026, 6, 10), None),
        ("Long ago", date(2025, 1, 10), None),  # before the 12 months: left out
        ("Not yet due", date(2026, 7, 1), None),
    ]:
        Milestone.objects.create(
            plan_version=version,
            title=title,
            due=due,
            status="done" if done_on else "on_track",
            done_on=done_on,
        )

    def action(due: date, **extra) -> Action:
        return Action.objects.create(
            stocktake=stocktake,
            priority=priority,
            description=f"Due {due}",
            owner=priority_lead,
            due_date=due,
            created_by=unit_staff,
            **extra,
        )

    change_action(action(date(2026, 4, 2)), "done", at(date(2026, 4, 7)))
    change_action(action(date(2026, 6, 1)), "done", at(date(2026, 5, 28)))
    action(date(2026, 5, 1), status="dropped")
    return {"ta": priority, "ct": other_priority}


def by_name(table: list[on_time.Row]) -> dict[str, on_time.Row]:
    return {row.name: row for row in table}


def test_data_is_late_by_working_days_across_a_weekend_and_a_bank_holiday(council):
    data = [r for r in on_time.data_returns(TODAY) if r.priority == council["ta"].title]
    assert {r.due: r.working_days_late for r in data} == {
        date(2026, 4, 1): 0,  # entered on its due date, revised later
        date(2026, 5, 1): 1,  # Friday 1 May to Tuesday 5 May: Monday 4 May is a bank holiday
        date(2026, 6, 1): 10,  # not in: two weeks of working days to today
    }
    assert [r.returned for r in data if r.due == date(2026, 6, 1)] == [None]


def test_something_still_owed_is_not_on_time_even_with_no_working_day_lost():
    # Due on Friday 12 June 2026, not in by Sunday 14 June: no working day lost, yet owed.
    owed = on_time.returned(
        "milestones",
        date(2026, 6, 12),
        None,
        date(2026, 6, 14),
        lead="L",
        services=(),
        priority="P",
    )
    assert owed.working_days_late == 0 and owed.still_owed and not owed.on_time
    came = on_time.returned(
        "milestones",
        date(2026, 6, 12),
        date(2026, 6, 12),
        TODAY,
        lead="L",
        services=(),
        priority="P",
    )
    assert came.on_time and not came.still_owed


def test_each_priority_has_its_share_on_time_and_median_late(council):
    rows = by_name(on_time.rows(on_time.all_returns(TODAY), "priority"))
    ta, ct = rows[council["ta"].title], rows[council["ct"].title]
    data = ta.measures["data"]
    # April's came in a working day late; May's is still owed, counted apart from the median.
    assert (data.owed, data.on_time, data.still_owed, data.share, data.median_late) == (
        3,
        1,
        1,
        Decimal(33),
        Decimal(1),
    )
    milestones = ta.measures["milestones"]
    assert (milestones.owed, milestones.on_time, milestones.still_owed) == (3, 1, 1)
    assert milestones.median_late == Decimal(1)
    actions = ta.measures["actions"]
    assert (actions.owed, actions.on_time, actions.share, actions.median_late) == (
        2,
        1,
        Decimal(50),
        Decimal(1),
    )
    assert actions.still_owed == 0
    assert ct.measures["data"].share == Decimal(100)
    assert ct.measures["data"].median_late is None
    assert ct.measures["milestones"].owed == 0
    assert ct.measures["milestones"].share is None


def test_each_service_named_on_a_priority_counts_its_returns(council):
    rows = by_name(on_time.rows(on_time.all_returns(TODAY), "service"))
    assert set(rows) == {"Housing Demand", "Temporary Accommodation", "Revenues"}
    assert rows["Housing Demand"].measures["data"].share == Decimal(33)
    assert rows["Temporary Accommodation"].measures["actions"].owed == 2
    assert rows["Revenues"].measures["data"].on_time == 2


def test_each_lead_counts_their_priorities_returns(council, priority_lead, other_lead):
    rows = by_name(on_time.rows(on_time.all_returns(TODAY), "lead"))
    assert set(rows) == {str(priority_lead), str(other_lead)}
    assert rows[str(priority_lead)].all.owed == 3 + 3 + 2
    assert rows[str(priority_lead)].all.on_time == 3
    assert rows[str(other_lead)].all.share == Decimal(100)


def test_the_trend_counts_what_fell_due_each_month(council):
    months = {m.month: m for m in on_time.trend(on_time.all_returns(TODAY), TODAY)}
    assert min(months) == date(2025, 7, 1) and max(months) == date(2026, 6, 1)
    assert len(months) == 12
    may = months[date(2026, 5, 1)]
    # TA's and CT's April data, two milestones (one late), the dropped action left out.
    assert (may.measures["data"].owed, may.measures["data"].on_time) == (2, 1)
    assert (may.measures["milestones"].owed, may.measures["milestones"].on_time) == (2, 1)
    assert may.measures["actions"].owed == 0
    assert may.all.share == Decimal(50)
    assert months[date(2025, 8, 1)].all.share is None


def test_sorting_puts_the_worst_first_and_rows_with_nothing_last(council):
    table = on_time.rows(on_time.all_returns(TODAY), "priority")
    assert [r.name for r in on_time.sort_rows(table, "data", descending=False)] == [
        council["ta"].title,
        council["ct"].title,
    ]
    by_late = on_time.sort_rows(table, "data_late", descending=True)
    assert by_late[0].name == council["ta"].title
    # CT has no late data: it comes last whichever way the column is sorted.
    assert on_time.sort_rows(table, "data_late", descending=False)[-1].name == council["ct"].title


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def test_the_page_shows_the_table_sorted_by_the_link_chosen(council, today, client_for, unit_staff):
    url = reverse("rhythm:on_time")
    response = client_for(unit_staff).get(url, {"by": "priority", "sort": "data", "order": "asc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(council["ta"].title) < html.index(council["ct"].title)
    assert 'aria-sort="ascending"' in html
    # The sorted column's link sorts it the other way; the chart has its title and the table.
    assert "?by=priority&amp;sort=data&amp;order=desc" in html
    assert "Share returned on time, by month due" in html
    assert '<th scope="row" class="govuk-table__header">May 2026</th>' in html
    assert '33% <span class="govuk-body-s app-secondary-text">(1 of 3; 1 still owed)</span>' in html


def test_the_page_groups_by_service(council, today, client_for, unit_staff):
    response = client_for(unit_staff).get(reverse("rhythm:on_time"), {"by": "service"})
    html = response.content.decode()
    assert "Returns on time by service" in html
    assert "Temporary Accommodation" in html and "Revenues" in html


def test_an_unknown_choice_falls_back_to_the_default(council, today, client_for, unit_staff):
    response = client_for(unit_staff).get(reverse("rhythm:on_time"), {"by": "x", "sort": "y"})
    assert response.status_code == 200
    assert "Returns on time by priority" in response.content.decode()


def export(client, file_format: str, **params):
    return client.get(reverse("rhythm:on_time_export"), {"format": file_format, **params})


def test_the_csv_export_reads_back_as_the_table(council, today, client_for, unit_staff):
    response = export(client_for(unit_staff), "csv", by="priority", sort="data")
    assert response["Content-Disposition"] == (
        'attachment; filename="on-time-by-priority-2026-06-15.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][:7] == [
        "Grouping",
        "Name",
        "Data owed",
        "Data on time",
        "Data on time (%)",
        "Data still owed",
        "Data median working days late",
    ]
    assert rows[1][:7] == ["Priority", council["ta"].title, "3", "1", "33", "1", "1"]
    assert rows[1][7:12] == ["3", "1", "33", "1", "1"]
    assert rows[2][:7] == ["Priority", council["ct"].title, "2", "2", "100", "0", ""]


def test_the_xlsx_export_reads_back_as_the_table(council, today, client_for, unit_staff):
    response = export(client_for(unit_staff), "xlsx", by="lead")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][1] == "Name" and len(rows) == 3
    names = {row[1]: row for row in rows[1:]}
    assert set(names) == {str(council["ta"].lead), str(council["ct"].lead)}
    ta = names[str(council["ta"].lead)]
    assert ta[2:7] == [3, 1, 33, 1, 1]
    assert ta[12:17] == [2, 1, 50, 0, 1]


def test_the_export_refuses_an_unknown_format(council, today, client_for, unit_staff):
    assert export(client_for(unit_staff), "pdf").status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_reads_the_council_in_a_fixed_number_of_queries(
    council, today, client_for, unit_staff, other_lead, django_assert_max_num_queries
):
    client = client_for(unit_staff)
    url = reverse("rhythm:on_time")
    with django_assert_max_num_queries(9):
        client.get(url)
    before = _queries(client, url)
    # A bigger council: more priorities, indicators, data, milestones and actions.
    for number in range(3):
        extra = Priority.objects.create(
            title=f"Extra {number}",
            slug=f"extra-{number}",
            aspiration="More.",
            lead=other_lead,
            services=f"Service {number}",
        )
        indicator = make_indicator(extra, f"EX-0{number}", date(2026, 1, 1))
        enter(indicator, date(2026, 2, 1), at(date(2026, 3, 2)), other_lead)
        version = DeliveryPlan.start(extra, by=other_lead)
        Milestone.objects.create(plan_version=version, title="M", due=date(2026, 5, 1))
    assert _queries(client, url) == before
    assert _queries(client, reverse("rhythm:on_time_export") + "?format=xlsx") <= before


def test_the_demo_council_shows_one_service_returning_its_data_late(db, settings, tmp_path):
    """In the demo the SEND service's figures come in two to six working days after they are
    due; every other service's by their due dates (those still owed apart)."""
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", not_production=True, stdout=io.StringIO())
    returns = on_time.all_returns()
    rows = by_name(on_time.rows(returns, "service"))
    send = rows["SEND"].measures["data"]
    assert send.owed > 12 and send.on_time == 0
    assert 2 <= send.median_late <= 6  # type: ignore[operator]
    sent = [r for r in returns if r.kind == "data" and r.returned is not None]
    late_services = {s for r in sent if not r.on_time for s in r.services}
    assert late_services == {"SEND", "Educational Psychology"}
    for name, row in rows.items():
        if name not in late_services:
            assert row.measures["data"].share >= 75, name  # type: ignore[operator]
