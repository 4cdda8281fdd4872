"""The composition root: load -> validate -> model -> analyse -> render, assembled once.

Every adapter (the MkDocs plugin, `validate`, `check`, `render`, `diff`) runs
the stages through these functions with one Options, so that each command and
the site see the same catalogue the same way. validate, link, analyse, compare
and render are also the public Python API (service_catalogue/__init__.py): the
model and diff stages' functions are called link and compare because
`service_catalogue.model` and `service_catalogue.diff` are the modules of those stages.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from service_catalogue.analysis import timeline
from service_catalogue.analysis.findings import Finding
from service_catalogue.analysis.rules import run_rules
from service_catalogue.errors import InvalidCatalogueError
from service_catalogue.model import Catalogue
from service_catalogue.options import Options
from service_catalogue.validation.folder import ValidationResult, validate_folder
from service_catalogue.validation.loader import FileCache

if TYPE_CHECKING:  # imported when used: `validate` and `check` need neither Jinja nor the diff
    from service_catalogue.diff.compare import RecordChange
    from service_catalogue.diff.windows import WindowChange
    from service_catalogue.performance.measure import PerformanceReport
    from service_catalogue.site.pages import RenderedPage


@dataclass
class Run:
    """What the stages made of a catalogue. catalogue is None when it is invalid."""

    options: Options
    validation: ValidationResult
    catalogue: Catalogue | None = None
    findings: list[Finding] = field(default_factory=list)
    # The service level report of options.reports (None without report inputs).
    performance: PerformanceReport | None = None

    @property
    def ok(self) -> bool:
        return self.validation.ok

    def require_valid(self) -> Catalogue:
        """The linked catalogue; InvalidCatalogueError, with every problem, when it is invalid."""
        if self.catalogue is None:
            raise InvalidCatalogueError(self.validation.problems, self.validation.total)
        return self.catalogue


def validate(options: Options, cache: FileCache | None = None) -> ValidationResult:
    """Load and check the catalogue folder, every problem at once."""
    return validate_folder(options.catalogue, options.limits, cache)


def link(result: ValidationResult) -> Catalogue:
    """The linked catalogue of a valid result; InvalidCatalogueError, with every problem, when it is not."""
    if not result.ok:
        raise InvalidCatalogueError(result.problems, result.total)
    return Catalogue(result.records)


def analyse(catalogue: Catalogue, options: Options) -> list[Finding]:
    """The service level findings; raises UnknownRuleError for a disabled rule that does not exist."""
    with _collector_paused():
        return run_rules(catalogue, options)


@contextmanager
def _collector_paused():
    """The cyclic garbage collector held off while the analysis runs, as Mercurial's
    `util.nogc` does for its large dicts. The timeline makes hundreds of thousands of
    small objects (clocks, readings, findings) that live until the analysis ends; each
    full collection walked all of them again, which cost a third of a large catalogue's
    analysis. What they leave is freed by reference counting: the peak memory of `check`
    on 10,000 records is the same either way.

    What the analysis made and kept lives as long as the catalogue, so it is then put
    straight in the oldest generation (a freeze and a thaw move every object there in one
    step, walking none): the young collections after the analysis would otherwise walk
    all of it once more, to free nothing. Not where someone else has frozen objects,
    which a thaw would let go too."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def compare(base: ValidationResult, head: ValidationResult) -> list[RecordChange]:
    """The judged changes from base to head (weakened first), with what each affects.

    head must be valid (InvalidCatalogueError otherwise): a change to a record that does
    not load means nothing yet. Of base, the records that loaded are compared, as
    `service-catalogue diff` does, so that a fix of a broken base can be reviewed.
    """
    from service_catalogue.diff import diff_records

    if not head.ok:
        raise InvalidCatalogueError(head.problems, head.total)
    return diff_records(base.records, head.records)


def compare_windows(base: ValidationResult, head: ValidationResult, changes: list[RecordChange],
                    as_of: dt.date) -> list[WindowChange]:
    """The breach windows that the judged changes (compare's) open, close or move, searched
    from as_of; head must be valid, as for compare. Each side is linked again, which costs
    milliseconds; the search itself covers only the agreements the changes can reach."""
    from service_catalogue.diff.windows import window_changes

    if not head.ok:
        raise InvalidCatalogueError(head.problems, head.total)
    return window_changes(Catalogue(base.records), Catalogue(head.records), changes, as_of)


def render(catalogue: Catalogue, options: Options, findings: Sequence[Finding] | None = None,
           performance: PerformanceReport | None = None) -> list[RenderedPage]:
    """Every generated page's Markdown, with the findings shown on the pages they involve
    (None: the analysis was not run, and the health page says so), and the service level
    performance pages of a report (measure's).

    The templates (options.templates over the built-in ones) are compiled first and every
    page is rendered before any is returned, so a RenderError means nothing is to be written.
    """
    from service_catalogue.site.pages import SiteRenderer
    from service_catalogue.validation.schemas import load_schemas

    renderer = SiteRenderer(options)
    renderer.check_templates()
    return renderer.pages(catalogue, load_schemas(), findings=None if findings is None else list(findings),
                          disabled_rules=options.disabled_rules, performance=performance)


