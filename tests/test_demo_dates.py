"""Every date in the demo council follows from the day it is loaded and agrees with the others:
one agreed round a month, each agreed before today and its challenges made within it; the held
stocktake after the round its pack reports, its pack issued before the meeting and saying so on
its cover, its note sent after; data only for periods that have ended."""

import io
import itertools
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from assessment.models import Challenge
from plans.models import Intervention, Milestone, Risk
from priorities.indicators.models import Actual, Indicator
from priorities.models import Priority
from priorities.rounds.models import Round
from stocktakes.models import FollowUpNote, IssuedPack, Stocktake


def test_the_demos_dates_agree_with_each_other(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", not_production=True)
    today = timezone.localdate()
    now = timezone.now()

    agreed = list(Round.objects.agreed().order_by("date"))
    months = [(r.date.year, r.date.month) for r in agreed]
    assert len(set(months)) == len(months), f"two rounds for one month: {months}"
    for earlier, later in itertools.pairwise(agreed):
        assert (later.date.year * 12 + later.date.month) - (
            earlier.date.year * 12 + earlier.date.month
        ) == 1, "one round a month, none missed"
    for round_ in agreed:
        assert round_.opened_at <= round_.moderation_started_at <= round_.agreed_at <= now
        assert round_.name == f"{round_.date:%B %Y} assessment"
    in_progress = Round.objects.exclude(status=Round.Status.AGREED).get()
    assert (in_progress.date.year, in_progress.date.month) not in months
    assert in_progress.date <= today

    challenges = Challenge.objects.select_related("judgement__scorecard__entry__round")
    assert challenges.exists()
    for challenge in challenges:
        round_ = challenge.judgement.scorecard.entry.round
        assert round_.moderation_started_at <= challenge.made_at <= round_.agreed_at

    latest = agreed[-1]
    for stocktake in Stocktake.objects.all():
        for pack in IssuedPack.objects.filter(stocktake=stocktake):
            issued_on = timezone.localtime(pack.issued_at).date()
            assert latest.agreed_at <= pack.issued_at, "the pack reports the latest round"
            assert issued_on <= stocktake.date < today
            cover = PdfReader(io.BytesIO(bytes(pack.pdf))).pages[0].extract_text()
            assert f"issued {issued_on.day} {issued_on:%B %Y}" in " ".join(cover.split())
        note = FollowUpNote.objects.filter(stocktake=stocktake, sent_at__isnull=False).first()
        if note:
            assert stocktake.date <= timezone.localtime(note.sent_at).date() <= today
    held, planned = Stocktake.objects.order_by("date")
    assert today < planned.date
    assert timedelta(weeks=6) <= planned.date - held.date <= timedelta(weeks=12)

    for actual in Actual.objects.select_related("indicator"):
        assert actual.indicator.periods.end(actual.period) < today, (
            f"{actual.indicator.code} has an actual for {actual.period}, not ended yet"
        )


def test_each_demo_priority_is_its_own(db, settings, tmp_path):
    """Each plan has its own milestones, interventions and risks; every target falls within its
    priority's dates; leads are directors or heads of service, cabinet members councillors."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", not_production=True)
    for field, model in [("title", Milestone), ("what", Intervention), ("description", Risk)]:
        owners: dict[str, set[int]] = {}
        for priority_id, text in model.objects.values_list(
            "plan_version__plan__priority_id", field
        ):
            owners.setdefault(text, set()).add(priority_id)
        shared = {text: ids for text, ids in owners.items() if len(ids) > 1}
        assert shared == {}, f"{model.__name__}s shared between plans: {list(shared)}"
    for indicator in Indicator.objects.select_related("priority"):
        priority = indicator.priority
        assert priority.start_date <= indicator.baseline_period
        assert indicator.periods.end(indicator.target_period) <= priority.end_date
    for priority in Priority.objects.select_related("lead", "portfolio_holder"):
        assert priority.cabinet_member_name.startswith("Cllr "), priority.cabinet_member_name
        assert priority.lead.job_title.startswith(("Director of", "Head of", "Assistant Director"))
