from collections.abc import Sequence
from datetime import date
from typing import Any

from crispy_forms_gds import fields as gds_fields
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from delivery_unit.numbers import parse_id


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct user name and password. Both are case-sensitive.",
        "inactive": "This account is inactive. Ask the system administrator to restore it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "User name"
        self.fields["username"].error_messages["required"] = "Enter your user name"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Submit("sign_in", "Sign in"),
        )


def _gds_helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class NewPasswordMixin:
    """The new password twice, worded the GOV.UK way; the rules are AUTH_PASSWORD_VALIDATORS'."""

    # What the password form it is mixed into has.
    fields: dict[str, forms.Field]
    error_messages: dict[str, Any]

    def _word_new_password(self) -> None:
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Not a common password, not only numbers and not like your "
            "name or user name. A few unrelated words make a good one."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.error_messages = self.error_messages | {
            "password_mismatch": "The two new passwords do not match",
        }


class ChangePasswordForm(NewPasswordMixin, PasswordChangeForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.error_messages = self.error_messages | {
            "password_incorrect": "Your current password is not right: enter it again",
        }
        self._word_new_password()
        self.helper = _gds_helper(
            Field.text("old_password", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            submit="Change password",
        )


class ResetPasswordForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "The address your account is registered with."
        self.fields["email"].error_messages |= {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
        self.helper = _gds_helper(
            Field.text("email", field_width=30), submit="Send a link to reset my password"
        )


class NewPasswordForm(NewPasswordMixin, SetPasswordForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self._word_new_password()
        self.helper = _gds_helper(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            submit="Save new password",
        )


class DateInputField(gds_fields.DateInputField):
    """The GOV.UK date input (day, month, year) for every date in the application. The
    package's field turns a year of twenty digits into an OverflowError (a 500); this one refuses
    any year past 9999 with a field error."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.setdefault("invalid", "Enter a real date")
        if self.error_messages["invalid"] == "Enter a list of values.":
            self.error_messages["invalid"] = "Enter a real date"

    def compress(self, data_list) -> date | None:
        day, month, year = data_list
        if day and month and year and len(year.lstrip("0")) > 4:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().compress(data_list)


class WholeNumberField(forms.IntegerField):
    """A whole number (a version, a count) read by ``parse_id``: ASCII digits only and small
    enough for any integer column. Django's field takes ``١٢٣`` as 123 and any length."""

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_id(str(value).strip())
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class _AsciiKeys:
    """Choices by id, each id read by ``parse_id`` before it reaches a query: a twenty-digit
    id overflows SQLite's integers, and ``١٢٣`` would otherwise choose row 123."""

    # What the model choice field it is mixed into has.
    empty_values: Sequence[Any]
    to_field_name: str | None
    error_messages: dict[str, Any]

    def _key(self, value):
        if value in self.empty_values or self.to_field_name:
            return value
        if isinstance(value, models.Model):
            return value
        if parse_id(str(value)) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return value


def _attributes(attrs: dict) -> str:
    """As Django's widgets/attrs.html writes them: in order, True bare, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """Django's select, its options written out in Python: Django renders each option through
    two templates of its own, about 80 microseconds an option, so that a list of 40 priorities
    cost a stocktake's page 3 ms (tests/test_quick_select.py checks the HTML is Django's)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            written = "".join(
                f'<option value="{escape(option["value"])}"'
                f"{_attributes(option['attrs'])}>"
                f"{escape(option['label'])}</option>"
                for option in options
            )
            groups.append(
                f'<optgroup label="{escape(group_name)}">{written}</optgroup>'
                if group_name
                else written
            )
        # Every value, label and attribute escaped.
        return mark_safe(  # noqa: S308
            f'<select name="{escape(name)}"{_attributes(widget["attrs"])}>{"".join(groups)}'
            "</select>"
        )


class IdChoiceField(_AsciiKeys, forms.ModelChoiceField):
    def to_python(self, value):
        return super().to_python(self._key(value))


class IdMultipleChoiceField(_AsciiKeys, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            keys = [self._key(item) for item in value]
        except ValidationError as error:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": (error.params or {}).get("value")},
            ) from None
        # Django's own check, private, so not in django-stubs.
        return super()._check_values(keys)  # type: ignore[misc]


def id_formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` for model forms: their relations choose by ASCII ids."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", IdChoiceField)
    return db_field.formfield(**kwargs)
