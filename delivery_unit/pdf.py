"""HTML to PDF with WeasyPrint, fetching nothing but the application's own static files.

Pages are tagged PDF/UA-1 so that screen readers can read packs. The base URL is a reserved
``.invalid`` host: a relative link resolves against it, and the fetcher serves only the static
files found by Django's finders; any other URL (``file://``, the network, a path outside static)
is refused, so a value a user typed can never make the renderer read a file or call out.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

PDF_BASE_URL = "https://pdf.invalid/"


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (
            parts.scheme != "https"
            or parts.netloc != urlsplit(PDF_BASE_URL).netloc
            or not parts.path.startswith(static_prefix)
        ):
            raise URLFetchingError(f"The PDF renderer fetches only static files, not {url}")
        relative = unquote(parts.path.removeprefix(static_prefix))
        found = finders.find(relative) if ".." not in relative.split("/") else None
        if not found:
            raise URLFetchingError(f"No static file {relative}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def render_pdf(html: str) -> bytes:
    """Lay out ``html`` as a tagged A4 PDF (the page size is in the template's print CSS)."""
    return render_pdf_with_pages(html)[0]


def render_pdf_with_pages(html: str) -> tuple[bytes, int]:
    """The PDF and its number of pages, from one layout."""
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).render(
        pdf_variant="pdf/ua-1"
    )
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)
