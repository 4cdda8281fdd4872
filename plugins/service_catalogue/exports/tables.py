"""CSV tables for import tools, with the report's own cell escape.

Every cell goes through report.csv.cell, the one CSV escape of the package: a cell
that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, a tab or a carriage
return first) gets a `'` before it. A name is written the same way wherever it is
referenced (a parent, a link set), so the references still find the object that the
import made from that escaped name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from service_catalogue.report.csv import cell


def table(columns: Sequence[str], rows: Iterable[dict]) -> str:
    """A header row of the columns, then one row per dict (a missing key: an empty cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in columns])
    return out.getvalue()


def as_written(name: str) -> str:
    """A name as its own cell writes it: for references to it inside other cells."""
    return cell(name)
