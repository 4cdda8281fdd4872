"""Worst-case timelines: can the deadline an agreement relies on fall after its own?

For each agreement in play and each agreement under it (directly, or further down the
chain: underpinning agreements in series), each target they share (a priority's
response or resolution, a metric with a duration target) is put on two clocks, each in
the covered time of the calendar that applies to it. For every start minute of the
period searched, the question is whether a ticket raised then would be due from the
party underneath later than it is due to the customer above, if that party used all the
time its agreement allows. `servicetime.breach_window` answers it exactly, reading
breakpoints rather than minutes.

The period searched is the next 12 months from the as-of date, or the part of them in
which both agreements are in force. Clock stops are conditions on a ticket, not on the
calendar, so they never shorten a worst case; maintenance windows stop the availability
clock, not the response and resolution clocks, so they are not taken out here either.

Everything here is computed once per catalogue and as-of date (`chain_breaches`), so
that every reader (the check rules, the diff, the pages) gets the same list without
searching again.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from service_catalogue.lazy import cached_property
from service_catalogue.model import Agreement, Calendar, Catalogue
from service_catalogue.servicetime import (
    DAY,
    BreachWindow,
    ServiceTime,
    _offset_segments,
    BreachSearch,
    breach_window,
    breach_windows_and_waits,
    from_minutes,
    WaitProfile,
    narrowed,
    to_minutes,
)
from service_catalogue.breach_hours import HOURS_PER_WEEK
from service_catalogue.timeplan import DAY_NAMES, WEEKDAYS, Duration, format_minutes
from service_catalogue.analysis.figures import in_play

SEARCH_DAYS = 365  # "the next 12 months from the as-of date"
DEEPEST_CHAIN = 4  # agreements below one another that are followed, at most
# Pairs of calendars whose searches are read in one stack: enough that numpy's cost per
# call is spread over thousands of start minutes, few enough that what a stack holds (a
# year of candidates for each search) stays a few megabytes.
CALENDARS_SEARCHED_TOGETHER = 8


# Not frozen, as ChainBreach and servicetime.BreachWindow are not: a catalogue makes tens
# of thousands of each, and a frozen dataclass sets every field through object.__setattr__,
# at five times the cost. Nothing changes one once it is made.
@dataclass
class Clock:
    """One deadline of one agreement: a target and the covered time it counts in."""

    agreement: Agreement
    kind: str  # "response", "resolution" or "metric"
    key: str  # the priority's or the metric's id: what is matched across the chain
    label: str  # "P1 resolution", "metric laptop-swap"
    duration: Duration
    minutes: float  # in covered minutes of the calendar
    calendar: Calendar | None  # None: elapsed time (no service hours stated)
    path: tuple  # the node of the target, for a location
    field: str

    @property
    def zone(self) -> str:
        return self.calendar.data["timezone"] if self.calendar is not None else "UTC"

    @cached_property
    def calendar_words(self) -> str:
        return self.calendar.title if self.calendar is not None else "elapsed time"

    @cached_property
    def target_words(self) -> str:
        """ "4h (Singapore business hours)", "1d (9 hours, Singapore business hours)"."""
        if self.duration.needs_calendar:
            return f"{self.duration.text} ({format_minutes(self.minutes)}, {self.calendar_words})"
        return f"{self.duration.text} ({self.calendar_words})"

    @cached_property
    def shape(self) -> CalendarShape | None:
        """What the clock's covered time is made of (CalendarShape), asked for every reading."""
        return _calendar_shape(self.calendar)

    @cached_property
    def searched(self) -> tuple:
        """What of the clock a search is of (see _Searches.key), asked for every pair it is in."""
        return (self.shape, self.minutes)

    @cached_property
    def location(self):
        # every finding of the clock names it: looked up once
        return self.agreement.record.location(self.path)


def clocks(agreement: Agreement) -> list[Clock]:
    """The agreement's deadlines that a timeline can follow: a target with a length in
    covered time (a day with no calendar has none, and a zero target cannot be late)."""
    found = []
    for index, priority in enumerate(agreement.priorities):
        for which in ("response", "resolution"):
            duration, minutes = getattr(priority, which), priority.minutes(which)
            if duration is not None and minutes:
                found.append(Clock(agreement, which, priority.id, f"{priority.id} {which}", duration, minutes,
                                   priority.calendar, ("priorities", index, which), f"priorities[{index}].{which}"))
    for index, metric in enumerate(agreement.metric_targets):
        minutes = metric.target_minutes
        if metric.duration is not None and minutes:
            found.append(Clock(agreement, "metric", metric.id, f"metric {metric.id}", metric.duration, minutes,
                               metric.calendar, ("metrics", index, "target"), f"metrics[{index}].target"))
    return found


def _kept(owner: object) -> dict:
    """What the timeline works out once per model object, kept on the object itself.

    Not in a module-level WeakKeyDictionary: its values (clocks, windows, engines) point
    back at their agreement or catalogue, which would then never be freed, so a long
    `mkdocs serve` would keep every build's model. On the object, it goes with it."""
    return owner.__dict__.setdefault("_timeline", {})


