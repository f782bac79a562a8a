"""The demo council's delivery plans, at different stages: approved with a revision in draft,
returned with feedback, submitted, approved, a first draft, and two not started; milestones
(some overdue, some due within the month) and risks. Called by ``load_demo``; a plan that has
versions is left as it is, so loading twice changes nothing."""

from datetime import date, datetime, time, timedelta
from typing import cast

from django.utils import timezone

from assessment.models import Scorecard
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
# The statuses and timing of the five milestones, the same shape in every plan (one done, one
# overdue, one due within the month...), each plan's own words below.
MILESTONE_SHAPE = [
    (-40, "done"),
    (-12, "at_risk"),
    (7, "on_track"),
    (25, "not_started"),
    (120, "not_started"),
]
MILESTONES = [
    "Prevention team fully staffed",
    "New case review procedure in place",
    "Partnership board agrees the shared protocol",
    "Mid-year review of the trajectory with the unit",
    "Evaluation of the prevention pilot",
]
RISKS = [
    ("Demand rises faster than the trajectory assumes", 4, 4, "Monthly forecast with finance."),
    ("Recruitment to the new team is slow", 3, 4, "Agency cover agreed for six months."),
    ("Partners do not share data in time", 3, 2, "Data-sharing agreement signed by March."),
    ("The grant is not renewed", 2, 5, "Lobbying through London Councils; savings plan."),
]
# Each demo priority's own plan: its interventions, milestones and risks.
PLANS = {
    "temporary-accommodation": (
        INTERVENTIONS,
        MILESTONES,
        RISKS,
    ),
    "rough-sleeping": (
        [
            ("Outreach shifts at dawn in the five hotspots", "Outreach team manager"),
            ("A second-night-out hub with twelve beds", "Head of Single Homelessness"),
        ],
        [
            "Dawn outreach rota covers all five hotspots",
            "Hub lease signed",
            "Hub opens its first six beds",
            "Severe weather protocol agreed with the churches' shelter",
            "Annual street count with the GLA",
        ],
        [
            ("The hub site is not ready for winter", 3, 5, "Second site held in reserve."),
            ("Outreach staff turnover", 3, 3, "Retention payment agreed for the winter."),
            ("New arrivals from neighbouring boroughs", 4, 3, "Sub-regional protocol."),
            ("The winter grant comes late", 2, 4, "Bridging from the homelessness reserve."),
        ],
    ),
    "council-tax-collection": (
        [
            ("Direct debit by default for new accounts", "Head of Revenues"),
            ("Early help for residents in arrears before a summons", "Financial inclusion lead"),
        ],
        [
            "Online direct-debit sign-up live",
            "Arrears triage script in use by every officer",
            "Enforcement agents' code of practice re-signed",
            "Mid-year collection review with Finance",
            "Council tax support scheme consulted on",
        ],
        [
            ("Cost of living pushes more households into arrears", 4, 4, "Early help offer."),
            ("The new billing system slips", 3, 4, "Parallel running until it is proven."),
            ("Complaints about enforcement rise", 2, 3, "Monthly review of every complaint."),
            ("Staff absence in the peak billing month", 3, 2, "Temporary staff booked."),
        ],
    ),
    "childrens-social-care": (
        [
            ("A multi-agency review of every second referral", "Head of the front door"),
            ("Step-down plans agreed before a case closes", "Heads of service"),
        ],
        [
            "Re-referral audit of last year's cases complete",
            "Step-down protocol agreed with schools and health",
            "Assessment tracker in every team's weekly meeting",
            "Independent review of placements over twenty miles",
            "Ofsted focused visit preparation complete",
        ],
        [
            ("Agency social workers leave mid-case", 4, 4, "Retention offer for permanent staff."),
            ("Partners refer without consent", 3, 3, "Training for the partnership."),
            ("Placement costs rise with distance", 3, 4, "Local foster carer campaign."),
            ("Case management system outage", 2, 4, "Paper fallback rehearsed."),
        ],
    ),
    "young-people-in-work-or-learning": (
        [
            ("Tracking every 16 and 17 year old with the colleges", "Participation manager"),
            ("Apprenticeship places with the council's contractors", "Employment and skills lead"),
        ],
        [
            "Data-sharing agreement with the three colleges signed",
            "September guarantee offers made",
            "Activity-not-known list cleared to under 3%",
            "Contractors' apprenticeship pledge signed",
            "Annual participation return to the DfE",
        ],
        [
            ("Colleges' data arrives late", 4, 3, "Monthly matching day agreed."),
            ("Young people move out of the borough", 3, 2, "Cross-borough tracking."),
            ("Apprenticeship places fall through", 3, 3, "Pledge written into contracts."),
            ("The careers service budget is cut", 2, 4, "Case for the budget round."),
        ],
    ),
    "affordable-homes": (
        [
            (
                "Council-led schemes on the housing revenue account's own land",
                "Director of Regeneration",
            ),
            ("A pre-application service for housing associations", "Head of Planning"),
        ],
        [
            "Two slipped schemes re-tendered",
            "Planning consent for the Northfield Road scheme",
            "Contractor appointed for the Civic Centre car park site",
            "Start on site at the Northfield Road scheme",
            "Five-year pipeline agreed by Cabinet",
        ],
        [
            ("Build costs rise beyond the viability margin", 4, 5, "Value engineering review."),
            ("A contractor fails", 2, 5, "Financial checks at every stage."),
            ("Planning committee refuses a scheme", 2, 4, "Early engagement with members."),
            ("Grant conditions change", 3, 3, "Programme agreed with the GLA."),
        ],
    ),
    "recycling": (
        [
            ("Food waste collection for every flat", "Head of Waste"),
            ("Door-knocking on the streets with the most contamination", "Recycling officers"),
        ],
        [
            "Food waste caddies delivered to the first 5,000 flats",
            "Contamination campaign in the ten worst streets",
            "New materials recovery contract signed",
            "Fly-tip cameras at the six hotspots",
            "Food waste for every flat",
        ],
        [
            ("Contamination rejects whole loads", 4, 3, "Crew checks before tipping."),
            ("Caddy supply delayed", 3, 2, "Second supplier on the framework."),
            ("Fly-tipping moves to new streets", 3, 3, "Mobile cameras."),
            ("Market prices for materials fall", 3, 4, "Price floor in the contract."),
        ],
    ),
    "special-educational-needs": (
        [
            ("A panel twice a week so that no request waits for a meeting", "Head of SEND"),
            ("Advice from health and educational psychology within six weeks", "SEND partnership"),
        ],
        [
            "Twice-weekly panel running",
            "Educational psychology contract extended",
            "Health advice within six weeks in the partnership agreement",
            "Annual review backlog cleared",
            "Local area inspection self-evaluation refreshed",
        ],
        [
            ("Requests keep rising faster than capacity", 4, 4, "Additional caseworkers funded."),
            ("Educational psychologists are hard to recruit", 4, 3, "Trainee scheme."),
            ("Health advice arrives late", 3, 4, "Escalation to the ICB."),
            ("Tribunal appeals rise", 3, 3, "Mediation offered first."),
        ],
    ),
}


def _own_plan(priority) -> tuple[list, list, list]:
    """The priority's own interventions, milestones and risks; a priority the demo does not
    know (the benchmark's larger councils) takes Temporary Accommodation's shape."""
    slug = next((known for known in PLANS if priority.slug.startswith(known)), None)
    return PLANS[slug or "temporary-accommodation"]


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
    interventions, milestone_titles, risks = _own_plan(priority)
    for what, who in interventions:
        Intervention.objects.create(
            plan_version=version, what=what, who=who, when="From April 2026", indicator=indicator
        )
    owner = users["officer"] if priority.slug.startswith("temporary") else lead
    milestones = [
        (title, offset, status, today - timedelta(41) if status == "done" else None)
        for title, (offset, status) in zip(milestone_titles, MILESTONE_SHAPE, strict=True)
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
    scorecard = cast(Scorecard, version.scorecard)  # submitting the version started it
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
