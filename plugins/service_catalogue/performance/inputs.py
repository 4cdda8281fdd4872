"""What a report reads: the `reports:` block of mkdocs.yml (or of the file given to
`service-catalogue report --inputs`), checked once into a frozen ReportInputs.

    reports:
      time_zone: Europe/London          # times written without an offset are in this zone
      from: "2026-01-01"                # the first day reported (default: the first ticket's)
      to: "2026-06-30"                  # the last (default: the as-of date)
      tickets:
        - path: exports/incidents.csv
          preset: servicenow-incident   # a column layout of presets.PRESET_BY_NAME
          columns: {customer: u_customer}
          values: {priority: {"1 - Critical": P1}}
      clock_stops:
        - path: exports/on-hold.csv
      outages:
        - path: exports/outages.csv

Paths are relative to the file the block is in. Every mistake in the block is
found at once and reported with its place (`reports.tickets[0].preset`), and
a report with a mistake in its inputs is not made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from service_catalogue.errors import ReportInputError
from service_catalogue.fields import parse_date
from service_catalogue.performance.presets import (
    FIELDS, GENERIC_OUTAGE_COLUMNS, GENERIC_STOP_COLUMNS, OUTAGE_FIELDS, PRESET_BY_NAME, STOP_FIELDS, Preset,
)

SOURCE_KINDS = ("tickets", "clock_stops", "outages")
FORMATS = ("csv", "jsonl")
# A file with more than this share of bad rows stops the report: it is not the export
# the mapping is for, and its few good rows would give a figure nobody can trust.
DEFAULT_MAX_BAD_PERCENT = 50.0
MEASURES = ("response", "resolution")


Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Source:
    """One export file and how to read it."""

    kind: str  # tickets, clock_stops or outages
    path: Path
    where: str  # "reports.tickets[0]": where the block names it, for messages
    format: str  # csv or jsonl
    preset: str
    columns: Pairs  # field -> column, the preset's with the block's over them
    values: tuple[tuple[str, Pairs], ...]  # field -> (value as written -> value meant)
    constants: Pairs
    time_formats: tuple[str, ...]
    time_zone: str
    measures: Pairs  # clock rows (task_sla): the SLA's name -> response or resolution
    # the fields whose column the block names itself: a file without one of those is told so
    mapped: tuple[str, ...] = ()

    @property
    def column_of(self) -> dict[str, str]:
        return dict(self.columns)

    @property
    def value_maps(self) -> dict[str, dict[str, str]]:
        return {name: dict(pairs) for name, pairs in self.values}

    @property
    def layout(self) -> Preset:
        return PRESET_BY_NAME[self.preset]

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class ReportInputs:
    tickets: tuple[Source, ...] = ()
    clock_stops: tuple[Source, ...] = ()
    outages: tuple[Source, ...] = ()
    time_zone: str = "UTC"
    start: dt.date | None = None
    end: dt.date | None = None
    max_bad_percent: float = DEFAULT_MAX_BAD_PERCENT

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.tickets + self.clock_stops + self.outages


_BLOCK_KEYS = ("time_zone", "from", "to", "max_bad_percent", *SOURCE_KINDS)
_SOURCE_KEYS = ("path", "preset", "format", "columns", "values", "constants", "time_formats", "time_zone", "measures")


def read_inputs(block: object, base: Path, where: str = "reports",
                labels: dict[str, list[str]] | None = None, option_of: dict[str, str] | None = None) -> ReportInputs:
    """The inputs a `reports:` block declares, paths made relative to base; ReportInputError
    with every mistake otherwise (a file that does not exist is one). labels and option_of:
    what the command line calls each file and key, for its messages."""
    from service_catalogue.validation.schemas import did_you_mean

    def top(key: str) -> str:
        return option_of[key] if option_of and key in option_of else key_at(where, key)

    mistakes: list[str] = []
    if not isinstance(block, dict):
        raise ReportInputError([f"{where}: expected a mapping with tickets, clock_stops and outages, not {type(block).__name__}"])
    for key in block:
        if key not in _BLOCK_KEYS:
            mistakes.append(f"{top(key)}: not an option of the report inputs{_and(did_you_mean(key, _BLOCK_KEYS))}"
                            f" (the options are {', '.join(_BLOCK_KEYS)})")
    time_zone = _zone(block.get("time_zone", "UTC"), f"{top('time_zone')}", mistakes)
    start = _date(block.get("from"), f"{top('from')}", mistakes)
    end = _date(block.get("to"), f"{top('to')}", mistakes)
    if start and end and end < start:
        mistakes.append(f"{top('to')}: {end} is before {top('from')} ({start})")
    max_bad = block.get("max_bad_percent", DEFAULT_MAX_BAD_PERCENT)
    if isinstance(max_bad, bool) or not isinstance(max_bad, (int, float)) or not 0 <= max_bad <= 100:
        mistakes.append(f"{top('max_bad_percent')}: expected a percentage from 0 to 100, not {max_bad!r}")
        max_bad = DEFAULT_MAX_BAD_PERCENT
    found: dict[str, list[Source]] = {kind: [] for kind in SOURCE_KINDS}
    for kind in SOURCE_KINDS:
        items = block.get(kind) or []
        if isinstance(items, (str, dict)):
            items = [items]
        if not isinstance(items, list):
            mistakes.append(f"{top(kind)}: expected a list of files, not {type(items).__name__}")
            continue
        for index, item in enumerate(items):
            source = _source(kind, item, labels[kind][index] if labels else f"{top(kind)}[{index}]", base, time_zone, mistakes)
            if source is not None:
                found[kind].append(source)
    if block.get("clock_stops") and not block.get("tickets"):
        mistakes.append(f"{top('clock_stops')}: clock stops are of tickets, and no tickets are given")
    if mistakes:
        raise ReportInputError(mistakes)
    return ReportInputs(tuple(found["tickets"]), tuple(found["clock_stops"]), tuple(found["outages"]),
                        time_zone, start, end, float(max_bad))


def key_at(where: str, key: str) -> str:
    """Where a key of a block is: `reports.tickets[0].preset`; on the command line, where
    `where` is an option (`--tickets FILE`), the option and the key."""
    if where.startswith("--"):
        return where if key == "path" else f"{where} ({key})"
    return f"{where}.{key}"


def _and(hint: str) -> str:
    return f"; {hint}" if hint else ""


def _zone(value: object, where: str, mistakes: list[str]) -> str:
    if not isinstance(value, str) or not value:
        mistakes.append(f"{where}: expected an IANA time zone name such as Europe/London, not {value!r}")
        return "UTC"
    from service_catalogue.validation.checks import timezone_hint, valid_timezone

    if not valid_timezone(value):
        hint, _close = timezone_hint(value)
        mistakes.append(f"{where}: `{value}` is not in the time zone database: {hint}")
        return "UTC"
    return value


def _date(value: object, where: str, mistakes: list[str]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    parsed = parse_date(value)
    if parsed is None:
        mistakes.append(f'{where}: expected a date written "YYYY-MM-DD", not {value!r}')
    return parsed


def _pairs(value: object, where: str, mistakes: list[str], keys: tuple[str, ...] | None = None) -> Pairs:
    from service_catalogue.validation.schemas import did_you_mean

    if value is None:
        return ()
    if not isinstance(value, dict):
        mistakes.append(f"{where}: expected a mapping, not {type(value).__name__}")
        return ()
    pairs = []
    for key, meant in value.items():
        key_text = _scalar_text(key)
        if keys is not None and key_text not in keys:
            mistakes.append(f"{key_at(where, key_text)}: not a field{_and(did_you_mean(key_text, keys))}"
                            f" (the fields are {', '.join(keys)})")
            continue
        if meant is None or isinstance(meant, (dict, list)):
            mistakes.append(f"{key_at(where, key_text)}: expected a column name or value, not {meant!r}")
            continue
        pairs.append((key_text, _scalar_text(meant)))
    return tuple(pairs)


def _scalar_text(value: object) -> str:
    """A YAML scalar as the export writes it: true as "true", 1 as "1"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _source(kind: str, item: object, where: str, base: Path, time_zone: str, mistakes: list[str]) -> Source | None:
    from service_catalogue.validation.schemas import did_you_mean

    if isinstance(item, str):
        item = {"path": item}
    if not isinstance(item, dict) or not isinstance(item.get("path"), str) or not item["path"]:
        mistakes.append(f"{where}: expected a file, written as its path or as a mapping with a `path`")
        return None
    before = len(mistakes)
    for key in item:
        if key not in _SOURCE_KEYS:
            mistakes.append(f"{key_at(where, key)}: not an option of a file{_and(did_you_mean(key, _SOURCE_KEYS))}"
                            f" (the options are {', '.join(_SOURCE_KEYS)})")
    path = (base / item["path"]).resolve()
    if not path.is_file():
        mistakes.append(f"{key_at(where, 'path')}: no such file: {path}")
    fmt = item.get("format") or ("jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv")
    if fmt not in FORMATS:
        mistakes.append(f"{key_at(where, 'format')}: expected csv or jsonl, not {fmt!r}")
    if kind == "tickets":
        preset_name = item.get("preset", "generic")
        if preset_name not in PRESET_BY_NAME:
            starting = [name for name in PRESET_BY_NAME if isinstance(preset_name, str) and name.startswith(preset_name)]
            hint = did_you_mean(preset_name, PRESET_BY_NAME) or (f"did you mean `{starting[0]}`?" if len(starting) == 1 else "")
            mistakes.append(f"{key_at(where, 'preset')}: unknown preset `{preset_name}`{_and(hint)}"
                            f" (the presets are {', '.join(PRESET_BY_NAME)})")
            preset_name = "generic"
        preset = PRESET_BY_NAME[preset_name]
        fields: tuple[str, ...] = FIELDS
        defaults = dict(preset.columns)
        if preset.rows == "clocks":
            fields = FIELDS + tuple(preset.clock_columns)
            defaults.update(preset.clock_columns)
        time_formats = preset.time_formats
    else:
        if "preset" in item:
            mistakes.append(f"{key_at(where, 'preset')}: presets are for tickets; give the columns of this file under `columns`")
        preset_name = "generic"
        fields = STOP_FIELDS if kind == "clock_stops" else OUTAGE_FIELDS
        defaults = dict(GENERIC_STOP_COLUMNS if kind == "clock_stops" else GENERIC_OUTAGE_COLUMNS)
        time_formats = PRESET_BY_NAME["generic"].time_formats
    columns = dict(defaults)
    overrides = _pairs(item.get("columns"), f"{key_at(where, 'columns')}", mistakes, fields)
    columns.update(overrides)
    values = []
    raw_values = item.get("values") or {}
    if not isinstance(raw_values, dict):
        mistakes.append(f"{key_at(where, 'values')}: expected a mapping of a field to its values, not {type(raw_values).__name__}")
        raw_values = {}
    for field_name, mapping in raw_values.items():
        if field_name not in fields:
            mistakes.append(f"{key_at(where, 'values.' + field_name)}: not a field{_and(did_you_mean(field_name, fields))}"
                            f" (the fields are {', '.join(fields)})")
            continue
        values.append((field_name, _pairs(mapping, f"{key_at(where, 'values.' + field_name)}", mistakes)))
    constants = dict(preset.constants) if kind == "tickets" else {}
    constants.update(_pairs(item.get("constants"), f"{key_at(where, 'constants')}", mistakes, fields))
    for name in constants:
        columns.pop(name, None)  # a constant is what every row says: no column is read for it
    formats = item.get("time_formats")
    if formats is not None:
        if isinstance(formats, str):
            formats = [formats]
        if not isinstance(formats, list) or not all(isinstance(f, str) and "%" in f for f in formats):
            mistakes.append(f"{key_at(where, 'time_formats')}: expected a list of strptime formats such as \"%d/%m/%Y %H:%M\"")
        else:
            time_formats = (*formats, *(f for f in time_formats if f not in formats))
    zone = _zone(item.get("time_zone", time_zone), f"{key_at(where, 'time_zone')}", mistakes) if "time_zone" in item else time_zone
    measures = _pairs(item.get("measures"), f"{key_at(where, 'measures')}", mistakes)
    for name, meant in measures:
        if meant not in MEASURES:
            mistakes.append(f"{key_at(where, 'measures')}.{name}: expected response or resolution, not {meant!r}")
    if len(mistakes) > before:
        return None
    return Source(kind, path, where, fmt, preset_name, tuple(columns.items()), tuple(values),
                  tuple(constants.items()), tuple(time_formats), zone, measures, tuple(name for name, _ in overrides))


