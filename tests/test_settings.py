"""Settings come from the environment and fail loudly on bad values; production is hardened."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from delivery_unit.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "delivery.example.org",
    "DATABASE_URL": os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/delivery_unit"
    ),
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A bare environment: nothing of the test run's own (tests/settings.py relaxes HTTPS).
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean["DJANGO_SETTINGS_MODULE"] = "delivery_unit.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_with_single_sign_on_reports_nothing():
    sso = {
        "OIDC_ENABLED": "true",
        "OIDC_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0",
        "OIDC_TENANT_ID": "tenant-id",
        "OIDC_CLIENT_ID": "client-id",
        "OIDC_CLIENT_SECRET": "client-secret",
        "BREAK_GLASS_USERS": "admin",
        "TRUSTED_PROXIES": "10.0.0.2",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", **(PRODUCTION | sso))
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = PRODUCTION | {"SECRET_KEY": ""}
    env.pop("SECRET_KEY")
    result = manage("check", **env)
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY." in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", **(PRODUCTION | {"SECRET_KEY": "short"}))
    assert "SECRET_KEY must be a random value of at least 50 characters." in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a yes/no value"),
        ("SESSION_IDLE_MINUTES", "ten", "SESSION_IDLE_MINUTES='ten' is not a whole number"),
        ("DATABASE_URL", "nonsense://x", "DATABASE_URL is not a database URL"),
        ("TRUSTED_PROXIES", "10.0.0.1,proxy", "TRUSTED_PROXIES: 'proxy' is not an IP address"),
        ("SESSION_MAX_HOURS", "0", "SESSION_MAX_HOURS='0' must be at least 1"),
        ("OIDC_ENABLED", "true", "Set the environment variable OIDC_ISSUER."),
    ],
)
def test_bad_values_stop_start_up_with_the_variable_named(name, value, message):
    result = manage("check", **(PRODUCTION | {name: value}))
    assert result.returncode != 0
    assert message in result.stderr


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", "-1")
    monkeypatch.setenv("X_LIST", "a.org, b.org,")
    assert env_bool("X_BOOL", default=False) is True
    assert env_bool("X_UNSET", default=True) is True
    assert env_list("X_LIST", []) == ["a.org", "b.org"]
    assert env_str("X_UNSET", default="d") == "d"
    with pytest.raises(ImproperlyConfigured, match="must be at least 0"):
        env_int("X_INT", 5)
    with pytest.raises(ImproperlyConfigured, match="Set the environment variable X_UNSET"):
        env_str("X_UNSET")


def test_health_check_is_public_and_checks_the_database(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_manage_py_defaults_to_development_but_the_web_server_to_production():
    assert manage("check").returncode == 0
    bare = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    server = subprocess.run(
        [sys.executable, "-c", "import delivery_unit.wsgi"],
        cwd=ROOT,
        env=bare,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert server.returncode != 0
    assert "Set the environment variable SECRET_KEY." in server.stderr


def test_production_queues_tasks_in_the_database_for_a_worker():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.TASKS)", **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert "django_tasks_db.DatabaseBackend" in result.stdout
    result = manage("db_worker", "--help", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_an_unknown_tasks_backend_stops_the_application():
    result = manage("check", **PRODUCTION | {"TASKS_BACKEND": "celery"})
    assert result.returncode != 0
    assert "TASKS_BACKEND='celery' is not one of database, immediate." in result.stderr


SQLITE_RACE = """
import threading, time
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal", cursor.fetchone()[0])
    cursor.execute("CREATE TABLE IF NOT EXISTS race (n integer)")
barrier = threading.Barrier(2)
outcomes = []
def write():
    try:
        barrier.wait()
        # Read, pause, then write: two deferred transactions doing this at once end in
        # "database is locked" for one of them, whatever the busy timeout.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM race")
                time.sleep(0.3)
                cursor.execute("INSERT INTO race VALUES (1)")
        outcomes.append("saved")
    except Exception as error:
        outcomes.append(repr(error))
    finally:
        connection.close()
threads = [threading.Thread(target=write) for _ in range(2)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
print("outcomes", sorted(outcomes))
"""


def test_sqlite_quick_start_waits_for_a_writer_instead_of_failing(tmp_path):
    result = manage(
        "shell", "-c", SQLITE_RACE, DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )

    assert result.returncode == 0, result.stderr
    assert "journal wal" in result.stdout
    assert "outcomes ['saved', 'saved']" in result.stdout, result.stdout


def test_health_answers_over_plain_http_with_production_settings(db):
    """A load balancer checking over HTTP sees 200; every other page still goes to HTTPS."""
    from django.db import connection

    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    code = (
        "from django.test import Client; c = Client(HTTP_HOST='delivery.example.org'); "
        "print(c.get('/health/').status_code, c.get('/sign-in/').status_code)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION | {"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]


def test_manage_py_without_debug_says_it_runs_development_settings():
    result = manage("check")
    assert result.returncode == 0, result.stderr
    assert "DEBUG is not set, so this runs with DEVELOPMENT settings" in result.stderr


def test_manage_py_refuses_a_server_environment_without_debug():
    env = dict(PRODUCTION)
    env.pop("DEBUG")
    result = manage("send_reminders", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is set but DEBUG is not. On a server set DEBUG=false" in result.stderr
