"""Which pages the catalogue section has, and the template context each one gets."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import posixpath
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from service_catalogue.analysis.figures import template_globals
from service_catalogue.analysis.health import health_figures
from service_catalogue.analysis.rules import TIMELINE_RULE
from service_catalogue.errors import RenderError
from service_catalogue.fields import with_article
from service_catalogue.site.glossary import TermMatcher, record_text
from service_catalogue.kinds import KIND_BY_NAME, KINDS
from service_catalogue.model import REVIEW_INTERVAL, Agreement, Catalogue, Entity
from service_catalogue.timeplan import format_hours, format_minutes
from service_catalogue.options import Options
from service_catalogue.site import text
from service_catalogue.site.breach_windows import BreachWindows
from service_catalogue.site.reference import format_reference
from service_catalogue.validation.schemas import load_schemas

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"
# A template name that starts with this always means the built-in template, even where the
# templates folder has a file of that name: how an override extends the page it changes.
BUILT_IN = "service-catalogue/"
# The names before pages/, indexes/ and partials/: a file of such a name in the templates
# folder still replaces the whole page (or partial) as it always did.
FORMER_NAMES = {
    "service.md.j2": KIND_BY_NAME["Service"].page_template,
    "agreement.md.j2": KIND_BY_NAME["Agreement"].page_template,
    "party.md.j2": KIND_BY_NAME["Party"].page_template,
    "calendar.md.j2": KIND_BY_NAME["Calendar"].page_template,
    "overview.md.j2": "indexes/overview.md.j2",
    "services_index.md.j2": KIND_BY_NAME["Service"].index_template,
    "agreements_index.md.j2": KIND_BY_NAME["Agreement"].index_template,
    "parties_index.md.j2": KIND_BY_NAME["Party"].index_template,
    "calendars_index.md.j2": KIND_BY_NAME["Calendar"].index_template,
    "glossary.md.j2": KIND_BY_NAME["Term"].index_template,
    "health.md.j2": "indexes/health.md.j2",
    "reference.md.j2": "indexes/reference.md.j2",
    "_macros.md.j2": "partials/macros.md.j2",
    "_findings.md.j2": "partials/findings.md.j2",
}
_FORMER_NAME_OF = {current: former for former, current in FORMER_NAMES.items()}
_EXAMPLE_TEMPLATE = KIND_BY_NAME["Agreement"].page_template  # the one messages name as an example

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


# The last line of every generated page: the stylesheet's mark of a page it may style
# (it underlines the page's links, so that none is told from its text by colour alone).
# Added here, as the front matter above is, so that a template cannot forget it.
GENERATED_MARK = '<div class="sc-page" hidden></div>\n'


def with_generated_mark(markdown: str) -> str:
    return f"{markdown.rstrip(chr(10))}\n\n{GENERATED_MARK}"


def _shown_path(filename: str) -> str:
    """A template's file name as people read it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(filename)
    except ValueError:  # another drive on Windows
        return filename
    return filename if relative.startswith("..") else Path(relative).as_posix()


def section_path(section: str, page: str) -> str:
    """A path inside the catalogue section as a path inside the docs folder (or OUTDIR)."""
    return posixpath.join(section, page) if section else page


@dataclass(frozen=True)
class IndexPage:
    """A page about many records."""

    template: str
    page: str  # its path inside the section
    title: str
    description: str  # how messages name it: "the services index"


def index_pages() -> list[IndexPage]:
    """The pages about many records, in the navigation's order: the overview, each kind's
    index (kinds.py), the health page and the format reference."""
    return [
        IndexPage("indexes/overview.md.j2", "index.md", "Service catalogue", "the overview"),
        *(IndexPage(kind.index_template, kind.index_page, kind.nav_title, kind.index_description) for kind in KINDS),
        IndexPage("indexes/health.md.j2", "health.md", "Service level health", "the service level health page"),
        IndexPage("indexes/reference.md.j2", "reference.md", "Format reference", "the format reference"),
    ]


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


# -- templates: where each name is found, and which names a record has -----------------


