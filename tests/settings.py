"""Test settings: the production settings module, read with a test environment.

Tests run against PostgreSQL (DATABASE_URL, defaulting to the local server) over plain HTTP on
localhost, so the HTTPS-only switches are off here; `check --deploy` runs separately with them on.
"""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/delivery_unit")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("STATIC_MANIFEST", "false")
# The live server for browser tests runs in a thread that shares the test's connection; a pool
# would hand it another connection that cannot see the test's data.
os.environ.setdefault("DATABASE_POOL", "false")
# Evidence files uploaded in tests (and by the demo the browser tests load) go to a temporary
# folder, never into the project's media folder.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="delivery-unit-media-"))
# Tasks run as they are enqueued; the task functions are also tested on their own.
os.environ.setdefault("TASKS_BACKEND", "immediate")

from delivery_unit.settings import *  # noqa: F403
from delivery_unit.settings import DATABASES

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("The tests run against PostgreSQL: set DATABASE_URL to a postgres:// URL.")

# Serve static files straight from the finders, as runserver does: no collectstatic in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Every request renews the session's idle expiry in tests, as production does once a minute: the
# query-count pins then count the renewal on every request alike, however long a test takes.
# tests/test_auth.py checks the minute's interval with the production value.
SESSION_REFRESH_SECONDS = 0
