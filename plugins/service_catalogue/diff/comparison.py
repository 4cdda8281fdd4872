"""A comparison: the two sides of a diff and the judged changes between them, as reports read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from service_catalogue.diff.compare import ChangeStatus, FieldChange, RecordChange
from service_catalogue.diff.rules import Verdict
from service_catalogue.diff.sources import Side
from service_catalogue.diff.windows import WindowChange, WindowStatus
from service_catalogue.validation.problems import Problem


@dataclass
class Comparison:
    base: Side
    head: Side
    changes: list[RecordChange]
    problems: list[Problem]  # HEAD's validation errors; when there are any, changes is empty
    windows: list[WindowChange] = field(default_factory=list)  # breach windows opened, closed or moved
    as_of: dt.date | None = None  # the date the windows were searched from; None: not searched

    @property
    def valid(self) -> bool:
        return self.head.validation.ok

    @property
    def field_changes(self) -> list[FieldChange]:
        return [field for record in self.changes for field in record.fields]

    def count(self, verdict: Verdict) -> int:
        """The field changes of one class (the breach windows are counted apart: count_windows)."""
        return sum(1 for change in self.field_changes if change.verdict == verdict)

    def count_windows(self, *, status: WindowStatus | Literal[""] = "", verdict: Verdict | Literal[""] = "") -> int:
        """The breach windows opened, closed or moved, of one status or class or both; "" counts any."""
        return sum(
            1 for window in self.windows
            if (not status or window.status == status) and (not verdict or window.verdict == verdict)
        )

    def count_records(self, *, status: ChangeStatus | Literal[""] = "", verdict: Verdict | Literal[""] = "") -> int:
        """The changed records, of one status or class or both; "" counts any."""
        return sum(
            1 for record in self.changes
            if (not status or record.status == status) and (not verdict or record.verdict == verdict)
        )
