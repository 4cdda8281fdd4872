"""Each agreement's figures, and the chain view across them: the stage's composition."""


from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from service_catalogue.model import Agreement, Catalogue, Priority
from service_catalogue.performance.availability import (
    AvailabilityWindow, CreditOwed, Outages, credits_owed, measure_availability, read_outages,
)
from service_catalogue.performance.clocks import WindowFigures, read_clocks
from service_catalogue.errors import ReportInputError
from service_catalogue.performance.inputs import ReportInputs
from service_catalogue.performance.tickets import RESOLUTION, RESPONSE, Resolver, SourceCount, Tickets, read_tickets
from service_catalogue.performance.windows import ReportWindow, report_windows
from service_catalogue.servicetime import ServiceTime, local_of_utc_many, utc_of_local_many
from service_catalogue.validation.problems import Problem

MEASURES = ("response", "resolution")


@dataclass
class TargetFigures:
    """One target of one agreement (a priority's response or resolution), window by window."""

    priority: Priority
    measure: str  # response or resolution
    target_minutes: float | None  # None: the agreement states no target (or none it can count)
    windows: WindowFigures | None  # None where not measured
    not_recorded: int = 0
    not_measured: str = ""  # why there are no figures, where there are none
    # Per ticket measured: its index in the report's tickets, when its clock was decided
    # (UTC seconds, NaN while open), and whether it breached.
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    decided_at: np.ndarray = field(default_factory=lambda: np.zeros(0))
    breached: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def target_words(self) -> str:
        return self.priority.time_words(self.measure)


@dataclass
class AgreementPerformance:
    agreement: Agreement
    time_zone: str  # the zone its windows are cut in
    windows: list[ReportWindow]  # its reporting windows
    frequency: str  # what cut them: "monthly (reporting.frequency)", ...
    tickets: int
    targets: list[TargetFigures]
    availability_windows: list[ReportWindow] = field(default_factory=list)
    availability: list[AvailabilityWindow] = field(default_factory=list)
    availability_note: str = ""  # why availability is not measured, where it is not
    credits: list[CreditOwed] = field(default_factory=list)

    @property
    def measured_targets(self) -> list[TargetFigures]:
        return [t for t in self.targets if t.windows is not None]

    @property
    def missed(self) -> bool:
        """Some target was missed: a clock breached, or availability under its target."""
        return (any(t.windows is not None and t.windows.breached.any() for t in self.targets)
                or any(a.met is False for a in self.availability))

    @cached_property
    def verdicts(self) -> list[tuple[float, float, bool, str]]:
        """(start, end, missed, what) of every window measured: a reporting window's clocks,
        an availability window's availability."""
        found = []
        targets = self.measured_targets
        if targets:
            breached = np.array([t.windows.breached for t in targets])  # type: ignore[union-attr]
            decided = np.array([t.windows.met for t in targets]).sum(axis=0) + breached.sum(axis=0)  # type: ignore[union-attr]
            for index in np.flatnonzero(decided):
                window = self.windows[index]
                names = [f"{t.priority.id} {t.measure}" for t, late in zip(targets, breached[:, index]) if late]
                found.append((window.start, window.end, bool(names), ", ".join(names) or "every clock met"))
        for measured in self.availability:
            if measured.met is not None:
                found.append((measured.window.start, measured.window.end, not measured.met,
                              f"availability {measured.achieved:.3f}% against {measured.target:g}%"))
        return found


@dataclass
class ChainNote:
    """An SLA whose verdict in a window differs from that of what underpins it."""

    agreement: Agreement
    window: ReportWindow
    kind: str  # "met-over-breach": met while something under it missed; "missed-over-met": the reverse
    under: list[tuple[Agreement, str]]  # the underpinning agreements and what they came to

    @property
    def words(self) -> str:
        if self.kind == "met-over-breach":
            names = "; ".join(f"{a.title} ({what})" for a, what in self.under)
            return f"{self.agreement.title} met its targets in {self.window.label} while an agreement under it missed: {names}"
        names = ", ".join(a.title for a, _ in self.under)
        return (f"{self.agreement.title} missed a target in {self.window.label} while every agreement under it "
                f"met its own ({names}): the miss is in the provider's own part")


