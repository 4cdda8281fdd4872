"""What the plugin adds to the MkDocs configuration and navigation.

The Markdown extensions its pages need, a "Catalogue" section
in an explicit nav (or in one another plugin made, and a `.nav.yml` for
mkdocs-awesome-nav), and the per-record pages kept out of the navigation but
placed under their index.
"""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from service_catalogue.kinds import KIND_BY_NAME
# The Catalogue section's entries: site/navigation.py, which `render --nav` writes too.
from service_catalogue.site.navigation import section_entries
from service_catalogue.model import Entity

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
    config.nav.append({"Catalogue": [{title: f"{prefix}{path}"} for title, path in section_entries(performance)]})


def _pages(items) -> Iterator[Page]:
    for item in items:
        if isinstance(item, Page):
            yield item
        elif isinstance(item, Section):
            yield from _pages(item.children)


def append_section_to(nav: Navigation, files: Files, section: str, performance: bool = False) -> bool:
    """Append the "Catalogue" section to a nav that leads to none of its pages (one that another
    plugin made, such as mkdocs-awesome-nav from `.nav.yml` files); whether it did."""
    prefix = f"{section}/" if section else ""
    entries = [(title, f"{prefix}{path}") for title, path in section_entries(performance)]
    wanted = {src for _, src in entries}
    if any(page.file.src_uri in wanted for page in _pages(nav.items)):
        return False
    pages: list[Page] = []
    for title, src in entries:
        file = files.get_file_from_path(src)
        if file is not None and file.page is not None:
            file.page.title = title  # as MkDocs titles a page of an explicit nav
            pages.append(file.page)
    if not pages:
        return False
    section_children: list[StructureItem] = [*pages]
    catalogue = Section("Catalogue", section_children)
    for page in pages:
        page.parent = catalogue
    nav.items.append(catalogue)
    # Previous and next run on into the section, as MkDocs links the pages of a nav.
    previous = nav.pages[-1] if nav.pages else None
    for page in pages:
        page.previous_page = previous
        if previous is not None:
            previous.next_page = page
        previous = page
    pages[-1].next_page = None
    nav.pages.extend(pages)
    return True


def place_record_pages(nav: Navigation, files: Files, record_pages: dict[str, Entity], section: str) -> None:
    """Make each record page a child of its kind's index page, where the nav has it (else of
    the section's overview): themes then mark the index, its section and its tab as the
    page's place (Material's active tab, sidebar and path), though the record page itself
    is left out of the nav."""
    prefix = f"{section}/" if section else ""
    in_nav = {page.file.src_uri: page for page in _pages(nav.items)}
    overview = in_nav.get(f"{prefix}index.md")
    for src, entity in record_pages.items():
        file = files.get_file_from_path(src)
        if file is None or file.page is None:
            continue
        index = in_nav.get(prefix + KIND_BY_NAME[entity.kind].index_page, overview)
        if index is not None and index is not file.page:
            # MkDocs reads a parent only for `active` and `ancestors`, which a Page has as a Section does.
            file.page.parent = index  # type: ignore[assignment]


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
