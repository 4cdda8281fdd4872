"""The schema files, checked by an independent validator (check-jsonschema).

The metaschema check proves the schemas are valid Draft 2020-12; the
differential test proves that what check-jsonschema rejects, our `validate`
rejects too (and that a valid record passes both), so editors using the
published schemas and the CLI agree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from helpers.catalogue_builder import AGREEMENT, CALENDAR, SERVICE, TERM, dedent, json_report, replace, validate, write_catalogue
from service_catalogue.model import AgreementStatus, ServiceStatus
from service_catalogue.validation.schemas import SCHEMA_BASE_URL

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.json"))


def check_jsonschema() -> str:
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert found, "check-jsonschema is not installed next to the test interpreter (pip install -e .[test])"
    return found


def run_check_jsonschema(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [check_jsonschema(), "--color", "never", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_there_are_schemas():
    names = {path.name for path in SCHEMA_FILES}
    assert {"defs.json", "record.json", "service.json", "agreement.json", "party.json", "calendar.json", "term.json"} <= names


@pytest.mark.parametrize(("schema", "status_type"), [("agreement.json", AgreementStatus), ("service.json", ServiceStatus)])
def test_the_models_status_types_are_the_schemas_enums(schema, status_type):
    """The Literal the type checker holds the code to is the lifecycle a record may write."""
    enum = json.loads((SCHEMA_DIR / schema).read_text("utf-8"))["properties"]["status"]["enum"]
    assert typing.get_args(status_type) == tuple(enum)


def test_every_schema_passes_the_metaschema():
    proc = run_check_jsonschema("--check-metaschema", *map(str, SCHEMA_FILES))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok -- validation done" in proc.stdout


def _walk_properties(node, where=""):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{where}/properties/{name}", sub
        for key, value in node.items():
            if key != "if":  # an `if` only tests a value; its properties are not fields of their own
                yield from _walk_properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk_properties(item, f"{where}/{index}")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_ids_are_stable_and_every_property_is_described(path):
    schema = json.loads(path.read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_BASE_URL + path.name
    undescribed = [
        where
        for where, sub in _walk_properties(schema)
        if isinstance(sub, dict) and not (sub.get("description") or "").strip()
    ]
    assert undescribed == []


# Each bad record is a single YAML document; it is valid except for the one mistake named.
PARTY = "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\n"
BAD_RECORDS = {
    "party-bad-enum": ("party", replace(PARTY, "type: team", "type: teem")),
    "party-wrong-type": ("party", replace(PARTY, "type: team", "type: [team]")),
    "party-unknown-key": ("party", PARTY + "colour: red\n"),
    "party-bad-id-pattern": ("party", replace(PARTY, "id: helpdesk", "id: Help_Desk")),
    "party-bad-email": ("party", PARTY + "contacts:\n  - {name: Jo, role: Lead, email: not-an-email}\n"),
    "party-missing-type": ("party", replace(PARTY, "type: team\n", "")),
    "service-bad-duration": ("service", replace(SERVICE, "fulfilment: 1d", "fulfilment: 2 days")),
    "service-approval-not-boolean": ("service", replace(SERVICE, "approval: false", "approval: maybe")),
    "service-javascript-url": ("service", SERVICE + "links:\n  - {title: Click, url: 'javascript:alert(1)'}\n"),
    "service-unknown-key-in-item": ("service", replace(SERVICE, "title: New mailbox", "titel: New mailbox")),
    "agreement-percent-over-100": ("agreement", AGREEMENT + "availability: {target: 120, window: month}\n"),
    "agreement-no-services": ("agreement", replace(AGREEMENT, "services: [email]", "services: []")),
    "agreement-bad-type": ("agreement", replace(AGREEMENT, "type: SLA", "type: sla")),
    "calendar-bad-time": ("calendar", replace(CALENDAR, 'from: "08:00"', 'from: "8:00"')),
    "calendar-always-with-weekly": ("calendar", CALENDAR + "always: true\n"),
    "calendar-bad-weekday": ("calendar", replace(CALENDAR, "[mon, tue,", "[monday, tue,")),
    "term-no-definition": ("term", replace(TERM, "definition: An agreement between a service provider and a customer.\n", "")),
    "term-bad-api-version": ("term", replace(TERM, "catalogue/v1", "catalogue/v2")),
}
GOOD_RECORDS = {
    "party": ("party", PARTY),
    "service": ("service", SERVICE),
    "agreement": ("agreement", AGREEMENT),
    "calendar": ("calendar", CALENDAR),
    "term": ("term", TERM),
    "rich-service": (
        "service",
        SERVICE
        + dedent(
            """
            summary: Mail and calendars for staff.
            tags: [email, end-user]
            links:
              - {title: Help, url: "https://help.example.org/email"}
              - {title: Write to us, url: "mailto:help@example.org"}
            contacts:
              - {name: Jo Bloggs, role: Service owner, email: jo@example.org}
            consumers: [all-staff]
            support:
              hours: business-hours
              channels:
                - {type: email, contact: help@example.org}
            cost: {model: included}
            available_from: 2020-01-01
            """
        ),
    ),
}


# Where our run puts the record: over the base record of its kind, or (a Party) beside
# the base parties, which the other records name.
FILE_FOR_KIND = {
    "party": "parties/helpdesk.yaml",
    "service": "services/email.yaml",
    "agreement": "agreements/sla-email.yaml",
    "calendar": "calendars/business-hours.yaml",
    "term": "glossary/sla.yaml",
}


def _external_verdict(tmp_path: Path, kind: str, text: str) -> subprocess.CompletedProcess:
    instance = tmp_path / "instance.yaml"
    instance.write_text(text, encoding="utf-8")
    # --base-uri resolves the schemas' relative $refs (defs.json) from the local folder, not the web.
    return run_check_jsonschema(
        "--base-uri", SCHEMA_DIR.as_uri() + "/", "--schemafile", str(SCHEMA_DIR / f"{kind}.json"), str(instance)
    )


@pytest.mark.parametrize("name", BAD_RECORDS)
def test_what_check_jsonschema_rejects_validate_rejects(tmp_path, name):
    kind, text = BAD_RECORDS[name]
    external = _external_verdict(tmp_path, kind, text)
    assert external.returncode == 1, f"check-jsonschema accepted {name}:\n{external.stdout}{external.stderr}"
    assert "Schema validation errors were encountered" in external.stdout

    filename = FILE_FOR_KIND[kind]
    write_catalogue(tmp_path / "ours", {filename: text})
    proc = validate(tmp_path / "ours", "--format", "json")
    assert proc.returncode == 1, proc.stdout
    report = json_report(proc)
    ours = [p for p in report["problems"] if p["file"] == f"catalogue/{filename}"]
    assert ours, report
    assert all(p["code"].startswith(("schema.", "record.")) for p in ours), ours


@pytest.mark.parametrize("name", GOOD_RECORDS)
def test_a_valid_record_passes_both(tmp_path, name):
    kind, text = GOOD_RECORDS[name]
    external = _external_verdict(tmp_path, kind, text)
    assert external.returncode == 0, external.stdout + external.stderr
    filename = FILE_FOR_KIND[kind]
    write_catalogue(tmp_path / "ours", {filename: text})
    proc = validate(tmp_path / "ours", "--format", "json")
    assert proc.returncode == 0, proc.stdout
    assert json_report(proc)["valid"] is True
