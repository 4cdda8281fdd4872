"""What the plugin adds to the MkDocs configuration and navigation.

The Markdown extensions its pages need, its style sheet, a "Catalogue" section
in an explicit nav, and the per-record pages kept out of the navigation.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from service_catalogue.kinds import KINDS

ASSETS = Path(__file__).resolve().parent.parent / "site" / "assets"
CSS_PATH = "assets/stylesheets/service-catalogue.css"
# Mermaid, from the npm package (package.json pins it; scripts/vendor_mermaid.py copies
# dist/mermaid.min.js and its licence into site/assets/mermaid/). Served from the site:
# Material fetches it from unpkg.com only where no `mermaid` is loaded, and an internal
# site without internet access then shows the diagrams' source and, on those pages, loses
# every tooltip to the failed script.
MERMAID_FILES = {"assets/service-catalogue/mermaid.min.js": ASSETS / "mermaid" / "mermaid.min.js",
                 "assets/service-catalogue/mermaid.LICENSE.txt": ASSETS / "mermaid" / "LICENSE"}
MERMAID_PATH = "assets/service-catalogue/mermaid.min.js"
_BODY_END = "</body>"


def with_mermaid(html: str, page_url: str, every_page: bool) -> str:
    """The page with the site's own Mermaid before `</body>`: on a page that draws a diagram,
    or on every page under `navigation.instant` (which swaps the content in without loading
    the new page's scripts). Material's bundle runs first and draws on DOMContentLoaded,
    when this script has run: it finds `mermaid` loaded and fetches nothing."""
    if not (every_page or 'class="mermaid"' in html) or _BODY_END not in html:
        return html
    from mkdocs.utils import get_relative_url

    tag = f'<script src="{get_relative_url(MERMAID_PATH, page_url)}"></script>'
    at = html.rindex(_BODY_END)
    return html[:at] + tag + html[at:]

REQUIRED_EXTENSIONS = ("attr_list", "tables", "md_in_html", "admonition", "toc")


def ensure_extensions(config: MkDocsConfig) -> None:
    """Turn on the Markdown extensions the generated pages need, and the mermaid fence."""
    for name in REQUIRED_EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    if "pymdownx.superfences" not in config.markdown_extensions:
        config.markdown_extensions.append("pymdownx.superfences")
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(f.get("name") == "mermaid" for f in fences):
        from pymdownx.superfences import fence_code_format  # type: ignore[import-untyped]

        fences.append({"name": "mermaid", "class": "mermaid", "format": fence_code_format})


def add_nav_section(config, section: str, performance: bool = False) -> None:
    """Append a "Catalogue" section of the index pages to config.nav, unless it names one of them;
    with performance, the service level performance overview too."""

    def mentions(items) -> bool:
        for item in items:
            value = list(item.values())[0] if isinstance(item, dict) else item
            if isinstance(value, list) and mentions(value):
                return True
            if isinstance(value, str) and value.startswith(section + "/"):
                return True
        return False

    if mentions(config.nav):
        return
    prefix = f"{section}/" if section else ""
    config.nav.append(
        {
            "Catalogue": [
                {"Overview": f"{prefix}index.md"},
                *({kind.nav_title: f"{prefix}{kind.index_page}"} for kind in KINDS),
                {"Service level health": f"{prefix}health.md"},
                *([{"Service level performance": f"{prefix}performance/index.md"}] if performance else []),
                {"Format reference": f"{prefix}reference.md"},
            ]
        }
    )


def prune_nav(items: list, record_pages) -> list:
    """The nav items less the record pages (the indexes and search lead to them), and empty sections."""
    kept = []
    for item in items:
        if isinstance(item, Page) and item.file.src_uri in record_pages:
            continue
        if isinstance(item, Section):
            item.children = prune_nav(item.children, record_pages)
            if not item.children:
                continue
        kept.append(item)
    return kept
