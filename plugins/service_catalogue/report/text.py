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
    writes = ("problems", "findings", "changes", "performance")

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

    def performance(self, report) -> str:
        return _performance_text(self, report)

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


def _figures_words(row: dict) -> str:
    from service_catalogue.timeplan import format_minutes

    words = f"{row['met']} met, {row['breached']} breached"
    if row["percent_met"] is not None:
        words += f" ({round(row['percent_met'], 1):g}% met)"
    if row["breached"]:
        words += f"; worst: {one_line(row['worst_breach_ticket'])}, {format_minutes(row['worst_breach_minutes'])} over"
    if row["open"]:
        words += f"; {row['open']} open within the target"
    return words


def availability_words(row: dict) -> str:
    """ "99.8611% (missed): 60 minutes down; budget 21.6 minutes, 38.4 minutes over" """
    from service_catalogue.timeplan import format_minutes

    if row["achieved_percent"] is None:
        return "no covered time in the window"
    verdict = "met" if row["met"] else "missed"
    left = row["budget_left_minutes"]
    budget = f"budget {format_minutes(row['budget_minutes'])}, " + (
        f"{format_minutes(left)} left" if left >= 0 else f"{format_minutes(-left)} over")
    planned = f"; {row['planned_outages']} planned outage{'s' * (row['planned_outages'] != 1)} not counted" if row["planned_outages"] else ""
    down = (f"{format_minutes(row['downtime_minutes'])} down in {row['unplanned_outages']} "
            f"outage{'s' * (row['unplanned_outages'] != 1)}") if row["downtime_minutes"] else "no downtime"
    return f"{row['achieved_percent']:g}% ({verdict}): {down}; {budget}{planned}"


def _performance_text(self, report) -> str:
    from service_catalogue.performance.document import document

    data = document(report)
    period = data["period"]
    lines = [f"Service level performance, {period['from']} to {period['to']} "
             f"(times without an offset are in {period['time_zone']})"]
    for source in data["inputs"]:
        skipped = "".join(f"; {n:,} {one_line(why)}" for why, n in source["skipped"].items())
        lines.append(f"  read {one_line(source['file'])}: {source['rows']:,} rows, {source['measured']:,} measured, "
                     f"{source['bad']:,} bad{skipped}")
    if report.problems:
        lines.append("")
        lines.extend(self.problem(p) for p in sorted(report.problems, key=Problem.sort_key))
    for agreement in data["agreements"]:
        lines.append("")
        lines.append(f"{agreement['type']} {one_line(agreement['id'])} \"{short(agreement['title'], 70)}\""
                     + ("  [missed a target]" if agreement["missed"] else ""))
        lines.append(f"  windows {one_line(agreement['windows_by'])}, in {agreement['time_zone']}; "
                     f"{agreement['tickets']:,} ticket{'s' * (agreement['tickets'] != 1)}")
        measured = [t for t in agreement["targets"] if any(w["met"] or w["breached"] or w["open"] for w in t["windows"])]
        for index, window in enumerate(agreement["windows"]):
            rows = [(t, t["windows"][index]) for t in measured
                    if t["windows"][index]["met"] or t["windows"][index]["breached"] or t["windows"][index]["open"]]
            if not rows:
                continue
            lines.append(f"  {window['label']}" + ("" if window["complete"] else " (to date)"))
            for target, row in rows:
                name = f"{target['priority']} {target['measure']}"
                lines.append(f"    {one_line(name):<16} {short(target['target'], 28):<28} {_figures_words(row)}")
        unmeasured = sorted({t["not_measured"] for t in agreement["targets"] if t["not_measured"] and t["not_measured"] != "no target"})
        for reason in unmeasured:
            lines.append(f"  not measured: {one_line(reason)}")
        not_recorded = sum(t["not_recorded"] for t in agreement["targets"])
        if not_recorded:
            lines.append(f"  {not_recorded:,} resolved ticket{'s' * (not_recorded != 1)} with no response time: not counted")
        availability = agreement["availability"]
        if availability:
            lines.append(f"  availability, target {availability['target_percent']:g}% a {availability['window']}")
            for row in availability["windows"]:
                lines.append(f"    {row['window']:<10} {availability_words(row)}" + ("" if row["complete"] else " (to date)"))
        elif agreement["availability_not_measured"] and agreement["availability_not_measured"] != "no availability target":
            lines.append(f"  availability {one_line(agreement['availability_not_measured'])}")
        for credit in agreement["credits"]:
            if credit["tier"] is None:
                continue
            claim = f" (claim by {credit['claim_by']})" if credit["claim_by"] else ""
            capped = " (capped)" if credit["capped"] else ""
            provisional = " (provisional: the window is not over)" if credit["provisional"] else ""
            lines.append(f"  credit {credit['window']}: availability {credit['tier']}: {short(credit['credit'], 100)}{capped}{claim}{provisional}")
    if data["chain"]:
        lines.append("")
        lines.append("Across the chain")
        lines.extend(f"  {short(note['words'], 400)}" for note in data["chain"])
    lines.append("")
    lines.append(report.summary)
    return "\n".join(lines)

