"""The errors that the core raises for an adapter to report, under one root.

The core never decides how an error is shown or what it ends: each adapter
translates a ServiceCatalogueError once, the command line into a message and
its exit code (cli/console.py), the MkDocs plugin into a PluginError
(mkdocs_plugin/plugin.py). Every message says what is wrong and, where it can,
what to do instead, without the adapter's prefix (`service-catalogue check: `).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service_catalogue.validation.problems import Problem


class ServiceCatalogueError(Exception):
    """The root of every error of the core that an adapter reports to its user."""


class InvalidCatalogueError(ServiceCatalogueError):
    """The catalogue has validation errors: it is not modelled, analysed or rendered.

    problems holds every problem found (warnings too), records the number of
    records read, so that an adapter writes them in the format it reports in."""

    def __init__(self, problems: Sequence[Problem], records: int | None = None):
        self.problems = list(problems)
        self.records = records
        super().__init__("the catalogue is invalid")


class UnknownRuleError(ServiceCatalogueError, ValueError):
    """A rule id, given to switch a rule off, names no rule of the service level checks."""

    def __init__(self, rule_id: str, hint: str):
        self.rule_id = rule_id
        super().__init__(f"unknown rule id `{rule_id}`: {hint}")


class DiffSourceError(ServiceCatalogueError):
    """A side of a diff cannot be loaded at all (no such folder or revision, no repository, no git)."""


class RenderError(ServiceCatalogueError):
    """A page cannot be rendered: the message says which page, which template and why."""


class FinishError(ServiceCatalogueError):
    """A built site cannot be finished (`service-catalogue finish`): what is wrong with it, and what to do."""


class ExportError(ServiceCatalogueError, ValueError):
    """An export cannot be written (as strict JSON, or in another tool's format): the message names the record."""


class UnknownFormatError(ServiceCatalogueError, ValueError):
    """An output format that names no writer of the subject (problems, findings, changes)."""

    def __init__(self, name: str, subject: str, names: Sequence[str]):
        self.name = name
        super().__init__(f"unknown format `{name}` for {subject}: the formats are {', '.join(names)}")


class ReportInputError(ServiceCatalogueError, ValueError):
    """The `reports:` block, or an export it names, cannot be read (or is mostly bad rows):
    `mistakes` has every one, each with its place; `problems`, the located rows behind them."""

    def __init__(self, mistakes: list[str], problems: Sequence[Problem] = ()):
        self.mistakes = mistakes
        self.problems = list(problems)
        super().__init__("the report inputs are wrong:\n" + "\n".join(f"  {m}" for m in mistakes))
