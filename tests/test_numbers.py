"""Numbers from a request are read in one place, ASCII digits only: superscripts, other
scripts' digits and twenty-digit ids are refused with a message, never a 500, and the data
grid and the import follow the same rule for values."""

import pytest
from django.urls import reverse

from delivery_unit.forms import WholeNumberField
from delivery_unit.numbers import parse_id
from priorities.indicators import grid, imports
from stocktakes.forms import StocktakeForm

HUGE = "9" * 20
ARABIC_1 = "\u0661"
ARABIC_12 = "\u0661\u0662"
ARABIC_123 = "\u0661\u0662\u0663"
FULLWIDTH_123 = "\uff11\uff12\uff13"
SUPERSCRIPT_2 = "\u00b2"
SUPERSCRIPT_3 = "\u00b3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123", 123),
        ("007", 7),
        ("9" * 18, int("9" * 18)),
        (HUGE, None),
        (SUPERSCRIPT_2, None),
        (ARABIC_123, None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1\n", None),
        ("", None),
        (None, None),
        ("1.0", None),
    ],
)
def test_parse_id_takes_ascii_digits_only(text, expected):
    assert parse_id(text) == expected


def test_a_whole_number_field_refuses_other_digits():
    field = WholeNumberField(required=False)
    assert field.clean("12") == 12
    for text in (ARABIC_12, SUPERSCRIPT_2, HUGE):
        with pytest.raises(Exception, match="Enter a whole number"):
            field.clean(text)


@pytest.mark.parametrize(
    "query", ["?from=" + SUPERSCRIPT_2, "?to=" + SUPERSCRIPT_2, "?from=" + ARABIC_1, f"?to={HUGE}"]
)
def test_comparing_plan_versions_with_a_strange_number_says_so(
    client_for, priority, priority_lead, query
):
    url = reverse("plans:compare", kwargs={"slug": priority.slug}) + query
    response = client_for(priority_lead).get(url)
    assert response.status_code == 422
    assert "Select a version of this plan to compare" in response.content.decode()


@pytest.mark.parametrize("remove", ["abc", HUGE, ARABIC_1, ""])
def test_removing_a_writer_by_a_strange_id_removes_nobody(
    client_for, priority, priority_lead, other_lead, remove
):
    priority.plan.writers.add(other_lead)
    url = reverse("plans:writers", kwargs={"slug": priority.slug})
    assert client_for(priority_lead).post(url, {"remove": remove}).status_code == 302
    assert list(priority.plan.writers.all()) == [other_lead]


@pytest.mark.parametrize("key", [HUGE, ARABIC_1, SUPERSCRIPT_2, "-1"])
def test_a_multi_select_refuses_a_strange_id(priority, key):
    data = {"title": "T", "date_0": "1", "date_1": "2", "date_2": "2027", "priorities": [key]}
    form = StocktakeForm(data)
    assert not form.is_valid()
    assert form.errors["priorities"] == ["Select priorities from the list"]


def test_a_multi_select_still_takes_real_ids(priority):
    data = {"title": "T", "date_0": "1", "date_1": "2", "date_2": "2027"}
    form = StocktakeForm(data | {"priorities": [str(priority.pk)]})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["priorities"]) == [priority]


@pytest.mark.parametrize("text", [ARABIC_123, FULLWIDTH_123, SUPERSCRIPT_2, "12" + SUPERSCRIPT_3])
def test_grid_and_import_refuse_the_same_digits(indicator, text):
    with pytest.raises(grid.BadValue):
        grid.parse_value(text, indicator)
    with pytest.raises(ValueError, match="is not a number"):
        imports.parse_value(text, indicator)


def test_grid_and_import_take_the_same_numbers(indicator):
    for text in ("3,000", "-3", "1234", "+12"):
        assert grid.parse_value(text, indicator) == imports.parse_value(text, indicator)


def test_the_grid_refuses_a_value_in_other_digits_through_the_page(
    client_for, indicator, priority_lead
):
    from priorities.indicators.models import Actual

    url = reverse("priorities:data_cell", args=[indicator.priority.slug, indicator.code, "2025-01"])
    data = {f"a-{indicator.pk}-2025-01": ARABIC_123, f"v-{indicator.pk}-2025-01": ""}
    response = client_for(priority_lead).post(url, data)
    assert response.status_code == 422
    assert "Enter a number, like 312 or 95.5" in response.content.decode()
    assert not Actual.objects.filter(indicator=indicator).exists()
