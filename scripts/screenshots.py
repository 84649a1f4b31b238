"""Take the README's screenshots from a running Portaat (default http://127.0.0.1:8000).

    .venv/bin/python scripts/screenshots.py [BASE_URL]

Uses Debian's /usr/bin/chromium through Playwright; writes docs/screenshots/*.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SHOTS = [
    ("home-fi.png", "fi", "/"),
    (
        "ladder-sv.png",
        "sv",
        "/ladders/city-planning/?current=3&target=6&p=Aktivister:5&p=Tj%C3%A4nstem%C3%A4n:3",
    ),
]


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, locale, path in SHOTS:
            page = browser.new_page(locale=locale, viewport={"width": 1200, "height": 900})
            page.goto(base + path)
            page.screenshot(path=str(OUT / name))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
