"""Settings for the delivery unit application, all from the environment (see README.md)."""

import ipaddress
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from delivery_unit import workdays
from delivery_unit.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else None)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

COUNCIL_NAME = env_str("COUNCIL_NAME", default="London Borough of Northfield")
SERVICE_NAME = "Corporate Delivery Unit"
# The month the council's reporting (financial) year starts in: 4, April to March, in England.
REPORTING_YEAR_START_MONTH = env_int("REPORTING_YEAR_START_MONTH", 4, minimum=1, maximum=12)
# Whose bank holidays are not working days: a country and subdivision as the holidays library
# names them (GB-ENG, GB-WLS, GB-SCT, GB-NIR).
BANK_HOLIDAYS = env_str("BANK_HOLIDAYS", default="GB-ENG")
if not workdays.supported(BANK_HOLIDAYS):
    raise ImproperlyConfigured(
        f"BANK_HOLIDAYS={BANK_HOLIDAYS!r} is not a place the holidays library knows: use, for "
        "example, GB-ENG, GB-WLS, GB-SCT or GB-NIR."
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "delivery_unit",
    "assessment",
    "priorities",
    "plans",
    "reviews",
    "stocktakes",
    "rhythm",
    "forward_look",
    "notes",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The security headers go on outermost, so that a 500 page made when a middleware below
    # fails (the session store, when the database is down) carries them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "delivery_unit.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, whose check reads the body: a body over its limit is refused unread.
    "delivery_unit.middleware.RequestSizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "delivery_unit.middleware.NoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "delivery_unit.sessions.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A refused move answers 409 with the reason, in every app.
    "delivery_unit.workflow.TransitionRefusedMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "delivery_unit.urls"
WSGI_APPLICATION = "delivery_unit.wsgi.application"
ASGI_APPLICATION = "delivery_unit.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "delivery_unit.context_processors.service",
            ],
            "builtins": ["rules.templatetags.rules"],
        },
    },
]

# Database: a SQLite file for the quick start, PostgreSQL in tests and production.
DATABASE_URL = env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    _database = dj_database_url.parse(DATABASE_URL)
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
if _database["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's pool keeps connections open between requests: a new connection costs ~11 ms,
    # a query ~0.4 ms. The pool and CONN_MAX_AGE cannot be combined.
    if env_bool("DATABASE_POOL", default=True):
        _database["OPTIONS"] = {
            "pool": {
                "min_size": env_int("DATABASE_POOL_MIN", 2, minimum=0),
                "max_size": env_int("DATABASE_POOL_MAX", 10, minimum=1),
            }
        }
        _database["CONN_MAX_AGE"] = 0
    else:
        _database["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600)
        _database["CONN_HEALTH_CHECKS"] = True
else:
    _database["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600)
    _database["CONN_HEALTH_CHECKS"] = True
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # The quick start on SQLite: readers never wait for the writer (WAL), a writer waits up to
    # SQLITE_BUSY_SECONDS for another rather than failing with "database is locked", and every
    # transaction takes the write lock as it begins (IMMEDIATE), so that two requests never
    # both read and then both try to upgrade to writing, which SQLite can only refuse.
    _database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_SECONDS", 20, minimum=1),
    }
DATABASES = {"default": _database}
# What is worked out once and kept for every worker (an agreed round's ratings in the delivery
# report on screen): a table in the database all workers share, so no other service to run. Its
# table is made by a migration (delivery_unit 0007); keys carry what they were made from, and
# every `migrate` (every release) and `flush` empties it (delivery_unit.apps).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "delivery_unit_cache",
        "TIMEOUT": env_int("CACHE_SECONDS", 7 * 24 * 3600, minimum=1),
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20000, minimum=100)},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "delivery_unit.User"

