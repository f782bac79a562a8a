"""Assessment rounds: rating every priority against the framework, proposing, the lead's
self-assessment, moderation, agreement and amendment; who may make each move and from where."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from assessment.models import Challenge, Framework, Judgement
from delivery_unit.models import Role, User
from delivery_unit.workflow import TransitionRefused
from priorities.default_framework import KIND as PRIORITY_FRAMEWORK
from priorities.models import Priority
from priorities.rounds.models import Round, RoundEntry, SelfAssessment
from tests.conftest import make_round

AREAS = ["challenge", "planning", "capacity", "stage", "likelihood"]


def full_post(entry: RoundEntry, **overrides) -> dict:
    """A complete rating of every area, as the form posts it."""
    data = {"version": str(entry.scorecard.version)}
    levels = {"challenge": "high", "planning": "amber_green", "capacity": "amber_green"}
    levels |= {"stage": "2", "likelihood": "amber_red"}
    for key in AREAS:
        data[f"{key}-level"] = levels[key]
        data[f"{key}-rationale"] = f"The evidence for {key}."
        data[f"{key}-change_reason"] = ""
    return data | overrides


@pytest.fixture
def open_round(unit_staff, priority, other_priority) -> Round:
    return Round.open_round(name="December 2026 assessment", date=date(2026, 12, 1), by=unit_staff)


@pytest.fixture
def entry(open_round, priority) -> RoundEntry:
    return open_round.entries.select_related("scorecard", "round", "priority").get(
        priority=priority
    )


def entry_url(entry: RoundEntry) -> str:
    return entry.get_absolute_url()


def levels_of(entry: RoundEntry) -> dict[str, str]:
    return dict(
        Judgement.objects.filter(scorecard=entry.scorecard).values_list("area__key", "level")
    )


# Opening a round


def test_unit_staff_open_a_round_of_every_active_priority(client_for, unit_staff, priority):
    Priority.objects.create(
        title="Paused one", slug="paused", aspiration="Later.", status=Priority.Status.PAUSED
    )
    response = client_for(unit_staff).post(
        reverse("assessment:open_round"),
        {"name": "January 2027 assessment", "date_0": "4", "date_1": "1", "date_2": "2027"},
    )
    round_ = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == round_.get_absolute_url()
    assert round_.status == Round.Status.OPEN
    assert round_.framework == Framework.objects.current(PRIORITY_FRAMEWORK)
    assert [e.priority.slug for e in round_.entries.all()] == ["temporary-accommodation"]
    assert round_.entries.get().scorecard.judgements.count() == len(AREAS)


def test_opening_a_round_without_a_date_says_so_and_opens_nothing(client_for, unit_staff):
    response = client_for(unit_staff).post(
        reverse("assessment:open_round"), {"name": "", "date_0": "", "date_1": "", "date_2": ""}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Enter a name for the round" in html
    assert "Enter the date the ratings are as at" in html
    assert not Round.objects.exists()


# Rating a priority


def test_rating_page_shows_the_guidance_beside_every_level(client_for, unit_staff, entry):
    html = client_for(unit_staff).get(entry_url(entry)).content.decode()
    framework = entry.round.framework
    for area in framework.ordered_areas():
        assert area.name in html
        for level in area.levels.all():
            assert escape(level.guidance) in html, f"{area.key}: {level.label}'s guidance shown"
    assert "Is the delivery chain understood and engaged" in html, "Sub-questions are shown"


def test_analyst_saves_a_draft_without_javascript_and_it_survives_a_reload(
    client_for, unit_staff, entry
):
    client = client_for(unit_staff)
    data = {"version": "1", "planning-level": "amber_red", "planning-rationale": "Weak board."}
    response = client.post(entry_url(entry), data | {"action": "save"})
    assert response.status_code == 302
    assert levels_of(entry)["planning"] == "amber_red"
    html = client.get(entry_url(entry)).content.decode()
    assert 'value="amber_red" checked' in html
    assert "Weak board." in html
    entry.refresh_from_db()
    assert entry.status == RoundEntry.Status.DRAFT


def test_autosave_by_htmx_answers_with_the_status_and_the_new_version(
    client_for, unit_staff, entry
):
    response = client_for(unit_staff).post(
        entry_url(entry),
        {"version": "1", "likelihood-level": "green"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html, "Only the status region comes back"
    assert "Draft saved at" in html
    assert 'name="version" value="2" id="id_version" hx-swap-oob="true"' in html
    assert levels_of(entry)["likelihood"] == "green"


def test_autosave_that_changes_nothing_keeps_the_version(client_for, unit_staff, entry):
    client = client_for(unit_staff)
    client.post(entry_url(entry), {"version": "1"}, headers={"HX-Request": "true"})
    entry.scorecard.refresh_from_db()
    assert entry.scorecard.version == 1
    assert Judgement.history.filter(history_type="~").count() == 0


def test_proposing_needs_every_area_rated_with_a_rationale(client_for, unit_staff, entry):
    data = full_post(entry, **{"stage-level": "", "capacity-rationale": "  "}) | {
        "action": "propose"
    }
    response = client_for(unit_staff).post(entry_url(entry), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Select a rating for stage of delivery" in html
    assert "Enter the rationale for capacity to drive progress" in html
    assert 'href="#id_stage-level_1"' in html, "The error summary links to the first radio"
    entry.refresh_from_db()
    assert entry.status == RoundEntry.Status.DRAFT
    assert levels_of(entry)["likelihood"] == "", "Nothing is saved when proposing fails"


def test_analyst_proposes_a_complete_rating(client_for, unit_staff, entry):
    response = client_for(unit_staff).post(entry_url(entry), full_post(entry, action="propose"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == RoundEntry.Status.PROPOSED
    assert entry.proposed_by == unit_staff
    assert levels_of(entry)["likelihood"] == "amber_red"


def test_a_change_from_the_last_agreed_rating_needs_a_reason(
    client_for, unit_staff, rated_priority
):
    later = Round.open_round(name="Next", date=date(2026, 12, 1), by=unit_staff)
    entry = later.entries.get(priority=rated_priority)
    data = full_post(entry, **{"likelihood-level": "green"}) | {"action": "propose"}
    html = client_for(unit_staff).post(entry_url(entry), data).content.decode()
    assert "Enter why likelihood of delivery changed from Amber-red" in html
    assert "Last agreed in October 2026 assessment: Amber-red." in html

    data["likelihood-change_reason"] = "Two months back on trajectory."
    assert client_for(unit_staff).post(entry_url(entry), data).status_code == 302
    judgement = entry.scorecard.judgements.get(area__key="likelihood")
    assert judgement.change_reason == "Two months back on trajectory."


def test_a_proposed_rating_cannot_be_saved_until_withdrawn(client_for, unit_staff, entry):
    client = client_for(unit_staff)
    client.post(entry_url(entry), full_post(entry, action="propose"))
    entry.scorecard.refresh_from_db()
    response = client.post(
        entry_url(entry), {"version": str(entry.scorecard.version), "likelihood-level": "red"}
    )
    assert response.status_code == 409
    assert "Withdraw them to change them" in response.content.decode()
    assert levels_of(entry)["likelihood"] == "amber_red"

    assert (
        client.post(
            reverse("assessment:withdraw", args=[entry.round_id, "temporary-accommodation"])
        ).status_code
        == 302
    )
    entry.refresh_from_db()
    assert entry.status == RoundEntry.Status.DRAFT


def test_two_analysts_rating_at_once_the_second_is_told_and_loses_nothing(
    client_for, unit_staff, entry
):
    colleague = User.objects.create(username="colleague", role=Role.UNIT_STAFF, first_name="Sam")
    client_for(colleague).post(
        entry_url(entry),
        {"version": "1", "likelihood-level": "red", "likelihood-rationale": "Sam's view."},
    )
    response = client_for(unit_staff).post(
        entry_url(entry),
        {"version": "1", "likelihood-level": "green", "likelihood-rationale": "My view."},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Sam saved these ratings while you were working" in html
    assert "My view." in html, "What the analyst wrote is kept in the form"
    assert "Sam&#x27;s view." in html, "The other analyst's rating is shown"
    assert 'value="green" checked' in html
    assert 'name="version" value="2"' in html, "Saving again is based on what they now see"
    assert levels_of(entry)["likelihood"] == "red", "Nothing was overwritten"


def test_a_stale_autosave_replaces_the_form_so_the_analyst_sees_both(client_for, unit_staff, entry):
    colleague = User.objects.create(username="colleague", role=Role.UNIT_STAFF)
    client_for(colleague).post(entry_url(entry), {"version": "1", "likelihood-level": "red"})
    response = client_for(unit_staff).post(
        entry_url(entry),
        {"version": "1", "likelihood-level": "green"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#scorecard"
    assert response["HX-Reswap"] == "outerHTML"
    assert response.content.decode().lstrip().startswith('<div id="scorecard">')


def test_every_rating_change_is_in_the_history_with_who_and_before_and_after(
    client_for, unit_staff, entry
):
    client = client_for(unit_staff)
    client.post(entry_url(entry), {"version": "1", "likelihood-level": "red"})
    client.post(entry_url(entry), {"version": "2", "likelihood-level": "amber_red"})
    judgement = entry.scorecard.judgements.get(area__key="likelihood")
    changes = list(judgement.history.filter(history_type="~").order_by("history_date"))
    assert [(h.level, h.history_user) for h in changes] == [
        ("red", unit_staff),
        ("amber_red", unit_staff),
    ]
    delta = changes[1].diff_against(changes[0])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("level", "red", "amber_red")]


def test_leaving_a_priority_out_needs_a_reason(client_for, unit_staff, entry):
    url = reverse("assessment:exclude", args=[entry.round_id, "temporary-accommodation"])
    response = client_for(unit_staff).post(url, {"reason": " "})
    assert response.status_code == 422
    assert "Enter why the priority is left out of the round" in response.content.decode()
    response = client_for(unit_staff).post(url, {"reason": "Paused by Cabinet in November."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.exclusion_reason) == ("excluded", "Paused by Cabinet in November.")


# Moving the round


def test_the_round_goes_to_moderation_only_when_every_priority_is_proposed_or_left_out(
    client_for, unit_leader, unit_staff, open_round, entry
):
    url = reverse("assessment:start_moderation", args=[open_round.pk])
    response = client_for(unit_leader).post(url)
    assert response.status_code == 409
    assert "2 priorities are not yet proposed" in response.content.decode()

    client_for(unit_staff).post(entry_url(entry), full_post(entry, action="propose"))
    other = open_round.entries.exclude(pk=entry.pk).get()
    other.exclude(reason="Not started yet.", by=unit_staff)
    assert client_for(unit_leader).post(url).status_code == 302
    open_round.refresh_from_db()
    assert (open_round.status, open_round.moderation_started_by) == ("moderation", unit_leader)


def test_only_the_unit_leader_moves_a_round(client_for, unit_staff, priority):
    round_ = make_round({priority: "green"}, by=unit_staff, day=date(2026, 11, 1), status="open")
    for name in ("assessment:start_moderation", "assessment:agree"):
        response = client_for(unit_staff).post(reverse(name, args=[round_.pk]))
        assert response.status_code == 403
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN


@pytest.mark.parametrize(
    ("status", "move", "allowed"),
    [
        ("open", "start_moderation", True),
        ("open", "agree", False),
        ("moderation", "start_moderation", False),
        ("moderation", "agree", True),
        ("agreed", "start_moderation", False),
        ("agreed", "agree", False),
    ],
)
def test_each_move_only_from_the_right_state(unit_leader, priority, status, move, allowed):
    round_ = make_round({priority: "green"}, by=unit_leader, day=date(2026, 11, 1), status=status)
    if allowed:
        getattr(round_, move)(by=unit_leader)
        assert Round.objects.get(pk=round_.pk).status != status
    else:
        with pytest.raises(TransitionRefused):
            getattr(round_, move)(by=unit_leader)
        assert Round.objects.get(pk=round_.pk).status == status


def test_agreeing_freezes_every_rating_as_agreed(unit_leader, priority, other_priority):
    round_ = make_round(
        {priority: "green", other_priority: "red"},
        by=unit_leader,
        day=date(2026, 11, 1),
        status="moderation",
    )
    round_.agree(by=unit_leader)
    assert set(round_.entries.values_list("status", flat=True)) == {"agreed"}
    assert Priority.objects.with_latest_rating().get(pk=priority.pk).latest_likelihood == "green"


# Moderation


@pytest.fixture
def moderated(unit_leader, priority, other_priority) -> Round:
    return make_round(
        {priority: "amber_green", other_priority: "green"},
        by=unit_leader,
        day=date(2026, 11, 1),
        status="moderation",
    )


def challenge_url(round_, slug="temporary-accommodation", key="likelihood") -> str:
    return reverse("assessment:challenge", args=[round_.pk, slug, key])


def test_the_panel_challenges_a_rating_and_the_log_keeps_it(client_for, unit_staff, moderated):
    response = client_for(unit_staff).post(
        challenge_url(moderated),
        {"level": "amber_red", "reason": "Too generous beside Recycling.", "seen": "amber_green"},
    )
    assert response.status_code == 302
    made = Challenge.objects.get()
    assert (made.original_level, made.moderated_level, made.made_by, made.kind) == (
        "amber_green",
        "amber_red",
        unit_staff,
        "challenge",
    )
    entry = moderated.entries.get(priority__slug="temporary-accommodation")
    assert entry.status == RoundEntry.Status.MODERATED
    assert levels_of(entry)["likelihood"] == "amber_red"
    history = client_for(unit_staff).get(
        reverse("priorities:rating_history", args=["temporary-accommodation"])
    )
    assert "Challenged in moderation by Analyst" in history.content.decode()


def test_a_challenge_by_htmx_answers_with_the_moderation_grid(client_for, unit_staff, moderated):
    response = client_for(unit_staff).post(
        challenge_url(moderated),
        {"level": "amber_red", "reason": "Too generous.", "seen": "amber_green"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="moderation">')
    assert "changed from Amber-green to Amber-red" in html
    assert 'role="alert"' in html


def test_a_challenge_needs_a_reason_and_a_different_rating(client_for, unit_staff, moderated):
    response = client_for(unit_staff).post(
        challenge_url(moderated), {"level": "amber_green", "reason": "", "seen": "amber_green"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Enter the reason for the change" in html
    assert "Select a different rating" in html
    assert not Challenge.objects.exists()


def test_a_challenge_of_a_rating_changed_meanwhile_is_refused(client_for, unit_staff, moderated):
    client = client_for(unit_staff)
    client.post(challenge_url(moderated), {"level": "red", "reason": "One.", "seen": "amber_green"})
    response = client.post(
        challenge_url(moderated), {"level": "green", "reason": "Two.", "seen": "amber_green"}
    )
    assert response.status_code == 409
    assert "Someone changed the rating of" in response.content.decode()
    assert Challenge.objects.count() == 1


def test_moderation_shows_every_proposed_rating_with_the_previous_round(
    client_for, unit_staff, unit_leader, priority, other_priority
):
    make_round({priority: "red", other_priority: "green"}, by=unit_leader, day=date(2026, 9, 1))
    later = make_round(
        {priority: "amber_red", other_priority: "green"},
        by=unit_leader,
        day=date(2026, 11, 1),
        status="moderation",
    )
    html = client_for(unit_staff).get(reverse("assessment:moderation", args=[later.pk])).content
    html = html.decode()
    assert "Up from Red" in html
    assert "No change" in html
    assert html.count(">Challenge<span") == 2 * len(AREAS)


def test_a_gap_of_two_steps_between_the_two_voices_is_highlighted(
    client_for, unit_staff, priority_lead, moderated
):
    entry = moderated.entries.get(priority__slug="temporary-accommodation")
    SelfAssessment.record(entry, level="red", rationale="Worse.", by=priority_lead, version=0)
    html = client_for(unit_staff).get(reverse("assessment:moderation", args=[moderated.pk]))
    assert "2 steps from the unit" in html.content.decode()


# An agreed round is a record


def test_an_agreed_round_cannot_be_changed_through_any_view(
    client_for, unit_staff, unit_leader, priority_lead, rated_priority
):
    round_ = Round.objects.get()
    entry = round_.entries.get()
    history_before = Judgement.history.count()
    slug = "temporary-accommodation"
    attempts = [
        (unit_staff, entry_url(entry), full_post(entry, **{"likelihood-level": "green"})),
        (unit_leader, entry_url(entry), full_post(entry, action="propose")),
        (unit_staff, reverse("assessment:withdraw", args=[round_.pk, slug]), {}),
        (unit_staff, reverse("assessment:exclude", args=[round_.pk, slug]), {"reason": "No."}),
        (unit_staff, challenge_url(round_), {"level": "red", "reason": "x", "seen": "amber_red"}),
        (unit_leader, challenge_url(round_), {"level": "red", "reason": "x", "seen": "amber_red"}),
        (
            priority_lead,
            reverse("assessment:self_assessment", args=[round_.pk, slug]),
            {"level": "green", "rationale": "Fine.", "version": "0"},
        ),
        (unit_leader, reverse("assessment:start_moderation", args=[round_.pk]), {}),
        (unit_leader, reverse("assessment:agree", args=[round_.pk]), {}),
    ]
    for user, url, data in attempts:
        response = client_for(user).post(url, data)
        assert response.status_code in {403, 409}, f"{user} {url}: {response.status_code}"
    assert Judgement.history.count() == history_before
    assert not SelfAssessment.objects.exists()
    assert not Challenge.objects.exists()
    assert Round.objects.get().status == "agreed"
    assert RoundEntry.objects.get().status == "agreed"


def test_the_unit_leader_amends_an_agreed_rating_with_a_reason(
    client_for, unit_leader, unit_staff, rated_priority
):
    round_ = Round.objects.get()
    url = reverse("assessment:amend", args=[round_.pk, "temporary-accommodation", "likelihood"])
    assert client_for(unit_staff).post(url, {"level": "red", "reason": "x"}).status_code == 403
    response = client_for(unit_leader).post(
        url, {"level": "red", "reason": "The September figures were revised.", "seen": "amber_red"}
    )
    assert response.status_code == 302
    made = Challenge.objects.get()
    assert (made.kind, made.original_level, made.moderated_level) == (
        "amendment",
        "amber_red",
        "red",
    )
    html = client_for(unit_staff).get(response["Location"]).content.decode()
    assert "Amended after agreement by Unitlead" in html
    assert "The September figures were revised." in html


# The lead's self-assessment


def test_the_lead_gives_a_self_assessment_for_their_own_priority(client_for, priority_lead, entry):
    url = reverse("assessment:self_assessment", args=[entry.round_id, "temporary-accommodation"])
    client = client_for(priority_lead)
    assert (
        "Give your self-assessment"
        in client.get(
            reverse("priorities:detail", args=["temporary-accommodation"])
        ).content.decode()
    )
    response = client.post(url, {"level": "amber_green", "rationale": "Improving.", "version": "0"})
    assert response.status_code == 302
    saved = SelfAssessment.objects.get()
    assert (saved.level, saved.assessed_by, saved.version) == ("amber_green", priority_lead, 1)
    # Saving from a window opened before that save is refused, nothing lost.
    response = client.post(url, {"level": "red", "rationale": "Worse.", "version": "0"})
    assert response.status_code == 409
    assert "Worse." in response.content.decode()
    assert SelfAssessment.objects.get().level == "amber_green"


def test_a_self_assessment_needs_a_view_and_a_reason(client_for, priority_lead, entry):
    url = reverse("assessment:self_assessment", args=[entry.round_id, "temporary-accommodation"])
    response = client_for(priority_lead).post(url, {"level": "", "rationale": "", "version": "0"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Select your view of the likelihood of delivery" in html
    assert "Enter why you hold this view" in html
    assert not SelfAssessment.objects.exists()


class TestScorecardFormFuzz(HypothesisTestCase):
    """Whatever arrives in the POST, the answer is a clear 4xx or a saved draft, never a 500, and
    a refused draft saves nothing."""

    @classmethod
    def setUpTestData(cls):
        cls.analyst = User.objects.create(username="fuzz-analyst", role=Role.UNIT_STAFF)
        priority = Priority.objects.create(title="Fuzz", slug="fuzz", aspiration="Fuzz.")
        cls.round = Round.open_round(
            name="Fuzz", date=date(2026, 1, 1), by=cls.analyst, priorities=[priority]
        )

    @settings(max_examples=60, deadline=None)
    @given(
        level=st.one_of(st.sampled_from(["red", "green", "1", "low", ""]), st.text(max_size=20)),
        rationale=st.text(max_size=300),
        version=st.one_of(st.just("1"), st.text(max_size=8), st.integers().map(str)),
        action=st.sampled_from(["save", "propose", "", "other"]),
    )
    def test_rating_post_never_errors(self, level, rationale, version, action):
        entry = RoundEntry.objects.select_related("scorecard").get()
        entry.status = RoundEntry.Status.DRAFT
        entry.save(update_fields=["status"])
        self.client.force_login(self.analyst)
        before = Judgement.history.count()
        response = self.client.post(
            entry.get_absolute_url(),
            {
                "version": version,
                "likelihood-level": level,
                "likelihood-rationale": rationale,
                "action": action,
            },
        )
        assert response.status_code in {302, 409, 422}
        if response.status_code != 302:
            assert Judgement.history.count() == before
            assert "There is a problem" in response.content.decode()


def test_agreeing_asks_once_and_counts_the_leads_without_a_self_assessment(
    client_for, unit_leader, priority, priority_lead, other_priority
):
    round_ = make_round(
        {priority: "amber_green", other_priority: "green"},
        by=unit_leader,
        day=date(2026, 11, 1),
        status="moderation",
    )
    entry = round_.entries.get(priority=priority)
    SelfAssessment.record(entry, level="green", rationale="Hopeful.", by=priority_lead, version=0)
    url = reverse("assessment:agree", args=[round_.pk])

    page = client_for(unit_leader).get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "1 lead gave no self-assessment" in html
    assert other_priority.title in html
    assert f'action="{url}"' in html
    round_.refresh_from_db()
    assert round_.status == "moderation", "Opening the question changes nothing"

    assert client_for(unit_leader).post(url).status_code == 302
    round_.refresh_from_db()
    assert round_.status == "agreed"


def test_moderation_marks_the_challenged_cells_and_counts_them_per_priority(
    client_for, unit_leader, priority, other_priority
):
    round_ = make_round(
        {priority: "amber_green", other_priority: "green"},
        by=unit_leader,
        day=date(2026, 11, 1),
        status="moderation",
    )
    entry = round_.entries.get(priority=priority)
    for key, level in (("likelihood", "amber_red"), ("capacity", "red")):
        judgement = entry.scorecard.judgements.select_related("area").get(area__key=key)
        entry.challenge(
            judgement, level=level, reason="Compared.", by=unit_leader, seen=judgement.level
        )

    html = client_for(unit_leader).get(reverse("assessment:moderation", args=[round_.pk]))
    html = html.content.decode()

    assert html.count('app-challenged">Challenged</strong>') == 2
    assert "2 challenges" in html
    assert "1 challenge<" not in html, "the other priority was not challenged"
