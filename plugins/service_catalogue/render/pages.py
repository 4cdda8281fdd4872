"""Which pages the catalogue section has, and the template context each one gets."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from ..analysis.figures import health_figures, template_globals
from ..glossary import TermMatcher, record_text
from ..model import Catalogue, Entity
from ..timeplan import format_hours, format_minutes
from . import text
from .reference import format_reference

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

STATUS_TIPS = {
    "pipeline": "Pipeline: planned or being built, not yet offered",
    "live": "Live: in operation and supported",
    "retired": "Retired: no longer offered",
    "draft": "Draft: not yet in force",
    "active": "Active: in force",
    "expired": "Expired: its period has ended",
    "terminated": "Terminated: ended before its period",
    "superseded": "Superseded: replaced by a newer agreement",
    "ending": "Ending soon: the period ends within the warning window",
    "customer-facing": "Customer-facing: offered to customers",
    "supporting": "Supporting: underpins other services",
    "SLA": "Service level agreement: between the provider and a customer",
    "OLA": "Operational level agreement: between internal parties",
    "UC": "Underpinning contract: with an external supplier",
}


@functools.lru_cache(maxsize=1024)
def _relative_dir(directory: str, start: str) -> str:
    return posixpath.relpath(directory or ".", start)


def _relative_path(path: str, start: str) -> str:
    """posixpath.relpath(path, start), without its two getcwd() calls for every link."""
    directory, name = posixpath.split(path)
    base = _relative_dir(directory, start)
    return name if base == "." else f"{base}/{name}"


class DirectoryLinks:
    """The `url` and `link` of the pages in one directory.

    A page links to the same owners, calendars and terms as many others in its
    directory: each target's relative URL and Markdown link is made once.
    """

    def __init__(self, page_path, here: str):
        self.page_path = page_path  # section page -> path inside the docs folder
        self.here = here or "."
        self._urls: dict = {}  # Entity or page -> relative URL
        self._links: dict = {}  # Entity -> "[title](url)"

    def url(self, target) -> str:
        if not isinstance(target, (Entity, str)):
            return self._relative_url(target)
        found = self._urls.get(target)
        if found is None:
            found = self._urls[target] = self._relative_url(target)
        return found

    def _relative_url(self, target) -> str:
        if isinstance(target, Entity):
            path, anchor = self.page_path(target.page), target.anchor
        else:
            path, anchor = self.page_path(str(target)), ""
        relative = _relative_path(path, self.here)
        return f"{relative}#{anchor}" if anchor else relative

    def link(self, target, label=None) -> str:
        if target is None:
            return ""
        if label is None and isinstance(target, Entity):
            found = self._links.get(target)
            if found is None:
                found = self._links[target] = self._markdown_link(target, target.title)
            return found
        return self._markdown_link(target, label if label is not None else target.title)

    def _markdown_link(self, target, label) -> str:
        return f"[{text.plain(label)}]({self.url(target)})"


@functools.lru_cache(maxsize=256)  # a few status and type words, on every page
def _badge(word: str) -> str:
    tip = STATUS_TIPS.get(word, word)
    css = "".join(c if c.isalnum() else "-" for c in word.lower())
    return f'<span class="sc-badge sc-badge--{css}" title="{text.tooltip(tip)}">{text.plain(word)}</span>'


@dataclass
class RenderOptions:
    section: str = "catalogue"  # the folder of the generated pages, inside the site
    as_of: dt.date = field(default_factory=dt.date.today)
    templates_dir: Path | None = None  # user overrides, same file names as ours
    ending_days: int = 90
    allow_raw_html: bool = False


@dataclass
class RenderedPage:
    path: str  # relative to the docs folder, e.g. catalogue/services/email.md
    markdown: str | None  # None when deferred: render() makes it
    entity: Entity | None = None
    title: str = ""
    render: Callable[[], str] | None = field(default=None, repr=False)


class SiteRenderer:
    """Turns a Catalogue into Markdown pages. Templates are compiled once per renderer."""

    def __init__(self, options: RenderOptions | None = None):
        self.options = options or RenderOptions()
        loaders = []
        if self.options.templates_dir:
            loaders.append(jinja2.FileSystemLoader(str(self.options.templates_dir)))
        loaders.append(jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.ChainableUndefined,  # optional fields are simply absent
            autoescape=False,  # Markdown, not HTML: every value goes through an explicit filter
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # compiled once per renderer, not checked against the file for every page
        )
        self.fields = text.MarkdownFields(self.options.allow_raw_html)
        self._links_by_directory: dict[str, DirectoryLinks] = {}
        self.env.filters.update(
            t=text.plain,
            attr=text.attribute,
            mermaid=text.mermaid_label,
            md=self.fields.block,
            md_inline=self._inline_markdown,
            hours=format_hours,
            minutes=format_minutes,
            badge=self.badge,
            yaml=text.front_matter,  # HTML-escaped: themes print the title raw
            url_link=text.url_link,
            email_link=text.email_link,
        )
        self.env.globals.update(status_tip=STATUS_TIPS.get)
        self.env.globals.update(template_globals())  # availability_ceiling, findings_for, ...

    def _inline_markdown(self, value) -> str:
        return self.fields.inline(value)  # one line, nothing Markdown would read again

    @staticmethod
    def badge(value, kind: str = "") -> str:
        return _badge(str(value))

    def page_path(self, page: str) -> str:
        return posixpath.join(self.options.section, page) if self.options.section else page

    def _links_from(self, here: str) -> DirectoryLinks:
        links = self._links_by_directory.get(here)
        if links is None:
            links = self._links_by_directory[here] = DirectoryLinks(self.page_path, here)
        return links

    def _context(self, catalogue: Catalogue, page: str, **extra) -> dict:
        links = self._links_from(posixpath.dirname(self.page_path(page)))
        return {
            "catalogue": catalogue,
            "options": self.options,
            "as_of": self.options.as_of,
            "url": links.url,
            "link": links.link,
            "page_path": page,
            **extra,
        }

    def render_page(self, template: str, catalogue: Catalogue, page: str, **extra) -> str:
        return self.env.get_template(template).render(self._context(catalogue, page, **extra))

    def _use_findings(self, catalogue: Catalogue, findings, disabled_rules):
        """findings_for(entity) for the record pages; the health page's figures."""
        by_id: dict[str, list] = {}
        for finding in findings or ():
            for entity in dict.fromkeys(finding.entities):
                by_id.setdefault(entity.id, []).append(finding)
        self.env.globals["findings_for"] = lambda entity: by_id.get(getattr(entity, "id", None), [])
        return health_figures(catalogue, self.options.as_of, findings, disabled_rules)

    def term_index(self, catalogue: Catalogue, extra_usage: dict | None = None, terms_found: dict | None = None):
        """Which terms each record uses, and where each term is used (record pages first).

        terms_found: {record id: (Record, term ids)}, kept by a caller between renders
        with the same terms, so that only records read again are searched again.
        """
        matcher = TermMatcher(catalogue.terms)
        used_by_record: dict[str, list] = {}
        usage: dict[str, list[tuple[str, str]]] = {term.id: [] for term in catalogue.terms}
        known = terms_found if terms_found is not None else {}
        for entity in catalogue.services + catalogue.agreements:
            record, found = known.get(entity.id, (None, None))
            if record is not entity.record:
                found = matcher.term_ids(record_text(entity.data))
                known[entity.id] = (entity.record, found)
            used_by_record[entity.id] = sorted((catalogue.by_id[t] for t in found), key=lambda t: t.title.casefold())
            for term_id in found:
                usage[term_id].append((entity.title, entity.page))
        for term_id, pages in (extra_usage or {}).items():
            usage.setdefault(term_id, []).extend(pages)
        return matcher, used_by_record, usage

    def pages(
        self,
        catalogue: Catalogue,
        schemas: dict | None = None,
        extra_usage: dict | None = None,
        findings: list | None = None,
        disabled_rules=(),
        reuse: dict[str, str] | None = None,
        terms_found: dict | None = None,
        defer: bool = False,
    ) -> list[RenderedPage]:
        """Every page of the catalogue section.

        extra_usage: {term id: [(title, path relative to the docs folder)]} for
        hand-written pages that use a term (the site adapter knows them).
        findings: the service level findings (analysis.analyse) shown on the health
        page and on the record pages; None when no analysis was run.
        reuse: {record id: Markdown} of record pages known not to have changed since
        an earlier render (see rebuild.py); those are not rendered again.
        terms_found: see term_index.
        defer: leave record pages unrendered (markdown None) until their render() is
        called, so that a site generator that reads pages one by one need not hold
        every page's Markdown twice.
        """
        reuse = reuse or {}
        health = self._use_findings(catalogue, findings, disabled_rules)
        self.matcher, used_by_record, usage = self.term_index(catalogue, extra_usage, terms_found)
        glossary = self._links_from(posixpath.dirname(self.page_path("glossary.md")))  # each page's URL made once
        self.env.globals["glossary_terms"] = lambda entity: used_by_record.get(entity.id, [])
        self.env.globals["term_usage"] = lambda term: [
            (title, glossary.url(page) if not page.startswith("/") else _relative_path(page[1:], glossary.here))
            for title, page in sorted(usage.get(term.id, []), key=lambda pair: pair[0].casefold())
        ]
        pages = [
            RenderedPage(self.page_path("index.md"), self.render_page("overview.md.j2", catalogue, "index.md"), title="Service catalogue"),
            RenderedPage(self.page_path("services/index.md"), self.render_page("services_index.md.j2", catalogue, "services/index.md"), title="Services"),
            RenderedPage(self.page_path("agreements/index.md"), self.render_page("agreements_index.md.j2", catalogue, "agreements/index.md"), title="Agreements"),
            RenderedPage(self.page_path("parties/index.md"), self.render_page("parties_index.md.j2", catalogue, "parties/index.md"), title="Parties"),
            RenderedPage(self.page_path("service-hours/index.md"), self.render_page("calendars_index.md.j2", catalogue, "service-hours/index.md"), title="Service hours"),
            RenderedPage(self.page_path("glossary.md"), self.render_page("glossary.md.j2", catalogue, "glossary.md"), title="Glossary"),
            RenderedPage(self.page_path("health.md"), self.render_page("health.md.j2", catalogue, "health.md", health=health), title="Service level health"),
        ]
        if schemas is not None:
            pages.append(
                RenderedPage(
                    self.page_path("reference.md"),
                    self.render_page("reference.md.j2", catalogue, "reference.md", kinds=format_reference(schemas)),
                    title="Format reference",
                )
            )
        templates = {"Service": "service.md.j2", "Agreement": "agreement.md.j2", "Party": "party.md.j2", "Calendar": "calendar.md.j2"}
        for kind, template in templates.items():
            for entity in catalogue.of_kind(kind):
                render = functools.partial(self.render_page, template, catalogue, entity.page, record=entity)
                markdown = reuse.get(entity.id) or (None if defer else render())
                pages.append(RenderedPage(self.page_path(entity.page), markdown, entity, entity.title, render))
        return pages