def let_go(catalogue: Catalogue) -> None:
    """Forget what the timeline kept on the catalogue's objects (_kept), for a caller done
    with the pages: `check`, which writes the findings alone. Freed there and then, by
    reference counting, the memory is used again for writing the findings, and the
    collector at the process's end has a third fewer objects to walk."""
    for owner in (catalogue, *catalogue.agreements, *catalogue.calendars):
        owner.__dict__.pop("_timeline", None)


def _clocks(agreement: Agreement) -> list[Clock]:
    """clocks(agreement), read once: the chain search, the escalations and the rules all
    ask, an agreement under many others many times."""
    kept = _kept(agreement)
    if "clocks" not in kept:
        kept["clocks"] = clocks(agreement)
    return kept["clocks"]


def _clocks_by_target(agreement: Agreement) -> dict[tuple[str, str], Clock]:
    """_clocks by what is matched across a chain (kind, key), read once: an agreement is
    under many others."""
    kept = _kept(agreement)
    if "by_target" not in kept:
        kept["by_target"] = {(clock.kind, clock.key): clock for clock in _clocks(agreement)}
    return kept["by_target"]


def _underneath(upper: Agreement):
    """(lower, path) for every in-play agreement under upper, nearest first; path runs from
    upper's first underpinning agreement down to lower. Cycles and repeats are cut."""
    seen = {upper.id}
    frontier: list[tuple[Agreement, tuple[Agreement, ...]]] = [(upper, ())]
    for _depth in range(DEEPEST_CHAIN):
        following = []
        for agreement, path in frontier:
            for lower in agreement.underpinned_by:
                if lower.id in seen or not in_play(lower):
                    continue
                seen.add(lower.id)
                following.append((lower, path + (lower,)))
                yield lower, path + (lower,)
        frontier = following


