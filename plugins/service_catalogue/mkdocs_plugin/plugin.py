"""The MkDocs adapter: runs the core, adds its pages as generated files, wires events.

All catalogue logic lives in the core; this module only translates between it
and MkDocs, so that another site generator needs another small adapter, not a
rewrite.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import os
import posixpath
import re
import shutil
import tempfile
from html import escape, unescape
from pathlib import Path
from urllib.parse import quote

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from service_catalogue.validation.folder import validate_folder
from service_catalogue.clidoc import expand as expand_cli_reference
from service_catalogue.site.exports import ExportError, catalogue_entries, catalogue_json_pieces, glossary_export
from service_catalogue.validation.loader import FileCache, LoadLimits
from service_catalogue.model import Catalogue
from service_catalogue.validation.problems import format_text
from service_catalogue.site.rebuild import BuildMemory, findings_by_record, page_signature, terms_signature
from service_catalogue.options import Options
from service_catalogue.site import SiteRenderer
from service_catalogue.site.pages import RenderError
from service_catalogue.site.shortlinks import expand_short_links
from service_catalogue.site.term_links import TermLinker
from service_catalogue.validation.schemas import load_schemas
from service_catalogue.mkdocs_plugin.config import ServiceCatalogueConfig
from service_catalogue.mkdocs_plugin.findings import site_findings

log = logging.getLogger("mkdocs.plugins.service-catalogue")

ASSETS = Path(__file__).resolve().parent.parent / "site" / "assets"
CSS_PATH = "assets/stylesheets/service-catalogue.css"

# Parsed files survive `mkdocs serve` rebuilds, which create new plugin objects.
_FILE_CACHES: dict[str, FileCache] = {}
# Under `mkdocs serve` only: pages' term links by page HTML, kept between rebuilds.
_LINK_CACHES: dict[str, "_LinkCache"] = {}
# Under `mkdocs serve` only: the last build's pages and exports, to reuse what did not change.
_BUILD_MEMORIES: dict[str, BuildMemory] = {}

USED_IN = re.compile(r'<div class="sc-used-in" data-term="([a-z0-9-]+)">.*?</div>', re.S)

REQUIRED_EXTENSIONS = ("attr_list", "tables", "md_in_html", "admonition", "toc")


class ServiceCataloguePlugin(BasePlugin[ServiceCatalogueConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.catalogue: Catalogue | None = None
        self.renderer: SiteRenderer | None = None
        self.record_pages: dict[str, object] = {}  # src_uri -> entity
        self.page_of_id: dict[str, str] = {}  # record id -> src_uri (with #anchor for terms)
        self.term_usage: dict[str, dict[str, str]] = {}  # term id -> {page url: page title}
        self.sources: dict[str, str] = {}  # src_uri -> Markdown, until MkDocs reads the page
        self.generated: set[str] = set()  # src_uris of the pages this plugin made
        self.page_entities: list = []  # (src_uri, entity or None, edit URI) of the pages rendered for this build
        self.catalogue_json = None  # catalogue.json, written before the build cleans site_dir
        self.serving = False  # `mkdocs serve`: keep caches between rebuilds

    def on_startup(self, *, command, dirty) -> None:
        self.serving = command == "serve"

    # -- configuration and validation ---------------------------------------

    def on_config(self, config):
        # MkDocs keeps the plugin object between `serve` rebuilds: start each build afresh,
        # and let the collector free the last build's catalogue (frozen below).
        gc.unfreeze()
        self.record_pages, self.page_of_id, self.term_usage = {}, {}, {}
        self.sources, self.generated = {}, set()
        self._discard_catalogue_json()
        base = Path(config.config_file_path or ".").resolve().parent
        self.catalogue_dir = (base / self.config.catalogue).resolve()
        self.section = self.config.section.strip("/")
        try:
            as_of = dt.date.fromisoformat(self.config.as_of) if self.config.as_of else dt.date.today()
        except ValueError:
            raise PluginError(f"service-catalogue: as_of must be a date written YYYY-MM-DD, not {self.config.as_of!r}")
        templates = (base / self.config.templates).resolve() if self.config.templates else None
        if templates and not templates.is_dir():
            raise PluginError(f"service-catalogue: the templates folder {templates} does not exist")
        self.options = Options(
            catalogue=self.catalogue_dir,
            as_of=as_of,
            section=self.section,
            templates=templates,
            ending_days=self.config.ending_days,
            disabled_rules=frozenset(self.config.disabled_rules),
            allow_raw_html=self.config.allow_raw_html,
            max_file_size=self.config.max_file_size,
            glossary_links=self.config.glossary_links,
        )
        _ensure_extensions(config)
        config.extra_css.append(CSS_PATH)
        if self.config.nav and config.nav is not None:
            _add_nav_section(config, self.section)

        cache = _FILE_CACHES.setdefault(str(self.catalogue_dir), FileCache())
        result = validate_folder(self.catalogue_dir, LoadLimits(max_file_bytes=self.config.max_file_size), cache)
        if not result.ok:
            # Raised before MkDocs cleans site_dir: an invalid catalogue writes nothing.
            raise PluginError("service-catalogue: the catalogue is invalid\n" + format_text(result.problems, result.total))
        for problem in result.problems:
            log.warning(format_text([problem]))
        self.catalogue = Catalogue(result.records)
        # Service level findings; `findings: error` stops the build here, before anything is written.
        self.findings = site_findings(self.catalogue, self.config, as_of, log)
        self.renderer = SiteRenderer(self.options)
        try:
            self.renderer.check_templates()
        except RenderError as exc:
            raise PluginError(f"service-catalogue: {exc}") from None
        log.info(f"service-catalogue: {len(self.catalogue)} records from {self.config.catalogue}/")
        # The catalogue lives until the build ends: move it out of the cyclic collector's
        # way, which otherwise walks all of it on each full collection of the build.
        gc.freeze()
        return config

    # -- generated pages -----------------------------------------------------

    def on_pre_build(self, config) -> None:
        """Render every page and export now: MkDocs cleans site_dir after this event, so a
        page that cannot be rendered fails the build while the last good site is still there."""
        catalogue, renderer = self.catalogue, self.renderer
        for entity in catalogue.by_id.values():
            src = renderer.page_path(entity.page)
            self.page_of_id[entity.id] = f"{src}#{entity.anchor}" if entity.anchor else src
        memory = _BUILD_MEMORIES.setdefault(str(self.catalogue_dir), BuildMemory()) if self.serving else None
        findings = findings_by_record(self.findings)
        signature = page_signature(catalogue, self.options, self.options.templates, self.config.disabled_rules)
        unchanged = memory.unchanged(catalogue, findings, signature) if memory else set()
        reuse_pages = {i: memory.pages[i] for i in unchanged if i in memory.pages} if memory else None
        try:
            pages = renderer.pages(
                catalogue, load_schemas(), findings=self.findings, disabled_rules=self.config.disabled_rules, reuse=reuse_pages,
                terms_found=memory.terms_found if memory else None,
            )
        except RenderError as exc:
            raise PluginError(f"service-catalogue: {exc}") from None
        if reuse_pages is not None:
            record_pages = sum(1 for page in pages if page.entity is not None)
            log.info(f"service-catalogue: {record_pages - len(reuse_pages)} of {record_pages} record pages re-rendered; the rest did not change")
        # Each page's Markdown is held here once, until MkDocs reads the page (on_page_read_source):
        # not also as a generated file's content.
        self.sources = {page.path: page.markdown for page in pages}
        edit_uri = _edit_uris(config)
        self.page_entities = [(page.path, page.entity, page.entity and edit_uri(page.entity.record.path)) for page in pages]
        self.linker = TermLinker(renderer.matcher, catalogue.by_id, self.config.glossary_links)
        exports = {}
        if self.config.export_json:
            try:
                if memory is not None:  # serve: entries are kept, to reuse those that did not change
                    reuse = {i: memory.exports[i] for i in unchanged if i in memory.exports}
                    exports = catalogue_entries(catalogue, self._site_url, reuse)
                # Written a piece at a time to a temporary file (37 MB at 10,000 records), not
                # held in memory for the whole build; copied into site_dir once it is cleaned.
                self.catalogue_json = tempfile.TemporaryFile("w+", encoding="utf-8")
                self.catalogue_json.writelines(catalogue_json_pieces(catalogue, self._site_url, exports or None))
            except ExportError as exc:
                self._discard_catalogue_json()
                raise PluginError(f"service-catalogue: {exc}") from None
            except OSError as exc:
                self._discard_catalogue_json()
                raise PluginError(f"service-catalogue: cannot write catalogue.json to a temporary file: {exc}") from None
        if memory is not None:
            record_markdown = {page.entity.id: page.markdown for page in pages if page.entity is not None}
            memory.remember(catalogue, findings, signature, record_markdown, exports)

    def on_files(self, files: Files, config) -> Files:
        hand_written = set(files.src_uris)
        for path, entity, edit_uri in self.page_entities:
            if path in hand_written:  # a hand-written page of the same name wins
                log.info(f"service-catalogue: {path} is written by hand; not generated")
                self.sources.pop(path, None)
                continue
            file = File.generated(config, path, content="")  # its Markdown: on_page_read_source
            self.generated.add(path)
            if entity is not None:
                self.record_pages[path] = entity
                file.edit_uri = edit_uri
            files.append(file)
        self.page_entities = []
        self.glossary_src = self.renderer.page_path("glossary.md")
        self.glossary_file = False  # not looked up yet
        self.link_cache = None
        if self.serving:
            self.link_cache = _LINK_CACHES.setdefault(str(self.catalogue_dir), _LinkCache())
            self.link_cache.use(_linker_signature(self.catalogue, self.config.glossary_links))
        files.append(File.generated(config, CSS_PATH, content=(ASSETS / "service-catalogue.css").read_text("utf-8")))
        if self.catalogue_json is not None:
            target = Path(config.site_dir) / "catalogue.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            self.catalogue_json.seek(0)
            with open(target, "w", encoding="utf-8") as out:
                shutil.copyfileobj(self.catalogue_json, out)
            self._discard_catalogue_json()
        return files

    def _discard_catalogue_json(self) -> None:
        if self.catalogue_json is not None:
            self.catalogue_json.close()
            self.catalogue_json = None

    def on_build_error(self, error) -> None:
        self._discard_catalogue_json()
        self.sources = {}

    def _site_url(self, entity) -> str:
        src = self.renderer.page_path(entity.page)
        url = src[: -len("index.md")] if src.endswith("index.md") else src[:-3] + "/"
        return url + (f"#{entity.anchor}" if entity.anchor else "")

    # -- navigation: indexes in, thousands of record pages out ---------------

    def on_nav(self, nav: Navigation, config, files: Files) -> Navigation:
        nav.items = _prune(nav.items, set(self.record_pages))
        return nav

    def on_page_read_source(self, page: Page, config) -> str | None:
        return self.sources.pop(page.file.src_uri, None)  # MkDocs holds it from here on

    # -- hand-written pages: [[id]] links ------------------------------------

    def on_page_markdown(self, markdown: str, page: Page, config, files: Files) -> str:
        here = page.file.src_uri
        if here in self.generated:
            # Record text is rendered and sanitised already: `[[id]]` in it is text, not a link.
            return markdown
        markdown = expand_cli_reference(markdown)  # the CLI reference page of the user guide
        if "[[" not in markdown:  # most pages: nothing to expand
            return markdown

        def target(record_id):
            src = self.page_of_id.get(record_id)
            if src is None:
                return None
            path, _, anchor = src.partition("#")
            relative = posixpath.relpath(path, posixpath.dirname(here) or ".")
            return self.catalogue.by_id[record_id].title, relative + (f"#{anchor}" if anchor else "")

        markdown, unknown = expand_short_links(markdown, target)
        for record_id, line in unknown:
            log.warning(f"service-catalogue: {here}:{line}: [[{record_id}]] names no record in the catalogue")
        return markdown

    # -- glossary: terms linked in every page, usage collected for "used in" --

    def on_page_content(self, html: str, page: Page, config, files: Files) -> str:
        if self.glossary_file is False:  # looked up once per build, not for every page
            self.glossary_file = files.get_file_from_path(self.glossary_src) if self.catalogue.terms else None
        glossary = self.glossary_file
        if glossary is None:
            return html
        src = page.file.src_uri
        entity = self.record_pages.get(src)
        counts = (entity is not None and entity.kind in ("Service", "Agreement")) or not page.file.generated_by
        wanted = page.meta.get("glossary_links", True) is not False
        glossary_url = get_relative_url(glossary.url, page.url)
        if self.link_cache is not None:
            html, used = self.link_cache.process(self.linker, html, glossary_url, wanted, src)
        else:
            html, used = self.linker.process(html, glossary_url, link=wanted)
        if counts and src != self.glossary_src:
            title = _text_of(page.title) or src  # page titles are HTML; ours are escaped
            for term_id in used:
                self.term_usage.setdefault(term_id, {})[page.url] = title
        return html

    def on_post_build(self, config) -> None:
        """Fill in each term's "used in" list now that every page has been read."""
        if not self.catalogue.terms:
            return
        site = Path(config.site_dir)
        glossary_url = self.renderer.page_path("glossary.md")[: -len(".md")] + "/"
        glossary_file = site / glossary_url / "index.html"
        if glossary_file.exists():
            # A page that uses several terms is listed under each: its link is made once.
            used_in = {pair for usage in self.term_usage.values() for pair in usage.items()}
            self._used_in_links = {
                (url, title): f'<a href="{escape(get_relative_url(url, glossary_url))}">{escape(title)}</a>'
                for url, title in used_in
            }
            page = glossary_file.read_text("utf-8")
            page = USED_IN.sub(lambda m: self._used_in_html(m.group(1), glossary_url), page)
            glossary_file.write_text(page, "utf-8")
        try:  # made now: it lists the pages that use each term, known once all are read
            data = glossary_export(self.catalogue, self.renderer.fields, glossary_url, self.term_usage)
        except ExportError as exc:
            raise PluginError(f"service-catalogue: {exc}") from None
        (site / "glossary.json").write_text(data, "utf-8")

    def _used_in_html(self, term_id: str, glossary_url: str) -> str:
        pages = sorted(self.term_usage.get(term_id, {}).items(), key=lambda item: item[1].casefold())
        if not pages:
            body = "<p>Not used in any page yet.</p>"
        else:
            links = ", ".join(self._used_in_links[(url, title)] for url, title in pages)
            body = f"<p>Used in: {links}</p>"
        return f'<div class="sc-used-in" data-term="{escape(term_id)}">{body}</div>'

    def on_shutdown(self) -> None:
        self._discard_catalogue_json()
        gc.unfreeze()

    def on_serve(self, server, config, builder):
        server.watch(str(self.catalogue_dir))
        if self.options.templates:
            server.watch(str(self.options.templates))
        return server


