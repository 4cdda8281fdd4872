"""The tickets of the exports, each given to the agreement and the priority whose targets
it is measured against, as columns of numbers (one row per ticket).

Whose ticket it is: the agreement its `agreement` column names (by id or title),
else the one agreement that covers its service for its customer on the day it was
opened. Which priority: the agreement's priority for that kind of ticket (incidents
or requests) that the `priority` column names, by the mapping's `values`, by id, by
title, or written as the tools write them, "1 - Critical" (its number or its name).
Each distinct value is resolved once, however many rows write it.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from service_catalogue.model import Agreement, Catalogue, Priority
from service_catalogue.performance.inputs import MEASURES, ReportInputs, Source
from service_catalogue.performance.presets import FIELDS, ISO_FORMATS, REQUIRED_FIELDS, STOP_FIELDS, TIME_FIELDS
from service_catalogue.performance.reading import RowProblems, Table, codes, iso, parse_times, read_table
from service_catalogue.servicetime import local_of_utc_many
from service_catalogue.validation.problems import Problem

# Agreements whose tickets a report measures: what was in force, not what is only proposed.
MEASURED_STATUSES = ("active", "expired", "terminated", "superseded")
TICKET_TYPES = {"incident": "incidents", "request": "requests"}
RESPONSE, RESOLUTION = 1, 2  # a clock stop's targets, as bits
_NUMBERED = re.compile(r"^\s*(?:P|Priority\s*)?(\d+)\s*(?:[-–:.)]\s*(.*))?$", re.IGNORECASE)


@dataclass
class SourceCount:
    """What was read from one file, for the report's inputs section."""

    source: Source
    rows: int = 0
    bad: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # why -> rows not measured but not wrong

    @property
    def read(self) -> int:
        return self.rows - self.bad - sum(self.skipped.values())


@dataclass
class Tickets:
    agreements: list[Agreement]  # what `agreement` indexes
    priorities: list[Priority]  # what `priority` indexes
    ids: pa.Array  # each ticket's id as the export writes it
    agreement: np.ndarray
    priority: np.ndarray
    opened: np.ndarray  # UTC seconds; NaN where not written
    responded: np.ndarray
    resolved: np.ndarray
    # per ticket: which clocks its export records (RESPONSE, RESOLUTION bits): an export with
    # no column for a time has nothing to say about that clock, which is not measured
    recorded: np.ndarray
    # clock stops: the ticket each belongs to, its start and end (UTC seconds), its targets (bits)
    stop_ticket: np.ndarray
    stop_start: np.ndarray
    stop_end: np.ndarray
    stop_targets: np.ndarray
    counts: list[SourceCount]
    problems: list[Problem]

    def __len__(self) -> int:
        return len(self.agreement)


