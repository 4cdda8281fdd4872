"""CSV files for iTop's CSV import, one per class, in the columns of its data model.

The classes and attributes are those of iTop's data model: Organization
(itop-structure), Service, SLT, SLA and CustomerContract (itop-service-mgmt,
datamodel.itop-service-mgmt.xml); a column `org_id->name` finds the organization by its name, as
iTop's import reconciles external keys. The link sets (an SLA's SLTs, a contract's
services with the SLA of each) are written the way iTop writes and reads them
(AttributeLinkedSet::GetAsCSV and MakeValueFromString): items joined by `|`,
attributes by `;`, each `'attcode:value'` with its `'` doubled. iTop reads a `|`
as the end of an item wherever it stands, so a name holding one cannot be linked,
and is said so.

Import in this order, each file as its class (link sets need the import's
"advanced mode"): organizations, SLTs, SLAs, services, customer contracts.
"""

from __future__ import annotations

import re

from service_catalogue.exports.base import Export, finished
from service_catalogue.exports.names import unique_titles
from service_catalogue.exports.tables import as_written, table
from service_catalogue.model import Agreement, Catalogue, Priority

# Service and Contract `status` (their AttributeEnum values).
SERVICE_STATUS = {"pipeline": "implementation", "live": "production", "retired": "obsolete"}
CONTRACT_STATUS = {"draft": "implementation", "active": "production", "expired": "obsolete",
                   "terminated": "obsolete", "superseded": "obsolete"}
# SLT `request_type` and `metric` (AttributeEnum values): time to own, time to resolve.
REQUEST_TYPE = {"incidents": "incident", "requests": "service_request"}
METRIC = {"response": "tto", "resolution": "ttr"}

ORGANIZATION_COLUMNS = ("name", "code", "parent_id->name", "status")
SERVICE_COLUMNS = ("name", "org_id->name", "servicefamily_id->name", "description", "status")
SLT_COLUMNS = ("name", "priority", "request_type", "metric", "value", "unit")
SLA_COLUMNS = ("name", "org_id->name", "description", "slts_list")
CONTRACT_COLUMNS = ("name", "org_id->name", "provider_id->name", "description", "start_date", "end_date", "status",
                    "services_list")
_PRIORITY = re.compile(r"^[Pp]?([1-4])$")


def _names(catalogue: Catalogue) -> dict:
    return {**unique_titles(catalogue.parties, lambda e: e.title, lambda e: e.id),
            **unique_titles(catalogue.services, lambda e: e.title, lambda e: e.id),
            **unique_titles(catalogue.agreements, lambda e: e.title, lambda e: e.id)}


def organizations(catalogue: Catalogue) -> Export:
    names = _names(catalogue)
    rows = [{"name": names[p], "code": p.id, "parent_id->name": names[p.parent] if p.parent else None, "status": "active"}
            for p in catalogue.parties]
    return finished(table(ORGANIZATION_COLUMNS, rows), [], "the iTop organizations")


def services(catalogue: Catalogue) -> Export:
    names = _names(catalogue)
    rows = [{"name": names[s], "org_id->name": names[s.owner], "servicefamily_id->name": s.get("category"),
             "description": s.description or s.summary, "status": SERVICE_STATUS[s.status]}
            for s in catalogue.services]
    return finished(table(SERVICE_COLUMNS, rows), [], "the iTop services")


def slts(catalogue: Catalogue) -> Export:
    notes: list[str] = []
    rows = [row for agreement in catalogue.agreements for row, _ in _slts(agreement, notes)]
    return finished(table(SLT_COLUMNS, rows), notes, "the iTop SLTs")


def slas(catalogue: Catalogue) -> Export:
    names = _names(catalogue)
    notes: list[str] = []
    rows = []
    for agreement in catalogue.agreements:
        links = [_link({"slt_id->name": row["name"]}) for row, _ in _slts(agreement, [])]
        rows.append({"name": names[agreement], "org_id->name": names[agreement.provider],
                     "description": agreement.summary or agreement.description,
                     "slts_list": _link_set(links, agreement, notes)})
    return finished(table(SLA_COLUMNS, rows), notes, "the iTop SLAs")


def contracts(catalogue: Catalogue) -> Export:
    """A customer contract for each SLA and OLA: who the customer is, which services it
    covers and with which SLA. A UC is a contract the provider holds with a supplier:
    iTop's ProviderContract, whose service levels are a line of text; not written."""
    names = _names(catalogue)
    notes: list[str] = []
    rows = []
    ucs = [a.id for a in catalogue.agreements if a.type == "UC"]
    if ucs:
        notes.append(f"{len(ucs)} underpinning contract{'s' * (len(ucs) != 1)} written as SLAs only: a UC is not a "
                     f"customer contract in iTop but a ProviderContract, whose SLA is free text: {', '.join(ucs)}")
    for agreement in catalogue.agreements:
        if agreement.type == "UC":
            continue
        links = [_link({"service_id->name": as_written(names[s]), "sla_id->name": as_written(names[agreement])})
                 for s in agreement.services]
        rows.append({"name": names[agreement], "org_id->name": names[agreement.customer],
                     "provider_id->name": names[agreement.provider], "description": agreement.summary or agreement.description,
                     "start_date": agreement.start, "end_date": agreement.end, "status": CONTRACT_STATUS[agreement.status],
                     "services_list": _link_set(links, agreement, notes)})
    return finished(table(CONTRACT_COLUMNS, rows), notes, "the iTop customer contracts")


def _slts(agreement: Agreement, notes: list[str]):
    """(row, priority) for each response and resolution target iTop can hold: priorities 1
    to 4 (written 1 or P1), whole minutes or hours."""
    for priority in agreement.priorities:
        number = _PRIORITY.match(priority.id) or _PRIORITY.match(priority.title or "")
        for which in ("response", "resolution"):
            if getattr(priority, which) is None:
                continue
            where = f"Agreement `{agreement.id}`, priority `{priority.id}` {which}"
            if number is None:
                notes.append(f"{where}: iTop's SLT priorities are 1 to 4, and `{priority.id}` names none of them; left out")
                continue
            minutes = priority.minutes(which)
            if minutes is None or minutes != int(minutes):
                notes.append(f"{where}: {priority.time_words(which)} is not a whole number of minutes, "
                             "which iTop's SLT value must be; left out")
                continue
            value, unit = (int(minutes) // 60, "hours") if minutes % 60 == 0 else (int(minutes), "minutes")
            yield {"name": _slt_name(agreement, priority, which), "priority": number.group(1),
                   "request_type": REQUEST_TYPE[priority.applies_to], "metric": METRIC[which],
                   "value": value, "unit": unit}, priority


def _slt_name(agreement: Agreement, priority: Priority, which: str) -> str:
    # SLTs are found by name from the SLAs' link sets: the agreement's id keeps it unique.
    return f"{agreement.id} {priority.id} {METRIC[which].upper()}"


def _link(attributes: dict[str, str]) -> str:
    """One item of a link set: each `attcode:value` in quotes, a quote in it doubled."""
    return ";".join("'" + f"{code}:{value}".replace("'", "''") + "'" for code, value in attributes.items())


def _link_set(items: list[str], agreement: Agreement, notes: list[str]) -> str:
    usable = [item for item in items if "|" not in item and "\n" not in item]
    if len(usable) < len(items):
        notes.append(f"Agreement `{agreement.id}`: a name holds `|`, which iTop reads as the end of a link "
                     "wherever it stands; that link is left out")
    return "|".join(usable)
