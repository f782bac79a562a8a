"""The access matrix: every named URL, every role, what each gets.

A URL pattern that is not declared here fails `test_every_named_url_is_declared`, so a new page
cannot ship without someone deciding who may use it. Objects a role may not see answer 404; pages
or objects it may see but not change answer 403; a refused POST changes nothing.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from plans.models import DeliveryPlan
from priorities.models import Rating
from stocktakes.models import Stocktake

ROLES = ["anonymous", "unit_staff", "own_lead", "other_lead", "leadership", "administrator"]
SIGNED_IN = ROLES[1:]

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@dataclass
class Entry:
    name: str
    method: str
    expect: dict[str, int]
    kwargs: str = ""  # "priority", "stocktake" or "" for no arguments
    data: dict = field(default_factory=dict)


def everyone(status: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    return {"anonymous": anonymous} | dict.fromkeys(SIGNED_IN, status) | overrides


RATING = {"likelihood": "green", "rationale": "On trajectory.", "based_on": ""}

MATRIX = [
    Entry("home", "GET", everyone(200)),
    Entry("health", "GET", everyone(200, anonymous=200)),
    Entry("login", "GET", everyone(302, anonymous=200)),
    Entry("logout", "POST", everyone(302)),
    Entry("priorities:register", "GET", everyone(200)),
    Entry("priorities:detail", "GET", everyone(200), "priority"),
    Entry("priorities:detail", "GET", everyone(404), "missing_priority"),
    Entry("priorities:rate", "GET", everyone(405), "priority"),
    Entry("priorities:rate", "POST", everyone(403, unit_staff=302), "priority", RATING),
    Entry("priorities:rate", "POST", everyone(404), "missing_priority", RATING),
    Entry("plans:detail", "GET", everyone(200), "priority"),
    Entry("plans:detail", "GET", everyone(404), "missing_priority"),
    Entry("plans:edit", "GET", everyone(403, unit_staff=200, own_lead=200), "priority"),
    Entry(
        "plans:edit",
        "POST",
        everyone(403, unit_staff=302, own_lead=302),
        "priority",
        {"body": "A new plan.", "version": "1"},
    ),
    Entry("stocktakes:list", "GET", everyone(200, own_lead=403, other_lead=403)),
    Entry("stocktakes:create", "GET", everyone(403, unit_staff=200)),
    Entry(
        "stocktakes:create",
        "POST",
        everyone(403, unit_staff=302),
        data={"title": "Next", "date_0": "1", "date_1": "3", "date_2": "2027", "priorities": []},
    ),
    Entry("stocktakes:detail", "GET", everyone(200, own_lead=404, other_lead=404), "stocktake"),
    Entry("stocktakes:detail", "GET", everyone(404), "missing_stocktake"),
    Entry("stocktakes:pack", "GET", everyone(200, own_lead=404, other_lead=404), "stocktake"),
]


def _named_urls(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"Every route is named; {pattern.pattern} is not."
            names.add(namespace + pattern.name)
    return names


def test_every_named_url_is_declared():
    declared = {entry.name for entry in MATRIX}
    undeclared = _named_urls(get_resolver()) - declared
    assert not undeclared, f"Declare these URLs in the access matrix: {sorted(undeclared)}"


def _data_counts() -> tuple[int, int, int, str]:
    plan = DeliveryPlan.objects.get(priority__slug="temporary-accommodation")
    return (
        Rating.objects.count(),
        DeliveryPlan.history.count(),
        Stocktake.objects.count(),
        plan.body,
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
    priority_lead,
    other_lead,
    leadership,
    administrator,
    stocktake,
):
    users = {
        "anonymous": None,
        "unit_staff": unit_staff,
        "own_lead": priority_lead,
        "other_lead": other_lead,
        "leadership": leadership,
        "administrator": administrator,
    }
    kwargs = {
        "": {},
        "priority": {"slug": "temporary-accommodation"},
        "missing_priority": {"slug": "no-such-priority"},
        "stocktake": {"pk": stocktake.pk},
        "missing_stocktake": {"pk": stocktake.pk + 1000},
    }[entry.kwargs]
    data = dict(entry.data)
    if entry.name == "stocktakes:create":
        data["priorities"] = [p.pk for p in stocktake.priorities.all()]
    if entry.name == "priorities:rate":
        data["based_on"] = Rating.objects.latest("rated_at").pk
    url = reverse(entry.name, kwargs=kwargs)
    client = client_for(users[role])
    before = _data_counts()

    response = client.get(url) if entry.method == "GET" else client.post(url, data)

    expected = entry.expect[role]
    assert response.status_code == expected, (
        f"{role} {entry.method} {url}: got {response.status_code}, expected {expected}"
    )
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith(reverse("login"))
    if expected >= 400 and entry.method == "POST":
        assert _data_counts() == before, "A refused POST must change nothing."
    assert response.headers.get("Content-Security-Policy") == EXPECTED_CSP
