from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from delivery_unit.versioning import VersionedForm

MAX_LENGTH = 50000


class NoteForm(VersionedForm):
    body = forms.CharField(
        label="The note",
        help_text="Proposed from the month's changes: edit it and add the unit's own words. "
        "Markdown: # for a heading, - for a list item, **bold**.",
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=MAX_LENGTH,
        error_messages={
            "required": "Enter the note",
            "max_length": f"The note must be {MAX_LENGTH:,} characters or fewer",
        },
    )

    class Meta:
        fields = ["body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("body", label_size=Size.MEDIUM, label_tag="h2"),
            "version",
            Submit("save", "Save the note", css_class="govuk-button--secondary"),
        )


class IssueForm(VersionedForm):
    """Issuing carries the version the confirmation page showed: a note saved since is not
    issued unread."""

    reason = forms.CharField(
        label="Why it is issued again",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, reissue: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.reissue = reissue
        self.helper = FormHelper()
        self.helper.form_tag = False
        fields = [Field.textarea("reason")] if reissue else []
        self.helper.layout = Layout(
            *fields,
            "version",
            Submit("issue", "Issue the note again" if reissue else "Issue the note"),
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if self.reissue and not reason:
            raise forms.ValidationError("Enter why the note is issued again")
        return reason
