"""Commented skeleton records written by `service-catalogue new`."""

from __future__ import annotations

from pathlib import Path

from service_catalogue.kinds import KIND_BY_NAME, KINDS
from service_catalogue.scaffolding import local_schema_reference
from service_catalogue.validation.schemas import SCHEMA_BASE_URL

FOLDERS = {kind.name: kind.folder for kind in KINDS}  # by kind: the folder of the catalogue that new writes into

_BODIES = {
    "Service": """\
type: customer-facing          # customer-facing | supporting
status: pipeline               # pipeline | live | retired
category: General
owner: {owner}                 # the Party accountable for the service
summary: One line that says what the service does for its users.
description: |
  What the service is, who it is for and what it is not.
# consumers: [all-staff]
# offerings:
#   - {{id: standard, title: Standard, agreement: sla-{id}}}
# requests:
#   - {{id: access, title: Request access, fulfilment: 1d, approval: true}}
# support:
#   hours: business-hours
#   channels:
#     - {{type: portal, contact: "https://help.example.org"}}
# depends_on:
#   - {{service: identity, criticality: hard}}
# cost: {{model: included}}
# tags: [general]
""",
    "Agreement": """\
type: SLA                      # SLA | OLA | UC
status: draft                  # draft | active | expired | terminated | superseded
version: "0.1"
provider: {owner}              # Party id
customer: {owner}              # Party id
services: [{service}]          # Service ids
period: {{start: {today}}}       # add end: YYYY-MM-DD for a fixed term
hours: {calendar}              # Calendar id: when the clock runs
summary: One line that says what this agreement promises.
# availability: {{target: 99.5, window: month}}
# priorities:
#   - {{id: P1, description: Service unavailable for everyone, response: 30m, resolution: 4h}}
#   - {{id: P2, description: A group of users is affected, response: 2h, resolution: 1d}}
# review: {{frequency: annual, next: YYYY-MM-DD}}
# underpinned_by: []           # OLA or UC ids
""",
    "Party": """\
type: team                     # team | department | supplier | customer
summary: One line that says who this is.
# parent: it-services
# contacts:
#   - {{name: Jane Doe, role: Team lead, email: jane.doe@example.org}}
""",
    "Calendar": """\
timezone: Europe/London        # an IANA time zone name
summary: When the clock runs.
weekly:
  - {{days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00"}}
# holidays:
#   - {{date: 2027-01-01, title: New Year's Day}}
# For 24x7, replace weekly and holidays with:  always: true
""",
    "Term": """\
summary: A one-line definition, shown as a tooltip.
definition: |
  The full definition, in Markdown.
# abbreviation: ABC
# aliases: [other spelling, plural form]
# see_also: []
# source: Where the definition comes from
""",
}


def skeleton(kind: str, record_id: str, today: str, owner="it-services", service="my-service", calendar="business-hours",
             schema: str | None = None) -> str:
    """schema: where the `$schema` comment points (a local copy); default the schema's $id URL."""
    words = [w.upper() if w in ("sla", "ola", "uc", "it", "hr") else w for w in record_id.split("-")]
    title = " ".join(words)
    title = title[:1].upper() + title[1:]
    head = (
        f"# yaml-language-server: $schema={schema or SCHEMA_BASE_URL + KIND_BY_NAME[kind].schema_file}\n"
        f"apiVersion: catalogue/v1\nkind: {kind}\nid: {record_id}\ntitle: {title}\n"
    )
    body = _BODIES[kind].format(id=record_id, owner=owner, service=service, calendar=calendar, today=today)
    return head + _align_comments(body)


def _align_comments(text: str, column: int = 31) -> str:
    """Line up trailing comments again after placeholders were filled in."""
    lines = []
    for line in text.splitlines():
        code, sep, comment = line.partition("  # ")
        if sep and code.strip() and not code.lstrip().startswith("#"):
            line = f"{code.rstrip():<{column - 1}} # {comment}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def record_path(catalogue: Path, kind: str, record_id: str) -> Path:
    """Where a new record of kind goes: the conventional sub-folder of the catalogue."""
    return Path(catalogue) / KIND_BY_NAME[kind].folder / f"{record_id}.yaml"


def write_skeleton(target: Path, kind: str, record_id: str, today: str) -> None:
    """Write the skeleton record to target (made by record_path), its folders too.

    Never overwrites: FileExistsError when target exists (or a file stands where a
    folder must be); any other OSError when it cannot be written. The `$schema`
    comment points at the repository's local copy of the schema if it has one.
    """
    text = skeleton(kind, record_id, today, schema=local_schema_reference(target, kind))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(text)
