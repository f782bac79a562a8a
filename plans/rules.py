"""Who may see and change delivery plans and their assessment.

Decisions recorded here:
- Everyone signed in reads every plan: leads learn from how other priorities are planned.
- A plan is written by the priority's lead and the service staff added to it (by the lead or
  the unit); unit staff comment, assess, return and approve, but do not write the services'
  plans for them. Only a draft can change. The lead submits (the plan is theirs to answer for);
  unit staff assess, moderate, return or approve.
- The unit's assessment is its own until it decides: then the lead and writers see it beside
  each section. Leadership and administrators read everything.
"""

import rules

from delivery_unit.rules import (
    add_listed_perm,
    is_administrator,
    is_leadership,
    is_unit_staff,
    signed_in,
)
from plans.models import DeliveryPlan, PlanVersion

Status = PlanVersion.Status


def _plan(obj: DeliveryPlan | PlanVersion | None) -> DeliveryPlan | None:
    """The delivery plan of a plan or of one of its versions."""
    return obj.plan if isinstance(obj, PlanVersion) else obj


@rules.predicate
def leads_plan_priority(user, obj) -> bool:
    plan = _plan(obj)
    return plan is not None and plan.priority.lead_id == user.pk


@rules.predicate
def writes_plan(user, obj) -> bool:
    """Added to the plan as one of its writers (service staff)."""
    plan = _plan(obj)
    if plan is None or plan.pk is None:
        return False
    return any(u.pk == user.pk for u in plan.writers.all())


@rules.predicate
def is_draft(user, version) -> bool:
    return version is not None and version.status == Status.DRAFT


@rules.predicate
def awaits_assessment(user, version) -> bool:
    return version is not None and version.status in (Status.SUBMITTED, Status.ASSESSED)


@rules.predicate
def is_assessed(user, version) -> bool:
    return version is not None and version.status == Status.ASSESSED


@rules.predicate
def is_decided(user, version) -> bool:
    return version is not None and version.status in (Status.RETURNED, Status.APPROVED)


plan_writer = leads_plan_priority | writes_plan

add_listed_perm("plans.view_deliveryplan", signed_in)
# Starting the plan, or its next draft after a decision.
rules.add_perm("plans.change_deliveryplan", signed_in & plan_writer)
rules.add_perm("plans.manage_writers", signed_in & (is_unit_staff | leads_plan_priority))
rules.add_perm("plans.change_planversion", signed_in & plan_writer & is_draft)
rules.add_perm("plans.comment_planversion", signed_in & (is_unit_staff | plan_writer) & is_draft)
rules.add_perm("plans.submit_planversion", signed_in & leads_plan_priority & is_draft)
rules.add_perm("plans.assess_planversion", signed_in & is_unit_staff & awaits_assessment)
rules.add_perm("plans.decide_planversion", signed_in & is_unit_staff & is_assessed)
rules.add_perm("plans.moderate_plans", signed_in & is_unit_staff)
rules.add_perm(
    "plans.view_assessment",
    signed_in & (is_unit_staff | is_leadership | is_administrator | is_decided),
)