def calendar_files(catalogue: Catalogue, options: Options) -> dict[str, str]:
    """Every calendar's iCalendar file, {path inside the site: text}, next to the calendar's page."""
    from service_catalogue.site.icalendar import ics_files

    return ics_files(catalogue, options.section)


def schema_files(site_url: str | None = None) -> dict[str, str]:
    """The JSON Schemas as the site publishes them for editors, {path inside the site: text}:
    at schema/v1/<name>.json, each with the `$id` of its address under site_url (none
    without one, so that its `$ref`s resolve wherever it is served)."""
    from service_catalogue.site.published_schemas import published_schemas

    return published_schemas(site_url)


@dataclass
class HandWrittenPages:
    """The files of a docs folder as `render --docs` writes them: {path in it: text or bytes}."""

    files: dict[str, str | bytes]
    links: int  # [[id]] links made
    unknown_links: list[tuple[str, str]]  # (page:line, what is wrong) of [[id]] naming no record


def hand_written_pages(catalogue: Catalogue, options: Options, docs: Path) -> HandWrittenPages:
    """Every file of the docs folder, its Markdown pages with `[[id]]` made a link to the record
    (as the plugin's on_page_markdown does); other files as they are. RenderError for a page
    that is not UTF-8."""
    from service_catalogue.errors import RenderError
    from service_catalogue.site.finishing import GLOSSARY_LINKS_OFF, glossary_links_off
    from service_catalogue.site.pages import section_path
    from service_catalogue.site.shortlinks import expand_short_links, link_targets, unknown_link_words
    from service_catalogue.validation.checks import CloseIds

    targets = link_targets(catalogue, lambda page: section_path(options.section, page))
    files: dict[str, str | bytes] = {}
    unknown: list[tuple[str, str]] = []
    links = 0
    close_ids = None
    for path in sorted(p for p in docs.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(docs).parts)):
        here = path.relative_to(docs).as_posix()
        if not here.endswith(".md"):
            files[here] = path.read_bytes()
            continue
        try:
            markdown = path.read_text("utf-8")
        except UnicodeDecodeError as exc:
            raise RenderError(f"{path} is not UTF-8 (byte {exc.start}): a Markdown page must be") from None
        expanded, missing = expand_short_links(markdown, targets(here))
        if glossary_links_off(markdown):  # the page's own choice, for the finishing step to read in its HTML
            expanded = expanded.rstrip("\n") + "\n\n" + GLOSSARY_LINKS_OFF
        links += expanded.count("{ .sc-record-link }") - markdown.count("{ .sc-record-link }")
        for record_id, line in missing:
            close_ids = close_ids or CloseIds(catalogue.by_id)
            unknown.append((f"{here}:{line}", unknown_link_words(record_id, close_ids)))
        files[here] = expanded
    return HandWrittenPages(files, links, unknown)


def site_assets() -> dict[str, bytes]:
    """The stylesheet and the site's own Mermaid, {path inside the site: bytes}, as the plugin serves them."""
    from service_catalogue.site.assets import SITE_FILES

    return {path: source.read_bytes() for path, source in SITE_FILES.items()}


def finish(site: Path, catalogue: Catalogue, options: Options, docs: Path | None = None, progress=None):
    """Add to a site that any generator built from the rendered pages what the plugin adds in
    MkDocs: term links and tooltips, "used in" lists, catalogue.json and glossary.json, Mermaid,
    the stylesheet, edit buttons that open the records (site/finishing.py). A FinishedSite, or
    FinishError / ExportError with the site left as it was."""
    from service_catalogue.site.finishing import finish_site
    from service_catalogue.site.pages import SiteRenderer

    return finish_site(site, catalogue, options, SiteRenderer(options).fields, docs, progress)


def measure(catalogue: Catalogue, options: Options) -> PerformanceReport | None:
    """The service level report of options.reports' exports (None without report inputs).
    A ReportInputError when an export cannot be read, or is mostly bad rows."""
    if options.reports is None:
        return None
    from service_catalogue.performance.measure import measure as measure_performance

    return measure_performance(catalogue, options.reports, options.as_of)


def prepare(options: Options, cache: FileCache | None = None, with_findings: bool = True,
            for_pages: bool = True) -> Run:
    """Validate, then (for a valid catalogue) link the model, run the service level
    checks and, with report inputs, measure the service levels (a ReportInputError when
    an export cannot be read). Not for_pages: what the timeline worked out for the pages
    (its breach windows and their pictures) is let go once the findings are made."""
    run = Run(options, validate(options, cache))
    if run.ok:
        run.catalogue = link(run.validation)
        run.performance = measure(run.catalogue, options)
        if with_findings:
            run.findings = analyse(run.catalogue, options)
            if not for_pages:
                timeline.let_go(run.catalogue)
    return run
