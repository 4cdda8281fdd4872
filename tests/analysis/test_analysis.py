"""Service level analysis: every rule, the derived figures, `check`, and the site.

Each rule test starts from BASE, a small catalogue with no findings at all
(asserted by test_base_catalogue_has_no_findings), changes one thing, and
asserts the finding (rule id, records, message, location) or its absence.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest
import yaml

from helpers.catalogue_builder import run_cli
from service_catalogue.analysis import RULES, UnknownRuleError, analyse, composite_availability
from service_catalogue.analysis.figures import (
    availability_ceiling,
    covered_hours_per_week,
    downtime_budget_minutes,
    format_percent,
)
from service_catalogue.analysis.health import health_figures
from service_catalogue.validation.folder import validate_folder
from service_catalogue.site.exports import catalogue_dict
from service_catalogue.model import Catalogue
from service_catalogue.options import Options
from service_catalogue.site import SiteRenderer
from helpers.site_build import REPO, copy_project, describe, parse_html, run_mkdocs_build

AS_OF = dt.date(2026, 11, 29)
FOLDERS = {"Party": "parties", "Calendar": "calendars", "Service": "services", "Agreement": "agreements"}


def record(kind: str, rid: str, title: str, **fields) -> dict:
    return {"apiVersion": "catalogue/v1", "kind": kind, "id": rid, "title": title, **fields}


def priority(pid: str, response: str, resolution: str, **extra) -> dict:
    return {"id": pid, "description": f"{pid} incident", "response": response, "resolution": resolution, **extra}


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]

BASE = {
    "it": record("Party", "it", "IT Services", type="department"),
    "team": record("Party", "team", "Platform team", type="team", parent="it"),
    "customers": record("Party", "customers", "All staff", type="customer"),
    "vendor": record("Party", "vendor", "Hostco", type="supplier"),
    "always": record("Calendar", "always", "Always on", timezone="Europe/London", always=True),
    "office": record(
        "Calendar", "office", "Office hours", timezone="Europe/London",
        weekly=[{"days": WEEKDAYS, "from": "08:00", "to": "18:00"}],
    ),
    "app": record(
        "Service", "app", "Staff app", type="customer-facing", status="live", owner="team",
        consumers=["customers"], depends_on=[{"service": "platform", "criticality": "hard"}],
    ),
    "platform": record("Service", "platform", "Platform", type="supporting", status="live", owner="team"),
    "sla-app": record(
        "Agreement", "sla-app", "Staff app SLA", type="SLA", status="active", provider="team",
        customer="customers", services=["app"], period={"start": "2026-01-01", "end": "2027-12-31"},
        hours="office", availability={"target": 99.0, "window": "month"},
        review={"frequency": "annual", "last": "2026-06-01", "next": "2027-06-01"},
        priorities=[priority("P1", "30m", "8h"), priority("P2", "1d", "3d")],
        underpinned_by=["ola-platform"],
    ),
    "ola-platform": record(
        "Agreement", "ola-platform", "Platform OLA", type="OLA", status="active", provider="it",
        customer="team", services=["platform"], period={"start": "2026-01-01"}, hours="always",
        availability={"target": 99.9, "window": "month"},
        priorities=[priority("P1", "15m", "4h")], underpinned_by=["uc-hosting"],
    ),
    "uc-hosting": record(
        "Agreement", "uc-hosting", "Hostco hosting contract", type="UC", status="active", provider="vendor",
        customer="it", services=["platform"], period={"start": "2025-01-01", "end": "2029-12-31"},
        hours="always", availability={"target": 99.95, "window": "month"},
        priorities=[priority("P1", "15m", "2h")],
    ),
}


def base() -> dict:
    return copy.deepcopy(BASE)


def write(tmp_path, records: dict):
    root = tmp_path / "catalogue"
    for data in records.values():
        path = root / FOLDERS[data["kind"]] / f"{data['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


def build(tmp_path, records: dict) -> Catalogue:
    """The linked model of a catalogue written from dicts; it must be valid."""
    result = validate_folder(write(tmp_path, records))
    assert result.ok, [str(p) for p in result.problems]
    return Catalogue(result.records)


def findings(tmp_path, records: dict, rule: str | None = None, **options):
    options.setdefault("as_of", AS_OF)
    found = analyse(build(tmp_path, records), **options)
    return [f for f in found if rule is None or f.rule == rule]


def ids(finding) -> list[str]:
    return [e.id for e in finding.entities]


def the_one(found):
    assert len(found) == 1, [(f.rule, f.message) for f in found]
    return found[0]


def test_base_catalogue_has_no_findings(tmp_path):
    assert findings(tmp_path, base()) == []


def test_every_rule_id_is_documented():
    text = (REPO / "docs" / "health-checks.md").read_text("utf-8")
    for rule_id in RULES:
        assert f"`{rule_id}`" in text, rule_id


# --------------------------------------------------------------------------
# chain.response-faster-than-underpinning / chain.resolution-faster-than-underpinning


def test_response_faster_than_underpinning(tmp_path):
    # 10 minutes of office hours against 15 minutes of the platform team's 24x7: a ticket
    # raised in office hours is due from the OLA five minutes after it is due to the customer.
    records = base()
    records["sla-app"]["priorities"][0]["response"] = "10m"
    found = findings(tmp_path, records, "chain.response-faster-than-underpinning")
    # and the hosting contract's 15 minutes, which the OLA waits for in turn
    assert sorted(ids(f) for f in found) == [["sla-app", "ola-platform"], ["sla-app", "ola-platform", "uc-hosting"]]
    finding = the_one([f for f in found if len(f.entities) == 2])
    assert ids(finding) == ["sla-app", "ola-platform"]
    assert finding.message.startswith(
        "A P1 ticket raised in about 50 of the 168 hours of an ordinary week (30%) (over the whole period "
        "searched: 29%) would miss the P1 response "
        "target of Staff app SLA, 10m (Office hours), if Platform OLA used all of its 15m (Always on). "
        "Worst case: raised Monday 2026-11-30 08:00 Europe/London, due from Platform OLA Monday 2026-11-30 "
        "08:15 Europe/London, but due to the customer Monday 2026-11-30 08:10 Europe/London: 5 minutes late"
    ), finding.message
    assert finding.message.endswith("A P1 response target of 15m in Office hours would be safe in an ordinary week")
    assert finding.field == "priorities[0].response"
    assert finding.location.file.endswith("agreements/sla-app.yaml")
    assert finding.related[0].file.endswith("agreements/ola-platform.yaml")


def test_response_equal_or_slower_is_fine(tmp_path):
    records = base()
    records["sla-app"]["priorities"][0]["response"] = "15m"  # the same as the OLA's
    assert findings(tmp_path, records, "chain.response-faster-than-underpinning") == []


def test_service_days_count_on_each_sides_calendar(tmp_path):
    # SLA P2 response 1d on office hours = 10 covered hours, at least 10 hours on the wall.
    records = base()
    records["ola-platform"]["priorities"].append(priority("P2", "8h", "5d"))  # 8 hours of 24x7: always in time
    assert findings(tmp_path, records, "chain.response-faster-than-underpinning") == []
    records["ola-platform"]["priorities"][1]["response"] = "12h"  # raised Monday 08:00: due 20:00, not 18:00
    finding = the_one(findings(tmp_path / "2", records, "chain.response-faster-than-underpinning"))
    assert "would miss the P2 response target of Staff app SLA, 1d (10 hours, Office hours), if Platform OLA used all of its 12h (Always on)" in finding.message
    # A priority's own hours: 1d on a 24x7 calendar is 24 hours, slower than 12h.
    records["sla-app"]["priorities"][1]["hours"] = "always"
    assert findings(tmp_path / "3", records, "chain.response-faster-than-underpinning") == []


def test_a_shorter_target_in_fewer_hours_can_be_harmless(tmp_path):
    # 30 office hours are 58 hours on the wall at least (Monday 08:00 to Wednesday 18:00):
    # the OLA's 40 hours of 24x7 always end first, though 30 < 40. The rule compared the
    # numbers until the timeline; it no longer fires here (docs/health-checks.md says so).
    records = base()
    records["ola-platform"]["priorities"].append(priority("P2", "30m", "40h"))
    assert records["sla-app"]["priorities"][1]["resolution"] == "3d"
    assert findings(tmp_path, records, "chain.resolution-faster-than-underpinning") == []


def test_resolution_faster_than_underpinning(tmp_path):
    records = base()
    records["sla-app"]["priorities"][0]["resolution"] = "2h"
    finding = the_one(findings(tmp_path, records, "chain.resolution-faster-than-underpinning"))
    assert ids(finding) == ["sla-app", "ola-platform"]
    assert finding.message.startswith(
        "A P1 ticket raised in about 50 of the 168 hours of an ordinary week (30%) would miss the P1 resolution "
        "target of Staff app SLA, 2h (Office hours), if Platform OLA used all of its 4h (Always on)"
    ), finding.message
    assert finding.field == "priorities[0].resolution"


def test_resolution_compares_the_same_priority_only_and_in_play_agreements(tmp_path):
    records = base()
    # The SLA's P2 has no P2 in the OLA to compare with; the OLA vs UC P1 4h vs 2h is fine.
    assert findings(tmp_path, records, "chain.resolution-faster-than-underpinning") == []
    records["sla-app"]["priorities"][0]["resolution"] = "2h"
    records["ola-platform"]["status"] = "superseded"  # history: not part of the chain
    assert findings(tmp_path / "2", records, "chain.resolution-faster-than-underpinning") == []


def test_chain_rules_check_every_level(tmp_path):
    # An OLA underpinned by a UC is checked the same way as an SLA.
    records = base()
    records["ola-platform"]["priorities"][0]["resolution"] = "1h"
    finding = the_one(findings(tmp_path, records, "chain.resolution-faster-than-underpinning"))
    assert ids(finding) == ["ola-platform", "uc-hosting"]
    assert "would miss the P1 resolution target of Platform OLA, 1h (Always on)" in finding.message
    assert "A P1 ticket raised in all of the 168 hours of an ordinary week (100%)" in finding.message


def test_underpinning_agreements_compose_in_series(tmp_path):
    # The SLA waits for the OLA, which waits for the UC: the UC's 3 hours are compared
    # with the SLA's 2 office hours too, through the OLA.
    records = base()
    records["sla-app"]["priorities"][0]["resolution"] = "2h"
    records["ola-platform"]["priorities"][0]["resolution"] = "4h"
    records["uc-hosting"]["priorities"][0]["resolution"] = "3h"
    found = findings(tmp_path, records, "chain.resolution-faster-than-underpinning")
    assert sorted(ids(f) for f in found) == [["sla-app", "ola-platform"], ["sla-app", "ola-platform", "uc-hosting"]]
    through = next(f for f in found if len(f.entities) == 3)
    assert "if Hostco hosting contract (through Platform OLA) used all of its 3h (Always on)" in through.message


def test_metric_with_a_time_target_faster_than_underpinning(tmp_path):
    records = base()
    swap = {"id": "laptop-swap", "title": "Laptop swap", "direction": "at-most"}
    records["sla-app"]["metrics"] = [dict(swap, target="1d")]  # 10 office hours
    records["ola-platform"]["metrics"] = [dict(swap, target="12h")]  # 12 hours of 24x7
    finding = the_one(findings(tmp_path, records, "chain.metric-faster-than-underpinning"))
    assert ids(finding) == ["sla-app", "ola-platform"]
    assert finding.field == "metrics[0].target"
    assert "would miss the metric laptop-swap target of Staff app SLA, 1d (10 hours, Office hours)" in finding.message
    records["ola-platform"]["metrics"] = [dict(swap, target="8h")]
    assert findings(tmp_path / "2", records, "chain.metric-faster-than-underpinning") == []


def test_a_holiday_underneath_on_a_covered_day(tmp_path):
    # The OLA keeps the same office hours but closes on Tuesday 8 December: a ticket
    # raised on the Monday afternoon waits until Wednesday for it.
    records = base()
    records["closed-8th"] = record(
        "Calendar", "closed-8th", "Office hours with a closure", timezone="Europe/London",
        weekly=[{"days": WEEKDAYS, "from": "08:00", "to": "18:00"}],
        holidays=[{"date": "2026-12-08", "title": "Founders' Day"}],
    )
    records["ola-platform"]["hours"] = "closed-8th"
    found = findings(tmp_path, records)
    mismatch = the_one([f for f in found if f.rule == "chain.holiday-mismatch"])
    assert ids(mismatch) == ["sla-app", "ola-platform"]
    assert mismatch.message.startswith(
        "Platform OLA is closed on 1 day on which Staff app SLA runs its clock (holidays of Office hours with a "
        "closure): Tue 2026-12-08 Founders' Day. Tickets raised on or before them can miss more of its targets "
        "than in an ordinary week: P1 response, P1 resolution"
    ), mismatch.message
    resolution = the_one([f for f in found if f.rule == "chain.resolution-faster-than-underpinning"])
    assert resolution.message.startswith("Around holidays, a P1 ticket raised in under 1% of the period searched")
    assert "in an ordinary week none would" in resolution.message
    # the same closure above: no mismatch, no window
    records["sla-app"]["hours"] = "closed-8th"
    assert [f.rule for f in findings(tmp_path / "2", records)] == []


def test_an_escalation_after_every_resolution_target(tmp_path):
    records = base()
    level = {"level": 2, "contact": "Head of service", "party": "team", "after": "4d"}  # 40 office hours
    records["sla-app"]["escalation"] = [level]
    finding = the_one(findings(tmp_path, records, "chain.escalation-after-resolution"))
    assert finding.field == "escalation[0].after"
    assert finding.message.startswith(
        "Level 2 escalation after 4d (40 hours, Office hours) can come after the P2 resolution target of 3d "
        "(30 hours, Office hours), the least urgent incident priority's, for 100% of the tickets"
    ), finding.message
    level["after"] = "1d"
    assert findings(tmp_path / "2", records, "chain.escalation-after-resolution") == []


# --------------------------------------------------------------------------
# chain.availability-above-ceiling


def test_availability_above_ceiling(tmp_path):
    records = base()
    records["sla-app"]["availability"]["target"] = 99.95
    finding = the_one(findings(tmp_path, records, "chain.availability-above-ceiling"))
    assert ids(finding) == ["sla-app", "ola-platform"]
    assert finding.message == (
        "The availability target of Staff app SLA is 99.95%, above the 99.9% that the agreements it "
        "relies on allow together: 99.9% (Platform OLA) = 99.9%"
    )
    assert finding.field == "availability.target"


def test_availability_ceiling_is_the_product_of_the_chain(tmp_path):
    # Two underpinning agreements, 99.9% and 99.5%, in series: 99.4005%.
    records = base()
    records["ola-storage"] = record(
        "Agreement", "ola-storage", "Storage OLA", type="OLA", status="active", provider="it", customer="team",
        services=["platform"], period={"start": "2026-01-01"}, hours="always",
        availability={"target": 99.5, "window": "month"},
    )
    records["sla-app"]["underpinned_by"] = ["ola-platform", "ola-storage"]
    records["sla-app"]["availability"]["target"] = 99.5
    finding = the_one(findings(tmp_path, records, "chain.availability-above-ceiling"))
    assert ids(finding) == ["sla-app", "ola-platform", "ola-storage"]
    assert finding.message.endswith("99.9% (Platform OLA) × 99.5% (Storage OLA) = 99.4005%")
    assert "above the 99.4005%" in finding.message
    records["sla-app"]["availability"]["target"] = 99.4
    assert findings(tmp_path / "2", records, "chain.availability-above-ceiling") == []


def test_availability_ceiling_counts_hard_dependencies_slas(tmp_path):
    records = base()
    records["directory"] = record("Service", "directory", "Directory", type="customer-facing", status="live", owner="team")
    records["sla-directory"] = record(
        "Agreement", "sla-directory", "Directory SLA", type="SLA", status="active", provider="team",
        customer="customers", services=["directory"], period={"start": "2026-01-01"}, hours="always",
        availability={"target": 99.5, "window": "month"}, underpinned_by=["uc-hosting"],
    )
    records["app"]["depends_on"].append({"service": "directory", "criticality": "soft"})
    records["sla-app"]["availability"]["target"] = 99.8
    # A soft dependency does not count: the ceiling is the OLA's 99.9%.
    assert findings(tmp_path, records, "chain.availability-above-ceiling") == []
    records["app"]["depends_on"][1]["criticality"] = "hard"
    finding = the_one(findings(tmp_path / "2", records, "chain.availability-above-ceiling"))
    assert ids(finding) == ["sla-app", "ola-platform", "sla-directory"]
    assert finding.message.endswith("99.9% (Platform OLA) × 99.5% (Directory SLA, for Directory) = 99.4005%")


# --------------------------------------------------------------------------
# chain.hours-narrower-than-sla


def test_hours_narrower_than_sla(tmp_path):
    records = base()
    records["sla-app"]["hours"] = "always"
    records["ola-platform"]["hours"] = "office"
    # Both have a P1: the timeline says exactly when it breaches, so this rule is quiet
    assert findings(tmp_path, records, "chain.hours-narrower-than-sla") == []
    assert findings(tmp_path, records, "chain.resolution-faster-than-underpinning") != []
    # With no target in common there is nothing to put on two clocks but the hours
    records["ola-platform"]["priorities"] = [priority("P9", "15m", "4h")]
    found = findings(tmp_path / "2", records, "chain.hours-narrower-than-sla")
    finding = the_one([f for f in found if f.subject.id == "sla-app"])
    assert ids(finding) == ["sla-app", "ola-platform"]
    assert finding.message == (
        "Platform OLA covers 50 hours a week (Office hours), fewer than the 168 hours a week "
        "(Always on) of Staff app SLA, which it underpins"
    )
    assert finding.field == "hours"


def test_hours_as_wide_or_wider_are_fine(tmp_path):
    records = base()  # SLA 50 hours a week, OLA and UC 168
    assert findings(tmp_path, records, "chain.hours-narrower-than-sla") == []


# --------------------------------------------------------------------------
# term.active-after-end / term.ending-soon / term.review-overdue


def test_active_after_end(tmp_path):
    records = base()
    records["sla-app"]["period"]["end"] = "2026-10-31"
    finding = the_one(findings(tmp_path, records, "term.active-after-end"))
    assert ids(finding) == ["sla-app"]
    assert finding.message == (
        "Staff app SLA is still active, but its period ended on 2026-10-31, 29 days before 2026-11-29: "
        "renew it, or set its status to expired"
    )
    assert finding.field == "period.end"


def test_expired_after_end_is_fine(tmp_path):
    records = base()
    records["sla-app"]["period"]["end"] = "2026-10-31"
    records["sla-app"]["status"] = "expired"
    assert findings(tmp_path, records, "term.active-after-end") == []
    # The as-of date decides: the same catalogue a month earlier was in its period.
    records["sla-app"]["status"] = "active"
    assert findings(tmp_path / "2", records, "term.active-after-end", as_of=dt.date(2026, 10, 31)) == []


def test_ending_soon(tmp_path):
    records = base()
    records["sla-app"]["period"]["end"] = "2027-01-31"
    finding = the_one(findings(tmp_path, records, "term.ending-soon"))
    assert ids(finding) == ["sla-app"]
    assert finding.message == (
        "Staff app SLA ends on 2027-01-31, in 63 days (within the 90-day warning window): "
        "plan its renewal or replacement"
    )


def test_ending_soon_respects_the_window_and_the_switch(tmp_path):
    records = base()
    records["sla-app"]["period"]["end"] = "2027-01-31"
    assert findings(tmp_path, records, "term.ending-soon", ending_days=30) == []
    assert findings(tmp_path / "2", records, "term.ending-soon", disabled={"term.ending-soon"}) == []
    assert findings(tmp_path / "3", base(), "term.ending-soon") == []  # ends 2027-12-31


def test_review_overdue(tmp_path):
    records = base()
    records["sla-app"]["review"]["next"] = "2026-11-01"
    finding = the_one(findings(tmp_path, records, "term.review-overdue"))
    assert ids(finding) == ["sla-app"]
    assert finding.message == (
        "The annual review of Staff app SLA was due on 2026-11-01 and is 28 days overdue; "
        "the last review recorded is 2026-06-01"
    )
    assert finding.field == "review.next"


def test_review_overdue_from_last_and_frequency_without_next(tmp_path):
    # Defect (issue 15): without review.next, last + frequency was ignored: no finding.
    records = base()
    records["sla-app"]["review"] = {"frequency": "annual", "last": "2025-10-01"}
    finding = the_one(findings(tmp_path, records, "term.review-overdue", as_of=dt.date(2026, 12, 1)))
    assert ids(finding) == ["sla-app"]
    assert finding.message == (
        "The annual review of Staff app SLA was due on 2026-10-01 and is 61 days overdue "
        "(a year after the last review, on 2025-10-01, as no next review is recorded)"
    )
    assert finding.field == "review.last"
    assert finding.location.file.endswith("catalogue/agreements/sla-app.yaml")
    assert finding.location.line == _line_of(tmp_path, "sla-app", "last:")
    # The page's section 4 gives the same due date, marked overdue.
    catalogue = build(tmp_path / "page", records)
    pages = {p.path: p.markdown for p in SiteRenderer(Options(as_of=dt.date(2026, 12, 1))).pages(catalogue)}
    review = pages["catalogue/agreements/sla-app.md"].split("## 4 Periodic review", 1)[1].split("## 5", 1)[0]
    assert "Last review: 2025-10-01. Next review: 2026-10-01 (a year after the last) (**overdue** as of 2026-12-01)." in review
    # Not yet due on the day itself, and each frequency adds its own months (31 Jan + 1 month: 28 Feb).
    assert findings(tmp_path / "2", records, "term.review-overdue", as_of=dt.date(2026, 10, 1)) == []
    records["sla-app"]["review"] = {"frequency": "monthly", "last": "2026-01-31"}
    finding = the_one(findings(tmp_path / "3", records, "term.review-overdue", as_of=dt.date(2026, 3, 1)))
    assert "was due on 2026-02-28 and is 1 day overdue (a month after the last review" in finding.message
    records["sla-app"]["review"] = {"frequency": "quarterly"}  # nothing to count from: no finding
    assert findings(tmp_path / "4", records, "term.review-overdue") == []


def _line_of(tmp_path, record_id: str, text: str) -> int:
    lines = (tmp_path / "catalogue" / "agreements" / f"{record_id}.yaml").read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_review_not_yet_due_or_not_active_is_fine(tmp_path):
    records = base()
    records["sla-app"]["review"]["next"] = "2026-11-29"  # due today: not overdue
    assert findings(tmp_path, records, "term.review-overdue") == []
    records["sla-app"]["review"]["next"] = "2026-11-01"
    records["sla-app"]["status"] = "draft"
    assert findings(tmp_path / "2", records, "term.review-overdue") == []


# --------------------------------------------------------------------------
# coverage.live-service-without-sla / coverage.sla-not-underpinned


def test_live_service_without_sla(tmp_path):
    records = base()
    records["sla-app"]["status"] = "draft"
    finding = the_one(findings(tmp_path, records, "coverage.live-service-without-sla"))
    assert ids(finding) == ["app", "sla-app"]
    assert finding.message == "Staff app is a live customer-facing service, but no active SLA covers it (Staff app SLA is draft)"
    del records["sla-app"]
    records["ola-platform"]["status"] = "active"
    finding = the_one(findings(tmp_path / "2", records, "coverage.live-service-without-sla"))
    assert ids(finding) == ["app"]
    assert finding.message == "Staff app is a live customer-facing service, but no active SLA covers it"


def test_supporting_or_pipeline_services_need_no_sla(tmp_path):
    records = base()
    records["sla-app"]["status"] = "draft"
    records["app"]["status"] = "pipeline"
    assert findings(tmp_path, records, "coverage.live-service-without-sla") == []
    # Platform is supporting and has no SLA of its own: never reported.
    assert findings(tmp_path / "2", base(), "coverage.live-service-without-sla") == []


def test_sla_not_underpinned(tmp_path):
    records = base()
    del records["sla-app"]["underpinned_by"]
    finding = the_one(findings(tmp_path, records, "coverage.sla-not-underpinned"))
    assert ids(finding) == ["sla-app"]
    assert finding.message == "Staff app SLA is an active SLA, but nothing underpins it: it names no OLA or UC in underpinned_by"


def test_sla_underpinned_only_by_inactive_agreements(tmp_path):
    records = base()
    records["ola-platform"]["status"] = "expired"
    finding = the_one(findings(tmp_path, records, "coverage.sla-not-underpinned"))
    assert ids(finding) == ["sla-app", "ola-platform"]
    assert finding.message == (
        "Staff app SLA is an active SLA, but none of the agreements that underpin it is active (Platform OLA is expired)"
    )
    assert findings(tmp_path / "2", base(), "coverage.sla-not-underpinned") == []


def test_support_without_channel(tmp_path):
    # Defect (issue 15): `support.channels: []` is valid (v1), and nothing reported it.
    records = base()
    records["app"]["support"] = {"hours": "office", "channels": []}
    finding = the_one(findings(tmp_path, records, "coverage.support-without-channel"))
    assert ids(finding) == ["app"]
    assert finding.message == (
        "Staff app states support hours but no way to reach support: its support block names no channel "
        "(portal, email, phone or chat)"
    )
    assert finding.field == "support.channels"
    records["app"]["support"]["channels"] = [{"type": "email", "contact": "help@example.org"}]
    assert findings(tmp_path / "2", records, "coverage.support-without-channel") == []
    assert findings(tmp_path / "3", base(), "coverage.support-without-channel") == []  # no support block: nothing to say


# --------------------------------------------------------------------------
# lifecycle.retired-service-in-use / orphan.party-unreferenced


def test_retired_service_in_use(tmp_path):
    records = base()
    records["platform"]["status"] = "retired"
    records["platform"]["retired_on"] = "2026-09-30"
    found = findings(tmp_path, records, "lifecycle.retired-service-in-use")
    messages = {(tuple(ids(f)), f.message, f.field) for f in found}
    assert messages == {
        (("ola-platform", "platform"), "Platform OLA is active but covers Platform, which is retired since 2026-09-30", "services[0]"),
        (("uc-hosting", "platform"), "Hostco hosting contract is active but covers Platform, which is retired since 2026-09-30", "services[0]"),
        (("app", "platform"), "Staff app (live) depends on Platform (hard), which is retired since 2026-09-30", "depends_on[0].service"),
    }


def test_retired_service_named_only_by_history_is_fine(tmp_path):
    records = base()
    records["platform"]["status"] = "retired"
    records["app"]["status"] = "retired"
    for agreement in ("sla-app", "ola-platform", "uc-hosting"):
        records[agreement]["status"] = "expired"
    assert findings(tmp_path, records, "lifecycle.retired-service-in-use") == []


def test_party_unreferenced(tmp_path):
    records = base()
    records["old-team"] = record("Party", "old-team", "Old team", type="team", parent="it")
    finding = the_one(findings(tmp_path, records, "orphan.party-unreferenced"))
    assert ids(finding) == ["old-team"]
    assert finding.message == "Nothing in the catalogue names Old team: no service, agreement or other party refers to it"
    assert finding.field == "id"


def test_party_named_anywhere_is_referenced(tmp_path):
    records = base()
    records["auditor"] = record("Party", "auditor", "Auditor", type="customer")
    records["sla-app"]["reporting"] = {"frequency": "monthly", "recipients": ["auditor"], "contents": ["Availability"]}
    assert findings(tmp_path, records, "orphan.party-unreferenced") == []


# --------------------------------------------------------------------------
# Options


def test_disabled_rules_and_unknown_ids(tmp_path):
    records = base()
    records["sla-app"]["review"]["next"] = "2026-11-01"
    catalogue = build(tmp_path, records)
    assert [f.rule for f in analyse(catalogue, as_of=AS_OF)] == ["term.review-overdue"]
    assert analyse(catalogue, as_of=AS_OF, disabled={"term.review-overdue"}) == []
    with pytest.raises(UnknownRuleError, match="did you mean `term.review-overdue`"):
        analyse(catalogue, as_of=AS_OF, disabled={"term.review-overdeu"})


def test_rule_ids_are_stable():
    assert list(RULES) == [
        "chain.response-faster-than-underpinning",
        "chain.resolution-faster-than-underpinning",
        "chain.metric-faster-than-underpinning",
        "chain.holiday-mismatch",
        "chain.escalation-after-resolution",
        "chain.availability-above-ceiling",
        "chain.hours-narrower-than-sla",
        "term.active-after-end",
        "term.ending-soon",
        "term.review-overdue",
        "coverage.live-service-without-sla",
        "coverage.sla-not-underpinned",
        "credits.no-availability-target",
        "credits.tier-above-cap",
        "credits.terms-without-tiers",
        "coverage.support-without-channel",
        "lifecycle.retired-service-in-use",
        "orphan.party-unreferenced",
    ]


# --------------------------------------------------------------------------
# Derived figures, against hand-computed values


def test_composite_availability():
    assert composite_availability([99.9, 99.5]) == pytest.approx(99.4005, abs=1e-9)
    assert composite_availability([99.9, 99.9, 99.9]) == pytest.approx(99.7002999, abs=1e-6)
    assert composite_availability([]) == 100
    assert format_percent(composite_availability([99.9, 99.5])) == "99.4005"
    assert format_percent(99.0) == "99"


def test_downtime_budgets_and_covered_hours(tmp_path):
    records = base()
    records["ola-platform"]["availability"] = {"target": 99.9, "window": "month"}
    records["sla-app"]["availability"] = {"target": 99.5, "window": "quarter"}
    catalogue = build(tmp_path, records)
    # 99.9% per month of 24x7: 0.001 x 168 h x 60 x 365.2425 / 12 / 7 = 43.83 minutes.
    assert downtime_budget_minutes(catalogue.by_id["ola-platform"]) == pytest.approx(43.83, abs=0.005)
    # 99.5% per quarter of 50 hours a week.
    expected = 0.005 * 50 * 60 * 365.2425 / 4 / 7
    assert downtime_budget_minutes(catalogue.by_id["sla-app"]) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(195.67, abs=0.01)
    assert covered_hours_per_week(catalogue.by_id["office"]) == 50
    assert covered_hours_per_week(catalogue.by_id["always"]) == 168
    assert covered_hours_per_week(catalogue.by_id["sla-app"]) == 50


def test_availability_ceiling_of_services_and_agreements(tmp_path):
    records = base()
    records["ola-storage"] = record(
        "Agreement", "ola-storage", "Storage OLA", type="OLA", status="active", provider="it", customer="team",
        services=["platform"], period={"start": "2026-01-01"}, hours="always",
        availability={"target": 99.5, "window": "month"},
    )
    records["sla-app"]["underpinned_by"] = ["ola-platform", "ola-storage"]
    catalogue = build(tmp_path, records)
    ceiling = availability_ceiling(catalogue.by_id["sla-app"])
    assert ceiling.percent == pytest.approx(99.4005)
    assert [p.agreement.id for p in ceiling.parts] == ["ola-platform", "ola-storage"]
    assert availability_ceiling(catalogue.by_id["app"]).percent == pytest.approx(99.4005)
    # The platform's own ceiling: it has no SLA and no hard dependencies.
    assert availability_ceiling(catalogue.by_id["platform"]) is None
    # In catalogue.json's "derived".
    exported = {r["id"]: r for r in catalogue_dict(catalogue)["records"]}
    assert exported["sla-app"]["derived"]["availability_ceiling"] == {
        "percent": 99.4005,
        "from": [{"agreement": "ola-platform", "percent": 99.9}, {"agreement": "ola-storage", "percent": 99.5}],
    }
    assert exported["app"]["derived"]["availability_ceiling"]["percent"] == 99.4005
    assert exported["sla-app"]["derived"]["priorities"]["P2"]["response_minutes"] == 600
    assert exported["sla-app"]["derived"]["downtime_budget_minutes"] == pytest.approx(
        0.01 * 50 * 60 * 365.2425 / 12 / 7, abs=0.005
    )


def test_health_figures(tmp_path):
    records = base()
    records["sla-app"]["review"]["next"] = "2026-11-01"
    records["uc-hosting"]["period"]["end"] = "2026-12-15"  # 16 days
    records["ola-platform"]["period"]["end"] = "2027-02-01"  # 64 days
    catalogue = build(tmp_path, records)
    found = analyse(catalogue, as_of=AS_OF)
    health = health_figures(catalogue, AS_OF, found)
    assert (health.sla_coverage.count, health.sla_coverage.total, health.sla_coverage.percent) == (1, 1, "100%")
    assert (health.underpinning.count, health.underpinning.total) == (1, 1)
    assert [(a.id, days) for a, days in health.ending_30] == [("uc-hosting", 16)]
    assert [(a.id, days) for a, days in health.ending_90] == [("uc-hosting", 16), ("ola-platform", 64)]
    assert [(a.id, late) for a, _due, late in health.overdue_reviews] == [("sla-app", 28)]
    counts = {rule.id: len(f) for rule, f in health.findings_by_rule}
    assert counts["term.ending-soon"] == 2 and counts["term.review-overdue"] == 1
    assert sum(counts.values()) == len(found) == 3


def test_record_pages_show_their_findings_and_render_works_without(tmp_path):
    records = base()
    records["sla-app"]["review"]["next"] = "2026-11-01"
    catalogue = build(tmp_path, records)
    renderer = SiteRenderer(Options(as_of=AS_OF))
    pages = {p.path: p.markdown for p in renderer.pages(catalogue, findings=analyse(catalogue, as_of=AS_OF))}
    sla = pages["catalogue/agreements/sla-app.md"]
    head = sla.split("# Staff app SLA\n", 1)[1].lstrip("\n")
    assert head.startswith('!!! warning "Service level findings"\n\n    - The annual review of Staff app SLA')
    assert "(../health.md#term-review-overdue)" in head
    assert "Service level findings" not in pages["catalogue/services/app.md"]
    assert "#term-review-overdue" in pages["catalogue/health.md"]
    # No findings passed: no admonitions, and the health page says that no checks ran.
    plain = {p.path: p.markdown for p in SiteRenderer(Options(as_of=AS_OF)).pages(catalogue)}
    assert "Service level findings" not in plain["catalogue/agreements/sla-app.md"]
    assert "The consistency checks were not run" in plain["catalogue/health.md"]


def test_findings_text_is_escaped(tmp_path):
    records = base()
    records["old-team"] = record("Party", "old-team", "Old *team* <b>x</b>", type="team")
    catalogue = build(tmp_path, records)
    pages = SiteRenderer(Options(as_of=AS_OF)).pages(catalogue, findings=analyse(catalogue, as_of=AS_OF))
    party = next(p.markdown for p in pages if p.path.endswith("parties/old-team.md"))
    box = party.split('!!! warning "Service level findings"', 1)[1].split("\n\n", 2)[1]
    # The `t` filter: Markdown punctuation escaped, no HTML tag left (its exact output is its own business).
    assert box.startswith("    - Nothing in the catalogue names Old \\*team\\* &lt;"), box
    assert "<b>" not in box and "</b>" not in box


# --------------------------------------------------------------------------
# The command line


def check(tmp_path, *args):
    return run_cli(tmp_path, "check", "catalogue", "--as-of", "2026-11-29", *args)


def test_check_exit_0_without_findings(tmp_path):
    write(tmp_path, base())
    proc = check(tmp_path)
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.strip() == "no service level findings in 11 records as of 2026-11-29"


def test_check_text_output(tmp_path):
    records = base()
    records["sla-app"]["review"]["next"] = "2026-11-01"
    records["sla-app"]["priorities"][0]["resolution"] = "2h"
    write(tmp_path, records)
    proc = check(tmp_path)
    assert proc.returncode == 1, describe(proc)
    lines = proc.stdout.splitlines()
    assert re.fullmatch(
        r"catalogue/agreements/sla-app\.yaml:\d+:\d+: warning: Agreement sla-app: The annual review "
        r"of Staff app SLA was due on 2026-11-01 and is 28 days overdue; the last review recorded is 2026-06-01 "
        r"\[term\.review-overdue\]",
        next(line for line in lines if "term.review-overdue" in line),
    ), proc.stdout
    resolution = next(i for i, line in enumerate(lines) if "[chain.resolution-faster-than-underpinning]" in line)
    assert lines[resolution].startswith("catalogue/agreements/sla-app.yaml:")
    assert re.fullmatch(r"  see also: catalogue/agreements/ola-platform\.yaml:\d+:\d+", lines[resolution + 1])
    assert lines[-1] == "2 service level findings (2 rules) in 11 records as of 2026-11-29"


def test_check_json_and_github(tmp_path):
    records = base()
    records["sla-app"]["review"]["next"] = "2026-11-01"
    write(tmp_path, records)
    proc = check(tmp_path, "--format", "json")
    assert proc.returncode == 1, describe(proc)
    report = json.loads(proc.stdout)
    assert report["as_of"] == "2026-11-29" and report["records"] == 11
    assert report["counts"] == {"term.review-overdue": 1}
    (finding,) = report["findings"]
    assert finding["rule"] == "term.review-overdue" and finding["severity"] == "warning"
    assert finding["file"] == "catalogue/agreements/sla-app.yaml" and finding["field"] == "review.next"
    assert finding["records"][0]["id"] == "sla-app"
    proc = check(tmp_path, "--format", "github")
    assert proc.returncode == 1
    first = proc.stdout.splitlines()[0]
    assert first.startswith(
        "::warning file=catalogue/agreements/sla-app.yaml,line=" 
    ), first
    assert ",title=service-catalogue term.review-overdue::The annual review of Staff app SLA" in first


def test_check_options(tmp_path):
    records = base()
    records["sla-app"]["review"]["next"] = "2026-11-01"
    records["sla-app"]["period"]["end"] = "2027-01-31"
    write(tmp_path, records)
    assert check(tmp_path, "--disable", "term.review-overdue", "--disable", "term.ending-soon").returncode == 0
    assert check(tmp_path, "--disable", "term.review-overdue,term.ending-soon").returncode == 0
    proc = check(tmp_path, "--disable", "term.review-overdue", "--ending-days", "30")
    assert proc.returncode == 0, describe(proc)
    proc = check(tmp_path, "--disable", "term.review-overdue", "--ending-days", "63")
    assert proc.returncode == 1 and "[term.ending-soon]" in proc.stdout
    # Another as-of date gives other findings: nothing was overdue on 2026-10-01.
    proc = run_cli(tmp_path, "check", "catalogue", "--as-of", "2026-10-01", "--ending-days", "0")
    assert proc.returncode == 0, describe(proc)


def test_check_usage_errors(tmp_path):
    write(tmp_path, base())
    proc = check(tmp_path, "--disable", "term.ending-sooon")
    assert proc.returncode == 2
    assert "unknown rule id `term.ending-sooon`: did you mean `term.ending-soon`?" in proc.stderr
    assert run_cli(tmp_path, "check", "catalogue", "--as-of", "29/11/2026").returncode == 2
    assert check(tmp_path, "--ending-days", "-1").returncode == 2
    assert check(tmp_path, "--format", "xml").returncode == 2
    proc = run_cli(tmp_path, "check", "--list-rules")
    assert proc.returncode == 0 and all(rule_id in proc.stdout for rule_id in RULES)


def test_check_reports_validation_problems_first(tmp_path):
    records = base()
    records["sla-app"]["hours"] = "nowhere"
    write(tmp_path, records)
    proc = check(tmp_path)
    assert proc.returncode == 1, describe(proc)
    assert "error: Agreement sla-app: hours: `nowhere` names no Calendar in the catalogue [ref.missing]" in proc.stdout
    assert "service level finding" not in proc.stdout


def test_example_catalogue_triggers_rules_on_purpose():
    proc = run_cli(REPO, "check", "catalogue", "--as-of", "2026-11-29", "--format", "json")
    assert proc.returncode == 1, describe(proc)
    counts = json.loads(proc.stdout)["counts"]
    for rule_id in (
        "chain.resolution-faster-than-underpinning",
        "chain.availability-above-ceiling",
        "term.review-overdue",
        "coverage.live-service-without-sla",
    ):
        assert counts.get(rule_id), (rule_id, counts)


# --------------------------------------------------------------------------
# The site


def _with_option(project, line: str):
    """Add `line` to the service-catalogue plugin's options in the copied mkdocs.yml."""
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    match = re.search(r"^(\s*)- service-catalogue:\s*\n(\s+)\S", text, re.M)
    assert match, "the example mkdocs.yml configures the service-catalogue plugin with options"
    indent = match.group(2)
    text = text[: match.end(2)] + line + "\n" + indent + text[match.end(2):]
    config.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def default_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("health-site") / "project")
    result = run_mkdocs_build(project, project / "site", strict=True)
    assert result.returncode == 0, describe(result)
    return project / "site"


