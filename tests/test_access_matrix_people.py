"""The access matrix for the people pages: every named URL of ``people:``, every role, what each
gets. Only administrators manage people; to everyone else the list and the add page answer 403
and a person's pages 404. Nobody deactivates themselves (403). A refused POST changes nothing.

A people URL that is not declared here fails `test_every_people_url_is_declared`.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import get_resolver, reverse

from delivery_unit.models import HandedOver, User
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
    # "person" (another lead, who leads a priority), "unit_person" (an analyst), "self" (the
    # administrator), "leaver" (deactivated), "missing", or "" for none.
    kwargs: str = ""
    data: dict = field(default_factory=dict)


def admin_only(status: int, others: int = 404, **overrides: int) -> dict[str, int]:
    return (
        {"anonymous": 302}
        | dict.fromkeys(SIGNED_IN, others)
        | {"administrator": status}
        | overrides
    )


PERSON = {
    "first_name": "Jordan",
    "last_name": "Reid",
    "email": "jordan.reid@example.org",
    "job_title": "Manager",
    "role": "priority_lead",
}
HAND_OVER = {"to_priority_lead": "{successor}", "confirm": "yes"}

MATRIX = [
    Entry("people:list", "GET", admin_only(200, 403)),
    Entry("people:add", "GET", admin_only(200, 403)),
    Entry("people:add", "POST", admin_only(302, 403), data=PERSON),
    Entry("people:detail", "GET", admin_only(200), "person"),
    Entry("people:detail", "GET", admin_only(200), "self"),
    Entry("people:detail", "GET", admin_only(404), "missing"),
    Entry("people:detail", "POST", admin_only(405, 405), "person"),
    Entry("people:edit", "GET", admin_only(200), "person"),
    Entry("people:edit", "GET", admin_only(404), "missing"),
    Entry("people:edit", "POST", admin_only(302), "person", PERSON),
    Entry("people:unit_leader", "GET", admin_only(200), "unit_person"),
    Entry("people:unit_leader", "POST", admin_only(302), "unit_person"),
    # Only unit staff can be the Unit Leader.
    Entry("people:unit_leader", "POST", admin_only(409), "person"),
    Entry("people:deactivate", "GET", admin_only(200), "person"),
    Entry("people:deactivate", "POST", admin_only(302), "person"),
    Entry("people:deactivate", "GET", admin_only(403), "self"),
    Entry("people:deactivate", "POST", admin_only(403), "self"),
    Entry("people:deactivate", "POST", admin_only(404), "missing"),
    Entry("people:reactivate", "GET", admin_only(405, 405), "person"),
    # The deactivated person's own session no longer signs them in.
    Entry("people:reactivate", "POST", admin_only(302, other_lead=302), "leaver"),
    Entry("people:reactivate", "POST", admin_only(403), "self"),
    Entry("people:hand_over", "GET", admin_only(200), "person"),
    Entry("people:hand_over", "GET", admin_only(404), "missing"),
    Entry("people:hand_over", "POST", admin_only(302), "person", HAND_OVER),
]


def test_every_people_url_is_declared():
    declared = {entry.name for entry in MATRIX}
    names = {name for name in _named_urls(get_resolver()) if name.startswith("people:")}
    assert names - declared == set(), f"Declare these URLs: {sorted(names - declared)}"


def _state() -> tuple:
    return (
        HandedOver.objects.count(),
        User.history.count(),
        list(
            User.objects.order_by("pk").values_list(
                "pk", "role", "is_active", "is_unit_leader", "email", "first_name"
            )
        ),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "entry", MATRIX, ids=[f"{e.method} {e.name} {e.kwargs}".strip() for e in MATRIX]
)
def test_access_matrix(
    entry,
    role,
    client_for,
    unit_staff,
    unit_leader,
    priority_lead,
    other_lead,
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
    kwargs = {
        "": {},
        "person": {"pk": other_lead.pk},
        "unit_person": {"pk": unit_staff.pk},
        "self": {"pk": administrator.pk},
        "missing": {"pk": 0},
        "leaver": {"pk": other_lead.pk},
    }[entry.kwargs]
    if entry.kwargs == "leaver":
        User.objects.filter(pk=other_lead.pk).update(is_active=False)
    data = {key: value.format(successor=priority_lead.pk) for key, value in entry.data.items()}
    client = client_for(users[role])
    before = _state()

    url = reverse(entry.name, kwargs=kwargs)
    response = client.get(url) if entry.method == "GET" else client.post(url, data)

    expected = entry.expect[role]
    assert response.status_code == expected, (
        f"{role} {entry.method} {url}: got {response.status_code}, expected {expected}"
    )
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    if role == "anonymous" or (role == "other_lead" and entry.kwargs == "leaver"):
        assert response["Location"].startswith(reverse("login"))
    if entry.method == "POST" and (expected >= 400 or role != "administrator"):
        assert _state() == before, f"{role} {entry.method} {url} changed data"
    elif entry.method == "POST" and role == "administrator" and expected == 302:
        assert _state() != before
