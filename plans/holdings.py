"""What a person holds in delivery plans (see ``delivery_unit.holdings``): the plans they write,
and the milestones and risks they own in each plan's newest version.

A milestone's owner is who answers for it now, so the hand-over changes it in the newest
version whatever its status, even a submitted or approved one; the milestone's history keeps
who owned it before, and older versions stay as they were. A risk's owner is written as text:
a risk is the person's when it names them by their full name."""

from typing import cast

from delivery_unit.holdings import Holding, reassign, register_holding, swap_member
from delivery_unit.models import Role
from plans.models import DeliveryPlan, Milestone, Risk


def _risks_of(person):
    name = person.get_full_name().strip()
    if not name:
        return Risk.objects.none()
    return (
        Risk.objects.current()
        .open()
        .filter(owner__iexact=name)
        .select_related("plan_version__plan__priority")
        .order_by("pk")
    )


def _give_risk(risk, *, person, successor, by) -> None:
    current = Risk.objects.select_for_update().only("version").get(pk=risk.pk)
    risk.owner = (successor.get_full_name() or str(successor)) if successor else ""
    risk.version = current.version + 1
    risk._history_user = by
    risk._change_reason = f"Handed over from {person}"
    risk.save(update_fields=["owner", "version"])


# A holding's ``url`` and ``describe`` take any item; each here is given its own kind.
def _plan_url(plan: object) -> str:
    return cast(DeliveryPlan, plan).get_absolute_url()


def _describe_plan(plan: object) -> str:
    return cast(DeliveryPlan, plan).priority.title


def _describe_milestone(item: object) -> str:
    milestone = cast(Milestone, item)
    return f"{milestone.title} ({milestone.plan_version.plan.priority.title})"


def _describe_risk(item: object) -> str:
    risk = cast(Risk, item)
    return f"{risk.description[:100]} ({risk.plan_version.plan.priority})"


def register() -> None:
    register_holding(
        Holding(
            key="plan_writer",
            label="Delivery plans they write",
            title="Writer of the delivery plan for {item}",
            held_by=lambda person: (
                DeliveryPlan.objects.filter(writers=person)
                .select_related("priority")
                .order_by("priority__title")
            ),
            give=swap_member("writers"),
            fields=(("plans", "deliveryplan", "writers"),),
            roles=frozenset({Role.SERVICE_STAFF, Role.PRIORITY_LEAD}),
            url=_plan_url,
            describe=_describe_plan,
        )
    )
    register_holding(
        Holding(
            key="milestone_owner",
            label="Milestones they own",
            title="Owner of the milestone {item}",
            held_by=lambda person: (
                Milestone.objects.current()
                .not_done()
                .filter(owner=person)
                .select_related("plan_version__plan__priority")
                .order_by("due", "pk")
            ),
            give=reassign("owner"),
            fields=(("plans", "milestone", "owner"),),
            describe=_describe_milestone,
        )
    )
    register_holding(
        Holding(
            key="risk_owner",
            label="Risks they own",
            title="Owner of the risk {item}",
            held_by=_risks_of,
            give=_give_risk,
            fields=(),
            describe=_describe_risk,
        )
    )
