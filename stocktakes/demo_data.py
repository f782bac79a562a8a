"""The demo's stocktakes: one held six weeks ago (its pack issued, decisions and actions recorded,
the follow-up note sent) and one being planned for three weeks ahead. Added only where the
demo's stocktake of that title is not there yet."""

from datetime import datetime, time, timedelta
from typing import cast

from django.utils import timezone

from delivery_unit.models import User
from priorities.models import Priority
from priorities.rounds.models import Round
from stocktakes.follow_up import draft_body, recipients, render_note
from stocktakes.models import Action, FollowUpNote, PackGeneration, Stocktake
from stocktakes.tasks import build_pack

HELD = "Housing and homelessness stocktake"
PLANNED = "Children and young people stocktake"

# slug: (why now, minutes, questions, decisions needed)
ITEMS = {
    "temporary-accommodation": (
        "Off trajectory for three months while nightly-paid spend rises: the chairs asked for "
        "the recovery plan at the last stocktake.",
        30,
        "What is driving the rise in households placed this quarter?\n"
        "Which intervention will bring families out of bed and breakfast within six weeks?\n"
        "What do you need from the Chief Executive to unblock the private-sector leasing deal?",
        "Agree the recovery plan's three interventions.\nAgree to fund two more prevention "
        "officers from the homelessness grant.",
    ),
    "rough-sleeping": (
        "Rated Green for the first time: what made the difference, and can it last the winter?",
        15,
        "How many people seen this month were new to the streets?\n"
        "What is the plan for the severe weather protocol?",
        "",
    ),
    "affordable-homes": (
        "Two schemes slipped a quarter; the start-on-site target is at risk.",
        20,
        "Which schemes have slipped, and why?\nWhat would bring the two schemes back on track?",
        "Decide whether to bring the Northfield Road scheme forward.",
    ),
    "childrens-social-care": (
        "Re-referrals rising for two quarters; the rating fell to Red before recovering.",
        30,
        "What does the audit of re-referrals tell you about the front door?\n"
        "How stable is the social work workforce?",
        "Agree the terms of reference for a priority review of the front door.",
    ),
    "special-educational-needs": (
        "Rated Red for most of the year: plans issued within 20 weeks remain well below target.",
        25,
        "Where in the 20 weeks are plans delayed?\n"
        "What will the new educational psychology contract change, and when?",
        "Agree the extra funding for educational psychology assessments.",
    ),
    "young-people-in-work-or-learning": (
        "Not discussed at a stocktake for a year; activity not known is rising again.",
        15,
        "Why is activity not known rising in the autumn?",
        "",
    ),
}

HELD_RECORD = {
    "temporary-accommodation": (
        "The lead set out the rise in placements since the summer. The chairs challenged the "
        "pace of private-sector leasing and the use of nightly-paid accommodation.",
        "The recovery plan's three interventions are agreed.\n"
        "Two more prevention officers funded from the homelessness grant.",
        [
            ("Bring the private-sector leasing deal to Cabinet", "lead", 21, "in_progress"),
            ("Report weekly on families in bed and breakfast over six weeks", "lead", 7, "done"),
        ],
    ),
    "rough-sleeping": (
        "Outreach and the No Second Night Out offer are working; the winter is the risk.",
        "",
        [("Share the severe weather protocol with the chairs", "lead", 14, "not_started")],
    ),
    "affordable-homes": (
        "Two schemes slipped because of contractor insolvency.",
        "Northfield Road scheme to be brought forward.",
        [("Re-tender the two slipped schemes", "lead4", 56, "not_started")],
    ),
}


