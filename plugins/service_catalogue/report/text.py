"""For people at a terminal: `file:line:col: severity: record: field: message [rule]`, as compilers write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from service_catalogue.analysis.findings import Finding
from service_catalogue.diff.compare import FieldChange
from service_catalogue.diff.comparison import Comparison
from service_catalogue.report.base import Writer
from service_catalogue.report.escape import located, one_line, short
from service_catalogue.report.summary import changes_summary, findings_summary, problems_summary
from service_catalogue.validation.problems import Location, Problem


def field_label(change: FieldChange) -> str:
    """The changed field's path, or `record` for a record added or removed as a whole."""
    return change.field or "record"


def _line(location: Location, severity: str, record: str | None, field: str | None, message: str, code: str,
          related: Sequence[Location], hint: str | None) -> str:
    head = f"{located(location)}: {severity}"
    subject = one_line(": ".join(part for part in (record, field) if part))
    message = one_line(message)
    line = f"{head}: {subject}: {message}" if subject else f"{head}: {message}"
    line += f" [{code}]"
    for other in related:
        line += f"\n  see also: {located(other)}"
    if hint:
        line += f"\n  hint: {one_line(hint)}"
    return line


class TextWriter(Writer):
    name = "text"
    writes = ("problems", "findings", "changes")

    def problem(self, problem: Problem) -> str:
        """One problem: its line, then `see also:` and `hint:` lines."""
        return _line(problem.location, problem.severity, problem.record, problem.field, problem.message, problem.code,
                     problem.related, problem.hint)

    def finding(self, finding: Finding) -> str:
        """One finding, located and worded like a problem (`warning`, the rule id in brackets).

        Without the field: a finding's message is a sentence about its record, and the
        node it is located at (the agreement's `type`, say, when nothing else fits) is
        no field to correct; `record: type: Desk SLA is an active SLA` read as one."""
        return _line(finding.location, finding.severity, finding.subject.record.label, "", finding.message, finding.rule,
                     finding.related, None)

    def problems(self, problems: Sequence[Problem], records: int | None = None) -> str:
        return "\n".join([*(self.problem(p) for p in problems), problems_summary(problems, records)])

    def findings(self, findings: Sequence[Finding], records: int | None = None, as_of: dt.date | None = None) -> str:
        return "\n".join([*(self.finding(f) for f in findings), findings_summary(findings, records, as_of)])

    def changes(self, comparison: Comparison) -> str:
        if not comparison.valid:
            return self.problems(comparison.problems, comparison.head.validation.total)
        lines = [
            one_line(f"Comparing {comparison.base.label} with {comparison.head.label}"),
            one_line(changes_summary(comparison)),
        ]
        for record in comparison.changes:
            lines.append("")
            lines.append(
                f"{one_line(record.kind)} {one_line(record.id)} \"{short(record.title, 60)}\" ({record.status}, "
                f"{record.verdict})  {located(Location(record.file, record.line), column=False)}"
            )
            for change in record.fields:
                lines.append(
                    f"  {change.verdict:<12} {one_line(field_label(change))}: {short(change.before_words, 60)} -> "
                    f"{short(change.after_words, 60)}  [{one_line(change.rule)}]"
                )
                lines.append(f"  {'':<12} {short(change.reason, 160)}")
            for impact in record.impact:
                lines.append(f"  impact: {one_line(impact.message)}")
        lines.extend(self.windows(comparison))
        return "\n".join(lines)

    def windows(self, comparison: Comparison) -> list[str]:
        """The breach windows the changes opened, closed or moved, each under its upper
        agreement's target, with every sentence on its own line: the worst case is not cut."""
        if not comparison.windows:
            return []
        assert comparison.as_of is not None  # windows are searched from a date
        lines = ["", f"Breach windows (searched from {comparison.as_of.isoformat()}, up to 12 months ahead)"]
        for window in comparison.windows:
            lines.append(
                f"  {window.verdict:<12} {window.verb}: {one_line(window.upper.label)} of Agreement "
                f"{one_line(window.agreement.id)} \"{short(window.agreement.title, 60)}\" under "
                f"{one_line(window.lower.agreement.id)}  {located(window.location, column=False)}"
            )
            lines.extend(f"  {'':<12} {one_line(sentence)}." for sentence in window.sentences)
        return lines
