"""The data grid: who sees and who types, a cell saved by htmx as it is left, bad values and stale
saves refused with the typed text kept, the whole grid saved without JavaScript all or nothing,
two people saving one cell at once, and a fixed number of queries."""

import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from delivery_unit.models import Role, User
from delivery_unit.versioning import Stale
from priorities.indicators.grid import MAX_VALUE, BadValue, input_text, parse_value
from priorities.indicators.models import Actual, Indicator, TrajectoryPoint, record_actual
from priorities.indicators.periods import Periods
from priorities.models import Priority
from tests.conftest import make_user

HTMX = {"HX-Request": "true"}


def data_url(priority: Priority, until: str = "2025-12") -> str:
    url = reverse("priorities:data", kwargs={"slug": priority.slug})
    return f"{url}?until={until}" if until else url


def cell_url(indicator: Indicator, period: str) -> str:
    return reverse(
        "priorities:data_cell",
        kwargs={"slug": indicator.priority.slug, "code": indicator.code, "period": period},
    )


def cell_data(indicator: Indicator, period: str, value: str, version: int | str = "") -> dict:
    return {f"a-{indicator.pk}-{period}": value, f"v-{indicator.pk}-{period}": str(version)}


def input_value(html: str, indicator: Indicator, period: str) -> str:
    match = re.search(rf'<input[^>]*\bname="a-{indicator.pk}-{period}"[^>]*>', html)
    assert match, f"No input for {indicator.code} {period}"
    return re.search(r'value="([^"]*)"', match[0])[1]


def version_value(html: str, indicator: Indicator, period: str) -> str:
    match = re.search(rf'name="v-{indicator.pk}-{period}" value="([^"]*)"', html)
    assert match, f"No version for {indicator.code} {period}"
    return match[1]


@pytest.fixture
def service_staff(priority) -> User:
    user = make_user("sam", Role.PRIORITY_LEAD, job_title="Housing Options Manager")
    priority.service_staff.add(user)
    return user


@pytest.fixture
def kim(db) -> User:
    return make_user("kim", Role.UNIT_STAFF)


@pytest.fixture
def quarterly(priority) -> Indicator:
    return Indicator.objects.create(
        priority=priority,
        code="TA-02",
        name="Preventions",
        unit="percentage",
        decimal_places=1,
        direction="higher",
        frequency="quarterly",
        baseline_value=Decimal(40),
        baseline_period=date(2025, 1, 1),
        target_value=Decimal(60),
        target_period=date(2025, 10, 1),
        position=1,
    )


@pytest.fixture
def lead_client(priority_lead, client_for):
    return client_for(priority_lead)


# Who sees and who types


EDITORS = ["unit_staff", "priority_lead", "service_staff"]
READERS = ["other_lead", "leadership", "administrator"]


@pytest.mark.parametrize("role", EDITORS)
def test_those_who_enter_data_get_an_editable_grid(role, request, indicator, client_for):
    response = client_for(request.getfixturevalue(role)).get(data_url(indicator.priority))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action="/priorities/temporary-accommodation/data/"' in html
    assert "Save all changes" in html
    assert f'name="a-{indicator.pk}-2025-04"' in html
    assert 'inputmode="decimal"' in html
    assert f'hx-post="{cell_url(indicator, "2025-04")}"' in html
    assert (
        '<label class="govuk-visually-hidden" for="cell-'
        f'{indicator.pk}-2025-04">TA-01 Households in temporary accommodation, Apr 2025</label>'
    ) in html
    assert 'src="/static/js/grid.js"' in html


@pytest.mark.parametrize("role", READERS)
def test_others_get_a_read_only_grid(role, request, indicator, client_for, unit_staff):
    record_actual(indicator, date(2025, 4, 1), value=Decimal(2840), by=unit_staff)

    response = client_for(request.getfixturevalue(role)).get(data_url(indicator.priority))

    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[1]
    assert "<form" not in main
    assert "<input" not in main
    assert "Save all changes" not in main
    assert "2,840" in main


@pytest.mark.parametrize("role", READERS)
def test_others_cannot_save_and_nothing_changes(role, request, indicator, client_for):
    client = client_for(request.getfixturevalue(role))
    data = cell_data(indicator, "2025-04", "2840")

    page = client.post(data_url(indicator.priority, ""), {**data, "until": "2025-12"})
    cell = client.post(cell_url(indicator, "2025-04"), data, headers=HTMX)

    assert page.status_code == 403
    assert cell.status_code == 403
    assert not Actual.objects.exists()
    assert not Actual.history.exists()


