"""Availability achieved, the downtime budget, and the service credits it earns.

Availability in a window is measured over the agreement's covered time (its
service hours) less its maintenance windows, which is what the target is a
percentage of: 100 x (covered - down) / covered, where *down* is the covered
time in which an unplanned outage of one of the agreement's services held
(two services down at once count once). A planned outage is not downtime; it
is listed. The downtime budget is (100 - target)% of that window's own covered
time, so a 31-day month has a larger budget than February.

Without service hours nothing is measured: nobody said which time counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow.compute as pc

from service_catalogue import credits
from service_catalogue.model import Agreement
from service_catalogue.performance.clocks import merged_stops
from service_catalogue.performance.inputs import Source
from service_catalogue.performance.presets import OUTAGE_FIELDS
from service_catalogue.performance.reading import codes, iso, parse_times, read_table
from service_catalogue.performance.tickets import Resolver, SourceCount
from service_catalogue.performance.windows import ReportWindow
from service_catalogue.servicetime import ServiceTime, covered_before_many
from service_catalogue.validation.problems import Problem

_PLANNED_WORDS = {"true": True, "yes": True, "planned": True, "scheduled": True, "maintenance": True, "1": True,
                  "false": False, "no": False, "unplanned": False, "unscheduled": False, "0": False, "": False}


@dataclass
class Outages:
    """Every outage read, by service id: (start, end) UTC seconds, planned or not."""

    by_service: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    counts: list[SourceCount] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    given: bool = False  # whether the inputs name an outage file at all


def read_outages(sources: tuple[Source, ...], resolver: Resolver) -> Outages:
    from service_catalogue.validation.schemas import did_you_mean

    found = Outages(given=bool(sources))
    collected: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    for source in sources:
        count = SourceCount(source)
        found.counts.append(count)
        table = read_table(source, OUTAGE_FIELDS, ("service", "start", "end"))
        problems = table.problems
        count.rows = table.length
        if table.length and not problems.bad.all():
            times = {}
            for name in ("start", "end"):
                values = table.columns[name].values
                seconds, unreadable = parse_times(values, source.time_formats, source.time_zone)
                problems.add("data.time", unreadable, table.columns[name],
                             lambda i, v=values: f"`{v[i].as_py()}` is not a time: expected one such as "
                                                 "2026-03-02 10:15 or 2026-03-02T10:15:00+01:00")
                empty = np.isnan(seconds) & ~unreadable
                if name == "start":
                    problems.add("data.missing", empty, table.columns[name], lambda i: "empty: an outage needs its start")
                times[name] = seconds
            start = times["start"]
            # An outage with no end is still going on: it lasts to the end of the report.
            end = np.where(np.isnan(times["end"]), np.inf, times["end"])
            problems.add("data.order", end < start, table.columns["end"],
                         lambda i: f"the outage ends ({iso(float(end[i]))}) before it starts ({iso(float(start[i]))})")
            planned = np.zeros(table.length, dtype=bool)
            if "planned" in table.columns:
                index, distinct = codes(pc.utf8_lower(table.columns["planned"].values))
                mapping = {k.casefold(): v for k, v in source.value_maps.get("planned", {}).items()}
                meant = [_PLANNED_WORDS.get(mapping.get(v, v).casefold()) for v in distinct]
                unknown = np.array([m is None for m in meant] or [False])[index] if distinct else np.zeros(table.length, dtype=bool)
                problems.add("data.planned", unknown, table.columns["planned"],
                             lambda i: f"`{distinct[index[i]]}` is neither planned nor unplanned: expected true or false "
                                       "(or say what it means under values.planned)")
                planned = np.array([bool(m) for m in meant] or [False])[index] if distinct else planned
            index, distinct = codes(table.columns["service"].values)
            mapping = source.value_maps.get("service", {})
            services = [resolver.named("Service", mapping.get(v, v)) if v else None for v in distinct]
            unknown = np.array([s is None for s in services] or [False])[index]
            problems.add("data.service", unknown & ~problems.bad, table.columns["service"],
                         lambda i: f"`{distinct[index[i]]}` names no service" if distinct[index[i]] else "empty: an outage is of a service",
                         hint=did_you_mean(distinct[index[np.flatnonzero(unknown)[0]]], resolver.choices("Service")) if unknown.any() else "")
            good = ~problems.bad
            for k, service in enumerate(services):
                rows = np.flatnonzero(good & (index == k))
                if service is not None and len(rows):
                    collected.setdefault(service.id, []).append((start[rows], end[rows], planned[rows]))
        problems.finish()
        count.bad = int(problems.bad.sum())
        found.problems.extend(problems.problems)
    for service_id, parts in collected.items():
        found.by_service[service_id] = tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[assignment]
    return found


@dataclass
class AvailabilityWindow:
    window: ReportWindow
    covered: float  # covered minutes less maintenance, to the window's end (or the report's)
    full_covered: float  # the same over the whole window, which the budget is of
    down: float  # covered minutes of unplanned outage
    target: float
    outages: int  # unplanned outages that took covered time in the window
    planned: int  # planned outages in the window, not counted
    burn: list[tuple[float, float]]  # (UTC seconds, downtime so far): the budget burn-down's steps

    @property
    def achieved(self) -> float | None:
        return 100.0 * (self.covered - self.down) / self.covered if self.covered > 0 else None

    @property
    def met(self) -> bool | None:
        achieved = self.achieved
        return None if achieved is None else achieved >= self.target - 1e-9

    @property
    def budget(self) -> float:
        return (100.0 - self.target) / 100.0 * self.full_covered

    @property
    def budget_left(self) -> float:
        return self.budget - self.down


def measure_availability(agreement: Agreement, engine: ServiceTime, outages: Outages,
                         windows: list[ReportWindow], window_ends_full: list[float]) -> list[AvailabilityWindow]:
    """The agreement's availability in each window; engine: its covered time less maintenance."""
    availability = agreement.get("availability") or {}
    target = float(availability["target"])
    starts, ends, planned = [], [], []
    for service in agreement.services:
        if service.id in outages.by_service:
            s, e, p = outages.by_service[service.id]
            starts.append(s)
            ends.append(e)
            planned.append(p)
    s = np.concatenate(starts) if starts else np.zeros(0)
    e = np.concatenate(ends) if ends else np.zeros(0)
    p = np.concatenate(planned) if planned else np.zeros(0, dtype=bool)
    unplanned = np.flatnonzero(~p)
    _, down_start, down_end, _ = merged_stops(np.zeros(len(unplanned), dtype=np.int64), s[unplanned], e[unplanned],
                                              np.array([-np.inf]), np.array([np.inf]))
    lo = np.array([w.start for w in windows]) / 60.0
    hi = np.array([w.end for w in windows]) / 60.0
    full_hi = np.array(window_ends_full) / 60.0
    before_lo = covered_before_many(engine, lo)
    covered = covered_before_many(engine, hi) - before_lo
    full = covered_before_many(engine, full_hi) - before_lo
    # each merged outage piece in each window it meets: outages are few beside the windows' minutes
    first = np.searchsorted(hi, down_start / 60.0, side="right")
    last = np.searchsorted(lo, down_end / 60.0, side="left")
    spans = np.maximum(last - first, 0)
    piece_window = np.repeat(first, spans) + (np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans))
    piece_outage = np.repeat(np.arange(len(down_start)), spans)
    a = np.maximum(down_start[piece_outage] / 60.0, lo[piece_window])
    b = np.minimum(down_end[piece_outage] / 60.0, hi[piece_window])
    pieces = covered_before_many(engine, b) - covered_before_many(engine, a) if len(a) else np.zeros(0)
    down = np.bincount(piece_window, weights=pieces, minlength=len(windows))
    touched = np.bincount(piece_window[pieces > 0], minlength=len(windows))
    planned_start, planned_end = s[p] / 60.0, e[p] / 60.0
    found = []
    for index, window in enumerate(windows):
        mine = piece_window == index
        burn = [(float(at * 60.0), float(total)) for at, total in zip(b[mine], np.cumsum(pieces[mine]))]
        planned_in = int(((planned_end > lo[index]) & (planned_start < hi[index])).sum()) if len(planned_start) else 0
        found.append(AvailabilityWindow(window, float(covered[index]), float(full[index]), float(down[index]), target,
                                        int(touched[index]), planned_in, burn))
    return found


