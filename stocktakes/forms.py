from typing import cast

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from delivery_unit.forms import (
    DateInputField,
    IdChoiceField,
    IdMultipleChoiceField,
    QuickSelect,
    WholeNumberField,
    id_formfield,
)
from delivery_unit.models import Role, User
from delivery_unit.versioning import VersionedForm
from priorities.models import Priority
from stocktakes.models import Action, AgendaItem, Stocktake


def _people():
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


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
    priorities = IdMultipleChoiceField(
        label="Priorities on the agenda",
        help_text="In the order they will be discussed. You can add other topics and reorder "
        "the agenda afterwards.",
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
        priorities = cast(forms.ModelMultipleChoiceField, self.fields["priorities"])
        priorities.queryset = Priority.objects.filter(status=Priority.Status.ACTIVE).order_by(
            "title"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"),
            Field("date"),
            Field.checkboxes("priorities", legend_size=Size.SMALL),
            Submit("save", "Create stocktake"),
        )


class StocktakeDetailsForm(VersionedForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the stocktake",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    date = DateInputField(label="Date of the meeting", help_text="For example, 27 3 2027")
    start_time = forms.TimeField(
        label="Start time",
        help_text="For example, 14:30. The agenda's times are worked out from it.",
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"invalid": "Enter the start time as hours and minutes, like 14:30"},
    )
    place = forms.CharField(
        label="Place",
        max_length=200,
        required=False,
        error_messages={"max_length": "Place must be 200 characters or fewer"},
    )
    marking = forms.CharField(
        label="Protective marking",
        help_text="Printed on the pack's cover and on every page, for example OFFICIAL-SENSITIVE.",
        max_length=60,
        error_messages={
            "required": "Enter the protective marking, for example OFFICIAL-SENSITIVE",
            "max_length": "Protective marking must be 60 characters or fewer",
        },
    )
    chairs = IdMultipleChoiceField(
        label="Chairs",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select chairs from the list"},
    )
    attendees = IdMultipleChoiceField(
        label="Attendees",
        help_text="They receive the follow-up note, with the chairs.",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select attendees from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages.update(
            {
                "required": "Enter the date of the meeting",
                "incomplete": "Enter the date of the meeting",
            }
        )
        chairs = cast(forms.ModelMultipleChoiceField, self.fields["chairs"])
        chairs.queryset = _people().filter(role=Role.LEADERSHIP)
        cast(forms.ModelMultipleChoiceField, self.fields["attendees"]).queryset = _people()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"),
            Field("date"),
            Field.text("start_time", field_width=5),
            Field.text("place"),
            Field.text("marking", field_width=20),
            Field.checkboxes("chairs", legend_size=Size.SMALL),
            Field.checkboxes("attendees", legend_size=Size.SMALL, small=True),
            "version",
            Submit("save", "Save details"),
        )


class AgendaAddForm(forms.Form):
    priority = IdChoiceField(
        label="Priority",
        queryset=Priority.objects.none(),
        required=False,
        empty_label="Choose a priority",
        error_messages={"invalid_choice": "Select a priority from the list"},
        widget=QuickSelect,
    )
    topic = forms.CharField(
        label="Or another topic",
        max_length=200,
        required=False,
        error_messages={"max_length": "Topic must be 200 characters or fewer"},
    )

    def __init__(self, *args, stocktake, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["priority"]).queryset = (
            Priority.objects.filter(status=Priority.Status.ACTIVE)
            .exclude(agenda_items__stocktake=stocktake)
            .order_by("title")
            .only("pk", "title")  # what an option shows: a priority's whole row costs more
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("priority"),
            Field.text("topic"),
            Submit("add", "Add to the agenda", css_class="govuk-button--secondary"),
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not self.errors and bool(data.get("priority")) == bool(data.get("topic")):
            self.add_error("priority", "Choose a priority or write a topic, not both")
        return data


class AgendaItemForm(VersionedForm):
    purpose = forms.CharField(
        label="Why now",
        help_text="Why the chairs should discuss this at this stocktake.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "Why now must be 2,000 characters or fewer"},
    )
    minutes = WholeNumberField(
        label="Time allowed, in minutes",
        min_value=1,
        max_value=240,
        error_messages={
            "required": "Enter the time allowed, in minutes",
            "invalid": "Time allowed must be a whole number of minutes, like 20",
            "min_value": "Time allowed must be at least 1 minute",
            "max_value": "Time allowed must be 240 minutes or fewer",
        },
    )
    lead_attending = IdChoiceField(
        label="Attending for this item",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody named yet",
        error_messages={"invalid_choice": "Select who attends from the list"},
    )
    questions = forms.CharField(
        label="Questions the chairs might ask",
        help_text="One question a line.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Questions must be 5,000 characters or fewer"},
    )
    decisions_needed = forms.CharField(
        label="Decisions needed",
        help_text="One decision a line.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Decisions needed must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["lead_attending"]).queryset = _people()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("purpose"),
            Field.text("minutes", field_width=3),
            Field.select("lead_attending"),
            Field.textarea("questions"),
            Field.textarea("decisions_needed"),
            "version",
            Submit("save", "Save item"),
        )


class MoveForm(VersionedForm):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class OrderForm(VersionedForm):
    """The whole agenda's order, as the drag-and-drop script sends it."""

    order = forms.CharField(max_length=2000)

    def clean_order(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["order"].split(",")]
        except ValueError:
            raise forms.ValidationError("The new order is not a list of items") from None


class VersionForm(VersionedForm):
    """Only the version: for a button that changes something others may have changed."""


class IssueForm(forms.Form):
    reason = forms.CharField(
        label="Why is the pack being issued again?",
        help_text="The chairs see this with the new version.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        error_messages={"max_length": "Reason must be 1,000 characters or fewer"},
    )

    def __init__(self, *args, reissue: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.reissue = reissue
        # Rendered inside the confirmation's own form, beside its hidden "issue" field.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("reason"))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if self.reissue and not reason:
            raise forms.ValidationError("Enter why the pack is being issued again")
        return reason


class RecordForm(VersionedForm):
    discussion = forms.CharField(
        label="Discussion",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
        error_messages={"max_length": "Discussion must be 20,000 characters or fewer"},
    )
    decisions = forms.CharField(
        label="Decisions",
        help_text="One decision a line.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
        error_messages={"max_length": "Decisions must be 10,000 characters or fewer"},
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter what is to be done",
            "max_length": "Action must be 2,000 characters or fewer",
        },
    )
    owner = forms.TypedChoiceField(
        label="Owner",
        coerce=int,
        error_messages={
            "required": "Select who owns the action",
            "invalid_choice": "Select who owns the action from the list",
        },
    )
    due_date = DateInputField(label="Due date", help_text="For example, 27 3 2027")

    def __init__(self, *args, owners: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "Choose an owner"), *owners]
        self.fields["due_date"].error_messages.update(
            {"required": "Enter the due date", "incomplete": "Enter the due date"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("description", label_size=Size.SMALL),
            Field.select("owner"),
            Field("due_date"),
            Submit("add", "Add the action", css_class="govuk-button--secondary"),
        )


class ActionUpdateForm(VersionedForm):
    status = forms.ChoiceField(
        label="Status",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the action's status",
            "invalid_choice": "Select the action's status",
        },
    )
    progress = forms.CharField(
        label="Progress",
        help_text="What has been done, and what is next.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Progress must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("status", legend_size=Size.SMALL, inline=False),
            Field.textarea("progress"),
            "version",
            Submit("save", "Save progress"),
        )


