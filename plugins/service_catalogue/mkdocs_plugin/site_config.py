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
