"""Options of the `service-catalogue` MkDocs plugin (mkdocs.yml, under plugins)."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from service_catalogue.options import DEFAULT_ENDING_DAYS
from service_catalogue.validation.loader import DEFAULT_MAX_FILE_BYTES, MAX_FILE_SIZE_LIMIT
from service_catalogue.site.pages import check_section


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


class ServiceCatalogueConfig(Config):
    # The folder of YAML records, relative to mkdocs.yml.
    catalogue = c.Type(str, default="catalogue")
    # Where the generated section lives inside the site (its URL prefix).
    section = _Section()
    # The date that date-dependent text is written against (YYYY-MM-DD); default today.
    as_of = c.Optional(c.Type(str))
    # A folder whose templates replace ours file by file (same names).
    templates = c.Optional(c.Type(str))
    # Agreements ending within this many days are marked in the index and reported
    # by the term.ending-soon rule.
    ending_days = _WholeNumber(DEFAULT_ENDING_DAYS, "a number of days", 0, 36_500, " (a hundred years)")
    # Service level findings: report (health page and record pages only), warn (also
    # MkDocs warnings, so --strict fails) or error (the build fails).
    findings = c.Choice(("report", "warn", "error"), default="report")
    # Rule ids of the service level checks to switch off (service-catalogue check --list-rules).
    disabled_rules = c.ListOfItems(c.Type(str), default=[])
    # Pass raw HTML in Markdown fields through unsanitised. Only for trusted catalogues.
    allow_raw_html = c.Type(bool, default=False)
    # Files larger than this are refused.
    max_file_size = _WholeNumber(DEFAULT_MAX_FILE_BYTES, "a number of bytes", 1, MAX_FILE_SIZE_LIMIT, " (1 GiB; 1 MiB is 1,048,576)")
    # Add the catalogue's index pages to an explicit nav (a "Catalogue" section).
    nav = c.Type(bool, default=True)
    # Which occurrences of glossary terms become links: the first on each page, all, or none.
    glossary_links = c.Choice(("first", "all", "none"), default="first")
    # Export catalogue.json at the site root.
    export_json = c.Type(bool, default=True)
