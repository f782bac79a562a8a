"""Assessment rounds in Chromium: an analyst rates a priority with the keyboard only, the panel
challenges a rating in moderation and the Unit Leader agrees the round, a rating's rationale is
read in the moderation grid (fetched when its cell is opened, or on a page of its own without
JavaScript), and the Chief Executive reads the delivery report (and prints it on one landscape
page). axe-core on every page and after every htmx swap."""

import io
import re

import pytest
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.accessibility import assert_accessible
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

AREAS = [
    "Degree of challenge",
    "Quality of planning, implementation and performance management",
    "Capacity to drive progress",
    "Stage of delivery",
    "Likelihood of delivery",
]


def tab_to(page: Page, target: Locator, limit: int = 400) -> None:
    """Press Tab until ``target`` has focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def current_round(page: Page) -> None:
    page.get_by_role("link", name="Assessment rounds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment rounds")
    assert_accessible(page)
    page.get_by_role("row", name=re.compile(r"Open")).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("assessment")
    assert_accessible(page)


def test_analyst_rates_a_priority_with_the_keyboard_only(page, live_server):
    sign_in(page, live_server, "analyst")
    current_round(page)
    page.get_by_role("link", name="Rough sleeping").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rough sleeping")
    assert_accessible(page)

    for area in AREAS:
        group = page.get_by_role("group", name=area)
        first = group.get_by_role("radio").first
        tab_to(page, first)
        page.keyboard.press("Space")
        if area == "Likelihood of delivery":
            # Arrow keys move the choice: Green, Amber-green, Amber-red.
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        page.keyboard.type(f"The evidence on {area.lower()}.")
        page.keyboard.press("Tab")
        page.keyboard.type("What changed since the last round.")
    expect(
        page.get_by_role("group", name="Likelihood of delivery").get_by_label("Amber-red")
    ).to_be_checked()

    # The draft saves itself as the analyst works, and the save is announced.
    status = page.get_by_role("status")
    expect(status).to_contain_text("Draft saved at", timeout=15_000)
    assert_accessible(page)
    page.wait_for_timeout(2500)  # let the last keystroke's save finish
    expect(status).to_contain_text("Draft saved at")

    page.reload()
    expect(
        page.get_by_role("group", name="Likelihood of delivery").get_by_label("Amber-red")
    ).to_be_checked()
    expect(page.get_by_label("Rationale for likelihood of delivery")).to_have_value(
        "The evidence on likelihood of delivery."
    )

    tab_to(page, page.get_by_role("button", name="Propose for moderation"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Ratings of Rough sleeping proposed")
    row = page.get_by_role("row", name=re.compile("Rough sleeping"))
    expect(row).to_contain_text("Proposed")
    expect(row).to_contain_text("Amber-red")
    assert_accessible(page)


def propose_every_draft() -> None:
    """The rest of the unit's work in the round, done: every draft rated and proposed."""
    from priorities.rounds.models import Round, RoundEntry

    round_ = Round.objects.get(status="open")
    for entry in round_.entries.filter(status=RoundEntry.Status.DRAFT).select_related("round"):
        values = {
            judgement.area_id: {
                "level": judgement.area.levels.order_by("position")[1].value,
                "rationale": "Rated by a colleague.",
            }
            for judgement in entry.scorecard.judgements.select_related("area")
        }
        entry.propose(
            values,
            by=entry.round.opened_by,
            version=entry.scorecard.version,
            previous={},
        )


