"""The files the site serves besides its pages, where they go, and the script tag for Mermaid.

One home for the plugin (which adds them as MkDocs files) and the finishing step and
`render` (which copy them), so that every generator's site has the same files at the
same paths."""

from __future__ import annotations

from pathlib import Path

from service_catalogue.site.urls import relative_url

ASSETS = Path(__file__).resolve().parent / "assets"
CSS_PATH = "assets/stylesheets/service-catalogue.css"
STYLESHEET = ASSETS / "service-catalogue.css"
# Mermaid, from the npm package (package.json pins it; scripts/vendor_mermaid.py copies
# dist/mermaid.min.js and its licence into site/assets/mermaid/). Served from the site:
# Material fetches it from unpkg.com only where no `mermaid` is loaded, and an internal
# site without internet access then shows the diagrams' source and, on those pages, loses
# every tooltip to the failed script.
MERMAID_PATH = "assets/service-catalogue/mermaid.min.js"
MERMAID_FILES = {MERMAID_PATH: ASSETS / "mermaid" / "mermaid.min.js",
                 "assets/service-catalogue/mermaid.LICENSE.txt": ASSETS / "mermaid" / "LICENSE"}
_BODY_END = "</body>"


def with_mermaid(html: str, page_url: str, every_page: bool) -> str:
    """The page with the site's own Mermaid before `</body>`: on a page that draws a diagram,
    or on every page under `navigation.instant` (which swaps the content in without loading
    the new page's scripts). Material's bundle runs first and draws on DOMContentLoaded,
    when this script has run: it finds `mermaid` loaded and fetches nothing."""
    if not (every_page or 'class="mermaid"' in html) or _BODY_END not in html or MERMAID_PATH in html:
        return html
    tag = f'<script src="{relative_url(MERMAID_PATH, page_url)}"></script>'
    at = html.rindex(_BODY_END)
    return html[:at] + tag + html[at:]


# Every file above, {path inside the site: its source}: what the plugin serves, `render`
# writes into OUTDIR and `finish` copies into a built site.
SITE_FILES = {CSS_PATH: STYLESHEET, **MERMAID_FILES}