@dataclass
class CreditOwed:
    window: ReportWindow
    tier: credits.CreditTier | None  # the tier that applies; None: none does
    percent: float | None  # the credit as a percent of `of`, capped; None where the tier says it in words
    capped: bool
    words: str  # "10% of the monthly fee", or the tier's own credit
    claim_by: str | None  # YYYY-MM-DD, from claim_within_days; None where not stated
    provisional: bool  # the window is not over: the figure may still grow


def credits_owed(agreement: Agreement, measured: list[AvailabilityWindow]) -> list[CreditOwed]:
    """The availability tier each window's achieved availability falls in, with the cap on
    all credits of one window applied. Metric tiers are not measured from these exports."""
    import datetime as dt

    tiers = credits.by_measure(credits.credit_tiers(agreement.data)).get(credits.AVAILABILITY, [])
    if not tiers:
        return []
    terms = credits.credit_terms(agreement.data)
    cap = terms.get("cap_percent")
    cap = float(cap) if isinstance(cap, (int, float)) and not isinstance(cap, bool) else None
    days = terms.get("claim_within_days")
    found = []
    for window in measured:
        achieved = window.achieved
        if achieved is None:
            continue
        applying = [t for t in tiers if (achieved < t.threshold if t.comparison == "below" else achieved <= t.threshold + 1e-9)]
        tier = applying[-1] if applying else None  # mildest first: the last that applies is the most severe
        percent, capped, words = None, False, "none"
        if tier is not None:
            if tier.percent is not None:
                percent = tier.percent
                if cap is not None and percent > cap:
                    percent, capped = cap, True
                words = f"{credits.percent_words(percent)} of {credits.of_words(agreement.data)}"
            else:
                words = credits.credit_words(tier, agreement.data)
        claim_by = None
        if tier is not None and isinstance(days, int) and not isinstance(days, bool):
            claim_by = (window.window.last + dt.timedelta(days=days)).isoformat()
        found.append(CreditOwed(window.window, tier, percent, capped, words, claim_by, not window.window.complete))
    return found
