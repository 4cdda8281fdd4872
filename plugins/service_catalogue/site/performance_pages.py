"""The "Service level performance" pages: one per agreement the report measured, and an
overview, from the same document `report --format json` writes (performance/document.py),
so that the site and the command line can never tell two stories.

The templates (templates/performance/) get the agreement's part of that document with
a few words made for reading (a percentage, "38.4 minutes over"), the charts as inline
SVG (charts.py), and the report's dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service_catalogue.performance.document import document
from service_catalogue.performance.measure import AgreementPerformance, PerformanceReport
from service_catalogue.timeplan import format_minutes

SECTION = "performance"  # the pages' folder inside the catalogue section
INDEX_PAGE = f"{SECTION}/index.md"


def page_of(agreement_id: str) -> str:
    return f"{SECTION}/{agreement_id}.md"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:g}%"


def _left(minutes: float | None) -> str:
    if minutes is None:
        return ""
    return format_minutes(minutes) if minutes >= 0 else f"{format_minutes(-minutes)} over"


@dataclass
class PerformancePage:
    path: str  # inside the section
    template: str
    title: str
    context: dict


def _agreement_view(performance: AgreementPerformance, data: dict, chain: list[dict]) -> dict:
    """The agreement's part of the report's document, with what its page reads besides."""
    for target in data["targets"]:
        target["active"] = any(w["met"] or w["breached"] or w["open"] for w in target["windows"])
    rows = []
    for index, window in enumerate(data["windows"]):
        for target in data["targets"]:
            if not target["windows"]:
                continue
            row = target["windows"][index]
            if row["met"] or row["breached"] or row["open"]:
                rows.append({**row, "priority": target["priority"], "measure": target["measure"], "target": target["target"],
                             "percent_text": _percent(None if row["percent_met"] is None else round(row["percent_met"], 1))})
    data["rows"] = rows
    # the table beside the chart: a row per target, a column per window ("3 of 4 (75%)")
    matrix = []
    for target in data["targets"]:
        if not target["active"]:
            continue
        cells = []
        for row in target["windows"]:
            decided = row["met"] + row["breached"]
            cell = f"{row['met']} of {decided} ({_percent(round(100.0 * row['met'] / decided, 1))})" if decided else ""
            if row["open"]:
                cell = (cell + ", " if cell else "") + f"{row['open']} open"
            cells.append(cell)
        matrix.append({"priority": target["priority"], "measure": target["measure"], "target": target["target"], "cells": cells})
    data["matrix"] = matrix
    data["breaches"] = [row for row in rows if row["breached"]]
    data["not_measured"] = sorted({t["not_measured"] for t in data["targets"]
                                   if t["not_measured"] and t["not_measured"] != "no target"})
    availability = data["availability"]
    if availability:
        for row in availability["windows"]:
            row["achieved_text"] = _percent(row["achieved_percent"]) or "no covered time"
            row["target_text"] = _percent(row["target_percent"])
            row["budget_left_text"] = _left(row["budget_left_minutes"])
            row["downtime_text"] = format_minutes(row["downtime_minutes"]) if row["downtime_minutes"] else "none"
        measured = [w for w in performance.availability if w.full_covered > 0]
        if measured:
            last = measured[-1]
            data["burn_window"] = last.window.label
            data["burn_budget"] = last.budget
            data["burn_steps"] = [
                {"at": dt.datetime.fromtimestamp(at, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "used": used,
                 "left_text": _left(last.budget - used)}
                for at, used in last.burn
            ]
    data["chain"] = [note for note in chain if note["agreement"] == performance.agreement.id]
    return data


def _charts(performance: AgreementPerformance, view: dict) -> dict:
    from service_catalogue.site import charts

    drawn: dict[str, str] = {}
    title = performance.agreement.title
    labels = [w["label"] for w in view["windows"]]
    series: dict[str, list[float | None]] = {}
    for measure in ("response", "resolution"):
        met = [0] * len(labels)
        decided = [0] * len(labels)
        for target in view["targets"]:
            if target["measure"] != measure:
                continue
            for index, row in enumerate(target["windows"]):
                met[index] += row["met"]
                decided[index] += row["met"] + row["breached"]
        if any(decided):
            series[f"{measure} met"] = [round(100.0 * m / d, 2) if d else None for m, d in zip(met, decided)]
    if series:
        drawn["attainment"] = charts.attainment_chart(f"Response and resolution met per window: {title}", labels, series)
    availability = view["availability"]
    if availability and availability["windows"]:
        rows = availability["windows"]
        drawn["availability"] = charts.attainment_chart(
            f"Availability per window: {title}", [r["window"] for r in rows],
            {"availability": [r["achieved_percent"] for r in rows]}, target=availability["target_percent"],
            ylabel="% available", least_range=0.1)
        measured = [w for w in performance.availability if w.full_covered > 0]
        if measured:
            last = measured[-1]
            drawn["burn_down"] = charts.burn_down_chart(
                f"Downtime budget left through {last.window.label}: {title}", last.window.start, last.window.end,
                last.budget, last.burn)
    return drawn


def _months(report: PerformanceReport) -> list[tuple[str, float, float]]:
    """The months of the report's period, as (label, start, end) in UTC seconds, in its zone."""
    from service_catalogue.performance.windows import report_windows

    return [(w.label, w.start, w.end) for w in report_windows("monthly", report.first, report.last, report.time_zone)]


