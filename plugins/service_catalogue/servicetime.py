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
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from service_catalogue.timeplan import WEEKDAYS, minutes_of

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
DAY = 24 * 60

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
    zone's UTC offset stays the same. Hour steps find each change, and a binary search
    finds its minute: zones change on whole minutes, never twice within an hour."""

    def offset(t: int) -> int:
        value = from_minutes(t, zone).utcoffset()
        assert value is not None  # an aware zone always has one
        return int(value.total_seconds() // 60)

    segments = []
    start, current = first, offset(first)
    t = first
    while t < last:
        step = min(t + 60, last)
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

    def __init__(self, intervals: list[Interval], span: Interval, zone: dt.tzinfo | None):
        self.intervals = intervals
        self.span = span  # what the intervals were worked out for; queries outside it fail
        self.zone = zone
        self._starts = [start for start, _ in intervals]
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
        return cls(covered, span, zone)

    @classmethod
    def elapsed(cls, first: dt.datetime, last: dt.datetime) -> "ServiceTime":
        """Every minute counts: the clock of an agreement that states no service hours."""
        span = (to_minutes(first), to_minutes(last))
        return cls([span], span, None)

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
        a = to_minutes(start)
        self._check(a)
        if minutes <= 0:
            return start
        goal = self.covered_before(a) + minutes
        index = bisect_left(self._before, goal) - 1  # the interval in which the goal-th minute ends
        if index >= len(self.intervals):
            return None
        begin, _ = self.intervals[index]
        due = begin + (goal - self._before[index])
        return from_minutes(int(-(-due // 1)), self.zone or start.tzinfo)

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


@dataclass(frozen=True)
class BreachWindow:
    """Where a ticket raised would make the lower clock's deadline fall after the upper's."""

    starts: int  # start minutes searched
    breaching: int  # of those, the ones whose lower deadline falls after the upper one
    worst_start: int | None  # the start minute with the largest gap (UTC minutes), None without a breach
    worst_gap: int  # minutes by which the lower deadline is late, at worst (0 without a breach)

    @property
    def share(self) -> float:
        return self.breaching / self.starts if self.starts else 0.0


def _total_at(engine: ServiceTime, total: float) -> int | None:
    """The minute at which the running total of covered minutes first reaches total."""
    index = bisect_left(engine._before, total) - 1
    if index >= len(engine.intervals):
        return None
    if index < 0:
        return engine.intervals[0][0] if engine.intervals else None
    return int(-(-(engine.intervals[index][0] + total - engine._before[index]) // 1))


def _due(engine: ServiceTime, start: int, minutes: float) -> int | None:
    return _total_at(engine, engine.covered_before(start) + minutes) if minutes > 0 else start


def _breakpoints(engine: ServiceTime, minutes: float, first: int, last: int) -> set[int]:
    """The start minutes where engine's deadline may change its slope or jump: its interval
    boundaries, and the starts whose deadline lands on one."""
    points: set[int] = set()
    low = bisect_left(engine._starts, first) - 1
    for start, end in engine.intervals[max(0, low):]:
        if start > last:
            break
        points.update((start, end))
    # Starts whose n-th covered minute ends at an interval's end: the deadline jumps after them.
    base = engine.covered_before(first)
    top = engine.covered_before(last) + minutes
    index = bisect_left(engine._before, base + minutes)
    while index < len(engine._before) and engine._before[index] <= top:
        landing = _total_at(engine, engine._before[index] - minutes)
        if landing is not None:
            points.add(landing)
        index += 1
    return points


def breach_window(upper: ServiceTime, upper_minutes: float, lower: ServiceTime, lower_minutes: float,
                  first: int, last: int) -> BreachWindow:
    """For every start minute in [first, last): is the lower deadline after the upper one?

    Both deadlines move by 0 or 1 minute per minute of start between breakpoints, so the
    gap is a straight line on each piece: it is read at the breakpoints and counted exactly
    in between, never start by start. A deadline past either span counts as a breach only
    when the upper one is inside it (the lower is then later than anything known).
    """
    points = {first, last - 1}
    for engine, minutes in ((upper, upper_minutes), (lower, lower_minutes)):
        for point in _breakpoints(engine, minutes, first, last):
            points.update((point - 1, point, point + 1))
    ordered = sorted(p for p in points if first <= p < last)
    breaching, worst_gap, worst_start = 0, 0, None

    def gap(t: int) -> int | None:
        ours, theirs = _due(upper, t, upper_minutes), _due(lower, t, lower_minutes)
        if ours is None:
            return None  # past the span: nothing is known
        return (theirs if theirs is not None else lower.span[1] + 1) - ours

    for index, p in enumerate(ordered):
        g = gap(p)
        if g is not None and g > 0:
            breaching += 1
            if g > worst_gap:
                worst_gap, worst_start = g, p
        if index + 1 < len(ordered):
            q = ordered[index + 1]
            inside = q - p - 1  # the starts strictly between two breakpoints: the gap is affine there
            if inside > 0:
                g1, g2 = gap(p + 1), gap(q - 1)
                if g1 is None or g2 is None:
                    continue
                if inside == 1:
                    breaching += g1 > 0
                else:
                    slope = (g2 - g1) / (inside - 1)
                    breaching += len(_positive_run(g1, slope, inside))
                for value, at in ((g1, p + 1), (g2, q - 1)):
                    if value > worst_gap:
                        worst_gap, worst_start = value, at
    return BreachWindow(last - first, breaching, worst_start, worst_gap)


def _positive_run(g0: float, slope: float, count: int):
    """The k in range(count) with g0 + slope * k > 0, without walking them all."""
    if slope == 0:
        return range(count) if g0 > 0 else range(0)
    # g0 + slope*k > 0  <=>  k > -g0/slope (slope > 0) or k < -g0/slope (slope < 0)
    edge = -g0 / slope
    if slope > 0:
        lowest = max(0, int(edge // 1) + 1)
        return range(min(lowest, count), count)
    highest = min(count, int(-(-edge // 1)))
    return range(0, max(0, highest))