def build(priorities: list[Priority], users: dict[str, User]) -> None:
    by_slug = {priority.slug: priority for priority in priorities}
    today = timezone.localdate()
    analyst = users["analyst"]
    chairs = [users["chief"], users["leader"]]
    if not Stocktake.objects.filter(title=HELD).exists():
        # Held a week after the latest round was agreed, so that its pack (issued five days
        # before the meeting) carries that round's ratings; always before today.
        latest = Round.objects.agreed().order_by("-agreed_at").first()
        held_on = (
            timezone.localtime(latest.agreed_at).date() + timedelta(days=7)
            if latest and latest.agreed_at
            else today - timedelta(days=42)
        )
        slugs = ["temporary-accommodation", "rough-sleeping", "affordable-homes"]
        stocktake = _planned(HELD, held_on, [by_slug[s] for s in slugs], users, chairs)
        stocktake.attendees.add(users["lead"], users["lead4"], users["unitlead"], analyst)
        _issue(stocktake, analyst, days_before=5)
        stocktake.mark_held()
        _record(stocktake, users, analyst)
        _send_note(stocktake, analyst)
    if not Stocktake.objects.filter(title=PLANNED).exists():
        slugs = [
            "childrens-social-care",
            "special-educational-needs",
            "young-people-in-work-or-learning",
            "temporary-accommodation",
        ]
        # About three weeks ahead, and six weeks or more after the one held.
        held = Stocktake.objects.filter(title=HELD).first()
        day = today + timedelta(days=21)
        if held is not None:
            day = max(day, held.date + timedelta(weeks=6))
        stocktake = _planned(PLANNED, day, [by_slug[s] for s in slugs], users, chairs)
        stocktake.attendees.add(users["lead2"], users["lead3"], users["lead"], analyst)


def _planned(title, day, priorities, users, chairs) -> Stocktake:
    stocktake = Stocktake.plan(
        title=title,
        date=day,
        priorities=priorities,
        by=users["analyst"],
        start_time=time(10, 0),
        place="Committee Room 2, Civic Centre",
    )
    stocktake.chairs.set(chairs)
    # The demo's agendas are all of priorities.
    for item in stocktake.agenda.select_related("priority"):
        purpose, minutes, questions, decisions = ITEMS[cast(Priority, item.priority).slug]
        item.update(
            {
                "purpose": purpose,
                "minutes": minutes,
                "questions": questions,
                "decisions_needed": decisions,
            },
            by=users["analyst"],
            version=item.version,
        )
    return stocktake


def _issue(stocktake: Stocktake, by: User, days_before: int) -> None:
    """Issue the pack through the same code the worker runs, dated as the unit would have
    issued it: a few days before the meeting (its cover says so too)."""
    issued_at = timezone.make_aware(
        datetime.combine(stocktake.date - timedelta(days=days_before), time(16, 0))
    )
    generation = PackGeneration.objects.create(stocktake=stocktake, requested_by=by, issue=True)
    generation = build_pack(generation.pk, as_of=issued_at)
    issued_pack_id = cast(int, generation.issued_pack_id)  # issued: the generation keeps it
    stocktake.packs.filter(pk=issued_pack_id).update(issued_at=issued_at)
    stocktake.refresh_from_db()


def _record(stocktake: Stocktake, users: dict[str, User], by: User) -> None:
    for item in stocktake.agenda.select_related("priority"):
        discussion, decisions, actions = HELD_RECORD[cast(Priority, item.priority).slug]
        item.record(discussion=discussion, decisions=decisions, by=by, version=item.version)
        for description, owner, days, status in actions:
            action = Action.agree(
                item=item,
                description=description,
                owner=users[owner],
                due_date=stocktake.date + timedelta(days=days),
                by=by,
            )
            if status != Action.Status.NOT_STARTED:
                action.update_progress(
                    status=status,
                    progress="Weekly report set up; first three sent to the chairs."
                    if status == Action.Status.DONE
                    else "Heads of terms agreed; Cabinet report drafted.",
                    by=users[owner],
                    version=action.version,
                )


def _send_note(stocktake: Stocktake, by: User) -> None:
    """The note as the unit sent it the day after the meeting (kept, not emailed again)."""
    note = FollowUpNote.objects.create(
        stocktake=stocktake, body=draft_body(stocktake), updated_by=by
    )
    sent_at = timezone.make_aware(datetime.combine(stocktake.date + timedelta(days=1), time(15)))
    html, pdf = render_note(note, sent_at)
    FollowUpNote.objects.filter(pk=note.pk).update(
        sent_at=sent_at,
        sent_by=by,
        recipients=", ".join(recipients(stocktake)),
        html=html.encode(),
        pdf=pdf,
    )
    stocktake.mark_follow_up_sent()
