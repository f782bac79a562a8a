import logging
from collections.abc import Callable

import requests
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from delivery_unit.forms import ChangePasswordForm
from delivery_unit.signin import SignInRefused, oidc_setting, sso_enabled

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the process answers and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# Signing in by single sign-on. mozilla-django-oidc's views, with this service's pages for
# every refusal: no session is made, and the person is told what happened in words.

REFUSALS = {
    "tenant": "Your account belongs to another organisation",
    "audience": "Your sign-in was meant for another service",
    "issuer": "Your sign-in came from a sign-in service this service does not use",
    "expired": "Your sign-in has expired",
    "invalid": "Your sign-in could not be checked",
    "state": "This sign-in has already been used",
    "unknown": "You do not have an account for this service",
    "provider": "Your organisation's sign-in service did not sign you in",
    "unavailable": "The sign-in service is not answering",
}


def sso_refused(
    request: HttpRequest, reason: str, status: int = 403, detail: str = ""
) -> HttpResponse:
    if request.user.is_authenticated:
        logout(request)
    # The detail (which tenant, which audience) is for the log, not the page.
    logger.warning("Single sign-on refused: %s.", detail or reason)
    return render(
        request,
        "registration/sso_refused.html",
        {"reason": reason, "title": REFUSALS[reason]},
        status=status,
    )


@method_decorator(login_not_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class SSOStart(OIDCAuthenticationRequestView):
    """Sends the person to the council's sign-in service, with state, nonce and PKCE."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is off.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = oidc_setting("OIDC_RP_CLIENT_ID")
        except requests.RequestException:
            logger.exception("The OpenID Connect discovery document could not be read.")
            return sso_refused(request, "unavailable", status=503)
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class SSOCallback(OIDCAuthenticationCallbackView):
    """Where the sign-in service sends the person back. Each refusal has its own page."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is off.")
        state = request.GET.get("state")
        if request.GET.get("error"):
            # Forget the state, so that it cannot be used again.
            if request.session.get("oidc_states", {}).pop(state, None) is not None:
                request.session.modified = True
            return sso_refused(request, "provider")
        if not state or state not in request.session.get("oidc_states", {}):
            # Used already (a replay), from another browser, or never issued here.
            return sso_refused(request, "state", status=400)
        try:
            return super().get(request)
        except SignInRefused as refusal:
            return sso_refused(request, refusal.reason, detail=str(refusal))
        except requests.RequestException:
            logger.exception("The sign-in service did not answer the token request.")
            return sso_refused(request, "unavailable", status=503)

    def login_failure(self) -> HttpResponse:
        return sso_refused(self.request, "unknown")


@method_decorator(login_not_required, name="dispatch")
class PasswordJourney(View):
    """Password reset by email: only while single sign-on is off (with it on, passwords are the
    council account's, and break-glass administrators are reset by another administrator)."""

    view: Callable[..., HttpResponseBase] | None = None  # Django's view, given by as_view()

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if sso_enabled():
            raise Http404("Passwords are reset in the council's sign-in service.")
        if self.view is None:
            raise ImproperlyConfigured("PasswordJourney.as_view() needs the view it guards.")
        return self.view(request, *args, **kwargs)


def password_journey(view) -> Callable[..., HttpResponseBase]:
    return PasswordJourney.as_view(view=view)


@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponseBase:
    """A person changes their own password; the session stays signed in (Django's view keeps
    its hash up to date)."""
    if not request.user.has_perm("delivery_unit.change_own_password"):
        raise PermissionDenied
    return auth_views.PasswordChangeView.as_view(
        form_class=ChangePasswordForm,
        template_name="registration/password_change.html",
        success_url=reverse_lazy("password_change_done"),
    )(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request's context: the context processors would read
    the session and the user from the database, which may be the very thing that failed."""
    template = loader.get_template("500.html")
    context = {"council_name": settings.COUNCIL_NAME, "service_name": settings.SERVICE_NAME}
    return HttpResponseServerError(template.render(context))