class TemplateLoader(jinja2.BaseLoader):
    """The templates folder over the built-in templates, with the former names kept.

    `pages/agreement.md.j2` is the folder's file of that name if there is one, else
    the folder's `agreement.md.j2` (its former name), else the built-in template;
    a former name finds the same files. `service-catalogue/pages/agreement.md.j2`
    is always the built-in template: what an override extends.
    """

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder is not None else None
        self.user = jinja2.FileSystemLoader(str(folder)) if folder is not None else None
        self.built_in = jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES))

    def _candidates(self, name: str) -> list[tuple[jinja2.FileSystemLoader, str]]:
        if name.startswith(BUILT_IN):
            rest = name[len(BUILT_IN) :]
            return [(self.built_in, FORMER_NAMES.get(rest, rest))]
        current = FORMER_NAMES.get(name, name)
        found = [(self.built_in, current)]
        if self.user is not None:
            former = _FORMER_NAME_OF.get(current)
            found[:0] = [(self.user, current)] + ([(self.user, former)] if former else [])
        return found

    def get_source(self, environment, template):
        for loader, name in self._candidates(template):
            try:
                return loader.get_source(environment, name)
            except jinja2.TemplateNotFound:
                continue
        raise jinja2.TemplateNotFound(template)

    def filename(self, template: str) -> str | None:
        """The file that a template name stands for, or None."""
        for loader, name in self._candidates(template):
            for folder in loader.searchpath:
                path = Path(folder) / name
                if ".." not in Path(name).parts and path.is_file():
                    return str(path)
        return None

    def list_templates(self) -> list[str]:
        """The name of every template a page may use: the built-in ones, and the files of the
        templates folder (a former name as its current one). Each name is what pages
        render, so compiling these compiles what the pages use, each file once."""
        names = set(self.built_in.list_templates())
        if self.user is not None:
            names.update(FORMER_NAMES.get(name, name) for name in self.user.list_templates())
        return sorted(names)

    def clashes(self) -> list[tuple[str, str]]:
        """(former name, name) pairs of which the templates folder has both files."""
        if self.folder is None:
            return []
        return [(former, current) for former, current in FORMER_NAMES.items() if (self.folder / former).is_file() and (self.folder / current).is_file()]


def _did_you_mean(name: str, known, path: str = "") -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.7)
    if not close:
        return ""
    return f" (did you mean `{path}.{close[0]}`?)" if path else f" (did you mean `{close[0]}`?)"


class RecordFields:
    """The fields of each kind of record, at every depth, as the format reference lists them."""

    def __init__(self, schemas: dict):
        children: dict[tuple[str, str], set[str]] = {}
        for kind in format_reference(schemas):
            for row in kind["rows"]:
                parent, _, name = row.path.rpartition(".")
                children.setdefault((kind["kind"], parent), set()).add(name)
        self._children = {key: frozenset(names) for key, names in children.items()}

    def of(self, kind: str, path: str) -> frozenset[str] | None:
        """The field names of the mapping at path (`support`, `offerings[]`, "" for the
        record itself); None where the format has no mapping."""
        return self._children.get((kind, path))


@functools.lru_cache(maxsize=1)
def record_fields() -> RecordFields:
    return RecordFields(load_schemas())


def _unknown_field(kind: str, path: str, name: str, known) -> jinja2.UndefinedError:
    field = f"{path}.{name}" if path else name
    return jinja2.UndefinedError(f"`{field}` is not a field of {with_article(kind)}{_did_you_mean(name, known, path)}")


