"""The demo's priority reviews: Temporary Accommodation, reviewed last spring, its report issued and
its follow-up now due; and Special educational needs, in fieldwork. Idempotent: a review whose
title is there already is left as it is."""

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from priorities.models import Priority
from priorities.rounds.models import RoundEntry
from reviews.models import (
    Evidence,
    FieldworkEntry,
    Finding,
    HypothesisTest,
    Phase,
    Recommendation,
    Review,
    TeamMember,
)
from reviews.report import issue_report

TA_TITLE = "Temporary Accommodation: why families stay in bed and breakfast"
SEND_TITLE = "Special educational needs: plans within 20 weeks"

TA_FIELDWORK = [
    (
        "interview",
        "Head of Housing Demand",
        "Service leadership",
        "The service knows the numbers but not why cases stall. Weekly case review started in "
        "March and is attended by two of the four team managers.",
    ),
    (
        "visit",
        "Housing Options front door, Wood Green",
        "Frontline housing officers",
        "Officers hold 90 to 110 cases each. Prevention work is crowded out by emergency "
        "placements after 3pm. No shared list of landlords willing to take families.",
    ),
    (
        "interview",
        "Three families placed in bed and breakfast",
        "Residents",
        "Each was told about private rented options only after six weeks. Two had not been "
        "asked about family who could help in the first week.",
    ),
    (
        "interview",
        "Procurement and finance business partner",
        "Supply of accommodation",
        "Nightly-paid rates rose 18% in a year; the council competes with neighbouring boroughs "
        "for the same landlords with no shared rate card.",
    ),
]


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _move_to(review: Review, day, by) -> None:
    review.advance(by=by, today=day)
    review.refresh_from_db()


@transaction.atomic
def build(priorities: list[Priority], users: dict) -> None:
    by_slug = {priority.slug: priority for priority in priorities}
    today = timezone.localdate()
    ta = by_slug.get("temporary-accommodation")
    if ta is not None and not Review.objects.filter(title=TA_TITLE).exists():
        _temporary_accommodation(ta, users, today)
    send = by_slug.get("special-educational-needs")
    if send is not None and not Review.objects.filter(title=SEND_TITLE).exists():
        _special_educational_needs(send, users, today)