def test_default_build_has_a_health_page(default_site):
    page = parse_html((default_site / "catalogue" / "health" / "index.html").read_text("utf-8"))
    text = page.text
    assert "Service level health" in text
    for rule_id in (
        "chain.resolution-faster-than-underpinning",
        "chain.availability-above-ceiling",
        "term.review-overdue",
        "coverage.live-service-without-sla",
    ):
        assert rule_id in text, rule_id
        assert page.find(id=rule_id.replace(".", "-")) is not None, rule_id
    for anchor in ("sla-coverage", "underpinning", "ending-30", "ending-90", "overdue-reviews", "findings"):
        assert page.find(id=anchor) is not None, anchor
    hrefs = {a.attrs.get("href") for a in page.find_all("a")}
    assert "../services/lecture-capture/" in hrefs
    assert "../agreements/sla-vle/" in hrefs
    assert "../agreements/ola-infra-business-apps/" in hrefs


def test_default_build_record_pages_show_findings(default_site):
    page = parse_html((default_site / "catalogue" / "agreements" / "sla-vle" / "index.html").read_text("utf-8"))
    box = page.find("div", cls="admonition")
    assert box is not None and "warning" in box.classes
    assert "Service level findings" in box.text
    assert "would miss the P1 resolution target of Northbridge Learn (VLE) SLA, 4h" in box.text
    assert "../../health/#chain-resolution-faster-than-underpinning" in {a.attrs.get("href") for a in box.find_all("a")}


