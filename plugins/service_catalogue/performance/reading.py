"""Reading an export: its columns as Arrow arrays, its times as UTC seconds, and every bad
row told where it is.

A million-row export is read by pyarrow's CSV and JSON readers (columnar, in C++),
and its times parsed by pyarrow's strptime, never row by row in Python: a ticket
report reads several times per row, and Python's own parsing of a million of them
is most of a minute. A row's number is the one a spreadsheet shows (the header is
row 1), which is its line in an export with no line breaks inside a value.
"""

from __future__ import annotations

import csv
import json
import zoneinfo
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from service_catalogue.performance.inputs import Source, key_at
from service_catalogue.performance.presets import WITHOUT_COLUMN
from service_catalogue.servicetime import utc_of_local_many
from service_catalogue.validation.problems import Location, Problem

# Of each kind of mistake in one file, this many rows are told one by one; the rest are
# counted in one more message, so a wrong mapping does not print a million lines.
SHOWN_PER_KIND = 10


@dataclass
class Column:
    name: str  # the header, as the export writes it
    position: int  # 1-based, as a spreadsheet's columns are counted
    values: pa.Array  # text, "" where the cell is empty


@dataclass
class RowProblems:
    """The bad rows of one file: which, and a located message for each (up to SHOWN_PER_KIND
    of a kind, and a count of the rest)."""

    source: Source
    rows: np.ndarray  # the row number of each row read
    bad: np.ndarray  # per row: True once a problem is found in it
    problems: list[Problem] = field(default_factory=list)
    _counts: dict[str, int] = field(default_factory=dict)
    # rows that could not be read at all (a line that is not JSON): told once, checked no further
    unreadable: np.ndarray | None = None

    def add(self, code: str, where: np.ndarray, column: Column | None, message, hint: str = "",
            severity: str = "error") -> None:
        """A problem in each row where `where` holds; message(i) is the message of row i
        (an index into the rows read), so that only the rows shown are written out."""
        if self.unreadable is not None:
            where = where & ~self.unreadable
        indexes = np.flatnonzero(where)
        if not len(indexes):
            return
        if severity == "error":
            self.bad[indexes] = True
        shown = self._counts.get(code, 0)
        for index in indexes[: max(0, SHOWN_PER_KIND - shown)]:
            self.problems.append(self._problem(code, int(self.rows[index]), column, message(int(index)), hint, severity))
        self._counts[code] = shown + len(indexes)

    def add_file(self, code: str, message: str, column_position: int = 1, hint: str = "", line: int = 1) -> None:
        """A problem of the whole file (its header, its format)."""
        self.problems.append(Problem(Location(str(self.source.path), line, column_position), code, message,
                                     field=self.source.where, hint=hint))

    def finish(self) -> None:
        """The count of each kind's rows that were not shown."""
        for code, count in self._counts.items():
            if count > SHOWN_PER_KIND:
                first = next(p for p in self.problems if p.code == code)
                self.problems.append(Problem(
                    first.location, code,
                    f"{count - SHOWN_PER_KIND:,} more rows like row {first.location.line} ({count:,} in all)",
                    field=first.field, severity=first.severity))

    def _problem(self, code, row, column, message, hint, severity) -> Problem:
        where = column.position if column is not None else 1
        named = f"column `{column.name}`: " if column is not None else ""
        return Problem(Location(str(self.source.path), row, where), code, named + message,
                       hint=hint, severity=severity)


@dataclass
class Table:
    """The columns a mapping names, as read from one file."""

    source: Source
    columns: dict[str, Column]  # field -> its column
    length: int
    problems: RowProblems

    def text(self, name: str) -> pa.Array | None:
        column = self.columns.get(name)
        return column.values if column is not None else None


class UnreadableFile(Exception):
    """The file cannot be read at all: the message says why."""


