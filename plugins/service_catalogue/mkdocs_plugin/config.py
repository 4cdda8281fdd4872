"""Options of the `service-catalogue` MkDocs plugin (mkdocs.yml, under plugins).

Each option checks its own value when MkDocs reads the configuration, so a
wrong one is a configuration error that names the option, before the build
starts; the plugin then only copies the values into an Options.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, Config, ValidationError

from service_catalogue.analysis.rules import check_rule_ids
from service_catalogue.errors import UnknownRuleError
from service_catalogue.fields import parse_date
from service_catalogue.options import DEFAULT_ENDING_DAYS, GLOSSARY_LINK_MODES, Options
from service_catalogue.site.pages import check_section
from service_catalogue.validation.loader import DEFAULT_MAX_FILE_BYTES, MAX_FILE_SIZE_LIMIT

if TYPE_CHECKING:
    from service_catalogue.performance.inputs import ReportInputs


class _Folder(c.Dir):
    """An existing folder, relative to mkdocs.yml (MkDocs' Dir), whose error says what it is for."""

    def __init__(self, what: str, **kwargs):
        super().__init__(exists=True, **kwargs)
        self.what = what

    def run_validation(self, value):
        try:
            return super().run_validation(value)
        except ValidationError as exc:
            raise ValidationError(f"expected {self.what}, relative to mkdocs.yml: {exc}") from None


class _Section(c.Type):
    """A folder inside docs_dir: MkDocs silently drops generated files outside it."""

    def __init__(self):
        super().__init__(str, default="catalogue")

    def run_validation(self, value):
        value = super().run_validation(value)
        try:
            # A leading `/` is taken as the URL prefix it reads as, as it always was.
            return check_section(value, leading_slash=True)
        except ValueError as exc:
            raise ValidationError(
                f"expected a folder inside the docs folder, such as `catalogue` or `reference/catalogue` "
                f"(or \"\" for the top of the site), not {value!r}: {exc}"
            )


class _Date(BaseConfigOption[dt.date]):
    """A date written YYYY-MM-DD, as text: YAML reads an unquoted date as a date, not as text."""

    def run_validation(self, value):
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
        shown = f"{value.isoformat()} (unquoted, so YAML read it as a date: quote it)" if isinstance(value, dt.date) else repr(value)
        raise ValidationError(f'expected a date written "YYYY-MM-DD" (in quotes), not {shown}')


class _RuleIds(c.ListOfItems):
    """Rule ids of the service level checks; an id that names no rule is an error."""

    def __init__(self):
        super().__init__(c.Type(str), default=[])

    def run_validation(self, value):
        rule_ids = super().run_validation(value)
        try:
            check_rule_ids(rule_ids)
        except UnknownRuleError as exc:
            raise ValidationError(str(exc)) from None
        return rule_ids


class _WholeNumber(c.Type):
    """An int between bounds (YAML's true and false are not numbers)."""

    def __init__(self, default: int, what: str, minimum: int, maximum: int, shown_maximum: str = ""):
        super().__init__(int, default=default)
        self.what, self.minimum, self.maximum = what, minimum, maximum
        self.bounds = f"from {minimum:,} to {maximum:,}{shown_maximum}"

    def run_validation(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            shown = str(value).lower() if isinstance(value, bool) else repr(value)
            raise ValidationError(f"expected {self.what} {self.bounds}, written as a whole number, not {shown}")
        if not self.minimum <= value <= self.maximum:
            shown = f"{value:,}" if len(str(abs(value))) <= 24 else f"a number of {len(str(abs(value)))} digits"
            raise ValidationError(f"expected {self.what} {self.bounds}, not {shown}")
        return value


class _ReportInputs(BaseConfigOption["ReportInputs | None"]):
    """The `reports:` block: the exports of the service level report, read relative to
    mkdocs.yml; every mistake in it is one configuration error, with its place."""

    def __init__(self):
        super().__init__()
        self.default = None
        self.config_file_path: str | None = None

    def run_validation(self, value):
        if value is None:
            return None
        from service_catalogue.errors import ReportInputError
        from service_catalogue.performance.inputs import read_inputs

        base = Path(self.config_file_path).parent if self.config_file_path else Path.cwd()
        try:
            return read_inputs(value, base, where="reports")
        except ReportInputError as exc:
            raise ValidationError("\n".join(exc.mistakes)) from None

    def pre_validation(self, config, key_name):
        self.config_file_path = config.config_file_path


class ServiceCatalogueConfig(Config):
    """The plugin's options; docs/guide/configuration.md describes each."""

    enabled = c.Type(bool, default=True)
    """Run the plugin; `false` builds the site without the catalogue section."""

    catalogue = _Folder("the folder of YAML records", default="catalogue")
    """The folder of YAML records, relative to mkdocs.yml (an absolute path once read)."""

    section = _Section()
    """Where the generated section lives inside the site (its URL prefix)."""

    as_of = c.Optional(_Date())
    """The date that date-dependent text is written against (YYYY-MM-DD); default today."""

    templates = c.Optional(_Folder("a folder of templates"))
    """A folder whose templates replace ours file by file (same names)."""

    ending_days = _WholeNumber(DEFAULT_ENDING_DAYS, "a number of days", 0, 36_500, " (a hundred years)")
    """Agreements ending within this many days are marked in the index and reported by
    the term.ending-soon rule."""

    findings = c.Choice(("report", "warn", "error"), default="report")
    """Service level findings: report (health page and record pages only), warn (also
    MkDocs warnings, so --strict fails) or error (the build fails)."""

    disabled_rules = _RuleIds()
    """Rule ids of the service level checks to switch off (service-catalogue check --list-rules)."""

    allow_raw_html = c.Type(bool, default=False)
    """Pass raw HTML in Markdown fields through unsanitised. Only for trusted catalogues."""

    max_file_size = _WholeNumber(DEFAULT_MAX_FILE_BYTES, "a number of bytes", 1, MAX_FILE_SIZE_LIMIT, " (1 GiB; 1 MiB is 1,048,576)")
    """Record files larger than this many bytes are refused."""

    nav = c.Type(bool, default=True)
    """Add the catalogue's index pages to an explicit nav (a "Catalogue" section)."""

    glossary_links = c.Choice(GLOSSARY_LINK_MODES, default="first")
    """Which occurrences of glossary terms become links: the first on each page, all, or none."""

    export_json = c.Type(bool, default=True)
    """Export catalogue.json at the site root."""

    reports = _ReportInputs()
    """The ticket and outage exports of the service level report (docs/guide/reports.md):
    with them, the site has a performance page per agreement measured, and an overview."""


def to_options(config: ServiceCatalogueConfig) -> Options:
    """The one Options of a build, from the plugin's (validated) options."""
    return Options(
        catalogue=Path(config.catalogue).resolve(),
        as_of=config.as_of or dt.date.today(),
        section=config.section.strip("/"),
        templates=Path(config.templates).resolve() if config.templates else None,
        ending_days=config.ending_days,
        disabled_rules=frozenset(config.disabled_rules),
        allow_raw_html=config.allow_raw_html,
        max_file_size=config.max_file_size,
        glossary_links=config.glossary_links,
        reports=config.reports,
    )
