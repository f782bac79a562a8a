"""The access matrix for the forward look: every named URL of ``forward_look:``, every role, what
each gets. Everyone signed in sees the calendar (with the events they may see) and keeps a feed
of their own; replacing or stopping a feed they do not have answers 404. The feed's address opens
without signing in, for anyone holding its token, and answers 404 to a wrong or stopped token.
A refused POST changes nothing.

A forward_look URL that is not declared here fails `test_every_forward_look_url_is_declared`.
"""

from dataclasses import dataclass

import pytest
from django.urls import get_resolver, reverse

from forward_look.models import CalendarFeed
from tests.test_access_matrix import EXPECTED_CSP, _named_urls

ROLES = [
    "anonymous",
    "unit_staff",
    "unit_leader",
    "own_lead",
    "other_lead",
    "leadership",
    "administrator",
]
SIGNED_IN = ROLES[1:]


@dataclass
class Entry:
    name: str
    method: str
    expect: dict[str, int]
    # "feed" (the own lead's live feed and its token), "wrong_token", "stopped" (a revoked
    # feed's own token), or "" for none.
    kwargs: str = ""
    # "has_feed": the requesting person has a live feed before the request.
    setup: str = ""


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous} | dict.fromkeys(SIGNED_IN, status)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


MATRIX = [
    Entry("forward_look:calendar", "GET", signed_in(200)),
    Entry("forward_look:calendar", "POST", signed_in(405)),
    Entry("forward_look:feed_page", "GET", signed_in(200)),
    Entry("forward_look:feed_page", "GET", signed_in(200), setup="has_feed"),
    Entry("forward_look:feed_page", "POST", signed_in(405)),
    Entry("forward_look:feed_create", "GET", signed_in(405)),
    Entry("forward_look:feed_create", "POST", signed_in(302)),
    Entry("forward_look:feed_replace", "GET", signed_in(404)),
    Entry("forward_look:feed_replace", "GET", signed_in(200), setup="has_feed"),
    Entry("forward_look:feed_replace", "POST", signed_in(404)),
    Entry("forward_look:feed_replace", "POST", signed_in(302), setup="has_feed"),
    Entry("forward_look:feed_revoke", "GET", signed_in(404)),
    Entry("forward_look:feed_revoke", "GET", signed_in(200), setup="has_feed"),
    Entry("forward_look:feed_revoke", "POST", signed_in(404)),
    Entry("forward_look:feed_revoke", "POST", signed_in(302), setup="has_feed"),
    # The token is the key: whoever holds it reads the feed, signed in or not.
    Entry("forward_look:feed", "GET", everyone(200), "feed"),
    Entry("forward_look:feed", "GET", everyone(404), "wrong_token"),
    Entry("forward_look:feed", "GET", everyone(404), "stopped"),
    Entry("forward_look:feed", "POST", everyone(405), "feed"),
]


def test_every_forward_look_url_is_declared():
    declared = {entry.name for entry in MATRIX}
    names = {name for name in _named_urls(get_resolver()) if name.startswith("forward_look:")}
    assert names - declared == set(), f"Declare these URLs: {sorted(names - declared)}"


def _state() -> list:
    return list(CalendarFeed.objects.order_by("pk").values_list("pk", "person", "revoked_at"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "entry",
    MATRIX,
    ids=[f"{e.method} {e.name} {e.kwargs} {e.setup}".strip() for e in MATRIX],
)
def test_access_matrix(
    entry,
    role,
    client_for,
    unit_staff,
    unit_leader,
    priority_lead,
    other_lead,
    priority,
    other_priority,
    leadership,
    administrator,
):
    users = {
        "anonymous": None,
        "unit_staff": unit_staff,
        "unit_leader": unit_leader,
        "own_lead": priority_lead,
        "other_lead": other_lead,
        "leadership": leadership,
        "administrator": administrator,
    }
    user = users[role]
    if entry.setup == "has_feed" and user is not None:
        CalendarFeed.issue(user)
    kwargs: dict = {}
    if entry.kwargs:
        feed = CalendarFeed.issue(priority_lead)
        kwargs = {"pk": feed.pk, "token": feed.token}
        if entry.kwargs == "wrong_token":
            kwargs["token"] = "f" * 64
        elif entry.kwargs == "stopped":
            CalendarFeed.revoke_for(priority_lead)
    client = client_for(user)
    before = _state()

    url = reverse(entry.name, kwargs=kwargs)
    response = client.get(url) if entry.method == "GET" else client.post(url)

    expected = entry.expect[role]
    assert response.status_code == expected, (
        f"{role} {entry.method} {url}: got {response.status_code}, expected {expected}"
    )
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if entry.method == "POST" and (expected != 302 or role == "anonymous"):
        assert _state() == before, f"{role} {entry.method} {url} changed data"
    elif entry.method == "POST":
        assert _state() != before
        # A person's POST acts on their own feed alone.
        changed = {row for row in _state() if row not in before} | {
            row for row in before if row not in _state()
        }
        assert {person for _, person, _ in changed} == {user.pk}
