"""The options of a run: one frozen object that every adapter fills in and every stage reads.

The MkDocs plugin fills it from `mkdocs.yml`, the command line from its
arguments; the stages (validation, analysis, the site) take what they need
from it. Frozen and hashable, so that a `mkdocs serve` rebuild can tell in one
comparison whether the options changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from service_catalogue.performance.inputs import ReportInputs
from service_catalogue.validation.loader import DEFAULT_MAX_FILE_BYTES, LoadLimits

# Agreements ending within this many days are marked, and reported by term.ending-soon.
DEFAULT_ENDING_DAYS = 90
GLOSSARY_LINK_MODES = ("first", "all", "none")


@dataclass(frozen=True)
class Options:
    # The folder of YAML records.
    catalogue: Path = Path("catalogue")
    # The date that date-dependent text and the service level checks are measured from.
    as_of: dt.date = field(default_factory=dt.date.today)
    # The folder of the generated pages inside the site (their URL prefix); "" for the top.
    section: str = "catalogue"
    # A folder of templates that replace the built-in ones file by file.
    templates: Path | None = None
    ending_days: int = DEFAULT_ENDING_DAYS
    # Rule ids of the service level checks to switch off.
    disabled_rules: frozenset[str] = frozenset()
    # Pass raw HTML in Markdown fields through unsanitised: only for trusted catalogues.
    allow_raw_html: bool = False
    # Record files larger than this many bytes are refused.
    max_file_size: int = DEFAULT_MAX_FILE_BYTES
    # Which occurrences of glossary terms become links: the first on each page, all, or none.
    glossary_links: str = "first"
    # The ticket and outage exports of the service level report; None: no report (the site
    # has no performance pages, and looks as it does without the feature).
    reports: ReportInputs | None = None

    @property
    def limits(self) -> LoadLimits:
        return LoadLimits(max_file_bytes=self.max_file_size)
