"""Markdown that people write, as HTML that is safe to show.

Rendered by markdown-it-py with raw HTML switched off (a ``<script>`` someone types shows as
text), then sanitised by nh3 against a short allow-list, so that even a renderer bug cannot let
through an event handler, a ``javascript:`` link or an htmx attribute.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    # Headings a writer types as "#" sit under the section's own heading.
    html = _RENDERER.render(text or "")
    for level in range(6, 0, -1):
        target = min(level + 2, 4)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)
