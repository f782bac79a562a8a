"""How long a session lasts: it ends ``SESSION_IDLE_MINUTES`` after the last request
(``SESSION_COOKIE_AGE``, renewed at most once every ``SESSION_REFRESH_SECONDS`` by
``IdleSessionMiddleware``) and, however busy its person is, ``SESSION_MAX_HOURS`` after signing in
(``SessionLifetimeMiddleware``)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SIGNED_IN_AT = "signed_in_at"
REFRESHED_AT = "_idle_refreshed_at"


class IdleSessionMiddleware:
    """Sessions end SESSION_COOKIE_AGE after the last request. Saving the session on every request
    would push its expiry on each time, at the cost of a write and a commit per page; instead a
    signed-in session is written only when its last write is SESSION_REFRESH_SECONDS old or more,
    so most requests only read it, and a session ends between SESSION_COOKIE_AGE less that margin
    and SESSION_COOKIE_AGE after the person's last request. Placed after SessionMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # marks the session modified: saved, expiry renewed
        return response


class SessionLifetimeMiddleware:
    """Stamps a session with the time its person signed in, and ends it, on the server, once
    that is ``SESSION_MAX_HOURS`` ago, on whatever request comes first, however recently the idle
    expiry was renewed. After ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            now = time.time()
            if signed_in_at is None:
                request.session[SIGNED_IN_AT] = now
            elif now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def end_sessions_of(user) -> int:
    """Delete every session ``user`` is signed in with, on the server: their next request finds
    no session. Reads each live session once (a council has hundreds, not millions)."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
