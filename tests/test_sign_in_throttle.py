"""Failed sign-ins slow an attacker without locking out the person they aim at: a lock per user
name and address, a wider one per address, and the proxy's header believed only from a trusted
proxy."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import reverse

from delivery_unit.models import Role, User
from delivery_unit.throttle import client_address

PASSWORD = "the-chief-executives-password"
ATTACKER = "198.51.100.23"
CHIEF_AT_HOME = "203.0.113.40"


@pytest.fixture(autouse=True)
def quick_hashes(settings):
    # Argon2 by design takes most of a second: forty attempts would take a minute.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chief(db) -> User:
    user = User(username="chief", role=Role.LEADERSHIP)
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(username: str, password: str, **meta) -> tuple[int, bool]:
    """A sign-in from a fresh browser: its status, and whether it made a session."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password}, **meta)
    return response.status_code, SESSION_KEY in client.session


def test_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(chief):
    results = [attempt("chief", "guess", REMOTE_ADDR=ATTACKER) for _ in range(5)]
    # The fifth failure is the one that locks: it is answered with the lock-out page.
    assert results == [(200, False)] * 4 + [(429, False)]

    # From the attacker's address the name is locked, right password included...
    assert attempt("chief", PASSWORD, REMOTE_ADDR=ATTACKER) == (429, False)
    # ...but the Chief Executive, elsewhere, signs in.
    assert attempt("chief", PASSWORD, REMOTE_ADDR=CHIEF_AT_HOME) == (302, True)


def test_a_spray_across_many_names_from_one_address_is_refused(chief, settings):
    assert settings.SIGN_IN_ADDRESS_FAILURE_LIMIT == 20
    names = [f"user{n}" for n in range(9)] + ["chief"]
    statuses = []
    for round_ in range(4):
        for name in names:
            statuses.append(attempt(name, f"Password{round_}!", REMOTE_ADDR=ATTACKER)[0])

    # Four tries a name never reaches the per-name limit: the per-address one stops the spray.
    # The twentieth failure locks the address.
    assert statuses[:19] == [200] * 19
    assert statuses[19:] == [429] * 21
    # The address stays refused, even with a right password; other addresses are untouched.
    assert attempt("chief", PASSWORD, REMOTE_ADDR=ATTACKER) == (429, False)
    assert attempt("chief", PASSWORD, REMOTE_ADDR=CHIEF_AT_HOME) == (302, True)


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(chief, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for _ in range(5):
        attempt("chief", "guess", HTTP_X_FORWARDED_FOR=ATTACKER, **proxy)

    assert attempt("chief", PASSWORD, HTTP_X_FORWARDED_FOR=ATTACKER, **proxy) == (429, False)
    # Everyone comes through the proxy; the owner, at another address, still signs in.
    assert attempt("chief", PASSWORD, HTTP_X_FORWARDED_FOR=CHIEF_AT_HOME, **proxy) == (302, True)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(chief):
    # An attacker varies the header to look like many people: the connection's address counts.
    for n in range(5):
        attempt("chief", "guess", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert attempt("chief", PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=CHIEF_AT_HOME) == (
        429,
        False,
    )


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.5", "203.0.113.40", "203.0.113.40"),
        # What the client wrote to the left of what the proxy saw is not believed.
        ("10.0.0.5", "192.0.2.1, 203.0.113.40", "203.0.113.40"),
        # Two trusted proxies in a row: the first untrusted address from the right.
        ("10.0.0.5", "203.0.113.40, 10.0.0.9", "203.0.113.40"),
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        # Not from a trusted proxy: the header is anybody's.
        ("198.51.100.23", "203.0.113.40", "198.51.100.23"),
    ],
)
def test_client_address(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