class _LinkCache:
    """Term links of pages by their HTML, so that a rebuild links only the pages that changed.

    The linked HTML is a function of the page's HTML, the glossary's address and the
    terms (with the link mode): entries are kept while the terms stay the same.
    """

    def __init__(self):
        self.signature = None
        self.entries: dict[tuple, tuple[str, frozenset]] = {}
        self.seen: set[tuple] = set()

    def use(self, signature) -> None:
        if signature != self.signature:
            self.signature, self.entries = signature, {}
        else:  # keep what the last build used, drop the rest
            self.entries = {key: value for key, value in self.entries.items() if key in self.seen}
        self.seen = set()

    def process(self, linker: TermLinker, html: str, glossary_url: str, link: bool, page: str):
        # Keyed by page, so Python's own string hash is enough to tell a page's HTML
        # changed (a 64-bit hash, 7 times faster than a digest over 10,000 pages).
        key = (page, len(html), hash(html), glossary_url, link)
        self.seen.add(key)
        found = self.entries.get(key)
        if found is None:
            linked, used = linker.process(html, glossary_url, link=link)
            found = self.entries[key] = (linked, frozenset(used))
        return found[0], set(found[1])


def _linker_signature(catalogue: Catalogue, mode: str) -> tuple:
    """Everything about the terms that the links depend on."""
    return (mode,) + terms_signature(catalogue)


