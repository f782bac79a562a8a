from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from delivery_unit.forms import DateInputField, IdChoiceField, id_formfield
from delivery_unit.models import Role, User
from delivery_unit.versioning import VersionedForm, version_field
from priorities.models import Priority
from priorities.rounds.models import RoundEntry
from reviews.models import (
    FieldworkEntry,
    Finding,
    HypothesisTest,
    Phase,
    Recommendation,
    Review,
    delivery_chain,
)
from reviews.uploads import check_upload


def _helper(*fields, submit: str, prefix: str | None = None) -> FormHelper:
    """A form's layout with its button. Where a page holds several forms of one kind (one a
    recommendation), pass the form's prefix so that each button's id is its own."""
    helper = FormHelper()
    helper.form_tag = False
    # The version a form was opened at travels in a hidden field, outside the layout.
    helper.render_hidden_fields = True
    button_id = f"submit-id-save-{prefix}" if prefix else None
    helper.layout = Layout(*fields, Submit("save", submit, css_id=button_id))
    return helper


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class UserChoiceField(IdChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj}, {obj.job_title}" if obj.job_title else str(obj)


class RatingChoiceField(IdChoiceField):
    def label_from_instance(self, obj: RoundEntry) -> str:
        return f"{obj.priority.title}: {obj.round.name}"


# The phases whose dates are planned when the review is commissioned; the follow-up is planned
# about six months after the report goes out.
PLANNED_PHASES = [Phase.SCOPING, Phase.FIELDWORK, Phase.ANALYSIS, Phase.REPORTING]


