"""A comparison: the two sides of a diff and the judged changes between them, as reports read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from service_catalogue.diff.compare import ChangeStatus, FieldChange, RecordChange
from service_catalogue.diff.rules import Verdict
from service_catalogue.diff.sources import Side
from service_catalogue.validation.problems import Problem


@dataclass
class Comparison:
    base: Side
    head: Side
    changes: list[RecordChange]
    problems: list[Problem]  # HEAD's validation errors; when there are any, changes is empty

    @property
    def valid(self) -> bool:
        return self.head.validation.ok

    @property
    def field_changes(self) -> list[FieldChange]:
        return [field for record in self.changes for field in record.fields]

    def count(self, verdict: Verdict) -> int:
        return sum(1 for change in self.field_changes if change.verdict == verdict)

    def count_records(self, *, status: ChangeStatus | Literal[""] = "", verdict: Verdict | Literal[""] = "") -> int:
        """The changed records, of one status or class or both; "" counts any."""
        return sum(
            1 for record in self.changes
            if (not status or record.status == status) and (not verdict or record.verdict == verdict)
        )
