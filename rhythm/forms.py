"""The form a person chooses their email with."""

from typing import cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from rhythm.models import ReminderChoice

CHOICE_HINTS = {
    ReminderChoice.DIGEST_AND_REMINDERS: (
        "The digest every {day}, an email a few working days before each thing is due, and "
        "another when it becomes overdue."
    ),
    ReminderChoice.DIGEST_ONLY: "The digest every {day}, and no other reminders.",
}


class ReminderPreferenceForm(forms.Form):
    choice = forms.ChoiceField(
        label="What email do you want about what you owe?",
        widget=forms.RadioSelect,
        choices=ReminderChoice.choices,
        error_messages={
            "required": "Select what email you want",
            "invalid_choice": "Select one of the choices",
        },
    )

    def __init__(self, *args, digest_day: str = "Monday", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["choice"]).choices = [
            Choice(value, label, hint=CHOICE_HINTS[ReminderChoice(value)].format(day=digest_day))
            for value, label in ReminderChoice.choices
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("choice", legend_size=Size.MEDIUM, legend_tag="h2"),
            Submit("submit", "Save your choice"),
        )