def _temporary_accommodation(priority: Priority, users: dict, today) -> None:
    analyst, unitlead, chief = users["analyst"], users["unitlead"], users["chief"]
    start = today - timedelta(days=232)
    rating = (
        RoundEntry.objects.filter(priority=priority, status=RoundEntry.Status.AGREED)
        .order_by("round__date")
        .first()
    )
    review = Review.commission(
        by=unitlead,
        planned={
            Phase.SCOPING: (start, start + timedelta(days=13)),
            Phase.FIELDWORK: (start + timedelta(days=14), start + timedelta(days=34)),
            Phase.ANALYSIS: (start + timedelta(days=35), start + timedelta(days=41)),
            Phase.REPORTING: (start + timedelta(days=42), start + timedelta(days=48)),
        },
        priority=priority,
        title=TA_TITLE,
        reason="Rated Red for two rounds: households in temporary accommodation rising against "
        "a falling trajectory, and families in bed and breakfast beyond six weeks. The Chief "
        "Executive asked the unit for a review at the stocktake.",
        prompted_by_rating=rating,
        commissioned_by=chief,
        lead=analyst,
    )
    review.phases.filter(phase=Phase.SCOPING).update(actual_start=start)
    TeamMember.objects.create(review=review, user=unitlead, role="Unit Leader, quality assurance")
    TeamMember.objects.create(
        review=review, user=users["officer"], role="From the service: Temporary Accommodation"
    )
    review.edit_terms(
        scope="How a household moves from first contact to settled accommodation, and where the "
        "delivery chain loses time: front door, prevention, placement and move-on.",
        questions="Why do families stay in bed and breakfast beyond six weeks?\n"
        "Is prevention work reaching households early enough?\n"
        "What would most quickly reduce the number in temporary accommodation?",
        out_of_scope="The allocations policy; the council's housebuilding programme.",
        hypotheses=[
            "Prevention starts too late because officers are consumed by emergency placements.",
            "Supply, not process, is what keeps families in bed and breakfast.",
        ],
        by=analyst,
        version=review.version,
    )
    review.sign_off_terms(by=chief)
    Review.objects.filter(pk=review.pk).update(terms_signed_off_at=_at(start + timedelta(days=12)))
    review.refresh_from_db()
    _move_to(review, start + timedelta(days=13), analyst)

    team = {m.user_id: m for m in review.team.all()}
    for number, (kind, who, link, notes) in enumerate(TA_FIELDWORK):
        entry = FieldworkEntry.objects.create(
            review=review,
            kind=kind,
            who_or_where=who,
            chain_link=link,
            date=start + timedelta(days=16 + 4 * number),
            notes=notes,
            recorded_by=analyst,
        )
        entry.present.set([team[analyst.pk], team[users["officer"].pk]])
    evidence = Evidence(
        review=review,
        title="Bed and breakfast placements by week, last 12 months",
        description="From the housing case management system.",
        content_type="text/csv",
        extension="csv",
        size=0,
        uploaded_by=analyst,
    )
    data = "week,families over six weeks\n" + "".join(
        f"2026-W{week:02d},{38 + week % 7}\n" for week in range(1, 53)
    )
    evidence.size = len(data.encode())
    evidence.file.save("demo", ContentFile(data.encode()), save=False)
    evidence.save()
    # Fieldwork ran a week over.
    _move_to(review, start + timedelta(days=41), analyst)

    h_prevention, h_supply = review.hypotheses.order_by("pk")
    late = Finding.objects.create(
        review=review,
        title="Prevention starts too late",
        kind=Finding.Kind.DOES_NOT_WORK,
        text="Officers spend afternoons on same-day placements, so prevention conversations "
        "happen after a household is already in temporary accommodation.",
        severity=Finding.Severity.HIGH,
    )
    late.evidence.set([evidence])
    HypothesisTest.objects.create(
        finding=late, hypothesis=h_prevention, bearing=HypothesisTest.Bearing.SUPPORTS
    )
    review_works = Finding.objects.create(
        review=review,
        title="Weekly case review moves cases on",
        kind=Finding.Kind.WORKS,
        text="Where team managers attend the weekly case review, cases move on two weeks faster.",
        severity=Finding.Severity.MEDIUM,
    )
    supply = Finding.objects.create(
        review=review,
        title="Landlords are lost to neighbouring boroughs",
        kind=Finding.Kind.DOES_NOT_WORK,
        text="With no shared rate card, landlords take the best nightly rate across boroughs.",
        severity=Finding.Severity.CRITICAL,
    )
    HypothesisTest.objects.create(
        finding=supply, hypothesis=h_supply, bearing=HypothesisTest.Bearing.SUPPORTS
    )
    _move_to(review, start + timedelta(days=46), analyst)

    owner = priority.lead or analyst
    specs = [
        (
            "Protect mornings for prevention: a duty rota so that four officers a day do no "
            "same-day placements.",
            [late],
            Recommendation.Importance.HIGH,
            60,
        ),
        (
            "Every team manager attends the weekly case review, chaired by the Head of Housing "
            "Demand.",
            [review_works],
            Recommendation.Importance.MEDIUM,
            30,
        ),
        (
            "Agree a sub-regional rate card for nightly-paid accommodation with the neighbouring "
            "boroughs.",
            [supply],
            Recommendation.Importance.HIGH,
            120,
        ),
    ]
    recommendations = []
    for text, findings, importance, due_in in specs:
        recommendation = Recommendation.objects.create(
            review=review,
            text=text,
            owner=owner,
            due_date=start + timedelta(days=48 + due_in),
            importance=importance,
        )
        recommendation.findings.set(findings)
        recommendations.append(recommendation)

    issue_report(review, by=analyst)
    issued_on = start + timedelta(days=50)
    review.reports.update(issued_at=_at(issued_on))
    review.refresh_from_db()
    # The report went out two days late; the follow-up was planned six months on, and is due.
    review.phases.filter(phase=Phase.REPORTING).update(actual_end=issued_on)
    review.phases.filter(phase=Phase.FOLLOW_UP).update(
        actual_start=issued_on,
        planned_start=issued_on + timedelta(days=182),
        planned_end=issued_on + timedelta(days=196),
    )

    rota, case_review, rate_card = recommendations
    rota.respond(response="accepted", reason="", by=chief, version=rota.version)
    rota.note_progress(
        implementation=Recommendation.Implementation.IN_PROGRESS,
        note="Duty rota running in two of the three teams.",
        by=owner,
        version=rota.version,
    )
    case_review.respond(response="accepted", reason="", by=chief, version=case_review.version)
    case_review.note_progress(
        implementation=Recommendation.Implementation.DONE,
        note="All four team managers attend since June.",
        by=owner,
        version=case_review.version,
    )
    rate_card.respond(
        response="partly_accepted",
        reason="Agreed with two neighbouring boroughs; the others are not ready to join.",
        by=chief,
        version=rate_card.version,
    )


def _special_educational_needs(priority: Priority, users: dict, today) -> None:
    unitlead, leader = users["unitlead"], users["leader"]
    start = today - timedelta(days=30)
    review = Review.commission(
        by=unitlead,
        planned={
            Phase.SCOPING: (start, start + timedelta(days=13)),
            Phase.FIELDWORK: (start + timedelta(days=14), start + timedelta(days=42)),
            Phase.ANALYSIS: (start + timedelta(days=43), start + timedelta(days=50)),
            Phase.REPORTING: (start + timedelta(days=51), start + timedelta(days=58)),
        },
        priority=priority,
        title=SEND_TITLE,
        reason="Plans issued within 20 weeks have stayed near 40% for a year against a "
        "trajectory to 90%. The Leader asked for a review.",
        commissioned_by=leader,
        lead=unitlead,
    )
    review.phases.filter(phase=Phase.SCOPING).update(actual_start=start)
    if priority.lead:
        TeamMember.objects.create(review=review, user=priority.lead, role="From the service: SEND")
    review.edit_terms(
        scope="From a request for an assessment to the final plan: where the weeks go.",
        questions="Where in the 20 weeks is time lost?\nWhat do families experience?",
        out_of_scope="The funding of placements.",
        hypotheses=["Advice from educational psychologists arrives late."],
        by=unitlead,
        version=review.version,
    )
    review.sign_off_terms(by=leader)
    _move_to(review, start + timedelta(days=15), unitlead)
    for number, (kind, who, link, notes) in enumerate(
        [
            (
                "interview",
                "Principal Educational Psychologist",
                "Educational psychology",
                "Advice takes nine weeks on average against six planned; two posts vacant.",
            ),
            (
                "visit",
                "SEND casework team",
                "Casework officers",
                "Each officer holds about 140 cases; drafts wait for advice from health.",
            ),
        ]
    ):
        entry = FieldworkEntry.objects.create(
            review=review,
            kind=kind,
            who_or_where=who,
            chain_link=link,
            date=start + timedelta(days=17 + 3 * number),
            notes=notes,
            recorded_by=unitlead,
        )
        entry.present.set(review.team.all())
