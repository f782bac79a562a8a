"""Sessions: a new identifier at sign-in, ended on the server at sign-out, and an absolute
lifetime beside the idle timeout."""

import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from delivery_unit.models import Role, User
from delivery_unit.sessions import SIGNED_IN_AT

PASSWORD = "a-long-demo-password"


@pytest.fixture
def person(db, settings) -> User:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User(username="priya", role=Role.UNIT_STAFF)
    user.set_password(PASSWORD)
    user.save()
    return user


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_session_identifier_changes_at_sign_in(client, person):
    before = client.session
    before["planted"] = "by someone who knows this identifier"
    before.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key

    client.post(reverse("login"), {"username": "priya", "password": PASSWORD})

    assert session_key(client) != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()
    # Whoever holds the old identifier is not signed in.
    planted = Client()
    planted.cookies[settings.SESSION_COOKIE_NAME] = before.session_key
    assert planted.get(reverse("home")).status_code == 302


def test_sign_out_ends_the_session_on_the_server(client, person):
    client.post(reverse("login"), {"username": "priya", "password": PASSWORD})
    key = session_key(client)
    assert Session.objects.filter(session_key=key).exists()

    client.post(reverse("logout"))

    assert not Session.objects.filter(session_key=key).exists()
    # A copy of the old cookie (kept by another tab, or stolen) opens nothing.
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = key
    response = copy.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _signed_in_hours_ago(client, hours: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = time.time() - hours * 3600
    session.save()


def test_a_busy_session_ends_after_the_absolute_lifetime(client, person):
    assert settings.SESSION_MAX_HOURS == 12
    client.post(reverse("login"), {"username": "priya", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    key = session_key(client)

    _signed_in_hours_ago(client, 11.9)
    assert client.get(reverse("home")).status_code == 200  # active all day: still signed in

    _signed_in_hours_ago(client, 12.1)
    response = client.get(reverse("priorities:register"))
    assert response.status_code == 302
    assert response["Location"] == (f"{reverse('login')}?next={reverse('priorities:register')}")
    assert not Session.objects.filter(session_key=key).exists()
    assert SESSION_KEY not in client.session


def test_activity_does_not_extend_the_absolute_lifetime(client, person):
    client.post(reverse("login"), {"username": "priya", "password": PASSWORD})
    client.get(reverse("home"))
    stamped = client.session[SIGNED_IN_AT]
    client.get(reverse("priorities:register"))
    assert client.session[SIGNED_IN_AT] == stamped


def test_the_lifetime_is_a_setting(client, person, settings):
    settings.SESSION_MAX_HOURS = 1
    client.post(reverse("login"), {"username": "priya", "password": PASSWORD})
    client.get(reverse("home"))
    _signed_in_hours_ago(client, 1.1)
    assert client.get(reverse("home")).status_code == 302
