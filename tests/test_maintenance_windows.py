"""Maintenance windows in covered time (timeplan.py) and in the model: the part of each
window inside the service hours, a minute in two windows once, and the downtime budget
on covered time less that part. The expected figures are worked out here by hand."""

from __future__ import annotations

import pytest

from service_catalogue.model import Catalogue
from service_catalogue.timeplan import (
    WEEKS_PER_WINDOW,
    WeeklyCoverage,
    days_words,
    downtime_budget_minutes,
    maintenance_in_covered_time,
)
from service_catalogue.validation.loader import read_text

OFFICE = {"weekly": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:00"}]}
ALWAYS = {"always": True}


def window(days, start, end):
    return {"title": "w", "days": days, "from": start, "to": end}


@pytest.mark.parametrize(
    ("calendar", "windows", "hours"),
    [
        (ALWAYS, [window(["sun"], "02:00", "06:00")], 4),
        (OFFICE, [window(["sun"], "02:00", "06:00")], 0),  # outside the service hours: takes nothing
        (OFFICE, [window(["wed"], "17:00", "19:00")], 1),  # only 17:00-18:00 is covered time
        (OFFICE, [window(["mon", "tue"], "07:00", "09:00")], 2),
        # Overlapping windows: 16:00-18:00 and 17:00-18:00 are 2 hours, not 3.
        (OFFICE, [window(["thu"], "16:00", "18:00"), window(["thu"], "17:00", "18:00")], 2),
        (ALWAYS, [window(["sat"], "22:00", "24:00"), window(["sun"], "00:00", "02:00")], 4),
        (None, [window(["sun"], "02:00", "06:00")], 4),  # no service hours: the whole week
    ],
)
def test_maintenance_hours_inside_covered_time(calendar, windows, hours):
    assert maintenance_in_covered_time(calendar, windows).hours_per_week == hours


def test_the_budget_is_on_covered_time_less_maintenance():
    coverage = WeeklyCoverage.from_calendar_data(ALWAYS)
    maintenance = maintenance_in_covered_time(ALWAYS, [window(["sun"], "02:00", "06:00")])
    # 99.9% a month of 164 hours a week: 0.1% of 164 * 60 * 4.348 minutes = 42.8 minutes.
    expected = 164 * 60 * (365.2425 / 12 / 7) * 0.1 / 100
    assert downtime_budget_minutes(99.9, "month", coverage, maintenance) == pytest.approx(expected)
    assert round(expected, 1) == 42.8
    # No windows: the figure of today, to the bit (pages of catalogues without windows do not move).
    assert downtime_budget_minutes(99.9, "month", coverage) == 168 * 60 * WEEKS_PER_WINDOW["month"] * (100 - 99.9) / 100


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (["sun"], "Sunday"),
        (["sat", "sun"], "Saturday and Sunday"),
        (["fri", "mon", "wed"], "Monday, Wednesday and Friday"),
        (["mon", "tue", "wed", "thu", "fri"], "Monday to Friday"),
    ],
)
def test_days_in_words(days, words):
    assert days_words(days) == words


CALENDAR = """\
apiVersion: catalogue/v1
kind: Calendar
id: office
title: Office hours
timezone: Europe/London
weekly:
  - {days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00"}
"""

AGREEMENT = """\
apiVersion: catalogue/v1
kind: Agreement
id: sla-x
title: X
type: SLA
status: active
provider: p
customer: p
services: [s]
period: {{start: 2026-01-01}}
{hours}availability:
  target: 99.5
  window: month
  maintenance_windows:
    - {{title: Release, days: [wed], from: "17:00", to: "19:00", notice: 2d}}
    - {{title: Patching, days: [sun], from: "02:00", to: "06:00"}}
clock_stops:
  - {{id: reply, when: awaiting the customer}}
  - {{id: supplier, when: awaiting a supplier, applies_to: [resolution]}}
"""


def catalogue(hours: bool) -> Catalogue:
    text = CALENDAR + "---\n" + AGREEMENT.format(hours="hours: office\n" if hours else "")
    return Catalogue(read_text(text, "x.yaml", "x.yaml").records)


def test_the_model_takes_the_windows_from_the_service_hours():
    sla = catalogue(hours=True).by_id["sla-x"]
    assert [w.when for w in sla.maintenance_windows] == ["Wednesday, 17:00 to 19:00", "Sunday, 02:00 to 06:00"]
    assert [w.notice_words for w in sla.maintenance_windows] == ["2 service days (20 hours)", "not stated"]
    assert sla.maintenance_hours_per_week == 1
    assert sla.covered_hours_less_maintenance == 49
    assert sla.downtime_budget_minutes == pytest.approx(49 * 60 * (365.2425 / 12 / 7) * 0.5 / 100)


def test_without_service_hours_nothing_is_derived_from_the_windows():
    sla = catalogue(hours=False).by_id["sla-x"]
    assert sla.calendar is None
    assert len(sla.maintenance_windows) == 2
    assert sla.maintenance is None and sla.maintenance_hours_per_week is None
    assert sla.covered_hours_less_maintenance is None and sla.downtime_budget_minutes is None
    assert sla.maintenance_windows[0].notice_words == "2 service days"  # no calendar says how long a day is


def test_clock_stops_apply_to_both_clocks_unless_they_say():
    sla = catalogue(hours=True).by_id["sla-x"]
    assert [(c.id, c.applies_to, c.applies_to_words) for c in sla.clock_stops] == [
        ("reply", ("response", "resolution"), "response and resolution"),
        ("supplier", ("resolution",), "resolution only"),
    ]
