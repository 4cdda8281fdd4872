"""Reporting windows: the weeks, months, quarters, half-years or years a report is cut into,
aligned to the calendar in the agreement's time zone (a month of a Singapore agreement
starts at midnight in Singapore)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import numpy as np

from service_catalogue.model import add_months
from service_catalogue.servicetime import utc_of_local_many

# What each frequency (reporting.frequency, or availability.window) cuts the period into.
MONTHS_OF = {"monthly": 1, "month": 1, "quarterly": 3, "quarter": 3, "semiannual": 6, "annual": 12, "year": 12}
WEEKLY = ("weekly", "week")


@dataclass(frozen=True)
class ReportWindow:
    first: dt.date  # its first day
    last: dt.date  # its last day
    label: str  # "2026-03", "2026 Q1", "2026-W10"
    start: float  # UTC seconds of its first minute, in the zone
    end: float  # UTC seconds just after its last
    complete: bool  # whether it is over by the report's end (else the figures are to date)

    def to_dict(self) -> dict:
        return {"label": self.label, "first": self.first.isoformat(), "last": self.last.isoformat(),
                "complete": self.complete}


def window_bounds(frequency: str | None, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """The windows of a frequency that meet [first, last], each (first day, last day, label).
    No frequency, or on-request: one window, the whole period."""
    if frequency in WEEKLY:
        start = first - dt.timedelta(days=first.weekday())
        found = []
        while start <= last:
            year, week, _ = start.isocalendar()
            found.append((start, start + dt.timedelta(days=6), f"{year}-W{week:02d}"))
            start += dt.timedelta(days=7)
        return found
    months = MONTHS_OF.get(frequency or "")
    if months is None:
        return [(first, last, f"{first.isoformat()} to {last.isoformat()}")]
    start = dt.date(first.year, (first.month - 1) // months * months + 1, 1)
    found = []
    while start <= last:
        after = add_months(start, months)
        if months == 1:
            label = f"{start.year}-{start.month:02d}"
        elif months == 3:
            label = f"{start.year} Q{(start.month - 1) // 3 + 1}"
        elif months == 6:
            label = f"{start.year} H{(start.month - 1) // 6 + 1}"
        else:
            label = str(start.year)
        found.append((start, after - dt.timedelta(days=1), label))
        start = after
    return found


def report_windows(frequency: str | None, first: dt.date, last: dt.date, time_zone: str,
                   in_force: tuple[dt.date | None, dt.date | None] = (None, None)) -> list[ReportWindow]:
    """window_bounds as instants: each from local midnight of its first day to local midnight
    after its last, the last window ending at the report's end (and incomplete if it would
    run on past it). in_force: the agreement's period; windows outside it are left out, and
    those it starts or ends inside are cut to it (their first or last day moves)."""
    since, until = in_force
    bounds = [(max(a, since) if since else a, min(b, until) if until else b, label)
              for a, b, label in window_bounds(frequency, first, last)
              if (since is None or b >= since) and (until is None or a <= until)]
    if not bounds:
        return []
    zone = zoneinfo.ZoneInfo(time_zone)
    epoch = dt.date(1970, 1, 1)
    midnights = np.array([(b[0] - epoch).days * 86400.0 for b in bounds] + [((bounds[-1][1] - epoch).days + 1) * 86400.0])
    utc = utc_of_local_many(zone, midnights)
    report_end = utc_of_local_many(zone, np.array([((last - epoch).days + 1) * 86400.0]))[0]
    windows = []
    for i, (day, final, label) in enumerate(bounds):
        end = min(float(utc[i + 1]), float(report_end))
        windows.append(ReportWindow(day, final, label, float(utc[i]), end, final <= last))
    return windows