def test_another_priority_s_indicator_is_not_found_under_this_priority(
    indicator, other_priority, priority_lead, client_for
):
    other = Indicator.objects.create(
        priority=other_priority,
        code="CT-01",
        name="Collection rate",
        direction="higher",
        baseline_value=90,
        baseline_period=date(2025, 1, 1),
        target_value=96,
        target_period=date(2025, 12, 1),
    )
    url = reverse(
        "priorities:data_cell",
        kwargs={"slug": indicator.priority.slug, "code": other.code, "period": "2025-04"},
    )

    response = client_for(priority_lead).post(url, cell_data(other, "2025-04", "95"))

    assert response.status_code == 404
    assert not Actual.objects.exists()


@pytest.mark.parametrize(
    ("code", "period"),
    [("XX-99", "2025-04"), ("TA-01", "2025-Q2"), ("TA-01", "2025-13"), ("TA-01", "2099-01")],
    ids=["unknown code", "quarter for a monthly", "no such month", "not started"],
)
def test_cell_urls_that_name_no_cell_are_not_found(
    code, period, indicator, priority_lead, client_for
):
    url = reverse(
        "priorities:data_cell",
        kwargs={"slug": indicator.priority.slug, "code": code, "period": period},
    )

    response = client_for(priority_lead).post(url, cell_data(indicator, period, "1"))

    assert response.status_code == 404
    assert not Actual.objects.exists()


def test_the_cell_answers_only_posts(indicator, priority_lead, client_for):
    assert client_for(priority_lead).get(cell_url(indicator, "2025-04")).status_code == 405


# The layout


def test_a_gap_between_figures_is_marked_and_the_months_around_it_are_not(
    indicator, unit_staff, client_for
):
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2950), by=unit_staff)
    record_actual(indicator, date(2025, 3, 1), value=Decimal(2890), by=unit_staff)

    html = client_for(unit_staff).get(data_url(indicator.priority, "2025-04")).content.decode()

    def cell_html(period):
        return html.split(f'id="cell-{indicator.pk}-{period}-cell"')[1].split("</td>")[0]

    assert "<strong>Gap</strong>" in cell_html("2025-02")
    for period in ("2024-12", "2025-01", "2025-03", "2025-04"):
        assert "Gap" not in cell_html(period), period


def test_the_grid_shows_a_table_per_frequency_with_plan_actual_state_and_provisional(
    indicator, quarterly, unit_staff, client_for
):
    record_actual(indicator, date(2025, 3, 1), value=Decimal(2890), by=unit_staff)  # plan 2,900
    record_actual(
        indicator, date(2025, 4, 1), value=Decimal(2900), by=unit_staff, provisional=True
    )  # plan 2,850, tolerance 20: off

    html = client_for(unit_staff).get(data_url(indicator.priority, "2025-04")).content.decode()

    assert "Monthly indicators, May 2024 to Apr 2025" in html
    assert "Quarterly indicators, 2023/24 Q2 to 2025/26 Q1" in html
    assert "Annual indicators" not in html
    march = html.split(f'id="cell-{indicator.pk}-2025-03-cell"')[1].split("</td>")[0]
    april = html.split(f'id="cell-{indicator.pk}-2025-04-cell"')[1].split("</td>")[0]
    assert "Plan 2,900" in march
    assert 'value="2,890"' in march
    assert 'On<span class="govuk-visually-hidden"> trajectory' in march
    assert "Provisional" not in march
    assert "Plan 2,850" in april
    assert 'Off<span class="govuk-visually-hidden"> trajectory' in april
    assert "Provisional" in april


@pytest.mark.parametrize(
    "until", ["", "banana", "2025-13", "2025-Q1", "9999-01", "1899-12", "x" * 500]
)
def test_a_bad_or_future_window_falls_back_to_the_latest_periods(
    until, indicator, priority_lead, client_for
):
    months = Periods.monthly()
    this_month = months.start(timezone.localdate())
    first = months.label(months.shift(this_month, -11))

    response = client_for(priority_lead).get(data_url(indicator.priority, "") + f"?until={until}")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Monthly indicators, {first} to {months.label(this_month)}" in html
    assert 'rel="next"' not in html


