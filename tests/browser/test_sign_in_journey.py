"""Signing in, in Chromium: through the council's sign-in service (a real OpenID Connect
provider on loopback, tests/oidc.py) and its refusals; and, with single sign-on off, changing
and resetting a password. axe-core and the Content Security Policy on each of this service's
pages."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from playwright.sync_api import Page, expect

from delivery_unit.models import User
from tests.browser.accessibility import assert_accessible
from tests.oidc import OTHER_TENANT, TENANT, claims, enable_sso, start_provider

pytestmark = pytest.mark.browser

PASSWORD = "delivery-demo"


@pytest.fixture
def provider(live_server, settings, demo):
    provider = start_provider((f"{live_server.url}/sign-in/sso/callback/",))
    enable_sso(settings, provider)
    return provider


def through_the_council(page: Page, account: str) -> None:
    page.goto("/sign-in/")
    expect(page).to_have_title(re.compile(r"^Sign in"))
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with your council account").click()
    expect(page).to_have_title("Test sign-in service")
    page.get_by_label("Account").fill(account)
    page.get_by_role("button", name="Sign in to the test service").click()


def test_a_lead_signs_in_through_the_council_and_out_again(page, live_server, provider):
    provider.configure({"helen": claims("oid-helen", "lead@example.org")})

    through_the_council(page, "helen")

    expect(page).to_have_url(f"{live_server.url}/")
    assert_accessible(page)
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Priorities", exact=True)).to_be_visible()
    # Her password is her council account's: there is none to change here.
    expect(navigation.get_by_role("link", name="Change password")).to_have_count(0)
    assert User.objects.get(username="lead").oidc_subject == "oid-helen"

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_title(re.compile(r"^Sign in"))
    assert not [s for s in Session.objects.all() if "_auth_user_id" in s.get_decoded()]


@pytest.mark.parametrize(
    ("setup", "title"),
    [
        ({"tenant": OTHER_TENANT}, "Your account belongs to another organisation"),
        ({"audience": "another-service"}, "Your sign-in was meant for another service"),
        ({"expired": True}, "Your sign-in has expired"),
        ({"email": "nobody@example.org"}, "You do not have an account for this service"),
    ],
)
def test_each_refusal_has_its_own_page_and_signs_nobody_in(
    page, live_server, provider, setup, title
):
    account = claims(
        "oid-helen",
        setup.get("email", "lead@example.org"),
        tenant=setup.get("tenant", TENANT),
    )
    provider.configure(
        {"helen": account},
        audience=setup.get("audience"),
        expired=setup.get("expired", False),
    )

    through_the_council(page, "helen")

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page).to_have_title(re.compile(f"^{re.escape(title)}"))
    assert_accessible(page)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.get_by_role("link", name="Go to the sign-in page").click()
    expect(page).to_have_title(re.compile(r"^Sign in"))
    assert User.objects.get(username="lead").oidc_subject == ""


def test_a_replayed_sign_in_is_refused(page, live_server, provider):
    provider.configure({"helen": claims("oid-helen", "lead@example.org")})
    callbacks = []
    page.on(
        "request",
        lambda request: callbacks.append(request.url) if "/sso/callback/" in request.url else None,
    )
    through_the_council(page, "helen")
    expect(page).to_have_url(f"{live_server.url}/")
    page.get_by_role("button", name="Sign out").click()

    page.goto(callbacks[0])

    expect(page.get_by_role("heading", level=1)).to_have_text("This sign-in has already been used")
    assert_accessible(page)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_an_analyst_changes_their_password(page, live_server):
    page.goto("/sign-in/")
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("at least 12 characters")
    expect(page).to_have_title(re.compile(r"^Error: Change your password"))
    assert_accessible(page)

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("violet kettle harbour 42")
    page.get_by_label("Confirm new password").fill("violet kettle harbour 42")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page)
    assert User.objects.get(username="analyst").check_password("violet kettle harbour 42")


def test_the_password_reset_pages(page, live_server):
    page.goto("/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)

    page.get_by_role("button", name="Send a link to reset my password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    assert_accessible(page)

    page.get_by_label("Email address").fill("analyst@example.org")
    page.get_by_role("button", name="Send a link to reset my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    link = re.search(r"https?://\S+/sign-in/reset/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("violet kettle harbour 42")
    page.get_by_label("Confirm new password").fill("violet kettle harbour 42")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page)
    assert User.objects.get(username="analyst").check_password("violet kettle harbour 42")

    page.goto("/sign-in/reset/MQ/not-a-token/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    assert_accessible(page)
