"""The main journeys, driven in Chromium by role and label the way a person would, with axe-core
(WCAG 2.0, 2.1 and 2.2, A and AA) and the Content Security Policy checked on every page visited,
after every htmx swap and in every error state."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.screens import overflow

pytestmark = pytest.mark.browser

PASSWORD = "delivery-demo"


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    expect(page).to_have_title(re.compile(r"^Sign in"))
    assert_accessible(page)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    assert_accessible(page)


def open_temporary_accommodation(page: Page) -> None:
    page.get_by_role("link", name="Priorities", exact=True).click()
    expect(page.get_by_role("heading", name="Priority register")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Temporary Accommodation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Temporary Accommodation")
    assert_accessible(page)


def test_sign_in_page_is_accessible_and_explains_a_wrong_password(page, live_server):
    page.goto("/sign-in/")
    assert_accessible(page)

    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct user name and password")
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_lead_drafts_a_section_and_submits_the_plan_by_keyboard(page, live_server):
    sign_in(page, live_server, "lead")
    page.get_by_role("link", name="Temporary Accommodation: delivery plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery plan")
    expect(page.get_by_text("Version 2 Draft", exact=False)).to_be_visible()
    assert_accessible(page)
    page.evaluate("() => { window.__samePage = true; }")

    edit = page.get_by_role("link", name="Edit the text of benchmarking")
    edit.focus()
    page.keyboard.press("Enter")
    section = page.locator("#section-benchmarking")
    text = section.get_by_label("Benchmarking")
    expect(text).to_be_visible()
    assert_accessible(page)
    text.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Our rate is the **third best** of the eight inner London boroughs.")
    page.keyboard.press("Tab")
    expect(section.get_by_role("button", name="Save section")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("Benchmarking saved.")
    expect(section.locator("strong")).to_have_text("third best")
    expect(section.get_by_role("heading", name="Benchmarking")).to_be_focused()
    assert page.evaluate("() => window.__samePage") is True
    assert_accessible(page)

    submit = page.get_by_role("link", name="Submit version 2 to the unit")
    submit.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit version 2 to the unit")
    expect(page.get_by_text("it is frozen as a record")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit version 2").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Version 2 submitted to the unit")
    expect(page.get_by_role("link", name="Edit the text of benchmarking")).to_have_count(0)
    expect(page.get_by_text("a record: it can no longer be changed")).to_be_visible()
    assert_accessible(page)


def test_lead_cannot_edit_a_plan_they_do_not_lead(page, live_server):
    sign_in(page, live_server, "lead")
    page.goto("/priorities/council-tax-collection/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery plan")
    expect(page.locator(".govuk-caption-l")).to_have_text("Council tax collection")
    expect(page.get_by_role("link", name=re.compile("^Edit the text"))).to_have_count(0)
    assert_accessible(page)


CRITERIA = [
    "aspiration",
    "delivery_chain",
    "leadership",
    "interventions",
    "milestones",
    "trajectory",
    "performance_management",
    "benchmarking",
    "resources",
    "stakeholders",
    "risks",
    "overall",
]
CHAIN_FEEDBACK = "Name who will brief the interim managers, and by when."


def test_analyst_assesses_and_returns_a_plan_and_the_lead_revises_with_the_feedback_beside_it(
    new_page, live_server
):
    plan_url = "/priorities/temporary-accommodation/plan/"
    lead = new_page()
    sign_in(lead, live_server, "lead")
    lead.goto(plan_url)
    lead.get_by_role("link", name="Submit version 2 to the unit").click()
    lead.get_by_role("button", name="Submit version 2").click()
    expect(lead.get_by_role("alert")).to_contain_text("Version 2 submitted")
    assert_accessible(lead)

    # The analyst rates every criterion, with feedback, against the guidance beside each level.
    analyst = new_page()
    sign_in(analyst, live_server, "analyst")
    analyst.goto(plan_url)
    analyst.get_by_role("link", name="Assess version 2").click()
    expect(analyst.get_by_role("heading", level=1)).to_have_text("Assess the delivery plan")
    assert_accessible(analyst)
    for key in CRITERIA:
        area = analyst.locator(f"#area-{key}")
        level = "Amber-red" if key in {"delivery_chain", "overall"} else "Amber-green"
        area.get_by_label(level, exact=True).check()
        name = area.locator("h2").inner_text().lower()
        feedback = CHAIN_FEEDBACK if key == "delivery_chain" else f"Feedback on {name}."
        area.get_by_label(f"Rationale for {name}").fill(feedback)
        if key == "benchmarking":
            reason = area.get_by_label(f"Reason for a change for {name}")
            reason.fill("The peer comparison is still missing.")
        elif area.get_by_label(f"Reason for a change for {name}").count():
            area.get_by_label(f"Reason for a change for {name}").fill("Better than before.")
    analyst.get_by_role("button", name="Complete the assessment").click()
    expect(analyst.get_by_role("alert")).to_contain_text("Assessment of version 2 complete")
    assert_accessible(analyst)

    # Moderation across plans: the panel challenges one rating, swapped in by htmx.
    analyst.get_by_role("link", name="Moderation of all plans").click()
    expect(analyst.get_by_role("heading", level=1)).to_have_text("Moderation of delivery plans")
    assert_accessible(analyst)
    analyst.evaluate("() => { window.__samePage = true; }")
    analyst.get_by_role("link", name="Challenge stakeholders for Temporary Accommodation").click()
    panel = analyst.locator("#challenge-panel")
    expect(panel.get_by_role("heading", level=2)).to_contain_text("stakeholders")
    assert_accessible(analyst)
    panel.get_by_label("Amber-red", exact=True).check()
    panel.get_by_label("Reason").fill("Residents are not engaged at all yet.")
    panel.get_by_role("button", name="Record the challenge").click()
    expect(analyst.get_by_role("alert")).to_contain_text(
        "Stakeholders for Temporary Accommodation changed from Amber-green to Amber-red."
    )
    assert analyst.evaluate("() => window.__samePage") is True
    assert_accessible(analyst)

    # Returned with feedback.
    analyst.goto(plan_url)
    decision = analyst.locator(".app-decision")
    decision.get_by_label("Return for revision").check()
    decision.get_by_label("Feedback to the lead").fill("Strengthen the delivery chain first.")
    decision.get_by_role("button", name="Record the decision").click()
    expect(analyst.get_by_role("alert")).to_contain_text("Version 2 returned to the lead")
    assert_accessible(analyst)

    # The lead revises the new draft with the unit's feedback beside each section.
    lead.goto(plan_url)
    expect(lead.get_by_role("heading", name="Returned for revision")).to_be_visible()
    expect(lead.get_by_text("Strengthen the delivery chain first.")).to_be_visible()
    chain_feedback = lead.get_by_role("complementary", name="The unit's feedback on delivery chain")
    expect(chain_feedback).to_contain_text(CHAIN_FEEDBACK)
    expect(chain_feedback).to_contain_text("Amber-red")
    assert_accessible(lead)

    lead.get_by_role("link", name="Edit the text of delivery chain").click()
    section = lead.locator("#section-delivery_chain")
    expect(section.get_by_role("complementary")).to_contain_text(CHAIN_FEEDBACK)
    assert_accessible(lead)
    section.get_by_role("textbox", name="Delivery chain").fill(
        "The Head of Housing Demand briefs each interim manager in person by the end of the month."
    )
    section.get_by_role("button", name="Save section").click()
    expect(lead.get_by_role("status")).to_have_text("Delivery chain saved.")
    expect(section).to_contain_text("briefs each interim manager in person")
    expect(section.get_by_role("complementary")).to_contain_text(CHAIN_FEEDBACK)
    assert_accessible(lead)


def test_a_writer_edits_a_section_and_comments_without_javascript(new_page, live_server):
    page = new_page(java_script_enabled=False)
    sign_in(page, live_server, "officer")
    page.goto("/priorities/temporary-accommodation/plan/")
    page.get_by_role("link", name="Edit the text of stakeholders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit a section")
    assert_accessible(page)
    page.get_by_role("textbox", name="Stakeholders").fill("The tenants' panel meets *monthly*.")
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_role("alert")).to_contain_text("Stakeholders saved.")
    expect(page.locator("#section-stakeholders em")).to_have_text("monthly")
    assert_accessible(page)

    section = page.locator("#section-stakeholders")
    expect(section.get_by_label("Comment on stakeholders")).to_be_hidden()
    section.get_by_text("Add a comment").click()
    section.get_by_label("Comment on stakeholders").fill("Add the partnership board.")
    section.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("alert")).to_contain_text("Comment added.")
    expect(page.locator("#section-stakeholders .app-comment-list")).to_contain_text(
        "Add the partnership board."
    )
    expect(page.locator("#section-stakeholders .app-comment-list")).to_contain_text("Jordan Reid")
    assert_accessible(page)


def test_analyst_comments_on_a_draft_section_swapped_in_by_htmx(page, live_server):
    sign_in(page, live_server, "analyst")
    page.goto("/priorities/temporary-accommodation/plan/")
    page.evaluate("() => { window.__samePage = true; }")
    section = page.locator("#section-risks")
    section.get_by_text("Add a comment").click()
    section.get_by_role("button", name="Add comment").click()
    summary = section.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a comment")
    assert_accessible(page)
    section.get_by_label("Comment on risks").fill("Is the grant risk still a 2?")
    section.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("status")).to_have_text("Comment added to risks.")
    expect(section.locator(".app-comment-list")).to_contain_text("Is the grant risk still a 2?")
    assert page.evaluate("() => window.__samePage") is True
    assert_accessible(page)


@pytest.fixture
def forty_priorities(demo) -> None:
    """The demo's eight priorities and 32 more ("Priority 01" to "Priority 32", the last two
    paused): two pages of the register."""
    from delivery_unit.models import User
    from priorities.models import Priority

    lead = User.objects.get(username="lead")
    Priority.objects.bulk_create(
        Priority(
            title=f"Priority {n:02}",
            slug=f"priority-{n:02}",
            aspiration="An aspiration.",
            lead=lead,
            status="paused" if n > 30 else "active",
        )
        for n in range(1, 33)
    )


def test_analyst_filters_the_register_and_turns_its_pages_on_a_phone(
    page, live_server, forty_priorities
):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "analyst")
    page.goto("/priorities/")
    status = page.locator("#results [role=status]")
    expect(status).to_contain_text("40 priorities (showing 1 to 25).")
    pages = page.get_by_role("navigation", name="Pages of the register")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    assert overflow(page) == 0
    assert_accessible(page)

    # Filtered by htmx: the results, with their pages, are swapped in; the page stays.
    page.evaluate("() => { window.__samePage = true; }")
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Apply filters").click()
    expect(status).to_contain_text("38 priorities match these filters (showing 1 to 25).")
    assert page.evaluate("() => window.__samePage") is True
    assert overflow(page) == 0
    assert_accessible(page)

    pages.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"/priorities/\?.*status=active.*&page=2$"))
    expect(status).to_contain_text("38 priorities match these filters (showing 26 to 38).")
    expect(page.get_by_label("Status")).to_have_value("active")
    expect(pages.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    expect(pages.get_by_role("link", name="Next page")).to_have_count(0)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        assert overflow(page) == 0, f"wider than the window at {width} px"
        assert_accessible(page)


def test_register_pages_keep_the_sort_without_javascript(new_page, live_server, forty_priorities):
    page = new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
    sign_in(page, live_server, "analyst")
    page.goto("/priorities/")
    page.get_by_label("Sort by").select_option(label="Title (descending)")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody th a").first).to_have_text("Young people in work or learning")
    page.get_by_role("navigation", name="Pages of the register").get_by_role(
        "link", name="Page 2"
    ).click()
    expect(page).to_have_url(re.compile(r"sort=-title.*&page=2$"))
    expect(page.locator("#results [role=status]")).to_contain_text(
        "40 priorities match these filters (showing 26 to 40)."
    )
    assert overflow(page) == 0
    assert_accessible(page)
