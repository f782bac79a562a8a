from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from priorities.models import Priority


class StocktakeForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the stocktake",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    date = DateInputField(label="Date of the meeting", help_text="For example, 27 3 2027")
    priorities = forms.ModelMultipleChoiceField(
        label="Priorities on the agenda",
        help_text="In the order they will be discussed.",
        queryset=Priority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one priority for the agenda",
            "invalid_choice": "Select priorities from the list",
            "invalid_pk_value": "Select priorities from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages.update(
            {
                "required": "Enter the date of the meeting",
                "incomplete": "Enter the date of the meeting",
            }
        )
        self.fields["priorities"].queryset = Priority.objects.filter(
            status=Priority.Status.ACTIVE
        ).order_by("title")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"),
            Field("date"),
            Field.checkboxes("priorities", legend_size=Size.SMALL),
            Submit("save", "Create stocktake"),
        )
