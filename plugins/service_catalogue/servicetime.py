"""The service-time engine: when a calendar's clock runs, to the minute, across time zones,
daylight saving changes, holidays and maintenance windows.

A calendar's covered time over a span of dates is worked out once, as sorted, disjoint
intervals of UTC minutes with a running total of covered minutes. Then both questions
are a binary search:

- `covered_minutes(start, end)`: how many covered minutes lie between two instants;
- `after(start, minutes)`: the instant at which that many covered minutes have passed.

What "covered" means, exactly: a UTC minute is covered when its wall-clock time in the
calendar's zone falls in one of the weekly windows of that local day, the local date is
not a holiday, and no maintenance window holds it. So on the night the clocks go back a
window over 01:30 covers both 01:30s, and on the night they go forward a window over the
missing hour covers only the hours that exist. tests/test_servicetime.py holds the engine
to a minute-by-minute reading of that sentence.

It is the one answer to "how much covered time": timeplan's weekly figures (hours a
week, a service day, maintenance inside the hours) are read from it over a reference
week, and the timeline rules, the diff and the pages read the same engine over dates.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
import zoneinfo
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from service_catalogue.lazy import cached_property

# The weekdays as the format writes them, Monday first (date.weekday() order), and a
# wall-clock time as minutes after midnight: the engine's terms, which timeplan re-exports.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def minutes_of(clock: str) -> int:
    """ "08:30" -> 510; "24:00" -> 1440 (the end of the day)."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
DAY = 24 * 60
WEEK = 7 * DAY

Interval = tuple[int, int]  # [start, end) in UTC minutes since the epoch


def to_minutes(instant: dt.datetime) -> int:
    """An aware instant as whole UTC minutes since the epoch (seconds are dropped)."""
    if instant.tzinfo is None:
        raise ValueError("an instant needs a time zone: a naive time means nothing to the clock")
    return int((instant - EPOCH).total_seconds() // 60)


def from_minutes(minutes: int, zone: dt.tzinfo | None = None) -> dt.datetime:
    instant = EPOCH + dt.timedelta(minutes=minutes)
    return instant.astimezone(zone) if zone is not None else instant


@dataclass(frozen=True)
class Window:
    """A weekly window in local wall-clock time: on these weekdays, from..to minutes of the day."""

    days: frozenset[str]
    start: int  # minutes after local midnight
    end: int  # up to 1440 (24:00)

    @classmethod
    def of(cls, data: dict) -> "Window":
        return cls(frozenset(data["days"]), minutes_of(data["from"]), minutes_of(data["to"]))


def _offset_segments(zone: dt.tzinfo, first: int, last: int) -> list[tuple[int, int, int]]:
    """(start, end, offset) in UTC minutes: the stretches of [first, last) over which the
    zone's UTC offset stays the same. Cut from those of the whole UTC years around them,
    worked out once per zone: the engines of a catalogue's calendars span the same year or
    two, each to a slightly different end."""
    if last <= first:
        return _offsets_found(zone, first, last)
    years = _years_segments(zone, from_minutes(first).year, from_minutes(last - 1).year)
    return [(max(start, first), min(end, last), offset) for start, end, offset in years if start < last and end > first]


@lru_cache(maxsize=256)
def _years_segments(zone: dt.tzinfo, first_year: int, last_year: int) -> tuple[tuple[int, int, int], ...]:
    first, last = (to_minutes(dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc)) for year in (first_year, last_year + 1))
    return tuple(_offsets_found(zone, first, last))


