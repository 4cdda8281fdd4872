"""Each preset reads an export in its tool's own column layout and gives the figures the
generic mapping gives for the same tickets.

The layouts are built from the tools' documented field names and formats:

- ServiceNow incident: the incident table's fields as a list export writes them
  (headers are field names, values display values, times `yyyy-MM-dd HH:mm:ss` in the
  user's zone): number, business_service, company, priority ("1 - Critical"),
  opened_at, resolved_at (ServiceNow product documentation, "Export a list", and the
  incident table's fields as fivetran/dbt_servicenow stages them).
- ServiceNow task_sla: task, sla, stage, start_time, end_time, has_breached, with the
  task's fields dot-walked (task.priority); stage values In progress, Paused, Completed,
  Cancelled (ServiceNowDocs, "Task SLA table" r_TaskSLATable).
- Jira Service Management: Export issues > CSV (all fields): Issue key, Issue Type,
  Priority, Created and Resolved in the user's date format (default dd/MMM/yy h:mm a),
  custom fields as "Custom field (Name)", the [CHART] Date of First Response field as an
  ISO time with milliseconds, and a header written once per value of a multi-value field
  (Watchers) (Atlassian support, "Export issues to CSV").
- iTop: a CSV export of UserRequest or Incident objects, headers as the data model
  labels them (Ref, Organization, Service, Priority, Start date, Assignment date,
  Resolution date; Combodo/iTop datamodels, itop-request-mgmt and itop-incident-mgmt),
  dates Y-m-d H:i:s, priority labels critical, high, medium, low.
- Znuny (OTRS): the ticket search's CSV result (Kernel/Modules/AgentTicketSearch.pm):
  Ticket Number, Created, Closed, FirstResponse, Priority ("5 very high"), Service,
  SLA (the SLA's name), CustomerID, Type.
"""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.report_catalogue import agreement_yaml, calendar_yaml, report_of, write_csv, write_project
from service_catalogue.performance.document import document

AS_OF = dt.date(2026, 3, 31)
PRIORITIES = [
    {"id": "P1", "title": "Critical", "description": "Mail down", "response": "30m", "resolution": "4h"},
    {"id": "P2", "title": "High", "description": "Degraded", "response": "2h", "resolution": "1d"},
]
# (id, priority, opened, responded, resolved) in Europe/London wall-clock time
TICKETS = [
    ("INC0010001", "P1", "2026-03-02 10:00", "2026-03-02 10:20", "2026-03-02 13:00"),  # met
    ("INC0010002", "P1", "2026-03-03 17:00", "2026-03-04 08:45", "2026-03-04 12:30"),  # response and resolution breached
    ("INC0010003", "P2", "2026-03-05 09:00", "2026-03-05 10:00", "2026-03-06 09:30"),  # resolution breached (1d = 10h)
    ("INC0010004", "P2", "2026-03-27 16:00", "2026-03-30 08:30", ""),  # open at the end, resolution within target
    ("INC0010005", "P1", "2026-03-30 09:00", "", ""),  # open, response breached
]


def project(tmp_path):
    folder = write_project(tmp_path, {"calendar": calendar_yaml("Europe/London", [(["mon", "tue", "wed", "thu", "fri"], "08:00", "18:00")])},
                           {"sla": agreement_yaml(PRIORITIES, frequency="monthly")})
    return folder


def generic(tmp_path, with_response: bool = True):
    header = ["id", "service", "customer", "priority", "type", "opened", "responded", "resolved"]
    rows = [[i, "email", "all-staff", p, "incident", o, r, s] for i, p, o, r, s in TICKETS]
    if not with_response:
        header.remove("responded")
        rows = [row[:6] + row[7:] for row in rows]
    return write_csv(tmp_path / "generic.csv", header, rows)


def figures(report) -> list:
    data = document(report)
    return [(a["id"], t["priority"], t["measure"], t["not_measured"], t["not_recorded"], t["windows"])
            for a in data["agreements"] for t in a["targets"]]


def servicenow_incident(tmp_path):
    names = {"P1": "1 - Critical", "P2": "2 - High"}
    header = ["number", "short_description", "caller_id", "category", "business_service", "service_offering",
              "company", "priority", "state", "assignment_group", "opened_at", "resolved_at", "closed_at"]
    rows = [[i, "Mail problem", "Abel Tuter", "Software", "Email", "", "All staff", names[p], "Resolved" if s else "In Progress",
             "Service Desk", f"{o}:00", f"{s}:00" if s else "", ""] for i, p, o, r, s in TICKETS]
    return write_csv(tmp_path / "incident.csv", header, rows), {}, False


def servicenow_task_sla(tmp_path):
    header = ["task", "sla", "stage", "start_time", "end_time", "planned_end_time", "has_breached", "business_duration",
              "task.priority", "task.business_service", "task.company"]
    names = {"P1": "1 - Critical", "P2": "2 - High"}
    rows = []
    for i, p, o, r, s in TICKETS:
        common = [names[p], "Email", "All staff"]
        rows.append([i, f"{p} response", "Completed" if r else "In progress", f"{o}:00", f"{r}:00" if r else "", "", "false", ""] + common)
        rows.append([i, f"{p} resolution", "Completed" if s else "In progress", f"{o}:00", f"{s}:00" if s else "", "", "false", ""] + common)
    # a cancelled SLA (the priority changed) is not a clock that counts
    rows.append(["INC0010003", "P1 resolution", "Cancelled", "2026-03-05 09:00:00", "2026-03-05 09:05:00", "", "false", "",
                 "1 - Critical", "Email", "All staff"])
    return write_csv(tmp_path / "task_sla.csv", header, rows), {}, True


