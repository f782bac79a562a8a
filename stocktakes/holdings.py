"""What a person holds in stocktakes (see ``delivery_unit.holdings``): the open actions they
own, and the stocktakes still to be held that they chair, attend or answer an item at. Held
stocktakes keep who was there as their record."""

from typing import cast

from delivery_unit.holdings import Holding, reassign, register_holding, swap_member
from delivery_unit.models import Role
from stocktakes.models import Action, AgendaItem, Stocktake

COMING = [Stocktake.Status.PLANNING, Stocktake.Status.PACK_ISSUED]


# A holding's ``url`` and ``describe`` take any item; each here is given its own kind.
def _stocktake_url(stocktake: object) -> str:
    return cast(Stocktake, stocktake).get_absolute_url()


def _describe_action(item: object) -> str:
    action = cast(Action, item)
    return f"{action.description[:100]} ({action.stocktake.title})"


def _describe_agenda_item(agenda_item: object) -> str:
    item = cast(AgendaItem, agenda_item)
    return f"{item.priority or item.topic} ({item.stocktake.title})"


def register() -> None:
    register_holding(
        Holding(
            key="action_owner",
            label="Stocktake actions they own",
            title="Owner of the action {item}",
            held_by=lambda person: (
                Action.objects.open()
                .filter(owner=person)
                .select_related("stocktake")
                .order_by("due_date", "pk")
            ),
            give=reassign("owner"),
            fields=(("stocktakes", "action", "owner"),),
            may_be_empty=False,
            describe=_describe_action,
        )
    )
    register_holding(
        Holding(
            key="stocktake_chair",
            label="Stocktakes they chair",
            title="Chair of {item}",
            held_by=lambda person: Stocktake.objects.filter(
                chairs=person, status__in=COMING
            ).order_by("date"),
            give=swap_member("chairs"),
            fields=(("stocktakes", "stocktake", "chairs"),),
            roles=frozenset({Role.LEADERSHIP}),
            url=_stocktake_url,
        )
    )
    register_holding(
        Holding(
            key="stocktake_attendee",
            label="Stocktakes they are to attend",
            title="Attending {item}",
            held_by=lambda person: Stocktake.objects.filter(
                attendees=person, status__in=COMING
            ).order_by("date"),
            give=swap_member("attendees"),
            fields=(("stocktakes", "stocktake", "attendees"),),
            url=_stocktake_url,
        )
    )
    register_holding(
        Holding(
            key="agenda_lead",
            label="Stocktake agenda items they answer for",
            title="Attending for the agenda item {item}",
            held_by=lambda person: (
                AgendaItem.objects.filter(lead_attending=person, stocktake__status__in=COMING)
                .select_related("stocktake", "priority")
                .order_by("stocktake__date", "position")
            ),
            give=reassign("lead_attending"),
            fields=(("stocktakes", "agendaitem", "lead_attending"),),
            describe=_describe_agenda_item,
        )
    )
