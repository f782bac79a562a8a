"""The forms an administrator manages people with. Each validates and converts; the views save
through the user's own methods, which record every change."""

from typing import cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from delivery_unit.holdings import Held
from delivery_unit.models import Role, User

NOBODY = "nobody"


ROLE_HINTS = {
    Role.UNIT_STAFF: "The Corporate Delivery Unit's analysts (and its leader, marked separately).",
    Role.PRIORITY_LEAD: "The senior officer accountable for a priority.",
    Role.SERVICE_STAFF: "Works in a service on a priority: enters its data, helps write its plan.",
    Role.CABINET_MEMBER: "A councillor holding a portfolio: reads its priorities, never rates.",
    Role.LEADERSHIP: "The Chief Executive and the Leader of the Council.",
    Role.ADMINISTRATOR: "Manages people and the assessment framework.",
}


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class PersonForm(forms.Form):
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={
            "required": "Enter their first name",
            "max_length": "First name must be 150 characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={
            "required": "Enter their last name",
            "max_length": "Last name must be 150 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their council email address: single sign-on finds them by it the first time.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=150,
        required=False,
        error_messages={"max_length": "Job title must be 150 characters or fewer"},
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        choices=[Choice(value, label) for value, label in Role.choices],
        error_messages={
            "required": "Select their role",
            "invalid_choice": "Select one of the roles",
        },
    )

    def __init__(self, *args, person: User | None = None, editor: User, **kwargs) -> None:
        self.person = person
        self.editor = editor
        if person is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(person, name) for name in self.base_fields},
            )
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            Choice(value, label, hint=ROLE_HINTS.get(Role(value), ""))
            for value, label in Role.choices
        ]
        self.helper = _helper(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("email", field_width=30),
            Field.text("job_title", field_width=30),
            Field.radios("role", legend_size=Size.SMALL),
            submit="Add person" if person is None else "Save changes",
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.person is not None:
            others = others.exclude(pk=self.person.pk)
        if others.exists():
            raise forms.ValidationError("Someone else already has this email address")
        return email

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        person = self.person
        if person is not None and person.pk == self.editor.pk and role != person.role:
            raise forms.ValidationError(
                "You cannot change your own role: ask another administrator"
            )
        return role


class HandOverForm(forms.Form):
    """One successor for each kind of holding the person has; "Nobody" only where the kind may
    be left without anyone, and only if the administrator also says so."""

    leave_unowned = forms.BooleanField(
        label="Leave what I chose to give to nobody without an owner",
        required=False,
    )

    def __init__(self, *args, person: User, held: list[Held], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.held = held
        names = []
        for entry in held:
            holding = entry.holding
            people = list(holding.successors(person))
            choices = [("", "Choose someone")]
            choices += [(str(p.pk), _name(p)) for p in people]
            if holding.may_be_empty:
                choices.append((NOBODY, "Nobody: leave without an owner"))
            name = f"to_{holding.key}"
            self.fields[name] = forms.ChoiceField(
                label=f"{holding.label} ({len(entry.items)}): give to",
                help_text=f"Who may take these over: {holding.who_may_take_over()}.",
                choices=choices,
                error_messages={
                    "required": f"Choose who takes over {holding.label.lower()}",
                    "invalid_choice": f"Choose someone who may take over {holding.label.lower()}",
                },
            )
            names.append(Field.select(name))
        self.people = {str(p.pk): p for p in User.objects.filter(is_active=True)}
        self.helper = _helper(
            *names,
            Field.checkbox("leave_unowned"),
            submit="Continue",
        )

    def successors(self) -> dict[str, User | None]:
        chosen = {}
        for entry in self.held:
            value = self.cleaned_data[f"to_{entry.holding.key}"]
            chosen[entry.holding.key] = None if value == NOBODY else self.people[value]
        return chosen

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        nobody = [
            entry.holding.label.lower()
            for entry in self.held
            if data.get(f"to_{entry.holding.key}") == NOBODY
        ]
        if nobody and not data.get("leave_unowned"):
            self.add_error(
                "leave_unowned",
                f"Confirm that {' and '.join(nobody)} will be left without an owner, or choose "
                "someone",
            )
        return data


def _name(person: User) -> str:
    title = f", {person.job_title}" if person.job_title else ""
    return f"{person}{title}"