def read_table(source: Source, fields: tuple[str, ...], required: tuple[str, ...]) -> Table:
    """The columns of the fields the source maps, as text. A mapped column that the file
    lacks is a problem at its header (row 1); without a required one no row can be read."""
    column_of = {name: column for name, column in source.column_of.items() if name in fields}
    try:
        headers, arrays, bad_lines = (_read_csv if source.format == "csv" else _read_jsonl)(source, set(column_of.values()))
    except UnreadableFile as error:
        problems = RowProblems(source, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool))
        problems.add_file("data.file", str(error))
        return Table(source, {}, 0, problems)
    length = len(next(iter(arrays.values()))) if arrays else 0
    offset = 2 if source.format == "csv" else 1
    problems = RowProblems(source, np.arange(offset, offset + length, dtype=np.int64), np.zeros(length, dtype=bool))
    if bad_lines:
        told = dict(bad_lines)
        unreadable = np.isin(problems.rows, list(told))
        problems.add("data.line", unreadable, None, lambda i: told[int(problems.rows[i])])
        problems.unreadable = unreadable
    columns = {}
    from service_catalogue.validation.schemas import did_you_mean

    for name, header in column_of.items():
        if header in arrays:
            columns[name] = Column(header, headers.index(header) + 1, arrays[header])
            continue
        if name not in required and name not in source.mapped and source.preset == "generic":
            continue  # the generic layout names every field; a file has the columns it has
        severity = "error" if name in required else "warning"
        consequence = "no row can be read" if name in required else WITHOUT_COLUMN.get(name, f"{name} is not read")
        # Whose ticket it is: the agreement column, or the service and customer; without both, no one's.
        other = {"agreement": "service", "service": "agreement"}.get(name)
        service_missing = "service" not in dict(source.constants) and column_of.get("service") not in arrays
        if name == "customer" and service_missing:
            continue  # without a service the customer says nothing: the service's message tells it
        if other is not None and other not in dict(source.constants) and column_of.get(other) not in arrays:
            consequence = f"nor is there one for the {other}: no row says whose ticket it is"
        problems.problems.append(Problem(
            Location(str(source.path), 1, 1), "data.column",
            f"no column `{header}` for {name}: {consequence}",
            field=key_at(source.where, f"columns.{name}"),
            hint=" ".join(filter(None, [did_you_mean(header, headers),
                                        f"the columns are {', '.join(f'`{h}`' for h in headers[:40])}"
                                        + (" ..." if len(headers) > 40 else "")])),
            severity=severity))  # type: ignore[arg-type]
        if name in required:
            problems.bad[:] = True
    return Table(source, columns, length, problems)


def _read_csv(source: Source, wanted: set[str]) -> tuple[list[str], dict[str, pa.Array], list[tuple[int, str]]]:
    import pyarrow.csv as pcsv

    with open(source.path, encoding="utf-8-sig", newline="") as handle:
        try:
            header = next(csv.reader(handle), None)
        except (csv.Error, UnicodeDecodeError) as error:
            raise UnreadableFile(f"the first row is not a CSV header: {error}") from None
    if not header:
        raise UnreadableFile("the file is empty: a CSV export starts with a row of column names")
    # Exports repeat a header for a field with several values (Jira's Watchers, Labels):
    # the first is the one read, the others are told apart by their position.
    names, seen = [], set()
    for position, name in enumerate(header, 1):
        names.append(name if name not in seen else f"{name} [column {position}]")
        seen.add(name)
    include = [name for name in names if name in wanted]
    try:
        table = pcsv.read_csv(
            source.path,
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, encoding="utf8"),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                include_columns=include, column_types={name: pa.string() for name in include},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise UnreadableFile(f"not a CSV file this tool can read: {_arrow_message(error)}") from None
    except pa.ArrowKeyError:
        table = pa.table({})
    return names, {name: _text(table.column(name)) for name in include}, []


