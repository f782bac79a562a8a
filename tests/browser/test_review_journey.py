"""A priority review in Chromium, end to end: the analyst scopes a review of Temporary
Accommodation, the Chief Executive signs off its terms of reference, the analyst logs two
interviews (htmx adds each to the log), writes a finding and a recommendation, issues the report,
records the response, turns the recommendation into a stocktake action, records the follow-up and
closes the review. axe-core on every page and after every swap."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

TITLE = "Temporary Accommodation: move-on from hostels"


def fill_date(page: Page, legend: str, day: int, month: int, year: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def click_and_check(page: Page, role: str, name: str, heading: str | re.Pattern) -> None:
    page.get_by_role(role, name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def log_interview(page: Page, who: str, link: str, notes: str) -> None:
    page.get_by_role("radio", name="Interview").check()
    page.get_by_label("Who or where").fill(who)
    # The links of the delivery chain come from the priority's delivery plan.
    page.get_by_label("Link of the delivery chain", exact=True).select_option(label=link)
    page.get_by_role("checkbox", name=re.compile("Priya Shah")).check()
    page.get_by_label("Notes").fill(notes)
    page.get_by_role("button", name="Add to the fieldwork log").click()
    expect(page.get_by_role("status")).to_contain_text(f"Interview with {who} added to the log.")
    assert_accessible(page)


def test_analyst_runs_a_review_from_terms_of_reference_to_follow_up(new_page, live_server):
    page = new_page()
    sign_in(page, live_server, "analyst")
    click_and_check(page, "link", "Priority reviews", "Priority reviews")
    click_and_check(page, "link", "Commission a review", "Commission a priority review")

    # Scoping: who, why and when.
    page.get_by_label("Priority under review").select_option(label="Temporary Accommodation")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Why the review was commissioned").fill(
        "Households stay in hostels for months after they are ready to move on."
    )
    page.get_by_label("Commissioned by").select_option(label="Margaret Ellison, Chief Executive")
    page.get_by_label("Review lead").select_option(label="Priya Shah, Delivery Analyst")
    # An error first: the fieldwork ends before it starts.
    fill_date(page, "Fieldwork: planned start", 20, 1, 2027)
    fill_date(page, "Fieldwork: planned end", 5, 1, 2027)
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    fill_date(page, "Fieldwork: planned end", 10, 2, 2027)
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)
    review_url = page.url

    click_and_check(page, "link", "Edit the terms of reference", "Terms of reference")
    page.get_by_label("Scope", exact=True).fill("From a hostel place to a settled home.")
    page.get_by_label("Questions the review will answer").fill(
        "Why do households stay in hostels once ready to move on?"
    )
    page.get_by_label("Hypotheses it will test").fill(
        "Move-on is slowed by the wait for a tenancy sustainment assessment."
    )
    page.get_by_role("button", name="Save the terms of reference").click()
    expect(page.get_by_text("Terms of reference saved.")).to_be_visible()
    assert_accessible(page)

    # The Chief Executive, who commissioned it, signs the terms off.
    chief = new_page()
    sign_in(chief, live_server, "chief")
    chief.get_by_role("link", name="Priority reviews").click()
    assert_accessible(chief)
    chief.goto(review_url)
    assert_accessible(chief)
    chief.get_by_role("button", name="Sign off the terms of reference").click()
    expect(chief.get_by_text("Terms of reference signed off.")).to_be_visible()
    assert_accessible(chief)
    # Fieldwork is not for leadership to read.
    expect(chief.get_by_role("link", name="Fieldwork log")).to_have_count(0)

    # Fieldwork: two interviews, each added by htmx without leaving the page.
    page.reload()
    page.get_by_role("button", name="Start fieldwork").click()
    expect(page.get_by_text("The review is now in fieldwork.")).to_be_visible()
    assert_accessible(page)
    click_and_check(page, "link", "Fieldwork log", "Fieldwork log")
    log_interview(
        page,
        "Hostel manager, Tottenham",
        "Frontline officers, Caseworkers and officers",
        "Forty ready to move.",
    )
    log_interview(
        page,
        "Tenancy sustainment team",
        "Service managers, Heads of service",
        "Assessments take six weeks.",
    )
    expect(page.get_by_role("heading", name="Interviews and visits (2)")).to_be_visible()

    page.goto(review_url)
    page.get_by_role("button", name="Start analysis").click()
    assert_accessible(page)

    # Analysis: a finding and the recommendation from it.
    click_and_check(page, "link", "Findings and recommendations", "Findings and recommendations")
    click_and_check(page, "link", "Add a finding", "Add a finding")
    page.get_by_label("Title").fill("Assessments hold up move-on")
    page.get_by_role("radio", name="What does not work").check()
    page.get_by_label("What the review found, and why").fill(
        "Households wait six weeks for an assessment before a tenancy can be offered."
    )
    page.get_by_role("radio", name="High").check()
    page.get_by_role("group", name=re.compile("tenancy sustainment assessment")).get_by_role(
        "radio", name="Supports"
    ).check()
    page.get_by_role("button", name="Save the finding").click()
    expect(page.get_by_text("Finding added.")).to_be_visible()
    assert_accessible(page)
    click_and_check(page, "link", "Add a recommendation", "Add a recommendation")
    page.get_by_label("Recommendation", exact=True).fill(
        "Start the assessment when a household enters the hostel, not when it is ready to leave."
    )
    page.get_by_role("checkbox", name="Assessments hold up move-on").check()
    page.get_by_label("Owner").select_option(label="Helen Murray, Director of Housing Demand")
    fill_date(page, "Due date", 31, 3, 2027)
    page.get_by_role("radio", name="High").check()
    page.get_by_role("button", name="Save the recommendation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendation")
    assert_accessible(page)
    recommendation_url = page.url

    # Reporting: preview, then issue.
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Start reporting").click()
    assert_accessible(page)
    click_and_check(page, "link", "The report: preview and issue", "The report: preview")
    expect(page.get_by_text("Start the assessment when a household enters")).to_be_visible()
    page.get_by_role("link", name="Issue the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issue the report")
    expect(page.get_by_text("kept exactly as it went out")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Issue the report").click()
    expect(page.get_by_text("Report issued as version 1.")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("link", name=re.compile(r"Version 1 \(PDF"))).to_be_visible()

    # The Chief Executive reads the issued report.
    chief.reload()
    with chief.expect_download() as download:
        chief.get_by_role("link", name=re.compile(r"Version 1 \(PDF")).click()
    assert download.value.suggested_filename.endswith("-report-v1.pdf")

    # The response, accepted.
    page.goto(recommendation_url)
    click_and_check(
        page, "link", "Record the response", "Record the response to the recommendation"
    )
    page.get_by_role("radio", name="Accepted", exact=True).check()
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_text("Response recorded.")).to_be_visible()
    assert_accessible(page)

    # The accepted recommendation becomes a stocktake action, linked both ways.
    click_and_check(
        page,
        "link",
        "Make it a stocktake action",
        "Make the recommendation a stocktake action",
    )
    page.get_by_role("button", name="Make it a stocktake action").click()
    expect(page.get_by_text("The recommendation is now a stocktake action.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start the assessment when a household enters the hostel, not when it is ready to leave."
    )
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("A recommendation of the priority review")).click()
    expect(page.get_by_role("heading", name="Stocktake action")).to_be_visible()
    assert_accessible(page)

    # The follow-up: what was done and its effect, and the review closes.
    page.get_by_role("link", name=TITLE).click()
    click_and_check(page, "link", "The follow-up", "Follow-up")
    page.get_by_label("What was done").fill("Assessments now start in the first week.")
    page.get_by_label("Its effect").fill("Move-on down from 14 weeks to 8.")
    page.get_by_role("button", name="Save the follow-up").click()
    expect(page.get_by_text("Follow-up saved.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Summary of the follow-up").fill("The recommendation was carried out.")
    page.get_by_role("button", name="Close the review").click()
    expect(page.get_by_text("Follow-up recorded and the review closed.")).to_be_visible()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()
    assert_accessible(page)
