"""A small catalogue for the service level report, and the report run on exports in process."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import service_catalogue as sc
from helpers import catalogue_builder
from service_catalogue import pipeline
from service_catalogue.performance.inputs import read_inputs
from service_catalogue.performance.measure import PerformanceReport, measure

# The base catalogue's two parties, and a supplier; its Email service, and a Calendar service
# (two services, so that an outage of each counts once and both at once count once).
PARTIES = catalogue_builder.PARTIES + """\
---
apiVersion: catalogue/v1
kind: Party
id: mailhost
title: Mailhost Ltd
type: supplier
"""
_EMAIL = "\n".join(catalogue_builder.SERVICE.splitlines()[:7]) + "\n"
SERVICES = _EMAIL + "---\n" + _EMAIL.replace("id: email", "id: calendar-service").replace("title: Email", "title: Calendar")


def calendar_yaml(zone: str, weekly: list[tuple[list[str], str, str]] | None, holidays: list[dt.date] = (),
                  calendar_id: str = "desk-hours") -> str:
    lines = ["apiVersion: catalogue/v1", "kind: Calendar", f"id: {calendar_id}", f"title: {calendar_id}",
             f"timezone: {zone}"]
    if weekly is None:
        lines.append("always: true")
    else:
        lines.append("weekly:")
        for days, start, end in weekly:
            lines.append(f"  - {{days: [{', '.join(days)}], from: \"{start}\", to: \"{end}\"}}")
        if holidays:
            lines.append("holidays:")
            lines += [f"  - {{date: {day.isoformat()}, title: Closed {day.isoformat()}}}" for day in holidays]
    return "\n".join(lines) + "\n"


def agreement_yaml(priorities: list[dict], *, agreement_id: str = "sla-email", kind: str = "SLA",
                   customer: str = "all-staff", hours: str | None = "desk-hours", frequency: str = "weekly",
                   availability: str = "", stops: str = "", extra: str = "", period_start: str = "2025-01-01",
                   services: str = "[email, calendar-service]") -> str:
    lines = ["apiVersion: catalogue/v1", "kind: Agreement", f"id: {agreement_id}", f"title: {agreement_id} agreement",
             f"type: {kind}", "status: active", "provider: it-services", f"customer: {customer}",
             f"services: {services}", f"period: {{start: {period_start}}}"]
    if hours:
        lines.append(f"hours: {hours}")
    lines.append("priorities:")
    for priority in priorities:
        fields = ", ".join(f"{key}: {value}" for key, value in priority.items())
        lines.append(f"  - {{{fields}}}")
    lines.append(f"reporting: {{frequency: {frequency}, recipients: [{customer}], contents: [Attainment]}}")
    text = "\n".join(lines) + "\n"
    return text + availability + stops + extra


def write_project(root: Path, calendars: dict[str, str], agreements: dict[str, str]) -> Path:
    folder = root / "catalogue"
    for name, text in {"parties.yaml": PARTIES, "services.yaml": SERVICES, **{f"{k}.yaml": v for k, v in calendars.items()},
                       **{f"{k}.yaml": v for k, v in agreements.items()}}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def report_of(folder: Path, block: dict, base: Path, as_of: dt.date) -> PerformanceReport:
    """The report of a catalogue folder with the inputs of a `reports:` block (paths from base)."""
    run = pipeline.prepare(sc.Options(catalogue=folder, as_of=as_of), with_findings=False)
    catalogue = run.require_valid()
    return measure(catalogue, read_inputs(block, base), as_of)
