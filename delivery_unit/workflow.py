"""Refused moves: one error for a state change that the thing's state does not allow, and one
answer to it in every app.

A transition is a model method (``plan.submit()``, ``round.agree()``, ``review.advance()``)
that raises ``TransitionRefused`` with a sentence saying why. A page with a form catches it and
shows the form again with that sentence in its error summary, status 409. Anything else lets it
rise to ``TransitionRefusedMiddleware``, which answers with ``transition_refused.html``, status
409: the same code for the same thing everywhere (not 403, which says who you are may not;
not a redirect, which says it worked).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


class TransitionRefused(Exception):
    """A move the object's state does not allow now (approving a draft, agreeing an open round,
    changing a record once it is issued). The message says why, in words for the person."""


def back_link(request: HttpRequest) -> str:
    """The page the person came from, if it is one of ours; the home page otherwise."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def answer_refused(request: HttpRequest, refused: TransitionRefused) -> HttpResponse:
    """Status 409 with the reason: the page region alone for htmx, the whole page otherwise."""
    template = "transition_refused.html"
    if getattr(request, "htmx", False):
        template += "#refused"
    context = {"reason": str(refused), "back": back_link(request)}
    return render(request, template, context, status=409)


class TransitionRefusedMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TransitionRefused):
            return answer_refused(request, exception)
        return None