class ReviewForm(VersionedForm):
    """Commission a review, or edit its details and planned dates."""

    version = version_field(required=False)
    priority = IdChoiceField(
        label="Priority under review",
        queryset=Priority.objects.none(),
        required=False,
        empty_label="None: a cross-cutting topic",
        error_messages={"invalid_choice": "Select a priority from the list"},
    )
    topic = forms.CharField(
        label="Cross-cutting topic",
        help_text="Only for a review that is not of one priority.",
        max_length=200,
        required=False,
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the review",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    reason = forms.CharField(
        label="Why the review was commissioned",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the review was commissioned"},
    )
    prompted_by_rating = RatingChoiceField(
        label="The rating that prompted it (optional)",
        queryset=RoundEntry.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Select a rating from the list"},
    )
    commissioned_by = UserChoiceField(
        label="Commissioned by",
        queryset=User.objects.none(),
        error_messages={
            "required": "Select who commissioned the review",
            "invalid_choice": "Select who commissioned the review from the list",
        },
    )
    lead = UserChoiceField(
        label="Review lead",
        queryset=User.objects.none(),
        error_messages={
            "required": "Select the review lead",
            "invalid_choice": "Select the review lead from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        priority = cast(forms.ModelChoiceField, self.fields["priority"])
        priority.queryset = Priority.objects.order_by("title")
        cast(forms.ModelChoiceField, self.fields["prompted_by_rating"]).queryset = (
            RoundEntry.objects.filter(status=RoundEntry.Status.AGREED)
            .select_related("priority", "round")
            .order_by("priority__title", "-round__date")
        )
        cast(forms.ModelChoiceField, self.fields["commissioned_by"]).queryset = User.objects.filter(
            role__in=[Role.LEADERSHIP, Role.UNIT_STAFF], is_active=True
        ).order_by("role", "last_name", "first_name")
        cast(forms.ModelChoiceField, self.fields["lead"]).queryset = User.objects.filter(
            role=Role.UNIT_STAFF, is_active=True
        ).order_by("last_name", "first_name")
        dates = []
        for phase in PLANNED_PHASES:
            for end in ("start", "end"):
                name = f"{phase}_{end}"
                self.fields[name] = DateInputField(
                    label=f"{phase.label}: planned {end}",
                    required=False,
                    require_all_fields=False,
                )
                self.fields[name].error_messages.update(
                    {
                        "invalid": f"Enter a real date for the {phase.label.lower()} {end}",
                        "incomplete": f"Enter the {phase.label.lower()} {end} as a full date",
                    }
                )
                dates.append(Field(name, legend_size=Size.SMALL))
        self.helper = _helper(
            Field.select("priority"),
            Field.text("topic"),
            Field.text("title"),
            Field.textarea("reason"),
            Field.select("prompted_by_rating"),
            Field.select("commissioned_by"),
            Field.select("lead"),
            Fieldset(*dates, legend="Planned dates of each phase", legend_size=Size.MEDIUM),
            submit="Save the review",
            prefix=self.prefix,
        )

    @classmethod
    def initial_for(cls, review: Review) -> dict:
        initial = {
            name: getattr(review, name)
            for name in ["priority", "topic", "title", "reason", "prompted_by_rating"]
        }
        initial |= {
            "commissioned_by": review.commissioned_by,
            "lead": review.lead,
            "version": review.version,
        }
        for phase in review.phases.all():
            initial[f"{phase.phase}_start"] = phase.planned_start
            initial[f"{phase.phase}_end"] = phase.planned_end
        return initial

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("priority") and not data.get("topic", "").strip():
            self.add_error("priority", "Select the priority under review, or name a topic")
        rating = data.get("prompted_by_rating")
        if rating and data.get("priority") and rating.priority_id != data["priority"].pk:
            self.add_error("prompted_by_rating", "Select a rating of the priority under review")
        for phase in PLANNED_PHASES:
            start, end = data.get(f"{phase}_start"), data.get(f"{phase}_end")
            if start and end and end < start:
                self.add_error(
                    f"{phase}_end",
                    f"The {phase.label.lower()} end must be on or after its start",
                )
        return data

    def review_fields(self) -> dict:
        names = ["priority", "topic", "title", "reason", "prompted_by_rating"]
        names += ["commissioned_by", "lead"]
        return {name: self.cleaned_data[name] for name in names}

    def planned(self) -> dict:
        return {
            phase: (self.cleaned_data.get(f"{phase}_start"), self.cleaned_data.get(f"{phase}_end"))
            for phase in PLANNED_PHASES
        }


class TeamMemberForm(forms.Form):
    user = UserChoiceField(
        label="Person",
        queryset=User.objects.none(),
        error_messages={
            "required": "Select the person to add to the team",
            "invalid_choice": "Select the person from the list",
        },
    )
    role = forms.CharField(
        label="Role on the review",
        help_text="For example, analyst, or frontline housing officer from the service.",
        max_length=100,
        error_messages={"required": "Enter their role on the review"},
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = (
            User.objects.filter(
                is_active=True,
                role__in=[Role.UNIT_STAFF, Role.PRIORITY_LEAD, Role.SERVICE_STAFF],
            )
            .exclude(review_memberships__review=review)
            .order_by("last_name", "first_name")
        )
        self.helper = _helper(
            Field.select("user"), Field.text("role"), submit="Add to the team", prefix=self.prefix
        )


class TermsForm(VersionedForm):
    scope = forms.CharField(
        label="Scope",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the scope of the review"},
    )
    questions = forms.CharField(
        label="Questions the review will answer",
        help_text="One question a line.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter at least one question"},
    )
    hypotheses = forms.CharField(
        label="Hypotheses it will test",
        help_text="One hypothesis a line.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    out_of_scope = forms.CharField(
        label="Out of scope", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("scope"),
            Field.textarea("questions"),
            Field.textarea("hypotheses"),
            Field.textarea("out_of_scope"),
            submit="Save the terms of reference",
            prefix=self.prefix,
        )

    def hypothesis_list(self) -> list[str]:
        return list(dict.fromkeys(_lines(self.cleaned_data["hypotheses"])))


class FieldworkForm(forms.ModelForm):
    date = DateInputField(label="Date")

    class Meta:
        formfield_callback = id_formfield
        model = FieldworkEntry
        fields = ["kind", "who_or_where", "link", "chain_link", "date", "present", "notes"]
        widgets = {
            "kind": forms.RadioSelect,
            "present": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "kind": "Interview or visit",
            "who_or_where": "Who or where",
            "link": "Link of the delivery chain",
            "chain_link": "Or name the link of the delivery chain",
            "present": "Team members present",
            "notes": "Notes",
        }
        help_texts = {
            "link": "From the priority's delivery plan.",
            "chain_link": "Where the plan does not name it, for example frontline officers.",
            "notes": "Only the review team and unit staff can read these notes.",
        }
        error_messages = {
            "kind": {"required": "Select interview or visit"},
            "who_or_where": {"required": "Enter who was interviewed or where was visited"},
            "notes": {"required": "Enter the notes of the interview or visit"},
            "link": {"invalid_choice": "Select a link of the delivery chain from the list"},
            "present": {
                "invalid_choice": "Select team members from the list",
                "invalid_pk_value": "Select team members from the list",
            },
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = FieldworkEntry.Kind.choices
        self.fields["date"].error_messages.update(
            {"required": "Enter the date", "incomplete": "Enter the date as a full date"}
        )
        present = cast(forms.ModelMultipleChoiceField, self.fields["present"])
        present.queryset = review.team.select_related("user").order_by("pk")
        chain = delivery_chain(review)
        link = cast(forms.ModelChoiceField, self.fields["link"])
        link.queryset = chain
        link.empty_label = "Not named in the plan"
        link_fields = [Field.select("link")] if chain.exists() else []
        if not link_fields:
            del self.fields["link"]
            self.fields["chain_link"].label = "Link of the delivery chain"
            self.fields["chain_link"].help_text = "For example, frontline housing officers."
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.text("who_or_where"),
            *link_fields,
            Field.text("chain_link"),
            Field("date"),
            Field.checkboxes("present", legend_size=Size.SMALL),
            Field.textarea("notes"),
            submit="Add to the fieldwork log",
            prefix=self.prefix,
        )


class EvidenceForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the evidence"}
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    file = forms.FileField(
        label="File",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, CSV or text.",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "invalid": "Select a file",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field.textarea("description"),
            Field("file"),
            submit="Upload the evidence",
            prefix=self.prefix,
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload


BEARINGS = [("", "Not tested"), *HypothesisTest.Bearing.choices]


class FindingForm(VersionedForm, forms.ModelForm):
    version = version_field(required=False)

    class Meta:
        formfield_callback = id_formfield
        model = Finding
        fields = ["title", "kind", "text", "severity", "evidence"]
        widgets = {
            "kind": forms.RadioSelect,
            "severity": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 5}),
            "evidence": forms.CheckboxSelectMultiple,
        }
        labels = {"text": "What the review found, and why", "kind": "Kind of finding"}
        error_messages = {
            "title": {"required": "Enter a title for the finding"},
            "kind": {"required": "Select what works or what does not work"},
            "text": {"required": "Enter what the review found, and why"},
            "severity": {"required": "Select the severity"},
            "evidence": {
                "invalid_choice": "Select evidence from the list",
                "invalid_pk_value": "Select evidence from the list",
            },
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = Finding.Kind.choices
        cast(forms.ChoiceField, self.fields["severity"]).choices = Finding.Severity.choices
        evidence = cast(forms.ModelMultipleChoiceField, self.fields["evidence"])
        evidence.queryset = review.evidence.order_by("title")
        self.fields["evidence"].required = False
        self.hypotheses = list(review.hypotheses.order_by("pk"))
        current = {}
        if self.instance.pk:
            current = {t.hypothesis_id: t.bearing for t in self.instance.tests.all()}
        bearings = []
        for hypothesis in self.hypotheses:
            name = f"hypothesis_{hypothesis.pk}"
            self.fields[name] = forms.ChoiceField(
                label=hypothesis.text,
                choices=BEARINGS,
                required=False,
                initial=current.get(hypothesis.pk, ""),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Select supports, refutes or not tested"},
            )
            bearings.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
        extra = []
        if bearings:
            extra = [Fieldset(*bearings, legend="Hypotheses", legend_size=Size.MEDIUM)]
        self.helper = _helper(
            Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.textarea("text"),
            Field.radios("severity", legend_size=Size.SMALL, inline=True),
            Field.checkboxes("evidence", legend_size=Size.SMALL),
            *extra,
            submit="Save the finding",
            prefix=self.prefix,
        )

    def bearings(self) -> dict[int, str]:
        return {
            h.pk: self.cleaned_data[f"hypothesis_{h.pk}"]
            for h in self.hypotheses
            if self.cleaned_data.get(f"hypothesis_{h.pk}")
        }


class RecommendationForm(VersionedForm, forms.ModelForm):
    version = version_field(required=False)
    due_date = DateInputField(label="Due date")
    owner = UserChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        error_messages={
            "required": "Select the owner of the recommendation",
            "invalid_choice": "Select the owner from the list",
        },
    )

    class Meta:
        formfield_callback = id_formfield
        model = Recommendation
        fields = ["text", "findings", "owner", "due_date", "importance"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "findings": forms.CheckboxSelectMultiple,
            "importance": forms.RadioSelect,
        }
        labels = {
            "text": "Recommendation",
            "findings": "The findings behind it",
            "importance": "Priority",
        }
        error_messages = {
            "text": {"required": "Enter the recommendation"},
            "findings": {
                "required": "Select at least one finding behind the recommendation",
                "invalid_choice": "Select findings from the list",
                "invalid_pk_value": "Select findings from the list",
            },
            "importance": {"required": "Select the recommendation's priority"},
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        findings = cast(forms.ModelMultipleChoiceField, self.fields["findings"])
        findings.queryset = review.findings.order_by("pk")
        importance = cast(forms.ChoiceField, self.fields["importance"])
        importance.choices = Recommendation.Importance.choices
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = User.objects.filter(
            is_active=True
        ).order_by("last_name", "first_name")
        self.fields["due_date"].error_messages.update(
            {"required": "Enter the due date", "incomplete": "Enter the due date as a full date"}
        )
        self.helper = _helper(
            Field.textarea("text"),
            Field.checkboxes("findings", legend_size=Size.SMALL),
            Field.select("owner"),
            Field("due_date"),
            Field.radios("importance", legend_size=Size.SMALL, inline=True),
            submit="Save the recommendation",
            prefix=self.prefix,
        )


class ResponseForm(VersionedForm):
    response = forms.ChoiceField(
        label="Response",
        choices=[
            c for c in Recommendation.Response.choices if c[0] != Recommendation.Response.AWAITING
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the response",
            "invalid_choice": "Select accepted, partly accepted or rejected",
        },
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed when the recommendation is partly accepted or rejected.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("response", legend_size=Size.SMALL),
            Field.textarea("reason"),
            submit="Record the response",
            prefix=self.prefix,
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        response = data.get("response")
        if response and response != Recommendation.Response.ACCEPTED and not data["reason"].strip():
            self.add_error("reason", "Enter the reason it was partly accepted or rejected")
        return data


class ProgressForm(VersionedForm):
    implementation = forms.ChoiceField(
        label="Implementation status",
        choices=Recommendation.Implementation.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the implementation status",
            "invalid_choice": "Select an implementation status from the list",
        },
    )
    note = forms.CharField(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a note of the progress made"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("implementation", legend_size=Size.SMALL, inline=True),
            Field.textarea("note"),
            submit="Save progress",
            prefix=self.prefix,
        )


class FollowUpForm(VersionedForm):
    """For one recommendation, at the follow-up."""

    done = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what was done"},
    )
    effect = forms.CharField(
        label="Its effect", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("done"),
            Field.textarea("effect"),
            submit="Save the follow-up",
            prefix=self.prefix,
        )


class CloseForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the follow-up",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter a summary of the follow-up"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("summary"), submit="Close the review", prefix=self.prefix
        )


class IssueForm(forms.Form):
    reason = forms.CharField(
        label="Why it is issued again",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, reissue: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.reissue = reissue
        fields = [Field.textarea("reason")] if reissue else []
        self.helper = _helper(
            *fields, submit="Issue the report again" if reissue else "Issue the report"
        )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if self.reissue and not reason:
            raise forms.ValidationError("Enter why the report is issued again")
        return reason
