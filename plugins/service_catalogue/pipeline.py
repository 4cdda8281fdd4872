"""The composition root: load -> validate -> model -> analyse -> render, assembled once.

Every adapter (the MkDocs plugin, `validate`, `check`, `render`) runs the
stages through these functions with one Options, so that each command and
the site see the same catalogue the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service_catalogue.analysis.findings import Finding
from service_catalogue.analysis.rules import run_rules
from service_catalogue.errors import InvalidCatalogueError
from service_catalogue.model import Catalogue
from service_catalogue.options import Options
from service_catalogue.validation.folder import ValidationResult, validate_folder
from service_catalogue.validation.loader import FileCache


@dataclass
class Run:
    """What the stages made of a catalogue. catalogue is None when it is invalid."""

    options: Options
    validation: ValidationResult
    catalogue: Catalogue | None = None
    findings: list[Finding] = field(default_factory=list)

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


def analyse(catalogue: Catalogue, options: Options) -> list[Finding]:
    """The service level findings; raises UnknownRuleError for a disabled rule that does not exist."""
    return run_rules(catalogue, options)


def prepare(options: Options, cache: FileCache | None = None, with_findings: bool = True) -> Run:
    """Validate, then (for a valid catalogue) link the model and run the service level checks."""
    run = Run(options, validate(options, cache))
    if run.ok:
        run.catalogue = Catalogue(run.validation.records)
        if with_findings:
            run.findings = analyse(run.catalogue, options)
    return run