def inputs_of(tickets: list[str], outages: list[str], clock_stops: list[str], preset: str | None,
              time_zone: str | None, start: dt.date | None, end: dt.date | None, base: Path) -> ReportInputs:
    """The inputs given on the command line, read through the same checks as the block."""
    block: dict = {
        "tickets": [{"path": path, **({"preset": preset} if preset else {})} for path in tickets],
        "outages": list(outages),
        "clock_stops": list(clock_stops),
    }
    if time_zone:
        block["time_zone"] = time_zone
    if start:
        block["from"] = start
    if end:
        block["to"] = end
    labels = {kind: [f"--{kind.replace('_', '-')} {path}" for path in paths]
              for kind, paths in (("tickets", tickets), ("outages", outages), ("clock_stops", clock_stops))}
    options = {"time_zone": "--time-zone", "from": "--from", "to": "--to", "tickets": "--tickets",
               "outages": "--outages", "clock_stops": "--clock-stops"}
    return read_inputs(block, base, where="the command line", labels=labels, option_of=options)


def with_dates(inputs: ReportInputs, start: dt.date | None, end: dt.date | None) -> ReportInputs:
    from dataclasses import replace

    return replace(inputs, start=start or inputs.start, end=end or inputs.end)


__all__ = ["ReportInputError", "ReportInputs", "Source", "inputs_of", "key_at", "read_inputs"]


