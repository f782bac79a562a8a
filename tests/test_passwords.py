"""Passwords: at least 12 characters and not a common one; a person changes their own; reset by
email while single sign-on is off."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from delivery_unit.models import Role, User

PASSWORD = "a-long-demo-password"
NEW = "violet kettle harbour 42"


@pytest.fixture
def person(db, settings) -> User:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User(username="priya", email="priya.shah@council.example", role=Role.UNIT_STAFF)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass1", "at least 12 characters"),
        ("q1w2e3r4t5y6", "too common"),
        ("493817265019", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert message in " ".join(refused.value.messages)


def test_a_long_uncommon_password_is_accepted():
    validate_password(NEW)


def change(client, old: str, new: str, again: str | None = None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_a_person_changes_their_own_password_and_stays_signed_in(client, person):
    client.force_login(person)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in page

    response = change(client, PASSWORD, NEW)

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("home")).status_code == 200
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert not person.check_password(PASSWORD)


def test_a_wrong_current_password_changes_nothing(client, person):
    client.force_login(person)
    response = change(client, "not-my-password", NEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Your current password is not right" in html
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("short", None, "This password is too short. It must contain at least 12 characters."),
        ("q1w2e3r4t5y6", None, "This password is too common."),
        (NEW, "something else entirely", "The two new passwords do not match"),
        ("", None, "Enter a new password"),
    ],
)
def test_a_new_password_that_breaks_a_rule_is_refused_with_the_reason(
    client, person, new, again, message
):
    client.force_login(person)
    response = change(client, PASSWORD, new, again)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_password_reset_by_email(client, person):
    response = client.post(reverse("password_reset"), {"email": "Priya.Shah@council.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert [message.to for message in mail.outbox] == [["priya.shah@council.example"]]
    link = re.search(r"http://testserver(/sign-in/reset/\S+/)", mail.outbox[0].body).group(1)

    # Django swaps the token in the link for one kept in the session, then asks for the password.
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("password_reset_complete")

    client.post(reverse("login"), {"username": "priya", "password": NEW})
    assert client.session[SESSION_KEY] == str(person.pk)
    # The link works once.
    used = client.get(link, follow=True).content.decode()
    assert "This link has expired" in used


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, person):
    response = client.post(reverse("password_reset"), {"email": "nobody@council.example"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_reset_with_a_bad_address_says_what_to_enter(client, db):
    html = client.post(reverse("password_reset"), {"email": "not an address"}).content.decode()
    assert "Enter an email address in the correct format" in html
