"""A session's absolute lifetime, beside the idle timeout (``SESSION_COOKIE_AGE``, renewed on
every request): however busy a person is, they sign in again after ``SESSION_MAX_HOURS``."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SIGNED_IN_AT = "signed_in_at"


class SessionLifetimeMiddleware:
    """Stamps a session with the time its person signed in, and ends it, on the server, once
    that is ``SESSION_MAX_HOURS`` ago. After ``AuthenticationMiddleware``."""

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
