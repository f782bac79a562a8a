"""What everyone owes: the unit's chasing list, filtered by priority, person and service."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from delivery_unit.access import require_perm
from delivery_unit.forms import IdChoiceField
from delivery_unit.http import HtmxHttpRequest
from delivery_unit.models import User
from priorities.models import Priority
from rhythm.owing import all_services, lines, owed_by_everyone


class OwedFilterForm(forms.Form):
    """The filters above the list: a GET form, every field optional."""

    priority = IdChoiceField(
        label="Priority",
        queryset=Priority.objects.none(),
        required=False,
        empty_label="Any priority",
        error_messages={"invalid_choice": "Select a priority from the list"},
    )
    person = IdChoiceField(
        label="Person",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone",
        error_messages={"invalid_choice": "Select a person from the list"},
    )
    service = forms.ChoiceField(
        label="Service",
        required=False,
        error_messages={"invalid_choice": "Select a service from the list"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        priority = self.fields["priority"]
        person = self.fields["person"]
        service = self.fields["service"]
        if isinstance(priority, forms.ModelChoiceField):
            priority.queryset = Priority.objects.filter(status=Priority.Status.ACTIVE).order_by(
                "title"
            )
        if isinstance(person, forms.ModelChoiceField):
            person.queryset = User.objects.filter(is_active=True).order_by(
                "first_name", "last_name", "username"
            )
        if isinstance(service, forms.ChoiceField):
            service.choices = [("", "Any service"), *((s, s) for s in all_services())]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.select("priority"),
            Field.select("person"),
            Field.select("service"),
            Submit("apply", "Apply filters", css_class="govuk-button--secondary"),
        )


@require_GET
def owed(request: HtmxHttpRequest) -> HttpResponse:
    """Everything everyone owes, due and overdue, soonest due first."""
    require_perm(request.user, "rhythm.view_owed_by_everyone")
    today = timezone.localdate()
    form = OwedFilterForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    if form.is_bound and not valid:
        items = []
    else:
        filters = form.cleaned_data if valid else {}
        items = owed_by_everyone(
            today=today,
            priority=filters.get("priority"),
            person=filters.get("person"),
            service=filters.get("service") or "",
        )
    context = {
        "form": form,
        "lines": lines(items, today),
        "overdue": sum(item.is_overdue(today) for item in items),
        "today": today,
        "filtered": valid and any(form.cleaned_data.values()),
    }
    status = 422 if form.is_bound and not valid else 200
    return render(request, "rhythm/owed.html", context, status=status)