class NotInContext(jinja2.StrictUndefined):
    """A name that the page's context, or an object in it, does not have: any use of it
    fails the build (`is defined` and `default` may still test for it)."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        if self._undefined_obj is jinja2.utils.missing:
            return f"`{self._undefined_name}` is not in the template context of this page"
        if not isinstance(self._undefined_name, str):
            return f"{type(self._undefined_obj).__name__} has no item {self._undefined_name!r}"
        return f"{with_article(type(self._undefined_obj).__name__)} has no attribute `{self._undefined_name}`"


class AbsentField(jinja2.ChainableUndefined):
    """A field that its kind has and this record leaves out: empty, and so is any of its
    own fields read through it; a name the field does not have fails the build."""

    __slots__ = ("_fields", "_kind", "_path")

    def __init__(self, fields: RecordFields, kind: str, path: str):
        super().__init__(name=path)
        self._fields, self._kind, self._path = fields, kind, path

    def __getattr__(self, name: str):
        if name[:2] == "__" and name[-2:] == "__":
            raise AttributeError(name)
        if name == "get":
            return self._get
        return self._field(name)

    def __getitem__(self, key):
        if isinstance(key, str):
            return self._field(key)
        return AbsentField(self._fields, self._kind, f"{self._path}[]")  # an item of an absent list

    def _field(self, name: str):
        known = self._fields.of(self._kind, self._path)
        if known is None:  # text, a number or a list: nothing to check a name against
            return self
        if name not in known:
            raise _unknown_field(self._kind, self._path, name, known)
        return AbsentField(self._fields, self._kind, f"{self._path}.{name}")

    def _get(self, name, default=None):
        self._field(name)
        return default


class TemplateEnvironment(jinja2.Environment):
    """Jinja that knows the fields of records (from the JSON Schemas).

    Reading a name that a record, or a mapping in it, does not have fails at once when
    the name is no field of its kind (`record.titel`), and is an empty AbsentField when
    the record just leaves that field out (`record.support` of a service without
    support). Other names that are not there are NotInContext.
    """

    def __init__(self, record_fields: RecordFields, **options):
        super().__init__(**options)
        self.record_fields = record_fields
        self._catalogue: Catalogue | None = None
        self._paths: dict[int, tuple[str, str] | None] | None = None  # id of a mapping -> (kind, path)

    def use(self, catalogue: Catalogue) -> None:
        """The catalogue whose records the next renders read."""
        if catalogue is not self._catalogue:
            self._catalogue, self._paths = catalogue, None

    def _path_of(self, mapping: dict) -> tuple[str, str] | None:
        """(kind, path) of a mapping in a record's data; None for any other mapping."""
        if self._paths is None:
            self._paths = {}
            for entity in self._catalogue.by_id.values() if self._catalogue is not None else ():
                self._index(self._paths, entity.data, entity.kind, "")
        return self._paths.get(id(mapping))

    def _index(self, paths: dict[int, tuple[str, str] | None], value, kind: str, path: str) -> None:
        # The catalogue holds every mapping indexed here for as long as the index is used,
        # so no other live object can have its id.
        if isinstance(value, dict):
            where = (kind, path)
            if paths.setdefault(id(value), where) != where:
                paths[id(value)] = None  # a YAML alias put it in two places: not checked
            for key, item in value.items():
                self._index(paths, item, kind, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            for item in value:
                self._index(paths, item, kind, f"{path}[]")

    def _fields_of(self, obj) -> tuple[str, str] | None:
        if isinstance(obj, Entity):
            return obj.kind, ""
        if type(obj) is dict:
            return self._path_of(obj)
        return None

    def _checked_get(self, obj, kind: str, path: str):
        known = self.record_fields.of(kind, path)
        if known is None:
            return obj.get

        def get(name, default=None):
            if name not in known:
                raise _unknown_field(kind, path, name, known)
            return obj.get(name, default)

        return get

    def _missing(self, obj, name):
        """What a template reads for a name that obj does not have."""
        if isinstance(name, str):
            where = self._fields_of(obj)
            if where is not None:
                kind, path = where
                known = self.record_fields.of(kind, path)
                if known is not None and name in known:
                    return AbsentField(self.record_fields, kind, f"{path}.{name}" if path else name)
                if isinstance(obj, Entity) and hasattr(type(obj), name):
                    return jinja2.ChainableUndefined(obj=obj, name=name)  # a property that found nothing
                if known is not None:
                    extra = {n for n in dir(type(obj)) if not n.startswith("_")} if isinstance(obj, Entity) else set()
                    if extra:
                        field = f"`{name}` is neither a field nor an attribute of {with_article(kind)}"
                        raise jinja2.UndefinedError(field + _did_you_mean(name, known | extra))
                    raise _unknown_field(kind, path, name, known)
        elif isinstance(obj, (list, tuple)):
            return jinja2.ChainableUndefined(obj=obj, name=name)  # past the end of a list: empty
        if obj is None:
            return jinja2.ChainableUndefined(obj=obj, name=name)  # a relation the record leaves out
        return self.undefined(obj=obj, name=name)

    def getattr(self, obj, attribute):
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            pass
        else:
            if attribute == "get":
                where = self._fields_of(obj)
                if where is not None:
                    return self._checked_get(obj, *where)
            return value
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self._missing(obj, attribute)

    def getitem(self, obj, argument):
        try:
            return obj[argument]
        except (AttributeError, TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return self._missing(obj, argument)


@dataclass(frozen=True)
class PageOptions:
    """What templates see of the options: `options` in every page's context."""

    section: str
    as_of: dt.date
    ending_days: int
    allow_raw_html: bool


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
        self.loader = TemplateLoader(self.options.templates)
        self.env = TemplateEnvironment(
            record_fields(),
            loader=self.loader,
            undefined=NotInContext,  # AbsentField for the fields a record leaves out
            autoescape=False,  # Markdown, not HTML: every value goes through an explicit filter
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # compiled once per renderer, not checked against the file for every page
        )
        self.fields = text.MarkdownFields(self.options.allow_raw_html)
        self.page_options = PageOptions(self.options.section, self.options.as_of, self.options.ending_days, self.options.allow_raw_html)
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
        self.env.globals.update(status_tip=STATUS_TIPS.get, record_kinds=KIND_BY_NAME, review_interval=REVIEW_INTERVAL)
        self.env.globals.update(template_globals())  # availability_ceiling, findings_for, ...

    def _inline_markdown(self, value) -> str:
        return self.fields.inline(value)  # one line, nothing Markdown would read again

    @staticmethod
    def badge(value, kind: str = "") -> str:
        return _badge(str(value))

    def page_path(self, page: str) -> str:
        return section_path(self.options.section, page)

    def _links_from(self, here: str) -> DirectoryLinks:
        links = self._links_by_directory.get(here)
        if links is None:
            links = self._links_by_directory[here] = DirectoryLinks(self.page_path, here)
        return links

    def _context(self, catalogue: Catalogue, page: str, **extra) -> dict:
        links = self._links_from(posixpath.dirname(self.page_path(page)))
        return {
            "catalogue": catalogue,
            "options": self.page_options,
            "as_of": self.options.as_of,
            "url": links.url,
            "link": links.link,
            "page_path": page,
            **extra,
        }

    def render_page(self, template: str, catalogue: Catalogue, page: str, **extra) -> str:
        self.env.use(catalogue)
        return with_generated_mark(no_templating(self.env.get_template(template).render(self._context(catalogue, page, **extra))))

    def check_templates(self) -> None:
        """Compile every template (*.j2) now, the built-in ones and those of the templates
        folder with its subfolders: a broken one fails before anything is written.

        Raises RenderError naming the template's file and line, and what Jinja said; or
        naming the two files of the templates folder that would replace the same page.
        """
        for former, current in self.loader.clashes():
            folder = _shown_path(str(self.options.templates))
            raise RenderError(
                f"the templates folder {folder} has both {current} and {former}, its former name: "
                "they replace the same template; keep one"
            )
        for name in self.env.list_templates(filter_func=lambda name: name.endswith(".j2")):
            try:
                self.env.get_template(name)
            except Exception as exc:  # noqa: BLE001 - whatever a template does, it becomes a located message
                raise RenderError(f"the template {name} is broken: {self._explain(exc, name)}") from None

    def _template_file(self, name: str) -> str:
        found = self.loader.filename(name)
        return _shown_path(found) if found is not None else name

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
                f"{where}no template named `{exc.name}`: a template extends, includes or imports another by its "
                f"file name in the templates folder, or of a built-in template (`{BUILT_IN}{_EXAMPLE_TEMPLATE}`), without `..`"
            )
        if isinstance(exc, RecursionError):
            return (
                f"{where}a template extends, includes or imports itself: an override of a built-in template reaches "
                f"the built-in one by its `{BUILT_IN}` name, such as `{BUILT_IN}{_EXAMPLE_TEMPLATE}`"
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
        # "" for what has no id: the schema gives every record an id of one character or more.
        self.env.globals["findings_for"] = lambda entity: by_id.get(getattr(entity, "id", ""), [])
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
        searched = [entity for kind in KINDS if kind.uses_terms for entity in catalogue.of_kind(kind.name)]
        for entity in searched:
            record, found = known.get(entity.id, (None, None))
            if record is not entity.record:
                found = matcher.term_ids(record_text(entity.data))
                known[entity.id] = (entity.record, found)
            if isinstance(entity, Agreement) and entity.overridden_terms:  # its own definitions win
                found = found - entity.overridden_terms
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
        performance=None,
    ) -> list[RenderedPage]:
        """Every page of the catalogue section, rendered (RenderError if one cannot be).

        extra_usage: {term id: [(title, path relative to the docs folder)]} for
        hand-written pages that use a term (the site adapter knows them).
        findings: the service level findings (analysis.analyse) shown on the health
        page and on the record pages; None when no analysis was run.
        reuse: {record id: Markdown} of record pages known not to have changed since
        an earlier render (see rebuild.py); those are not rendered again.
        terms_found: see term_index.
        performance: the service level report (a PerformanceReport) whose pages to add, and
        link from each measured agreement's section 7; None: no such pages.
        """
        reuse = reuse or {}
        records = [(kind.page_template, entity) for kind in KINDS if kind.page_template for entity in catalogue.of_kind(kind.name)]
        indexes = [index for index in index_pages() if schemas is not None or index.page != "reference.md"]
        self._check_paths(indexes, [e for _, e in records])

        health = self._use_findings(catalogue, findings, disabled_rules)
        self.matcher, used_by_record, usage = self.term_index(catalogue, extra_usage, terms_found)
        glossary = self._links_from(posixpath.dirname(self.page_path(KIND_BY_NAME["Term"].index_page)))  # each page's URL made once
        self.env.globals["glossary_terms"] = lambda entity: used_by_record.get(entity.id, [])
        # searched when first asked; shown where the analysis ran and the window's rule is on
        shown_kinds = frozenset(kind for kind, rule_id in TIMELINE_RULE.items()
                                if findings is not None and rule_id not in disabled_rules)
        self.env.globals["breach_windows"] = BreachWindows(catalogue, self.options.as_of, shown_kinds)
        self.env.globals["term_usage"] = lambda term: [
            (title, glossary.url(page) if not page.startswith("/") else _relative_path(page[1:], glossary.here))
            for title, page in sorted(usage.get(term.id, []), key=lambda pair: pair[0].casefold())
        ]
        measured = {p.agreement.id for p in performance.agreements} if performance is not None else set()
        self.env.globals["performance_page"] = lambda entity: (
            f"performance/{entity.id}.md" if getattr(entity, "id", None) in measured else None)
        extras = {"health.md": {"health": health}}
        if schemas is not None:
            extras["reference.md"] = {"kinds": format_reference(schemas)}
        pages = []
        for index in indexes:
            markdown = self._render(index.description, index.template, catalogue, index.page, **extras.get(index.page, {}))
            pages.append(RenderedPage(self.page_path(index.page), markdown, title=index.title))
        for template, entity in records:
            what = f"the page of {describe_entity(entity)}"
            markdown = reuse.get(entity.id) or self._render(what, template, catalogue, entity.page, record=entity)
            pages.append(RenderedPage(self.page_path(entity.page), markdown, entity, entity.title))
        if performance is not None:
            from service_catalogue.site.performance_pages import performance_pages

            for page in performance_pages(performance):
                what = f"the service level performance page {page.path}"
                markdown = self._render(what, page.template, catalogue, page.path, **page.context)
                pages.append(RenderedPage(self.page_path(page.path), markdown, title=page.title))
        return pages

    def _check_paths(self, indexes: list[IndexPage], entities: list[Entity]) -> None:
        """Two pages at one path would overwrite each other: an error, before any is rendered."""
        owners: dict[str, list[str]] = {}
        for index in indexes:
            owners.setdefault(self.page_path(index.page), []).append(index.description)
        for entity in entities:
            owners.setdefault(self.page_path(entity.page), []).append(describe_entity(entity))
        clashes = [(path, names) for path, names in owners.items() if len(names) > 1]
        if clashes:
            raise RenderError(
                "; ".join(f"{len(names)} pages would be written to {path}: {', '.join(names[:-1])} and {names[-1]}" for path, names in clashes)
            )
