"""The demo council's delivery plans, at different stages: approved with a revision in draft,
returned with feedback, submitted, approved, a first draft, and two not started; milestones
(some overdue, some due within the month) and risks. Called by ``load_demo``; a plan that has
versions is left as it is, so loading twice changes nothing."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from plans.models import ChainLink, DeliveryPlan, Intervention, Milestone, PlanVersion, Risk

# By position among the eight demo priorities: what stage its plan has reached.
STAGES = [
    "approved_then_draft",  # Temporary Accommodation: approved, the lead revising it
    "returned",  # Rough sleeping: returned with feedback, a new draft started
    "approved",  # Council tax collection
    "submitted",  # Children's social care: waiting for the unit
    "draft",  # Young people in work or learning: a first draft
    "approved",  # Affordable homes
    None,  # Recycling: not started
    None,  # Special educational needs: not started
]

TEXTS = {
    "aspiration": "{aspiration}\n\nSuccess means residents see the difference: fewer people "
    "waiting, and the figures on the trajectory every month.",
    "leadership": "The **{job}** owns the whole plan and reports to the Chief Executive "
    "monthly. Each intervention has one named owner, listed below.",
    "performance_management": "* Monthly data review with the unit analyst\n"
    "* Weekly case review in the service\n* Off-trajectory figures go to the next stocktake",
    "benchmarking": "Three years of our own data, and the four neighbouring London boroughs "
    "through the London Councils benchmarking club.",
    "resources": "Funded from the service's base budget and the government's grant; the unit "
    "supports with data analysis and the workshop programme.",
    "stakeholders": "Residents through the tenants' panel; partners at the monthly partnership "
    "board; members through the cabinet member's briefing.",
    "trajectory": "The trajectory is steeper in the second year, once the new team is fully "
    "staffed.",
}

CHAIN = [
    ("Cllr Joseph Ahmed", "Leader of the Council", "Sets the ambition and chairs stocktakes."),
    ("Margaret Ellison", "Chief Executive", "Holds the directors to account for delivery."),
    ("{lead}", "{job}", "Owns the plan and the priority's data."),
    ("Service managers", "Heads of service", "Run the interventions day to day."),
    ("Frontline officers", "Caseworkers and officers", "Work with residents, case by case."),
]

INTERVENTIONS = [
    ("A prevention team working with households at risk two months earlier", "Service manager"),
    ("A weekly review of every case past its target date", "Team leaders"),
]


def _at(day: date):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _fill(version: PlanVersion, priority, users: dict, today: date, revision: int) -> None:
    lead = priority.lead
    job = lead.job_title if lead else "priority lead"
    for section in version.sections.all():
        template = TEXTS.get(section.key)
        if template:
            section.text = template.format(aspiration=priority.aspiration, job=job)
            if revision > 1 and section.key == "performance_management":
                section.text += "\n* Quarterly deep dive with the unit on the weakest indicator"
            section.updated_by = lead
            section.updated_at = timezone.now()
            section.save(update_fields=["text", "updated_by", "updated_at"])
    for position, (name, role, does) in enumerate(CHAIN, start=1):
        weak = position == 4
        ChainLink.objects.create(
            plan_version=version,
            position=position,
            name=name.format(lead=lead or "The lead"),
            role=role.format(job=job),
            does=does,
            weak=weak,
            weak_note="Two of five managers are interim; the message has not reached every team."
            if weak
            else "",
        )
    indicator = priority.indicators.order_by("position", "code").first()
    for what, who in INTERVENTIONS:
        Intervention.objects.create(
            plan_version=version, what=what, who=who, when="From April 2026", indicator=indicator
        )
    owner = users["officer"] if priority.slug.startswith("temporary") else lead
    milestones = [
        ("Prevention team fully staffed", -40, "done", today - timedelta(41)),
        ("New case review procedure in place", -12, "at_risk", None),
        ("Partnership board agrees the shared protocol", 7, "on_track", None),
        ("Mid-year review of the trajectory with the unit", 25, "not_started", None),
        ("Evaluation of the prevention pilot", 120, "not_started", None),
    ]
    for title, offset, status, done_on in milestones:
        Milestone.objects.create(
            plan_version=version,
            title=title,
            owner=owner,
            due=today + timedelta(days=offset),
            status=status,
            done_on=done_on,
        )
    risks = [
        ("Demand rises faster than the trajectory assumes", 4, 4, "Monthly forecast with finance."),
        ("Recruitment to the new team is slow", 3, 4, "Agency cover agreed for six months."),
        ("Partners do not share data in time", 3, 2, "Data-sharing agreement signed by March."),
        ("The grant is not renewed", 2, 5, "Lobbying through London Councils; savings plan."),
    ]
    for description, likelihood, impact, mitigation in risks:
        Risk.objects.create(
            plan_version=version,
            description=description,
            likelihood=likelihood,
            impact=impact,
            mitigation=mitigation,
            owner=job,
        )


# The unit's assessment of a returned plan, criterion by criterion: (rating, feedback).
RETURNED_ASSESSMENT = {
    "aspiration": ("amber_green", "Clear ambition; say what success looks like for families."),
    "delivery_chain": (
        "amber_red",
        "The weak link is named but nothing is done about it: say who will brief the interim "
        "managers, and by when.",
    ),
    "leadership": ("amber_green", "Ownership is clear at the top; name owners below director."),
    "interventions": ("amber_green", "The right interventions; link each to an indicator."),
    "milestones": (
        "amber_red",
        "Milestones need owners below director level, and one is already overdue.",
    ),
    "trajectory": ("green", "Drawn from the indicators, with the shape explained."),
    "performance_management": ("amber_green", "Say who looks at the data between stocktakes."),
    "benchmarking": ("red", "No comparison with peers yet: use the London benchmarking club."),
    "resources": ("amber_green", "Funding is clear; the people are not."),
    "stakeholders": ("amber_green", "Add how residents hear about progress."),
    "risks": ("amber_red", "Mitigations must say who does what by when."),
    "overall": ("amber_red", "A good start that needs substantial work before approval."),
}


def _assess(version: PlanVersion, by, assessment: dict | None = None) -> None:
    """Rate every criterion (Amber-green with brief feedback unless ``assessment`` says)."""
    scorecard = version.scorecard
    values = {}
    for judgement in scorecard.judgements.select_related("area"):
        level, feedback = (assessment or {}).get(
            judgement.area.key, ("amber_green", "Sound, with minor gaps.")
        )
        if assessment is None and judgement.area.key in {"overall", "trajectory"}:
            level, feedback = "green", "Clear, owned and measurable."
        values[judgement.area_id] = {"level": level, "rationale": feedback}
    scorecard.save_draft(values, by=by, version=scorecard.version)
    version.mark_assessed(by=by)


def build_plans(priorities: list, users: dict, today: date | None = None) -> None:
    today = today or timezone.localdate()
    analyst = users["analyst"]
    for index, priority in enumerate(priorities):
        stage = STAGES[index % len(STAGES)]
        if stage is None or PlanVersion.objects.filter(plan__priority=priority).exists():
            continue
        lead = priority.lead
        first = DeliveryPlan.start(priority, by=lead)
        if priority.slug.startswith("temporary-accommodation"):
            first.plan.writers.add(users["officer"])
        _fill(first, priority, users, today, revision=1)
        if stage == "draft":
            continue
        first.submit(by=lead)
        PlanVersion.objects.filter(pk=first.pk).update(submitted_at=_at(today - timedelta(70)))
        if stage == "submitted":
            continue
        _assess(first, analyst, RETURNED_ASSESSMENT if stage == "returned" else None)
        if stage == "returned":
            first.return_for_revision(
                by=analyst,
                feedback="A good start. The delivery chain needs the weak link's remedy, the "
                "milestones need owners below director level, and the risks need mitigations "
                "that say who does what by when.",
            )
            PlanVersion.objects.filter(pk=first.pk).update(decided_at=_at(today - timedelta(60)))
            continue
        first.approve(by=analyst, feedback="Approved: clear, owned and measurable.")
        PlanVersion.objects.filter(pk=first.pk).update(decided_at=_at(today - timedelta(60)))
        if stage == "approved_then_draft":
            draft = first.plan.start_draft(by=lead)
            section = draft.sections.get(key="performance_management")
            section.text += "\n* Quarterly deep dive with the unit on the weakest indicator"
            section.save(update_fields=["text"])