class FollowUpForm(VersionedForm):
    body = forms.CharField(
        label="Follow-up note",
        help_text="Sent to the chairs and attendees by email, and kept with the stocktake.",
        widget=forms.Textarea(attrs={"rows": 20}),
        max_length=50000,
        error_messages={
            "required": "Enter the follow-up note",
            "max_length": "Follow-up note must be 50,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("body", label_size=Size.MEDIUM, label_tag="h2"),
            "version",
            Submit("save", "Save the note", css_class="govuk-button--secondary"),
        )


class ActionFilter(django_filters.FilterSet):
    """The action log's filters: owner, priority, status (open, closed or one status) and
    overdue."""

    STATUS_CHOICES = [
        ("open", "Open (not started or in progress)"),
        ("closed", "Closed (done or dropped)"),
        *Action.Status.choices,
    ]

    owner = django_filters.ModelChoiceFilter(
        label="Owner", queryset=User.objects.none(), empty_label="Anyone"
    )
    priority = django_filters.ModelChoiceFilter(
        label="Priority", queryset=Priority.objects.none(), empty_label="Any priority"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, method="filter_status", empty_label="Any status"
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue only",
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        formfield_callback = id_formfield
        model = Action
        fields = ["owner", "priority", "status", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = (
            User.objects.filter(stocktake_actions__isnull=False)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.filters["priority"].queryset = Priority.objects.order_by("title")
        for name, message in [
            ("owner", "Select an owner from the list"),
            ("priority", "Select a priority from the list"),
            ("status", "Select a status from the list"),
        ]:
            self.form.fields[name].error_messages["invalid_choice"] = message

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "closed":
            return queryset.exclude(status__in=Action.OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset


def action_filter_helper() -> FormHelper:
    """The action log's filters: a GET form above the table."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        Field.select("owner"),
        Field.select("priority"),
        Field.select("status"),
        Field.checkbox("overdue"),
        Submit("apply", "Apply filters", css_class="govuk-button--secondary"),
    )
    return helper


class ActionFromRecommendationForm(forms.Form):
    """A priority review's recommendation as a stocktake action: what, who, by when, and at which
    stocktake it is tracked."""

    stocktake = IdChoiceField(
        label="The stocktake that tracks it",
        queryset=Stocktake.objects.none(),
        error_messages={
            "required": "Select the stocktake that tracks the action",
            "invalid_choice": "Select a stocktake from the list",
        },
    )
    description = forms.CharField(
        label="The action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the action"},
    )
    owner = IdChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        error_messages={
            "required": "Select the owner of the action",
            "invalid_choice": "Select the owner from the list",
        },
    )
    due_date = DateInputField(label="Due date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stocktake = cast(forms.ModelChoiceField, self.fields["stocktake"])
        stocktake.queryset = Stocktake.objects.exclude(status=Stocktake.Status.CLOSED).order_by(
            "-date", "-pk"
        )
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = User.objects.filter(
            is_active=True
        ).order_by("last_name", "first_name")
        self.fields["due_date"].error_messages.update(
            {"required": "Enter the due date", "incomplete": "Enter the due date as a full date"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("stocktake"),
            Field.textarea("description"),
            Field.select("owner"),
            Field("due_date"),
            Submit("save", "Make it a stocktake action"),
        )


class AgendaItemChoiceField(IdChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        decisions = "; ".join(obj.decision_list) or "no decisions recorded"
        return f"{obj.stocktake}: {obj.title} ({decisions})"


class PromptedByForm(forms.Form):
    """The stocktake decision that commissioned a priority review."""

    item = AgendaItemChoiceField(
        label="The stocktake item whose decision commissioned the review",
        queryset=AgendaItem.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the stocktake item that commissioned the review",
            "invalid_choice": "Select a stocktake item from the list",
        },
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        items = AgendaItem.objects.select_related("stocktake", "priority").filter(
            stocktake__status__in=[
                Stocktake.Status.HELD,
                Stocktake.Status.FOLLOW_UP_SENT,
                Stocktake.Status.CLOSED,
            ]
        )
        if review.priority_id:
            items = items.filter(priority_id=review.priority_id)
        item = cast(forms.ModelChoiceField, self.fields["item"])
        item.queryset = items.order_by("-stocktake__date", "position")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("item", legend_size=Size.SMALL),
            Submit("save", "Link the decision"),
        )