def test_the_earliest_window_there_is_still_answers(indicator, quarterly, lead_client):
    response = lead_client.get(data_url(indicator.priority, "1900-01"))

    assert response.status_code == 200
    assert "Quarterly indicators, 1898/99 Q1 to 1899/00 Q4" in response.content.decode()


def test_earlier_and_later_links_move_the_window_a_year(indicator, priority_lead, client_for):
    html = client_for(priority_lead).get(data_url(indicator.priority, "2024-06")).content.decode()

    assert "Monthly indicators, Jul 2023 to Jun 2024" in html
    assert 'href="/priorities/temporary-accommodation/data/?until=2023-06" rel="prev"' in html
    assert 'href="/priorities/temporary-accommodation/data/?until=2025-06" rel="next"' in html


def test_a_priority_without_indicators_says_so(priority, priority_lead, client_for):
    response = client_for(priority_lead).get(data_url(priority))

    assert response.status_code == 200
    assert "This priority has no indicators yet." in response.content.decode()


def test_the_priority_page_links_to_the_data(indicator, leadership, client_for):
    html = client_for(leadership).get(indicator.priority.get_absolute_url()).content.decode()

    assert 'href="/priorities/temporary-accommodation/data/">Enter or view data' in html


# One cell, saved by htmx as it is left


def test_a_cell_saved_by_htmx_answers_with_that_cell_alone_and_keeps_history(
    indicator, priority_lead, client_for
):
    client = client_for(priority_lead)

    response = client.post(
        cell_url(indicator, "2025-04"), cell_data(indicator, "2025-04", " 2,840 "), headers=HTMX
    )

    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith("<td") and html.endswith("</td>")
    assert "<html" not in html and "Save all changes" not in html
    assert input_value(html, indicator, "2025-04") == "2,840", "shown as the plan is"
    assert version_value(html, indicator, "2025-04") == "1"
    assert '<div id="grid-status" hx-swap-oob="innerHTML">Saved TA-01, Apr 2025: 2,840.' in html
    actual = Actual.objects.get(indicator=indicator, period=date(2025, 4, 1))
    assert (actual.value, actual.version, actual.entered_by) == (2840, 1, priority_lead)

    response = client.post(
        cell_url(indicator, "2025-04"), cell_data(indicator, "2025-04", "2835", 1), headers=HTMX
    )

    assert response.status_code == 200
    assert version_value(response.content.decode(), indicator, "2025-04") == "2"
    assert [h.value for h in actual.history.order_by("history_date")] == [2840, 2835]
    assert actual.history.first().history_user == priority_lead