def test_the_panel_challenges_a_rating_and_the_unit_leader_agrees(page, live_server):
    propose_every_draft()
    sign_in(page, live_server, "unitlead")
    current_round(page)
    page.get_by_role("button", name="Move to moderation").click()
    expect(page.get_by_role("alert")).to_contain_text("is in moderation")
    assert_accessible(page)

    page.get_by_role("link", name="Moderate the ratings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")
    assert_accessible(page)
    page.evaluate("() => { window.__samePage = true; }")

    page.get_by_role("link", name="Challenge likelihood of delivery for Rough sleeping").click()
    panel = page.locator("#challenge-panel")
    heading = panel.get_by_role("heading", name="Challenge the rating of likelihood of delivery")
    expect(heading).to_be_focused()
    assert_accessible(page)

    # A challenge without a reason is refused, with the summary focused.
    panel.get_by_label("Red", exact=True).check()
    panel.get_by_role("button", name="Record the challenge").click()
    expect(panel.locator(".govuk-error-summary")).to_be_focused()
    expect(panel.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the change")
    assert_accessible(page)

    panel.get_by_label("Reason").fill("Rough sleeping counts rose two months running.")
    panel.get_by_role("button", name="Record the challenge").click()
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Likelihood of delivery for Rough sleeping changed from")
    expect(banner).to_contain_text("to Red")
    row = page.get_by_role("row", name=re.compile("Rough sleeping"))
    expect(row.locator("td").nth(4)).to_contain_text("Red")
    row.get_by_text("Rationale on likelihood of delivery, Rough sleeping").click()
    expect(row).to_contain_text("Challenged in moderation by Tom Okafor")
    assert page.evaluate("() => window.__samePage") is True
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("assessment$")).last.click()
    page.get_by_role("link", name="Agree the ratings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agree the ratings")
    expect(page.get_by_text("gave no self-assessment")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Agree the ratings").click()
    expect(page.get_by_role("alert")).to_contain_text("is agreed")
    assert_accessible(page)


def moderation_of_the_latest_agreed_round(page: Page) -> None:
    page.get_by_role("link", name="Assessment rounds").click()
    page.get_by_role("row", name=re.compile(r"Agreed")).first.get_by_role("link").click()
    page.get_by_role("link", name="Read the moderated ratings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")


def latest_agreed_rationale(title: str, key: str) -> str:
    """The first line of the rationale a priority's area was agreed with in the latest round."""
    from assessment.models import Judgement

    judgement = (
        Judgement.objects.filter(
            scorecard__entry__round__status="agreed",
            scorecard__entry__priority__title=title,
            area__key=key,
        )
        .order_by("-scorecard__entry__round__date")
        .first()
    )
    assert judgement is not None and judgement.rationale
    return judgement.rationale.splitlines()[0]


def test_a_cells_rationale_is_fetched_when_the_cell_is_opened(page, live_server):
    rationale = latest_agreed_rationale("Rough sleeping", "likelihood")
    fetched: list[str] = []
    page.on(
        "request",
        lambda request: fetched.append(request.url) if "/likelihood/" in request.url else None,
    )
    sign_in(page, live_server, "analyst")
    moderation_of_the_latest_agreed_round(page)
    assert_accessible(page)
    cell = page.get_by_role("row", name=re.compile("Rough sleeping")).locator("td").nth(4)
    text = cell.locator(".govuk-details__text")
    # Before it is opened, the cell holds a link to its rationale, not the rationale.
    expect(text.locator("a")).to_have_text(
        "Read the rationale on likelihood of delivery for Rough sleeping"
    )
    assert rationale not in (text.text_content() or "")

    cell.get_by_text("Rationale on likelihood of delivery, Rough sleeping").click()
    expect(text).to_contain_text(rationale)
    expect(text).to_contain_text("Last agreed:")
    expect(text.get_by_role("link", name=re.compile("Read the rationale"))).to_have_count(0)
    assert len(fetched) == 1
    assert_accessible(page)

    # Closed and opened again, it shows what it fetched, without fetching it again.
    summary = cell.locator("summary")
    summary.click()
    summary.click()
    expect(text).to_contain_text(rationale)
    page.wait_for_timeout(300)
    assert len(fetched) == 1


def test_without_javascript_a_cell_links_to_its_rationale(new_page, live_server):
    rationale = latest_agreed_rationale("Rough sleeping", "likelihood")
    page = new_page(java_script_enabled=False)
    sign_in(page, live_server, "analyst")
    moderation_of_the_latest_agreed_round(page)
    row = page.get_by_role("row", name=re.compile("Rough sleeping"))
    row.get_by_text("Rationale on likelihood of delivery, Rough sleeping").click()
    row.get_by_role(
        "link", name="Read the rationale on likelihood of delivery for Rough sleeping"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rationale on likelihood of delivery")
    expect(page.get_by_role("main")).to_contain_text(rationale)
    assert_accessible(page)
    page.get_by_role("link", name="Back to moderation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")


def test_the_chief_reads_the_delivery_report_and_prints_it_on_one_page(page, live_server):
    sign_in(page, live_server, "chief")
    expect(page.get_by_role("heading", name="Delivery report")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Temporary Accommodation")
    page.get_by_role("link", name="Open the delivery report to sort, print or download it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery report")
    assert_accessible(page)

    page.get_by_role("link", name="Change since last round").click()
    expect(page).to_have_url(re.compile(r"sort=change"))
    table = page.get_by_role("table")
    expect(table).to_contain_text(re.compile(r"(Up|Down) from"))
    expect(table).to_contain_text("steps apart")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith("delivery-report-")

    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(pdf.pages) == 1, "The report prints on one page"
    box = pdf.pages[0].mediabox
    assert float(box.width) > float(box.height), "in landscape"
    assert round(float(box.width) / 72 * 25.4) == 297, "on A4"
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Temporary Accommodation" in text
    assert "Recycling" in text
