"""A PerformanceReport as plain data: the JSON document of `report --format json`, and the rows
its CSV and the site's tables are made from. Keys are only ever added, never renamed
(docs/guide/reports.md lists them)."""

from __future__ import annotations

import datetime as dt
import math

from service_catalogue.performance.measure import AgreementPerformance, PerformanceReport, TargetFigures
from service_catalogue.performance.availability import AvailabilityWindow
from service_catalogue.validation.problems import Problem

FORMAT = "service-catalogue-performance"
VERSION = 1


def _minutes(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, 2)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _instant(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).isoformat().replace("+00:00", "Z")


def problem_data(problem: Problem) -> dict:
    return {"file": problem.location.file, "row": problem.location.line, "column": problem.location.column,
            "code": problem.code, "severity": problem.severity, "message": problem.message,
            "field": problem.field, "hint": problem.hint}


def target_rows(report: PerformanceReport, performance: AgreementPerformance, target: TargetFigures) -> list[dict]:
    """One row per window of a target: the figures its table shows."""
    figures = target.windows
    if figures is None:
        return []
    rows = []
    worst_ids = {int(i): report.ticket_id(int(i)) for i in figures.worst_ticket if i >= 0}
    for index, window in enumerate(performance.windows):
        met, breached = int(figures.met[index]), int(figures.breached[index])
        decided = met + breached
        rows.append({
            "window": window.label,
            "complete": window.complete,
            "met": met,
            "breached": breached,
            "percent_met": _percent(100.0 * met / decided) if decided else None,
            "worst_breach_minutes": _minutes(float(figures.worst_over[index])) if breached else None,
            "worst_breach_ticket": worst_ids[int(figures.worst_ticket[index])] if breached else None,
            "open": int(figures.open[index]),
        })
    return rows


def availability_rows(measured: list[AvailabilityWindow]) -> list[dict]:
    rows = []
    for window in measured:
        rows.append({
            "window": window.window.label,
            "complete": window.window.complete,
            "covered_minutes": _minutes(window.covered),
            "downtime_minutes": _minutes(window.down),
            "achieved_percent": _percent(window.achieved),
            "target_percent": window.target,
            "met": window.met,
            "budget_minutes": _minutes(window.budget),
            "budget_used_minutes": _minutes(window.down),
            "budget_left_minutes": _minutes(window.budget_left),
            "unplanned_outages": window.outages,
            "planned_outages": window.planned,
            "burn": [{"at": _instant(at), "downtime_minutes": _minutes(total)} for at, total in window.burn],
        })
    return rows


def agreement_data(report: PerformanceReport, performance: AgreementPerformance) -> dict:
    agreement = performance.agreement
    targets = []
    for target in performance.targets:
        entry = {
            "priority": target.priority.id,
            "priority_title": target.priority.title or None,
            "applies_to": target.priority.applies_to,
            "measure": target.measure,
            "target": target.target_words,
            "target_minutes": _minutes(target.target_minutes),
            "hours": target.priority.calendar.id if target.priority.calendar is not None else None,
            "not_measured": target.not_measured or None,
            "not_recorded": target.not_recorded,
            "windows": target_rows(report, performance, target),
        }
        targets.append(entry)
    availability = None
    if performance.availability or not performance.availability_note:
        availability = {
            "target_percent": (agreement.get("availability") or {}).get("target"),
            "window": (agreement.get("availability") or {}).get("window"),
            "windows": availability_rows(performance.availability),
        }
    return {
        "id": agreement.id,
        "title": agreement.title,
        "type": agreement.type,
        "status": agreement.status,
        "time_zone": performance.time_zone,
        "windows_by": performance.frequency,
        "windows": [w.to_dict() for w in performance.windows],
        "tickets": performance.tickets,
        "missed": performance.missed,
        "targets": targets,
        "availability": availability,
        "availability_not_measured": performance.availability_note or None,
        "credits": [
            {
                "window": credit.window.label,
                "tier": credit.tier.applies_words if credit.tier is not None else None,
                "percent": credit.percent,
                "capped": credit.capped,
                "credit": credit.words,
                "claim_by": credit.claim_by,
                "provisional": credit.provisional,
            }
            for credit in performance.credits
        ],
    }


def document(report: PerformanceReport) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "period": {"from": report.first.isoformat(), "to": report.last.isoformat(), "time_zone": report.time_zone},
        "missed": report.missed,
        "inputs": [
            {"file": str(count.source.path), "kind": count.source.kind, "preset": count.source.preset,
             "rows": count.rows, "measured": count.read, "bad": count.bad, "skipped": dict(count.skipped)}
            for count in report.counts
        ],
        "problems": [problem_data(p) for p in sorted(report.problems, key=Problem.sort_key)],
        "agreements": [agreement_data(report, performance) for performance in report.agreements],
        "chain": [
            {"agreement": note.agreement.id, "window": note.window.label, "kind": note.kind,
             "under": [{"agreement": a.id, "came_to": what} for a, what in note.under], "words": note.words}
            for note in report.chain
        ],
    }
