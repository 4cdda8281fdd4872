"""What every writer is: one output format, for the subjects it can write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from service_catalogue.analysis.findings import Finding
from service_catalogue.diff.comparison import Comparison
from service_catalogue.validation.problems import Problem

if TYPE_CHECKING:  # the report stage imports pyarrow: not for `validate`
    from service_catalogue.performance.measure import PerformanceReport

SUBJECTS = ("problems", "findings", "changes", "performance")


class Writer:
    """An output format. Each method returns the text a command prints (print adds the last
    line break); a writer defines the methods of the subjects in its `writes`."""

    name: ClassVar[str]
    writes: ClassVar[tuple[str, ...]]

    def problems(self, problems: Sequence[Problem], records: int | None = None) -> str:
        """Validation problems, and the summary; records: how many records were read."""
        raise NotImplementedError

    def findings(self, findings: Sequence[Finding], records: int | None = None, as_of: dt.date | None = None) -> str:
        """Service level findings, and the summary; as_of: the date they were found for."""
        raise NotImplementedError

    def changes(self, comparison: Comparison) -> str:
        """A diff: the judged changes, or HEAD's problems when it does not validate."""
        raise NotImplementedError

    def performance(self, report: "PerformanceReport") -> str:
        """A service level report: each agreement's figures, window by window, and the bad rows."""
        raise NotImplementedError