def jira(tmp_path):
    def jira_time(text):
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").strftime("%d/%b/%y %I:%M %p") if text else ""

    header = ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Created", "Resolved",
              "Watchers", "Watchers", "Custom field (Request Type)", "Custom field (Affected services)",
              "Custom field (Organizations)", "Custom field ([CHART] Date of First Response)"]
    names = {"P1": "Highest", "P2": "High"}
    rows = [["Mail problem", i, str(10000 + n), "[System] Incident", "Done" if s else "In Progress", names[p],
             jira_time(o), jira_time(s), "alice", "bob", "Report a system problem", "Email", "All staff",
             f"{r}:00.123" if r else ""] for n, (i, p, o, r, s) in enumerate(TICKETS)]
    return write_csv(tmp_path / "jira.csv", header, rows), {"values": {"priority": {"Highest": "P1", "High": "P2"}}}, True


def itop(tmp_path):
    header = ["Ref", "Title", "Organization", "Caller", "Status", "Priority", "Service", "Service subcategory",
              "Start date", "Assignment date", "Resolution date", "Close date"]
    names = {"P1": "critical", "P2": "high"}
    rows = [[i, "Mail problem", "All staff", "Claude Monet", "resolved" if s else "assigned", names[p], "Email", "Mailbox",
             f"{o}:00", f"{r}:00" if r else "", f"{s}:00" if s else "", ""] for i, p, o, r, s in TICKETS]
    return write_csv(tmp_path / "itop.csv", header, rows), {"preset": "itop-incident"}, True


def znuny(tmp_path):
    header = ["Ticket Number", "Age", "Title", "Created", "Closed", "FirstResponse", "State", "Priority", "Queue",
              "Type", "Service", "SLA", "CustomerID"]
    names = {"P1": "5 very high", "P2": "4 high"}
    rows = [[i, "3 d", "Mail problem", f"{o}:00", f"{s}:00" if s else "", f"{r}:00" if r else "", "closed successful" if s else "open",
             names[p], "Service Desk", "Incident", "Email", "sla-email agreement", "All staff"] for i, p, o, r, s in TICKETS]
    return write_csv(tmp_path / "znuny.csv", header, rows), {"values": {"priority": {"5 very high": "P1", "4 high": "P2"}}}, True


@pytest.mark.parametrize("preset, export", [
    ("servicenow-incident", servicenow_incident), ("servicenow-task-sla", servicenow_task_sla),
    ("jira-service-management", jira), ("itop-incident", itop), ("znuny", znuny),
])
def test_a_preset_gives_the_figures_of_the_generic_mapping(tmp_path, preset, export):
    folder = project(tmp_path)
    path, extra, with_response = export(tmp_path)
    source = {"path": path.name, "preset": extra.pop("preset", preset), **extra}
    theirs = report_of(folder, {"time_zone": "Europe/London", "from": "2026-03-01", "tickets": [source]}, tmp_path, AS_OF)
    generic(tmp_path, with_response)
    ours = report_of(folder, {"time_zone": "Europe/London", "from": "2026-03-01", "tickets": ["generic.csv"]}, tmp_path, AS_OF)
    assert [p for p in theirs.problems if p.severity == "error"] == []
    assert figures(theirs) == figures(ours)
    # the figures are the tickets' own: of the three P1s, one resolved in time, one late, one open past 4h
    p1_resolution = next(t for t in theirs.agreements[0].targets if t.priority.id == "P1" and t.measure == "resolution")
    assert (p1_resolution.windows[0].met, p1_resolution.windows[0].breached) == (1, 2)
    if with_response:
        p1_response = next(t for t in theirs.agreements[0].targets if t.priority.id == "P1" and t.measure == "response")
        assert [(w.met, w.breached) for w in p1_response.windows] == [(1, 2)]


def test_the_generic_figures_are_the_ones_worked_out_by_hand(tmp_path):
    folder = project(tmp_path)
    generic(tmp_path)
    report = report_of(folder, {"time_zone": "Europe/London", "tickets": ["generic.csv"]}, tmp_path, AS_OF)
    by = {(t.priority.id, t.measure): t.windows[0] for t in report.agreements[0].targets}
    # INC0010002: opened Tue 17:00, responded Wed 08:45: 60 + 45 = 105 covered minutes, 75 over 30
    assert (by["P1", "response"].met, by["P1", "response"].breached) == (1, 2)
    # INC0010005, still open: Mon 09:00 to the end of Tue 31 March is 540 + 600 covered minutes, 1,110 over
    assert by["P1", "response"].worst_over == 1110
    assert report.ticket_id(by["P1", "response"].worst_ticket) == "INC0010005"
    # INC0010003: 09:00 Thu to 09:30 Fri = 9h + 1h30 = 10h30 covered, 30 minutes over a 10h service day;
    # INC0010004, open from Fri 16:00: 2h + 10h + 10h by the end of Tue 31 March, 12h over
    assert (by["P2", "resolution"].met, by["P2", "resolution"].breached, by["P2", "resolution"].open) == (0, 2, 0)
    assert by["P2", "resolution"].worst_over == 720
    assert report.ticket_id(by["P2", "resolution"].worst_ticket) == "INC0010004"
