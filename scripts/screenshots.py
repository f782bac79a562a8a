"""Refresh the screenshots in docs/screenshots/: what leadership sees, on screen and on paper.

Builds the demo council in a throwaway SQLite database, serves it, and signs in as the Chief
Executive in Chromium (Playwright) for the delivery report and a priority's page at 1280 px;
then lays three pages of the held stocktake's issued pack out as images with pdftoppm (the
pack's cover of agreed ratings, the first agenda item and its charts). Run by `make screenshots`.
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "screenshots-demo"  # noqa: S105 (the throwaway demo database's)
WIDTH = 1280


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args: str, env: dict) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 (our own command)


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server at {url} did not answer within {seconds} s")


def screen_pages(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(f"{base}/sign-in/")
        page.get_by_label("User name").fill("chief")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/")
        for path, name in [
            ("/assessment/report/", "delivery-report.png"),
            ("/priorities/temporary-accommodation/", "priority-page.png"),
        ]:
            page.goto(base + path)
            page.screenshot(path=OUT / name, full_page=True)
            print(f"  {OUT.relative_to(ROOT) / name}")
        browser.close()


def pack_pages() -> None:
    """Three pages of the pack the chairs received, as the PDF lays them out."""
    import django

    django.setup()
    from pypdf import PdfReader

    from stocktakes.models import IssuedPack

    issued = IssuedPack.objects.select_related("stocktake").order_by("issued_at").first()
    pdf = bytes(issued.pdf)
    texts = [
        " ".join(page.extract_text().replace("OFFICIAL-SENSITIVE", "").split())
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]
    report = next(n for n, text in enumerate(texts, 1) if text.startswith("Delivery report"))
    item = next(n for n, text in enumerate(texts, 1) if text.startswith("1. "))
    wanted = [
        (report, "pack-delivery-report"),
        (item, "pack-agenda-item"),
        (item + 1, "pack-charts"),
    ]
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "pack.pdf"
        source.write_bytes(pdf)
        for number, name in wanted:
            subprocess.run(  # noqa: S603 (our own command)
                [  # noqa: S607 (pdftoppm from poppler-utils, found on PATH)
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-singlefile",
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    str(source),
                    str(OUT / name),
                ],
                check=True,
            )
            print(f"  {OUT.relative_to(ROOT) / name}.png (page {number} of the issued pack)")


def main() -> None:
    for tool in ("pdftoppm",):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install poppler-utils")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        env = os.environ | {
            "DATABASE_URL": f"sqlite:///{work}/screenshots.sqlite3",
            "DEBUG": "true",
            "DEMO_PASSWORD": PASSWORD,
            "MEDIA_ROOT": f"{work}/media",
            "DJANGO_SETTINGS_MODULE": "delivery_unit.settings",
        }
        manage("migrate", "--no-input", "-v", "0", env=env)
        manage("load_demo", env=env)
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 (our own command)
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/sign-in/")
            print("Screenshots:")
            screen_pages(base)
            os.environ.update(env)
            sys.path.insert(0, str(ROOT))
            pack_pages()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
