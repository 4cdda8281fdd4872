"""Which pages the catalogue section has, and the template context each one gets."""

from __future__ import annotations

import functools
import os
import posixpath
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from service_catalogue.analysis.figures import health_figures, template_globals
from service_catalogue.site.glossary import TermMatcher, record_text
from service_catalogue.model import Catalogue, Entity
from service_catalogue.timeplan import format_hours, format_minutes
from service_catalogue.options import Options
from service_catalogue.site import text
from service_catalogue.site.reference import format_reference

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"

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


class RenderError(Exception):
    """A page cannot be rendered: the message says which page, which template and why."""


def check_section(value: str, *, leading_slash: bool = False) -> str:
    """The section folder as pages are put under it (no slash at either end).

    Raises ValueError saying why value is not a relative folder path that stays
    inside its parent: absolute (unless leading_slash, for a URL prefix), `..`
    or `.` parts, empty parts (`a//b`), backslashes or control characters.
    """
    for char in value:
        if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or 0x202A <= ord(char) <= 0x202E or 0x2066 <= ord(char) <= 0x2069:
            raise ValueError(f"it holds the control character U+{ord(char):04X}")
    if "\\" in value:
        raise ValueError("it holds a backslash: separate folders with `/`")
    if re.match(r"[A-Za-z]:", value) or (value.startswith("/") and not leading_slash):
        raise ValueError("it is an absolute path: write a path relative to it, such as `catalogue`")
    parts = value.strip("/").split("/") if value.strip("/") else []
    if "" in parts:
        raise ValueError("it has an empty part (`//`)")
    if ".." in parts:
        raise ValueError("`..` leads outside it")
    if "." in parts:
        raise ValueError("it has a `.` part: write the path without it")
    return "/".join(parts)


# MkDocs' front matter: a YAML block between `---` lines at the very start of the page.
_FRONT_MATTER_END = re.compile(r"\A-{3}[ \t]*\n.*?\n(?=(?:\.{3}|-{3})[ \t]*\n)", re.S)
# mkdocs-macros-plugin renders a page as a Jinja template unless its front matter says
# this; it takes precedence over the plugin's render_by_default and force_render_paths.
NO_MACROS = "render_macros: false\n"


def no_templating(markdown: str) -> str:
    """The page with front matter that keeps templating plugins from evaluating it.

    Added at the end of the page's own front matter (a later key wins in YAML as
    MkDocs reads it), or as front matter of its own; a template cannot forget it.
    """
    end = _FRONT_MATTER_END.match(markdown)
    if end is None:
        return f"---\n{NO_MACROS}---\n\n{markdown}"
    return f"{markdown[: end.end()]}{NO_MACROS}{markdown[end.end() :]}"


