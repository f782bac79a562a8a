"""The access matrix for the unit's rhythm: every named URL of ``rhythm:``, every role, what each
gets. A rhythm URL that is not declared here fails `test_every_rhythm_url_is_declared`.

To declare a page, add an ``Entry`` to ``MATRIX``: its name, method, the status for each role
(``unit_only`` and ``everyone`` build the common ones), the URL's arguments (a key of
``_kwargs``, which a new page may extend), and the form or query data. A refused POST changes
nothing (``_state`` counts what a rhythm page could change; extend it with new models).

- What everyone owes (``rhythm:owed``): unit staff and administrators; 403 to everyone else.
- Email reminders and the weekly digest (``rhythm:reminder_settings``): each signed-in person
  chooses their own; a choice not offered changes nothing.
- Who updates on time (``rhythm:on_time`` and its export): unit staff and administrators; 403
  to everyone else.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import get_resolver, reverse

from delivery_unit.models import User
from rhythm.models import ReminderPreference
from stocktakes.models import Action
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
UNIT = {"unit_staff", "unit_leader", "administrator"}


@dataclass
class Entry:
    name: str
    method: str
    expect: dict[str, int]
    kwargs: str = ""  # a key of _kwargs
    # Form data for a POST, the query string for a GET; "{other_lead}" and "{priority}" are
    # replaced by those objects' ids.
    data: dict = field(default_factory=dict)


def unit_only(status: int, others: int = 403, **overrides: int) -> dict[str, int]:
    """Unit staff and administrators get ``status``; other roles ``others``; anonymous is sent
    to sign in."""
    return (
        {"anonymous": 302}
        | {role: status if role in UNIT else others for role in SIGNED_IN}
        | overrides
    )


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {"anonymous": 302} | dict.fromkeys(SIGNED_IN, status) | overrides


MATRIX = [
    Entry("rhythm:owed", "GET", unit_only(200)),
    Entry("rhythm:owed", "GET", unit_only(200), data={"person": "{other_lead}"}),
    Entry("rhythm:owed", "GET", unit_only(200), data={"priority": "{priority}"}),
    Entry("rhythm:owed", "GET", unit_only(422), data={"person": "nobody"}),
    Entry("rhythm:owed", "POST", everyone(405)),
    # Each person's own choice of email (docs/reminders.md): every signed-in person; a choice
    # not offered is shown again with an error summary and saves nothing.
    Entry("rhythm:reminder_settings", "GET", everyone(200)),
    Entry("rhythm:reminder_settings", "POST", everyone(302), data={"choice": "digest_only"}),
    Entry("rhythm:reminder_settings", "POST", everyone(200), data={"choice": "hourly"}),
    Entry("rhythm:on_time", "GET", unit_only(200)),
    Entry("rhythm:on_time", "GET", unit_only(200), data={"by": "service", "sort": "data_late"}),
    Entry("rhythm:on_time", "GET", unit_only(200), data={"by": "nonsense", "order": "x"}),
    Entry("rhythm:on_time", "POST", everyone(405)),
    Entry("rhythm:on_time_export", "GET", unit_only(200), data={"format": "csv"}),
    Entry("rhythm:on_time_export", "GET", unit_only(200), data={"format": "xlsx", "by": "lead"}),
    Entry("rhythm:on_time_export", "GET", unit_only(404), data={"format": "pdf"}),
    Entry("rhythm:on_time_export", "POST", everyone(405)),
]


def test_every_rhythm_url_is_declared():
    declared = {entry.name for entry in MATRIX}
    names = {name for name in _named_urls(get_resolver()) if name.startswith("rhythm:")}
    assert names - declared == set(), f"Declare these URLs: {sorted(names - declared)}"


def _kwargs(key: str, objects: dict) -> dict:
    return {"": {}}[key]


def _state() -> tuple:
    return (
        User.objects.count(),
        Action.objects.count(),
        Action.history.count(),
        list(ReminderPreference.objects.values_list("person", "choice")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "entry",
    MATRIX,
    ids=[f"{e.method} {e.name} {e.kwargs} {sorted(e.data)}".strip() for e in MATRIX],
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
    objects = {"priority": priority, "other_lead": other_lead}
    data = {
        key: value.format(**{name: obj.pk for name, obj in objects.items()})
        for key, value in entry.data.items()
    }
    client = client_for(users[role])
    before = _state()

    url = reverse(entry.name, kwargs=_kwargs(entry.kwargs, objects))
    response = client.get(url, data) if entry.method == "GET" else client.post(url, data)

    expected = entry.expect[role]
    assert response.status_code == expected, (
        f"{role} {entry.method} {url}: got {response.status_code}, expected {expected}"
    )
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    refused = expected >= 400 or role == "anonymous" or data.get("choice") == "hourly"
    if entry.method == "POST" and refused:
        assert _state() == before, f"{role} {entry.method} {url} changed data"
    if entry.name == "rhythm:reminder_settings" and entry.method == "POST" and not refused:
        assert ReminderPreference.objects.get(person=users[role]).choice == "digest_only"