def performance_pages(report: PerformanceReport) -> list[PerformancePage]:
    """The overview and a page per agreement measured, each with its template's context."""
    from service_catalogue.site import charts

    whole = document(report)
    period = {"first": report.first.isoformat(), "last": report.last.isoformat()}
    pages = []
    rows = []
    for performance, data in zip(report.agreements, whole["agreements"]):
        view = _agreement_view(performance, data, whole["chain"])
        pages.append(PerformancePage(page_of(performance.agreement.id), "performance/agreement.md.j2",
                                     f"Service level performance: {performance.agreement.title}",
                                     {"record": performance.agreement, "performance": view,
                                      "charts": _charts(performance, view), "period": period}))
        last = view["availability"]["windows"][-1] if view["availability"] and view["availability"]["windows"] else None
        owed = [c for c in data["credits"] if c["tier"]]
        rows.append({
            "title": performance.agreement.title, "type": performance.agreement.type, "page": page_of(performance.agreement.id),
            "tickets": data["tickets"], "missed": data["missed"],
            "breached": sum(w["breached"] for t in data["targets"] for w in t["windows"]),
            "availability": (f"{_percent(last['achieved_percent'])} of {last['target_percent']:g}% ({last['window']})"
                             if last and last["achieved_percent"] is not None else (data["availability_not_measured"] or "")),
            "credits": ", ".join(f"{c['window']}: {c['credit']}" for c in owed) or "none",
        })
    # Per month of the period: the agreements with a window in it that met, or missed, a target
    # (a quarter's verdict counts in each of its months: the month falls in a window that missed).
    windows: list[dict] = []
    for label, start, end in _months(report):
        met = missed = 0
        for performance in report.agreements:
            verdicts = [v for v in performance.verdicts if v[0] < end and v[1] > start]
            if verdicts:
                missed += any(v[2] for v in verdicts)
                met += not any(v[2] for v in verdicts)
        windows.append({"label": label, "met": met, "missed": missed})
    overview = {
        **period, "time_zone": report.time_zone, "summary": report.summary, "agreements": rows,
        "windows": windows, "chain": whole["chain"], "problems": len(whole["problems"]),
        "inputs": [{**i, "name": i["file"].rsplit("/", 1)[-1]} for i in whole["inputs"]],
    }
    budgets = []
    for performance in report.agreements:
        measured = [w for w in performance.availability if w.budget > 0]
        if measured:
            last = measured[-1]
            budgets.append({"id": performance.agreement.id, "title": performance.agreement.title,
                            "page": page_of(performance.agreement.id), "window": last.window.label,
                            "used_percent": round(100.0 * last.down / last.budget, 1),
                            "used": format_minutes(last.down) if last.down else "none",
                            "budget": format_minutes(last.budget), "left": _left(last.budget_left)})
    budgets.sort(key=lambda b: -b["used_percent"])
    overview["budgets"] = budgets
    drawn = {}
    if budgets:
        drawn["budgets"] = charts.budget_chart("Downtime budget used in each agreement's latest window",
                                               [b["id"] for b in budgets], [b["used_percent"] for b in budgets])
    if windows:
        drawn["missed"] = charts.missed_chart("Agreements that met and missed their targets, per month",
                                              [w["label"] for w in windows], [w["met"] for w in windows],
                                              [w["missed"] for w in windows])
    pages.insert(0, PerformancePage(INDEX_PAGE, "performance/index.md.j2", "Service level performance",
                                    {"overview": overview, "charts": drawn}))
    return pages
