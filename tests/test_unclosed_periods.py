"""An actual for a period that has not ended is refused, in the grid and the import alike, with a
message saying when the period closes: one figure typed on 2 December once put a priority "on
trajectory" for all of December."""

from datetime import date, timedelta

from priorities.indicators.imports import plan_import, read_file
from priorities.indicators.models import Actual
from priorities.indicators.periods import Frequency, Periods
from tests.test_grid import cell_data, cell_url, input_value


def this_month() -> date:
    return date.today().replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def test_a_period_closes_the_day_after_it_ends():
    months, quarters = Periods.monthly(), Periods.of(Frequency.QUARTERLY)
    assert months.not_ended(date(2026, 12, 1), date(2027, 1, 1)) == ""
    assert months.not_ended(date(2026, 12, 1), date(2026, 12, 31)) == (
        "Dec 2026 has not ended yet: enter its actual from 1 January 2027, when the period closes"
    )
    assert quarters.not_ended(date(2026, 10, 1), date(2026, 12, 2)).startswith(
        "2026/27 Q3 has not ended yet: enter its actual from 1 January 2027"
    )
    assert months.not_ended(date(2027, 1, 1), date(2026, 12, 2)), "nor has a later one"


def test_the_grid_refuses_this_months_actual_and_says_when_it_can_be_entered(
    indicator, priority_lead, client_for
):
    month = this_month()
    code = f"{month:%Y-%m}"
    response = client_for(priority_lead).post(
        cell_url(indicator, code),
        cell_data(indicator, code, "2,950"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    closes = next_month(month)
    assert f"enter its actual from {closes.day} {closes:%B %Y}, when the period closes" in html
    assert input_value(html, indicator, code) == "2,950", "what was typed stays in the cell"
    assert not Actual.objects.exists()


def test_the_grid_takes_last_months_actual(indicator, priority_lead, client_for):
    last = (this_month() - timedelta(days=1)).replace(day=1)
    code = f"{last:%Y-%m}"
    response = client_for(priority_lead).post(
        cell_url(indicator, code),
        cell_data(indicator, code, "2950"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Actual.objects.get().period == last


def test_the_import_refuses_the_whole_file_for_an_unclosed_period(indicator, priority_lead):
    month = this_month()
    last = (month - timedelta(days=1)).replace(day=1)
    data = (f"indicator,period,value\nTA-01,{last:%Y-%m},2950\nTA-01,{month:%Y-%m},2940\n").encode()
    plan = plan_import(read_file(data), priority_lead)
    closes = next_month(month)
    assert [str(problem) for problem in plan.problems] == [
        f"Line 3: {month:%b %Y} has not ended yet: enter its actual from "
        f"{closes.day} {closes:%B %Y}, when the period closes"
    ]
    assert plan.rows == [] and not Actual.objects.exists()
