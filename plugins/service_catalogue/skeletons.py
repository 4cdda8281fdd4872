"""Commented skeleton records written by `service-catalogue new`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from service_catalogue.kinds import KIND_BY_NAME, KINDS
from service_catalogue.scaffolding import local_schema_reference
from service_catalogue.validation.schemas import SCHEMA_BASE_URL

FOLDERS = {kind.name: kind.folder for kind in KINDS}  # by kind: the folder of the catalogue that new writes into



def placeholder(kind: str) -> str:
    """The id a skeleton names when the catalogue has no record of that kind (my-party): valid
    for the schema, so the file parses, and `validate` then says what is missing."""
    return f"my-{kind.lower()}"


# The agreement type an id's prefix names, as in the example catalogue: sla-email, uc-acme.
TYPE_BY_PREFIX = {"sla": "SLA", "ola": "OLA", "uc": "UC"}
_UPPER_WORDS = ("sla", "ola", "uc", "it", "hr")

_BODIES = {
    "Service": """\
type: customer-facing          # customer-facing | supporting
status: pipeline               # pipeline | live | retired
category: General
owner: {owner}  # the Party accountable for the service{owner_note}
summary: One line that says what the service does for its users.
description: |
  What the service is, who it is for and what it is not.
# consumers: [{customer}]
# offerings:
#   - {{id: standard, title: Standard, agreement: sla-{id}}}  # an SLA id
# requests:
#   - {{id: access, title: Request access, fulfilment: 1d, approval: true}}
# support:
#   hours: {calendar}  # a Calendar id
#   channels:
#     - {{type: portal, contact: "https://help.example.org"}}
# depends_on:
#   - {{service: {service}, criticality: hard}}  # a Service id
# cost: {{model: included}}
# tags: [general]
""",
    "Agreement": """\
type: {agreement_type}  # SLA | OLA | UC
status: draft                  # draft | active | expired | terminated | superseded
version: "0.1"
provider: {provider}  # Party id{provider_note}
customer: {customer}  # Party id{customer_note}
services: [{service}]  # Service ids{service_note}
period: {{start: {today}}}  # add end: YYYY-MM-DD for a fixed term
hours: {calendar}  # Calendar id: when the clock runs{calendar_note}
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
# parent: {parent}  # a Party id
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


@dataclass(frozen=True)
class Existing:
    """The records of the target catalogue a skeleton may name, by kind: (id, Party type)."""

    parties: tuple[tuple[str, str], ...] = ()
    services: tuple[str, ...] = ()
    calendars: tuple[str, ...] = ()

    @classmethod
    def of(cls, records) -> "Existing":
        """From the loaded records (validation.loader.Record), each kind in id order."""
        parties, services, calendars = [], [], []
        for record in records:
            if record.kind == "Party":
                parties.append((record.id, str(record.data.get("type", ""))))
            elif record.kind == "Service":
                services.append(record.id)
            elif record.kind == "Calendar":
                calendars.append(record.id)
        return cls(tuple(sorted(parties)), tuple(sorted(services)), tuple(sorted(calendars)))

    def party(self, *types: str, other_than: str = "") -> str | None:
        """The first party of the first of these types there is (any party, else), other than one."""
        for wanted in (*types, None):
            for party_id, party_type in self.parties:
                if party_id != other_than and (wanted is None or party_type == wanted):
                    return party_id
        return None


def _reference(found: str | None, kind: str) -> tuple[str, str]:
    """(the id to write, the comment's addition): a placeholder says what to fill in."""
    if found is not None:
        return found, ""
    return placeholder(kind), f"; the catalogue has no {kind} yet: write one (service-catalogue new {kind} ID) and name it here"


def agreement_type(record_id: str) -> str:
    """SLA, OLA or UC by the id's prefix (uc-acme: UC); SLA when it has none."""
    return TYPE_BY_PREFIX.get(record_id.split("-", 1)[0], "SLA")


def skeleton_title(kind: str, record_id: str) -> str:
    """A title from the id: "Email calendar"; an agreement's names its type last ("Acme UC")."""
    words = record_id.split("-")
    suffix = ""
    if kind == "Agreement" and words[0] in TYPE_BY_PREFIX and len(words) > 1:
        suffix = f" {TYPE_BY_PREFIX[words[0]]}"
        words = words[1:]
    title = " ".join(w.upper() if w in _UPPER_WORDS else w for w in words)
    return title[:1].upper() + title[1:] + suffix


def skeleton(kind: str, record_id: str, today: str, existing: Existing = Existing(), schema: str | None = None) -> str:
    """The skeleton record; its references name records of `existing` (the target catalogue)
    where it has them, placeholders with a comment saying what to fill in where not.
    schema: where the `$schema` comment points (a local copy); default the schema's $id URL."""
    head = (
        f"# yaml-language-server: $schema={schema or SCHEMA_BASE_URL + KIND_BY_NAME[kind].schema_file}\n"
        f"apiVersion: catalogue/v1\nkind: {kind}\nid: {record_id}\ntitle: {skeleton_title(kind, record_id)}\n"
    )
    kind_of_agreement = agreement_type(record_id)
    # Who provides and who receives, as each type of agreement has them.
    provider_types = ("supplier",) if kind_of_agreement == "UC" else ("team", "department")
    customer_types = ("customer", "department") if kind_of_agreement == "SLA" else ("department", "team")
    owner, owner_note = _reference(existing.party("team", "department"), "Party")
    provider, provider_note = _reference(existing.party(*provider_types), "Party")
    customer, customer_note = _reference(existing.party(*customer_types, other_than=provider), "Party")
    service, service_note = _reference(existing.services[0] if existing.services else None, "Service")
    calendar, calendar_note = _reference(existing.calendars[0] if existing.calendars else None, "Calendar")
    body = _BODIES[kind].format(
        id=record_id, today=today, agreement_type=kind_of_agreement,
        owner=owner, owner_note=owner_note, provider=provider, provider_note=provider_note,
        customer=customer, customer_note=customer_note, service=service, service_note=service_note,
        calendar=calendar, calendar_note=calendar_note, parent=existing.party("department") or placeholder("Party"),
    )
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


def write_skeleton(target: Path, kind: str, record_id: str, today: str, existing: Existing = Existing()) -> None:
    """Write the skeleton record to target (made by record_path), its folders too.

    Never overwrites: FileExistsError when target exists (or a file stands where a
    folder must be); any other OSError when it cannot be written. The `$schema`
    comment points at the repository's local copy of the schema if it has one.
    existing: the records of the catalogue it joins, which its references name.
    """
    text = skeleton(kind, record_id, today, existing, schema=local_schema_reference(target, kind))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(text)
