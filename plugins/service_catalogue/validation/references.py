"""Which fields hold references, and to what.

References are plain ids typed by the field that holds them. This table is
the one place that says so: checks, the linked model and the site read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReferenceField:
    path: str  # "offerings[].agreement": [] walks every item of a list
    kind: str  # the kind of record named
    types: tuple[str, ...] = ()  # allowed Agreement types, when restricted
    relation: str = ""  # how the target relates back, in words

    @property
    def steps(self) -> list[str]:
        return self.path.replace("[]", ".[]").split(".")


REFERENCE_FIELDS: dict[str, tuple[ReferenceField, ...]] = {
    "Service": (
        ReferenceField("owner", "Party", relation="owns"),
        ReferenceField("consumers[]", "Party", relation="consumes"),
        ReferenceField("offerings[].agreement", "Agreement", ("SLA",), relation="backs offering of"),
        ReferenceField("support.hours", "Calendar", relation="support hours of"),
        ReferenceField("depends_on[].service", "Service", relation="needed by"),
    ),
    "Agreement": (
        ReferenceField("provider", "Party", relation="provider of"),
        ReferenceField("customer", "Party", relation="customer of"),
        ReferenceField("services[]", "Service", relation="covered by"),
        ReferenceField("hours", "Calendar", relation="service hours of"),
        ReferenceField("priorities[].hours", "Calendar", relation="priority hours of"),
        ReferenceField("metrics[].hours", "Calendar", relation="metric hours of"),
        ReferenceField("reporting.recipients[]", "Party", relation="receives reports of"),
        ReferenceField("escalation[].party", "Party", relation="escalation contact of"),
        ReferenceField("stakeholders[].party", "Party", relation="stakeholder of"),
        ReferenceField("approvals[].party", "Party", relation="approver of"),
        ReferenceField("underpinned_by[]", "Agreement", ("OLA", "UC"), relation="underpins"),
        ReferenceField("supersedes", "Agreement", relation="superseded by"),
        ReferenceField("references[].agreement", "Agreement", relation="referenced by"),
    ),
    "Party": (ReferenceField("parent", "Party", relation="parent of"),),
    "Term": (ReferenceField("see_also[]", "Term", relation="see also from"),),
    "Calendar": (ReferenceField("holidays_from[]", "Calendar", relation="lends its holidays to"),),
}


def walk(data, steps, path=()):
    """Yield (path, value) for every value a reference path reaches."""
    if not steps:
        yield path, data
        return
    step, rest = steps[0], steps[1:]
    if step == "[]":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from walk(item, rest, path + (index,))
    elif isinstance(data, dict) and step in data:
        yield from walk(data[step], rest, path + (step,))


def references_of(kind: str, data: dict):
    """Yield (ReferenceField, path, target id) for every reference in a record."""
    for field in REFERENCE_FIELDS.get(kind, ()):
        for path, value in walk(data, field.steps):
            if isinstance(value, str):
                yield field, path, value


def record_references(record) -> tuple:
    """references_of a loaded record, found once: the checks and the model both ask."""
    if record.references is None:
        record.references = tuple(references_of(record.kind, record.data))
    return record.references
