"""A finding: something in a valid catalogue that a service level manager should look at.

Findings are not errors: the catalogue is well-formed, but its numbers or its
lifecycle do not add up. Each finding names the rule that found it (a stable
id), the records involved (the first is the subject: the record to change) and
where they are (file:line:column), reusing the Location of validation problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from service_catalogue.validation.problems import Location, Problem

# Active agreements ending within this many days are reported (term.ending-soon).


@dataclass(frozen=True)
class Finding:
    rule: str  # stable rule id, e.g. "chain.resolution-faster-than-underpinning"
    message: str  # plain words, with the numbers
    entities: tuple  # the records involved (model entities); entities[0] is the subject
    location: Location  # the subject's node the finding is about
    field: str = ""  # the subject's field path, e.g. "priorities[0].resolution"
    related: tuple[Location, ...] = ()  # the other records' nodes
    severity: str = "warning"

    @property
    def subject(self):
        return self.entities[0]

    @property
    def others(self) -> tuple:
        return self.entities[1:]

    @property
    def locations(self) -> tuple[Location, ...]:
        return (self.location, *self.related)

    def involves(self, entity) -> bool:
        return any(e is entity for e in self.entities)

    def sort_key(self):
        return (self.location.file, self.location.line, self.location.column, self.rule, self.message)

    def to_problem(self) -> Problem:
        """The same finding as a validation Problem, for the shared text formatter."""
        return Problem(
            self.location,
            self.rule,
            self.message,
            field=self.field,
            record=self.subject.record.label,
            severity=self.severity,
            related=self.related,
        )

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "field": self.field,
            "record": {"kind": self.subject.kind, "id": self.subject.id},
            "records": [
                {"kind": e.kind, "id": e.id, "file": e.record.file, "line": e.record.location().line}
                for e in self.entities
            ],
            "related": [{"file": r.file, "line": r.line, "column": r.column} for r in self.related],
        }
