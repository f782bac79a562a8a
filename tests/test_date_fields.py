"""Every date a person types goes through one field, which refuses a year of twenty digits
with a field error instead of answering 500 (OverflowError)."""

import importlib
import inspect

import pytest
from crispy_forms_gds.fields import DateInputField as PackageDateInputField
from django import forms
from django.urls import reverse

from delivery_unit.forms import DateInputField
from plans.forms import MilestoneForm
from priorities.forms import PriorityDescriptionForm, PriorityForm
from priorities.rounds.forms import RoundForm
from reviews.forms import FieldworkForm, RecommendationForm, ReviewForm
from stocktakes.forms import (
    ActionForm,
    ActionFromRecommendationForm,
    StocktakeDetailsForm,
    StocktakeForm,
)

HUGE_YEAR = "9" * 20
FORM_MODULES = [
    "priorities.forms",
    "priorities.rounds.forms",
    "assessment.forms",
    "assessment.framework_forms",
    "plans.forms",
    "reviews.forms",
    "stocktakes.forms",
]


def absurd(form: forms.Form) -> dict[str, str]:
    """Data with every date field's year twenty digits long, the day and month real."""
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, DateInputField):
            data |= {f"{name}_0": "1", f"{name}_1": "4", f"{name}_2": HUGE_YEAR}
    return data


def forms_under_test(priority, review):
    return [
        lambda data: PriorityForm(data, instance=priority),
        lambda data: PriorityDescriptionForm(data, instance=priority),
        lambda data: RoundForm(data),
        lambda data: MilestoneForm(data, priority=priority),
        lambda data: ReviewForm(data),
        lambda data: FieldworkForm(data, review=review),
        lambda data: RecommendationForm(data, review=review),
        lambda data: StocktakeForm(data),
        lambda data: StocktakeDetailsForm(data),
        lambda data: ActionForm(data, owners=[]),
        lambda data: ActionFromRecommendationForm(data),
    ]


def test_every_date_field_refuses_a_twenty_digit_year(priority, filled_review):
    makers = forms_under_test(priority, filled_review)
    for make in makers:
        empty = make(None)
        data = absurd(empty)
        assert data, f"{type(empty).__name__} has no date field"
        form = make(data)
        assert not form.is_valid()
        for name, field in form.fields.items():
            if isinstance(field, DateInputField):
                assert form.errors[name], f"{type(form).__name__}.{name} took the year"


def test_every_form_with_a_date_uses_the_shared_field(priority, filled_review):
    """A new form that uses the package's field directly fails here."""
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, form_class in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form_class, forms.BaseForm):
                continue
            for name, field in form_class.base_fields.items():
                if isinstance(field, PackageDateInputField):
                    assert isinstance(field, DateInputField), f"{form_class.__name__}.{name}"
    review_form = ReviewForm()
    dated = [f for f in review_form.fields.values() if isinstance(f, PackageDateInputField)]
    assert dated
    assert all(isinstance(field, DateInputField) for field in dated)


def test_the_field_keeps_real_dates_and_its_own_messages():
    field = DateInputField(label="Due date", required=False, require_all_fields=False)
    assert str(field.clean(["27", "3", "2027"])) == "2027-03-27"
    assert str(field.clean(["27", "3", "0002027"])) == "2027-03-27"
    with pytest.raises(forms.ValidationError) as error:
        field.clean(["27", "3", HUGE_YEAR])
    assert error.value.messages == ["Enter a real date"]


def test_a_round_with_a_twenty_digit_year_gets_a_field_error_not_a_500(client_for, unit_staff):
    from priorities.rounds.models import Round

    data = {"name": "December", "date_0": "1", "date_1": "12", "date_2": HUGE_YEAR}
    response = client_for(unit_staff).post(reverse("assessment:open_round"), data)
    assert response.status_code == 422
    assert "Date the ratings are as at must be a real date" in response.content.decode()
    assert not Round.objects.exists()
