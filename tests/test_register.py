"""The register: state against trajectory in words, filters, search, sort and export."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

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