class Resolver:
    """Finds records by what an export writes for them: an id, or a title in any case."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.agreements = [a for a in catalogue.agreements if a.status in MEASURED_STATUSES]
        self.agreement_index = {a.id: i for i, a in enumerate(self.agreements)}
        self._by_name: dict[str, dict[str, object]] = {}
        # service id -> the measured agreements that cover it
        self.covering: dict[str, list[int]] = {}
        for index, agreement in enumerate(self.agreements):
            for service in agreement.services:
                self.covering.setdefault(service.id, []).append(index)

    def named(self, kind: str, value: str):
        """The record of kind that value names by id, or by title (any case); None if none."""
        if kind not in self._by_name:
            records = self.catalogue.of_kind(kind)  # type: ignore[arg-type]
            table: dict[str, object] = {}
            for record in records:
                table.setdefault(record.title.casefold(), record)
            for record in records:
                table[record.id] = record
            self._by_name[kind] = table
        table = self._by_name[kind]
        return table.get(value) or table.get(value.casefold())

    def choices(self, kind: str) -> list[str]:
        self.named(kind, "")
        return [key for key in self._by_name[kind]]


def read_tickets(inputs: ReportInputs, resolver: Resolver, end: float) -> Tickets:
    """Every ticket of the inputs' exports that can be measured, given to its agreement and
    priority; every row that cannot, told and counted. end: the report's last second
    (tickets opened after it are not counted)."""
    parts: list[dict] = []
    counts: list[SourceCount] = []
    problems: list[Problem] = []
    priorities: list[Priority] = []
    priority_index: dict[tuple[str, str], int] = {}
    for source in inputs.tickets:
        count = SourceCount(source)
        counts.append(count)
        part = _read_ticket_file(source, resolver, priorities, priority_index, count, end)
        parts.append(part)
        problems.extend(part["problems"].problems)
    every = parts or [_empty()]
    ids = pa.concat_arrays([p["ids"] for p in every])
    columns = {name: np.concatenate([p[name] for p in every]) for name in
               ("agreement", "priority", "opened", "responded", "resolved", "recorded")}
    tickets = Tickets(resolver.agreements, priorities, ids, columns["agreement"], columns["priority"],
                      columns["opened"], columns["responded"], columns["resolved"], columns["recorded"],
                      np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0), np.zeros(0, dtype=np.int64), counts, problems)
    _unique_ids(tickets, parts)
    for source in inputs.clock_stops:
        count = SourceCount(source)
        counts.append(count)
        _read_stops(source, tickets, count)
    return tickets


def _read_ticket_file(source: Source, resolver: Resolver, priorities: list[Priority],
                      priority_index: dict[tuple[str, str], int], count: SourceCount, end: float) -> dict:
    """One export's tickets as columns (the "problems" of its rows, and "rows", their numbers)."""
    layout = source.layout
    clock_fields = tuple(layout.clock_columns) if layout.rows == "clocks" else ()
    required: tuple[str, ...] = REQUIRED_FIELDS if not clock_fields else ("id", "priority", "start", "stop", "measure")
    required = tuple(name for name in required if name not in dict(source.constants))
    table = read_table(source, FIELDS + clock_fields, required)
    problems = table.problems
    count.rows = table.length
    if table.length == 0 or problems.bad.all():
        return _finished(table, count)
    if clock_fields:
        table = _clock_rows_as_tickets(table, count)
        problems = table.problems
    n = table.length
    times = {}
    for name in TIME_FIELDS:
        values = table.text(name)
        if values is None:
            times[name] = np.full(n, np.nan)
            continue
        seconds, unreadable = parse_times(values, source.time_formats, source.time_zone)
        column = table.columns[name]
        problems.add("data.time", unreadable, column,
                     lambda i, v=values: f"`{v[i].as_py()}` is not a time: expected one such as 2026-03-02 10:15 "
                                         f"or 2026-03-02T10:15:00+01:00" + _formats_words(source),
                     hint="a time without an offset is read in the report's time zone "
                          f"({source.time_zone})")
        times[name] = seconds
    opened, responded, resolved = times["opened"], times["responded"], times["resolved"]
    if "opened" in table.columns:
        problems.add("data.missing", pc.equal(table.columns["opened"].values, "").to_numpy(zero_copy_only=False),
                     table.columns["opened"], lambda i: "empty: a ticket's clock starts when it is opened")
        for name, values in (("responded", responded), ("resolved", resolved)):
            if name in table.columns:
                early = values < opened
                problems.add("data.order", early, table.columns[name],
                             lambda i, v=values, n=name: f"{n} {iso(float(v[i]), source.time_zone)} is before opened "
                                                         f"{iso(float(opened[i]), source.time_zone)}")
    ids = table.text("id")
    if ids is None:  # a required column; read_table has said so
        return _finished(table, count)
    problems.add("data.missing", pc.equal(ids, "").to_numpy(zero_copy_only=False), table.columns["id"],
                 lambda i: "empty: every ticket needs its id")
    kinds = _ticket_kinds(table, count)
    later = opened > end
    if later.any():
        count.skipped["opened after the report's last day"] = int((later & ~problems.bad).sum())
    agreement = _agreements(table, resolver, opened, source.time_zone)
    priority = _priorities(table, resolver, agreement, kinds, priorities, priority_index)
    usable = ~problems.bad & ~later & (kinds >= 0)
    problems.finish()
    count.bad = int(problems.bad.sum())
    index = np.flatnonzero(usable)
    return {
        "problems": problems, "ids": ids.take(pa.array(index)), "agreement": agreement[index],
        "priority": priority[index], "opened": opened[index], "responded": responded[index],
        "resolved": resolved[index], "recorded": np.full(len(index), RESPONSE * ("responded" in table.columns) + RESOLUTION * ("resolved" in table.columns)),
        "rows": table.problems.rows[index], "source": source,
    }


