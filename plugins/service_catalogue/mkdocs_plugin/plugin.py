"""The MkDocs adapter: wires MkDocs' events to the core, and does nothing else.

The options fill one Options (config.py); on_config runs the stages through
pipeline.py and keeps what they made in a SiteBuild (build.py), which does each
later event's work; site_config.py adds the plugin's extensions, style sheet
and nav section. All catalogue logic lives in the core, so that another site
generator needs another small adapter, not a rewrite. An error of the core
becomes a PluginError in one place, core_errors.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from service_catalogue.mkdocs_plugin.added_files import AddedFiles
from service_catalogue.mkdocs_plugin.build import SiteBuild
from service_catalogue.mkdocs_plugin.config import ServiceCatalogueConfig, to_options
from service_catalogue.mkdocs_plugin.site_config import (
    add_nav_section, append_section_to, ensure_extensions, place_record_pages, prune_nav,
)
from service_catalogue.errors import InvalidCatalogueError, ReportInputError, ServiceCatalogueError
from service_catalogue.report import TextWriter
from service_catalogue.site.assets import CSS_PATH, SITE_FILES, with_mermaid
from service_catalogue.site.finishing import with_finished_mark
from service_catalogue.site.navigation import AWESOME_NAV_FILE, awesome_nav_file
from service_catalogue.site.rebuild import ServeCache


@contextmanager
def core_errors() -> Iterator[None]:
    """An error of the core, in any event, as the PluginError that MkDocs shows and stops on:
    an invalid catalogue with every problem, as `service-catalogue validate` writes them."""
    try:
        yield
    except InvalidCatalogueError as error:
        raise PluginError(f"service-catalogue: {error}\n" + TextWriter().problems(error.problems, error.records)) from None
    except ReportInputError as error:  # the mistakes, and the located rows that made them
        rows = f"\n{TextWriter().problems(error.problems)}" if error.problems else ""
        raise PluginError(f"service-catalogue: {error}{rows}") from None
    except ServiceCatalogueError as error:
        raise PluginError(f"service-catalogue: {error}") from None


class ServiceCataloguePlugin(BasePlugin[ServiceCatalogueConfig]):
    """Generates the catalogue section of a MkDocs site from a folder of YAML records."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        # `mkdocs serve`: set by on_startup. MkDocs keeps this object (it has
        # on_startup) for every build of the process, so the cache lives here.
        self.is_serve = False
        self.serve_cache: ServeCache | None = None
        # The build in progress, made by on_config; None when the plugin is off
        # or the configuration failed.
        self.build: SiteBuild | None = None
        # Whether this plugin froze the collector (see on_config), so that it thaws only its own freeze.
        self.froze = False
        # The files this build added, from on_files (see added_files.py).
        self.added: AddedFiles | None = None

    # -- the process and the configuration ---------------------------------------------

    def on_startup(self, *, command, dirty) -> None:
        self.is_serve = command == "serve"
        self.serve_cache = ServeCache() if self.is_serve else None

    def on_shutdown(self) -> None:
        self._end_build()
        self.is_serve, self.serve_cache = False, None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._end_build()  # the last build's, under serve
        if not self.config.enabled:
            return config
        options = to_options(self.config)
        ensure_extensions(config)
        # Once: mkdocs-static-i18n builds each further language with the same configuration.
        if CSS_PATH not in config.extra_css:
            config.extra_css.append(CSS_PATH)
        if self.config.nav and config.nav is not None:
            add_nav_section(config, options.section, performance=options.reports is not None)
        if self.serve_cache is not None:
            self.serve_cache.start(options, config.use_directory_urls)
        config_dir = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        shown_folder = os.path.relpath(self.config.catalogue, config_dir).replace(os.sep, "/")
        with core_errors():
            self.build = SiteBuild.prepare(options, self.config.findings, self.config.export_json, self.serve_cache, shown_folder)
        # The catalogue lives until the build ends: move it (and everything else made so
        # far) out of the cyclic collector's way, which otherwise walks all of it on each
        # full collection of the build. Undone when the build ends (_end_build).
        gc.freeze()
        self.froze = True
        return config

    def on_serve(self, server, config: MkDocsConfig, builder):
        if self.config.enabled:
            server.watch(self.config.catalogue)
            if self.config.templates:
                server.watch(self.config.templates)
            for source in (self.config.reports.sources if self.config.reports else ()):
                server.watch(str(source.path))  # an export written anew rebuilds the performance pages
        return server

    # -- the generated pages ---------------------------------------------------------

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.build is not None:
            with core_errors():
                self.build.render(config)

    def _add_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.build is not None:
            before = set(files.src_uris)
            self.build.add_files(files)
            for path, source in SITE_FILES.items():
                files.append(File.generated(config, path, abs_src_path=str(source)))
            section = self.build.options.section
            nav_file = f"{section}/{AWESOME_NAV_FILE}"
            if self.config.nav and section and nav_file not in before:  # one written by hand wins
                performance = self.build.options.reports is not None
                files.append(File.generated(config, nav_file, content=awesome_nav_file(performance), inclusion=InclusionLevel.EXCLUDED))
            added = [file for uri, file in files.src_uris.items() if uri not in before]
            records = {uri: os.path.abspath(entity.record.path) for uri, entity in self.build.record_pages.items()}
            self.added = AddedFiles.show(added, config.docs_dir, records)
        return files

    # After every plugin that sorts or replaces the files (mkdocs-static-i18n's on_files is at -100).
    @event_priority(-200)
    def _settle_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.build is not None and self.added is not None:
            self.added.settle(files)
            self.build.moved = self.added.moved
        return files

    on_files = CombinedEvent(_add_files, _settle_files)

    # After every plugin that makes or rearranges the nav (mkdocs-awesome-nav's is at 100,
    # mkdocs-static-i18n's at -100), so that the pages are placed in the nav that is shown.
    @event_priority(-200)
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        if self.build is not None:  # indexes in, thousands of record pages out
            nav.items = prune_nav(nav.items, self.build.record_pages)
            section = self.build.options.section
            if self.config.nav:
                append_section_to(nav, files, section, performance=self.build.options.reports is not None)
            place_record_pages(nav, files, self.build.record_pages, section)
        return nav

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        return self.build.source(page) if self.build is not None else None

    # -- every page: [[id]] links, glossary terms ------------------------------------

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.build.expand_short_links(markdown, page) if self.build is not None else markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.build.link_terms(html, page, files) if self.build is not None else html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.build is None:
            return output
        instant = "navigation.instant" in (config.theme.get("features") or ())
        # The finishing step's mark: `service-catalogue finish` on this site leaves it alone.
        return with_finished_mark(with_mermaid(output, page.url, every_page=instant))

    # -- the end of a build ----------------------------------------------------------

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.build is not None:
            try:
                with core_errors():
                    self.build.finish(config)
            finally:
                self._end_build()

    def on_build_error(self, error) -> None:
        self._end_build()

    def _end_build(self) -> None:
        """Let the build go (a plain build keeps nothing), and thaw the collector if this plugin froze it."""
        if self.build is not None:
            self.build.discard()
            self.build = None
        self.added = None
        if self.froze:
            gc.unfreeze()
            self.froze = False
