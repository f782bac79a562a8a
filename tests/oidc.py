"""A real OpenID Connect provider for the sign-in tests: the Node `oidc-provider` in
tests/oidc_provider/ (installed by `make test` with `npm ci`), started on a free loopback port,
with the accounts and the token's faults each test asks for.

`start_provider(redirect_uris)` starts one per set of redirect URIs for the whole run (the test
client's `http://testserver/...` and the browser's live server differ); `sso_settings` turns
single sign-on on in Django's settings against it.
"""

import atexit
import json
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.urls import reverse

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"
CLIENT_ID = "delivery-unit"
CLIENT_SECRET = "a-client-secret-for-tests"
TENANT = "9f2c1a44-0000-4000-8000-council00001"
OTHER_TENANT = "d00d0000-0000-4000-8000-elsewhere001"


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen

    def configure(self, accounts: dict, audience: str | None = None, expired: bool = False):
        """The accounts that can sign in (name: claims) and how the ID token is bent."""
        response = requests.post(
            f"{self.issuer}/__test/config",
            data=json.dumps({"accounts": accounts, "audience": audience, "expired": expired}),
            timeout=5,
        )
        response.raise_for_status()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_providers: dict[tuple[str, ...], Provider] = {}


def start_provider(redirect_uris: tuple[str, ...]) -> Provider:
    if redirect_uris in _providers:
        return _providers[redirect_uris]
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        pytest.fail("Run `npm ci` in tests/oidc_provider (make test does) for the sign-in tests.")
    port = _free_port()
    process = subprocess.Popen(
        [shutil.which("node") or "node", "server.mjs"],
        cwd=PROVIDER_DIR,
        env={
            "PORT": str(port),
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URIS": ",".join(redirect_uris),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("ready "):
            provider = Provider(issuer=line.split()[1], process=process)
            if not _providers:
                atexit.register(stop_providers)
            _providers[redirect_uris] = provider
            return provider
        if process.poll() is not None:
            break
    process.kill()
    pytest.fail("The test OpenID Connect provider did not start.")


def stop_providers() -> None:
    for provider in _providers.values():
        provider.process.terminate()
        provider.process.wait(timeout=10)
    _providers.clear()


def enable_sso(settings, provider: Provider, **overrides) -> None:
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ALLOWED_TENANT_ID = TENANT
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "delivery_unit.signin.OIDCBackend",
    ]
    for name, value in overrides.items():
        setattr(settings, name, value)


def claims(oid: str, email: str, tenant: str = TENANT, **extra) -> dict:
    return {"oid": oid, "tid": tenant, "email": email, "email_verified": True, **extra}


def through_provider(client, login: str, start: str | None = None) -> str:
    """Starts a sign-in with the Django test client, signs `login` in at the provider over
    real HTTP, and answers the callback URL (path and query) the provider sends the browser
    back to, not yet followed."""
    response = client.get(start or reverse("oidc_start"))
    assert response.status_code == 302, response.content
    browser = requests.Session()
    url = response["Location"]
    for _ in range(10):
        if url.startswith("http://testserver/"):
            return url.removeprefix("http://testserver")
        answer = browser.get(url, allow_redirects=False, timeout=5)
        if answer.status_code == 200 and 'name="login"' in answer.text:
            answer = browser.post(
                answer.url.split("?")[0].rstrip("/") + "/login",
                data={"login": login},
                allow_redirects=False,
                timeout=5,
            )
        assert answer.status_code in (302, 303), (answer.status_code, answer.text[:500])
        url = urljoin(answer.url, answer.headers["Location"])
    raise AssertionError("The provider never sent the browser back.")
