"""Middleware of the project's own."""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REFRESHED_AT = "_idle_refreshed_at"


class IdleSessionMiddleware:
    """Sessions end SESSION_COOKIE_AGE after the last request. Saving the session on every request
    would push its expiry on each time, at the cost of a write and a commit per page; instead a
    signed-in session is written only when its last write is SESSION_REFRESH_SECONDS old or more,
    so most requests only read it, and a session ends between SESSION_COOKIE_AGE less that margin
    and SESSION_COOKIE_AGE after the person's last request. Placed after SessionMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # marks the session modified: saved, expiry renewed
        return response