def test_findings_error_fails_the_build_naming_the_rules(tmp_path):
    project = copy_project(tmp_path / "project")
    _with_option(project, "findings: error")
    site = project / "site"
    result = run_mkdocs_build(project, site, strict=False)
    assert result.returncode != 0, describe(result)
    output = result.stdout + result.stderr
    assert "service level findings (findings: error)" in output
    for rule_id in ("chain.resolution-faster-than-underpinning", "term.review-overdue", "coverage.live-service-without-sla"):
        assert f"[{rule_id}]" in output, rule_id
    assert not (site / "index.html").exists()  # nothing was written


def test_findings_warn_fails_a_strict_build_and_disabled_rules_pass(tmp_path):
    project = copy_project(tmp_path / "project")
    _with_option(project, "findings: warn")
    result = run_mkdocs_build(project, project / "site", strict=True)
    assert result.returncode != 0, describe(result)
    assert "WARNING" in result.stderr + result.stdout and "[term.review-overdue]" in result.stderr + result.stdout
    _with_option(project, "disabled_rules: [" + ", ".join(RULES) + "]")
    result = run_mkdocs_build(project, project / "site", strict=True)
    assert result.returncode == 0, describe(result)


def test_unknown_disabled_rule_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    _with_option(project, "disabled_rules: [term.ending-sooon]")
    result = run_mkdocs_build(project, project / "site", strict=False)
    assert result.returncode != 0
    assert "did you mean `term.ending-soon`?" in result.stdout + result.stderr
