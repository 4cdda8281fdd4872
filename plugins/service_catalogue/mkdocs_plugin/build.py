"""One site build: what the plugin made of the catalogue, and the work of each MkDocs event.

The plugin (plugin.py) makes a SiteBuild in on_config and hands every later
event to it. Every URL and output path comes from MkDocs' own File objects
(`File.url`, `File.abs_dest_path`) and `get_relative_url`, so that the pages,
the "used in" lists and both exports follow `use_directory_urls` as MkDocs does.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from service_catalogue import pipeline
from service_catalogue.analysis.findings import Finding
from service_catalogue.kinds import KIND_BY_NAME
from service_catalogue.mkdocs_plugin.findings import report_findings
from service_catalogue.model import Agreement, Catalogue, Entity
from service_catalogue.options import Options
from service_catalogue.site import SiteRenderer
from service_catalogue.errors import ExportError
from service_catalogue.report import TextWriter
from service_catalogue.site.exports import catalogue_entries, catalogue_json_pieces, glossary_export
from service_catalogue.site.icalendar import ics_files
from service_catalogue.site.rebuild import ServeCache, findings_by_record, page_signature
from service_catalogue.site.finishing import edit_paths, fill_used_in, text_of
from service_catalogue.site.shortlinks import expand_short_links, link_targets, unknown_link_words
from service_catalogue.validation.checks import CloseIds
from service_catalogue.site.term_links import TermLinker
from service_catalogue.validation.schemas import load_schemas

if TYPE_CHECKING:  # the report stage imports pyarrow: only a site with report inputs loads it
    from service_catalogue.performance.measure import PerformanceReport

log = logging.getLogger("mkdocs.plugins.service-catalogue")



@dataclass
class SiteBuild:
    """The state of one build, from on_config to on_post_build.

    Made afresh for every build (MkDocs keeps the plugin object between `serve`
    rebuilds); only `cache` outlives it, and only under `serve`.
    """

    options: Options
    catalogue: Catalogue
    findings: list[Finding]
    renderer: SiteRenderer
    export_json: bool
    cache: ServeCache | None = None  # `mkdocs serve` only: what earlier builds made
    performance: PerformanceReport | None = None  # the service level report, with report inputs
    glossary_src: str = field(init=False)  # where the glossary page is, in docs_dir
    # Set in on_pre_build:
    page_files: dict[str, File] = field(default_factory=dict)  # src_uri -> File, of every page rendered
    calendar_files: dict[str, File] = field(default_factory=dict)  # src_uri -> File, of every calendar's .ics
    schema_files: dict[str, File] = field(default_factory=dict)  # src_uri -> File, of every published JSON Schema
    sources: dict[str, str] = field(default_factory=dict)  # src_uri -> Markdown, until MkDocs reads the page
    # src_uri -> entity, of the record pages (less those written by hand, in on_files)
    record_pages: dict[str, Entity] = field(default_factory=dict)
    page_of_id: dict[str, str] = field(default_factory=dict)  # record id -> src_uri (with #anchor for terms)
    linker: TermLinker | None = None
    record_ids: CloseIds | None = None  # the ids an unknown [[id]] is compared with; made when one is found
    link_targets: Callable | None = None  # for_page(src) -> the target of each [[id]]; made when one is found
    catalogue_json: IO[str] | None = None  # made before MkDocs cleans site_dir; copied in on_post_build
    # Set in on_files:
    generated: set[str] = field(default_factory=set)  # src_uris of the pages this plugin added
    # Another plugin put the pages under a folder of their own (mkdocs-static-i18n, building a
    # further language): the exports at the site root are the first build's.
    moved: bool = False
    # Set while pages are processed:
    glossary_file: File | None | bool = False  # False: not looked up yet
    term_usage: dict[str, dict[str, str]] = field(default_factory=dict)  # term id -> {page url: page title}

    def __post_init__(self) -> None:
        self.glossary_src = self.renderer.page_path(KIND_BY_NAME["Term"].index_page)

    @classmethod
    def prepare(cls, options: Options, findings_mode: str, export_json: bool, cache: ServeCache | None, shown_folder: str) -> SiteBuild:
        """Validate, model and analyse the catalogue (pipeline.prepare), and compile the templates.

        Raises InvalidCatalogueError or RenderError (or, for `findings: error`, PluginError)
        before anything is written: MkDocs cleans site_dir later.
        """
        run = pipeline.prepare(options, cache.files if cache else None)
        catalogue = run.require_valid()
        for problem in run.validation.problems:
            log.warning(TextWriter().problems([problem]))
        # Service level findings; `findings: error` stops the build here, before anything is written.
        report_findings(run.findings, findings_mode, len(catalogue), options.as_of, log)
        renderer = SiteRenderer(options)
        renderer.check_templates()
        log.info(f"service-catalogue: {len(catalogue)} records from {shown_folder}/")
        if run.performance is not None:
            # Rows the report could not measure: warnings (so `--strict` fails on them), each located.
            for problem in sorted(run.performance.problems, key=lambda p: p.sort_key()):
                log.warning(TextWriter().problem(problem))
            log.info(f"service-catalogue: service level report: {run.performance.summary}")
        return cls(options, catalogue, run.findings, renderer, export_json, cache, performance=run.performance)

    # -- on_pre_build: every page and catalogue.json, before site_dir is cleaned --

    def render(self, config: MkDocsConfig) -> None:
        """Render every page and make catalogue.json now: MkDocs cleans site_dir after this
        event, so a page or an export that fails fails the build while the last good site is
        still there. Raises RenderError or ExportError."""
        catalogue, renderer = self.catalogue, self.renderer
        for entity in catalogue.by_id.values():
            src = renderer.page_path(entity.page)
            self.page_of_id[entity.id] = f"{src}#{entity.anchor}" if entity.anchor else src
        memory = self.cache.pages if self.cache else None
        findings = findings_by_record(self.findings)
        measured = frozenset(p.agreement.id for p in self.performance.agreements) if self.performance else frozenset()
        signature = page_signature(catalogue, self.options, measured)
        unchanged = memory.unchanged(catalogue, findings, signature) if memory else set()
        reuse_pages = {i: memory.pages[i] for i in unchanged if i in memory.pages} if memory else None
        pages = renderer.pages(
            catalogue, load_schemas(), findings=self.findings, disabled_rules=self.options.disabled_rules,
            reuse=reuse_pages, terms_found=memory.terms_found if memory else None, performance=self.performance,
        )
        if reuse_pages is not None:
            rendered = sum(1 for page in pages if page.entity is not None)
            log.info(f"service-catalogue: {rendered - len(reuse_pages)} of {rendered} record pages re-rendered; the rest did not change")
        # Each page's Markdown is held here once, until MkDocs reads the page (on_page_read_source):
        # not also as a generated file's content.
        self.sources = {page.path: page.markdown for page in pages}
        # The files are made now, not in on_files: their URLs go into catalogue.json.
        edit_uri = edit_paths(Path(config.docs_dir))  # the YAML record's path, for the edit button
        for page in pages:
            file = self.page_files[page.path] = File.generated(config, page.path, content="")  # its Markdown: source()
            if page.entity is not None:
                file.edit_uri = edit_uri(page.entity.record.path)
                self.record_pages[page.path] = page.entity
        # Each calendar's iCalendar file, next to its page (a File, so the page's link to it follows
        # use_directory_urls as MkDocs resolves it); the same files `service-catalogue render` writes.
        for path, text in ics_files(catalogue, self.options.section).items():
            self.calendar_files[path] = File.generated(config, path, content=text)
        # The JSON Schemas, for editors, each with the $id of its address: site_url as every
        # plugin's on_config left it (mike's puts the version being built in it).
        for path, text in pipeline.schema_files(config.site_url).items():
            self.schema_files[path] = File.generated(config, path, content=text)
        self.linker = TermLinker(renderer.matcher, catalogue.by_id, self.options.glossary_links)
        exports: dict[str, str] = {}
        if self.export_json:
            try:
                if memory is not None:  # serve: entries are kept, to reuse those that did not change
                    reuse = {i: memory.exports[i] for i in unchanged if i in memory.exports}
                    exports = catalogue_entries(catalogue, self.page_url, reuse)
                # Written a piece at a time to a temporary file (37 MB at 10,000 records), not
                # held in memory for the whole build; copied into site_dir in on_post_build.
                self.catalogue_json = tempfile.TemporaryFile("w+", encoding="utf-8")
                self.catalogue_json.writelines(catalogue_json_pieces(catalogue, self.page_url, exports or None))
            except ExportError:
                self.discard_catalogue_json()
                raise
            except OSError as exc:
                self.discard_catalogue_json()
                raise ExportError(f"cannot write catalogue.json to a temporary file: {exc}") from None
        if memory is not None:
            record_markdown = {page.entity.id: page.markdown for page in pages if page.entity is not None}
            memory.remember(catalogue, findings, signature, record_markdown, exports)

    def page_url(self, entity: Entity) -> str:
        """The URL of an entity's page (a term's: its glossary entry), relative to the site root."""
        url = self.page_files[self.renderer.page_path(entity.page)].url
        return f"{url}#{entity.anchor}" if entity.anchor else url

    # -- on_files ------------------------------------------------------------------

    def add_files(self, files: Files) -> None:
        """Add the generated pages, less those written by hand (a hand-written page of the same name wins)."""
        hand_written = set(files.src_uris)
        for path, file in self.page_files.items():
            if path in hand_written:
                log.info(f"service-catalogue: {path} is written by hand; not generated")
                self.sources.pop(path, None)
                self.record_pages.pop(path, None)
                continue
            self.generated.add(path)
            files.append(file)
        for path, file in (*self.calendar_files.items(), *self.schema_files.items()):
            if path in hand_written:  # as for pages: a file of that name written by hand wins
                log.info(f"service-catalogue: {path} is written by hand; not generated")
                continue
            files.append(file)
        if self.catalogue_json is not None and "catalogue.json" in hand_written:
            # As for pages: MkDocs copies the hand-written one, and ours is not written over it.
            log.info("service-catalogue: catalogue.json is written by hand; not exported")
            self.discard_catalogue_json()
        if self.cache is not None:
            self.cache.links.use(self.catalogue, self.options.glossary_links)

    # -- on_page_read_source, on_page_markdown: generated pages and [[id]] links ---

    def source(self, page: Page) -> str | None:
        """A generated page's Markdown; MkDocs holds it from here on."""
        return self.sources.pop(page.file.src_uri, None)

    def expand_short_links(self, markdown: str, page: Page) -> str:
        """`[[id]]` in a hand-written page becomes a link to the record's page."""
        here = page.file.src_uri
        if here in self.generated:
            # Record text is rendered and sanitised already: `[[id]]` in it is text, not a link.
            return markdown
        if "[[" not in markdown:  # most pages: nothing to expand
            return markdown

        if self.link_targets is None:
            self.link_targets = link_targets(self.catalogue, self.renderer.page_path)
        markdown, unknown = expand_short_links(markdown, self.link_targets(here))
        if unknown and self.record_ids is None:
            self.record_ids = CloseIds(self.page_of_id)
        for record_id, line in unknown:
            assert self.record_ids is not None
            log.warning(f"service-catalogue: {here}:{line}: {unknown_link_words(record_id, self.record_ids)}")
        return markdown

    # -- on_page_content: terms linked in every page, usage collected for "used in" --

    def link_terms(self, html: str, page: Page, files: Files) -> str:
        """Link the glossary terms in a page's HTML, and note which terms it uses."""
        glossary_src = self.glossary_src
        if self.glossary_file is False:  # looked up once per build, not for every page
            self.glossary_file = files.get_file_from_path(glossary_src) if self.catalogue.terms else None
        glossary = self.glossary_file
        if not isinstance(glossary, File):
            return html
        src = page.file.src_uri
        entity = self.record_pages.get(src)
        counts = (entity is not None and KIND_BY_NAME[entity.kind].uses_terms) or src not in self.generated
        wanted = page.meta.get("glossary_links", True) is not False
        glossary_url = get_relative_url(glossary.url, page.url)
        assert self.linker is not None  # made in on_pre_build
        # An agreement's own definitions win over the glossary terms of the same name, on its page.
        exclude = entity.overridden_terms if isinstance(entity, Agreement) else frozenset()
        if self.cache is not None:
            html, used = self.cache.links.process(self.linker, html, glossary_url, wanted, src, exclude)
        else:
            html, used = self.linker.process(html, glossary_url, link=wanted, exclude=exclude)
        if counts and src != glossary_src:
            title = text_of(str(page.title or "")) or src  # page titles are HTML; ours are escaped
            for term_id in used:
                self.term_usage.setdefault(term_id, {})[page.url] = title
        return html

    # -- on_post_build: the exports, and "used in" now that every page is read -----

    def finish(self, config: MkDocsConfig) -> None:
        """Write catalogue.json, fill in each term's "used in" list and write glossary.json (or raise ExportError)."""
        site = Path(config.site_dir)
        if self.moved:  # the glossary's "used in" lists are this build's; the exports, the first build's
            self.discard_catalogue_json()
        if self.catalogue_json is not None:
            self._copy_catalogue_json(site / "catalogue.json")
        if not self.catalogue.terms:
            return
        glossary = self.glossary_file
        # The glossary's URL from MkDocs' File: that of a hand-written glossary page too (the same path).
        glossary_url = (glossary if isinstance(glossary, File) else self.page_files[self.glossary_src]).url
        if isinstance(glossary, File) and os.path.isfile(glossary.abs_dest_path):
            page = Path(glossary.abs_dest_path)
            page.write_text(fill_used_in(page.read_text("utf-8"), self.term_usage, glossary_url), "utf-8")
        if self.moved:
            return
        # Made now: it lists the pages that use each term, known once all are read.
        data = glossary_export(self.catalogue, self.renderer.fields, glossary_url, self.term_usage)
        (site / "glossary.json").write_text(data, "utf-8")

    def _copy_catalogue_json(self, target: Path) -> None:
        assert self.catalogue_json is not None
        target.parent.mkdir(parents=True, exist_ok=True)
        self.catalogue_json.seek(0)
        with open(target, "w", encoding="utf-8") as out:
            shutil.copyfileobj(self.catalogue_json, out)
        self.discard_catalogue_json()

    def discard_catalogue_json(self) -> None:
        if self.catalogue_json is not None:
            self.catalogue_json.close()
            self.catalogue_json = None

    def discard(self) -> None:
        """Drop what only a build in progress needs (after a failed build too)."""
        self.discard_catalogue_json()
        self.sources = {}