def _offsets_found(zone: dt.tzinfo, first: int, last: int) -> list[tuple[int, int, int]]:
    """_offset_segments, searched: steps of six hours find each change, and a binary
    search finds its minute: zones change on whole minutes, and never twice within six
    hours (since 1970 the closest two transitions of any zone in the time zone database are
    166 hours apart, in America/Cambridge_Bay)."""

    def offset(t: int) -> int:
        value = from_minutes(t, zone).utcoffset()
        assert value is not None  # an aware zone always has one
        return int(value.total_seconds() // 60)

    segments = []
    start, current = first, offset(first)
    t = first
    while t < last:
        step = min(t + 360, last)
        if offset(step) != current and step < last:
            low, high = t, step  # offset(low) == current != offset(high)
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == current:
                    low = middle
                else:
                    high = middle
            segments.append((start, high, current))
            start, current = high, offset(high)
        t = step
    segments.append((start, last, current))
    return segments


def _zone_table(zone: dt.tzinfo, seconds: np.ndarray, pad: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The offset stretches around some instants, in seconds: starts, ends and offsets."""
    known = seconds[~np.isnan(seconds)]
    if not len(known):
        return np.zeros(1), np.zeros(1), np.zeros(1)
    first = int(known.min() // 60) - pad
    last = int(known.max() // 60) + pad + 1
    table = np.array(_offset_segments(zone, first, last), dtype=np.float64) * 60
    return table[:, 0], table[:, 1], table[:, 2]


def utc_of_local_many(zone: dt.tzinfo, local: np.ndarray) -> np.ndarray:
    """Wall-clock times (seconds since the epoch, as if the zone were UTC; NaN for none)
    as UTC seconds, read as `datetime.replace(tzinfo=zone)` reads them (fold 0): a time
    the clocks go back over is its first occurrence, and a time they skip is read with
    the offset before the change (02:30 on the night the clocks go forward at 02:00 is
    03:30 summer time). Exports write times that way, and so does the report's reference."""
    starts, ends, offsets = _zone_table(zone, local, 2 * DAY)
    local_starts = starts + offsets
    index = np.clip(np.searchsorted(local_starts, local, side="right") - 1, 0, len(starts) - 1)
    earlier = np.maximum(index - 1, 0)
    # where the stretch before also holds this wall-clock time, the clocks went back: take it
    repeated = (index > 0) & (local < ends[earlier] + offsets[earlier])
    chosen = np.where(repeated, earlier, index)
    return local - offsets[chosen]


def local_of_utc_many(zone: dt.tzinfo, utc: np.ndarray) -> np.ndarray:
    """UTC seconds as the zone's wall-clock seconds since the epoch (NaN stays NaN)."""
    starts, _ends, offsets = _zone_table(zone, utc, DAY)
    index = np.clip(np.searchsorted(starts, utc, side="right") - 1, 0, len(starts) - 1)
    return utc + offsets[index]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint, and with no empty interval: touching ones become one."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def subtract(intervals: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """intervals less holes; both sorted and disjoint. Linear in their lengths."""
    result: list[Interval] = []
    index = 0
    for start, end in intervals:
        while index < len(holes) and holes[index][1] <= start:
            index += 1
        cursor, look = start, index
        while look < len(holes) and holes[look][0] < end:
            hole_start, hole_end = holes[look]
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            look += 1
        if cursor < end:
            result.append((cursor, end))
    return result


class ServiceTime:
    """The covered time of one calendar from one local date to another (both included)."""

    def __init__(self, intervals: list[Interval], span: Interval, zone: dt.tzinfo | None,
                 segments: list[tuple[int, int, int]] | None = None, days_off: Sequence[Interval] = ()):
        self.intervals = intervals
        self.span = span  # what the intervals were worked out for; queries outside it fail
        self.zone = zone
        # Where the covered time is its weekly hours shifted by a steady UTC offset, and where
        # not: the stretches of each offset, and the UTC minutes of the days taken out. Known
        # for a calendar built here (weekly, elapsed); None for bare intervals, which the
        # breach search then reads without its weekly shortcut.
        self.segments = segments
        self.days_off = list(days_off)
        self._starts = [start for start, _ in intervals]
        self._ends = [end for _, end in intervals]
        # _before[i]: covered minutes in intervals[:i]
        self._before = [0]
        for start, end in intervals:
            self._before.append(self._before[-1] + end - start)

    # -- building -----------------------------------------------------------------

    @classmethod
    def weekly(
        cls,
        timezone: str,
        windows: Iterable[Window],
        first: dt.date,
        last: dt.date,
        holidays: Iterable[dt.date] = (),
        maintenance: Iterable[Window] = (),
        always: bool = False,
    ) -> "ServiceTime":
        """A calendar's covered time from first to last (local dates, inclusive)."""
        zone = zoneinfo.ZoneInfo(timezone)
        windows, maintenance = list(windows), list(maintenance)
        if always:
            windows = [Window(frozenset(WEEKDAYS), 0, DAY)]
        days_off = set(holidays)
        # A day each side: a local date's minutes lie up to 14 hours either side of its UTC date.
        span_first = (first - dt.date(1970, 1, 1)).days * DAY - 15 * 60
        span_last = ((last - dt.date(1970, 1, 1)).days + 1) * DAY + 15 * 60
        segments = _offset_segments(zone, span_first, span_last)

        def occurrences(wanted: list[Window], skip_days_off: bool) -> list[Interval]:
            found: list[Interval] = []
            day = first
            while day <= last:
                if not (skip_days_off and day in days_off):
                    weekday = WEEKDAYS[day.weekday()]
                    local_midnight = (day - dt.date(1970, 1, 1)).days * DAY
                    for window in wanted:
                        if weekday in window.days:
                            found.extend(_utc_of_local(segments, local_midnight + window.start, local_midnight + window.end))
                day += dt.timedelta(days=1)
            return merge(found)

        covered = occurrences(windows, skip_days_off=not always)
        if maintenance:
            covered = subtract(covered, occurrences(maintenance, skip_days_off=False))
        local_first = (first - dt.date(1970, 1, 1)).days * DAY
        local_after = ((last - dt.date(1970, 1, 1)).days + 1) * DAY
        span = (_utc_of_local(segments, local_first, local_first + 1)[0][0],
                _utc_of_local(segments, local_after - 1, local_after)[-1][1])
        taken_out = []
        if not always:
            for day in sorted(d for d in days_off if first <= d <= last):
                local_midnight = (day - dt.date(1970, 1, 1)).days * DAY
                utc = _utc_of_local(segments, local_midnight, local_midnight + DAY)
                if utc:
                    taken_out.append((utc[0][0], utc[-1][1]))
        return cls(covered, span, zone, segments, taken_out)

    @classmethod
    def elapsed(cls, first: dt.datetime, last: dt.datetime) -> "ServiceTime":
        """Every minute counts: the clock of an agreement that states no service hours."""
        span = (to_minutes(first), to_minutes(last))
        return cls([span], span, None, [(span[0], span[1], 0)])

    @classmethod
    def of_calendar(cls, calendar, first: dt.date, last: dt.date, maintenance: Iterable[dict] = ()) -> "ServiceTime":
        """From a model Calendar: its weekly hours, its own, inherited and recurring holidays."""
        data = calendar.data
        holidays = [day for day, _ in calendar.holiday_dates(first.year, last.year)]
        return cls.weekly(
            data["timezone"],
            [Window.of(w) for w in data.get("weekly") or ()],
            first,
            last,
            holidays=holidays,
            maintenance=[Window.of(w) for w in maintenance],
            always=data.get("always") is True,
        )

    # -- asking ------------------------------------------------------------------

    def _check(self, minutes: int) -> None:
        if not self.span[0] <= minutes <= self.span[1]:
            raise ValueError(
                f"{from_minutes(minutes).isoformat()} is outside the span this covered time was worked out for "
                f"({from_minutes(self.span[0]).isoformat()} to {from_minutes(self.span[1]).isoformat()})"
            )

    def covered_before(self, minutes: int) -> int:
        """Covered minutes from the start of the span up to the UTC minute given."""
        index = bisect_right(self._starts, minutes) - 1
        if index < 0:
            return 0
        start, end = self.intervals[index]
        return self._before[index] + min(minutes, end) - start

    def covered_minutes(self, start: dt.datetime, end: dt.datetime) -> int:
        """Covered minutes from start to end (0 when end is not after start)."""
        a, b = to_minutes(start), to_minutes(end)
        self._check(a)
        self._check(b)
        return max(0, self.covered_before(b) - self.covered_before(a))

    def after(self, start: dt.datetime, minutes: float) -> dt.datetime | None:
        """The instant when `minutes` covered minutes have passed since start: at the end of
        the last of them. None when the span ends first. Zero minutes is start itself."""
        if minutes <= 0:
            self._check(to_minutes(start))
            return start
        due = self.after_minute(to_minutes(start), minutes)
        return from_minutes(due, self.zone or start.tzinfo) if due is not None else None

    def after_minute(self, start: int, minutes: float) -> int | None:
        """`after` in UTC minutes, without a datetime each way: what thousands of findings'
        worst cases ask."""
        self._check(start)
        return self._due(start, minutes)

    def _due(self, start: int, minutes: float) -> int | None:
        """The deadline arithmetic itself, unchecked: `after_minute` and the search's
        `_deadline` read it."""
        if minutes <= 0:
            return start
        goal = self.covered_before(start) + minutes
        index = bisect_left(self._before, goal) - 1  # the interval in which the goal-th minute ends
        if index >= len(self.intervals):
            return None
        begin, _ = self.intervals[index]
        due = begin + (goal - self._before[index])
        return int(-(-due // 1))

    def uncovered_during(self, other: "ServiceTime", first: int, last: int) -> bool:
        """Whether some minute of [first, last) is covered here and not by other. Each
        interval here is either wholly covered by other or not; which, is worked out once
        per pair with numpy (the covered minutes of other in each), so a question costs two
        binary searches and the exact count at the two ends. The answers are kept too: the
        findings of many agreements ask the same of the same two calendars and period."""
        if last <= first or not self.intervals:
            return False
        cache = self.__dict__.get("_partly_uncovered")
        if cache is None:
            cache = self.__dict__["_partly_uncovered"] = weakref.WeakKeyDictionary()
        if other not in cache:
            starts, ends, _ = self.arrays
            theirs = covered_before_many(other, ends) - covered_before_many(other, starts)
            # running count of the intervals that other does not wholly cover
            cache[other] = (np.concatenate([[0], np.cumsum(theirs < ends - starts)]).tolist(), {})
        partly, answers = cache[other]
        if (first, last) not in answers:
            answers[first, last] = self._uncovered_during(other, partly, first, last)
        return answers[first, last]

    def _uncovered_during(self, other: "ServiceTime", partly: list[int], first: int, last: int) -> bool:
        low = bisect_right(self._ends, first)  # the first interval that ends after first
        high = bisect_left(self._starts, last)  # past the last that begins before last
        if high <= low:
            return False
        if high - low > 2 and partly[high - 1] - partly[low + 1] > 0:
            return True
        for index in {low, high - 1}:
            start, end = self.intervals[index]
            start, end = max(start, first), min(end, last)
            if other.covered_before(end) - other.covered_before(start) < end - start:
                return True
        return False

    @cached_property
    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """starts, ends and running totals as arrays: what the breach search reads many at once."""
        starts = np.array(self._starts, dtype=np.int64)
        ends = np.array([end for _, end in self.intervals], dtype=np.int64)
        return starts, ends, np.array(self._before, dtype=np.float64)

    # -- what repeats week by week ----------------------------------------------------

    @cached_property
    def unusual(self) -> list[Interval] | None:
        """The UTC minutes near which this covered time may not be its weekly hours at a
        steady offset: a day either side of each change of the clocks, the days taken out,
        and the first and last day of the span. None where that is not known."""
        if self.segments is None:
            return None
        found = list(self.days_off)
        found.extend((start - DAY, start + DAY) for start, _end, _offset in self.segments[1:])
        found.append((self.span[0] - WEEK, self.span[0] + DAY))
        found.append((self.span[1] - DAY, self.span[1] + WEEK))
        return merge(found)

    def irregular(self, first: int, last: int) -> _Irregular:
        """The unusual minutes a plan for starts in [first, last) can meet (within its
        largest margin: see _WeeklyPlan.of), and the offsets over those starts."""
        assert self.unusual is not None and self.segments is not None
        cache = self.__dict__.setdefault("_irregular", {})
        if (first, last) not in cache:
            cache[first, last] = _Irregular(
                [(a, b) for a, b in self.unusual if a - _MARGIN_MOST < last and b > first],
                [(a, b, o) for a, b, o in self.segments if a < last and b > first - _MARGIN_MOST])
        return cache[first, last]

    def reach(self, minutes: float) -> float:
        """The most minutes from any start of the span to its deadline: how far ahead a
        start's deadline depends on the calendar. Infinite when a deadline is past the span
        from everywhere."""
        cache = self.__dict__.setdefault("_reach", {})
        if minutes not in cache:
            points = self.points(minutes)
            due = deadlines(self, points, minutes)
            known = ~np.isnan(due)
            cache[minutes] = float((due[known] - points[known]).max()) if known.any() else math.inf
        return cache[minutes]

    def points(self, minutes: float, neighbours: bool = True) -> np.ndarray:
        """_breakpoints over the whole span, sorted, with their neighbours or not (see
        _around): kept per target, as each of the many pairs this calendar is in reads its
        part of them."""
        cache = self.__dict__.setdefault("_points", {})
        if (minutes, neighbours) not in cache:
            first, last = self.span
            cache[minutes, neighbours] = _around(_breakpoints(self, minutes, first, last), first, last, neighbours)
        return cache[minutes, neighbours]

    def points_in(self, minutes: float, neighbours: bool, plan: "_WeeklyPlan") -> np.ndarray:
        """points(minutes, neighbours) inside the plan's searched ranges, kept: a calendar
        meets the same plan in many pairs (the plans of one zone and the same holidays are
        shared), and each of its searches reads the same part of its points."""
        cache = self.__dict__.setdefault("_points_in", {})
        # by the plan's identity, with the plan kept, so that the id is not another's later
        key = (id(plan), minutes, neighbours)
        if key not in cache:
            points = self.points(minutes, neighbours)
            bounds = np.searchsorted(points, plan.bounds_flat)
            index, _ = _slices(bounds[::2], bounds[1::2])
            cache[key] = (plan, points[index])
        return cache[key][1]

    def is_covered(self, instant: dt.datetime) -> bool:
        minutes = to_minutes(instant)
        index = bisect_right(self._starts, minutes) - 1
        return index >= 0 and minutes < self.intervals[index][1]


def _utc_of_local(segments: list[tuple[int, int, int]], local_start: int, local_end: int) -> list[Interval]:
    """The UTC minutes whose wall-clock time lies in [local_start, local_end): in each stretch
    of constant offset o, the minutes t with local_start <= t + o < local_end."""
    found = []
    for seg_start, seg_end, offset in segments:
        start, end = max(seg_start, local_start - offset), min(seg_end, local_end - offset)
        if start < end:
            found.append((start, end))
    return found


# -- two clocks side by side -------------------------------------------------------
#
# The breach search asks "when is each clock's deadline" for thousands of start minutes
# at once, so these read the engine's arrays with numpy's searchsorted (the same binary
# search as covered_before and after, one call for all of them). A deadline past the
# span is NaN.


def covered_before_many(engine: ServiceTime | _Lanes, minutes: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
    """`index`: the interval each minute is in or after (the last that starts at or
    before it), where the caller has searched for it already."""
    starts, ends, before = engine.arrays
    if index is None:
        index = np.searchsorted(starts, minutes, side="right") - 1
    if len(index) and index.min() >= 0:  # the usual case: the same arithmetic, without the masks
        return before[index] + np.minimum(minutes, ends[index]) - starts[index]
    result = np.zeros(minutes.shape, dtype=np.float64)
    known = index >= 0
    at = index[known]
    result[known] = before[at] + np.minimum(minutes[known], ends[at]) - starts[at]
    return result


def totals_at(engine: ServiceTime | _Lanes, totals: np.ndarray) -> np.ndarray:
    """The minute at which the running total of covered minutes first reaches each total."""
    starts, _ends, before = engine.arrays
    index = np.searchsorted(before, totals, side="left") - 1
    if isinstance(engine, _Lanes):  # every total meets an interval of its lane, or the end past it
        index = np.maximum(index, 0)
        due = np.ceil(starts[index] + totals - before[index])
        due[engine.past[index]] = np.nan
        return due
    if len(index) and index.min() >= 0 and index.max() < len(starts):  # as covered_before_many
        return np.ceil(starts[index] + totals - before[index])
    result = np.full(totals.shape, np.nan)
    inside = (index >= 0) & (index < len(starts))
    at = index[inside]
    result[inside] = np.ceil(starts[at] + totals[inside] - before[at])
    if len(starts):
        result[index < 0] = starts[0]
    return result


def deadlines(engine: ServiceTime | _Lanes, starts: np.ndarray, minutes: float | np.ndarray,
              covered: np.ndarray | None = None) -> np.ndarray:
    """Each start's deadline: `minutes` (one for all, or one for each start) covered
    minutes later (NaN past the span); zero minutes is the start itself. `covered`: the
    covered minutes before each start, where the caller has them already."""
    one = np.ndim(minutes) == 0
    if one and minutes <= 0:
        return starts.astype(np.float64)
    if covered is None:
        covered = covered_before_many(engine, starts)
    due = totals_at(engine, covered + minutes)
    return due if one else np.where(minutes <= 0, starts, due)


def _deadline(engine: ServiceTime, start: int, minutes: float) -> float:
    """`deadlines` for one start, without numpy's cost per call: what reading a part of a
    searched window asks for at its two ends, tens of thousands of times."""
    due = engine._due(start, minutes)
    return float(due) if due is not None else math.nan


def _breakpoints(engine: ServiceTime, minutes: float, first: int, last: int) -> np.ndarray:
    """The start minutes where engine's deadline may change its slope or jump: its interval
    boundaries, and the starts whose deadline lands on one."""
    starts, ends, before = engine.arrays
    low = max(0, int(np.searchsorted(starts, first, side="left")) - 1)
    high = int(np.searchsorted(starts, last, side="right"))
    found = [starts[low:high], ends[low:high]]
    if minutes > 0:
        # Starts whose n-th covered minute ends at an interval's end: the deadline jumps after them.
        base = engine.covered_before(first)
        top = engine.covered_before(last) + minutes
        i0 = int(np.searchsorted(before, base + minutes, side="left"))
        i1 = int(np.searchsorted(before, top, side="right"))
        landings = totals_at(engine, before[i0:i1] - minutes)
        found.append(landings[~np.isnan(landings)].astype(np.int64))
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _around(points: np.ndarray, first: int, last: int, neighbours: bool = True) -> np.ndarray:
    """The points in [first, last), with first and last - 1, sorted and each once; with the
    minute either side of each where a reading looks only at points (WaitProfile). The
    breach search reads the straight pieces between points too, and needs the points alone:
    a deadline jumps from a breakpoint to the minute next to it (or the reverse), and bends
    at one, so the pieces either side of a breakpoint are straight."""
    ends = np.array([first, last - 1], dtype=np.int64)
    near = np.concatenate([points - 1, points, points + 1, ends] if neighbours else [points, ends])
    near = np.sort(near[(near >= first) & (near < last)])
    # sorted, so repeats are neighbours (cheaper than np.unique's hashing for these sizes)
    return near[np.concatenate([[True], near[1:] != near[:-1]])] if len(near) else near


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


# What a window without runs or candidates holds: one of each, shared by the tens of
# thousands of windows read, and read-only, so that no window can change another's.
_NO_MINUTES = _read_only(np.zeros(0, dtype=np.int64))
_NO_GAPS = _read_only(np.zeros(0))


@dataclass  # not frozen: a catalogue's search makes tens of thousands (see timeline.Clock)
class BreachWindow:
    """Where a ticket raised would make the lower clock's deadline fall after the upper's."""

    starts: int  # start minutes searched
    breaching: int  # of those, the ones whose lower deadline falls after the upper one
    worst_start: int | None  # the start minute with the largest gap (UTC minutes), None without a breach
    worst_gap: int  # minutes by which the lower deadline is late, at worst (0 without a breach)
    # The breaching start minutes as sorted, disjoint [start, end) intervals: what a picture of
    # the week and a holiday's share are read from. As many as there are breakpoints, at most.
    run_starts: np.ndarray = field(default_factory=lambda: _NO_MINUTES, compare=False, repr=False)
    run_ends: np.ndarray = field(default_factory=lambda: _NO_MINUTES, compare=False, repr=False)
    # The starts the worst case was chosen from (sorted) and their gaps: a part of the
    # starts searched has its worst case among those inside it, or at one of its ends.
    candidate_at: np.ndarray = field(default_factory=lambda: _NO_MINUTES, compare=False, repr=False)
    candidate_gap: np.ndarray = field(default_factory=lambda: _NO_GAPS, compare=False, repr=False)
    strict: bool = field(default=True, compare=False, repr=False)

    @property
    def share(self) -> float:
        return self.breaching / self.starts if self.starts else 0.0

    @property
    def runs(self) -> list[Interval]:
        return [(int(a), int(b)) for a, b in zip(self.run_starts, self.run_ends)]

    @cached_property
    def run_totals(self) -> np.ndarray:
        """run_totals[i]: the breaching starts in the runs before the i-th."""
        return np.concatenate([[0], np.cumsum(self.run_ends - self.run_starts)])

    def breaching_between(self, start: int, end: int) -> int:
        """How many of the breaching start minutes lie in [start, end)."""
        clipped = np.minimum(self.run_ends, end) - np.maximum(self.run_starts, start)
        return int(clipped[clipped > 0].sum())


# A weekly plan is made for deadlines that reach less than four weeks; its margin, the
# days a start's deadline can reach, in whole days, is then at most this.
_REACH_MOST = 4 * WEEK
_MARGIN_MOST = math.ceil((_REACH_MOST + 2) / DAY) * DAY


class _Irregular:
    """What a weekly plan reads of one covered time over some starts: the unusual minutes
    near them and the UTC offsets. Calendars of one zone and the same holidays have the
    same, whatever their hours, so their pairs share plans (a catalogue has thousands of
    pairs of calendars and a few dozen zones). Hashed once, as it is looked up often."""

    __slots__ = ("unusual", "segments", "_starts", "_hash")

    def __init__(self, unusual: list[Interval], segments: list[tuple[int, int, int]]):
        self.unusual, self.segments = unusual, segments
        self._starts = [start for start, _end, _offset in segments]
        self._hash = hash((tuple(unusual), tuple(segments)))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _Irregular) and self._hash == other._hash
                and self.unusual == other.unusual and self.segments == other.segments)

    def __hash__(self) -> int:
        return self._hash

    def offset_at(self, minute: int) -> int:
        return self.segments[max(0, bisect_right(self._starts, minute) - 1)][2]


@lru_cache(maxsize=8192)
def _planned(upper: _Irregular, lower: _Irregular, margin: int, first: int, last: int) -> "_WeeklyPlan | None":
    return _WeeklyPlan.made(upper, lower, margin, first, last)


@dataclass(frozen=True)
class _WeeklyPlan:
    """Which starts of [first, last) to search and which to read off a searched week.

    Away from the unusual minutes of either calendar (a holiday, a change of the clocks, the
    ends of a span), a start and the start a week later see the same covered time up to
    their deadlines, shifted by a week, so they have the same gap. Those starts fall in
    stretches between the unusual ones; in each stretch both zones keep one UTC offset. The
    first week of the first stretch with a pair of offsets is searched, and every stretch
    with those offsets repeats it. The rest is searched. A stretch's first and last minute
    are searched too, as the straight pieces of the gap end there."""

    searched: list[Interval]  # sorted, disjoint, possibly touching
    templates: list[int]  # the first minute of each searched week
    tiled: list[tuple[int, int, int]]  # (start, end, index in templates): read off that week
    # Every start searched, read from the calendars' own breakpoints near [first, last)
    # rather than from those of their whole span: where the span is far longer.
    whole: bool = False

    @classmethod
    def everything(cls, first: int, last: int) -> "_WeeklyPlan":
        """The plan where none is worth making: search every start of [first, last)."""
        return cls([(first, last)], [], [], whole=True)

    @classmethod
    def of(cls, upper: ServiceTime, upper_minutes: float, lower: ServiceTime, lower_minutes: float,
           first: int, last: int) -> "_WeeklyPlan | None":
        """None where searching everything is as cheap, or the calendars' weeks are not known."""
        if last - first < 6 * WEEK or upper.unusual is None or lower.unusual is None:
            return None
        reach = max(upper.reach(upper_minutes), lower.reach(lower_minutes))
        if not reach < _REACH_MOST:
            return None
        # A start whose deadlines (and the minute after, for the waits) can meet an unusual
        # minute. In whole days, so that the many targets of two calendars share a plan.
        days = math.ceil((reach + 2) / DAY)
        return _planned(upper.irregular(first, last), lower.irregular(first, last), days * DAY, first, last)

    @classmethod
    def made(cls, upper: "_Irregular", lower: "_Irregular", margin: int, first: int, last: int) -> "_WeeklyPlan | None":
        """The plan itself, from what it depends on (see _planned, which keeps it)."""
        irregular = merge((max(first, start - margin), min(last, end)) for start, end in upper.unusual + lower.unusual
                          if start - margin < last and end > first)
        searched: list[Interval] = list(irregular)
        templates: list[int] = []
        tiled: list[tuple[int, int, int]] = []
        by_offsets: dict[tuple[int, int], int] = {}
        cursor = first
        for start, end in irregular + [(last, last)]:
            if start > cursor:
                offsets = (upper.offset_at(cursor), lower.offset_at(cursor))
                if offsets not in by_offsets and start - cursor >= WEEK + 2:
                    by_offsets[offsets] = len(templates)
                    templates.append(cursor + 1)
                    searched.append((cursor + 1, cursor + 1 + WEEK))
                if offsets in by_offsets and start - cursor >= 3:
                    searched.extend([(cursor, cursor + 1), (start - 1, start)])
                    tiled.append((cursor + 1, start - 1, by_offsets[offsets]))
                else:
                    searched.append((cursor, start))
            cursor = max(cursor, end)
        if sum(end - start for start, end in searched) > (last - first) * 0.6:
            return None
        return cls(sorted(searched), templates, tiled)

    @cached_property
    def blocks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every start of [first, last) as read off the searched ranges, block by block in
        order: the searched minutes [low, high) a block is read from and the shift it is
        read at. A searched range that is not a searched week stands for itself (shift 0);
        a searched week stands for each week of its stretches, cut to them."""
        weeks = {(week, week + WEEK) for week in self.templates}
        own = np.array([(low, high) for low, high in self.searched if (low, high) not in weeks and low < high],
                       dtype=np.int64).reshape(-1, 2)
        tiled = np.array(self.tiled, dtype=np.int64).reshape(-1, 3)
        week = np.array(self.templates, dtype=np.int64)[tiled[:, 2]]
        # the repeats k of the week that meet each stretch [start, end): k * WEEK + week < end, and after start
        first_k, last_k = (tiled[:, 0] - week) // WEEK, -((week - tiled[:, 1]) // WEEK)
        k, stretch = _slices(first_k, last_k)
        shift, week = k * WEEK, week[stretch]
        begin = np.maximum(tiled[stretch, 0], week + shift)
        end = np.minimum(tiled[stretch, 1], week + WEEK + shift)
        cut = begin < end
        shift, begin, end = shift[cut], begin[cut], end[cut]
        lows = np.concatenate([own[:, 0], begin - shift])
        order = np.argsort(np.concatenate([own[:, 0], begin]), kind="stable")
        return (lows[order], np.concatenate([own[:, 1], end - shift])[order],
                np.concatenate([np.zeros(len(own), dtype=np.int64), shift])[order])

    @cached_property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.array([a for a, _ in self.searched], dtype=np.int64),
                np.array([b for _, b in self.searched], dtype=np.int64))

    @cached_property
    def bounds_flat(self) -> np.ndarray:
        """The bounds as one sorted array, first, last, first, last...: where a sorted
        array of minutes is cut."""
        return np.stack(self.bounds, axis=1).ravel()


# -- many searches at once -----------------------------------------------------------
#
# A catalogue has thousands of pairs of calendars, and each pair is searched once for each
# pair of targets it meets in (the response and resolution of each priority: six or so).
# One search is a few dozen numpy calls on a few hundred start minutes, so the calls, not
# the arithmetic, are most of its cost. A stack reads many searches together: search k's
# start minutes are shifted by k << STACK_BITS, so one sorted array holds all of them,
# search after search, and each step is one call for all. Their covered times are laid
# out the same way (_Lanes), so that a deadline of any search is one binary search too.

STACK_BITS = 32  # UTC minutes stay below 2**32 until the year 10136


class BreachSearch(NamedTuple):
    """One search: the starts [first, last), a clock on each of two covered times."""

    upper: ServiceTime
    upper_minutes: float
    lower: ServiceTime
    lower_minutes: float
    first: int
    last: int


class _Lanes:
    """Several covered times as one, for covered_before_many, totals_at and deadlines: lane
    g's minutes and running totals shifted by g << STACK_BITS, its intervals between two
    empty ones. The first, at the lane's minute 0, holds the minutes before its first
    interval to none of its covered time (not the lane before's); the last, later than any
    minute, holds a total beyond the lane's own to "past the span" (NaN), as one covered
    time does. A lane's totals never reach the next lane's: both stay below 2**32."""

    def __init__(self, engines: Sequence[ServiceTime]):
        starts, ends, before, past, span_ends = [], [], [], [], []
        for lane, engine in enumerate(engines):
            shift = lane << STACK_BITS
            own_starts, own_ends, own_before = engine.arrays  # own_before: one more, the total
            after = shift + (1 << STACK_BITS) - 1
            starts += [[shift], own_starts + shift, [after]]
            ends += [[shift], own_ends + shift, [after]]
            before += [[float(shift)], own_before + shift]
            past.append(np.arange(len(own_starts) + 2) == len(own_starts) + 1)
            span_ends.append(engine.span[1] + shift)
        self.arrays = (np.concatenate(starts).astype(np.int64), np.concatenate(ends).astype(np.int64),
                       np.concatenate(before).astype(np.float64))
        self.past = np.concatenate(past)
        self.span_ends = np.array(span_ends, dtype=np.int64)

    def span_end(self, at: np.ndarray) -> np.ndarray:
        """The end of the span of each minute's lane, in the lanes' minutes."""
        return self.span_ends[at >> STACK_BITS]


class _Stack:
    """Several searches (of any calendars and spans), each by its weekly plan, shifted apart
    (see STACK_BITS) and read as one: their searched ranges, the blocks in which the readings
    of those ranges stand for every start, and their covered times, a lane for each pair."""

    def __init__(self, searches: Sequence[BreachSearch]):
        self.searches = list(searches)
        self.plans = [_WeeklyPlan.of(*search) or _WeeklyPlan.everything(search.first, search.last)
                      for search in self.searches]
        self.shifts = [k << STACK_BITS for k in range(len(self.plans))]
        lane_of: dict[tuple[int, int], int] = {}
        pairs: list[tuple[ServiceTime, ServiceTime]] = []
        lanes = []
        for search in self.searches:
            key = (id(search.upper), id(search.lower))
            if key not in lane_of:
                lane_of[key] = len(pairs)
                pairs.append((search.upper, search.lower))
            lanes.append(lane_of[key])
        self.uppers, self.lowers = _Lanes([upper for upper, _ in pairs]), _Lanes([lower for _, lower in pairs])
        # what takes a stacked minute of search k to its lane's minutes
        self.to_lane = (np.array(lanes, dtype=np.int64) - np.arange(len(lanes), dtype=np.int64)) << STACK_BITS
        self.upper_minutes = np.array([search.upper_minutes for search in self.searches], dtype=np.float64)
        self.lower_minutes = np.array([search.lower_minutes for search in self.searches], dtype=np.float64)

        shifts = np.array(self.shifts, dtype=np.int64)
        # the searched ranges and the blocks of each plan, laid one after another: each
        # shifted by its search's place in the stack in one addition for all
        bounds, blocks = [plan.bounds for plan in self.plans], [plan.blocks for plan in self.plans]
        range_shift = np.repeat(shifts, [len(low) for low, _ in bounds])
        block_shift = np.repeat(shifts, [len(low) for low, _, _ in blocks])
        self.lows = np.concatenate([low for low, _ in bounds]) + range_shift
        self.highs = np.concatenate([high for _, high in bounds]) + range_shift
        self.bounds_flat = np.stack([self.lows, self.highs], axis=1).ravel()
        self.block_lows = np.concatenate([low for low, _, _ in blocks]) + block_shift
        self.block_highs = np.concatenate([high for _, high, _ in blocks]) + block_shift
        self.block_shifts = np.concatenate([shift for _, _, shift in blocks])

    def in_lanes(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The search of each stacked minute, and the minute in its lane's covered times."""
        key = at >> STACK_BITS
        return key, at + self.to_lane[key]

    def points(self, extra: np.ndarray | None = None, neighbours: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Both calendars' breakpoints for each search's targets (and extra stacked minutes)
        inside its searched ranges, with each range's first and last minute, sorted; and for
        each, the range it is in (ranges are numbered across the stack, so none is shared)."""
        found = [self.lows, self.highs - 1]
        for shift, plan, search in zip(self.shifts, self.plans, self.searches):
            upper, ours, lower, theirs, first, last = search
            if plan.whole:
                found.append(_around(np.concatenate([_breakpoints(upper, ours, first, last),
                                                     _breakpoints(lower, theirs, first, last)]),
                                     first, last, neighbours) + shift)
                continue
            found.append(upper.points_in(ours, neighbours, plan) + shift)
            found.append(lower.points_in(theirs, neighbours, plan) + shift)
        if extra is not None:
            found.append(extra[np.searchsorted(self.bounds_flat, extra, side="right") & 1 == 1])
        points = np.concatenate(found)
        points.sort()
        points = points[np.concatenate([[True], points[1:] != points[:-1]])]
        return points, np.searchsorted(self.lows, points, side="right") - 1

    def spread(self, at: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Readings at sorted start minutes of the searched ranges, as the readings (sorted) at
        all the starts: those of the searched weeks repeated over the stretches they stand for."""
        cuts = np.searchsorted(at, np.concatenate([self.block_lows, self.block_highs]))
        index, block = _slices(cuts[:len(self.block_lows)], cuts[len(self.block_lows):])
        return at[index] + self.block_shifts[block], values[index]

    def spread_runs(self, run_starts: np.ndarray, run_ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """As spread, for runs of starts: each cut to the blocks it meets, and merged."""
        run_starts, run_ends = _runs_merged(run_starts, run_ends)
        index, block = _slices(np.searchsorted(run_ends, self.block_lows, side="right"),
                               np.searchsorted(run_starts, self.block_highs, side="left"))
        shifts = self.block_shifts[block]
        return _merged(np.maximum(run_starts[index], self.block_lows[block]) + shifts,
                       np.minimum(run_ends[index], self.block_highs[block]) + shifts)

    def split(self, at: np.ndarray) -> list[tuple[int, int]]:
        """Where each search's part of a sorted stacked array begins and ends."""
        cuts = np.searchsorted(at, np.array(self.shifts + [len(self.shifts) << STACK_BITS], dtype=np.int64)).tolist()
        return list(zip(cuts[:-1], cuts[1:]))


def _slices(begins: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The items of several slices of one array, [begins[i], ends[i]) one after another:
    the index of each, and the slice it is in."""
    lengths = np.maximum(ends - begins, 0)
    index = np.repeat(begins - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
    return index, np.repeat(np.arange(len(lengths)), lengths)


def _runs_merged(run_starts: np.ndarray, run_ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted, with touching or overlapping runs made one."""
    order = np.argsort(run_starts, kind="stable")
    return _merged(run_starts[order], run_ends[order])


def _merged(run_starts: np.ndarray, run_ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Runs sorted by start, with touching or overlapping ones made one."""
    if len(run_starts):
        fresh = np.concatenate([[True], run_starts[1:] > np.maximum.accumulate(run_ends)[:-1]])
        groups = np.flatnonzero(fresh)
        run_starts, run_ends = run_starts[groups], np.maximum.reduceat(run_ends, groups)
    return run_starts, run_ends


def breach_window(upper: ServiceTime, upper_minutes: float, lower: ServiceTime, lower_minutes: float,
                  first: int, last: int, strict: bool = True) -> BreachWindow:
    """For every start minute in [first, last): is the lower deadline after the upper one
    (strict), or not before it (strict=False: arriving at the deadline is already too late)?

    Both deadlines move by 0 or 1 minute per minute of start between breakpoints, so the
    gap is a straight line on each piece: it is read at the breakpoints and counted exactly
    in between, never start by start. A deadline past either span counts as a breach only
    when the upper one is inside it (the lower is then later than anything known).
    """
    return breach_windows(upper, lower, [(upper_minutes, lower_minutes)], first, last, strict)[0]


def breach_windows(upper: ServiceTime, lower: ServiceTime, targets: Sequence[tuple[float, float]],
                   first: int, last: int, strict: bool = True) -> list[BreachWindow]:
    """breach_window for each pair of targets (upper minutes, lower minutes) of the same two
    calendars, read together: see breach_windows_of."""
    return breach_windows_of([BreachSearch(upper, float(a), lower, float(b), first, last) for a, b in targets], strict)


def breach_windows_of(searches: Sequence[BreachSearch], strict: bool = True) -> list[BreachWindow]:
    """breach_window for each search, of any calendars, read together (see _Stack): away
    from holidays and changes of the clocks, by its weekly plan, the searched ranges read as
    they are and the rest off the searched weeks."""
    return _searched(searches, strict, waits=False)[0]


def breach_windows_and_waits(searches: Sequence[BreachSearch], strict: bool = True,
                             ends: Sequence[Sequence[int]] | None = None) -> tuple[list[BreachWindow], list[WaitProfile]]:
    """breach_windows_of, and the wait profile of each search's lower target, read from the
    same search (see _searched). With the ends of the parts that will be read of each
    search (narrowed, WaitProfile.longest): their gaps and waits are read with it, in a
    few calls for all, rather than one by one after it."""
    windows, profiles = _searched(searches, strict, waits=True, asked=ends)
    assert profiles is not None
    return windows, profiles


def _searched(searches: Sequence[BreachSearch], strict: bool, waits: bool,
              asked: Sequence[Sequence[int]] | None = None) -> tuple[list[BreachWindow], list[WaitProfile] | None]:
    """The searches read together, with their wait profiles where asked.

    A wait is piecewise linear in the start too, with its kinks where the lower deadline
    jumps or bends (the search's points), at the edges of upper's covered time (points of
    the search as well) and where the lower deadline lands on such an edge: with those
    landings added to the points, the search reads every start a wait can be largest at
    (each point, and the starts either side of it, as the ends of the pieces between), so
    the waits are read at the same starts, off the same deadlines' arrays."""
    windows: list = [None if search.first < search.last else BreachWindow(0, 0, None, 0) for search in searches]
    profiles: list | None = None
    if waits:
        profiles = [None if search.first < search.last else
                    WaitProfile(search.upper, search.lower, search.lower_minutes, _NO_MINUTES, _NO_GAPS)
                    for search in searches]
    wanted = [search for search, window in zip(searches, windows) if window is None]
    if not wanted:
        return windows, profiles
    stack = _Stack([BreachSearch(upper, float(a), lower, float(b), first, last)
                    for upper, a, lower, b, first, last in wanted])
    points, range_of = stack.points(_landings(stack.searches) if waits else None, neighbours=False)

    kept: dict = {}

    def gaps(at: np.ndarray) -> np.ndarray:
        key, at = stack.in_lanes(at)
        return _gaps(stack.uppers, stack.upper_minutes[key], stack.lowers, stack.lower_minutes[key], at,
                     kept if waits else None)

    run_starts, run_ends, candidates_at, candidates, read_at, read_range, order = _read_pieces(
        gaps, points, range_of, strict)
    run_starts, run_ends = stack.spread_runs(run_starts, run_ends)
    candidates_at, candidates = stack.spread(candidates_at, candidates)
    read = iter(zip(stack.searches, stack.shifts, stack.split(run_starts), stack.split(candidates_at)))
    for index, window in enumerate(windows):
        if window is None:
            search, shift, (a, b), (c, d) = next(read)
            starts, ends = run_starts[a:b] - shift, run_ends[a:b] - shift
            at, gap = candidates_at[c:d] - shift, candidates[c:d]
            worst_start, worst_gap = _worst(at, gap)
            windows[index] = BreachWindow(search.last - search.first, int((ends - starts).sum()), worst_start,
                                          worst_gap, starts, ends, at, gap, strict)
    if profiles is not None:
        key, at = stack.in_lanes(read_at)
        values = WaitProfile._waits(stack, stack.lower_minutes[key], at, kept["due"][order], kept["covered"][order])
        peaks = _peaks(values, read_range)
        wait_at, values = stack.spread(read_at[peaks], values[peaks])
        read_waits = iter(zip(stack.searches, stack.shifts, stack.split(wait_at)))
        for index, profile in enumerate(profiles):
            if profile is None:
                search, shift, (a, b) = next(read_waits)
                profiles[index] = WaitProfile(search.upper, search.lower, search.lower_minutes, wait_at[a:b] - shift,
                                              values[a:b])
    if asked is not None:
        searched = [search.first < search.last for search in searches]
        _read_ends(stack, [own for own, read in zip(asked, searched) if read],
                   [window for window, read in zip(windows, searched) if read],
                   [profile for profile, read in zip(profiles or (), searched) if read])
    return windows, profiles


def _read_ends(stack: _Stack, ends: Sequence[Sequence[int]], windows: Sequence[BreachWindow],
               profiles: Sequence[WaitProfile]) -> None:
    """The gaps (and waits) at the given starts of each search of the stack, kept where
    narrowed (and WaitProfile.longest) look for them: the same values as _gap (and
    WaitProfile._wait_now) read one by one."""
    wanted = [np.asarray(own, dtype=np.int64) for own in ends]
    at = np.concatenate([np.zeros(0, dtype=np.int64)] + [own + shift for own, shift in zip(wanted, stack.shifts)])
    key, at = stack.in_lanes(at)
    kept: dict = {}
    gaps = _gaps(stack.uppers, stack.upper_minutes[key], stack.lowers, stack.lower_minutes[key], at, kept).tolist()
    waits = WaitProfile._waits(stack, stack.lower_minutes[key], at, kept["due"], kept["covered"]).tolist() if profiles else []
    cut = 0
    for index, own in enumerate(wanted):
        starts, cut = own.tolist(), cut + len(own)
        windows[index].__dict__.setdefault("_gaps_at", {}).update(zip(starts, gaps[cut - len(own):cut]))
        if profiles:
            profiles[index].__dict__.setdefault("_waits_at", {}).update(zip(starts, waits[cut - len(own):cut]))


def _landings(searches: Sequence[BreachSearch]) -> np.ndarray:
    """The starts (stacked) whose lower deadline lands on an edge of upper's covered time:
    where a wait has a kink that neither calendar's own points show. The edges are worked
    out once for each pair of covered times, the landings for all its targets at once."""
    by_pair: dict[tuple[int, int], list[int]] = {}
    for key, search in enumerate(searches):
        by_pair.setdefault((id(search.upper), id(search.lower)), []).append(key)
    landings = [np.zeros(0, dtype=np.int64)]
    for keys in by_pair.values():
        upper, lower = searches[keys[0]].upper, searches[keys[0]].lower
        starts, ends, _ = upper.arrays
        edges = np.concatenate([starts, ends])
        edges = edges[(edges >= lower.span[0]) & (edges <= lower.span[1])]
        lower_of = np.array([searches[key].lower_minutes for key in keys])
        landed = totals_at(lower, (covered_before_many(lower, edges)[None, :] - lower_of[:, None]).ravel())
        key_of = np.repeat(np.array(keys, dtype=np.int64), len(edges))
        known = ~np.isnan(landed)
        landings.append(landed[known].astype(np.int64) + (key_of[known] << STACK_BITS))
    return np.concatenate(landings)


def _read_pieces(gaps, points: np.ndarray, range_of: np.ndarray, strict: bool):
    """The breaching runs and the worst-case candidates of the starts from the first point
    to the last: the gap (`gaps` of an array of starts) read at the points and counted
    exactly on the straight pieces between them, never across from one range of starts
    to the next."""
    threshold = _threshold(strict)

    # The starts strictly between two breakpoints: the gap is affine there, from g1 to g2.
    inside = points[1:] - points[:-1] - 1
    has = (inside > 0) & (range_of[1:] == range_of[:-1])
    left, count = points[:-1][has] + 1, inside[has]
    # one reading of both deadlines for the points and both ends of every piece
    read_at = np.concatenate([points, left, left + count - 1])
    read = gaps(read_at)
    at_points, g1, g2 = read[:len(points)], read[len(points):len(points) + len(left)], read[len(points) + len(left):]
    piece_range = range_of[:-1][has]
    read_range = np.concatenate([range_of, piece_range, piece_range])
    with np.errstate(invalid="ignore"):
        hit = at_points > threshold
    known = ~(np.isnan(g1) | np.isnan(g2))
    left, count, g1, g2 = left[known], count[known], g1[known], g2[known]
    g0 = g1 - threshold
    slope = np.where(count > 1, (g2 - g1) / np.maximum(count - 1, 1), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        edge = np.where(slope != 0, -g0 / np.where(slope != 0, slope, 1), 0.0)
    # g0 + slope * k > 0 for k in range(count): k > edge (rising), k < edge (falling)
    lo = np.where(slope > 0, np.minimum(np.maximum(0, np.floor(edge) + 1), count), 0)
    hi = np.where(slope > 0, count, np.where(slope < 0, np.maximum(0, np.minimum(count, np.ceil(edge))), count))
    flat = slope == 0
    hi = np.where(flat & ~(g0 > 0), 0, hi)
    lo, hi = lo.astype(np.int64), hi.astype(np.int64)
    runs = hi > lo
    run_starts = np.concatenate([points[hit], (left + lo)[runs]])
    run_ends = np.concatenate([points[hit] + 1, (left + hi)[runs]])

    # The worst start is the largest gap, the earliest of equals: on a straight piece it is
    # at one of its ends, and of those, at a peak (see _peaks).
    order = np.argsort(read_at, kind="stable")
    candidates_at, candidates = read_at[order], read[order]
    with np.errstate(invalid="ignore"):
        kept = _peaks(candidates, read_range[order]) & (candidates > threshold)
    # and every start read, sorted, with its range and the order that sorts them: what the
    # waits are read at (_searched)
    return run_starts, run_ends, candidates_at[kept], candidates[kept], candidates_at, read_range[order], order


def _peaks(values: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    """Which of a function's readings, at sorted starts with nothing but straight lines
    between neighbours, can be the largest of some part: those not below either neighbour,
    and the first and last of each range of starts (or next to an unknown reading). A
    reading below a neighbour inside the part is not the largest; below one outside it,
    the part's own end is as high (the line falls from there), and comes first: a part is
    read with its ends. Most readings are on a slope, so a year of them is a third as long."""
    if len(values) < 3:
        return np.ones(len(values), dtype=bool)
    apart = (ranges[1:] != ranges[:-1]) | np.isnan(values[1:]) | np.isnan(values[:-1])
    with np.errstate(invalid="ignore"):
        from_left = np.concatenate([[True], apart | (values[1:] >= values[:-1])])
        from_right = np.concatenate([apart | (values[:-1] >= values[1:]), [True]])
    return from_left & from_right


def _threshold(strict: bool) -> float:
    # Gaps are whole minutes, so "not before" (g >= 0) is g > -0.5.
    return 0.0 if strict else -0.5


def _gaps(uppers: _Lanes, upper_minutes: np.ndarray, lowers: _Lanes, lower_minutes: np.ndarray,
          at: np.ndarray, kept: dict | None = None) -> np.ndarray:
    """How much later the lower deadline is than the upper one, for each start (in the
    lanes' minutes). A lower deadline past its span is later than anything known; an
    upper one is NaN. Into `kept`, where given, what the waits at the same starts read
    too (WaitProfile._waits): the upper covered minutes before each, the lower deadline."""
    covered = covered_before_many(uppers, at)
    ours = deadlines(uppers, at, upper_minutes, covered)
    theirs = deadlines(lowers, at, lower_minutes)
    if kept is not None:
        kept.update(covered=covered, due=theirs)
    return np.where(np.isnan(theirs), lowers.span_end(at) + 1, theirs) - ours


def _gap(upper: ServiceTime, upper_minutes: float, lower: ServiceTime, lower_minutes: float, start: int) -> float:
    """_gaps for one start."""
    theirs = _deadline(lower, start, lower_minutes)
    return (lower.span[1] + 1 if math.isnan(theirs) else theirs) - _deadline(upper, start, upper_minutes)


def _worst(at: np.ndarray, gaps: np.ndarray) -> tuple[int | None, int]:
    """The largest gap and where it is first reached."""
    if not len(at):
        return None, 0
    best = gaps.max()
    return int(at[gaps == best].min()), max(0, int(best))


def narrowed(window: BreachWindow, upper: ServiceTime, upper_minutes: float, lower: ServiceTime,
             lower_minutes: float, first: int, last: int, candidates: bool = True) -> BreachWindow:
    """breach_window for [first, last), a part of the starts window searched, read from it:
    the runs are cut, and the gap being straight between breakpoints, its largest value in
    the part is at a candidate inside or at one of the part's ends: two deadlines to read,
    not a search. Many agreements share calendars and targets and differ only in their
    periods, so each pair is searched once for the longest period, and each of tens of
    thousands of periods read from it in a few calls. Without the candidates (a part that
    is read, not narrowed again), where asked."""
    starts, ends = window.run_starts, window.run_ends
    low, high = int(ends.searchsorted(first, side="right")), int(starts.searchsorted(last, side="left"))
    if high <= low:
        return BreachWindow(last - first, 0, None, 0, strict=window.strict)
    totals = window.run_totals
    cut_first, cut_last = max(0, first - int(starts[low])), max(0, int(ends[high - 1]) - last)
    breaching = int(totals[high] - totals[low]) - cut_first - cut_last
    # copies: a part outlives the search it is read from, whose arrays are far longer
    run_starts, run_ends = starts[low:high].copy(), ends[low:high].copy()
    run_starts[0], run_ends[-1] = max(first, int(run_starts[0])), min(last, int(run_ends[-1]))
    threshold = _threshold(window.strict)
    # the worst: the largest gap, the earliest of equals (first, then the candidates, then last - 1)
    found: list[tuple[float, int]] = []
    # the gaps at the ends, kept with the window: most parts begin (or end) where others do
    gaps_at = window.__dict__.setdefault("_gaps_at", {})
    for end in (first, last - 1):
        if end not in gaps_at:
            gaps_at[end] = _gap(upper, upper_minutes, lower, lower_minutes, end)
    gap = gaps_at[first]
    if gap > threshold:
        found.append((gap, first))
    candidate_low, candidate_high = window.candidate_at.searchsorted([first, last]).tolist()
    if candidate_high > candidate_low:
        best = candidate_low + int(window.candidate_gap[candidate_low:candidate_high].argmax())
        found.append((float(window.candidate_gap[best]), int(window.candidate_at[best])))
    gap = gaps_at[last - 1]
    if gap > threshold:
        found.append((gap, last - 1))
    worst_start, worst_gap = None, 0
    if found:
        most = max(gap for gap, _ in found)
        worst_start, worst_gap = next(at for gap, at in found if gap == most), max(0, int(most))
    if not candidates:
        return BreachWindow(last - first, breaching, worst_start, worst_gap, run_starts, run_ends, strict=window.strict)
    return BreachWindow(last - first, breaching, worst_start, worst_gap, run_starts, run_ends,
                        window.candidate_at[candidate_low:candidate_high],
                        window.candidate_gap[candidate_low:candidate_high], window.strict)


def longest_wait(upper: ServiceTime, lower: ServiceTime, lower_minutes: float, first: int, last: int) -> int:
    """The shortest upper target that no start in [first, last) would breach: see WaitProfile."""
    return WaitProfile.of(upper, lower, lower_minutes, first, last).longest(first, last)[0]


@dataclass(frozen=True)
class WaitProfile:
    """The covered minutes of upper's calendar from a start to the lower deadline of that
    start, read at the starts where it can change direction: the most of them over a part
    of [first, last) is the shortest upper target that no start of the part would breach.

    It is piecewise linear in the start, with its kinks where the lower deadline jumps or
    changes slope and where that deadline crosses an edge of upper's covered time; its
    largest value over a part is at one of those points inside it or next to one, or at an
    end of the part."""

    upper: ServiceTime
    lower: ServiceTime
    lower_minutes: float
    points: np.ndarray  # sorted start minutes
    waits: np.ndarray

    @classmethod
    def of(cls, upper: ServiceTime, lower: ServiceTime, lower_minutes: float, first: int, last: int) -> "WaitProfile":
        return cls.many(upper, lower, [lower_minutes], first, last)[0]

    @classmethod
    def many(cls, upper: ServiceTime, lower: ServiceTime, lower_minutes: Sequence[float], first: int,
             last: int) -> list["WaitProfile"]:
        """The profile for each of several lower targets of the same two calendars: see many_of."""
        return cls.many_of([BreachSearch(upper, 0.0, lower, float(b), first, last) for b in lower_minutes])

    @classmethod
    def many_of(cls, searches: Sequence[BreachSearch]) -> list["WaitProfile"]:
        """The profile of each search's lower target (its upper target is not read), of any
        calendars, read together: by the search of a zero upper target (see _searched)."""
        return breach_windows_and_waits([search._replace(upper_minutes=0.0) for search in searches])[1]

    @staticmethod
    def _waits(stack: _Stack, lower_minutes: np.ndarray, at: np.ndarray, due: np.ndarray | None = None,
               covered: np.ndarray | None = None) -> np.ndarray:
        """The waits at starts in the lanes' minutes of the stack's covered times; with the
        lower deadlines and the upper covered minutes before them, where read already (_gaps)."""
        uppers, lowers = stack.uppers, stack.lowers
        if due is None:
            due = deadlines(lowers, at, lower_minutes)
        if covered is None:
            covered = covered_before_many(uppers, at)
        due = np.minimum(np.where(np.isnan(due), lowers.span_end(at), due), uppers.span_end(at)).astype(np.int64)
        starts, ends, _ = uppers.arrays
        # A lower deadline in a gap of upper's covered time comes after the upper deadline
        # of the covered minutes waited so far, however long: one more minute is needed.
        # The interval that begins before it: the one it is in or after, unless it begins
        # at the deadline (the starts are distinct).
        index = np.searchsorted(starts, due, side="right") - 1
        inside = index - ((index >= 0) & (starts[np.maximum(index, 0)] == due))
        on_time = (due == at) | ((inside >= 0) & (due <= ends[np.maximum(inside, 0)]))
        return covered_before_many(uppers, due, index) - covered + ~on_time

    def _wait(self, start: int) -> float:
        """_waits for one start, kept: most parts begin (or end) where others do."""
        waits_at = self.__dict__.setdefault("_waits_at", {})
        if start not in waits_at:
            waits_at[start] = self._wait_now(start)
        return waits_at[start]

    def _wait_now(self, start: int) -> float:
        due = _deadline(self.lower, start, self.lower_minutes)
        due = int(min(self.lower.span[1] if math.isnan(due) else due, self.upper.span[1]))
        inside = bisect_left(self.upper._starts, due) - 1
        on_time = due == start or (inside >= 0 and due <= self.upper.intervals[inside][1])
        return float(self.upper.covered_before(due) - self.upper.covered_before(start) + (not on_time))

    def longest(self, first: int, last: int) -> tuple[int, int | None]:
        """The most covered minutes waited from a start in [first, last), within the starts
        this profile was read for, and the earliest start it is reached at."""
        if last <= first:
            return 0, None
        # the earliest of equals: first, then the points inside, then last - 1
        best, at = self._wait(first), first
        low, high = self.points.searchsorted([first, last]).tolist()
        if high > low:
            index = low + int(self.waits[low:high].argmax())
            if self.waits[index] > best:
                best, at = float(self.waits[index]), int(self.points[index])
        wait = self._wait(last - 1)
        if wait > best:
            best, at = wait, last - 1
        return int(np.ceil(best)), at