@dataclass
class PerformanceReport:
    first: dt.date
    last: dt.date
    time_zone: str
    counts: list[SourceCount]
    problems: list[Problem]
    agreements: list[AgreementPerformance]
    chain: list[ChainNote]
    tickets: Tickets
    outages_given: bool

    @property
    def missed(self) -> bool:
        return any(a.missed for a in self.agreements)

    @property
    def summary(self) -> str:
        """ "18 agreements measured, 5 missed a target; 957 rows read, 0 bad": the line that ends
        every output of the report, and the build's log line."""
        count, missed = len(self.agreements), sum(1 for a in self.agreements if a.missed)
        rows, bad = sum(c.rows for c in self.counts), sum(c.bad for c in self.counts)
        return f"{count} agreement{'s' * (count != 1)} measured, {missed} missed a target; {rows:,} rows read, {bad:,} bad"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def ticket_id(self, index: int) -> str:
        return str(self.tickets.ids[index].as_py()) if index >= 0 else ""


class MostlyBadError(ReportInputError):
    """A file whose rows are mostly bad: the report is not made (its problems say why)."""


def _epoch_day(day: dt.date) -> float:
    return (day - dt.date(1970, 1, 1)).days * 86400.0


def _zone_of(agreement_or_priority, fallback: str) -> str:
    calendar = agreement_or_priority.calendar
    return calendar.data["timezone"] if calendar is not None else fallback


def measure(catalogue: Catalogue, inputs: ReportInputs, as_of: dt.date) -> PerformanceReport:
    """The service level performance of every agreement the inputs' data is about.
    MostlyBadError when a file's rows are mostly bad (more than inputs.max_bad_percent)."""
    last = inputs.end or as_of
    report_zone = zoneinfo.ZoneInfo(inputs.time_zone)
    far_end = float(utc_of_local_many(report_zone, np.array([_epoch_day(last + dt.timedelta(days=2))]))[0])
    resolver = Resolver(catalogue)
    tickets = read_tickets(inputs, resolver, far_end)
    outages = read_outages(inputs.outages, resolver)
    problems = tickets.problems + outages.problems
    counts = tickets.counts + outages.counts
    _stop_if_mostly_bad(counts, problems, inputs.max_bad_percent)
    in_data = _first_day(tickets, outages, inputs.time_zone)
    first = min(inputs.start or in_data or last, last)
    # From a week before the first of January: the windows of the first day (its week, month,
    # quarter, half-year or year) start no earlier, and a ticket's clock is read from its opening.
    earliest = min(first, in_data or first)
    engines = _Engines(dt.date(earliest.year, 1, 1) - dt.timedelta(days=9), last + dt.timedelta(days=2))
    by_agreement = _indexes_by(tickets.agreement, len(tickets.agreements))
    stops_by_agreement = _indexes_by(tickets.agreement[tickets.stop_ticket], len(tickets.agreements))
    slots = {id(priority): slot for slot, priority in enumerate(tickets.priorities)}
    measured = []
    for index, agreement in enumerate(tickets.agreements):
        rows = by_agreement.get(index, np.zeros(0, dtype=np.int64))
        if not len(rows) and not (outages.given and _has_availability(agreement)):
            continue
        if not _in_force(agreement, first, last):
            if not len(rows):
                continue
        stops = stops_by_agreement.get(index, np.zeros(0, dtype=np.int64))
        measured.append(_measure_agreement(agreement, rows, stops, slots, tickets, outages, engines, first, last,
                                           inputs.time_zone))
    measured.sort(key=lambda m: (("SLA", "OLA", "UC").index(m.agreement.type), m.agreement.id))
    chain = _chain(measured)
    return PerformanceReport(first, last, inputs.time_zone, counts, problems, measured, chain, tickets, outages.given)


def _stop_if_mostly_bad(counts: list[SourceCount], problems: list[Problem], max_bad: float) -> None:
    mistakes = []
    for count in counts:
        if count.rows and 100.0 * count.bad / count.rows > max_bad:
            mistakes.append(f"{count.source.path}: {count.bad:,} of its {count.rows:,} rows are bad "
                            f"(more than {max_bad:g}%): is it the export its mapping ({count.source.where}) is for?")
        elif not count.rows and any(p.location.file == str(count.source.path) and p.severity == "error" for p in problems):
            mistakes.append(f"{count.source.path}: no row can be read")
    if mistakes:
        raise MostlyBadError(mistakes, problems)