def _period(upper: Agreement, lower: Agreement, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    """Local dates [first, last) searched: the next 12 months from the as-of date, or the
    agreements' common period within them, whichever is shorter."""
    if not _searchable(as_of):
        return None
    first = max([as_of] + [d for d in (upper.start, lower.start) if d is not None])
    last = as_of + dt.timedelta(days=SEARCH_DAYS)
    for end in (upper.end, lower.end):
        if end is not None and end < last:
            last = end + dt.timedelta(days=1)
    return (first, last) if first < last else None


def _searchable(as_of: dt.date) -> bool:
    """Whether the search, and every deadline it can reach (ten years at most), fits in
    the dates Python has: an as-of date in year 9999 has no 12 months after it."""
    return as_of <= dt.date.max - dt.timedelta(days=SEARCH_DAYS + 2 * 3660)


@dataclass  # not frozen: see Clock
class ChainBreach:
    """A breach window: the starts at which the lower clock's deadline falls after the upper's.

    Two readings of it. The period searched (12 months at most) holds every start,
    holidays included. An ordinary week (the first one of the period with no holiday of
    either calendar and no change of clocks, for as long as a deadline of a ticket raised
    in it can run) says what happens week in, week out: its share, its worst case and its
    picture are what a reader recognises, where the period's worst case is nearly always
    a Christmas closure. A window that opens only around holidays has no ordinary week
    reading (`ordinary` is false)."""

    upper: Clock
    lower: Clock
    path: tuple[Agreement, ...]  # from the first agreement under upper down to lower.agreement
    first: int  # the period searched, UTC minutes [first, last)
    last: int
    window: BreachWindow
    safe_minutes: int  # the upper target, in its covered minutes, that no start of the period would breach
    week_first: int | None = None  # the ordinary week: its Monday 00:00 in the upper zone, UTC minutes
    week: BreachWindow | None = None
    safe_week_minutes: int | None = None  # as safe_minutes, for the starts of the ordinary week
    # The two engines the window was read from, for the deadlines of the worst case.
    _engines: tuple = field(default=(), compare=False, repr=False)

    @property
    def via(self) -> tuple[Agreement, ...]:
        """The agreements between the two, for a chain longer than one step."""
        return self.path[:-1]

    @cached_property  # asked by each sentence of the message, as is worst
    def ordinary(self) -> bool:
        """Whether tickets raised in an ordinary week breach (not only around holidays)."""
        return self.week is not None and self.week.breaching > 0

    @property
    def period_share(self) -> float:
        return self.window.share

    @property
    def share(self) -> float:
        """The share of an ordinary week's start minutes that breach; of the period's where
        the period has no ordinary week."""
        return self.week.share if self.week is not None else self.window.share

    @cached_property
    def worst(self) -> BreachWindow:
        """The reading the counterexample is taken from: the ordinary week where it breaches."""
        return self.week if self.ordinary and self.week is not None else self.window

    @property
    def worst_gap(self) -> int:
        return self.worst.worst_gap

    @cached_property
    def raised(self) -> int:
        assert self.worst.worst_start is not None
        return self.worst.worst_start

    @property
    def due_upper(self) -> int | None:
        return self._dues[0]

    @property
    def due_lower(self) -> int | None:
        return self._dues[1]

    @property
    def _dues(self) -> tuple[int | None, int | None]:
        # Kept with the reading they come from: the pairs of one search read the same
        # window (the same engines and targets), and so share its worst case's deadlines.
        kept = self.worst.__dict__
        if "_dues" not in kept:
            kept["_dues"] = (self._engines[0].after_minute(self.raised, self.upper.minutes),
                             self._engines[1].after_minute(self.raised, self.lower.minutes))
        return kept["_dues"]

    @property
    def week_hours(self) -> float:
        """The share as hours of a 168-hour week."""
        return self.share * HOURS_PER_WEEK

    @cached_property
    def week_shares(self) -> tuple[float, ...]:
        """168 shares, Monday 00:00 first, in the upper clock's zone, for the picture of the
        week: 1 for an hour in which a ticket raised (at some minute of it) breaches in an
        ordinary week; otherwise, of the weeks of the period, the share in which it
        breaches (around holidays, or on one side of a change of clocks). Every week of a
        year has some holiday within reach in many calendars, so "in every week of the
        period" would leave nearly nothing solid; the ordinary week is what recurs."""
        shares = self._period_week_shares()
        if self.week is None or self.week_first is None:
            return shares
        edges = self.week_first + 60 * np.arange(HOURS_PER_WEEK + 1, dtype=np.int64)
        run_starts, run_ends = self.week.run_starts, self.week.run_ends
        # breaching minutes before each hour's edge, then in each hour
        before = np.clip(edges[:, None] - run_starts[None, :], 0, (run_ends - run_starts)[None, :]).sum(axis=1)
        in_hour = np.diff(before)
        return tuple(1.0 if minutes else share for minutes, share in zip(in_hour, shares))

    def _period_week_shares(self) -> tuple[float, ...]:
        hours, local_hours = [], []
        for start, end, offset in _segments(self.upper.zone, self.first, self.last):
            # the UTC minutes at which a local hour begins, in this stretch
            begin = start + (-(start + offset)) % 60
            at = np.arange(begin, end, 60, dtype=np.int64)
            hours.append(at)
            local_hours.append((at + offset) // 60)
        if not hours:
            return (0.0,) * HOURS_PER_WEEK
        at, local = np.concatenate(hours), np.concatenate(local_hours)
        # 1970-01-01 was a Thursday: hour 0 of the epoch is hour 72 of a Monday-first week
        hour_of_week = (local + 72) % HOURS_PER_WEEK
        starts, ends = self.window.run_starts, self.window.run_ends
        index = np.searchsorted(ends, at, side="right")
        safe_index = np.minimum(index, max(len(starts) - 1, 0))
        hit = (index < len(starts)) & (starts[safe_index] < at + 60) if len(starts) else np.zeros(len(at), dtype=bool)
        seen = np.bincount(hour_of_week, minlength=HOURS_PER_WEEK)
        hits = np.bincount(hour_of_week[hit], minlength=HOURS_PER_WEEK)
        return tuple(float(h / n) if n else 0.0 for h, n in zip(hits, seen))

    # -- in words ----------------------------------------------------------------

    @property
    def summary(self) -> str:
        """What the window is, with the share: the first sentence of every finding."""
        lower = self.lower.agreement
        via = f" (through {', '.join(a.title for a in self.via)})" if self.via else ""
        miss = (f"would miss the {self.upper.label} target of {self.upper.agreement.title}, {self.upper.target_words}, "
                f"if {lower.title}{via} used all of its {self.lower.target_words}")
        if self.ordinary:
            hours = round(self.week_hours)
            hours_words = "under 1" if hours == 0 else "all" if self.share == 1 else f"about {hours}"
            week_words, period_words = share_words(self.share), share_words(self.period_share)
            period = f" (over the whole period searched: {period_words})" if period_words != week_words else ""
            return (f"A {self.upper.key} ticket raised in {hours_words} of the 168 hours of an ordinary week "
                    f"({week_words}){period} {miss}")
        return (f"Around holidays, a {self.upper.key} ticket raised in {share_words(self.period_share)} of the period "
                f"searched {miss}; in an ordinary week none would")

    @property
    def counterexample(self) -> str:
        """The worst case in the local time of each party's calendar."""
        upper_zone, lower_zone = self.upper.zone, self.lower.zone
        raised = local_words(self.raised, upper_zone)
        if lower_zone != upper_zone:
            raised += f" ({local_words(self.raised, lower_zone)})"
        due_lower = (
            f"due from {self.lower.agreement.title} {local_words(self.due_lower, lower_zone)}"
            if self.due_lower is not None
            else f"due from {self.lower.agreement.title} only after the end of the period searched"
        )
        words = (
            f"Worst case: raised {raised}, {due_lower}, but due to the customer "
            f"{local_words(self.due_upper, upper_zone) if self.due_upper is not None else 'after the period searched'}: "
            f"{format_minutes(self.worst_gap)} late"
        )
        if self.ordinary and self.window.worst_start is not None and self.window.worst_gap > self.worst_gap:
            words += (f"; around holidays it is worse: raised {local_words(self.window.worst_start, upper_zone)}, "
                      f"{format_minutes(self.window.worst_gap)} late")
        return words

    @property
    def remedy(self) -> str:
        """What would close the window."""
        upper = self.upper
        unit = upper.duration.unit
        if self.ordinary and self.safe_week_minutes is not None:
            words = (f"A {upper.label} target of {safe_duration(self.safe_week_minutes, unit)} in {upper.calendar_words} "
                     f"would be safe in an ordinary week")
            if self.safe_minutes > self.safe_week_minutes:
                words += f" ({safe_duration(self.safe_minutes, unit)} around the holidays of the period)"
        else:
            words = (f"A {upper.label} target of {safe_duration(self.safe_minutes, unit)} in {upper.calendar_words} "
                     f"would be safe")
        # only where the upper clock runs at some minute of the period when the lower one does not
        if self.lower.calendar is not None and self._engines[0].uncovered_during(self._engines[1], self.first, self.last):
            words += (
                f", or {self.lower.agreement.title} would need its {self.lower.label} clock to run in the hours "
                f"of {upper.calendar_words} too"
            )
        return words

    @property
    def message(self) -> str:
        return f"{self.summary}. {self.counterexample}. {self.remedy}"

    @property
    def target_kind(self) -> str:
        return self.upper.kind


def share_words(share: float) -> str:
    percent = share * 100
    if 0 < percent < 1:
        return "under 1%"
    if 99 < percent < 100:
        return "over 99%"
    return f"{percent:.0f}%"


@lru_cache(maxsize=1 << 16)
def local_words(minute: int, zone: str) -> str:
    """ "Friday 2026-12-04 14:01 Asia/Singapore"."""
    moment = from_minutes(minute, zoneinfo.ZoneInfo(zone))
    return f"{DAY_NAMES[WEEKDAYS[moment.weekday()]]} {moment:%Y-%m-%d %H:%M} {zone}"


def safe_duration(minutes: int, unit: str) -> str:
    """A target at least as long as minutes, written in hours (or minutes, under an hour):
    a day or a week would have to be read in some calendar's service day again."""
    if minutes < 60 and unit == "m":
        return f"{minutes}m"
    return f"{math.ceil(minutes / 60)}h"


@lru_cache(maxsize=256)
def _segments(zone: str, first: int, last: int) -> tuple[tuple[int, int, int], ...]:
    """The zone's stretches of one UTC offset over a period: the same few for every window."""
    return tuple(_offset_segments(zoneinfo.ZoneInfo(zone), first, last))


# -- the search --------------------------------------------------------------------


def _reach_days(clock: Clock) -> int:
    """Days a deadline can lie after its start in a week with no holiday: its weeks of
    covered time, and a day for where in the week it starts."""
    weekly = clock.calendar.coverage.hours_per_week * 60 if clock.calendar is not None else 7 * DAY
    return math.ceil(clock.minutes / weekly * 7) + 1 if weekly else 3650


class _Engines:
    """The covered time of each calendar over the dates every pair needs, worked out once."""

    def __init__(self):
        # by the calendar's shape (CalendarShape): two calendars that cover the same hours share one
        self.needs: dict[tuple, tuple[dt.date, dt.date, Calendar]] = {}
        self.built: dict[tuple, ServiceTime] = {}
        self.elapsed: dict[tuple[int, int], ServiceTime] = {}  # no calendar: every minute counts
        self.rebuilt = 0  # how many engines were built again for a longer span: pairs read before are stale

    def need(self, clock: Clock, first: dt.date, last: dt.date) -> None:
        if clock.calendar is None:
            return
        calendar, shape = clock.calendar, clock.shape
        # the days a deadline can lie beyond the period: its weeks of covered time, and slack for holidays
        pad = dt.timedelta(days=min(3650, _reach_days(clock) + 30))
        start, end = first - dt.timedelta(days=1), last + pad
        if shape in self.needs:
            old_start, old_end, _ = self.needs[shape]
            if start >= old_start and end <= old_end:
                return
            if self.built.pop(shape, None) is not None:  # built for less than is needed now
                self.rebuilt += 1
            start, end = min(start, old_start), max(end, old_end)
        self.needs[shape] = (start, end, calendar)

    def of(self, clock: Clock, first: int, last: int) -> ServiceTime:
        if clock.calendar is None:
            if (first, last) not in self.elapsed:
                self.elapsed[first, last] = ServiceTime.elapsed(from_minutes(first - DAY), from_minutes(last + 3650 * DAY))
            return self.elapsed[first, last]
        shape = clock.shape
        if shape not in self.built:
            start, end, calendar = self.needs[shape]
            self.built[shape] = ServiceTime.of_calendar(calendar, start, end)
        return self.built[shape]


@lru_cache(maxsize=4096)
def _local_midnight(day: dt.date, zone: str) -> int:
    return to_minutes(dt.datetime.combine(day, dt.time(), zoneinfo.ZoneInfo(zone)))


def _ordinary_weeks(upper: Clock, lower: Clock, first: dt.date, last: dt.date) -> list[dt.date]:
    """The Mondays (in the upper zone) of [first, last) from which a week of starts, and
    every deadline of those starts, meets no holiday of either calendar and no change of
    either zone's clocks."""
    reach = 7 + max(_reach_days(upper), _reach_days(lower))
    if reach > 400:
        return []
    end = last + dt.timedelta(days=reach + 1)
    unusual: set[dt.date] = set()  # days a deadline must not meet
    for calendar in (upper.calendar, lower.calendar):
        if calendar is not None:
            unusual.update(_holidays(calendar, first.year, end.year))
    for zone in {upper.zone, lower.zone}:
        unusual.update(_clock_changes(zone, first - dt.timedelta(days=1), end))
    days = sorted(unusual)
    found = []
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    while monday + dt.timedelta(days=7) <= last:
        at = bisect_left(days, monday - dt.timedelta(days=1))
        if at == len(days) or days[at] > monday + dt.timedelta(days=reach):
            found.append(monday)
        monday += dt.timedelta(days=7)
    return found


@lru_cache(maxsize=1024)
def _clock_changes(zone_name: str, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The local days in [first, last] whose noon has another UTC offset than the day before's."""
    zone = zoneinfo.ZoneInfo(zone_name)
    found, day, offset = [], first, None
    while day <= last:
        now = dt.datetime.combine(day, dt.time(12), zone).utcoffset()
        if offset is not None and now != offset:
            found.append(day)
        day, offset = day + dt.timedelta(days=1), now
    return tuple(found)


def _holidays(calendar: Calendar, first_year: int, last_year: int) -> dict:
    """calendar.holiday_dates as {day: holiday}, kept: every pair the calendar is in asks."""
    by_years = _kept(calendar).setdefault("holidays", {})
    if (first_year, last_year) not in by_years:
        by_years[first_year, last_year] = dict(calendar.holiday_dates(first_year, last_year))
    return by_years[first_year, last_year]


@lru_cache(maxsize=4096)
def _local_day(minute: int, zone: str) -> dt.date:
    return from_minutes(minute, zoneinfo.ZoneInfo(zone)).date()


def _ordinary_week(mondays: list[dt.date], first: dt.date, last: dt.date) -> dt.date | None:
    """The first of the ordinary Mondays whose week lies in [first, last)."""
    at = bisect_left(mondays, first)
    if at < len(mondays) and mondays[at] + dt.timedelta(days=7) <= last:
        return mondays[at]
    return None


class _Searches:
    """Two clocks' search, once for each pair of calendars and lengths over the 12 months
    from the as-of date; any period inside them (an agreement's, an ordinary week) is read
    from that search (servicetime.narrowed), never searched again. Shared by the chain
    search and the escalations of one catalogue and date, as are the engines."""

    def __init__(self, as_of: dt.date):
        self.span = (as_of, as_of + dt.timedelta(days=SEARCH_DAYS))
        self.engines = _Engines()
        self.memo: dict[tuple, object] = {}
        self.pairs: dict[tuple, tuple[ServiceTime, ServiceTime]] = {}
        self.needed: dict[tuple, Clock] = {}

    def need(self, clock: Clock) -> None:
        # by what is searched of it: the clocks of many agreements share a calendar's shape and a length
        if clock.searched not in self.needed:
            self.needed[clock.searched] = clock
            self.engines.need(clock, *self.span)

    def once(self, key: tuple, work):
        if key not in self.memo:
            self.memo[key] = work()
        return self.memo[key]

    def bounds(self, zone: str) -> tuple[int, int]:
        """The span in UTC minutes, from local midnight to local midnight in the zone."""
        return _local_midnight(self.span[0], zone), _local_midnight(self.span[1], zone)

    def engines_of(self, upper: Clock, lower: Clock) -> tuple[ServiceTime, ServiceTime]:
        key = (upper.shape, lower.shape, upper.zone, self.engines.rebuilt)
        if key not in self.pairs:
            first, last = self.bounds(upper.zone)
            self.pairs[key] = self.engines.of(upper, first, last), self.engines.of(lower, first, last)
        return self.pairs[key]

    def key(self, upper: Clock, lower: Clock) -> tuple:
        """What a search is of: two clocks' covered times and lengths (the upper zone's days)."""
        return upper.searched + lower.searched + (upper.zone,)

    def window(self, upper: Clock, lower: Clock, first: int, last: int) -> BreachWindow:
        """breach_window of the two clocks for the starts [first, last) inside the span,
        without the worst-case candidates (what reading a part needs, not the readers):
        read as the chain search reads its periods (_Reading), and kept."""
        wanted = self.key(upper, lower) + ("window", first, last)
        if wanted not in self.memo:
            self.memo[wanted] = _Reading(self, upper, lower).window(first, last)
        return self.memo[wanted]  # type: ignore[return-value]

    def search_together(self, pairs: list[tuple[Clock, Clock]], ends: dict[tuple, list[int]] | None = None) -> None:
        """Search the pairs of clocks in one go, of whatever calendars, with their wait
        profiles (servicetime.breach_windows_and_waits): what window and waits then read,
        instead of searching each alone. `ends`: by search key, the starts whose gaps and
        waits its readings will ask for (_Reading.ends), read with it."""
        fresh: dict[tuple, tuple[Clock, Clock]] = {}
        for upper, lower in pairs:
            fresh.setdefault(self.key(upper, lower), (upper, lower))
        fresh = {key: clocks for key, clocks in fresh.items() if key + ("window",) not in self.memo}
        if not fresh:
            return
        searches = []
        for upper, lower in fresh.values():
            upper_engine, lower_engine = self.engines_of(upper, lower)
            searches.append(BreachSearch(upper_engine, upper.minutes, lower_engine, lower.minutes, *self.bounds(upper.zone)))
        windows, profiles = breach_windows_and_waits(
            searches, ends=[ends.get(key, ()) for key in fresh] if ends is not None else None)
        for key, window, profile in zip(fresh, windows, profiles):
            self.memo[key + ("window",)] = window
            if window.breaching:  # what a reading of a window that never breaches asks for
                self.memo.setdefault(key + ("waits",), profile)

    def whole(self, upper: Clock, lower: Clock) -> BreachWindow:
        """The two clocks' search over the span, with its worst-case candidates (what parts are read from)."""
        span_first, span_last = self.bounds(upper.zone)
        upper_engine, lower_engine = self.engines_of(upper, lower)
        return self.once(self.key(upper, lower) + ("window",), lambda: breach_window(
            upper_engine, upper.minutes, lower_engine, lower.minutes, span_first, span_last))

    def forget(self, upper: Clock, lower: Clock) -> None:
        """Let the two clocks' search over the whole span go, once every part wanted is read:
        its candidates and wait profile take tens of kilobytes each, for thousands of pairs."""
        key = self.key(upper, lower)
        self.memo.pop(key + ("window",), None)
        self.memo.pop(key + ("waits",), None)

    def waits(self, upper: Clock, lower: Clock) -> WaitProfile:
        span_first, span_last = self.bounds(upper.zone)
        upper_engine, lower_engine = self.engines_of(upper, lower)
        return self.once(self.key(upper, lower) + ("waits",), lambda: WaitProfile.of(
            upper_engine, lower_engine, lower.minutes, span_first, span_last))


def _searches(catalogue: Catalogue, as_of: dt.date) -> _Searches:
    return _kept(catalogue).setdefault("searches", {}).setdefault(as_of, _Searches(as_of))


def _search(catalogue: Catalogue, as_of: dt.date) -> list[ChainBreach]:
    if not _searchable(as_of):
        return []
    searches = _searches(catalogue, as_of)
    pairs = []
    for upper in catalogue.agreements:
        if not in_play(upper):
            continue
        ours = _clocks(upper)
        if not ours:
            continue
        for lower, path in _underneath(upper):
            period = _period(upper, lower, as_of)
            if period is None:
                continue
            theirs = _clocks_by_target(lower)
            for clock in ours:
                their = theirs.get((clock.kind, clock.key))
                if their is not None:
                    pairs.append((clock, their, path, period))
    for clock in {id(clock): clock for pair in pairs for clock in pair[:2]}.values():
        searches.need(clock)

    # The pairs of the same two calendars searched together, and read together, so that
    # their searches can be let go after them.
    by_calendars: dict[tuple, dict[tuple, list[int]]] = {}
    for index, (clock, their, _path, _dates) in enumerate(pairs):
        by_calendars.setdefault((clock.shape, their.shape, clock.zone), {}).setdefault(
            searches.key(clock, their), []).append(index)
    readings: list = [None] * len(pairs)
    groups = list(by_calendars.values())
    for batch in range(0, len(groups), CALENDARS_SEARCHED_TOGETHER):
        together = [(key, indices, _Reading(searches, *pairs[indices[0]][:2]))
                    for by_key in groups[batch:batch + CALENDARS_SEARCHED_TOGETHER] for key, indices in by_key.items()]
        searches.search_together([reading.clocks for _, _, reading in together],
                                 {key: reading.ends([pairs[index][3] for index in indices]) for key, indices, reading in together})
        for _, indices, reading in together:
            for index in indices:
                readings[index] = reading.of(*pairs[index][3])
            searches.forget(*reading.clocks)
    return [ChainBreach(clock, their, path, *reading)
            for (clock, their, path, _dates), reading in zip(pairs, readings) if reading is not None]


class _Reading:
    """The pairs of one search (two clocks' calendars and targets) read for their periods:
    what they share (the search over the span, its wait profile, the ordinary weeks) is
    looked up once, and each period, each ordinary week, read once."""

    def __init__(self, searches: _Searches, upper: Clock, lower: Clock):
        self.searches, self.upper, self.lower = searches, upper, lower
        self.clocks = (upper, lower)
        self.zone = upper.zone
        self.span = searches.bounds(upper.zone)
        self.engines = searches.engines_of(upper, lower)
        self.parts: dict[tuple[int, int], BreachWindow] = {}
        self.safe: dict[int, int] = {}  # by the first minute of an ordinary week
        self.readings: dict[tuple[dt.date, dt.date], tuple | None] = {}
        self.minutes: dict[tuple[dt.date, dt.date], tuple[int, int, int | None]] = {}

    def window(self, first: int, last: int) -> BreachWindow:
        if (first, last) == self.span:
            return self.whole
        if (first, last) not in self.parts:
            if not self.whole.breaching:
                return BreachWindow(last - first, 0, None, 0, strict=self.whole.strict)
            upper_engine, lower_engine = self.engines
            # without the worst-case candidates: a part is read, not narrowed again
            self.parts[first, last] = narrowed(self.search, upper_engine, self.upper.minutes, lower_engine,
                                               self.lower.minutes, first, last, candidates=False)
        return self.parts[first, last]

    @cached_property
    def search(self) -> BreachWindow:
        """The search over the span with its candidates, what every part is read from."""
        return self.searches.whole(self.upper, self.lower)

    @cached_property
    def whole(self) -> BreachWindow:
        """The span read as a part: the search without its candidates, which stay with it."""
        search = self.search
        return BreachWindow(search.starts, search.breaching, search.worst_start, search.worst_gap,
                            search.run_starts, search.run_ends, strict=search.strict)

    @cached_property
    def waits(self) -> WaitProfile:
        return self.searches.waits(self.upper, self.lower)

    @cached_property
    def mondays(self) -> list[dt.date]:
        upper, lower = self.upper, self.lower
        # what an ordinary week depends on: the zones, the holidays and how far deadlines reach
        return self.searches.once((upper.zone, upper.shape and upper.shape.holidays, lower.zone,
                                   lower.shape and lower.shape.holidays, max(_reach_days(upper), _reach_days(lower)), "weeks"),
                                  lambda: _ordinary_weeks(upper, lower, *self.searches.span))

    def ends(self, periods: list[tuple[dt.date, dt.date]]) -> list[int]:
        """The starts whose gap and wait reading these periods asks for (_read): the first
        and last of each, and of its ordinary week."""
        found: set[int] = set()
        for period in periods:
            first, last, week_first = self._minutes(*period)
            found.update((first, last - 1))
            if week_first is not None:
                found.update((week_first, week_first + 7 * DAY - 1))
        return sorted(found)

    def _minutes(self, first_day: dt.date, last_day: dt.date) -> tuple[int, int, int | None]:
        """A period's first and last minute, and the first of its ordinary week (or None),
        worked out once for ends and _read."""
        if (first_day, last_day) not in self.minutes:
            monday = _ordinary_week(self.mondays, first_day, last_day)
            self.minutes[first_day, last_day] = (_local_midnight(first_day, self.zone), _local_midnight(last_day, self.zone),
                                                 _local_midnight(monday, self.zone) if monday is not None else None)
        return self.minutes[first_day, last_day]

    def of(self, first_day: dt.date, last_day: dt.date) -> tuple | None:
        """The fields of a pair's ChainBreach after its clocks, None where it never breaches."""
        if (first_day, last_day) not in self.readings:
            self.readings[first_day, last_day] = self._read(first_day, last_day)
        return self.readings[first_day, last_day]

    def _read(self, first_day: dt.date, last_day: dt.date) -> tuple | None:
        first, last, week_first = self._minutes(first_day, last_day)
        window = self.window(first, last)
        if not window.breaching:
            return None
        safe, _ = self.waits.longest(first, last)
        week = safe_week = None
        if week_first is not None:
            week = self.window(week_first, week_first + 7 * DAY)
            if week.breaching:
                if week_first not in self.safe:
                    self.safe[week_first] = self.waits.longest(week_first, week_first + 7 * DAY)[0]
                safe_week = self.safe[week_first]
        return first, last, window, safe, week_first, week, safe_week, self.engines


def shared_targets(upper: Agreement, lower: Agreement) -> bool:
    """Whether the two have a target in common that a timeline can follow."""
    theirs = _clocks_by_target(lower)
    return any((c.kind, c.key) in theirs for c in _clocks(upper))


class CalendarShape(NamedTuple):
    """What a clock's covered time is made of: the zone, the weekly hours and the holidays
    (its own and inherited, dated or recurring), not the calendar's id. Calendars written
    apart with the same hours (each team's "UK business hours") are searched once."""

    zone: str
    always: bool
    weekly: frozenset
    holidays: frozenset


def _calendar_shape(calendar: Calendar | None) -> CalendarShape | None:
    if calendar is None:
        return None
    kept = _kept(calendar)
    if "shape" not in kept:
        data = calendar.data
        weekly = frozenset((frozenset(w["days"]), w["from"], w["to"]) for w in data.get("weekly") or ())
        holidays = frozenset((h.date, h.recurring) for h in calendar.holiday_list)
        kept["shape"] = CalendarShape(data["timezone"], data.get("always") is True, weekly, holidays)
    return kept["shape"]


def chain_breaches(catalogue: Catalogue, as_of: dt.date) -> list[ChainBreach]:
    """Every breach window of the catalogue as of a date, nearest pairs first, worked out
    once per catalogue and date whoever asks (rules, pages, the health page, the diff)."""
    by_date = _kept(catalogue).setdefault("breaches", {})
    if as_of not in by_date:
        by_date[as_of] = _search(catalogue, as_of)
    return by_date[as_of]


# -- holidays and escalation ---------------------------------------------------------


@dataclass(frozen=True)
class HolidayMismatch:
    """A holiday of the lower calendar on a day the upper clock runs, that opens a breach."""

    breach: ChainBreach
    day: dt.date
    title: str
    extra: int  # breaching start minutes that day more than on the same weekday a week apart


def holiday_mismatches(catalogue: Catalogue, as_of: dt.date) -> list[HolidayMismatch]:
    """Found from the breach windows themselves: on a holiday of the lower calendar that is
    not one of the upper calendar, more tickets raised that day breach than on the same
    weekday of a week before (or after)."""
    found = []
    # the days to look at, by the calendars and the period: the same for thousands of pairs
    days_of: dict[tuple, list] = {}
    for breach in chain_breaches(catalogue, as_of):
        lower_calendar, upper_calendar = breach.lower.calendar, breach.upper.calendar
        if lower_calendar is None:
            continue
        key = (id(lower_calendar), id(upper_calendar), breach.upper.zone, breach.first, breach.last)
        if key not in days_of:
            days_of[key] = _mismatch_days(lower_calendar, upper_calendar, breach.upper.zone, breach.first, breach.last)
        upper_engine, window = breach._engines[0], breach.window
        for day, title, (start, end), others in days_of[key]:
            if upper_engine.covered_before(end) == upper_engine.covered_before(start):
                continue  # the upper clock does not run that day: nothing is lost by the closure itself
            extra = window.breaching_between(start, end) - min(window.breaching_between(*other) for other in others)
            if extra > 0:
                found.append(HolidayMismatch(breach, day, title, extra))
    return found


def _mismatch_days(lower: Calendar, upper: Calendar | None, zone_name: str, first: int, last: int) -> list:
    """(day, title, its minutes, the minutes of the same weekday a week before and after)
    for each holiday of the lower calendar in the period that is not one of the upper's,
    with a week before or after in the period that is no holiday of the lower either."""
    zone = zoneinfo.ZoneInfo(zone_name)
    first_day, last_day = _local_day(first, zone_name), _local_day(last, zone_name)
    theirs = _holidays(lower, first_day.year, last_day.year)
    ours = _holidays(upper, first_day.year, last_day.year) if upper is not None else {}

    def minutes(day: dt.date) -> tuple[int, int]:
        return (to_minutes(dt.datetime.combine(day, dt.time(), zone)),
                to_minutes(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)))

    found = []
    for day in sorted(theirs):
        if not first_day <= day < last_day or day in ours:
            continue
        others = [minutes(d) for d in (day - dt.timedelta(days=7), day + dt.timedelta(days=7))
                  if first_day <= d < last_day and d not in theirs]
        if others:
            found.append((day, theirs[day].title, minutes(day), others))
    return found


@dataclass(frozen=True)
class LateEscalation:
    """An escalation level that can come only after even the least urgent resolution target is missed."""

    agreement: Agreement
    index: int  # in `escalation`
    level: object
    after: Duration
    resolution: Clock
    window: BreachWindow
    first: int
    zone: str
    escalation: Clock


def late_escalations(catalogue: Catalogue, as_of: dt.date) -> list[LateEscalation]:
    """Each escalation `after` counts in the agreement's service hours; each incident
    priority's resolution in its own. Where the escalation can fall after the deadline of
    the least urgent incident priority (the last listed), the level can come too late for
    every one of them. (Against the most urgent, nearly every second level of a business
    hours desk is late, which says nothing: it is meant for the slower faults.)"""
    if not _searchable(as_of):
        return []
    wanted = []
    searches = _searches(catalogue, as_of)
    for agreement in catalogue.agreements:
        if not in_play(agreement):
            continue
        urgent = next((c for c in reversed(_clocks(agreement)) if c.kind == "resolution"
                       and agreement.priorities[c.path[1]].applies_to == "incidents"), None)
        period = _period(agreement, agreement, as_of) if urgent is not None else None
        if urgent is None or period is None:
            continue
        coverage = agreement.calendar.coverage if agreement.calendar else None
        for index, level in enumerate(agreement.get("escalation") or ()):
            after = Duration.parse(level.get("after")) if isinstance(level, dict) else None
            minutes = after.covered_minutes(coverage) if after is not None else None
            if after is None or not minutes:
                continue
            escalation = Clock(agreement, "escalation", str(level.get("level")), f"level {level.get('level')} escalation",
                               after, minutes, agreement.calendar, ("escalation", index, "after"), f"escalation[{index}].after")
            searches.need(urgent)
            searches.need(escalation)
            wanted.append((agreement, index, level, after, urgent, escalation, period))
    found = []
    for agreement, index, level, after, urgent, escalation, (first_day, last_day) in wanted:
        first, last = _local_midnight(first_day, urgent.zone), _local_midnight(last_day, urgent.zone)
        window = searches.window(urgent, escalation, first, last)
        if window.breaching:
            found.append(LateEscalation(agreement, index, level.get("level"), after, urgent, window, first, urgent.zone,
                                        escalation))
    return found
