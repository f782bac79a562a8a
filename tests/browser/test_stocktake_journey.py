"""The stocktake's journey in Chromium: the analyst plans the agenda by keyboard, issues the pack
and watches its progress, records the meeting's actions and sends the follow-up note; the chief
downloads the issued pack; a lead updates an action. axe-core and the Content Security Policy
are checked on every page and after every htmx swap."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from stocktakes.models import Action, PackGeneration, Stocktake
from stocktakes.tasks import build_pack
from tests.browser.accessibility import assert_accessible
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

PLANNED = "Children and young people stocktake"


def agenda_titles(page: Page) -> list[str]:
    return page.locator("#agenda tbody th").all_inner_texts()


@pytest.fixture
def queued_tasks(settings):
    """Tasks wait in the queue, as they do for a real worker, so the page's progress shows."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_analyst_plans_issues_records_and_follows_up(page, live_server, queued_tasks):
    sign_in(page, live_server, "analyst")
    page.get_by_role("link", name="Stocktakes", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=PLANNED).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PLANNED)
    assert_accessible(page)
    assert agenda_titles(page) == [
        "Children's social care",
        "Special educational needs",
        "Young people in work or learning",
        "Temporary Accommodation",
    ]

    # Reorder by keyboard: Tab to the first item's Down button and press Enter, twice.
    down = page.get_by_role("button", name="Down (move Children's social care down)")
    down.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#agenda [role=status]")).to_have_text("Children's social care moved down.")
    assert_accessible(page)
    # Focus stays on the button just pressed, so the item can be moved again.
    expect(down).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#agenda tbody th").nth(2)).to_have_text("Children's social care")
    assert_accessible(page)
    assert agenda_titles(page) == [
        "Special educational needs",
        "Young people in work or learning",
        "Children's social care",
        "Temporary Accommodation",
    ]

    # A suggestion from the data goes onto the agenda.
    suggestion = page.locator(".app-suggestion", has_text="Council tax collection")
    expect(suggestion).to_contain_text("Not discussed at a stocktake yet")
    suggestion.get_by_role("button").click()
    expect(page.locator("#agenda [role=status]")).to_have_text("Item added to the agenda.")
    assert agenda_titles(page)[-1] == "Council tax collection"
    assert_accessible(page)
    # Remove takes it off again: the row's one form, its Remove button posting to the item's
    # remove address with the agenda's version; the suggestion puts it back.
    page.get_by_role("button", name="Remove Council tax collection").click()
    expect(page.locator("#agenda [role=status]")).to_have_text(
        "Council tax collection taken off the agenda."
    )
    assert "Council tax collection" not in agenda_titles(page)
    suggestion = page.locator(".app-suggestion", has_text="Council tax collection")
    suggestion.get_by_role("button").click()
    expect(page.locator("#agenda [role=status]")).to_have_text("Item added to the agenda.")
    assert agenda_titles(page)[-1] == "Council tax collection"

    # Issue the pack: the page shows progress while the worker lays it out.
    page.evaluate("() => { window.__samePage = true; }")
    page.get_by_role("link", name="Issue the pack").click()
    expect(page.get_by_role("heading", name="Issue the pack?")).to_be_focused()
    expect(page.locator("#pack")).to_contain_text("kept exactly as issued")
    assert_accessible(page)
    page.get_by_role("button", name="Issue the pack").click()
    expect(page.locator("#pack")).to_contain_text("Issuing the pack: waiting to start")
    assert_accessible(page)
    # The page stays usable meanwhile: the agenda still moves.
    page.get_by_role("button", name="Up (move Council tax collection up)").click()
    expect(page.locator("#agenda [role=status]")).to_have_text("Council tax collection moved up.")
    # The worker picks the task up (here, the task function run from the test).
    generation = PackGeneration.objects.get(stocktake__title=PLANNED)
    build_pack(generation.pk)
    expect(page.locator("#pack")).to_contain_text(
        "Version 1 of the pack was issued", timeout=15_000
    )
    assert page.evaluate("() => window.__samePage === true"), "Polled, not reloaded"
    assert_accessible(page)
    expect(page.get_by_role("link", name="PDF (version 1)")).to_be_visible()

    # The meeting: marked as held, then two actions recorded.
    page.get_by_role("button", name="Mark as held").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the meeting")
    assert_accessible(page)
    item = page.locator(
        "section", has=page.get_by_role("heading", name="1. Special educational needs")
    )
    item.get_by_label("Discussion on Special educational needs").fill(
        "Plans are delayed at the assessment stage."
    )
    expect(item.locator("[role=status]").first).to_contain_text("Saved at")
    assert_accessible(page)
    for description, owner in [
        (
            "Report on the educational psychology contract",
            "Grace Adeyemi, Director of Children's Services",
        ),
        (
            "Bring a recovery plan for plans within 20 weeks",
            "Tom Okafor, Head of the Corporate Delivery Unit",
        ),
    ]:
        item.get_by_label("Action", exact=True).fill(description)
        item.get_by_label("Owner").select_option(label=owner)
        item.get_by_label("Day").fill("15")
        item.get_by_label("Month").fill("1")
        item.get_by_label("Year").fill("2027")
        item.get_by_role("button", name="Add the action").click()
        expect(item.get_by_role("link", name=description)).to_be_visible()
        expect(item.get_by_text("Action recorded.")).to_be_visible()
        assert_accessible(page)
    assert Action.objects.filter(stocktake__title=PLANNED).count() == 2

    # The follow-up note: drafted from the actions, saved, sent.
    page.get_by_role("link", name="Write the follow-up note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up note")
    assert_accessible(page)
    note = page.get_by_label("Follow-up note")
    expect(note).to_contain_text("Report on the educational psychology contract")
    note.fill(note.input_value() + "\nThank you all.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_role("heading", name="Send the note")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send the follow-up note").click()
    expect(page.locator(".govuk-panel__title")).to_contain_text("Sent")
    assert_accessible(page)
    assert Stocktake.objects.get(title=PLANNED).status == Stocktake.Status.FOLLOW_UP_SENT
    assert len(mail.outbox) == 1 and "Thank you all." in mail.outbox[0].body


