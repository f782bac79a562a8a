from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from priorities.models import LIKELIHOOD_MEANINGS, Likelihood


class RatingForm(forms.Form):
    likelihood = forms.ChoiceField(
        label="Your rating",
        choices=[
            Choice(value, label, hint=LIKELIHOOD_MEANINGS[Likelihood(value)])
            for value, label in reversed(Likelihood.choices)
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the likelihood of delivery",
            "invalid_choice": "Select the likelihood of delivery from the four ratings",
        },
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Say what the judgement rests on, and why it changed if it did.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={
            "required": "Enter the rationale for the rating",
            "max_length": "Rationale must be 5,000 characters or fewer",
        },
    )
    # The latest rating the rater saw when the form opened: a stale save is refused.
    based_on = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={
            "invalid": "This page is out of date. Reload it and rate again",
            "min_value": "This page is out of date. Reload it and rate again",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("likelihood", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("rationale", label_size=Size.SMALL),
            "based_on",
            Submit("save", "Save rating"),
        )

    def clean_rationale(self) -> str:
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError("Enter the rationale for the rating")
        return rationale