# Single sign-on by OpenID Connect (Microsoft Entra ID in a council): see README "Signing in".
OIDC_ENABLED = env_bool("OIDC_ENABLED", default=False)
OIDC_ISSUER = env_str("OIDC_ISSUER", default="" if not OIDC_ENABLED else None).rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", default="" if not OIDC_ENABLED else None)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", default="" if not OIDC_ENABLED else None)
# Tokens from any other tenant (Entra ID's `tid` claim) are refused; empty: no tenant check.
OIDC_ALLOWED_TENANT_ID = env_str("OIDC_TENANT_ID", default="")
# Endpoints come from the issuer's discovery document unless set here.
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGORITHM", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 60)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
# An account is made from a sign-in only if the council says so; otherwise an unknown person
# is refused.
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", default=False)
# With single sign-on on, only these user names may sign in with a password.
BREAK_GLASS_USERS = env_list("BREAK_GLASS_USERS", [])

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "delivery_unit.signin.PasswordBackend",
    *(["delivery_unit.signin.OIDCBackend"] if OIDC_ENABLED else []),
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins: after AXES_FAILURE_LIMIT failures for one user name from one address, that
# pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and an address after SIGN_IN_ADDRESS_FAILURES across every user name (delivery_unit.throttle).
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURES", 20, minimum=1)
AXES_HANDLER = "delivery_unit.throttle.SignInThrottle"
AXES_CLIENT_IP_CALLABLE = "delivery_unit.throttle.client_address"
# Addresses or networks of the proxies whose X-Forwarded-For is believed; none by default.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network."
        ) from None
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions end after SESSION_IDLE_MINUTES without a request: IdleSessionMiddleware
# (delivery_unit/sessions.py) renews a signed-in session's expiry when its last renewal is a
# minute old or more, rather than writing the session on every request (a write and a commit
# per page).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ...and SESSION_MAX_HOURS after signing in, however active (delivery_unit.sessions).
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12, minimum=1)

# HTTPS hardening: on unless DEBUG, each switchable for a deployment that terminates TLS oddly.
_https = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=_https)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=_https)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=_https)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_https)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=_https)
# A load balancer may check health over plain HTTP: that one path is not redirected.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploaded files (a priority review's evidence) are kept here, outside the static files, and
# served only through views that check who is asking: there is no MEDIA_URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# The largest request body any page accepts, in megabytes (413 over it, before it is read);
# the import and evidence pages accept their files' limit on top (delivery_unit/uploads.py).
REQUEST_MAX_MB = env_int("REQUEST_MAX_MB", 3, minimum=1)
# The largest evidence file a review accepts, in megabytes.
EVIDENCE_MAX_MB = env_int("EVIDENCE_MAX_MB", 20, minimum=1)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# The stocktake pack's cover carries the protective marking chosen here.
PACK_MARKING = env_str("PACK_MARKING", default="OFFICIAL-SENSITIVE")

# Background tasks (Django's tasks framework): packs are laid out by a worker, never in a web
# request. "database" keeps the queue in the database (django-tasks-db) for a worker started with
# `python manage.py db_worker`; "immediate" runs each task as it is enqueued (development, tests).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env_str("TASKS_BACKEND", default="immediate" if DEBUG else "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={_task_backend!r} is not one of {', '.join(_TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend], "QUEUES": ["default"]}}

# Email (plan notifications, milestone reminders): printed to the console in development, sent
# by SMTP otherwise. Django 6.1's MAILERS; EMAIL_BACKEND names another backend class.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_mail_backend = env_str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend" if DEBUG else _SMTP,
)
MAILERS = {
    "default": {
        "BACKEND": _mail_backend,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", default="localhost"),
            "port": env_int("EMAIL_PORT", 25, minimum=1),
            "username": env_str("EMAIL_HOST_USER", default=""),
            "password": env_str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        }
        if _mail_backend == _SMTP
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="delivery-unit@localhost")
# The address people reach the application at, for links in email.
SITE_URL = env_str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Reminders and the weekly digest (rhythm/reminders.py, docs/reminders.md): a reminder goes this
# many working days before a thing is due, and the digest on this day of the week.
REMINDER_WORKING_DAYS_BEFORE = env_int("REMINDER_WORKING_DAYS_BEFORE", 3, minimum=1, maximum=20)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_digest_day = env_str("REMINDER_DIGEST_DAY", default="monday").strip().lower()
if _digest_day not in _WEEKDAYS:
    raise ImproperlyConfigured(
        f"REMINDER_DIGEST_DAY={_digest_day!r} is not a day of the week: use, for example, monday."
    )
# 0 is Monday, as date.weekday() counts.
REMINDER_DIGEST_WEEKDAY = _WEEKDAYS.index(_digest_day)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint reports every unsupported CSS property; only its errors matter here.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
