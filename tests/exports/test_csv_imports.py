"""The iTop and ServiceNow CSV files, held to the names the neighbours document.

iTop (github.com/Combodo/iTop, datamodels/2.x): each column is an attribute of the
class in its data model, an `x->name` column an external key x whose target is found
by name (the CSV import's reconciliation; iTop wiki, "Import data via CLI"):
- Organization (itop-structure; data/data.sample.organizations.xml): name, code,
  status (active), parent_id.
- itop-service-mgmt/datamodel.itop-service-mgmt.xml: Service (name, org_id ->
  Organization, servicefamily_id -> ServiceFamily, description, status production |
  implementation | obsolete); SLT (name, priority 1-4, request_type incident |
  service_request, metric tto | ttr, value AttributeInteger, unit hours | minutes);
  SLA (name, description, org_id, slts_list -> lnkSLAToSLT.slt_id); CustomerContract
  (Contract's name, org_id, provider_id, description, start_date, end_date, status
  production | implementation | obsolete; services_list -> lnkCustomerContractToService
  .service_id and .sla_id).
- Link sets are read back here as iTop reads them (core/attributedef.class.inc.php,
  AttributeLinkedSet::MakeValueFromString): every `|` becomes a line break, then a CSV
  parse with `;` and the qualifier `'`, then each cell split at its first `:`.

ServiceNow (github.com/ServiceNow/ServiceNowDocs): an import set whose columns are named
as the target table's fields is mapped by "Auto map matching fields" ("Mapping
options"). contract_sla: name, type (SLA | OLA | Underpinning contract), target
(response | resolution), the task table (its column collection), duration, schedule,
timezone source and timezone, active ("Create an SLA definition", t_CreateAnSLADefinition,
and the ServiceNow Fluent "Service Level Agreement API" on contract_sla); a duration
counts schedule time ("a duration of 1 Day sets the SLA to breach three business days
later" on eight-hour days). cmdb_ci_service: name, short_description, operational_status,
busines_criticality ("1 - most critical" to "4 - not critical", the business service
form of Operational Resilience, create-new-business-service-form), service_classification,
owned_by, correlation_id; service_offering: name, parent, short_description.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from helpers.export_catalogue import FORMULA_TITLE, MULTILINE, SPECIALS_TITLE, write_export_catalogue
from service_catalogue import pipeline
from service_catalogue.exports import export
from service_catalogue.options import Options

REPO = Path(__file__).resolve().parents[2]

ITOP_ATTRIBUTES = {  # class -> attribute codes of its data model (external keys: their target class)
    "itop-organizations": {"name": None, "code": None, "status": None, "parent_id": "Organization"},
    "itop-services": {"name": None, "org_id": "Organization", "servicefamily_id": "ServiceFamily", "description": None,
                      "status": None},
    "itop-slts": {"name": None, "priority": None, "request_type": None, "metric": None, "value": None, "unit": None},
    "itop-slas": {"name": None, "description": None, "org_id": "Organization", "slts_list": None},
    "itop-contracts": {"name": None, "org_id": "Organization", "provider_id": "Organization", "description": None,
                       "start_date": None, "end_date": None, "status": None, "services_list": None},
}
ITOP_ENUMS = {("itop-organizations", "status"): {"active", "inactive"},
              ("itop-services", "status"): {"production", "implementation", "obsolete"},
              ("itop-contracts", "status"): {"production", "implementation", "obsolete"},
              ("itop-slts", "priority"): {"1", "2", "3", "4"},
              ("itop-slts", "request_type"): {"incident", "service_request"},
              ("itop-slts", "metric"): {"tto", "ttr"}, ("itop-slts", "unit"): {"hours", "minutes"}}
# The link classes' external keys each link set may name.
ITOP_LINKS = {("itop-slas", "slts_list"): {"slt_id": "itop-slts"},
              ("itop-contracts", "services_list"): {"service_id": "itop-services", "sla_id": "itop-slas"}}
SERVICENOW_FIELDS = {
    "servicenow-services": ["name", "short_description", "service_classification", "operational_status",
                            "busines_criticality", "owned_by", "correlation_id"],
    "servicenow-offerings": ["name", "parent", "short_description", "operational_status", "correlation_id"],
    "servicenow-slas": ["name", "type", "target", "collection", "duration", "schedule", "timezone_source", "timezone", "active"],
}


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def itop_link_set(value: str) -> list[dict]:
    """AttributeLinkedSet::MakeValueFromString, in Python: each link as {attcode: value}."""
    links = []
    for line in csv.reader(io.StringIO(value.replace("|", "\n")), delimiter=";", quotechar="'"):
        link = {}
        for spec in line:
            code, _, text = spec.partition(":")
            assert _, f"Wrong format for link attribute specification: {spec!r}"
            link[code.strip()] = text
        links.append(link)
    return links


def exports_of(folder: Path) -> dict:
    catalogue = pipeline.prepare(Options(catalogue=folder), with_findings=False).require_valid()
    names = [*ITOP_ATTRIBUTES, *SERVICENOW_FIELDS]
    return catalogue, {name: export(name, catalogue) for name in names}


@pytest.fixture(scope="module")
def example():
    return exports_of(REPO / "catalogue")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return exports_of(write_export_catalogue(tmp_path_factory.mktemp("hostile")))


def check_itop(made: dict) -> None:
    tables = {name: rows(made[name].text) for name in ITOP_ATTRIBUTES}
    for name, table in tables.items():
        header = list(csv.reader(io.StringIO(made[name].text)))[0]
        for column in header:
            attribute, _, remote = column.partition("->")
            assert attribute in ITOP_ATTRIBUTES[name], (name, column)
            assert (remote == "name") == (ITOP_ATTRIBUTES[name][attribute] is not None), (name, column)
        for (table_name, column), values in ITOP_ENUMS.items():
            if table_name == name:
                assert {row[column] for row in table} <= values, (name, column)
    names = {name: {row["name"] for row in table} for name, table in tables.items()}
    organizations = names["itop-organizations"]
    for name, table in tables.items():
        for row in table:
            for column in ("org_id->name", "provider_id->name", "parent_id->name"):
                if row.get(column):
                    assert row[column] in organizations, (name, column, row[column])
    for (name, column), keys in ITOP_LINKS.items():
        for row in tables[name]:
            for link in itop_link_set(row[column]) if row[column] else []:
                for key, target in keys.items():
                    assert link[f"{key}->name"] in names[target], (name, key, link)
    for row in tables["itop-slts"]:
        assert row["value"].isdigit()


def test_itop_files_use_only_the_data_models_attributes_and_values(example):
    _, made = example
    check_itop(made)
    contracts = {r["name"]: r for r in rows(made["itop-contracts"].text)}
    collaboration = contracts["Email, Calendar & Video Conferencing SLA"]
    assert collaboration["org_id->name"] == "Northbridge University" and collaboration["status"] == "production"
    assert itop_link_set(collaboration["services_list"]) == [
        {"service_id->name": "Email & Calendar", "sla_id->name": "Email, Calendar & Video Conferencing SLA"},
        {"service_id->name": "Video Conferencing", "sla_id->name": "Email, Calendar & Video Conferencing SLA"}]
    slts = {r["name"]: r for r in rows(made["itop-slts"].text)}
    # P3 of sla-collaboration: resolution 3d in UK business hours (10 h a day) is 30 hours.
    assert slts["sla-collaboration P3 TTR"] == {"name": "sla-collaboration P3 TTR", "priority": "3", "request_type": "incident",
                                               "metric": "ttr", "value": "30", "unit": "hours"}
    assert slts["sla-collaboration P1 TTO"]["value"] == "15" and slts["sla-collaboration P1 TTO"]["unit"] == "minutes"
    sla_names = [r["name"] for r in rows(made["itop-slas"].text)]
    assert len(sla_names) == len(set(sla_names))


def test_a_title_two_records_share_is_told_apart_by_id():
    from service_catalogue.exports.names import unique_titles

    items = [("sla-a", "Email SLA"), ("sla-b", "email  sla"), ("sla-c", "Other")]
    assert list(unique_titles(items, lambda i: i[1], lambda i: i[0]).values()) == [
        "Email SLA (sla-a)", "email  sla (sla-b)", "Other"]


def test_servicenow_files_use_the_target_tables_fields(example):
    catalogue, made = example
    for name, fields in SERVICENOW_FIELDS.items():
        assert list(csv.reader(io.StringIO(made[name].text)))[0] == fields
    services = rows(made["servicenow-services"].text)
    assert {r["operational_status"] for r in services} <= {"1", "6", ""}
    assert {r["busines_criticality"] for r in services} <= {"1 - most critical", "2 - somewhat critical", "3 - less critical",
                                                          "4 - not critical", ""}
    email = next(r for r in services if r["correlation_id"] == "email-calendar")
    assert email == {"name": "Email & Calendar", "short_description": catalogue.by_id["email-calendar"].summary,
                     "service_classification": "Business Service", "operational_status": "1",
                     "busines_criticality": "2 - somewhat critical", "owned_by": "Sanjay Mehta", "correlation_id": "email-calendar"}
    service_names = {r["name"] for r in services}
    assert all(r["parent"] in service_names for r in rows(made["servicenow-offerings"].text))
    slas = rows(made["servicenow-slas"].text)
    assert {r["type"] for r in slas} == {"SLA", "OLA", "Underpinning contract"}
    assert {r["target"] for r in slas} == {"response", "resolution"} and {r["active"] for r in slas} == {"false"}
    assert {r["collection"] for r in slas} == {"incident", "sc_req_item"}
    p3 = next(r for r in slas if r["name"] == "Email, Calendar & Video Conferencing SLA: P3 resolution")
    assert p3["duration"] == "1970-01-02 06:00:00"  # 30 hours of the schedule
    assert (p3["schedule"], p3["timezone_source"], p3["timezone"]) == ("UK business hours", "sla.timezone", "Europe/London")


def cells(text: str) -> list[str]:
    return [value for row in csv.reader(io.StringIO(text)) for value in row]


def test_hostile_text_is_quoted_and_stays_linked(hostile):
    _, made = hostile
    check_itop(made)
    for name, result in made.items():
        for value in cells(result.text):
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)
    services = {r["name"]: r for r in rows(made["itop-services"].text)}
    assert "'" + FORMULA_TITLE in services  # the report's escape: a ' before a formula
    assert services["'" + FORMULA_TITLE]["description"] == MULTILINE
    contracts = rows(made["itop-contracts"].text)
    assert contracts[0]["services_list"] == ""  # every link names SPECIALS_TITLE's agreement, which holds a `|`
    assert any("holds `|`" in note for note in made["itop-contracts"].notes)
    slas = {r["name"]: r for r in rows(made["itop-slas"].text)}
    assert slas[SPECIALS_TITLE]["slts_list"]  # its SLTs are named by id, and link
    slts = rows(made["itop-slts"].text)
    assert [(r["priority"], r["metric"], r["request_type"], r["value"], r["unit"]) for r in slts] == [
        ("1", "ttr", "incident", "4", "hours"), ("2", "ttr", "service_request", "15", "hours")]
    notes = "\n".join(made["itop-slts"].notes)
    assert "0.5 minutes is not a whole number of minutes" in notes and "`Sev-1` names none of them" in notes
    offerings = rows(made["servicenow-offerings"].text)
    assert offerings[0]["parent"] == "'" + FORMULA_TITLE  # as the service's own name cell writes it
    assert offerings[0]["name"] == "'" + FORMULA_TITLE + " - =1+1"
    sn = {r["name"]: r for r in rows(made["servicenow-slas"].text)}
    assert sn[f"{SPECIALS_TITLE}: P1 response"]["duration"] == "1970-01-01 00:00:30"
    assert sn[f"{SPECIALS_TITLE}: =SUM(A1) resolution"]["collection"] == "sc_req_item"
    assert sn[f"{SPECIALS_TITLE}: =SUM(A1) resolution"]["duration"] == "1970-01-01 15:00:00"  # 1.5 days of 10 hours
