"""Single sign-on against a real OpenID Connect provider on loopback (tests/oidc.py): the code
flow with PKCE, the person linked by the provider's immutable id, and each refusal with its own
page and no session."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from delivery_unit.models import Role, User
from tests.oidc import OTHER_TENANT, claims, enable_sso, start_provider, through_provider

PASSWORD = "a-long-break-glass-password"


@pytest.fixture
def provider():
    return start_provider(("http://testserver/sign-in/sso/callback/",))


@pytest.fixture
def sso(db, settings, provider):
    enable_sso(settings, provider)
    return provider


@pytest.fixture
def helen(db) -> User:
    return User.objects.create(
        username="lead", email="helen.murray@council.example", role=Role.PRIORITY_LEAD
    )


def signed_in_as(client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_sign_in_asks_for_a_code_with_pkce(client, sso):
    response = client.get(reverse("oidc_start"))
    query = parse_qs(urlsplit(response["Location"]).query)
    assert response["Location"].startswith(f"{sso.issuer}/auth?")
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["state"] and query["nonce"]


def test_first_sign_in_links_the_person_by_email_then_by_object_id(client, sso, helen):
    sso.configure({"helen": claims("oid-helen", "Helen.Murray@council.example")})

    response = client.get(through_provider(client, "helen"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == str(helen.pk)
    helen.refresh_from_db()
    assert helen.oidc_subject == "oid-helen"
    assert client.get(reverse("home")).status_code == 200

    # Her email address changes at the council: she is still found, by her object id.
    sso.configure({"helen": claims("oid-helen", "h.murray@council.example")})
    client.post(reverse("logout"))
    client.get(through_provider(client, "helen"))
    assert signed_in_as(client) == str(helen.pk)


def test_an_email_address_alone_does_not_reach_a_linked_person(client, sso, helen):
    helen.oidc_subject = "oid-helen"
    helen.save()
    # Someone else now holds her old address (or a guest account claims it).
    sso.configure({"other": claims("oid-someone-else", helen.email)})

    response = client.get(through_provider(client, "other"))

    assert response.status_code == 403
    assert "You do not have an account for this service" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_person_with_no_account_is_refused_and_none_is_made(client, sso, helen):
    sso.configure({"stranger": claims("oid-stranger", "stranger@council.example")})

    response = client.get(through_provider(client, "stranger"))

    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>You do not have an account for this service" in html
    assert "Ask the system administrator to add you" in html
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="stranger@council.example").exists()


def test_accounts_are_made_from_a_sign_in_only_when_the_council_says_so(client, sso, settings):
    settings.OIDC_CREATE_USERS = True
    sso.configure({"new": claims("oid-new", "new.starter@council.example", given_name="Nia")})

    client.get(through_provider(client, "new"))

    user = User.objects.get(oidc_subject="oid-new")
    assert signed_in_as(client) == str(user.pk)
    assert (user.email, user.first_name, user.has_usable_password(), user.role) == (
        "new.starter@council.example",
        "Nia",
        False,
        Role.SERVICE_STAFF,
    )


def test_a_token_from_another_tenant_is_refused(client, sso, helen):
    sso.configure({"helen": claims("oid-helen", helen.email, tenant=OTHER_TENANT)})

    response = client.get(through_provider(client, "helen"))

    assert response.status_code == 403
    assert "Your account belongs to another organisation" in response.content.decode()
    assert signed_in_as(client) is None
    helen.refresh_from_db()
    assert helen.oidc_subject == ""


def test_a_token_for_another_audience_is_refused(client, sso, helen):
    sso.configure({"helen": claims("oid-helen", helen.email)}, audience="another-service")

    response = client.get(through_provider(client, "helen"))

    assert response.status_code == 403
    assert "Your sign-in was meant for another service" in response.content.decode()
    assert signed_in_as(client) is None


def test_an_expired_token_is_refused(client, sso, helen):
    sso.configure({"helen": claims("oid-helen", helen.email)}, expired=True)

    response = client.get(through_provider(client, "helen"))

    assert response.status_code == 403
    assert "Your sign-in has expired" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_replayed_callback_is_refused(client, sso, helen, django_user_model):
    from django.test import Client

    sso.configure({"helen": claims("oid-helen", helen.email)})
    callback = through_provider(client, "helen")
    client.get(callback)
    assert signed_in_as(client) == str(helen.pk)

    # The same callback again, in the browser that used it, after signing out...
    client.post(reverse("logout"))
    again = client.get(callback)
    # ...and in another browser that never started a sign-in (a stolen URL).
    elsewhere = Client()
    stolen = elsewhere.get(callback)

    for response, browser in ((again, client), (stolen, elsewhere)):
        assert response.status_code == 400
        assert "This sign-in has already been used" in response.content.decode()
        assert signed_in_as(browser) is None


def test_a_sign_in_the_provider_refused_gets_its_page(client, sso):
    start = client.get(reverse("oidc_start"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    response = client.get(reverse("oidc_callback"), {"error": "access_denied", "state": state})

    assert response.status_code == 403
    assert "did not sign you in" in response.content.decode()
    assert state not in client.session.get("oidc_states", {})


def test_refusal_pages_carry_the_security_headers(client, sso, helen):
    sso.configure({"helen": claims("oid-helen", helen.email, tenant=OTHER_TENANT)})
    response = client.get(through_provider(client, "helen"))
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_with_sso_on_only_break_glass_administrators_sign_in_by_password(
    client, sso, settings, helen
):
    admin = User(username="admin", role=Role.ADMINISTRATOR)
    admin.set_password(PASSWORD)
    admin.save()
    helen.set_password(PASSWORD)
    helen.save()
    settings.BREAK_GLASS_USERS = ["admin"]

    refused = client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
    assert refused.status_code == 200
    assert "Enter a correct user name and password" in refused.content.decode()
    assert signed_in_as(client) is None

    allowed = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    assert allowed.status_code == 302
    assert signed_in_as(client) == str(admin.pk)


def test_the_sign_in_page_offers_the_council_account_first(client, sso):
    html = client.get(reverse("login")).content.decode()
    assert "Sign in with your council account" in html
    assert reverse("oidc_start") in html
    assert "named administrators only" in html
    assert reverse("password_reset") not in html
    assert client.get(reverse("password_reset")).status_code == 404


def test_with_sso_on_people_change_passwords_at_the_council_not_here(client, sso, helen):
    client.force_login(helen, backend="delivery_unit.signin.OIDCBackend")
    assert client.get(reverse("password_change")).status_code == 403
    assert "Change password" not in client.get(reverse("home")).content.decode()