def test_chief_executive_downloads_the_issued_pack(page, live_server):
    sign_in(page, live_server, "chief")
    page.get_by_role("link", name="Stocktakes", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Housing and homelessness stocktake").click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the issued pack (PDF)").click()
    pdf = Path(download_info.value.path()).read_bytes()
    stocktake = Stocktake.objects.get(title="Housing and homelessness stocktake")
    assert pdf == bytes(stocktake.packs.get(number=1).pdf), "Exactly as issued"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    for title in ["Temporary Accommodation", "Rough sleeping", "Affordable homes"]:
        assert title in text
    expect(page.get_by_role("heading", level=1)).to_have_text("Housing and homelessness stocktake")
    assert_accessible(page)


def test_lead_updates_an_action(page, live_server):
    sign_in(page, live_server, "lead")
    # From the home page's list of their actions (what they owe names it "Action: ..." too).
    page.get_by_role(
        "link", name="Share the severe weather protocol with the chairs", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Share the severe weather protocol with the chairs"
    )
    assert_accessible(page)
    page.get_by_label("In progress").check()
    page.get_by_label("Progress", exact=True).fill("Draft protocol with the chairs' offices.")
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_text("Action updated.")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Draft protocol with the chairs' offices.")
    assert_accessible(page)

    page.get_by_role("link", name="Back to the action log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action log")
    assert_accessible(page)
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results [role=status]")).to_have_text(re.compile(r"^1 action match"))
    expect(page.locator("#results")).to_contain_text(
        "Report weekly on families in bed and breakfast"
    )
    assert_accessible(page)


def test_analyst_drags_an_agenda_item_into_place(page, live_server):
    sign_in(page, live_server, "analyst")
    page.goto(f"{live_server.url}/stocktakes/")
    page.get_by_role("link", name=PLANNED).click()
    assert_accessible(page)
    rows = page.locator("#agenda tr.app-agenda__row")
    # The drag events a person's mouse makes: Temporary Accommodation dropped on the top half
    # of the first row.
    transfer = page.evaluate_handle("() => new DataTransfer()")
    target = rows.nth(0).bounding_box()
    rows.nth(3).dispatch_event("dragstart", {"dataTransfer": transfer})
    rows.nth(0).dispatch_event(
        "dragover", {"dataTransfer": transfer, "clientY": target["y"] + 2, "bubbles": True}
    )
    rows.nth(0).dispatch_event("drop", {"dataTransfer": transfer})
    page.locator("#agenda tr.app-agenda__row").first.dispatch_event(
        "dragend", {"dataTransfer": transfer}
    )
    expect(page.locator("#agenda [role=status]")).to_have_text("Agenda reordered.")
    assert agenda_titles(page) == [
        "Temporary Accommodation",
        "Children's social care",
        "Special educational needs",
        "Young people in work or learning",
    ]
    assert_accessible(page)
    stocktake = Stocktake.objects.get(title=PLANNED)
    assert [item.title for item in stocktake.ordered_agenda()] == agenda_titles(page)


def test_chief_executive_reads_the_held_stocktakes_record_and_its_follow_up_note(page, live_server):
    sign_in(page, live_server, "chief")
    expect(page.get_by_role("heading", name="Follow-up notes from your stocktakes")).to_be_visible()
    page.get_by_role(
        "link", name=re.compile(r"^Housing and homelessness stocktake, ")
    ).first.click()
    assert_accessible(page)
    record = page.locator("#record")
    expect(record.get_by_role("heading", name="What the meeting decided")).to_be_visible()
    expect(record.get_by_role("heading", name="1. Temporary Accommodation")).to_be_visible()
    expect(record).to_contain_text("Bring the private-sector leasing deal to Cabinet")
    expect(record).to_contain_text("Heads of terms agreed; Cabinet report drafted.")
    expect(record.get_by_role("heading", name="The follow-up note")).to_be_visible()
    note = Stocktake.objects.get(title="Housing and homelessness stocktake").follow_up
    with page.expect_download() as download_info:
        record.get_by_role("link", name="Download the note as sent (PDF)").click()
    assert Path(download_info.value.path()).read_bytes() == bytes(note.pdf), "exactly as sent"
    record.get_by_role("link", name="Open it as a web page").click()
    expect(page.locator("body")).to_contain_text("Housing and homelessness stocktake")
