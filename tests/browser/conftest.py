"""Browser fixtures: one headless Chromium for the session, a fresh context and page per test, the
demo council in the database, and a live server whose thread sees that data.

Every page starts with a script that records Content Security Policy violations on
`window.__cspViolations` (init scripts run outside the page's CSP); the journeys check it, with
the page's console and errors, after every page they visit.
"""

import io
import os
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, settings) -> None:
    """The demo council (users, priorities, ratings, plans, stocktakes), committed so that the
    live server's thread can see it."""
    # Argon2 takes most of a second a password, by design: nine demo users and every sign-in
    # would make this suite several times slower. The hasher has tests of its own.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", not_production=True, stdout=io.StringIO())


@pytest.fixture
def new_page(browser: Browser, live_server, demo) -> Iterator[Callable[..., Page]]:
    """Opens a page in a context of its own; keyword arguments go to `browser.new_context`
    (`java_script_enabled=False`, for example)."""
    contexts = []

    def _new_page(**context_options) -> Page:
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(10_000)
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()
