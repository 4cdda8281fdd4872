"""CSV files for ServiceNow import sets, one per target table, headed with its field names.

A transform map whose source fields are named as the target table's fields maps them
itself ("Auto map matching fields", ServiceNow's "Mapping options"), so each file's
header is the target's own field names: cmdb_ci_service (services), service_offering
(their offerings) and contract_sla (SLA definitions, one per priority and measure).
Reference fields (a service's owner, an offering's parent, an SLA's schedule) hold the
display value the transform map looks the record up by: the name.

The SLA definitions are written inactive and without conditions: which tasks one
attaches to, and when it pauses and stops, are encoded queries of the instance's own
fields, which the catalogue does not know. Set them, then make the definitions active.
"""

from __future__ import annotations

import datetime as dt
import re

from service_catalogue.exports.base import Export, finished
from service_catalogue.exports.names import unique_titles
from service_catalogue.exports.tables import table
from service_catalogue.model import Catalogue, Service

SERVICE_COLUMNS = ("name", "short_description", "service_classification", "operational_status", "busines_criticality",
                   "owned_by", "correlation_id")
OFFERING_COLUMNS = ("name", "parent", "short_description", "operational_status", "correlation_id")
SLA_COLUMNS = ("name", "type", "target", "collection", "duration", "schedule", "timezone_source", "timezone", "active")
# operational_status, the choice values of cmdb_ci: 1 Operational, 6 Retired. A service in
# the pipeline is not yet operational, and the base choices have no stage before it: left empty.
OPERATIONAL_STATUS = {"live": "1", "retired": "6", "pipeline": None}
CLASSIFICATION = {"customer-facing": "Business Service", "supporting": "Technical Service"}
# busines_criticality (ServiceNow's spelling), its choice values.
CRITICALITY = {"critical": "1 - most critical", "high": "2 - somewhat critical", "medium": "3 - less critical",
               "low": "4 - not critical"}
AGREEMENT_TYPE = {"SLA": "SLA", "OLA": "OLA", "UC": "Underpinning contract"}
# The task table each kind of ticket is on: incidents, and the requested items of requests.
COLLECTION = {"incidents": "incident", "requests": "sc_req_item"}
_EPOCH = dt.datetime(1970, 1, 1)
_OWNER_ROLE = re.compile(r"\bservice owner\b", re.I)


def services(catalogue: Catalogue) -> Export:
    names = unique_titles(catalogue.services, lambda e: e.title, lambda e: e.id)
    rows = [{"name": names[s], "short_description": s.summary or s.title,
             "service_classification": CLASSIFICATION[s.type], "operational_status": OPERATIONAL_STATUS[s.status],
             "busines_criticality": CRITICALITY.get(s.get("criticality", "")), "owned_by": _owner(s),
             "correlation_id": s.id}
            for s in catalogue.services]
    return finished(table(SERVICE_COLUMNS, rows), [], "the ServiceNow services")


def offerings(catalogue: Catalogue) -> Export:
    names = unique_titles(catalogue.services, lambda e: e.title, lambda e: e.id)
    rows = []
    for service in catalogue.services:
        for offering, _ in service.offerings:
            rows.append({"name": f"{service.title} - {offering['title']}", "parent": names[service],
                         "short_description": offering.get("description") or offering["title"],
                         "operational_status": OPERATIONAL_STATUS[service.status],
                         "correlation_id": f"{service.id}/{offering['id']}"})
    return finished(table(OFFERING_COLUMNS, rows), [], "the ServiceNow service offerings")


def slas(catalogue: Catalogue) -> Export:
    agreements = unique_titles(catalogue.agreements, lambda e: e.title, lambda e: e.id)
    calendars = unique_titles(catalogue.calendars, lambda e: e.title, lambda e: e.id)
    rows = []
    for agreement in catalogue.agreements:
        for priority in agreement.priorities:
            for which in ("response", "resolution"):
                minutes = priority.minutes(which)
                if minutes is None:
                    continue
                calendar = priority.calendar
                rows.append({
                    "name": f"{agreements[agreement]}: {priority.name} {which}",
                    "type": AGREEMENT_TYPE[agreement.type], "target": which,
                    "collection": COLLECTION[priority.applies_to], "duration": duration(minutes),
                    # No schedule: the SLA counts every hour (24x7), as a target without service hours does.
                    "schedule": calendars[calendar] if calendar else None,
                    "timezone_source": "sla.timezone" if calendar else None,
                    "timezone": calendar.data["timezone"] if calendar else None,
                    "active": "false",
                })
    return finished(table(SLA_COLUMNS, rows), [], "the ServiceNow SLA definitions")


def duration(minutes: float) -> str:
    """A duration field's value: the instant that long after 1970-01-01 00:00:00, to the second.

    ServiceNow counts a duration in the hours of the SLA's schedule ("a duration of 1 Day
    sets the SLA to breach three business days later" on eight-hour days), as the
    catalogue counts covered time, so the covered minutes are written as they are."""
    return (_EPOCH + dt.timedelta(seconds=round(minutes * 60))).strftime("%Y-%m-%d %H:%M:%S")


def _owner(service: Service) -> str | None:
    """The name of the contact whose role is service owner: owned_by is a user, found by name."""
    for contact in service.get("contacts") or ():
        if _OWNER_ROLE.search(str(contact.get("role", ""))):
            return contact.get("name")
    return None
