"""Forms for running a round: opening it, leaving a priority out, and the lead's self-assessment."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from assessment.forms import TEXT_LIMIT
from delivery_unit.forms import DateInputField
from delivery_unit.versioning import VersionedForm
from priorities.models import LIKELIHOOD_MEANINGS, Likelihood


class SelfAssessmentForm(VersionedForm):
    """The priority lead's own view of the likelihood of delivery."""

    level = forms.ChoiceField(
        label="Your view of the likelihood of delivery",
        choices=[
            Choice(value, label, hint=LIKELIHOOD_MEANINGS[Likelihood(value)])
            for value, label in reversed(Likelihood.choices)
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select your view of the likelihood of delivery",
            "invalid_choice": "Select one of the four ratings",
        },
    )
    rationale = forms.CharField(
        label="Why",
        help_text="A few sentences: what you see that leads you to this view.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you hold this view",
            "max_length": "Why must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("level", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("rationale", label_size=Size.SMALL),
            "version",
            Submit("save", "Save your self-assessment"),
        )

    def clean_rationale(self) -> str:
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError("Enter why you hold this view")
        return rationale


class RoundForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="For example, December 2026 assessment.",
        max_length=200,
        error_messages={
            "required": "Enter a name for the round",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    date = DateInputField(
        label="Date the ratings are as at",
        help_text="For example, 1 12 2026",
        require_all_fields=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages |= {
            "required": "Enter the date the ratings are as at",
            "incomplete": "Enter the date the ratings are as at",
            "invalid": "Date the ratings are as at must be a real date",
        }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name", field_width=30),
            Field("date"),
            Submit("open", "Open the round"),
        )


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label="Why this priority is left out of the round",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter why the priority is left out of the round",
            "max_length": f"Reason must be {TEXT_LIMIT:,} characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the priority is left out of the round")
        return reason
