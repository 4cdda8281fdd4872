"""Findings for people (text), tools (JSON) and GitHub Actions (annotations)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from service_catalogue.validation.problems import format_problem, github_annotation, to_json
from service_catalogue.analysis.findings import Finding


def summary_line(findings: list[Finding], records: int | None = None, as_of: dt.date | None = None) -> str:
    counted = f" in {records} record{'s' * (records != 1)}" if records is not None else ""
    dated = f" as of {as_of.isoformat()}" if as_of else ""
    if not findings:
        return f"no service level findings{counted}{dated}"
    rules = len({f.rule for f in findings})
    return (
        f"{len(findings)} service level finding{'s' * (len(findings) != 1)} "
        f"({rules} rule{'s' * (rules != 1)}){counted}{dated}"
    )


def format_text(findings: list[Finding], records: int | None = None, as_of: dt.date | None = None) -> str:
    """`file:line:col: warning: Agreement x: field: message [rule]`, like `validate`."""
    lines = [format_problem(f.to_problem()) for f in findings]
    lines.append(summary_line(findings, records, as_of))
    return "\n".join(lines)


def format_json(findings: list[Finding], records: int | None = None, as_of: dt.date | None = None) -> str:
    return to_json(
        {
            "as_of": as_of.isoformat() if as_of else None,
            "records": records,
            "summary": summary_line(findings, records, as_of),
            "counts": dict(sorted(Counter(f.rule for f in findings).items())),
            "findings": [f.to_dict() for f in findings],
        }
    )


def format_github(findings: list[Finding], records: int | None = None, as_of: dt.date | None = None) -> str:
    """One `::warning` workflow command per finding, then the summary."""
    lines = []
    for f in findings:
        command = "error" if f.severity == "error" else "warning"
        lines.append(github_annotation(command, f.location, f"service-catalogue {f.rule}", f.message))
    lines.append(summary_line(findings, records, as_of))
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
