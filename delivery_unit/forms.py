from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)


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
