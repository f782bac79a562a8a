from collections.abc import Collection
from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from delivery_unit.forms import DateInputField, IdChoiceField, id_formfield
from delivery_unit.models import Role, User
from delivery_unit.versioning import VersionedForm, version_field
from plans.models import ChainLink, Intervention, Milestone, Risk


class SectionForm(VersionedForm):
    text = forms.CharField(
        label="Text",
        help_text="Markdown: a blank line between paragraphs, * for a list, **bold**.",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=20000,
        error_messages={"max_length": "The section must be 20,000 characters or fewer"},
    )

    def __init__(self, *args, label: str = "Text", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("text", label_size=Size.SMALL),
            "version",
            Submit("save", "Save section"),
        )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={
            "required": "Enter a comment",
            "max_length": "A comment must be 5,000 characters or fewer",
        },
    )

    def __init__(self, *args, section_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = f"Comment on {section_name.lower()}" if section_name else None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("body", label_size=Size.SMALL),
            # One form a section on the plan page: the button's id carries the section's prefix.
            Submit(
                "comment",
                "Add comment",
                css_class="govuk-button--secondary",
                css_id=f"submit-id-comment-{self.prefix}" if self.prefix else None,
            ),
        )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Enter a comment")
        return body


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("return", "Return for revision"),
            ("approve", "Approve the plan"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to return or approve the plan"},
    )
    feedback = forms.CharField(
        label="Feedback to the lead",
        help_text="What must change before the plan can be approved, or why it is good enough.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        error_messages={"max_length": "Feedback must be 10,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("feedback", label_size=Size.SMALL),
            Submit("decide", "Record the decision"),
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == "return" and not cleaned.get("feedback", "").strip():
            self.add_error("feedback", "Enter the feedback the lead needs to revise the plan")
        return cleaned


class WriterForm(forms.Form):
    writer = IdChoiceField(
        label="Add a writer",
        help_text="Service staff who will write the plan with the lead.",
        queryset=User.objects.none(),
        error_messages={
            "required": "Select the person to add",
            "invalid_choice": "Select the person to add from the list",
        },
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["writer"]).queryset = (
            User.objects.filter(role__in=[Role.SERVICE_STAFF, Role.PRIORITY_LEAD], is_active=True)
            .exclude(pk=plan.priority.lead_id)
            .exclude(pk__in=plan.writers.values("pk"))
            .order_by("first_name", "last_name", "username")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("writer"), Submit("add", "Add writer"))


class ItemForm(VersionedForm, forms.ModelForm):
    version = version_field(required=False)

    def __init__(self, *args, priority=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.layout_fields(), "version", Submit("save", "Save"))

    def layout_fields(self) -> list:
        # The fields its Meta lists: the model form's options hold that very list.
        return list(cast(Collection[str], self._meta.fields))


class ChainLinkForm(ItemForm):
    class Meta:
        formfield_callback = id_formfield
        model = ChainLink
        fields = ["position", "name", "role", "does", "weak", "weak_note"]
        labels = {"position": "Place in the chain", "name": "Name or team"}
        help_texts = {"position": "1 is the Leader; the frontline comes last."}
        error_messages = {
            "position": {"required": "Enter the place in the chain, 1 for the Leader"},
            "name": {"required": "Enter the name of the person or team"},
            "role": {"required": "Enter their role"},
        }

    def layout_fields(self) -> list:
        return [
            Field.text("position", field_width=2),
            Field.text("name"),
            Field.text("role"),
            Field.textarea("does", rows=3),
            Field.checkbox("weak"),
            Field.textarea("weak_note", rows=3),
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("weak") and not cleaned.get("weak_note", "").strip():
            self.add_error("weak_note", "Enter why this link is weak")
        if not cleaned.get("weak"):
            cleaned["weak_note"] = ""
        return cleaned


class InterventionForm(ItemForm):
    class Meta:
        formfield_callback = id_formfield
        model = Intervention
        fields = ["what", "who", "when", "indicator"]
        labels = {"what": "What", "who": "Who", "when": "When", "indicator": "Indicator it moves"}
        error_messages = {
            "what": {"required": "Enter what the intervention is"},
            "who": {"required": "Enter who does it"},
            "when": {"required": "Enter when it happens"},
        }

    def __init__(self, *args, priority=None, **kwargs):
        super().__init__(*args, priority=priority, **kwargs)
        indicator = cast(forms.ModelChoiceField, self.fields["indicator"])
        indicator.queryset = priority.indicators.order_by("position", "code")
        indicator.empty_label = "None of them"
        self.fields["indicator"].error_messages["invalid_choice"] = (
            "Select one of this priority's indicators"
        )

    def layout_fields(self) -> list:
        return [
            Field.textarea("what", rows=3),
            Field.text("who"),
            Field.text("when", field_width=20),
            Field.select("indicator"),
        ]


class MilestoneForm(ItemForm):
    due = DateInputField(label="Due date", help_text="For example, 27 3 2027")
    done_on = DateInputField(
        label="Date done", help_text="Only when the status is Done", required=False
    )

    class Meta:
        formfield_callback = id_formfield
        model = Milestone
        fields = ["title", "owner", "due", "status", "done_on"]
        error_messages = {"title": {"required": "Enter the milestone"}}

    def __init__(self, *args, priority=None, **kwargs):
        super().__init__(*args, priority=priority, **kwargs)
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username"
        )
        self.fields["due"].error_messages.update(
            required="Enter the due date", incomplete="Enter the due date in full"
        )
        owner.empty_label = "No owner yet"
        self.fields["owner"].help_text = "The owner is reminded by email a week before it is due."

    def layout_fields(self) -> list:
        return [
            Field.text("title"),
            Field.select("owner"),
            Field("due"),
            Field.radios("status", legend_size=Size.SMALL),
            Field("done_on"),
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        status, done_on = cleaned.get("status"), cleaned.get("done_on")
        if status == Milestone.Status.DONE and not done_on and "done_on" not in self.errors:
            self.add_error("done_on", "Enter the date the milestone was done")
        if status and status != Milestone.Status.DONE:
            cleaned["done_on"] = None
        return cleaned


SCORES = [(n, str(n)) for n in range(1, 6)]


class RiskForm(ItemForm):
    likelihood = forms.TypedChoiceField(
        label="Likelihood",
        help_text="1 is rare, 5 almost certain.",
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the likelihood, from 1 to 5"},
    )
    impact = forms.TypedChoiceField(
        label="Impact",
        help_text="1 is minor, 5 severe.",
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the impact, from 1 to 5"},
    )

    class Meta:
        formfield_callback = id_formfield
        model = Risk
        fields = ["description", "likelihood", "impact", "mitigation", "owner", "status"]
        labels = {"description": "Risk", "mitigation": "Mitigation", "owner": "Owner"}
        error_messages = {"description": {"required": "Enter the risk"}}

    def layout_fields(self) -> list:
        return [
            Field.textarea("description", rows=3),
            Field.radios("likelihood", legend_size=Size.SMALL, inline=True),
            Field.radios("impact", legend_size=Size.SMALL, inline=True),
            Field.textarea("mitigation", rows=3),
            Field.text("owner"),
            Field.radios("status", legend_size=Size.SMALL, inline=True),
        ]


# The structured parts, by the name their URLs use: model, form, section, and words.
PARTS = {
    "chain": (ChainLink, ChainLinkForm, "delivery_chain", "a link in the delivery chain"),
    "interventions": (Intervention, InterventionForm, "interventions", "an intervention"),
    "milestones": (Milestone, MilestoneForm, "milestones", "a milestone"),
    "risks": (Risk, RiskForm, "risks", "a risk"),
}