def _shown_path(filename: str) -> str:
    """A template's file name as people read it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(filename)
    except ValueError:  # another drive on Windows
        return filename
    return filename if relative.startswith("..") else Path(relative).as_posix()


INDEX_PAGES = {
    "index.md": "the overview",
    "services/index.md": "the services index",
    "agreements/index.md": "the agreements index",
    "parties/index.md": "the parties index",
    "service-hours/index.md": "the service hours index",
    "glossary.md": "the glossary",
    "health.md": "the service level health page",
    "reference.md": "the format reference",
}


def describe_entity(entity: Entity) -> str:
    return f"{entity.kind} `{entity.id}` ({entity.source})"


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
class RenderedPage:
    path: str  # relative to the docs folder, e.g. catalogue/services/email.md
    markdown: str
    entity: Entity | None = None
    title: str = ""


class SiteRenderer:
    """Turns a Catalogue into Markdown pages. Templates are compiled once per renderer."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        loaders = []
        if self.options.templates:
            loaders.append(jinja2.FileSystemLoader(str(self.options.templates)))
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
        return no_templating(self.env.get_template(template).render(self._context(catalogue, page, **extra)))

    def check_templates(self) -> None:
        """Compile every template (*.j2) now: a broken one fails before anything is written.

        Raises RenderError naming the template's file and line, and what Jinja said.
        """
        for name in self.env.list_templates(filter_func=lambda name: name.endswith(".j2")):
            try:
                self.env.get_template(name)
            except Exception as exc:  # noqa: BLE001 - whatever a template does, it becomes a located message
                raise RenderError(f"the template {name} is broken: {self._explain(exc, name)}") from None

    def _template_file(self, name: str) -> str:
        for folder in (self.options.templates, PACKAGE_TEMPLATES):
            if folder is not None and (Path(folder) / name).is_file():
                return _shown_path(str(Path(folder) / name))
        return name

    def _explain(self, exc: Exception, template: str) -> str:
        """What went wrong, at the innermost template line that the traceback passed."""
        if isinstance(exc, jinja2.TemplateSyntaxError):
            where = _shown_path(exc.filename) if exc.filename else self._template_file(exc.name or template)
            return f"{where}:{exc.lineno}: {exc.message}"
        if isinstance(exc, UnicodeDecodeError):
            return f"{self._template_file(template)} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        folders = tuple(str(Path(f).resolve()) for f in (self.options.templates, PACKAGE_TEMPLATES) if f is not None)
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if str(Path(f.filename).resolve()).startswith(folders)]
        where = f"{_shown_path(frames[-1].filename)}:{frames[-1].lineno}: " if frames else ""
        if isinstance(exc, jinja2.TemplateNotFound):
            return (
                f"{where}no template named `{exc.name}`: a template includes or imports another by its "
                "file name in the templates folder, or of a built-in template, without `..`"
            )
        return f"{where}{type(exc).__name__}: {exc}"

    def _render(self, what: str, template: str, catalogue: Catalogue, page: str, **extra) -> str:
        try:
            return self.render_page(template, catalogue, page, **extra)
        except Exception as exc:  # noqa: BLE001 - a template may raise anything: it becomes a located message
            raise RenderError(f"cannot render {what} with the template {template}: {self._explain(exc, template)}") from None

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
    ) -> list[RenderedPage]:
        """Every page of the catalogue section, rendered (RenderError if one cannot be).

        extra_usage: {term id: [(title, path relative to the docs folder)]} for
        hand-written pages that use a term (the site adapter knows them).
        findings: the service level findings (analysis.analyse) shown on the health
        page and on the record pages; None when no analysis was run.
        reuse: {record id: Markdown} of record pages known not to have changed since
        an earlier render (see rebuild.py); those are not rendered again.
        terms_found: see term_index.
        """
        reuse = reuse or {}
        templates = {"Service": "service.md.j2", "Agreement": "agreement.md.j2", "Party": "party.md.j2", "Calendar": "calendar.md.j2"}
        records = [(templates[kind], entity) for kind in templates for entity in catalogue.of_kind(kind)]
        self._check_paths([page for page in INDEX_PAGES if schemas is not None or page != "reference.md"], [e for _, e in records])

        health = self._use_findings(catalogue, findings, disabled_rules)
        self.matcher, used_by_record, usage = self.term_index(catalogue, extra_usage, terms_found)
        glossary = self._links_from(posixpath.dirname(self.page_path("glossary.md")))  # each page's URL made once
        self.env.globals["glossary_terms"] = lambda entity: used_by_record.get(entity.id, [])
        self.env.globals["term_usage"] = lambda term: [
            (title, glossary.url(page) if not page.startswith("/") else _relative_path(page[1:], glossary.here))
            for title, page in sorted(usage.get(term.id, []), key=lambda pair: pair[0].casefold())
        ]
        index_pages = [
            ("overview.md.j2", "index.md", "Service catalogue", {}),
            ("services_index.md.j2", "services/index.md", "Services", {}),
            ("agreements_index.md.j2", "agreements/index.md", "Agreements", {}),
            ("parties_index.md.j2", "parties/index.md", "Parties", {}),
            ("calendars_index.md.j2", "service-hours/index.md", "Service hours", {}),
            ("glossary.md.j2", "glossary.md", "Glossary", {}),
            ("health.md.j2", "health.md", "Service level health", {"health": health}),
        ]
        if schemas is not None:
            index_pages.append(("reference.md.j2", "reference.md", "Format reference", {"kinds": format_reference(schemas)}))
        pages = []
        for template, page, title, extra in index_pages:
            markdown = self._render(INDEX_PAGES[page], template, catalogue, page, **extra)
            pages.append(RenderedPage(self.page_path(page), markdown, title=title))
        for template, entity in records:
            what = f"the page of {describe_entity(entity)}"
            markdown = reuse.get(entity.id) or self._render(what, template, catalogue, entity.page, record=entity)
            pages.append(RenderedPage(self.page_path(entity.page), markdown, entity, entity.title))
        return pages

    def _check_paths(self, index_pages: list[str], entities: list[Entity]) -> None:
        """Two pages at one path would overwrite each other: an error, before any is rendered."""
        owners: dict[str, list[str]] = {}
        for page in index_pages:
            owners.setdefault(self.page_path(page), []).append(INDEX_PAGES[page])
        for entity in entities:
            owners.setdefault(self.page_path(entity.page), []).append(describe_entity(entity))
        clashes = [(path, names) for path, names in owners.items() if len(names) > 1]
        if clashes:
            raise RenderError(
                "; ".join(f"{len(names)} pages would be written to {path}: {', '.join(names[:-1])} and {names[-1]}" for path, names in clashes)
            )