def _empty() -> dict:
    return {"ids": pa.array([], type=pa.string()), "agreement": np.zeros(0, dtype=np.int64),
            "priority": np.zeros(0, dtype=np.int64), "opened": np.zeros(0), "responded": np.zeros(0),
            "resolved": np.zeros(0), "recorded": np.zeros(0, dtype=np.int64), "rows": np.zeros(0, dtype=np.int64)}


def _finished(table: Table, count: SourceCount) -> dict:
    table.problems.finish()
    count.bad = table.length
    return {"problems": table.problems, **_empty(), "source": table.source}


def _formats_words(source: Source) -> str:
    own = [f for f in source.time_formats if f not in ISO_FORMATS]
    return f", or in the format {' or '.join(f'`{f}`' for f in own)}" if own else ""


def _ticket_kinds(table: Table, count: SourceCount) -> np.ndarray:
    """Per row: 0 incident, 1 request, -1 neither (a problem or a change: not measured, counted)."""
    source = table.source
    constant = dict(source.constants).get("type")
    values = table.text("type")
    mapping = source.value_maps.get("type", {})
    if values is None:
        kind = _kind_of(mapping.get(constant or "", constant or "incident"))
        return np.full(table.length, 0 if kind is None else kind, dtype=np.int64)
    index, distinct = codes(values)
    meant = []
    for value in distinct:
        kind = _kind_of(mapping.get(value, value)) if value else _kind_of(constant or "incident")
        meant.append(-1 if kind is None else kind)
    kinds = np.array(meant, dtype=np.int64)[index] if distinct else np.zeros(table.length, dtype=np.int64)
    other = kinds < 0
    if other.any():
        named = sorted({distinct[i] for i in np.unique(index[other])})
        count.skipped["neither an incident nor a request (" + ", ".join(named[:5]) + (", ..." if len(named) > 5 else "") + ")"] = int(other.sum())
    return kinds


def _kind_of(value: str) -> int | None:
    words = value.casefold()
    if "incident" in words:
        return 0
    if "request" in words:
        return 1
    return None


def grouped(inverse: np.ndarray, size: int) -> list[np.ndarray]:
    """For each key k < size, the positions where inverse == k: one sort for all the keys,
    where a mask per key would read every row once for each of thousands of keys."""
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(size + 1))
    return [order[bounds[k]:bounds[k + 1]] for k in range(size)]


def _local_dates(seconds: np.ndarray, time_zone: str) -> np.ndarray:
    """Each instant's date in the zone, as days since 1970-01-01 (NaN stays NaN)."""
    return np.floor(local_of_utc_many(zoneinfo.ZoneInfo(time_zone), seconds) / 86400)


