"""Email about plans, through Django's email framework (the console in development): to the unit
when a plan is submitted, to the lead and writers when it is returned or approved, and to a
milestone's owner a week before it is due. Sent once the transaction has committed, so that
nobody hears of a change that was rolled back."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from delivery_unit.models import Role, User
from plans.models import PlanVersion


def _send(template: str, subject: str, recipients: list[str], context: dict) -> None:
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    body = render_to_string(template, context | {"site_url": settings.SITE_URL})
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=False))


def plan_submitted(version: PlanVersion) -> None:
    unit = User.objects.filter(role=Role.UNIT_STAFF, is_active=True).values_list("email", flat=True)
    priority = version.plan.priority
    _send(
        "plans/email/submitted.txt",
        f"Delivery plan submitted: {priority}",
        list(unit),
        {"version": version, "priority": priority},
    )


def plan_decided(version: PlanVersion) -> None:
    plan = version.plan
    people = [plan.priority.lead, *plan.writers.all()]
    verb = "approved" if version.status == PlanVersion.Status.APPROVED else "returned"
    _send(
        "plans/email/decided.txt",
        f"Delivery plan {verb}: {plan.priority}",
        [person.email for person in people if person is not None],
        {"version": version, "priority": plan.priority, "verb": verb},
    )
