from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from delivery_unit.models import User
from priorities.models import Priority

VIEWS = [("month", "Month"), ("list", "List")]


class CalendarFilterForm(forms.Form):
    """The calendar's filters, sent by GET: a priority, a person, and month or list view."""

    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(),
        required=False,
        empty_label="Any priority",
        error_messages={"invalid_choice": "Select a priority from the list"},
    )
    person = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone",
        label="Person",
        help_text="What concerns them: what they own, lead, write, chair or take part in.",
        error_messages={"invalid_choice": "Select a person from the list"},
    )
    view = forms.ChoiceField(
        choices=VIEWS,
        required=False,
        initial="month",
        widget=forms.RadioSelect,
        label="Show as",
        error_messages={"invalid_choice": "Select month or list"},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        priorities = cast(forms.ModelChoiceField, self.fields["priority"])
        priorities.queryset = Priority.objects.visible_to(user).order_by("title")
        people = cast(forms.ModelChoiceField, self.fields["person"])
        people.queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.select("priority"),
            Field.select("person"),
            Field.radios("view", inline=True),
            Submit("apply", "Show events", css_class="govuk-button--secondary"),
        )
