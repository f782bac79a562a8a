"""Delivery plans: who writes them, how versions move, what a frozen version refuses, two writers
on one section, comments kept with their version, comparison, the printed plan, and email."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from delivery_unit.markdown import render_markdown
from delivery_unit.versioning import Stale
from delivery_unit.workflow import TransitionRefused
from plans.compare import compare, diff_text
from plans.models import (
    ChainLink,
    Comment,
    DeliveryPlan,
    Intervention,
    Milestone,
    PlanFrozen,
    PlanSection,
    PlanVersion,
    Risk,
)
from tests.conftest import assess_plan, make_user
from tests.html_checks import duplicate_ids


def draft_of(priority) -> PlanVersion:
    return PlanVersion.objects.select_related("plan__priority").get(
        plan__priority=priority, status="draft"
    )


def url(name: str, priority, **kwargs) -> str:
    return reverse(f"plans:{name}", kwargs={"slug": priority.slug, **kwargs})


def section_url(priority, number=1, key="aspiration") -> str:
    return url("section", priority, number=number, key=key)


@pytest.fixture
def officer(priority):
    """Service staff added to the plan as a writer."""
    user = make_user("officer", "priority_lead", email="officer@example.org")
    priority.plan.writers.add(user)
    return user


@pytest.fixture
def submitted(priority, priority_lead) -> PlanVersion:
    version = draft_of(priority)
    Risk.objects.create(plan_version=version, description="Demand.", likelihood=4, impact=4)
    version.submit(by=priority_lead)
    return version


# Who may write, and the transitions


def test_lead_and_added_writer_edit_a_section_unit_staff_and_others_may_not(
    client_for, priority, priority_lead, officer, unit_staff, other_lead, leadership
):
    for user, expected in [
        (priority_lead, 302),
        (officer, 302),
        (unit_staff, 403),
        (other_lead, 403),
        (leadership, 403),
    ]:
        section = PlanSection.objects.get(plan_version__plan__priority=priority, key="aspiration")
        response = client_for(user).post(
            section_url(priority), {"text": f"By {user}.", "version": section.version}
        )
        assert response.status_code == expected, user
    texts = list(PlanSection.history.filter(key="aspiration").values_list("text", flat=True))
    assert "By Lead." in texts and "By Officer." in texts
    assert "By Analyst." not in texts


def test_lead_submits_and_the_unit_is_emailed(
    client_for, priority, priority_lead, unit_staff, django_capture_on_commit_callbacks
):
    unit_staff.email = "analyst@example.org"
    unit_staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(priority_lead).post(url("submit", priority, number=1))
    assert response.status_code == 302
    version = PlanVersion.objects.get(plan__priority=priority, number=1)
    assert version.status == "submitted"
    assert version.submitted_by == priority_lead
    assert [m.to for m in mail.outbox] == [["analyst@example.org"]]
    assert "Delivery plan submitted: Temporary Accommodation" in mail.outbox[0].subject
    assert "/priorities/temporary-accommodation/plan/versions/1/" in mail.outbox[0].body


@pytest.mark.parametrize("role", ["officer", "unit_staff", "other_lead", "leadership"])
def test_only_the_lead_submits(request, client_for, priority, role):
    user = request.getfixturevalue(role)
    response = client_for(user).post(url("submit", priority, number=1))
    assert response.status_code == 403
    assert draft_of(priority).status == "draft"


def test_transitions_refuse_illegal_moves(priority, priority_lead, unit_staff):
    version = draft_of(priority)
    with pytest.raises(TransitionRefused):
        version.approve(by=unit_staff)
    with pytest.raises(TransitionRefused):
        version.return_for_revision(by=unit_staff, feedback="No.")
    version.submit(by=priority_lead)
    with pytest.raises(TransitionRefused):
        version.submit(by=priority_lead)
    with pytest.raises(TransitionRefused):
        version.approve(by=unit_staff)
    assess_plan(version, unit_staff)
    version.approve(by=unit_staff, feedback="Good.")
    with pytest.raises(TransitionRefused):
        version.return_for_revision(by=unit_staff, feedback="Too late.")
    assert PlanVersion.objects.get(pk=version.pk).status == "approved"


def test_unit_returns_an_assessed_plan_with_feedback_and_a_copy_becomes_the_draft(
    client_for,
    priority,
    priority_lead,
    unit_staff,
    submitted,
    officer,
    django_capture_on_commit_callbacks,
):
    priority_lead.email = "lead@example.org"
    priority_lead.save()
    ChainLink.objects.create(
        plan_version=submitted, position=1, name="Leader", role="Leader", weak=True, weak_note="X"
    )
    PlanSection.objects.filter(plan_version=submitted, key="risks").update(text="Risky.")
    Comment.objects.create(
        plan_version=submitted, section="risks", author=unit_staff, body="Made on version 1."
    )
    assess_plan(submitted, unit_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(unit_staff).post(
            url("decide", priority, number=1),
            {"decision": "return", "feedback": "Name an owner for each milestone."},
        )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.feedback) == (
        "returned",
        "Name an owner for each milestone.",
    )
    draft = draft_of(priority)
    assert (draft.number, draft.based_on) == (2, submitted)
    assert draft.sections.get(key="risks").text == "Risky."
    assert draft.chain.get().weak_note == "X"
    assert draft.risks.get().description == "Demand."
    assert not draft.comments.exists(), "Comments stay with the version they were made on"
    assert submitted.comments.count() == 1
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["lead@example.org", "officer@example.org"]
    assert "Name an owner for each milestone." in mail.outbox[0].body

    page = client_for(priority_lead).get(url("detail", priority)).content.decode()
    assert "Returned for revision" in page
    assert "Name an owner for each milestone." in page


def test_returning_needs_feedback_and_changes_nothing_without_it(
    client_for, priority, unit_staff, submitted
):
    assess_plan(submitted, unit_staff)
    response = client_for(unit_staff).post(
        url("decide", priority, number=1), {"decision": "return", "feedback": "  "}
    )
    assert response.status_code == 422
    assert "Enter the feedback the lead needs to revise the plan" in response.content.decode()
    assert PlanVersion.objects.get(pk=submitted.pk).status == "assessed"
    assert PlanVersion.objects.filter(plan=submitted.plan).count() == 1


def test_unit_approves_and_the_lead_starts_the_next_draft(
    client_for, priority, priority_lead, unit_staff, submitted
):
    assess_plan(submitted, unit_staff)
    response = client_for(unit_staff).post(
        url("decide", priority, number=1), {"decision": "approve", "feedback": ""}
    )
    assert response.status_code == 302
    assert PlanVersion.objects.get(pk=submitted.pk).status == "approved"
    assert client_for(unit_staff).post(url("start", priority)).status_code == 403
    assert client_for(priority_lead).post(url("start", priority)).status_code == 302
    assert draft_of(priority).number == 2
    # A second draft while one is open is refused.
    client_for(priority_lead).post(url("start", priority))
    assert PlanVersion.objects.filter(plan=submitted.plan).count() == 2


def test_a_writer_may_start_the_next_draft_but_not_another_lead_or_leadership(
    client_for, priority, officer, other_lead, leadership, unit_staff, submitted
):
    """The service revises its plan (DOMAIN.md): after approval the lead or any writer starts
    the next draft; submitting it stays with the lead."""
    assess_plan(submitted, unit_staff)
    submitted.approve(by=unit_staff)
    for outsider in (other_lead, leadership, unit_staff):
        assert client_for(outsider).post(url("start", priority)).status_code in (403, 404)
    assert client_for(officer).post(url("start", priority)).status_code == 302
    assert draft_of(priority).created_by == officer
    assert client_for(officer).post(url("submit", priority, number=2)).status_code == 403


@pytest.mark.parametrize("role", ["priority_lead", "other_lead", "leadership"])
def test_only_unit_staff_return_or_approve(
    request, client_for, priority, unit_staff, submitted, role
):
    assess_plan(submitted, unit_staff)
    response = client_for(request.getfixturevalue(role)).post(
        url("decide", priority, number=1), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert PlanVersion.objects.get(pk=submitted.pk).status == "assessed"


def test_a_lead_starts_a_plan_for_a_priority_without_one(client_for, other_lead, other_priority):
    page = client_for(other_lead).get(url("detail", other_priority)).content.decode()
    assert "No plan has been written yet." in page
    assert "Start the delivery plan" in page
    assert client_for(other_lead).post(url("start", other_priority)).status_code == 302
    version = draft_of(other_priority)
    assert version.number == 1
    assert version.sections.count() == 11


# A submitted version cannot be changed through any view


def frozen_requests(priority, version: PlanVersion) -> list[tuple[str, dict]]:
    risk = version.risks.get()
    risk_kwargs = {"number": version.number, "part": "risks", "pk": risk.pk}
    return [
        (section_url(priority, version.number), {"text": "Changed.", "version": "1"}),
        (url("comment", priority, number=version.number, key="risks"), {"risks-body": "Hi."}),
        (
            url("item_add", priority, number=version.number, part="risks"),
            {"description": "New.", "likelihood": "1", "impact": "1", "status": "open"},
        ),
        (
            url("item_edit", priority, **risk_kwargs),
            {
                "description": "Changed.",
                "likelihood": "1",
                "impact": "1",
                "status": "open",
                "version": "1",
            },
        ),
        (url("item_remove", priority, **risk_kwargs), {"version": "1"}),
        (url("submit", priority, number=version.number), {}),
    ]


@pytest.mark.parametrize("role", ["priority_lead", "officer", "unit_staff"])
def test_a_submitted_version_cannot_be_changed_through_any_view(
    request, client_for, priority, submitted, role
):
    client = client_for(request.getfixturevalue(role))
    before = (
        PlanSection.history.count(),
        Risk.history.count(),
        Comment.objects.count(),
        PlanVersion.history.count(),
    )
    for address, data in frozen_requests(priority, submitted):
        assert client.post(address, data).status_code == 403, address
        if not address.endswith(("remove/", "submit/", "comments/")):
            assert client.get(address).status_code == 403, address
    after = (
        PlanSection.history.count(),
        Risk.history.count(),
        Comment.objects.count(),
        PlanVersion.history.count(),
    )
    assert after == before


def test_the_model_refuses_to_change_a_frozen_version(priority, priority_lead, submitted):
    section = submitted.sections.get(key="aspiration")
    with pytest.raises(PlanFrozen):
        section.revise(text="Sneaked in.", by=priority_lead, version=section.version)
    with pytest.raises(PlanFrozen):
        Risk.add(submitted, {"description": "X", "likelihood": 1, "impact": 1}, by=priority_lead)
    with pytest.raises(PlanFrozen):
        submitted.risks.get().edit({"description": "Y"}, by=priority_lead, version=1)
    assert submitted.sections.get(key="aspiration").text == "The first plan."


def test_a_save_racing_a_submission_is_refused_with_the_text_kept(
    client_for, priority, priority_lead, officer
):
    """The writer opened the section while it was a draft; the lead submitted meanwhile."""
    version = draft_of(priority)
    section = version.sections.get(key="risks")
    section.plan_version = version
    version.submit(by=priority_lead)
    with pytest.raises(PlanFrozen):
        section.revise(text="Late text.", by=officer, version=1)


# Two writers on one section


def test_second_writer_on_a_section_is_told_and_keeps_their_text(
    client_for, priority, priority_lead, officer
):
    first = client_for(officer).post(
        section_url(priority, key="risks"), {"text": "The officer's risks.", "version": "1"}
    )
    assert first.status_code == 302

    second = client_for(priority_lead).post(
        section_url(priority, key="risks"), {"text": "The lead's risks.", "version": "1"}
    )

    assert second.status_code == 409
    html = second.content.decode()
    assert "saved this section while you were editing" in html
    assert "The lead&#x27;s risks." in html, "The second writer's text stays in the form"
    assert "The officer's risks." in html, "The first writer's text is shown"
    assert 'name="version" value="2"' in html
    assert draft_of(priority).sections.get(key="risks").text == "The officer's risks."

    # Saving again from the refreshed form, knowingly, replaces it; both are in the history.
    client_for(priority_lead).post(
        section_url(priority, key="risks"), {"text": "Merged risks.", "version": "2"}
    )
    texts = list(
        PlanSection.history.filter(key="risks")
        .order_by("history_date")
        .values_list("text", flat=True)
    )
    assert texts[-2:] == ["The officer's risks.", "Merged risks."]


def test_stale_section_is_refused_in_the_model(priority, priority_lead, officer):
    section = draft_of(priority).sections.get(key="leadership")
    section.revise(text="One.", by=officer, version=1)
    stale = PlanSection.objects.select_related("plan_version").get(pk=section.pk)
    with pytest.raises(Stale):
        stale.revise(text="Two.", by=priority_lead, version=1)
    assert PlanSection.objects.get(pk=section.pk).text == "One."


def test_section_edit_swaps_in_by_htmx(client_for, priority, priority_lead):
    client = client_for(priority_lead)
    form = client.get(section_url(priority, key="benchmarking"), headers={"HX-Request": "true"})
    assert form.status_code == 200
    html = form.content.decode()
    assert html.lstrip().startswith('<section id="section-benchmarking"')
    assert "<html" not in html
    saved = client.post(
        section_url(priority, key="benchmarking"),
        {"text": "Peers do better.", "version": "1"},
        headers={"HX-Request": "true"},
    )
    html = saved.content.decode()
    assert saved.status_code == 200
    assert "Peers do better." in html
    assert "Benchmarking saved." in html and 'hx-swap-oob="innerHTML:#plan-status"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "x" * 20001, "version": "1"}, "20,000 characters or fewer"),
        ({"text": "Text"}, "This page is out of date"),
        ({"text": "Text", "version": "abc"}, "This page is out of date"),
    ],
    ids=["too long", "no version", "bad version"],
)
def test_bad_section_input_is_refused_with_a_message(
    client_for, priority_lead, priority, data, message
):
    response = client_for(priority_lead).post(section_url(priority), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert draft_of(priority).sections.get(key="aspiration").text == "The first plan."


# Markdown rendered inert


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<div hx-get="/priorities/" hx-trigger="load">x</div>',
        '<button hx-post="/sign-out/" hx-on:click="alert(1)">Go</button>',
        "[x](JaVaScRiPt:alert(1))",
        '<svg onload="alert(1)"></svg>',
        "<style>body{display:none}</style>",
        '<iframe src="https://example.org"></iframe>',
    ],
)
def test_markdown_with_script_handlers_javascript_links_and_htmx_renders_inert(text):
    """Whatever is typed, the output holds only allow-listed elements, and no attribute but a
    link's http(s) or mailto href: nothing that runs, fetches or tells htmx to act."""
    elements = elements_in(str(render_markdown(f"Before\n\n{text}\n\nAfter")))
    for tag, attrs in elements:
        assert tag in {
            "p",
            "br",
            "strong",
            "em",
            "ul",
            "ol",
            "li",
            "a",
            "blockquote",
            "code",
            "pre",
            "h3",
            "h4",
        }, tag
        for name, value in attrs:
            assert (tag, name) in {("a", "href"), ("a", "rel"), ("ol", "start")}, (tag, name)
            if name == "href":
                assert value.startswith(("http://", "https://", "mailto:")), value


