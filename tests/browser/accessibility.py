"""Checks every browser test runs on every page it visits: axe-core at WCAG 2.0, 2.1 and 2.2,
A and AA; no Content Security Policy violation; no JavaScript error."""

from functools import cache
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    # Wrapped in a function so that it runs as a script and leaves `window.axe` behind.
    return f"() => {{ {AXE.read_text()}\n}}"


def axe_violations(page: Page) -> list[str]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the devtools protocol: an injected <script> would break the CSP.
        page.evaluate(axe_source())
    violations = page.evaluate(
        """async (tags) => {
          const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
          return (await axe.run(document, options)).violations;
        }""",
        WCAG_AA,
    )
    return [describe(violation) for violation in violations]


def describe(violation: dict) -> str:
    """The rule, what it asks, and each element that breaks it, with axe's advice."""
    nodes = "\n".join(
        f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]
    )
    return f"{violation['id']} ({violation['impact']}): {violation['help']}\n{nodes}"


def axe_violations_of_copy(page: Page) -> list[str]:
    """axe-core waits on timers, which never fire in a page opened without JavaScript; so it runs
    on a copy of that page's HTML, served at the same address to a page whose scripts are all
    blocked: the same document and styles, and still none of the application's JavaScript."""
    html, url = page.content(), page.url
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        context.route("**/*.js", lambda route: route.abort())
        context.route(
            lambda address: address == url,
            lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
        )
        copy = context.new_page()
        copy.goto(url)
        return axe_violations(copy)
    finally:
        context.close()


def assert_accessible(page: Page) -> None:
    """axe-core finds nothing at WCAG 2.2 AA, and the page has broken no part of the Content
    Security Policy and thrown no error since it opened."""
    scripted = page.evaluate("() => document.body.classList.contains('js-enabled')")
    violations = axe_violations(page) if scripted else axe_violations_of_copy(page)
    assert not violations, f"axe on {page.url}:\n" + "\n".join(violations)

    csp_violations = page.evaluate("() => window.__cspViolations || []")
    assert not csp_violations, f"CSP violations on {page.url}: {csp_violations}"
    csp_messages = [
        message.text
        for message in page.console_messages(filter="all")
        if "Content Security Policy" in message.text
    ]
    assert not csp_messages, f"CSP messages in the console on {page.url}: {csp_messages}"
    errors = [str(error) for error in page.page_errors(filter="all")]
    assert not errors, f"JavaScript errors on {page.url}: {errors}"
