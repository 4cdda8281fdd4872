"""Problems found in a catalogue: what is wrong, and where.

Every problem carries a location (file, line, column) so that an editor, a
terminal or a CI annotation can point at the exact place; the report package
writes them in each output format.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Literal

# An error makes the catalogue invalid (exit code 1, no site); a warning is reported
# and builds on. Validation problems are errors, analysis findings warnings.
Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 1  # 1-based, as editors count
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    location: Location
    code: str  # a stable rule id, e.g. "schema.type", "ref.missing"
    message: str
    field: str = ""  # field path inside the record, e.g. "priorities[1].response"
    record: str = ""  # "Agreement sla-email" when known
    hint: str = ""
    severity: Severity = "error"
    related: tuple[Location, ...] = dataclass_field(default=())
    # The value the hint proposes instead, when it names one (the `resolution` of "did you
    # mean `resolution`?"): code that acts on a hint reads this, never the hint's words.
    suggestion: str | None = None

    def sort_key(self):
        return (self.location.file, self.location.line, self.location.column, self.code)
