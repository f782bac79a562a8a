from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

OUT_OF_DATE = "This page is out of date. Copy your text, reload the page and make your change again"


class PlanForm(forms.Form):
    body = forms.CharField(
        label="Delivery plan",
        help_text=(
            "What success looks like, the delivery chain, who is accountable, the interventions, "
            "milestones, how performance is managed, and the risks."
        ),
        widget=forms.Textarea(attrs={"rows": 20}),
        required=False,
        max_length=50000,
        error_messages={"max_length": "Delivery plan must be 50,000 characters or fewer"},
    )
    # The version the editor started from: a stale save is refused.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": OUT_OF_DATE,
            "invalid": OUT_OF_DATE,
            "min_value": OUT_OF_DATE,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("body", label_size=Size.MEDIUM, label_tag="h2"),
            "version",
            Submit("save", "Save plan"),
        )