def _agreements(table: Table, resolver: Resolver, opened: np.ndarray, time_zone: str) -> np.ndarray:
    """Per row, the index of its agreement in resolver.agreements (-1 where none: a problem)."""
    from service_catalogue.validation.schemas import did_you_mean

    problems = table.problems
    n = table.length
    found = np.full(n, -1, dtype=np.int64)
    named = table.text("agreement")
    constant = dict(table.source.constants)
    decided = np.zeros(n, dtype=bool)
    if named is not None or "agreement" in constant:
        values = named if named is not None else pa.array([constant["agreement"]] * n)
        index, distinct = codes(values)
        mapping = table.source.value_maps.get("agreement", {})
        meant = np.full(len(distinct), -1, dtype=np.int64)
        unknown = np.zeros(len(distinct), dtype=bool)
        for i, value in enumerate(distinct):
            if not value:
                continue
            record = resolver.named("Agreement", mapping.get(value, value))
            if record is None or record.id not in resolver.agreement_index:
                unknown[i] = True
            else:
                meant[i] = resolver.agreement_index[record.id]
        found = meant[index] if len(distinct) else found
        decided = found >= 0
        column = table.columns.get("agreement")
        bad = unknown[index] if len(distinct) else np.zeros(n, dtype=bool)

        def unknown_words(i: int) -> str:
            value = distinct[index[i]]
            record = resolver.named("Agreement", mapping.get(value, value))
            if record is not None:
                return f"`{value}` is {record.status}: a draft agreement has no tickets measured against it"
            return f"`{value}` names no agreement"

        problems.add("data.agreement", bad, column, unknown_words,
                     hint=did_you_mean(distinct[index[np.flatnonzero(bad)[0]]], resolver.choices("Agreement")) if bad.any() else "")
    services = table.text("service")
    if services is None and "service" in constant:
        services = pa.array([constant["service"]] * n)
    if services is None:
        if named is None:
            problems.add("data.agreement", ~decided, None,
                         lambda i: "the row says neither its agreement nor its service: map the `agreement` "
                                   "column, or `service` (and `customer`)")
        return found
    customers = table.text("customer")
    if customers is None and "customer" in constant:
        customers = pa.array([constant["customer"]] * n)
    service_index, service_values = codes(services)
    customer_index, customer_values = codes(customers) if customers is not None else (np.zeros(n, dtype=np.int64), [""])
    days = _local_dates(opened, time_zone)
    service_map = table.source.value_maps.get("service", {})
    customer_map = table.source.value_maps.get("customer", {})
    pair = service_index * max(1, len(customer_values)) + customer_index
    todo = ~decided & ~problems.bad
    pairs, inverse = np.unique(pair[todo], return_inverse=True)
    rows_todo = np.flatnonzero(todo)
    reasons: dict[int, str] = {}
    choices_hint: dict[int, str] = {}
    members = grouped(inverse, len(pairs))
    for k, key in enumerate(pairs):
        rows = rows_todo[members[k]]
        service_value = service_values[int(key) // max(1, len(customer_values))]
        customer_value = customer_values[int(key) % max(1, len(customer_values))]
        service = resolver.named("Service", service_map.get(service_value, service_value)) if service_value else None
        if service is None:
            reasons[k] = (f"`{service_value}` names no service" if service_value else
                          "empty: say the ticket's service (or its agreement)")
            if service_value:
                choices_hint[k] = did_you_mean(service_value, resolver.choices("Service"))
            continue
        candidates = [resolver.agreements[i] for i in resolver.covering.get(service.id, [])]
        if customer_value:
            party = resolver.named("Party", customer_map.get(customer_value, customer_value))
            if party is None:
                reasons[k] = f"customer `{customer_value}` names no party"
                choices_hint[k] = did_you_mean(customer_value, resolver.choices("Party"))
                continue
            candidates = [a for a in candidates if a.customer is party]
        if not candidates:
            whose = f" for {customer_value}" if customer_value else ""
            reasons[k] = f"no agreement covers {service.title}{whose}"
            continue
        _by_date(rows, candidates, resolver, days, found, reasons, k, service.title)
    column = table.columns.get("service")

    def why(i: int) -> str:
        position = int(np.searchsorted(rows_todo, i))
        if position < len(rows_todo) and rows_todo[position] == i:
            k = int(inverse[position])
            if k in reasons:
                return reasons[k]
        return "no agreement covers this ticket's service on the day it was opened"

    problems.add("data.agreement", todo & (found < 0), column, why,
                 hint=next(iter(h for h in choices_hint.values() if h), ""))
    return found


def _by_date(rows: np.ndarray, candidates: list[Agreement], resolver: Resolver, days: np.ndarray,
             found: np.ndarray, reasons: dict[int, str], k: int, service_title: str) -> None:
    """Of the agreements covering a service for a customer, the one in force on each row's day."""
    epoch = dt.date(1970, 1, 1)
    day = days[rows]
    chosen = np.full(len(rows), -1, dtype=np.int64)
    clash = np.zeros(len(rows), dtype=bool)
    for agreement in candidates:
        start = (agreement.start - epoch).days if agreement.start else -10**9
        finish = (agreement.end - epoch).days if agreement.end else 10**9
        inside = (day >= start) & (day <= finish)
        clash |= inside & (chosen >= 0)
        chosen[inside & (chosen < 0)] = resolver.agreement_index[agreement.id]
    found[rows[~clash]] = chosen[~clash]
    if clash.any():
        names = ", ".join(a.id for a in candidates)
        reasons[k] = f"{len(candidates)} agreements cover {service_title} on that day ({names}): map the `agreement` column"
        found[rows[clash]] = -1
    if (chosen < 0).any() and k not in reasons:
        periods = ", ".join(f"{a.id}: {a.start} to {a.end or 'open-ended'}" for a in candidates)
        reasons[k] = f"no agreement covering {service_title} was in force on the day it was opened ({periods})"


def _priorities(table: Table, resolver: Resolver, agreement: np.ndarray, kinds: np.ndarray,
                priorities: list[Priority], priority_index: dict[tuple[str, str], int]) -> np.ndarray:
    """Per row, the index of its priority in `priorities` (which grows as new ones are met)."""
    problems = table.problems
    n = table.length
    values = table.text("priority")
    constant = dict(table.source.constants).get("priority")
    if values is None:
        if constant is None:
            return np.full(n, -1, dtype=np.int64)
        values = pa.array([constant] * n)
    index, distinct = codes(values)
    mapping = table.source.value_maps.get("priority", {})
    found = np.full(n, -1, dtype=np.int64)
    live = (agreement >= 0) & (kinds >= 0) & ~problems.bad
    key = (agreement * max(1, len(distinct)) + index) * 2 + np.maximum(kinds, 0)
    keys, inverse = np.unique(key[live], return_inverse=True)
    rows_live = np.flatnonzero(live)
    reasons = {}
    members = grouped(inverse, len(keys))
    for k, packed in enumerate(keys):
        packed = int(packed)
        kind = packed % 2
        value = distinct[(packed // 2) % max(1, len(distinct))]
        chosen_agreement = resolver.agreements[(packed // 2) // max(1, len(distinct))]
        scope = "incidents" if kind == 0 else "requests"
        priority = _priority_named(chosen_agreement, mapping.get(value, value), scope)
        if isinstance(priority, str):
            reasons[k] = priority
            continue
        slot = priority_index.setdefault((chosen_agreement.id, priority.id), len(priorities))
        if slot == len(priorities):
            priorities.append(priority)
        found[rows_live[members[k]]] = slot
    problems.add("data.priority", live & (found < 0), table.columns.get("priority"),
                 lambda i: reasons.get(int(inverse[np.searchsorted(rows_live, i)]), "no priority of the agreement matches"))
    return found


def _priority_named(agreement: Agreement, value: str, scope: str) -> Priority | str:
    """The agreement's priority for scope that value names, or why there is none."""
    rows = [p for p in agreement.priorities if p.applies_to == scope]
    if not value:
        return "empty: say the ticket's priority"
    folded = value.casefold()
    for test in (lambda p: p.id == value, lambda p: p.id.casefold() == folded,
                 lambda p: bool(p.title) and p.title.casefold() == folded):
        match = [p for p in rows if test(p)]
        if match:
            return match[0]
    numbered = _NUMBERED.match(value)
    if numbered:
        number, name = numbered.group(1), (numbered.group(2) or "").strip().casefold()
        match = [p for p in rows if p.id.casefold() in (number, f"p{number}")]
        if not match and name:
            match = [p for p in rows if p.title and p.title.casefold() == name]
        if match:
            return match[0]
    if not rows:
        return f"{agreement.id} states no priorities for {scope}"
    names = ", ".join(p.id + (f" ({p.title})" if p.title else "") for p in rows)
    return (f"`{value}` is not a priority of {agreement.id} for {scope} (its priorities are {names}): "
            f"map it under values.priority")


def _clock_rows_as_tickets(table: Table, count: SourceCount) -> Table:
    """A row per clock of a ticket (ServiceNow's task_sla: its response SLA and its resolution
    SLA) as a row per ticket: opened when its first clock started, responded and resolved
    when its response and resolution clocks stopped, its other fields from its first row.
    A cancelled clock is not measured; the row numbers told are each ticket's first row."""
    from service_catalogue.performance.reading import Column

    source, problems = table.source, table.problems
    measures = dict(source.measures)
    measure_values = table.text("measure")
    ids = table.text("id")
    if measure_values is None or ids is None:  # required: read_table has said so
        return table
    index, distinct = codes(measure_values)
    meant = [_measure_of(value, measures) for value in distinct]
    kind = np.array(meant, dtype=np.int64)[index] if distinct else np.zeros(table.length, dtype=np.int64)
    problems.add("data.measure", kind < 0, table.columns["measure"],
                 lambda i: f"`{distinct[index[i]]}` is neither a response nor a resolution SLA: "
                           "say which under `measures`")
    stage = table.text("stage")
    if stage is not None:
        cancelled = pc.equal(pc.utf8_lower(stage), "cancelled").to_numpy(zero_copy_only=False)
        if cancelled.any():
            count.skipped["cancelled SLA clocks"] = int(cancelled.sum())
        kind = np.where(cancelled, -2, kind)
    count.bad += int(problems.bad.sum())
    keep = np.flatnonzero((kind >= 0) & ~problems.bad)
    ticket_codes, _ = codes(ids.take(pa.array(keep)))
    order = np.lexsort((keep, ticket_codes))  # by ticket, then by row
    sorted_codes = ticket_codes[order]
    starts_ticket = np.concatenate([[True], sorted_codes[1:] != sorted_codes[:-1]]) if len(keep) else np.zeros(0, dtype=bool)
    ticket_of = np.empty(len(keep), dtype=np.int64)
    ticket_of[order] = np.cumsum(starts_ticket) - 1
    first_rows = keep[order][starts_ticket]
    n = len(first_rows)
    columns = {name: Column(column.name, column.position, column.values.take(pa.array(first_rows)))
               for name, column in table.columns.items() if name not in ("start", "stop", "measure", "stage")}
    start, stop = table.columns["start"], table.columns["stop"]
    columns["opened"] = Column(start.name, start.position, _first_of(start.values, keep, ticket_of, n, np.ones(len(keep), dtype=bool)))
    columns["responded"] = Column(stop.name, stop.position, _first_of(stop.values, keep, ticket_of, n, kind[keep] == 0))
    columns["resolved"] = Column(stop.name, stop.position, _first_of(stop.values, keep, ticket_of, n, kind[keep] == 1))
    if len(keep) > n:
        count.skipped["rows of a ticket's other SLA clocks, read with its first"] = len(keep) - n
    # The problems found so far stay with their rows; the tickets' own are told at their first row.
    folded = RowProblems(source, problems.rows[first_rows], np.zeros(n, dtype=bool), problems.problems, problems._counts)
    return Table(source, columns, n, folded)


def _measure_of(value: str, measures: dict[str, str]) -> int:
    """0 for a response SLA, 1 for a resolution SLA, -1 when its name does not say."""
    if value in measures:
        return MEASURES.index(measures[value])
    words = value.casefold()
    if "response" in words:
        return 0
    if "resolution" in words or "resolve" in words:
        return 1
    return -1


def _first_of(values: pa.Array, keep: np.ndarray, ticket: np.ndarray, n: int, wanted: np.ndarray) -> pa.Array:
    """Per ticket, the value of its first wanted row among keep ("" where none)."""
    chosen = np.full(n, -1, dtype=np.int64)
    rows, tickets = keep[wanted], ticket[wanted]
    chosen[tickets[::-1]] = rows[::-1]  # written last to first, so each ticket's first row stays
    taken = values.take(pa.array(np.maximum(chosen, 0)))
    return pc.if_else(pa.array(chosen >= 0), taken, pa.scalar(""))


def _unique_ids(tickets: Tickets, parts: list[dict]) -> None:
    """A ticket id written twice (in one export or two) is measured once, at its first row;
    each later row is told (a warning: the figures are right, the export repeats itself)."""
    if len(tickets) < 2:
        return
    index, distinct = codes(tickets.ids)
    if len(distinct) == len(index):
        return
    order = np.argsort(index, kind="stable")
    repeat = np.zeros(len(index), dtype=bool)
    repeat[order[1:]] = index[order][1:] == index[order][:-1]
    first_of = np.full(len(distinct), -1, dtype=np.int64)
    first_of[index[order][::-1]] = order[::-1]
    bounds = np.cumsum([0] + [len(p["agreement"]) for p in parts])

    def place(position: int) -> tuple[dict, int]:
        part = int(np.searchsorted(bounds, position, side="right") - 1)
        return parts[part], int(parts[part]["rows"][position - bounds[part]])

    for number, part in enumerate(parts):
        low, high = bounds[number], bounds[number + 1]
        where = repeat[low:high]
        if not where.any():
            continue

        def words(i: int, low=low, part=part) -> str:
            other, row = place(int(first_of[index[low + i]]))
            where_first = f"row {row}" + (f" of {other['source'].name}" if other["source"] is not part["source"] else "")
            return f"ticket `{tickets.ids[low + i].as_py()}` is measured at {where_first}; this row is not"

        told = RowProblems(part["source"], part["rows"], np.zeros(high - low, dtype=bool))
        told.add("data.duplicate", where, None, words, severity="warning")
        told.finish()
        tickets.problems.extend(told.problems)
        for count in tickets.counts:
            if count.source is part["source"]:
                count.skipped["repeated ticket ids"] = int(where.sum())
    keep = ~repeat
    for name in ("agreement", "priority", "opened", "responded", "resolved", "recorded"):
        setattr(tickets, name, getattr(tickets, name)[keep])
    tickets.ids = tickets.ids.filter(pa.array(keep))


def _read_stops(source: Source, tickets: Tickets, count: SourceCount) -> None:
    """The clock stops of one file, each given to its ticket and to the targets the agreement
    says its reason stops (a stop with no reason: what all its clock stops stop)."""
    table = read_table(source, STOP_FIELDS, ("ticket", "start", "end"))
    problems = table.problems
    count.rows = table.length
    if table.length == 0 or problems.bad.all():
        problems.finish()
        count.bad = table.length
        tickets.problems.extend(problems.problems)
        return
    times = {}
    for name in ("start", "end"):
        seconds, unreadable = parse_times(table.columns[name].values, source.time_formats, source.time_zone)
        problems.add("data.time", unreadable | np.isnan(seconds) & ~unreadable, table.columns[name],
                     lambda i, v=table.columns[name].values: f"`{v[i].as_py()}` is not a time: expected one such as "
                                                           "2026-03-02 10:15 or 2026-03-02T10:15:00+01:00")
        times[name] = seconds
    problems.add("data.order", times["end"] < times["start"], table.columns["end"],
                 lambda i: f"the clock starts again ({iso(float(times['end'][i]))}) before it stopped "
                           f"({iso(float(times['start'][i]))})")
    ticket = pc.index_in(table.columns["ticket"].values, value_set=tickets.ids)
    ticket_of = ticket.to_numpy(zero_copy_only=False)
    ticket_of = np.where(np.isnan(ticket_of.astype(np.float64)), -1, ticket_of).astype(np.int64) if ticket.null_count else ticket_of.astype(np.int64)
    problems.add("data.ticket", (ticket_of < 0) & ~problems.bad, table.columns["ticket"],
                 lambda i: f"`{table.columns['ticket'].values[i].as_py()}` is not a ticket of the exports read")
    reasons = table.text("reason")
    targets = np.zeros(table.length, dtype=np.int64)
    live = np.flatnonzero(~problems.bad)
    agreement_of = tickets.agreement[ticket_of[live]]
    if reasons is None:
        reason_index, reason_values = np.zeros(table.length, dtype=np.int64), [""]
    else:
        reason_index, reason_values = codes(reasons)
    mapping = source.value_maps.get("reason", {})
    keys, inverse = np.unique(agreement_of * max(1, len(reason_values)) + reason_index[live], return_inverse=True)
    why = {}
    members = grouped(inverse, len(keys))
    # An on-hold time of a ticket whose agreement lets no clock stop stops nothing: the
    # export has it for every ticket, and the agreement decides. Counted, not wrong.
    idle = np.zeros(table.length, dtype=bool)
    for k, packed in enumerate(keys):
        agreement = tickets.agreements[int(packed) // max(1, len(reason_values))]
        reason = reason_values[int(packed) % max(1, len(reason_values))]
        if not agreement.clock_stops:
            idle[live[members[k]]] = True
            continue
        bits = _stop_targets(agreement, mapping.get(reason, reason))
        if isinstance(bits, str):
            why[k] = bits
        else:
            targets[live[members[k]]] = bits
    column = table.columns.get("reason") or table.columns["ticket"]
    if idle.any():
        count.skipped["stops of tickets whose agreement states no clock stops"] = int(idle.sum())
    problems.add("data.reason", np.isin(np.arange(table.length), live) & (targets == 0) & ~idle, column,
                 lambda i: why.get(int(inverse[np.searchsorted(live, i)]), "stops no clock"))
    problems.finish()
    count.bad = int(problems.bad.sum())
    tickets.problems.extend(problems.problems)
    good = np.flatnonzero(~problems.bad & ~idle)
    tickets.stop_ticket = np.concatenate([tickets.stop_ticket, ticket_of[good]])
    tickets.stop_start = np.concatenate([tickets.stop_start, times["start"][good]])
    tickets.stop_end = np.concatenate([tickets.stop_end, times["end"][good]])
    tickets.stop_targets = np.concatenate([tickets.stop_targets, targets[good]])


def _stop_targets(agreement: Agreement, reason: str) -> int | str:
    stops = agreement.clock_stops
    if reason:
        folded = reason.casefold()
        match = [s for s in stops if s.id.casefold() == folded or s.when.casefold() == folded]
        if not match:
            ids = ", ".join(s.id for s in stops)
            return f"`{reason}` is not a clock stop of {agreement.id} (its clock stops are {ids})"
        chosen = match
    else:
        chosen = stops
    bits = [sum(RESPONSE if t == "response" else RESOLUTION for t in stop.applies_to) for stop in chosen]
    common = bits[0]
    for b in bits[1:]:
        common &= b
    return common or f"the clock stops of {agreement.id} stop different clocks: say which under `reason`"