def _edit_uris(config):
    """edit_uri(record path): the YAML record's path relative to docs_dir, so the edit button opens it."""
    docs = Path(config.docs_dir).resolve()

    # Resolved once per folder, not per record: the loader refuses symbolic links to files.
    # A name that is not UTF-8 reaches here with surrogates (os.walk): its own bytes are quoted.
    @functools.lru_cache(maxsize=None)
    def folder(parent: str) -> str:
        where = Path(os.path.relpath(Path(parent).resolve(), docs)).as_posix()
        return "" if where == "." else quote(where, safe="/", errors="surrogateescape") + "/"

    def edit_uri(record_path) -> str:
        parent, name = os.path.split(os.fspath(record_path))
        # Themes put it in href="..." as it is: a `"` in a name is quoted too.
        return folder(parent) + quote(name, safe="/", errors="surrogateescape")

    return edit_uri


def _text_of(title) -> str:
    """The text of a page title, which MkDocs keeps as HTML."""
    return unescape(re.sub(r"<[^>]*>", "", str(title or "")))


def _ensure_extensions(config) -> None:
    for name in REQUIRED_EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    if "pymdownx.superfences" not in config.markdown_extensions:
        config.markdown_extensions.append("pymdownx.superfences")
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(f.get("name") == "mermaid" for f in fences):
        from pymdownx.superfences import fence_code_format

        fences.append({"name": "mermaid", "class": "mermaid", "format": fence_code_format})


def _add_nav_section(config, section: str) -> None:
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
                {"Services": f"{prefix}services/index.md"},
                {"Agreements": f"{prefix}agreements/index.md"},
                {"Parties": f"{prefix}parties/index.md"},
                {"Service hours": f"{prefix}service-hours/index.md"},
                {"Glossary": f"{prefix}glossary.md"},
                {"Service level health": f"{prefix}health.md"},
                {"Format reference": f"{prefix}reference.md"},
            ]
        }
    )


def _prune(items, record_pages: set[str]):
    kept = []
    for item in items:
        if isinstance(item, Page) and item.file.src_uri in record_pages:
            continue
        if isinstance(item, Section):
            item.children = _prune(item.children, record_pages)
            if not item.children:
                continue
        kept.append(item)
    return kept
