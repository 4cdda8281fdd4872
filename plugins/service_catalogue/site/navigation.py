"""The "Catalogue" section of a site's navigation, in every generator's own format.

The plugin adds it to MkDocs' nav (mkdocs_plugin/site_config.py); `render --nav` writes it
as a file for a generator that runs no plugin: a YAML list for mkdocs.yml (Zensical and
ProperDocs read it too), a TOML array for zensical.toml, or a `.nav.yml` for
mkdocs-awesome-nav. The record pages are reached from the indexes, as in every nav.
"""

from __future__ import annotations

import json

from service_catalogue.kinds import KINDS

SECTION_TITLE = "Catalogue"
# The folder's own navigation for mkdocs-awesome-nav, which reads a `.nav.yml` in each
# folder (MkDocs leaves files whose names start with "." out of the site).
AWESOME_NAV_FILE = ".nav.yml"


def section_entries(performance: bool = False) -> list[tuple[str, str]]:
    """(title, path inside the section) of each page of the "Catalogue" section, in its order;
    with performance, the service level performance overview too."""
    return [
        ("Overview", "index.md"),
        *((kind.nav_title, kind.index_page) for kind in KINDS),
        ("Service level health", "health.md"),
        *([("Service level performance", "performance/index.md")] if performance else []),
        ("Format reference", "reference.md"),
    ]


def awesome_nav_file(performance: bool = False) -> str:
    """The section's `.nav.yml`: the "Catalogue" section's title and pages, in its order."""
    lines = ["# Made by the service-catalogue plugin: the Catalogue section, for mkdocs-awesome-nav.",
             f"title: {SECTION_TITLE}", "nav:"]
    lines += [f"  - {json.dumps(title)}: {json.dumps(path)}" for title, path in section_entries(performance)]
    return "\n".join(lines) + "\n"


# `render --nav FORMAT`: the file it writes into OUTDIR, and what to do with it.
NAV_FORMATS = {
    "yaml": ("catalogue-nav.yml", "mkdocs.yml (MkDocs, ProperDocs, Zensical): the entry to add to `nav:`"),
    "toml": ("catalogue-nav.toml", "zensical.toml: the entry to add to `nav = [...]`"),
    "awesome-nav": (AWESOME_NAV_FILE, "mkdocs-awesome-nav: the section folder's own .nav.yml"),
}


def nav_file(nav_format: str, section: str, performance: bool = False) -> tuple[str, str]:
    """(path inside OUTDIR, text) of the Catalogue section in a generator's format (NAV_FORMATS)."""
    name, _ = NAV_FORMATS[nav_format]
    if nav_format == "awesome-nav":
        return (f"{section}/{name}" if section else name), awesome_nav_file(performance)
    prefix = f"{section}/" if section else ""
    entries = [(title, prefix + path) for title, path in section_entries(performance)]
    if nav_format == "yaml":
        lines = ["# The Catalogue section, made by `service-catalogue render --nav yaml`: add it under `nav:`.",
                 f"- {SECTION_TITLE}:"]
        lines += [f"    - {json.dumps(title)}: {json.dumps(path)}" for title, path in entries]
    else:  # TOML's basic strings are JSON's, for the characters a title or path holds
        lines = ["# The Catalogue section, made by `service-catalogue render --nav toml`: add it to `nav = [...]`.",
                 f"{{ {json.dumps(SECTION_TITLE)} = ["]
        lines += [f"  {{ {json.dumps(title)} = {json.dumps(path)} }}," for title, path in entries]
        lines.append("] },")
    return name, "\n".join(lines) + "\n"
