"""Options of the `service-catalogue` MkDocs plugin (mkdocs.yml, under plugins)."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..loader import DEFAULT_MAX_FILE_BYTES


class ServiceCatalogueConfig(Config):
    # The folder of YAML records, relative to mkdocs.yml.
    catalogue = c.Type(str, default="catalogue")
    # Where the generated section lives inside the site (its URL prefix).
    section = c.Type(str, default="catalogue")
    # The date that date-dependent text is written against (YYYY-MM-DD); default today.
    as_of = c.Optional(c.Type(str))
    # A folder whose templates replace ours file by file (same names).
    templates = c.Optional(c.Type(str))
    # Agreements ending within this many days are marked in the index and reported
    # by the term.ending-soon rule.
    ending_days = c.Type(int, default=90)
    # Service level findings: report (health page and record pages only), warn (also
    # MkDocs warnings, so --strict fails) or error (the build fails).
    findings = c.Choice(("report", "warn", "error"), default="report")
    # Rule ids of the service level checks to switch off (service-catalogue check --list-rules).
    disabled_rules = c.ListOfItems(c.Type(str), default=[])
    # Pass raw HTML in Markdown fields through unsanitised. Only for trusted catalogues.
    allow_raw_html = c.Type(bool, default=False)
    # Files larger than this are refused.
    max_file_size = c.Type(int, default=DEFAULT_MAX_FILE_BYTES)
    # Add the catalogue's index pages to an explicit nav (a "Catalogue" section).
    nav = c.Type(bool, default=True)
    # Which occurrences of glossary terms become links: the first on each page, all, or none.
    glossary_links = c.Choice(("first", "all", "none"), default="first")
    # Export catalogue.json at the site root.
    export_json = c.Type(bool, default=True)