def inputs_from_file(path: Path) -> ReportInputs:
    """The `reports:` block of a file: a mkdocs.yml (the service-catalogue plugin's option),
    a file with a top-level `reports:`, or a file that is the block itself."""
    import yaml

    class _Tolerant(yaml.SafeLoader):
        """mkdocs.yml may hold Python tags (Material's emoji functions): read as nothing."""

    _Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Tolerant)  # noqa: S506 (a SafeLoader)
    except OSError as error:
        raise ReportInputError([f"{path}: cannot be read: {error.strerror or error}"]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        raise ReportInputError([f"{place}: not YAML: {getattr(error, 'problem', None) or error}"]) from None
    where = f"{path.name}: reports"
    block = None
    if isinstance(data, dict) and isinstance(data.get("plugins"), list):
        for entry in data["plugins"]:
            if isinstance(entry, dict) and "service-catalogue" in entry:
                options = entry["service-catalogue"] or {}
                block = options.get("reports") if isinstance(options, dict) else None
                where = f"{path.name}: plugins.service-catalogue.reports"
        if block is None:
            raise ReportInputError([f"{path}: the service-catalogue plugin has no `reports:` option"])
    elif isinstance(data, dict) and "reports" in data:
        block = data["reports"]
    else:
        block = data
    return read_inputs(block, path.parent, where)
