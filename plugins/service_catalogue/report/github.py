"""For GitHub Actions: one workflow command per problem or finding, which the runner shows
as an annotation on the file and line of the pull request, then the summary for the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from service_catalogue.analysis.findings import Finding
from service_catalogue.report.base import Writer
from service_catalogue.report.escape import one_line, workflow_data, workflow_property
from service_catalogue.report.summary import findings_summary, problems_summary
from service_catalogue.validation.problems import Location, Problem, Severity


def annotation(severity: Severity, location: Location, title: str, message: str) -> str:
    """`::error file=...,line=..,col=..,title=...::message`, every part escaped."""
    command = "error" if severity == "error" else "warning"
    props = (
        f"file={workflow_property(location.file)},line={location.line},"
        f"col={location.column},title={workflow_property(title)}"
    )
    return f"::{command} {props}::{workflow_data(message)}"


class GitHubWriter(Writer):
    name = "github"
    writes = ("problems", "findings")

    def problems(self, problems: Sequence[Problem], records: int | None = None) -> str:
        lines = []
        for p in problems:
            subject = one_line(": ".join(part for part in (p.record, p.field) if part))
            message = f"{subject}: {one_line(p.message)}" if subject else one_line(p.message)
            if p.hint:
                message += f"\nhint: {one_line(p.hint)}"
            lines.append(annotation(p.severity, p.location, f"service-catalogue {p.code}", message))
        lines.append(problems_summary(problems, records))
        return "\n".join(lines)

    def findings(self, findings: Sequence[Finding], records: int | None = None, as_of: dt.date | None = None) -> str:
        lines = [annotation(f.severity, f.location, f"service-catalogue {f.rule}", f.message) for f in findings]
        lines.append(findings_summary(findings, records, as_of))
        return "\n".join(lines)
