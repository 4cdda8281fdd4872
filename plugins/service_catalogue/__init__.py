"""service-catalogue: an ITIL-aligned service catalogue kept as code.

The public Python API is what `__all__` names, documented in the guide's
"Python API" page; every other module and name is internal and may change.

    import service_catalogue as sc

    options = sc.Options(catalogue=Path("catalogue"), as_of=date(2026, 11, 29))
    result = sc.validate(options)            # every problem, located
    catalogue = sc.link(result)              # the linked model; InvalidCatalogueError on an error
    findings = sc.analyse(catalogue, options)
    pages = sc.render(catalogue, options, findings)

The core (loading, validation, the linked model, analysis, rendering) knows
nothing of MkDocs or argparse; the MkDocs plugin and the command line are
thin adapters over these same functions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from service_catalogue.kinds import KIND_NAMES as KINDS  # the names of the kinds; their facts are in kinds.py
from service_catalogue.version import API_VERSION, __version__

# Where each name of the API lives. Imported on first use (PEP 562), so that a command
# that needs no templates (`validate`, the pre-commit hook) does not load Jinja and
# the diff engine; `from service_catalogue import render` works as any import does.
_HOME = {
    "Finding": "service_catalogue.analysis.findings",
    "FieldChange": "service_catalogue.diff.compare",
    "RecordChange": "service_catalogue.diff.compare",
    **dict.fromkeys(
        ("ServiceCatalogueError", "InvalidCatalogueError", "UnknownRuleError", "DiffSourceError",
         "RenderError", "ExportError", "UnknownFormatError", "ReportInputError", "FinishError"),
        "service_catalogue.errors",
    ),
    "Catalogue": "service_catalogue.model",
    "Options": "service_catalogue.options",
    **dict.fromkeys(("validate", "link", "analyse", "compare", "render", "measure", "finish"), "service_catalogue.pipeline"),
    **dict.fromkeys(("ReportInputs", "read_inputs"), "service_catalogue.performance.inputs"),
    "PerformanceReport": "service_catalogue.performance.measure",
    "RenderedPage": "service_catalogue.site.pages",
    "ValidationResult": "service_catalogue.validation.folder",
    "Location": "service_catalogue.validation.problems",
    "Problem": "service_catalogue.validation.problems",
}

if TYPE_CHECKING:
    from service_catalogue.analysis.findings import Finding
    from service_catalogue.diff.compare import FieldChange, RecordChange
    from service_catalogue.errors import (
        DiffSourceError,
        ExportError,
        FinishError,
        InvalidCatalogueError,
        RenderError,
        ReportInputError,
        ServiceCatalogueError,
        UnknownFormatError,
        UnknownRuleError,
    )
    from service_catalogue.model import Catalogue
    from service_catalogue.options import Options
    from service_catalogue.performance.inputs import ReportInputs, read_inputs
    from service_catalogue.performance.measure import PerformanceReport
    from service_catalogue.pipeline import analyse, compare, finish, link, measure, render, validate
    from service_catalogue.site.pages import RenderedPage
    from service_catalogue.validation.folder import ValidationResult
    from service_catalogue.validation.problems import Location, Problem


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'service_catalogue' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # found once; later reads do not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "API_VERSION",
    "KINDS",
    "Catalogue",
    "DiffSourceError",
    "ExportError",
    "FieldChange",
    "FinishError",
    "Finding",
    "InvalidCatalogueError",
    "Location",
    "Options",
    "PerformanceReport",
    "Problem",
    "RecordChange",
    "RenderError",
    "RenderedPage",
    "ReportInputError",
    "ReportInputs",
    "ServiceCatalogueError",
    "UnknownFormatError",
    "UnknownRuleError",
    "ValidationResult",
    "__version__",
    "analyse",
    "compare",
    "finish",
    "link",
    "measure",
    "read_inputs",
    "render",
    "validate",
]
