"""What a person holds in the register: priorities they lead or analyse, those they enter data
for as service staff, and those in a cabinet member's portfolio (see
``delivery_unit.holdings``). Completed and dropped priorities keep them as a record."""

from collections.abc import Callable
from typing import cast

from delivery_unit.holdings import Holding, reassign, register_holding, swap_member
from delivery_unit.models import Role
from priorities.models import Priority

CURRENT = [Priority.Status.ACTIVE, Priority.Status.PAUSED]


# A Holding gives its url only the items its held_by gave: priorities.
_url = cast(Callable[[object], str], Priority.get_absolute_url)


def _current():
    return Priority.objects.filter(status__in=CURRENT).order_by("title")


def register() -> None:
    register_holding(
        Holding(
            key="priority_lead",
            label="Priorities they lead",
            title="Lead of {item}",
            held_by=lambda person: _current().filter(lead=person),
            give=reassign("lead"),
            fields=(("priorities", "priority", "lead"),),
            roles=frozenset({Role.PRIORITY_LEAD}),
            url=_url,
        )
    )
    register_holding(
        Holding(
            key="priority_analyst",
            label="Priorities they analyse",
            title="Unit analyst of {item}",
            held_by=lambda person: _current().filter(analyst=person),
            give=reassign("analyst"),
            fields=(("priorities", "priority", "analyst"),),
            roles=frozenset({Role.UNIT_STAFF}),
            url=_url,
        )
    )
    register_holding(
        Holding(
            key="priority_service_staff",
            label="Priorities they enter data for",
            title="Service staff on {item}",
            held_by=lambda person: _current().filter(service_staff=person),
            give=swap_member("service_staff"),
            fields=(("priorities", "priority", "service_staff"),),
            roles=frozenset({Role.SERVICE_STAFF, Role.PRIORITY_LEAD}),
            url=_url,
        )
    )
    register_holding(
        Holding(
            key="portfolio",
            label="Priorities in their portfolio",
            title="Cabinet member for {item}",
            held_by=lambda person: _current().filter(portfolio_holder=person),
            give=reassign("portfolio_holder"),
            fields=(("priorities", "priority", "portfolio_holder"),),
            roles=frozenset({Role.CABINET_MEMBER}),
            url=_url,
        )
    )
