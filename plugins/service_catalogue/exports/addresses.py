"""The address of each record's page on the published catalogue site, for links back to it.

MkDocs makes a page's URL from `site_url`, the folder of the generated pages (the
plugin's `section`) and `use_directory_urls`; the exports read the same three from
mkdocs.yml, or are given them. Without a site address there is no page address, and
an export leaves its links out rather than write ones that lead nowhere.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from service_catalogue.errors import ExportError
from service_catalogue.model import Entity

DEFAULT_SECTION = "catalogue"


@dataclass(frozen=True)
class PageAddresses:
    """site_url None: the site's address is not known, and no page has one."""

    site_url: str | None = None
    section: str = DEFAULT_SECTION
    directory_urls: bool = True

    def __post_init__(self):
        if self.site_url is not None:
            parts = urlsplit(self.site_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ExportError(f"the site address {self.site_url!r} is not an http or https URL "
                                  "(such as https://catalogue.example.org/)")

    @property
    def known(self) -> bool:
        return self.site_url is not None

    def of(self, entity: Entity) -> str | None:
        """The URL of the entity's page (a term's: its glossary entry), as MkDocs would make it."""
        if self.site_url is None:
            return None
        path = posixpath.join(self.section, entity.page) if self.section else entity.page
        stem = path.removesuffix(".md")
        if posixpath.basename(stem) == "index":
            stem = posixpath.dirname(stem)
            url = f"{stem}/" if stem else ""
            if not self.directory_urls:
                url = f"{url}index.html"
        else:
            url = f"{stem}/" if self.directory_urls else f"{stem}.html"
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        anchor = f"#{entity.anchor}" if entity.anchor else ""
        return base + quote(url) + anchor


def addresses_from_mkdocs(path: Path, site_url: str | None = None, section: str | None = None) -> PageAddresses:
    """site_url, use_directory_urls and the service-catalogue plugin's `section` of a
    mkdocs.yml; site_url and section, when given, win over the file's."""
    import yaml

    class _Tolerant(yaml.SafeLoader):
        """mkdocs.yml may hold Python tags (Material's emoji functions, !ENV): read as nothing."""

    _Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Tolerant)  # noqa: S506 (a SafeLoader)
    except OSError as error:
        raise ExportError(f"{path}: cannot be read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        raise ExportError(f"{place}: not YAML: {getattr(error, 'problem', None) or error}") from None
    data = data if isinstance(data, dict) else {}
    written_section = None
    for entry in data.get("plugins") or ():
        if isinstance(entry, dict) and isinstance(entry.get("service-catalogue"), dict):
            written_section = entry["service-catalogue"].get("section")
    url = site_url or data.get("site_url") or None
    chosen = section if section is not None else written_section
    return PageAddresses(
        site_url=str(url) if url else None,
        section=str(chosen).strip("/") if chosen is not None else DEFAULT_SECTION,
        directory_urls=data.get("use_directory_urls") is not False,
    )
