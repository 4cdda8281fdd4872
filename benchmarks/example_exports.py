"""The example catalogue's ticket and outage exports (catalogue/exports/), seeded, so that the
example site shows its service level performance pages. Run it again after changing it:

    python -m benchmarks.example_exports        # rewrites catalogue/exports/

What it writes is what Northbridge's tools would have exported for August to November
2026, in their own layouts:

- servicenow-task-sla.csv: the service desk's SLA clocks from ServiceNow (a response and a
  resolution SLA per incident, the incident's fields dot-walked), for the SLAs;
- service-desk-requests.csv: the IT Service Desk's and the Singapore desk's tickets in
  the generic layout, incidents and requests, times with their offset;
- jira-identity.csv: the Identity team's Jira Service Management queue, for its two OLAs;
- supplier-tickets.csv: tickets raised with suppliers, each naming its contract;
- on-hold.csv: the clock stops of VLE tickets (awaiting the customer, or a third party);
- outages.csv: the monitoring system's outages, planned maintenance marked.

Most clocks are met. A few breaches are planted where the pages should show them:
Email & Calendar P1 incidents resolved late in October with the supplier's contract
met (the miss is the provider's own), an Identity OLA response breach in September
under an SLA that met its targets, an Email outage in November that spends more than
the 99.95% budget (and, with a second one, the supplier's 99.9%: a credit), and a VLE outage in September that puts the hosting contract into
a credit tier.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
import zoneinfo
from pathlib import Path

SEED = 2026
OUT = Path(__file__).resolve().parent.parent / "catalogue" / "exports"
LONDON = zoneinfo.ZoneInfo("Europe/London")
SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")
FIRST, LAST = dt.date(2026, 8, 1), dt.date(2026, 11, 27)

# SLA -> (service title, customer title, tickets a month, the SLA's own start)
SLAS = {
    "sla-collaboration": ("Email & Calendar", "Northbridge University", 22, dt.date(2026, 8, 1)),
    "sla-student-records": ("Student Records System", "Academic Registry", 10, dt.date(2026, 8, 1)),
    "sla-vle": ("Virtual Learning Environment (Northbridge Learn)", "Students", 18, dt.date(2026, 9, 1)),
    "sla-campus-network": ("Campus Network & Wi-Fi", "Northbridge University", 16, dt.date(2026, 8, 1)),
    "sla-managed-print": ("Print, Copy & Scan", "Library Services", 9, dt.date(2026, 8, 1)),
    "sla-research-computing": ("Research HPC Cluster (Tern)", "Researchers", 7, dt.date(2026, 10, 1)),
}
# The targets in minutes of covered time, for drawing times that meet them (or not).
RESPONSE = {"P1": 15, "P2": 30, "P3": 240, "P4": 600}
PRIORITY_WORDS = {"P1": "1 - Critical", "P2": "2 - High", "P3": "3 - Moderate", "P4": "4 - Low"}
JIRA_PRIORITY = {"P1": "Highest", "P2": "High", "P3": "Medium", "P4": "Low"}


def _weekday_time(rng: random.Random, day: dt.date, zone) -> dt.datetime:
    """A time in the working day (the queue is busiest then), now and then at night."""
    hour = rng.choice([8, 9, 9, 10, 10, 11, 12, 13, 14, 14, 15, 16, 17]) if rng.random() < 0.85 else rng.randrange(0, 24)
    return dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), zone)


def _days(rng: random.Random, start: dt.date, per_month: int) -> list[dt.date]:
    found, day = [], start
    while day <= LAST:
        weight = 1.0 if day.weekday() < 5 else 0.25
        if rng.random() < weight * per_month / 21:
            found.append(day)
        day += dt.timedelta(days=1)
    return found


def _minutes(rng: random.Random, typical: float) -> dt.timedelta:
    return dt.timedelta(minutes=max(1, round(rng.uniform(0.2, 0.9) * typical)))


def _wall(when: dt.datetime | None) -> str:
    return when.astimezone(LONDON).strftime("%Y-%m-%d %H:%M:%S") if when else ""


def task_sla(rng: random.Random) -> list[list[str]]:
    rows, number = [], 10_400
    for agreement, (service, customer, per_month, start) in SLAS.items():
        days = _days(rng, max(start, FIRST), per_month)
        if agreement == "sla-collaboration":  # the October P1s the pages tell of
            days = sorted(days + [dt.date(2026, 10, 14), dt.date(2026, 10, 27)])
        for day in days:
            priority = rng.choices(["P1", "P2", "P3", "P4"], [1, 4, 12, 6])[0]
            if agreement == "sla-collaboration" and day in (dt.date(2026, 10, 14), dt.date(2026, 10, 27)):
                priority = "P1"
            opened = _weekday_time(rng, day, LONDON)
            responded = opened + _minutes(rng, RESPONSE[priority])
            resolved = responded + dt.timedelta(minutes=rng.randrange(20, {"P1": 150, "P2": 400, "P3": 900, "P4": 2000}[priority]))
            if priority in ("P3", "P4") and opened.weekday() == 4 and opened.hour >= 16:
                resolved += dt.timedelta(days=3)  # left over the weekend: still within business days
            if agreement == "sla-collaboration" and priority == "P1" and day.month == 10:
                resolved = opened + dt.timedelta(hours=6, minutes=rng.randrange(40))  # planted: 4h missed
            if day >= LAST - dt.timedelta(days=2) and rng.random() < 0.5:
                resolved = None  # still open when the export was taken
            number += 1
            ticket = f"INC00{number}"
            common = [PRIORITY_WORDS[priority], service, customer]
            rows.append([ticket, f"{priority} response", "Completed", _wall(opened), _wall(responded), "false"] + common)
            rows.append([ticket, f"{priority} resolution", "Completed" if resolved else "In progress", _wall(opened),
                         _wall(resolved), "false"] + common)
    return rows


def desk_tickets(rng: random.Random) -> list[list[str]]:
    rows, number = [], 0
    for agreement, zone, per_month in (("sla-it-service-desk", LONDON, 30), ("sla-singapore-campus-support", SINGAPORE, 12)):
        service = "it-service-desk" if agreement == "sla-it-service-desk" else "singapore-campus-support"
        customer = "all-staff" if agreement == "sla-it-service-desk" else "singapore-campus-community"
        for day in _days(rng, FIRST, per_month):
            request = agreement == "sla-it-service-desk" and rng.random() < 0.4
            priority = rng.choice(["R1", "R2"]) if request else rng.choices(["P1", "P2", "P3", "P4"], [1, 3, 10, 6])[0]
            opened = _weekday_time(rng, day, zone)
            responded = opened + _minutes(rng, 240 if request else RESPONSE[priority])
            resolved = responded + dt.timedelta(hours=rng.randrange(1, 30 if request else 20))
            number += 1
            rows.append([f"{'REQ' if request else 'INC'}{number:06d}", agreement, service, customer, priority,
                         "request" if request else "incident", opened.isoformat(), responded.isoformat(), resolved.isoformat()])
    return rows


def jira_identity(rng: random.Random) -> list[list[str]]:
    rows, number = [], 200
    for agreement, customer, per_month in (("ola-identity-to-workplace", "Workplace & Collaboration team", 8),
                                           ("ola-identity-network", "Network Services team", 5)):
        for day in _days(rng, dt.date(2026, 8, 3), per_month):
            priority = rng.choices(["P1", "P2", "P3"], [1, 3, 8])[0]
            opened = _weekday_time(rng, day, LONDON)
            first = opened + _minutes(rng, {"P1": 15, "P2": 30, "P3": 120}[priority])
            if agreement == "ola-identity-to-workplace" and day.month == 9 and priority != "P3":
                first = opened + dt.timedelta(minutes=75)  # planted: the sign-on queue was unstaffed
            resolved = first + dt.timedelta(minutes=rng.randrange(10, {"P1": 90, "P2": 200, "P3": 600}[priority]))
            number += 1
            rows.append([f"Sign-on problem {number}", f"IAM-{number}", str(40_000 + number), "[System] Incident", "Done",
                         JIRA_PRIORITY[priority], opened.strftime("%d/%b/%y %I:%M %p"), resolved.strftime("%d/%b/%y %I:%M %p"),
                         "a.brennan", "", "Report a sign-on problem", "Identity & Single Sign-On", customer,
                         first.strftime("%Y-%m-%d %H:%M:%S.") + f"{rng.randrange(1000):03d}"])
    return rows


def supplier_tickets(rng: random.Random) -> list[list[str]]:
    rows, number = [], 0
    for agreement, per_month in (("uc-cloudmere-workspace", 6), ("uc-aulario-vle-hosting", 4), ("uc-trunkline-wan", 3),
                                 ("uc-printwise-mps", 4)):
        for day in _days(rng, FIRST, per_month):
            priority = rng.choices(["P1", "P2", "P3", "P4"], [1, 3, 6, 3])[0]
            opened = _weekday_time(rng, day, LONDON)
            responded = opened + _minutes(rng, RESPONSE[priority])
            resolved = responded + dt.timedelta(minutes=rng.randrange(20, {"P1": 200, "P2": 400, "P3": 900, "P4": 2000}[priority]))
            number += 1
            rows.append([f"SUP-{number:05d}", agreement, priority, "incident", opened.isoformat(), responded.isoformat(),
                         resolved.isoformat()])
    return rows


def on_hold(rng: random.Random, tickets: list[list[str]]) -> list[list[str]]:
    rows = []
    vle = [row for row in tickets if row[7] == "Virtual Learning Environment (Northbridge Learn)" and row[1].endswith("resolution")]
    for row in vle:
        if rng.random() < 0.25 and row[4]:
            opened = dt.datetime.fromisoformat(row[3]).replace(tzinfo=LONDON)
            start = opened + dt.timedelta(minutes=rng.randrange(20, 90))
            end = start + dt.timedelta(hours=rng.randrange(1, 20))
            rows.append([row[0], start.isoformat(), end.isoformat(), rng.choice(["customer-reply", "third-party"])])
    return rows


def outages(rng: random.Random) -> list[list[str]]:
    rows = [
        # planted: 35 minutes of Email in November, past the 21.9-minute budget of 99.95%
        ["email-calendar", "2026-11-10T09:12:00+00:00", "2026-11-10T09:47:00+00:00", "false", "Mail flow stopped"],
        # and again that month, 22 minutes: 57 in all, past the supplier's 43.2 minutes (99.9%)
        ["email-calendar", "2026-11-18T14:03:00+00:00", "2026-11-18T14:25:00+00:00", "false", "Calendar sync outage"],
        # planted: the VLE down for 3 hours on a September evening, below the hosting contract's 99.9%
        ["vle", "2026-09-22T18:05:00+01:00", "2026-09-22T21:10:00+01:00", "false", "Aulario cluster failover"],
        # a planned upgrade inside the Sunday maintenance window: not downtime
        ["vle", "2026-10-04T01:30:00+01:00", "2026-10-04T03:30:00+01:00", "true", "Aulario platform upgrade"],
    ]
    for service, count in (("campus-network-wifi", 6), ("student-records", 3), ("managed-print", 5), ("research-hpc", 2),
                           ("identity-sso", 2), ("email-calendar", 1)):
        for _ in range(count):
            day = FIRST + dt.timedelta(days=rng.randrange((LAST - FIRST).days))
            start = _weekday_time(rng, day, LONDON)
            rows.append([service, start.isoformat(), (start + dt.timedelta(minutes=rng.randrange(2, 12))).isoformat(),
                         "false", "Monitoring alert"])
    return sorted(rows, key=lambda row: row[1])


def write(out: Path = OUT) -> list[Path]:
    rng = random.Random(SEED)
    sla_rows = task_sla(rng)
    files = {
        "servicenow-task-sla.csv": (["task", "sla", "stage", "start_time", "end_time", "has_breached", "task.priority",
                                     "task.business_service", "task.company"], sla_rows),
        "service-desk-requests.csv": (["id", "agreement", "service", "customer", "priority", "type", "opened", "responded",
                                       "resolved"], desk_tickets(rng)),
        "jira-identity.csv": (["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Created", "Resolved",
                               "Watchers", "Watchers", "Custom field (Request Type)", "Custom field (Affected services)",
                               "Custom field (Organizations)", "Custom field ([CHART] Date of First Response)"],
                              jira_identity(rng)),
        "supplier-tickets.csv": (["id", "agreement", "priority", "type", "opened", "responded", "resolved"], supplier_tickets(rng)),
        "on-hold.csv": (["ticket", "start", "end", "reason"], on_hold(rng, sla_rows)),
        "outages.csv": (["service", "start", "end", "planned", "summary"], outages(rng)),
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (header, rows) in files.items():
        path = out / name
        with open(path, "w", newline="", encoding="utf-8") as handle:
            table = csv.writer(handle, lineterminator="\n")
            table.writerow(header)
            table.writerows(rows)
        written.append(path)
    return written


def main() -> int:
    for path in write():
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
