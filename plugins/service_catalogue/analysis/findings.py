"""A finding: something in a valid catalogue that a service level manager should look at.

Findings are not errors: the catalogue is well-formed, but its numbers or its
lifecycle do not add up. Each finding names the rule that found it (a stable
id), the records involved (the first is the subject: the record to change) and
where they are (file:line:column), reusing the Location of validation problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from service_catalogue.validation.problems import Location, Problem, Severity


@dataclass(frozen=True)
class Finding:
    rule: str  # stable rule id, e.g. "chain.resolution-faster-than-underpinning"
    message: str  # plain words, with the numbers
    entities: tuple  # the records involved (model entities); entities[0] is the subject
    location: Location  # the subject's node the finding is about
    field: str = ""  # the subject's field path, e.g. "priorities[0].resolution"
    related: tuple[Location, ...] = ()  # the other records' nodes
    severity: Severity = "warning"

    @property
    def subject(self):
        return self.entities[0]

    def sort_key(self):
        return (self.location.file, self.location.line, self.location.column, self.rule, self.message)

    def to_problem(self) -> Problem:
        """The same finding as a validation Problem, which the text writer writes alike."""
        return Problem(
            self.location,
            self.rule,
            self.message,
            field=self.field,
            record=self.subject.record.label,
            severity=self.severity,
            related=self.related,
        )
