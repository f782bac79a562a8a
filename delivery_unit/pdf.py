"""HTML to PDF with WeasyPrint, fetching nothing but the application's own static files.

Pages are tagged PDF/UA-1 so that screen readers can read packs. The base URL is a reserved
``.invalid`` host: a relative link resolves against it, and the fetcher serves only the static
files found by Django's finders; any other URL (``file://``, the network, a path outside static)
is refused, so a value a user typed can never make the renderer read a file or call out.
"""

import io
import mimetypes
from urllib.parse import unquote, urlsplit

import pikepdf
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
    return _with_header_scope(document.write_pdf(pdf_variant="pdf/ua-1")), len(document.pages)


def _with_header_scope(pdf: bytes) -> bytes:
    """Give every table header cell its /Scope, as the HTML's ``scope`` says.

    WeasyPrint tags header cells /TH but does not carry ``scope`` into the structure tree, so a
    PDF/UA checker cannot tell which cells a header labels. In the application's templates a
    header in a table's head labels its column and a header in its body labels its row, which is
    what is written here.
    """
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is None:
            return pdf
        stack: list[tuple[pikepdf.Object, str | None]] = [(root, None)]
        while stack:
            element, group = stack.pop()
            role = element.get("/S")
            if role == "/TH":
                attributes = element.get("/A")
                if not isinstance(attributes, pikepdf.Dictionary):
                    attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                    element.A = attributes
                attributes.Scope = pikepdf.Name.Column if group == "/THead" else pikepdf.Name.Row
            if role in ("/THead", "/TBody", "/TFoot"):
                group = str(role)
            kids = element.get("/K")
            if kids is None:
                continue
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append((kid, group))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
