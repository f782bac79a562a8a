"""Sign-in: the GOV.UK-styled page, Argon2 hashes, throttled failures, idle sessions ending."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from delivery_unit.models import Role, User
from delivery_unit.sessions import REFRESHED_AT

PASSWORD = "a-long-demo-password"


@pytest.fixture
def person(db) -> User:
    user = User(username="priya", role=Role.UNIT_STAFF)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_takes_a_person_home(client, person):
    response = sign_in(client, "priya", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_passwords_are_hashed_with_argon2(person):
    assert identify_hasher(person.password).algorithm == "argon2"


def test_wrong_password_gets_the_error_summary(client, person):
    response = sign_in(client, "priya", "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a correct user name and password" in html


def test_empty_sign_in_says_what_to_enter(client, db):
    html = sign_in(client, "", "").content.decode()
    assert "Enter your user name" in html
    assert "Enter your password" in html


def test_repeated_failed_sign_ins_are_throttled(client, person):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "priya", "wrong")
    # Locked out: even the right password is refused for now.
    response = sign_in(client, "priya", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_need_sign_in(client, db):
    response = client.get(reverse("priorities:register"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('priorities:register')}"


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_sessions_end_after_a_period_of_inactivity(client, person):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    sign_in(client, "priya", PASSWORD)
    client.get(reverse("home"))
    assert 0 < client.session.get_expiry_age() <= 30 * 60
    assert timezone.now() < _expiry(client) <= timezone.now() + timedelta(minutes=30)


def test_a_request_renews_the_session_once_its_last_renewal_is_a_minute_old(
    client, person, settings
):
    settings.SESSION_REFRESH_SECONDS = 60  # as in production (tests renew on every request)
    sign_in(client, "priya", PASSWORD)
    client.get(reverse("home"))
    renewed = _expiry(client)
    # Within the minute: the session is read, not written.
    client.get(reverse("home"))
    assert _expiry(client) == renewed
    # As if the last renewal were two minutes ago, with the expiry it gave then.
    session = client.session
    session[REFRESHED_AT] = int(time.time()) - 120
    session.save()
    earlier = timezone.now() + timedelta(minutes=28)
    Session.objects.filter(session_key=session.session_key).update(expire_date=earlier)
    client.get(reverse("home"))
    assert _expiry(client) > earlier
    assert _expiry(client) >= timezone.now() + timedelta(minutes=29)
    assert client.session[REFRESHED_AT] >= int(time.time()) - 5


def test_sign_out_needs_post(client, person):
    sign_in(client, "priya", PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_superuser_flag_grants_nothing_the_rules_do_not(db, client):
    # Django's ModelBackend would answer yes to every permission for a superuser; here every
    # permission is a rule, and a priority lead may not see stocktakes whatever their flags.
    lead = User.objects.create(username="lead", role=Role.PRIORITY_LEAD, is_superuser=True)
    assert not lead.has_perm("stocktakes.view_stocktake")
    assert not lead.has_perm("priorities.add_priority")
    assert lead.get_all_permissions() == set()
    client.force_login(lead)
    assert client.get(reverse("stocktakes:list")).status_code == 403


def test_the_locked_out_page_says_other_places_are_not_affected(client, person):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "priya", "wrong")
    assert response.status_code == 429
    assert "Signing in from anywhere else is not affected" in response.content.decode()
