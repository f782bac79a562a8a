"""The benchmark's databases and environment: production settings on loopback, a PostgreSQL
database whose name must contain "bench" (it is dropped), copies of it per scale, and signed-in
sessions made without a password."""

import os
import secrets
import sys
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
# Production settings plus the bare page's URL (bench_settings.py); never used in production.
BENCH_SETTINGS = "bench_settings"
# The bare Django page, served only under BENCH_SETTINGS (bench_urls.py).
BARE_PATH = "/bench/bare/"


class BenchError(Exception):
    """The benchmark could not measure what it set out to (not a missed target)."""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def configure_environment(database_url: str, static_root: str) -> None:
    """Production settings, except plain HTTP on loopback and no manifest (pages are timed
    without their static files, so no collectstatic; an empty STATIC_ROOT keeps WhiteNoise from
    warning). Set before Django starts, and inherited by gunicorn."""
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_MANIFEST="false",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE=BENCH_SETTINGS,
        # The script's own connection needs no pool (one thread); gunicorn turns it back on.
        DATABASE_POOL="false",
    )
    for folder in (str(ROOT), str(SCRIPTS)):
        if folder not in sys.path:
            sys.path.insert(0, folder)


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    progress("Migrating the benchmark database...")
    call_command("migrate", interactive=False, verbosity=0)


def make_session(user) -> str:
    """A signed-in session made directly, as Django's login() would, so that Argon2 stays out of
    the way. One per client, as each person has their own."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "delivery_unit.signin.PasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# Databases ---------------------------------------------------------------------------------


def database_name(database_url: str) -> str:
    name = urlsplit(database_url).path.lstrip("/")
    if "bench" not in name:
        raise BenchError(f"Refusing to drop and recreate {name!r}: its name must contain 'bench'.")
    return name


def copy_url(database_url: str, suffix: str) -> str:
    path = f"/{database_name(database_url)}_{suffix}"
    return urlunsplit(urlsplit(database_url)._replace(path=path))


def run_on_server(database_url: str, statement: sql.Composable) -> None:
    """On the server's maintenance database: a database cannot create or drop itself."""
    params = conninfo_to_dict(database_url) | {"dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as connection:
        connection.execute(statement)


def database_exists(database_url: str) -> bool:
    params = conninfo_to_dict(database_url) | {"dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(database_url)]
        )
        return found.fetchone() is not None


def create_database(database_url: str, template_url: str | None = None) -> None:
    drop_databases([database_url])
    name = sql.Identifier(database_name(database_url))
    if template_url is None:
        run_on_server(database_url, sql.SQL("CREATE DATABASE {}").format(name))
    else:
        template = sql.Identifier(database_name(template_url))
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, template)
        run_on_server(database_url, statement)


def drop_databases(database_urls: list[str]) -> None:
    for url in database_urls:
        name = sql.Identifier(database_name(url))
        run_on_server(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
