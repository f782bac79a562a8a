"""Signing in: by password (the quick start, and break-glass administrators when single sign-on
is on) and by OpenID Connect single sign-on (Microsoft Entra ID in a council).

Both backends grant no Django model permissions: every permission is a rule in ``rules.py``
(``rules.permissions.ObjectPermissionBackend``). Django's ``ModelBackend`` would answer yes to
every permission for a superuser, and to any permission stored on a user or group, behind the
rules' back.

Single sign-on uses mozilla-django-oidc (authorisation code flow with PKCE). Its backend checks
the ID token's signature and nonce; this module adds what a council needs on top: the token's
issuer, audience and expiry, the tenant (Entra ID's ``tid``), and a person found by the
provider's immutable id (``oid``, else ``sub``) once linked, never by an email address alone.
"""

import functools
import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from delivery_unit.models import Role, User

logger = logging.getLogger(__name__)

# Settings mozilla-django-oidc reads that discovery answers when they are not set.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
}


class SignInRefused(Exception):
    """A single sign-on that must not make a session, with the reason the person is shown."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


def is_break_glass(username: str) -> bool:
    return username in set(getattr(settings, "BREAK_GLASS_USERS", []))


def password_sign_in_allowed(username: str) -> bool:
    """With single sign-on on, only the named break-glass administrators sign in by password:
    everyone else signs in where multi-factor authentication and leavers are handled."""
    return not sso_enabled() or is_break_glass(username)


@functools.cache
def discovery(issuer: str) -> dict:
    """The provider's OpenID configuration, read once per issuer per process."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    return response.json()


def oidc_setting(name: str, *default):
    """A mozilla-django-oidc setting; an endpoint not set is taken from the issuer's discovery
    document, so that a council sets the issuer (and tenant) and nothing more."""
    value = getattr(settings, name, None)
    if value:
        return value
    if name in _DISCOVERED and settings.OIDC_ISSUER:
        return discovery(settings.OIDC_ISSUER).get(_DISCOVERED[name])
    return import_from_settings(name, *default)


class NoModelPermissions:
    """Permissions come from the rules alone (see the module's docstring)."""

    def get_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set:
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False


class PasswordBackend(NoModelPermissions, ModelBackend):
    """User name and password, refused (as a failed sign-in) for anyone but the break-glass
    administrators while single sign-on is on."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and not password_sign_in_allowed(username):
            # Hash anyway, so that timing does not tell who is a break-glass administrator.
            User().set_password(password)
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class OIDCBackend(NoModelPermissions, OIDCAuthenticationBackend):
    """OpenID Connect sign-in for people who already have an account here."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every request of a signed-in person (to load them): the
        # provider's endpoints are read only when someone signs in, not then.
        self.UserModel = User

    def authenticate(self, request, **kwargs):
        super().__init__()
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        """The signed-in person for each request: nobody once they are deactivated (the
        library's own answer would still be them)."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def verify_token(self, token, **kwargs):
        """The signature (the library's check), then what the library leaves out: issuer,
        audience, expiry, tenant and nonce, each refused with its own reason."""
        if self.OIDC_RP_IDP_SIGN_KEY is not None:
            key = self.OIDC_RP_IDP_SIGN_KEY
        else:
            key = self.retrieve_matching_jwk(token)
        issuer = getattr(settings, "OIDC_ISSUER", "") or None
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=issuer,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "aud", "iss"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SignInRefused("expired", str(error)) from error
        except jwt.InvalidAudienceError as error:
            raise SignInRefused("audience", str(error)) from error
        except jwt.InvalidIssuerError as error:
            raise SignInRefused("issuer", str(error)) from error
        except jwt.PyJWTError as error:
            raise SignInRefused("invalid", str(error)) from error
        if kwargs.get("nonce") != payload.get("nonce"):
            raise SignInRefused("invalid", "nonce")
        tenant = settings.OIDC_ALLOWED_TENANT_ID
        if tenant and payload.get("tid") != tenant:
            raise SignInRefused("tenant", f"tid {payload.get('tid')!r}")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        # The ID token's claims, just verified, are who the person is: Entra ID's user info
        # endpoint (Microsoft Graph) carries no oid or tid.
        return payload

    def verify_claims(self, claims) -> bool:
        return bool(subject_of(claims))

    def filter_users_by_claims(self, claims):
        """The person linked to this subject; before their first sign-on, the one person with
        this email address who is not yet linked to any subject."""
        linked = User.objects.filter(oidc_subject=subject_of(claims))
        if linked.exists():
            return linked
        email = (claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, oidc_subject="")

    def update_user(self, user, claims):
        if not user.oidc_subject:
            with transaction.atomic():
                user.oidc_subject = subject_of(claims)
                user.save(update_fields=["oidc_subject"])
            logger.info("Linked user %s to their single sign-on identity.", user.pk)
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            raise SignInRefused("unknown", f"subject {subject_of(payload)!r}")
        return user

    def create_user(self, claims):
        if not settings.OIDC_CREATE_USERS:
            return None
        email = claims.get("email") or ""
        user = User(
            username=(email or subject_of(claims))[:150],
            email=email,
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
            oidc_subject=subject_of(claims),
            # The least a role can do: see and enter only what they are later named on, until an
            # administrator gives them the role they need.
            role=Role.SERVICE_STAFF,
        )
        user.set_unusable_password()
        user.save()
        return user


def subject_of(claims: dict) -> str:
    """Entra ID's object id is the same for a person across every application of the tenant;
    ``sub`` is the provider's own immutable id elsewhere."""
    return str(claims.get("oid") or claims.get("sub") or "")