def test_service_staff_named_on_the_priority_save_a_cell(indicator, service_staff, client_for):
    response = client_for(service_staff).post(
        cell_url(indicator, "2025-05"), cell_data(indicator, "2025-05", "2790"), headers=HTMX
    )

    assert response.status_code == 200
    assert Actual.objects.get().entered_by == service_staff


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "Enter a number, like 312 or 95.5"),
        ("1e999", "Enter a number, like 312 or 95.5"),
        ("NaN", "Enter a number, like 312 or 95.5"),
        ("Infinity", "Enter a number, like 312 or 95.5"),
        ("12,34", "Enter a number, like 312 or 95.5"),
        ("2840.5", "Enter a whole number, like 312"),
        ("1000000000000", "Enter a number with no more than 12 digits before the decimal point"),
        ("9" * 40, "Enter a number with no more than 12 digits before the decimal point"),
    ],
)
def test_a_bad_value_is_refused_with_its_text_kept(
    typed, message, indicator, priority_lead, client_for
):
    response = client_for(priority_lead).post(
        cell_url(indicator, "2025-04"), cell_data(indicator, "2025-04", typed), headers=HTMX
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'class="govuk-error-message app-grid__message"' in html
    assert 'aria-invalid="true"' in html
    assert input_value(html, indicator, "2025-04") == typed
    assert not Actual.objects.exists()
    assert not Actual.history.exists()


def test_too_many_decimal_places_names_how_many(quarterly, priority_lead, client_for):
    response = client_for(priority_lead).post(
        cell_url(quarterly, "2025-04"), cell_data(quarterly, "2025-04", "45.25"), headers=HTMX
    )

    assert response.status_code == 422
    assert "Enter a number with no more than 1 decimal place, like 95.5" in (
        response.content.decode()
    )
    assert not Actual.objects.exists()


def test_a_percentage_may_be_typed_with_its_sign(quarterly, priority_lead, client_for):
    response = client_for(priority_lead).post(
        cell_url(quarterly, "2025-04"), cell_data(quarterly, "2025-04", "45.5%"), headers=HTMX
    )

    assert response.status_code == 200
    assert Actual.objects.get().value == Decimal("45.5")


def test_a_blank_cell_changes_nothing(indicator, priority_lead, client_for, unit_staff):
    record_actual(indicator, date(2025, 4, 1), value=Decimal(2840), by=unit_staff)

    response = client_for(priority_lead).post(
        cell_url(indicator, "2025-04"), cell_data(indicator, "2025-04", "  ", 1), headers=HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Left as 2,840: a blank cell changes nothing." in html
    assert input_value(html, indicator, "2025-04") == "2,840", "shown as the plan is"
    assert Actual.history.count() == 1


def test_a_stale_save_is_refused_showing_both_values_and_a_second_save_goes_through(
    indicator, priority_lead, kim, client_for
):
    # The lead opened the grid when April was empty; Kim saved 2,830 while they were typing.
    record_actual(indicator, date(2025, 4, 1), value=Decimal(2830), by=kim)
    client = client_for(priority_lead)

    response = client.post(
        cell_url(indicator, "2025-04"), cell_data(indicator, "2025-04", "2845"), headers=HTMX
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert re.search(
        r"Kim saved 2,830 here at \d\d:\d\d while you were typing; your 2,845 has not been saved",
        html,
    )
    assert input_value(html, indicator, "2025-04") == "2845"
    assert version_value(html, indicator, "2025-04") == "1"
    assert "data-grid-unsaved" in html
    assert "Kim saved 2,830" in html.split('id="grid-status"')[1]
    assert Actual.objects.get().value == 2830

    # Told, they save again over the version they have now seen.
    response = client.post(
        cell_url(indicator, "2025-04"), cell_data(indicator, "2025-04", "2845", 1), headers=HTMX
    )

    assert response.status_code == 200
    assert Actual.objects.get().value == 2845
    assert [h.value for h in Actual.history.order_by("history_date")] == [2830, 2845]


def test_saving_the_figure_someone_else_just_saved_is_not_a_conflict(
    indicator, priority_lead, kim, client_for
):
    record_actual(indicator, date(2025, 4, 1), value=Decimal(2830), by=kim)

    response = client_for(priority_lead).post(
        cell_url(indicator, "2025-04"), cell_data(indicator, "2025-04", "2830"), headers=HTMX
    )

    assert response.status_code == 200
    assert Actual.history.count() == 1


def test_a_cell_posted_without_htmx_saves_and_returns_to_the_grid(
    indicator, priority_lead, client_for
):
    response = client_for(priority_lead).post(
        cell_url(indicator, "2025-04"), cell_data(indicator, "2025-04", "2840")
    )

    assert response.status_code == 302
    assert response["Location"] == data_url(indicator.priority, "2025-04")
    assert Actual.objects.get().value == 2840


# The whole grid, as an ordinary form


def test_save_all_saves_every_changed_cell(indicator, quarterly, priority_lead, client_for):
    client = client_for(priority_lead)
    data = {
        "until": "2025-06",
        **cell_data(indicator, "2025-04", "2840"),
        **cell_data(indicator, "2025-05", "2,790"),
        **cell_data(indicator, "2025-06", ""),
        **cell_data(quarterly, "2025-04", "45.5"),
    }

    response = client.post(data_url(indicator.priority, ""), data, follow=True)

    assert response.redirect_chain == [(data_url(indicator.priority, "2025-06"), 302)]
    assert "3 values saved." in response.content.decode()
    assert {(a.indicator.code, a.period, a.value) for a in Actual.objects.all()} == {
        ("TA-01", date(2025, 4, 1), 2840),
        ("TA-01", date(2025, 5, 1), 2790),
        ("TA-02", date(2025, 4, 1), Decimal("45.5")),
    }


def test_save_all_with_a_bad_cell_saves_nothing_and_keeps_everything_typed(
    indicator, quarterly, priority_lead, client_for
):
    data = {
        "until": "2025-06",
        **cell_data(indicator, "2025-04", "2840"),
        **cell_data(indicator, "2025-05", "about 2800"),
        **cell_data(quarterly, "2025-04", "45.55"),
    }

    response = client_for(priority_lead).post(data_url(indicator.priority, ""), data)

    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Error: " in html
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert (
        f'<a href="#cell-{indicator.pk}-2025-05">TA-01, May 2025: '
        "Enter a number, like 312 or 95.5</a>"
    ) in summary
    assert (
        f'<a href="#cell-{quarterly.pk}-2025-04">TA-02, 2025/26 Q1: '
        "Enter a number with no more than 1 decimal place, like 95.5</a>"
    ) in summary
    assert f"#cell-{indicator.pk}-2025-04" not in summary
    assert input_value(html, indicator, "2025-04") == "2840"
    assert input_value(html, indicator, "2025-05") == "about 2800"
    assert input_value(html, quarterly, "2025-04") == "45.55"
    assert not Actual.objects.exists()


def test_save_all_with_a_stale_cell_saves_nothing_and_says_whose_value_is_there(
    indicator, priority_lead, kim, client_for
):
    record_actual(indicator, date(2025, 3, 1), value=Decimal(2900), by=kim)  # seen as v1
    record_actual(indicator, date(2025, 3, 1), value=Decimal(2905), by=kim, version=1)  # now v2
    client = client_for(priority_lead)
    data = {
        "until": "2025-06",
        **cell_data(indicator, "2025-03", "2910", 1),
        **cell_data(indicator, "2025-04", "2840"),
    }

    response = client.post(data_url(indicator.priority, ""), data)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Kim saved 2,905 here" in html and "your 2,910 has not been saved" in html
    assert input_value(html, indicator, "2025-03") == "2910"
    assert version_value(html, indicator, "2025-03") == "2"
    assert input_value(html, indicator, "2025-04") == "2840"
    assert list(Actual.objects.values_list("period", "value")) == [(date(2025, 3, 1), 2905)]

    # Posting the page again, as shown, saves both: the person has now seen Kim's figure.
    data[f"v-{indicator.pk}-2025-03"] = "2"
    response = client.post(data_url(indicator.priority, ""), data)

    assert response.status_code == 302
    assert dict(Actual.objects.values_list("period", "value")) == {
        date(2025, 3, 1): 2910,
        date(2025, 4, 1): 2840,
    }


def test_save_all_leaves_alone_a_cell_someone_else_changed_that_this_person_did_not(
    indicator, priority_lead, kim, client_for
):
    record_actual(indicator, date(2025, 3, 1), value=Decimal(2900), by=kim)
    record_actual(indicator, date(2025, 3, 1), value=Decimal(2905), by=kim, version=1)
    data = {
        "until": "2025-06",
        **cell_data(indicator, "2025-03", "2900", 1),  # as the page showed it
        **cell_data(indicator, "2025-04", "2840"),
    }

    response = client_for(priority_lead).post(data_url(indicator.priority, ""), data)

    assert response.status_code == 302
    assert dict(Actual.objects.values_list("period", "value")) == {
        date(2025, 3, 1): 2905,
        date(2025, 4, 1): 2840,
    }


def test_save_all_ignores_cells_outside_the_window_and_tampered_versions(
    indicator, priority_lead, unit_staff, client_for
):
    record_actual(indicator, date(2025, 4, 1), value=Decimal(2840), by=unit_staff)
    data = {
        "until": "2025-06",
        **cell_data(indicator, "2026-01", "1"),
        **cell_data(indicator, "2025-04", "2850", "not-a-version"),
    }

    response = client_for(priority_lead).post(data_url(indicator.priority, ""), data)

    assert response.status_code == 409
    assert list(Actual.objects.values_list("period", "value")) == [(date(2025, 4, 1), 2840)]


# Two people, one cell, one moment


def race(*actions) -> list[str]:
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action):
        try:
            barrier.wait()
            outcomes.append(action())
        except Stale:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def shared_cell(db):
    lead = User.objects.create(username="lead", first_name="Lena", role=Role.PRIORITY_LEAD)
    analyst = User.objects.create(username="analyst", first_name="Kim", role=Role.UNIT_STAFF)
    priority = Priority.objects.create(
        title="Recycling", slug="recycling", aspiration="More.", lead=lead
    )
    indicator = Indicator.objects.create(
        priority=priority,
        code="RC-01",
        name="Household waste recycled",
        unit="percentage",
        decimal_places=1,
        direction="higher",
        baseline_value=30,
        baseline_period=date(2025, 1, 1),
        target_value=35,
        target_period=date(2025, 12, 1),
    )
    return indicator, lead, analyst


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_one_cell_at_once_one_wins_and_the_other_is_told(shared_cell):
    indicator, lead, analyst = shared_cell
    april = date(2025, 4, 1)

    def save(user, value):
        return lambda: (
            record_actual(
                Indicator.objects.get(pk=indicator.pk), april, value=value, by=user, version=None
            )
            and "saved"
        )

    outcomes = race(save(lead, Decimal("31.5")), save(analyst, Decimal("31.2")))

    assert outcomes == ["saved", "stale"]
    actual = Actual.objects.get()
    assert actual.value in {Decimal("31.5"), Decimal("31.2")}
    assert actual.version == 1
    assert actual.history.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_leaving_one_cell_at_once_through_the_grid(shared_cell, client_for):
    indicator, lead, analyst = shared_cell
    url = cell_url(indicator, "2025-04")

    def leave(user, value):
        client = client_for(user)  # signed in before the race starts

        def action():
            response = client.post(url, cell_data(indicator, "2025-04", value), headers=HTMX)
            return str(response.status_code)

        return action

    outcomes = race(leave(lead, "31.5"), leave(analyst, "31.2"))

    assert outcomes == ["200", "409"]
    assert Actual.objects.count() == 1
    assert Actual.history.count() == 1


# Queries


def build_priority(size: int) -> tuple[User, Priority]:
    lead = User.objects.create(username=f"lead{size}", role=Role.PRIORITY_LEAD)
    priority = Priority.objects.create(
        title=f"Priority {size}", slug=f"priority-{size}", aspiration="More.", lead=lead
    )
    for number in range(size):
        for frequency, first in [("monthly", date(2023, 1, 1)), ("quarterly", date(2020, 1, 1))]:
            indicator = Indicator.objects.create(
                priority=priority,
                code=f"P{size}-{frequency[0]}{number}",
                name=f"Indicator {number}",
                direction="lower",
                frequency=frequency,
                baseline_value=100,
                baseline_period=first,
                target_value=50,
                target_period=date(2027, 1, 1),
            )
            step = 1 if frequency == "monthly" else 3
            periods = [
                date(first.year + (first.month - 1 + n * step) // 12, (n * step) % 12 + 1, 1)
                for n in range(size)
            ]
            TrajectoryPoint.objects.bulk_create(
                TrajectoryPoint(indicator=indicator, period=p, value=100 - n)
                for n, p in enumerate(periods)
            )
            Actual.objects.bulk_create(
                Actual(indicator=indicator, period=p, value=100 - n, provisional=n % 2 == 0)
                for n, p in enumerate(periods)
            )
    return lead, priority


@pytest.mark.django_db
def test_the_data_page_takes_the_same_queries_for_3_and_30_indicators_and_periods(client_for):
    counts = []
    for size in (3, 30):
        lead, priority = build_priority(size)
        client = client_for(lead)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(data_url(priority, "2024-06"))
        assert response.status_code == 200
        assert response.content.decode().count("data-grid-cell") == size * (12 + 8)
        counts.append(len(queries))

    assert counts[0] == counts[1]
    # The session, user and idle-expiry refresh (5) and the priority, its indicators, actuals and
    # trajectory (4). A lead's permissions come from roles, so no permission table is read.
    assert counts[0] == 9


# The value parser, fuzzed


@given(st.text(max_size=60))
def test_any_text_is_a_number_in_range_or_a_clear_refusal(text):
    indicator = Indicator(unit="count", decimal_places=2)
    try:
        value = parse_value(text, indicator)
    except BadValue as bad:
        assert str(bad).startswith("Enter ")
    else:
        assert value.is_finite()
        assert abs(value) < MAX_VALUE
        assert value == value.quantize(Decimal("0.01"))


@given(
    st.decimals(min_value=-(10**11), max_value=10**11, places=2),
    st.sampled_from(["count", "percentage", "money"]),
)
def test_every_figure_in_range_is_read_back_as_typed(value, unit):
    indicator = Indicator(unit=unit, decimal_places=2)
    assert parse_value(input_text(value), indicator) == value
    assert parse_value(input_text(value, indicator), indicator) == value
    assert parse_value(f"{value:,}", indicator) == value


def test_the_grid_shows_figures_as_the_plan_does_with_every_digit():
    assert input_text(Decimal(1511122), Indicator(unit="count")) == "1,511,122"
    assert input_text(Decimal("95.55"), Indicator(unit="percentage", decimal_places=1)) == (
        "95.55%"
    )
    assert input_text(Decimal(-1200), Indicator(unit="money")) == "-£1,200"