def _first_day(tickets: Tickets, outages: Outages, time_zone: str) -> dt.date | None:
    candidates = [tickets.opened[~np.isnan(tickets.opened)]]
    candidates += [s for s, _e, _p in outages.by_service.values()]
    known = np.concatenate(candidates) if candidates else np.zeros(0)
    known = known[~np.isnan(known)]
    if not len(known):
        return None
    local = local_of_utc_many(zoneinfo.ZoneInfo(time_zone), np.array([known.min()]))[0]
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(local // 86400))


def _indexes_by(keys: np.ndarray, size: int) -> dict[int, np.ndarray]:
    if not len(keys):
        return {}
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(size + 1))
    return {k: order[bounds[k]:bounds[k + 1]] for k in range(size) if bounds[k + 1] > bounds[k]}


def _has_availability(agreement: Agreement) -> bool:
    return isinstance(agreement.get("availability"), dict)


def _in_force(agreement: Agreement, first: dt.date, last: dt.date) -> bool:
    start, end = agreement.start, agreement.end
    return (start is None or start <= last) and (end is None or end >= first)


class _Engines:
    """One covered time per calendar (and per agreement's maintenance), over the report's dates."""

    def __init__(self, first: dt.date, last: dt.date):
        self.first, self.last = first, last
        self._cache: dict[tuple, ServiceTime] = {}

    def of(self, calendar, maintenance: tuple = ()) -> ServiceTime:
        key = (calendar.id if calendar is not None else None, maintenance)
        if key not in self._cache:
            if calendar is None:
                utc = dt.timezone.utc
                self._cache[key] = ServiceTime.elapsed(dt.datetime.combine(self.first, dt.time(), utc) - dt.timedelta(days=1),
                                                       dt.datetime.combine(self.last, dt.time(), utc) + dt.timedelta(days=1))
            else:
                windows = [{"days": list(days), "from": start, "to": end} for days, start, end in maintenance]
                self._cache[key] = ServiceTime.of_calendar(calendar, self.first, self.last, maintenance=windows)
        return self._cache[key]


def _frequency(agreement: Agreement) -> tuple[str | None, str]:
    reporting = agreement.get("reporting")
    frequency = reporting.get("frequency") if isinstance(reporting, dict) else None
    if isinstance(frequency, str) and frequency != "on-request":
        return frequency, f"{frequency} (its reporting frequency)"
    window = (agreement.get("availability") or {}).get("window") if _has_availability(agreement) else None
    if isinstance(window, str):
        said = "on request" if frequency == "on-request" else "not stated"
        return window, f"by {window}, its availability window (reporting frequency {said})"
    if frequency == "on-request":
        return None, "the whole period (reported on request)"
    return None, "the whole period (it states no reporting frequency or availability window)"


def _measure_agreement(agreement: Agreement, rows: np.ndarray, stop_rows: np.ndarray, slots: dict[int, int],
                       tickets: Tickets, outages: Outages, engines: _Engines, first: dt.date, last: dt.date,
                       report_zone: str) -> AgreementPerformance:
    """rows: the agreement's tickets (ascending indexes into tickets); stop_rows: their clock stops."""
    zone = _zone_of(agreement, report_zone)
    frequency, frequency_words = _frequency(agreement)
    windows = report_windows(frequency, first, last, zone, (agreement.start, agreement.end))
    if not windows:  # not in force in the period: its tickets are read to the report's end
        windows = report_windows(frequency, first, last, zone)
    report_end = windows[-1].end
    targets = []
    priority_of = tickets.priority[rows]
    stop_ticket, stop_targets = tickets.stop_ticket[stop_rows], tickets.stop_targets[stop_rows]
    for priority in agreement.priorities:
        slot = slots.get(id(priority), -1)
        mine = rows[priority_of == slot] if slot >= 0 else np.zeros(0, dtype=np.int64)
        for measure_name in MEASURES:
            target = priority.minutes(measure_name)
            if getattr(priority, measure_name) is None:
                targets.append(TargetFigures(priority, measure_name, None, None, not_measured="no target"))
                continue
            if target is None:
                targets.append(TargetFigures(priority, measure_name, None, None,
                                             not_measured="a day or week with no service hours to count it in"))
                continue
            bit = RESPONSE if measure_name == "response" else RESOLUTION
            if len(mine) and not (tickets.recorded[mine] & bit).any():
                targets.append(TargetFigures(priority, measure_name, target, None,
                                             not_measured=f"the exports have no {measure_name} times"))
                continue
            mine_here = mine[(tickets.recorded[mine] & bit) > 0] if len(mine) else mine
            engine = engines.of(priority.calendar)
            stopped = tickets.responded[mine_here] if measure_name == "response" else tickets.resolved[mine_here]
            # A missing response time means "not yet" only while the ticket is open; once it
            # is resolved, the export simply left it out.
            recorded = np.ones(len(mine_here), dtype=bool) if measure_name == "resolution" else np.isnan(tickets.resolved[mine_here])
            # each stop's ticket among mine_here (ascending, as rows are), where it is one of them
            local = np.searchsorted(mine_here, stop_ticket)
            found = (local < len(mine_here)) & (mine_here[np.minimum(local, max(len(mine_here) - 1, 0))] == stop_ticket) \
                if len(mine_here) else np.zeros(len(stop_ticket), dtype=bool)
            chosen = found & ((stop_targets & bit) > 0)
            picked = stop_rows[chosen]
            stops = (local[chosen], tickets.stop_start[picked], tickets.stop_end[picked])
            result = read_clocks(engine, target, tickets.opened[mine_here], stopped, stops, report_end, windows, recorded)
            known = result.windows.worst_ticket >= 0
            result.windows.worst_ticket[known] = mine_here[result.windows.worst_ticket[known]]
            targets.append(TargetFigures(priority, measure_name, target, result.windows, result.not_recorded,
                                         rows=mine_here, decided_at=result.decided_at, breached=result.breached))
    performance = AgreementPerformance(agreement, zone, windows, frequency_words, len(rows), targets)
    _measure_availability(performance, outages, engines, first, last, zone)
    return performance