def elements_in(html: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_markdown_keeps_what_writers_use():
    html = str(
        render_markdown("# Heading\n\n**Bold** and *em*\n\n* one\n* two\n\n[link](https://x.org)")
    )
    assert "<h3>Heading</h3>" in html
    assert "<strong>Bold</strong>" in html and "<em>em</em>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://x.org" rel="noopener noreferrer nofollow">link</a>' in html


def test_markdown_in_a_section_is_inert_on_the_page(client_for, priority, priority_lead):
    client_for(priority_lead).post(
        section_url(priority),
        {"text": '<script>alert(1)</script> <a hx-get="/x" onclick="x()">y</a>', "version": "1"},
    )
    html = client_for(priority_lead).get(url("detail", priority)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, "shown as the text typed"
    assert "<a hx-get" not in html and "<script>alert" not in html


# Comments


def test_unit_staff_and_writers_comment_on_a_draft_section(
    client_for, priority, unit_staff, officer, other_lead
):
    address = url("comment", priority, number=1, key="milestones")
    assert client_for(unit_staff).post(address, {"milestones-body": "Dates?"}).status_code == 302
    assert client_for(officer).post(address, {"milestones-body": "Added."}).status_code == 302
    assert client_for(other_lead).post(address, {"milestones-body": "Me?"}).status_code == 403
    empty = client_for(unit_staff).post(address, {"milestones-body": "  "})
    assert empty.status_code == 422
    assert "Enter a comment" in empty.content.decode()
    comments = Comment.objects.filter(section="milestones").order_by("created_at")
    assert [c.body for c in comments] == ["Dates?", "Added."]
    assert all(c.plan_version.number == 1 for c in comments)


def test_plan_page_folds_each_comment_box_away_and_repeats_no_id(client_for, priority, unit_staff):
    html = client_for(unit_staff).get(url("detail", priority)).content.decode()

    assert duplicate_ids(html) == []
    assert html.count('id="submit-id-comment-milestones"') == 1
    assert html.count("<summary") >= html.count('name="comment"') > 1
    assert '<details class="govuk-details govuk-!-margin-bottom-2" open>' not in html


def test_a_refused_comment_comes_back_with_its_box_open(client_for, priority, unit_staff):
    address = url("comment", priority, number=1, key="milestones")

    html = client_for(unit_staff).post(address, {"milestones-body": " "}).content.decode()

    assert html.count('<details class="govuk-details govuk-!-margin-bottom-2" open>') == 1
    assert duplicate_ids(html) == []


# Structured parts


def test_lead_adds_a_milestone_and_bad_dates_are_refused(client_for, priority, priority_lead):
    client = client_for(priority_lead)
    address = url("item_add", priority, number=1, part="milestones")
    bad = client.post(
        address,
        {"title": "Team in post", "due_0": "31", "due_1": "2", "due_2": "2027", "status": "done"},
    )
    assert bad.status_code == 422
    assert not Milestone.objects.exists()
    good = client.post(
        address,
        {
            "title": "Team in post",
            "owner": priority_lead.pk,
            "due_0": "1",
            "due_1": "3",
            "due_2": "2027",
            "status": "done",
            "done_on_0": "20",
            "done_on_1": "2",
            "done_on_2": "2027",
        },
    )
    assert good.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.due, milestone.done_on) == (date(2027, 3, 1), date(2027, 2, 20))


def test_done_needs_a_date_done(client_for, priority, priority_lead):
    response = client_for(priority_lead).post(
        url("item_add", priority, number=1, part="milestones"),
        {"title": "X", "due_0": "1", "due_1": "3", "due_2": "2027", "status": "done"},
    )
    assert response.status_code == 422
    assert "Enter the date the milestone was done" in response.content.decode()


def test_risk_scores_outside_1_to_5_are_refused(client_for, priority, priority_lead):
    response = client_for(priority_lead).post(
        url("item_add", priority, number=1, part="risks"),
        {"description": "X", "likelihood": "6", "impact": "0", "status": "open"},
    )
    assert response.status_code == 422
    assert not Risk.objects.exists()


def test_weak_link_needs_a_note_and_the_chain_shows_as_a_diagram(
    client_for, priority, priority_lead
):
    client = client_for(priority_lead)
    address = url("item_add", priority, number=1, part="chain")
    bad = client.post(address, {"position": "1", "name": "Leader", "role": "Leader", "weak": "on"})
    assert bad.status_code == 422
    assert "Enter why this link is weak" in bad.content.decode()
    client.post(address, {"position": "1", "name": "Cllr Ahmed", "role": "Leader"})
    client.post(
        address,
        {
            "position": "2",
            "name": "Housing officers",
            "role": "Frontline",
            "weak": "on",
            "weak_note": "Not briefed.",
        },
    )
    html = client.get(url("detail", priority)).content.decode()
    assert html.count('<li class="app-chain__link') == 2
    assert "app-chain__link--weak" in html and "Weak link" in html


def test_intervention_links_only_to_the_priority_s_own_indicator(
    client_for, priority, priority_lead, indicator, other_priority
):
    from priorities.indicators.models import Indicator

    foreign = Indicator.objects.create(
        priority=other_priority,
        code="CT-01",
        name="Collection",
        direction="higher",
        baseline_value=1,
        baseline_period=date(2025, 1, 1),
        target_value=2,
        target_period=date(2026, 1, 1),
    )
    address = url("item_add", priority, number=1, part="interventions")
    data = {"what": "Prevention team", "who": "Housing", "when": "April"}
    refused = client_for(priority_lead).post(address, data | {"indicator": foreign.pk})
    assert refused.status_code == 422
    assert (
        client_for(priority_lead).post(address, data | {"indicator": indicator.pk}).status_code
        == 302
    )
    assert Intervention.objects.get().indicator == indicator


def test_stale_item_edit_is_refused_showing_theirs(client_for, priority, priority_lead, officer):
    risk = Risk.objects.create(
        plan_version=draft_of(priority), description="Original.", likelihood=2, impact=2
    )
    address = url("item_edit", priority, number=1, part="risks", pk=risk.pk)
    data = {"likelihood": "2", "impact": "2", "status": "open", "version": "1"}
    assert (
        client_for(officer).post(address, data | {"description": "Officer's."}).status_code == 302
    )
    response = client_for(priority_lead).post(address, data | {"description": "Lead's."})
    assert response.status_code == 409
    assert "Officer&#x27;s." in response.content.decode()
    assert Risk.objects.get().description == "Officer's."


# Writers


def test_lead_adds_and_removes_a_writer(client_for, priority, priority_lead, other_lead):
    client = client_for(priority_lead)
    assert (
        client.post(url("writers", priority), {"add": "", "writer": other_lead.pk}).status_code
        == 302
    )
    assert list(priority.plan.writers.all()) == [other_lead]
    assert client.post(url("writers", priority), {"remove": other_lead.pk}).status_code == 302
    assert not priority.plan.writers.exists()
    bad = client.post(url("writers", priority), {"add": "", "writer": priority_lead.pk})
    assert bad.status_code == 422
    assert "Select the person to add from the list" in bad.content.decode()


# Milestones and risks for the rest of the application


def test_milestone_and_risk_querysets(priority, priority_lead, unit_staff):
    today = date(2026, 6, 1)
    draft = draft_of(priority)
    made = {}
    for title, due, status in [
        ("late", today - timedelta(days=3), "at_risk"),
        ("missed", today - timedelta(days=10), "missed"),
        ("done late", today - timedelta(days=5), "done"),
        ("soon", today + timedelta(days=10), "on_track"),
        ("later", today + timedelta(days=45), "not_started"),
    ]:
        made[title] = Milestone.objects.create(
            plan_version=draft,
            title=title,
            due=due,
            status=status,
            done_on=due if status == "done" else None,
        )
    for description, likelihood, impact, status in [
        ("small", 1, 2, "open"),
        ("big", 5, 4, "open"),
        ("closed", 5, 5, "closed"),
        ("middling", 4, 5, "open"),
    ]:
        Risk.objects.create(
            plan_version=draft,
            description=description,
            likelihood=likelihood,
            impact=impact,
            status=status,
        )
    current = Milestone.objects.current().for_priority(priority)
    assert {m.title for m in current.overdue(today)} == {"late", "missed"}
    assert {m.title for m in current.due_within(30, today)} == {"soon"}
    assert made["late"].is_overdue(today) and not made["done late"].is_overdue(today)
    top = Risk.objects.current().for_priority(priority).top(2)
    # 5 x 4 and 4 x 5 tie at 20: the greater impact comes first.
    assert [r.description for r in top] == ["middling", "big"]

    # Once the draft is submitted and returned, the new draft is the current one: no doubles.
    draft.submit(by=priority_lead)
    assess_plan(draft, unit_staff)
    draft.return_for_revision(by=unit_staff, feedback="More.")
    assert Milestone.objects.for_priority(priority).count() == 10
    assert Milestone.objects.current().for_priority(priority).overdue(today).count() == 2


def test_priority_page_shows_the_plan_milestones_and_top_risks(
    client_for, priority, priority_lead, unit_staff
):
    today = timezone.localdate()
    draft = draft_of(priority)
    Milestone.objects.create(plan_version=draft, title="Overdue one", due=today - timedelta(1))
    Milestone.objects.create(plan_version=draft, title="Soon one", due=today + timedelta(20))
    Milestone.objects.create(plan_version=draft, title="Far one", due=today + timedelta(90))
    Risk.objects.create(plan_version=draft, description="The worst risk", likelihood=5, impact=5)
    html = client_for(unit_staff).get(priority.get_absolute_url()).content.decode()
    assert "Overdue one" in html and "Soon one" in html and "Far one" not in html
    assert "The worst risk" in html and "25, high" in html
    assert "No version approved yet" in html
    assert 'Version 1</a> <strong class="govuk-tag govuk-tag--grey app-tag">Draft</strong>' in html


# Comparison and history


def test_compare_marks_changes_section_by_section(client_for, priority, priority_lead, unit_staff):
    first = draft_of(priority)
    first.sections.filter(key="leadership").update(text="The director owns the plan.")
    first.submit(by=priority_lead)
    assess_plan(first, unit_staff)
    second = first.return_for_revision(by=unit_staff, feedback="Say who owns each activity.")
    second.sections.filter(key="leadership").update(
        text="The director owns the plan; each head of service owns an activity."
    )
    Risk.objects.create(plan_version=second, description="New risk", likelihood=2, impact=3)

    diffs = {d.key: d for d in compare(first, second)}
    assert diffs["leadership"].changed and diffs["risks"].changed
    assert not diffs["aspiration"].changed
    response = client_for(unit_staff).get(url("compare", priority) + "?from=1&to=2")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>plan.</del>" in html
    assert "<ins>plan; each head of service owns an activity.</ins>" in html
    assert "<ins>New risk" in html
    assert client_for(unit_staff).get(url("compare", priority) + "?from=9&to=2").status_code == 422


def test_diff_text_keeps_every_word_on_its_side():
    left, right = diff_text("one two three", "one three four")
    assert "".join(s.text for s in left) == "one two three"
    assert "".join(s.text for s in right) == "one three four"
    assert "two" in "".join(s.text for s in left if s.changed)
    assert "three" not in "".join(s.text for s in left if s.changed)
    assert "four" in "".join(s.text for s in right if s.changed)


def test_history_lists_moves_and_edits(client_for, priority, priority_lead, officer):
    client_for(officer).post(section_url(priority, key="risks"), {"text": "Risks.", "version": "1"})
    draft_of(priority).submit(by=priority_lead)
    html = client_for(officer).get(url("history", priority)).content.decode()
    assert "Risks edited" in html
    assert "Submitted" in html
    assert "Officer" in html


# The printed plan


def test_plan_pdf_is_tagged_reads_back_and_passes_the_pdfua_checker(
    client_for, priority, priority_lead, leadership
):
    import pikepdf
    from pdfua import Severity, validate

    draft = draft_of(priority)
    ChainLink.objects.create(plan_version=draft, position=1, name="Cllr Ahmed", role="Leader")
    Milestone.objects.create(plan_version=draft, title="Team in post", due=date(2027, 3, 1))
    response = client_for(leadership).get(url("pdf", priority, number=1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in [
        "Delivery plan: Temporary Accommodation",
        "The first plan.",
        "Cllr Ahmed",
        "Team in post",
        "Risks",
    ]:
        assert expected in text
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "en-GB"
        title = str(document.docinfo["/Title"])
        assert title == "Delivery plan: Temporary Accommodation, version 1"
        assert "pdfuaid" in str(document.open_metadata())
    report = validate(io.BytesIO(pdf))
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    assert errors == [], [f"{f.rule_id}: {f.message}" for f in errors]


def test_delivery_plan_start_is_the_only_way_in(priority):
    assert DeliveryPlan.objects.get(priority=priority).versions.count() == 1


# Plan assessment against the criteria, and moderation across plans


def test_plan_criteria_are_data_one_per_section_and_overall(db):
    from assessment.models import Framework
    from plans.default_criteria import KIND as PLAN_CRITERIA

    framework = Framework.objects.current(PLAN_CRITERIA)
    areas = list(framework.areas.order_by("position"))
    assert [a.key for a in areas][:3] == ["aspiration", "delivery_chain", "leadership"]
    assert len(areas) == 12
    assert [a.key for a in areas if a.is_overall] == ["overall"]
    assert [lv.label for lv in areas[0].levels.order_by("position")] == [
        "Red",
        "Amber-red",
        "Amber-green",
        "Green",
    ]
    # A database that lost them (emptied by a test, say) gets them back when asked.
    Framework.objects.filter(kind="plan").delete()
    assert Framework.objects.current(PLAN_CRITERIA).areas.count() == 12


def assess_data(version, level="amber_green", action="complete", **overrides) -> dict:
    data = {"version": version.scorecard.version, "action": action}
    for judgement in version.scorecard.judgements.select_related("area"):
        key = judgement.area.key
        data[f"{key}-level"] = level
        data[f"{key}-rationale"] = f"Feedback on {key}."
    return data | overrides


def test_unit_assesses_a_submitted_plan_criterion_by_criterion(
    client_for, priority, unit_staff, submitted
):
    client = client_for(unit_staff)
    address = url("assess", priority, number=1)
    page = client.get(address).content.decode()
    assert "Delivery chain" in page and "Overall quality of the plan" in page
    assert "Missing or highly problematic" in page, "each level's guidance is beside it"

    partial = {"version": submitted.scorecard.version, "action": "save", "risks-level": "red"}
    assert client.post(address, partial).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert submitted.scorecard.judgements.get(area__key="risks").level == "red"

    incomplete = client.post(
        address, partial | {"action": "complete", "version": submitted.scorecard.version}
    )
    assert incomplete.status_code == 422
    assert "Select a rating for benchmarking" in incomplete.content.decode()
    assert PlanVersion.objects.get(pk=submitted.pk).status == "submitted"

    submitted.scorecard.refresh_from_db()
    complete = client.post(address, assess_data(submitted))
    assert complete.status_code == 302
    assert PlanVersion.objects.get(pk=submitted.pk).status == "assessed"


def test_two_analysts_assessing_at_once_the_second_is_told(
    client_for, priority, unit_staff, submitted
):
    other = make_user("unitlead", "unit_staff")
    address = url("assess", priority, number=1)
    seen = submitted.scorecard.version
    data = {"version": seen, "action": "save", "risks-rationale": "First."}
    assert client_for(unit_staff).post(address, data).status_code == 302
    late = client_for(other).post(address, data | {"risks-rationale": "Second."})
    assert late.status_code == 409
    assert "saved this assessment while you were working" in late.content.decode()
    assert submitted.scorecard.judgements.get(area__key="risks").rationale == "First."


def test_the_model_refuses_to_mark_an_incomplete_assessment(priority, unit_staff, submitted):
    with pytest.raises(TransitionRefused, match="Select a rating"):
        submitted.mark_assessed(by=unit_staff)


def test_a_rating_changed_since_the_last_decision_needs_a_reason(
    client_for, priority, priority_lead, unit_staff, submitted
):
    assess_plan(submitted, unit_staff)
    second = submitted.return_for_revision(by=unit_staff, feedback="Again.")
    second.submit(by=priority_lead)
    data = assess_data(second, level="green")
    response = client_for(unit_staff).post(url("assess", priority, number=2), data)
    assert response.status_code == 422
    assert "Enter why risks changed from Amber-green" in response.content.decode()


def test_only_unit_staff_assess(client_for, priority, priority_lead, leadership, submitted):
    for user in (priority_lead, leadership):
        response = client_for(user).post(url("assess", priority, number=1), assess_data(submitted))
        assert response.status_code == 403
    assert PlanVersion.objects.get(pk=submitted.pk).status == "submitted"


def test_lead_sees_the_assessment_only_once_returned_then_beside_each_section(
    client_for, priority, priority_lead, unit_staff, submitted
):
    scorecard = submitted.scorecard
    values = {
        j.area_id: {"level": "amber_red", "rationale": f"Unit view of {j.area.key}."}
        for j in scorecard.judgements.select_related("area")
    }
    scorecard.save_draft(values, by=unit_staff, version=scorecard.version)
    submitted.mark_assessed(by=unit_staff)
    before = client_for(priority_lead).get(url("detail", priority)).content.decode()
    assert "Unit view of risks." not in before
    assert (
        "Unit view of risks."
        in client_for(unit_staff).get(url("detail", priority)).content.decode()
    )

    submitted.return_for_revision(by=unit_staff, feedback="Revise the risks.")
    after = client_for(priority_lead).get(url("detail", priority)).content.decode()
    assert 'aria-label="The unit\'s feedback on risks"' in after
    assert "Unit view of risks." in after and "Unit view of delivery_chain." in after
    assert "The unit's assessment of version 1" in after
    assert "Amber-red" in after


def test_moderation_shows_plans_by_criteria_and_a_challenge_changes_a_rating(
    client_for, priority, priority_lead, unit_staff, submitted
):
    assess_plan(submitted, unit_staff)
    page = client_for(unit_staff).get(reverse("plans:moderation")).content.decode()
    assert "Temporary Accommodation" in page
    assert page.count("Challenge<span") == 12

    address = url("challenge", priority, number=1, key="risks")
    response = client_for(unit_staff).post(
        address, {"level": "red", "reason": "No mitigations.", "seen": "amber_green"}
    )
    assert response.status_code == 302
    judgement = submitted.scorecard.judgements.get(area__key="risks")
    assert judgement.level == "red"
    made = judgement.challenges.get()
    assert (made.original_level, made.moderated_level, made.reason, made.made_by) == (
        "amber_green",
        "red",
        "No mitigations.",
        unit_staff,
    )

    # A second panel member who saw the old rating is refused, and nothing changes.
    stale = client_for(unit_staff).post(
        address, {"level": "amber_red", "reason": "Split the difference.", "seen": "amber_green"}
    )
    assert stale.status_code == 409
    assert "Someone changed the rating of risks" in stale.content.decode()
    assert submitted.scorecard.judgements.get(area__key="risks").level == "red"


def test_challenge_swaps_the_grid_by_htmx(client_for, priority, unit_staff, submitted):
    assess_plan(submitted, unit_staff)
    response = client_for(unit_staff).post(
        url("challenge", priority, number=1, key="risks"),
        {"level": "red", "reason": "No mitigations.", "seen": "amber_green"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="moderation">')
    assert "Risks for Temporary Accommodation changed from Amber-green to Red." in html
    bad = client_for(unit_staff).post(
        url("challenge", priority, number=1, key="risks"),
        {"level": "red", "reason": "", "seen": "red"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422
    assert bad["HX-Retarget"] == "#challenge-panel"


def test_a_decided_plan_can_no_longer_be_moderated(client_for, priority, unit_staff, submitted):
    assess_plan(submitted, unit_staff)
    submitted.approve(by=unit_staff)
    response = client_for(unit_staff).post(
        url("challenge", priority, number=1, key="risks"),
        {"level": "red", "reason": "Late.", "seen": "amber_green"},
    )
    assert response.status_code == 403
    assert submitted.scorecard.judgements.get(area__key="risks").level == "amber_green"


def test_overdue_milestones_are_flagged_on_the_home_page_of_whoever_owns_leads_or_follows_them(
    client_for, priority, priority_lead, unit_staff, officer, other_lead
):
    today = timezone.localdate()
    draft = draft_of(priority)
    Milestone.objects.create(
        plan_version=draft, title="Overdue review", owner=officer, due=today - timedelta(days=2)
    )
    Milestone.objects.create(plan_version=draft, title="Not yet due", due=today + timedelta(3))
    for user in (priority_lead, unit_staff, officer):
        html = client_for(user).get(reverse("home")).content.decode()
        assert "Overdue milestones" in html and "Overdue review" in html, user
        overdue_section = html.split("Overdue milestones", 1)[1].split("<h2", 1)[0]
        assert "Overdue review" in overdue_section
        assert "Not yet due" not in overdue_section
    assert "Overdue review" not in client_for(other_lead).get(reverse("home")).content.decode()


def test_submitting_asks_once_and_names_the_empty_sections(client_for, priority, priority_lead):
    address = url("submit", priority, number=1)

    page = client_for(priority_lead).get(address)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Submit version 1 to the unit" in html
    assert "still empty" in html
    assert f'action="{address}"' in html
    assert draft_of(priority).status == "draft", "Opening the question changes nothing"


def test_the_leads_home_says_a_plan_was_returned_and_links_to_it(
    client_for, priority, priority_lead, unit_staff
):
    draft = draft_of(priority)
    draft.submit(by=priority_lead)
    assess_plan(draft, unit_staff)
    draft.return_for_revision(by=unit_staff, feedback="Name the owners.")
    home = client_for(priority_lead).get(reverse("home")).content.decode()
    assert "Plans returned with feedback" in home
    assert "Temporary Accommodation: version 1 returned with feedback" in home
    assert f'href="{url("detail", priority)}"' in home

    PlanVersion.objects.get(plan__priority=priority, number=2).submit(by=priority_lead)
    home = client_for(priority_lead).get(reverse("home")).content.decode()
    assert "Plans returned with feedback" not in home, "Submitted again: nothing to say"


def test_the_priority_page_opens_with_its_rating_state_and_next_milestone(
    client_for, priority, unit_staff
):
    draft = draft_of(priority)
    today = timezone.localdate()
    Milestone.objects.create(plan_version=draft, title="Later one", due=today + timedelta(90))
    Milestone.objects.create(plan_version=draft, title="Next one", due=today + timedelta(40))
    Milestone.objects.create(
        plan_version=draft, title="Done one", due=today + timedelta(5), status="done", done_on=today
    )

    html = client_for(unit_staff).get(priority.get_absolute_url()).content.decode()

    glance = html.split('id="glance-heading"')[1].split("</section>")[0]
    assert "Likelihood of delivery" in glance
    assert "Against trajectory" in glance
    assert "Next one, due" in glance
    assert "Later one" not in glance and "Done one" not in glance
    assert html.index('id="glance-heading"') < html.index("Aspiration")
    assert html.index('id="rating-heading"') < html.index('id="indicators-heading"')
