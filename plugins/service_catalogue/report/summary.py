"""The line that ends a report (or heads a diff), the same in every format that has one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from service_catalogue.analysis.findings import Finding
from service_catalogue.diff.compare import CHANGE_STATUSES
from service_catalogue.diff.comparison import Comparison
from service_catalogue.diff.rules import VERDICTS
from service_catalogue.validation.problems import Problem


def counted(number: int, noun: str) -> str:
    """3 records, 1 record, 0 records."""
    return f"{number} {noun}{'s' * (number != 1)}"


def _in_records(records: int | None) -> str:
    return f" in {counted(records, 'record')}" if records is not None else ""


def problems_summary(problems: Sequence[Problem], records: int | None = None) -> str:
    """`2 errors and 1 warning in 14 records`, or `catalogue is valid (14 records)`."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if not problems:
        return "catalogue is valid" + (f" ({counted(records, 'record')})" if records is not None else "")
    parts = [counted(errors, "error")]
    if warnings:
        parts.append(counted(warnings, "warning"))
    return f"{' and '.join(parts)}{_in_records(records)}"


def findings_summary(findings: Sequence[Finding], records: int | None = None, as_of: dt.date | None = None) -> str:
    """`3 service level findings (2 rules) in 14 records as of 2026-11-29`."""
    dated = f" as of {as_of.isoformat()}" if as_of else ""
    if not findings:
        return f"no service level findings{_in_records(records)}{dated}"
    rules = len({f.rule for f in findings})
    return f"{counted(len(findings), 'service level finding')} ({counted(rules, 'rule')}){_in_records(records)}{dated}"


def changes_summary(comparison: Comparison) -> str:
    """`2 records differ (0 added, 0 removed, 2 changed); changes: 1 weakened, 0 strengthened, 3 neutral`;
    `1 record differs (...)`; with `; breach windows: 1 opened, 0 closed, 0 changed` when a change opened,
    closed or moved one."""
    if not comparison.changes:
        return f"no changes between {comparison.base.label} and {comparison.head.label}"
    statuses = ", ".join(f"{comparison.count_records(status=s)} {s}" for s in CHANGE_STATUSES)
    classes = ", ".join(f"{comparison.count(v)} {v}" for v in VERDICTS)
    differ = "differs" if len(comparison.changes) == 1 else "differ"
    summary = f"{counted(len(comparison.changes), 'record')} {differ} ({statuses}); changes: {classes}"
    if comparison.windows:
        opened, closed = comparison.count_windows(status="opened"), comparison.count_windows(status="closed")
        summary += f"; breach windows: {opened} opened, {closed} closed, {comparison.count_windows(status='changed')} changed"
    return summary