def _measure_availability(performance: AgreementPerformance, outages: Outages, engines: _Engines,
                          first: dt.date, last: dt.date, zone: str) -> None:
    agreement = performance.agreement
    if not _has_availability(agreement):
        performance.availability_note = "no availability target"
        return
    if not outages.given:
        performance.availability_note = "not measured: the report inputs name no outage export"
        return
    if agreement.calendar is None:
        performance.availability_note = "not measured: the agreement states no service hours, so no time counts"
        return
    window_name = agreement.get("availability").get("window")
    windows = report_windows(window_name, first, last, zone, (agreement.start, agreement.end))
    if not windows:
        performance.availability_note = "not measured: the agreement was not in force in the period"
        return
    maintenance = tuple((tuple(w.data["days"]), w.data["from"], w.data["to"]) for w in agreement.maintenance_windows)
    engine = engines.of(agreement.calendar, maintenance)
    performance.availability_windows = windows
    # A window past the report's end is measured to date, its budget that of the whole window.
    full = [w.end for w in windows]
    if not windows[-1].complete:
        full[-1] = _window_end(windows[-1], zone)
    performance.availability = measure_availability(agreement, engine, outages, windows, full)
    performance.credits = credits_owed(agreement, performance.availability)


def _window_end(window: ReportWindow, zone: str) -> float:
    """The instant the whole of an incomplete window ends."""
    end_day = window.last + dt.timedelta(days=1)
    return float(utc_of_local_many(zoneinfo.ZoneInfo(zone), np.array([_epoch_day(end_day)]))[0])


def _chain(measured: list[AgreementPerformance]) -> list[ChainNote]:
    by_id = {m.agreement.id: m for m in measured}
    notes = []
    for performance in measured:
        if performance.agreement.type != "SLA":
            continue
        unders = [by_id[a.id] for a in performance.agreement.underpinned_by if a.id in by_id]
        if not unders:
            continue
        own = performance.verdicts
        for window in performance.windows:
            mine = [v for v in own if v[0] < window.end and v[1] > window.start]
            if not mine:
                continue
            sla_missed = any(v[2] for v in mine)
            states = []
            for under in unders:
                theirs = [v for v in under.verdicts if v[0] < window.end and v[1] > window.start]
                if theirs:
                    missed = [v[3] for v in theirs if v[2]]
                    states.append((under.agreement, bool(missed), "; ".join(missed) or "met"))
            if not states:
                continue
            if not sla_missed and any(s[1] for s in states):
                notes.append(ChainNote(performance.agreement, window, "met-over-breach",
                                       [(a, what) for a, missed, what in states if missed]))
            elif sla_missed and not any(s[1] for s in states):
                notes.append(ChainNote(performance.agreement, window, "missed-over-met", [(a, what) for a, _m, what in states]))
    return notes


__all__ = ["AgreementPerformance", "ChainNote", "MostlyBadError", "PerformanceReport", "ReportInputError",
           "ReportInputs", "TargetFigures", "measure"]
