"""A small catalogue whose SLA carries service credits, checked and linked in process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import service_catalogue as sc
from helpers.catalogue_builder import AGREEMENT, write_catalogue

AS_OF = dt.date(2026, 11, 29)
SLA_FILE = "agreements/sla-email.yaml"


def agreement_with(extra: str) -> str:
    """The base SLA with extra top-level YAML after it (an availability target, credits, metrics)."""
    return AGREEMENT + extra


def options(folder: Path) -> sc.Options:
    return sc.Options(catalogue=folder, as_of=AS_OF)


def validate_with(tmp_path: Path, extra: str, name: str = "catalogue") -> sc.ValidationResult:
    """Validate the base catalogue with the SLA's extra YAML, in its own folder under tmp_path."""
    root = tmp_path / name
    root.mkdir()
    write_catalogue(root, {SLA_FILE: agreement_with(extra)})
    return sc.validate(options(root / "catalogue"))
FIRST_LINE = 23  # the first line of the YAML a test appends to the base SLA (22 lines)
