"""The column layouts of the exports people already have, one preset per tool.

A preset says which column of a tool's export holds each thing a report reads
(`FIELDS`), how that tool writes its times, and what it writes for a field a
column does not hold (a ServiceNow incident export is all incidents). Every
name is the tool's own, as its documentation gives it; tests/test_performance_presets.py
cites where, and reads an export of each layout.

A mapping in the `reports:` block starts from a preset and overrides it
column by column, so an export with a renamed or added column needs one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What a ticket row can say, in the order the docs list them. Only id, priority and
# opened are needed; agreement, or service and customer, say whose ticket it is.
FIELDS = ("id", "agreement", "service", "customer", "priority", "type", "opened", "responded", "resolved")
TIME_FIELDS = ("opened", "responded", "resolved")
REQUIRED_FIELDS = ("id", "priority", "opened")
# What a report does without the column of an optional field: said where a mapping names
# a column that the export lacks.
WITHOUT_COLUMN = {
    "agreement": "the agreement is found from the service and customer",
    "service": "the agreement column alone says whose ticket it is",
    "customer": "agreements are found by service alone",
    "type": "every ticket is taken as an incident",
    "responded": "response times are not measured",
    "resolved": "resolution times are not measured",
    "reason": "a stop stops what all the agreement's clock stops stop",
    "planned": "every outage is taken as unplanned",
    "stage": "no clock is taken as cancelled",
}
# What a clock-stop row says: the ticket, when the clock stopped and started again, and why.
STOP_FIELDS = ("ticket", "start", "end", "reason")
# What an outage row says.
OUTAGE_FIELDS = ("service", "start", "end", "planned")

# Times with an offset (2026-03-02T10:15:00+01:00, ...Z) are read in every layout; these
# are the layouts without one, read in the report's time zone.
ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Preset:
    name: str
    tool: str  # the export it reads, for --help and the docs
    columns: dict[str, str]  # field -> the column's header in that export
    time_formats: tuple[str, ...] = ISO_FORMATS
    # field -> the value every row has where the export has no column for it
    constants: dict[str, str] = field(default_factory=dict)
    # "tickets": a row per ticket; "clocks": a row per clock of a ticket (ServiceNow's
    # task_sla), whose `measure` column says whether it is the response or the resolution.
    rows: str = "tickets"
    # for rows == "clocks": the columns of the clock's start, stop, what it measures, its stage
    clock_columns: dict[str, str] = field(default_factory=dict)


# iTop labels the same fields of its two ticket classes alike.
_ITOP = {"id": "Ref", "service": "Service", "customer": "Organization", "priority": "Priority",
         "opened": "Start date", "responded": "Assignment date", "resolved": "Resolution date"}

PRESET_BY_NAME: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "generic",
            "any CSV or JSON Lines file whose columns are named as the fields are",
            {name: name for name in FIELDS},
        ),
        Preset(
            # The incident table's field names, which a list export writes as its headers;
            # the values are display values, times in the exporting user's format and zone.
            "servicenow-incident",
            "ServiceNow, a list export of the incident table (CSV)",
            {"id": "number", "service": "business_service", "customer": "company", "priority": "priority",
             "opened": "opened_at", "resolved": "resolved_at"},
            constants={"type": "incident"},
        ),
        Preset(
            # One row per SLA of a task, the task's own fields dot-walked (task.priority).
            "servicenow-task-sla",
            "ServiceNow, a list export of the task_sla table (CSV)",
            {"id": "task", "service": "task.business_service", "customer": "task.company",
             "priority": "task.priority"},
            constants={"type": "incident"},
            rows="clocks",
            clock_columns={"start": "start_time", "stop": "end_time", "measure": "sla", "stage": "stage"},
        ),
        Preset(
            "jira-service-management",
            "Jira Service Management, Export issues > CSV (all fields)",
            {"id": "Issue key", "service": "Custom field (Affected services)",
             "customer": "Custom field (Organizations)", "priority": "Priority", "type": "Issue Type",
             "opened": "Created", "responded": "Custom field ([CHART] Date of First Response)",
             "resolved": "Resolved"},
            # Jira writes its dates in the exporting user's format (default dd/MMM/yy h:mm a);
            # the [CHART] fields are ISO times with milliseconds.
            time_formats=("%d/%b/%y %I:%M %p", *ISO_FORMATS),
        ),
        # The CSV export of a UserRequest (or an Incident) search, headers as iTop labels them.
        Preset("itop", "iTop, a CSV export of user requests (column labels)", _ITOP, constants={"type": "request"}),
        Preset("itop-incident", "iTop, a CSV export of incidents (column labels)", _ITOP, constants={"type": "incident"}),
        Preset(
            "znuny",
            "Znuny (OTRS), the ticket search's CSV output",
            {"id": "Ticket Number", "agreement": "SLA", "service": "Service", "customer": "CustomerID",
             "priority": "Priority", "type": "Type", "opened": "Created", "responded": "FirstResponse",
             "resolved": "Closed"},
        ),
    )
}

# Outage exports differ less: a monitoring tool's or a status page's list of outages.
GENERIC_OUTAGE_COLUMNS = {name: name for name in OUTAGE_FIELDS}
GENERIC_STOP_COLUMNS = {name: name for name in STOP_FIELDS}
