"""Plan tags: statuses in words (colour only reinforces them), and the plan summary that the
priority page shows without the priorities app importing plans."""

from datetime import timedelta

from django import template
from django.utils import timezone

from plans.models import Milestone, PlanVersion, Risk

register = template.Library()

STATUS_TONES = {
    "draft": "grey",
    "submitted": "blue",
    "assessed": "purple",
    "returned": "orange",
    "approved": "green",
}
MILESTONE_TONES = {
    "not_started": "grey",
    "on_track": "green",
    "at_risk": "yellow",
    "missed": "red",
    "done": "blue",
}


@register.inclusion_tag("plans/_tag.html")
def plan_status(version: PlanVersion) -> dict:
    return {"label": version.get_status_display(), "tone": STATUS_TONES[version.status]}


@register.inclusion_tag("plans/_tag.html")
def milestone_status(milestone: Milestone) -> dict:
    return {"label": milestone.get_status_display(), "tone": MILESTONE_TONES[milestone.status]}


def next_milestone(context, priority) -> dict:
    """For the priority page's opening summary: the milestone of the priority's current plan
    that is due soonest and not done (an overdue one first). One query."""
    milestone = (
        Milestone.objects.current()
        .for_priority(priority)
        .not_done()
        .select_related("owner")
        .order_by("due", "pk")
        .first()
    )
    return {"milestone": milestone}


@register.inclusion_tag("plans/_plan_summary.html", takes_context=True)
def plan_summary(context, priority) -> dict:
    """For the priority page: the approved plan, the draft in progress, milestones due in the
    next 30 days and overdue, and the top risks. Four queries, whatever the plan's size."""
    today = timezone.localdate()
    versions = list(
        PlanVersion.objects.filter(plan__priority=priority)
        .select_related("decided_by", "submitted_by", "plan__priority")
        .order_by("-number")
    )
    approved = next((v for v in versions if v.status == PlanVersion.Status.APPROVED), None)
    in_progress = next((v for v in versions if v.is_open), None)
    milestones = list(
        Milestone.objects.current()
        .for_priority(priority)
        .not_done()
        .filter(due__lte=today + timedelta(days=30))
        .select_related("owner")
        .order_by("due", "pk")
    )
    return {
        "priority": priority,
        "approved": approved,
        "in_progress": in_progress,
        "overdue": [m for m in milestones if m.due < today],
        "due_soon": [m for m in milestones if m.due >= today],
        "risks": Risk.objects.current().for_priority(priority).top(3),
        "today": today,
    }
