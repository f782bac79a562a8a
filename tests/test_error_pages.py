"""The error pages: styled like every other page, carrying the same security headers, and the 500
page renders even when the database is what failed."""

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import include, path

from tests.test_access_matrix import EXPECTED_CSP


def raises(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    path("bad-request/", raises(BadRequest("Malformed."))),
    path("forbidden/", raises(PermissionDenied)),
    path("not-found/", raises(Http404)),
    path("broken/", raises(RuntimeError("Something failed."))),
    path("", include("delivery_unit.urls")),
]
handler500 = "delivery_unit.views.server_error"

SECURITY_HEADERS = {
    "Content-Security-Policy": EXPECTED_CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_error_page(response, status: int, heading: str) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert "govuk-template__body" in html, "the page is the application's own layout"
    assert 'href="/static/build/application.css"' in html
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, header


@pytest.mark.urls("tests.test_error_pages")
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/bad-request/", 400, "Sorry, there is a problem with this request"),
        ("/forbidden/", 403, "You cannot do this"),
        ("/not-found/", 404, "Page not found"),
    ],
)
def test_error_pages_are_styled_with_the_security_headers(
    client_for, unit_staff, url, status, heading
):
    response = client_for(unit_staff).get(url)

    assert_error_page(response, status, heading)
    # Signed in, the page keeps the service's navigation.
    assert "Sign out" in response.content.decode()


def test_a_page_that_does_not_exist_answers_the_styled_404(client_for, unit_staff):
    response = client_for(unit_staff).get("/priorities/no-such-priority/")

    assert_error_page(response, 404, "Page not found")


@pytest.mark.urls("tests.test_error_pages")
def test_server_error_page_is_styled_with_the_security_headers(client_for, unit_staff):
    client = client_for(unit_staff)
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert_error_page(response, 500, "Sorry, there is a problem with the service")
    assert "London Borough of Northfield" in response.content.decode()


def test_server_error_page_renders_without_the_database():
    """No `db` fixture: any query raises. A signed-in person's session cookie makes the request
    read the session from the database, which fails, and the 500 page still renders."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-the-database-would-be-asked-for"

    response = client.get("/")

    assert_error_page(response, 500, "Sorry, there is a problem with the service")
    assert "Sign out" not in response.content.decode()