def _read_jsonl(source: Source, wanted: set[str]) -> tuple[list[str], dict[str, pa.Array], list[tuple[int, str]]]:
    """JSON Lines, one object a line. Read by Python's json, as Arrow's reader refuses a whole
    file over one bad line: the bad lines are then told by number."""
    rows: dict[str, list[str]] = {name: [] for name in wanted}
    headers: dict[str, None] = {}
    bad_lines: list[tuple[int, str]] = []
    with open(source.path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                bad_lines.append((number, "an empty line"))
                item: object = {}
            else:
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as error:
                    bad_lines.append((number, f"not JSON ({error.msg} at character {error.colno})"))
                    item = {}
            if not isinstance(item, dict):
                bad_lines.append((number, "not a JSON object"))
                item = {}
            for key in item:
                headers.setdefault(key, None)
            for name in wanted:
                value = item.get(name)
                rows[name].append("" if value is None else value if isinstance(value, str) else json.dumps(value))
    if not headers and bad_lines:
        raise UnreadableFile(f"no line is a JSON object (line {bad_lines[0][0]}: {bad_lines[0][1]})")
    arrays = {name: pa.array(values, type=pa.string()) for name, values in rows.items() if name in headers}
    if not arrays and headers:  # none of the wanted keys: still one (empty) value per line
        arrays = {"": pa.array([""] * len(next(iter(rows.values()), [])), type=pa.string())}
    return list(headers), arrays, bad_lines


def _text(column: pa.ChunkedArray) -> pa.Array:
    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return pc.utf8_trim_whitespace(array)


def _arrow_message(error: Exception) -> str:
    text = str(error).strip().splitlines()[0]
    return text.replace("CSV parse error: ", "")


# -- times ------------------------------------------------------------------------------

_OFFSET_FORMATS = ("%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M%z")


def parse_times(values: pa.Array, formats: tuple[str, ...], time_zone: str) -> tuple[np.ndarray, np.ndarray]:
    """UTC seconds of each value (NaN where empty or unreadable), and where a value was
    written but could not be read. A time with an offset (Z, +01:00) is that instant; one
    without is a wall-clock time in time_zone (see servicetime.utc_of_local_many)."""
    normal = pc.replace_substring_regex(values, pattern=r"^(\d{4}-\d{2}-\d{2})T", replacement=r"\1 ")
    # Seconds' fractions: the clocks count whole minutes, and strptime reads none.
    normal = pc.replace_substring_regex(normal, pattern=r"(\d{1,2}:\d{2}(?::\d{2})?)[.,]\d+", replacement=r"\1")
    normal = pc.replace_substring_regex(normal, pattern=r"(\d) (Z|[+-]\d{2}:?\d{2})$", replacement=r"\1\2")
    aware = _first_parsed(normal, _OFFSET_FORMATS)
    naive = _first_parsed(normal, formats)
    seconds = np.full(len(values), np.nan)
    if aware is not None:
        seconds = np.where(np.isnan(seconds), _seconds(aware), seconds)
    if naive is not None:
        local = _seconds(naive)
        unset = np.isnan(seconds) & ~np.isnan(local)
        if unset.any():
            seconds[unset] = utc_of_local_many(zoneinfo.ZoneInfo(time_zone), local[unset])
    empty = pc.equal(values, "").to_numpy(zero_copy_only=False)
    return seconds, ~empty & np.isnan(seconds)


def _first_parsed(values: pa.Array, formats: tuple[str, ...]) -> pa.Array | None:
    found = None
    for fmt in formats:
        parsed = pc.strptime(values, format=fmt, unit="s", error_is_null=True)
        found = parsed if found is None else pc.coalesce(found, parsed)
    return found


def _seconds(times: pa.Array) -> np.ndarray:
    numbers = pc.cast(times.cast(pa.timestamp("s")), pa.int64())
    return numbers.to_numpy(zero_copy_only=False).astype(np.float64)  # nulls become NaN


def iso(seconds: float, zone: str | None = None) -> str:
    """A UTC second as the message writes it: 2026-03-02 10:15 in the zone (with its offset)."""
    import datetime as dt

    instant = dt.datetime.fromtimestamp(float(seconds), dt.timezone.utc)
    if zone:
        instant = instant.astimezone(zoneinfo.ZoneInfo(zone))
    if not zone:
        return instant.strftime("%Y-%m-%d %H:%M UTC")
    offset = instant.strftime("%z")
    return f"{instant:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def codes(values: pa.Array) -> tuple[np.ndarray, list[str]]:
    """Each value's index into the distinct values, and those values: a million rows name
    a few hundred services, each resolved once."""
    encoded = pc.dictionary_encode(values)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()


__all__ = ["Column", "RowProblems", "Table", "codes", "iso", "parse_times", "read_table"]
