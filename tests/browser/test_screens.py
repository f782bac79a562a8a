"""Every screen, for every demo role: no page is wider than the window at 1280 px or 390 px
(a wide table scrolls inside its own region), no id is repeated, and no page links a person
to a page they may not open. The screens include the pack's web page, whose tables scroll
the same way on screen only. The error pages are styled and accessible."""

import pytest
from playwright.sync_api import Page, expect

from delivery_unit.views import server_error
from tests.browser.accessibility import assert_accessible
from tests.browser.screens import WIDTHS, duplicate_ids, overflow, reachable, shape

pytestmark = pytest.mark.browser

PASSWORD = "delivery-demo"
# One person in each role the demo has.
ROLES = ["analyst", "unitlead", "lead", "officer", "chief", "admin"]
# The unit's staff, who reach the stocktakes and the pack's web page.
STAFF = {"analyst", "unitlead"}


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # At 390 px the menu (with "Sign out") is folded away, so look for it hidden or not.
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


@pytest.mark.parametrize("username", ROLES)
def test_no_page_is_wider_than_the_window_for_any_role(new_page, live_server, username):
    page = new_page(viewport={"width": WIDTHS[0], "height": 900})
    sign_in(page, username)
    too_wide, repeated, refused, visited = [], [], [], []

    for path in reachable(page, live_server.url, refused=refused):
        visited.append(path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            if extra := overflow(page):
                too_wide.append(f"{path} at {width} px: {extra} px too wide")
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        if ids := duplicate_ids(page):
            repeated.append(f"{path}: {', '.join(ids)}")

    assert len(visited) >= 10, visited
    if username in STAFF:
        assert "/stocktakes/N/pack/" in {shape(path) for path in visited}, "The pack's web page"
    assert not too_wide, "\n".join(too_wide)
    assert not repeated, "Repeated ids:\n" + "\n".join(repeated)
    assert not refused, "Links to pages this person may not open:\n" + "\n".join(refused)


@pytest.mark.parametrize("width", WIDTHS)
def test_error_pages_are_styled_accessible_and_fit(new_page, live_server, width):
    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, "lead")

    response = page.goto("/priorities/no-such-priority/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert overflow(page) == 0
    assert_accessible(page)

    response = page.goto("/stocktakes/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    assert overflow(page) == 0
    assert_accessible(page)

    # The 500 page as the server renders it with no request and no database, served at an
    # address of the site so that its stylesheet and scripts load as they would.
    html = server_error(None).content.decode()
    page.route(
        f"{live_server.url}/broken/",
        lambda route: route.fulfill(status=500, body=html, content_type="text/html"),
    )
    page.goto("/broken/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sorry, there is a problem with the service"
    )
    assert overflow(page) == 0
    assert_accessible(page)
