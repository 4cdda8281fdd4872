"""For tools: one strict JSON document per run.

Each structure is a contract (the diff's is documented field by field in
docs/reviewing-changes.md, the findings' in docs/health-checks.md): keys are
only ever added, never renamed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict

from service_catalogue.analysis.findings import Finding
from service_catalogue.diff.compare import CHANGE_STATUSES, FieldChange, RecordChange
from service_catalogue.diff.comparison import Comparison
from service_catalogue.diff.impact import Impact
from service_catalogue.diff.paths import steps_to_json
from service_catalogue.diff.rules import VERDICTS
from service_catalogue.diff.sources import Side
from service_catalogue.diff.windows import WINDOW_STATUSES, WindowChange, target_field
from service_catalogue.report.base import Writer
from service_catalogue.report.escape import to_json
from service_catalogue.report.summary import findings_summary, problems_summary
from service_catalogue.validation.problems import Problem

DIFF_FORMAT = "service-catalogue-diff"
DIFF_VERSION = 1


def problem_json(problem: Problem) -> dict:
    data = asdict(problem)
    data.update(
        file=problem.location.file,
        line=problem.location.line,
        column=problem.location.column,
        related=[asdict(r) for r in problem.related],
    )
    del data["location"], data["suggestion"]  # the JSON report's fields are a contract; the hint says it
    return data


def finding_json(finding: Finding) -> dict:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "file": finding.location.file,
        "line": finding.location.line,
        "column": finding.location.column,
        "field": finding.field,
        "record": {"kind": finding.subject.kind, "id": finding.subject.id},
        "records": [
            {"kind": e.kind, "id": e.id, "file": e.record.file, "line": e.record.location().line}
            for e in finding.entities
        ],
        "related": [{"file": r.file, "line": r.line, "column": r.column} for r in finding.related],
    }


def _side_json(side: Side) -> dict:
    return {
        "spec": side.spec,
        "label": side.label,
        "kind": side.kind,
        "revision": side.revision,
        "records": len(side.records),
        "errors": sum(1 for problem in side.validation.problems if problem.severity == "error"),
    }


def _entity_json(entity) -> dict | None:
    return {"id": entity.id, "title": entity.title} if entity is not None else None


def _impact_json(impact: Impact) -> dict:
    entity = impact.entity
    return {
        "kind": entity.kind,
        "id": entity.id,
        "title": entity.title,
        "type": entity.get("type"),
        "relation": impact.relation,
        "customer": _entity_json(impact.customer),
        "services": [_entity_json(service) for service in impact.services],
        "via": impact.via,
        "message": impact.message,
    }


def _change_json(change: FieldChange) -> dict:
    return {
        "field": change.field,
        "path": steps_to_json(change.path),
        "change": change.change,
        "before": change.before,
        "after": change.after,
        "before_text": change.before_words,
        "after_text": change.after_words,
        "class": change.verdict,
        "rule": change.rule,
        "reason": change.reason,
        "line": change.line,
    }


def _record_json(record: RecordChange) -> dict:
    return {
        "kind": record.kind,
        "id": record.id,
        "title": record.title,
        "status": record.status,
        "class": record.verdict,
        "file": record.file,
        "line": record.line,
        "changes": [_change_json(change) for change in record.fields],
        "impact": [_impact_json(impact) for impact in record.impact],
    }


def _clock_json(clock) -> dict:
    agreement = clock.agreement
    location = clock.location
    return {
        "agreement": {"id": agreement.id, "title": agreement.title, "type": agreement.get("type")},
        "kind": clock.kind,
        "key": clock.key,
        "label": clock.label,
        "target": clock.target_words,
        "field": target_field(clock),
        "zone": clock.zone,
        "file": location.file,
        "line": location.line,
    }


def _breach_json(breach) -> dict | None:
    if breach is None:
        return None
    return {
        "share": breach.period_share,  # of the start minutes of the period searched
        "worst_gap_minutes": breach.window.worst_gap,
        "ordinary_week_share": breach.week.share if breach.week is not None else None,
        "ordinary_week_worst_gap_minutes": breach.week.worst_gap if breach.week is not None else None,
        "summary": breach.summary,
        "counterexample": breach.counterexample,
        "remedy": breach.remedy,
    }


def _window_json(window: WindowChange) -> dict:
    return {
        "status": window.status,
        "class": window.verdict,
        "upper": _clock_json(window.upper),
        "lower": _clock_json(window.lower),
        "via": [agreement.id for agreement in window.breach.via],
        "before": _breach_json(window.before),
        "after": _breach_json(window.after),
        "caused_by": [{"kind": change.kind, "id": change.id, "title": change.title, "status": change.status,
                       "fields": [field.field for field in change.fields]} for change in window.causes],
        "message": window.message,
    }


class JsonWriter(Writer):
    name = "json"
    writes = ("problems", "findings", "changes", "performance")

    def performance(self, report) -> str:
        """The report's document (performance/document.py): its keys are a contract. On one
        line: a catalogue's report is a few hundred megabytes (`jq .` indents it)."""
        from service_catalogue.performance.document import document

        return to_json(document(report), compact=True)

    def problems(self, problems: Sequence[Problem], records: int | None = None) -> str:
        return to_json(
            {
                "valid": not any(p.severity == "error" for p in problems),
                "records": records,
                "summary": problems_summary(problems, records),
                "problems": [problem_json(p) for p in problems],
            }
        )

    def findings(self, findings: Sequence[Finding], records: int | None = None, as_of: dt.date | None = None) -> str:
        return to_json(
            {
                "as_of": as_of.isoformat() if as_of else None,
                "records": records,
                "summary": findings_summary(findings, records, as_of),
                "counts": dict(sorted(Counter(f.rule for f in findings).items())),
                "findings": [finding_json(f) for f in findings],
            }
        )

    def changes(self, comparison: Comparison) -> str:
        return to_json(
            {
                "format": DIFF_FORMAT,
                "version": DIFF_VERSION,
                "base": _side_json(comparison.base),
                "head": _side_json(comparison.head),
                "valid": comparison.valid,
                "problems": [problem_json(problem) for problem in comparison.problems],
                "changed": bool(comparison.changes),
                "summary": {
                    "records": {s: comparison.count_records(status=s) for s in CHANGE_STATUSES},
                    "changes": {verdict: comparison.count(verdict) for verdict in VERDICTS},
                    "records_by_class": {verdict: comparison.count_records(verdict=verdict) for verdict in VERDICTS},
                    "windows": {status: comparison.count_windows(status=status) for status in WINDOW_STATUSES},
                },
                "records": [_record_json(record) for record in comparison.changes],
                "as_of": comparison.as_of.isoformat() if comparison.as_of else None,
                "windows": [_window_json(window) for window in comparison.windows],
            }
        )
