"""Retake the screenshots of the user guide (docs/guide/img/*.png).

Builds the example site into a temporary folder, serves it on a free local
port and photographs a few pages with Debian's chromium (through Playwright,
as the browser tests do). Run from the repository root:

    .venv/bin/python scripts/guide_screenshots.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import launch_browser, serve_directory  # noqa: E402

IMAGES = REPO / "docs" / "guide" / "img"
# file name -> (page, element to scroll to the top or None)
SHOTS = {
    "services-index.png": ("catalogue/services/", None),
    "agreement-overview.png": ("catalogue/agreements/sla-collaboration/", None),
    "agreement-service-levels.png": ("catalogue/agreements/sla-collaboration/", "availability"),
    "glossary.png": ("catalogue/glossary/", None),
    "reference.png": ("catalogue/reference/", "service"),
}
MAX_BYTES = 300_000


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        # Not --strict: the images being retaken may not exist yet.
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=REPO, check=True)
        with serve_directory(site) as base, sync_playwright() as playwright:
            browser = launch_browser(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, (path, anchor) in SHOTS.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                if anchor:
                    page.evaluate(
                        "id => { const e = document.getElementById(id);"
                        " window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 70); }",
                        anchor,
                    )
                page.wait_for_timeout(300)
                target = IMAGES / name
                page.screenshot(path=str(target))
                size = target.stat().st_size
                print(f"{target.relative_to(REPO)}: {size // 1024} KiB")
                if size > MAX_BYTES:
                    print(f"  warning: larger than {MAX_BYTES // 1000} KB", file=sys.stderr)
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
