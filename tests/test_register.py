"""The register: state against trajectory in words, filters, search, sort, pages and export."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from priorities import register
from priorities.indicators.models import record_actual
from priorities.models import Priority


@pytest.fixture
def register_data(indicator, other_priority, unit_staff):
    record_actual(
        indicator, date(2025, 12, 1), value=Decimal(2600), by=unit_staff, as_at=date(2026, 1, 5)
    )
    Priority.objects.filter(pk=other_priority.pk).update(status="paused", code="CT")
    return indicator


def page(client, **params) -> str:
    response = client.get(reverse("priorities:register"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_register_shows_state_and_freshness_in_words(client_for, unit_staff, register_data):
    html = page(client_for(unit_staff))
    assert "Off trajectory" in html
    assert "0 of 1 on trajectory" in html
    assert "As at 5 Jan 2026" in html
    assert "No indicators yet" in html


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"status": "paused"}, "Council tax collection", "Temporary Accommodation"),
        ({"state": "off"}, "Temporary Accommodation", "Council tax collection"),
        ({"state": "no_data"}, "Council tax collection", "Temporary Accommodation"),
        ({"q": "council tax"}, "Council tax collection", "Temporary Accommodation"),
        ({"q": "CT"}, "Council tax collection", "Temporary Accommodation"),
    ],
)
def test_register_filters(client_for, unit_staff, register_data, params, shown, hidden):
    html = page(client_for(unit_staff), **params)
    assert f">{shown}</a>" in html
    assert f">{hidden}</a>" not in html


def test_register_filters_by_lead(client_for, unit_staff, priority_lead, register_data):
    html = page(client_for(unit_staff), lead=priority_lead.pk)
    assert ">Temporary Accommodation</a>" in html
    assert ">Council tax collection</a>" not in html


def test_register_sorts(client_for, unit_staff, register_data):
    html = page(client_for(unit_staff), sort="-title")
    assert html.index(">Temporary Accommodation</a>") < html.index(">Council tax collection</a>")


def test_bad_filter_values_get_a_message_not_an_error(client_for, unit_staff, register_data):
    html = page(client_for(unit_staff), lead="999999", state="sideways", sort="password")
    assert "There is a problem" in html
    assert "Select a valid choice" in html


def test_htmx_filter_returns_only_the_results(client_for, unit_staff, register_data):
    response = client_for(unit_staff).get(
        reverse("priorities:register"), {"state": "off"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "1 priority match these filters." in html


def test_register_exports_csv_as_filtered(client_for, leadership, register_data):
    response = client_for(leadership).get(
        reverse("priorities:register_export", args=["csv"]), {"state": "off"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="priority-register-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["title"] for row in rows] == ["Temporary Accommodation"]
    assert rows[0]["state"] == "Off trajectory"
    assert rows[0]["indicators off trajectory"] == "1"


def test_register_exports_xlsx(client_for, leadership, register_data):
    response = client_for(leadership).get(reverse("priorities:register_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["code", "title"]
    assert {row[1] for row in values[1:]} == {"Temporary Accommodation", "Council tax collection"}


def test_export_neutralises_spreadsheet_formulas(client_for, unit_staff, priority):
    Priority.objects.filter(pk=priority.pk).update(title="=HYPERLINK(1)")
    response = client_for(unit_staff).get(reverse("priorities:register_export", args=["csv"]))
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_unknown_export_format_is_404(client_for, unit_staff, priority):
    url = reverse("priorities:register_export", args=["pdf"])
    assert client_for(unit_staff).get(url).status_code == 404


@pytest.fixture
def thirty_more(register_data, priority_lead):
    """Priority 01 to Priority 30 (no indicators: no data), beside Temporary Accommodation (off
    trajectory) and Council tax collection (no data): 32 priorities, two pages of the register."""
    Priority.objects.bulk_create(
        Priority(
            title=f"Priority {n:02}", slug=f"priority-{n:02}", aspiration="A.", lead=priority_lead
        )
        for n in range(1, 31)
    )


def titles(html: str) -> list[str]:
    return re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]*)</a>', html)


def pagination(html: str) -> str:
    found = re.search(r'<nav class="govuk-pagination".*?</nav>', html, re.DOTALL)
    assert found, "no pagination"
    return found.group(0)


def test_register_shows_25_priorities_a_page_with_the_total(client_for, unit_staff, thirty_more):
    first = page(client_for(unit_staff))
    assert register.PRIORITIES_PER_PAGE == 25
    assert titles(first) == ["Council tax collection"] + [f"Priority {n:02}" for n in range(1, 25)]
    assert "32 priorities (showing 1 to 25)." in first

    second = page(client_for(unit_staff), page=2)
    assert titles(second) == [f"Priority {n:02}" for n in range(25, 31)] + [
        "Temporary Accommodation"
    ]
    # Paging is not filtering.
    assert "32 priorities (showing 26 to 32)." in second


def test_register_pages_are_govuk_pagination_links(client_for, unit_staff, thirty_more):
    nav = pagination(page(client_for(unit_staff), page=2))
    assert 'aria-label="Pages of the register"' in nav
    assert '<a class="govuk-link govuk-pagination__link" href="?page=1" rel="prev">' in nav
    assert 'href="?page=1" aria-label="Page 1">' in nav
    assert 'href="?page=2" aria-label="Page 2" aria-current="page">' in nav
    assert 'rel="next"' not in nav

    nav = pagination(page(client_for(unit_staff)))
    assert 'href="?page=1" aria-label="Page 1" aria-current="page">' in nav
    assert 'href="?page=2" rel="next">' in nav
    assert 'rel="prev"' not in nav


def test_one_page_of_priorities_has_no_pagination(client_for, unit_staff, register_data):
    html = page(client_for(unit_staff))
    assert "govuk-pagination" not in html
    assert "2 priorities." in html


def test_page_links_keep_the_filters_and_the_sort(client_for, unit_staff, thirty_more):
    client = client_for(unit_staff)
    nav = pagination(page(client, q="priority", sort="-title"))
    assert 'href="?q=priority&amp;sort=-title&amp;page=2" rel="next"' in nav

    second = page(client, q="priority", sort="-title", page=2)
    assert titles(second) == [
        "Priority 05",
        "Priority 04",
        "Priority 03",
        "Priority 02",
        "Priority 01",
    ]
    assert "30 priorities match these filters (showing 26 to 30)." in second


def test_the_state_filter_is_applied_before_paging(client_for, unit_staff, thirty_more):
    # Temporary Accommodation (off trajectory) sorts first: were the page cut before the state
    # filter, page 1 would hold 24 priorities and page 2 would start at Priority 06.
    client = client_for(unit_staff)
    first = page(client, state="no_data", sort="-title")
    assert titles(first) == [f"Priority {n:02}" for n in range(30, 5, -1)]
    assert "31 priorities match these filters (showing 1 to 25)." in first
    assert 'href="?state=no_data&amp;sort=-title&amp;page=2" rel="next"' in pagination(first)

    second = page(client, state="no_data", sort="-title", page=2)
    assert titles(second) == [f"Priority {n:02}" for n in range(5, 0, -1)] + [
        "Council tax collection"
    ]


@pytest.mark.parametrize(
    ("number", "shown"), [("99", "26 to 32"), ("two", "1 to 25"), ("0", "26 to 32")]
)
def test_a_page_number_out_of_range_or_not_a_number_shows_a_page(
    client_for, unit_staff, thirty_more, number, shown
):
    html = page(client_for(unit_staff), page=number)
    assert f"32 priorities (showing {shown})." in html


def test_register_works_out_the_standing_of_the_shown_page_only(
    client_for, unit_staff, thirty_more, monkeypatch
):
    worked_out = []
    standing = register.standing

    def counted(priority):
        worked_out.append(priority.title)
        return standing(priority)

    monkeypatch.setattr(register, "standing", counted)
    client = client_for(unit_staff)

    page(client, page=2)
    assert len(worked_out) == 7

    # The state is known only from the standing: every priority's is needed to filter.
    worked_out.clear()
    page(client, state="no_data", page=2)
    assert len(worked_out) == 32


def test_register_reads_only_the_shown_page_from_the_database(client_for, unit_staff, thirty_more):
    client = client_for(unit_staff)
    with CaptureQueriesContext(connection) as queries:
        page(client, page=2)
    sql = [query["sql"] for query in queries]
    priorities = [q for q in sql if 'FROM "priorities_priority"' in q and "COUNT(" not in q]
    assert len(priorities) == 1
    assert priorities[0].endswith("LIMIT 7 OFFSET 25")
    # The indicators (with their latest readings) of those seven priorities, no others.
    indicators = [q for q in sql if 'FROM "priorities_indicator"' in q]
    assert len(indicators) == 1
    assert re.search(r'"priority_id" IN \((\d+, ){6}\d+\)', indicators[0])


def test_htmx_partial_carries_the_pagination(client_for, unit_staff, thirty_more):
    response = client_for(unit_staff).get(
        reverse("priorities:register"),
        {"status": "active", "page": "2"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "31 priorities match these filters (showing 26 to 31)." in html
    assert 'href="?status=active&amp;page=1" aria-label="Page 1">' in pagination(html)


def test_export_has_every_matching_priority_whatever_the_page(client_for, leadership, thirty_more):
    response = client_for(leadership).get(
        reverse("priorities:register_export", args=["csv"]), {"page": "2", "state": "no_data"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 31
    assert "Temporary Accommodation" not in {row["title"] for row in rows}
