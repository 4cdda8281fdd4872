"""Covered time: calendars, durations and the figures derived from them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from service_catalogue.servicetime import DAY, ServiceTime, Window, to_minutes
# The engine's terms, under the names the rest of the package has always imported them by.
from service_catalogue.servicetime import WEEKDAYS as WEEKDAYS, minutes_of as minutes_of

DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))

# Average weeks per availability window (Gregorian year of 365.2425 days).
WEEKS_PER_WINDOW = {"day": 1 / 7, "week": 1.0, "month": 365.2425 / 12 / 7, "quarter": 365.2425 / 4 / 7, "year": 365.2425 / 7}

# As the schema's duration pattern: at most six digits before the point, so never infinite,
# and nothing after the unit (`$` would let a final newline through).
_DURATION = re.compile(r"^(0|[1-9][0-9]{0,5})(\.[0-9]+)?([mhdw])\Z")


# A week of no changes of clocks and no holidays: weekly coverage is about the weekly
# windows, not about dates, so the engine reads them over a week in UTC starting on a
# Monday (1 January 2024). Any week in any zone without a change of clocks gives the same.
_REFERENCE_MONDAY = dt.date(2024, 1, 1)


def _windows_key(windows) -> tuple:
    return tuple((tuple(w["days"]), w["from"], w["to"]) for w in windows or ())


@lru_cache(maxsize=4096)
def _minutes_by_day(always: bool, windows: tuple, maintenance: tuple | None) -> dict[str, int]:
    """Covered minutes of each weekday, from the service-time engine over the reference week;
    with maintenance given, the minutes of it inside that covered time instead. Cached: many
    records share a few calendars."""
    week_end = _REFERENCE_MONDAY + dt.timedelta(days=6)
    cover = [Window(frozenset(days), minutes_of(start), minutes_of(end)) for days, start, end in windows]
    covered = ServiceTime.weekly("UTC", cover, _REFERENCE_MONDAY, week_end, always=always)
    if maintenance is not None:
        holes = [Window(frozenset(days), minutes_of(start), minutes_of(end)) for days, start, end in maintenance]
        outside = ServiceTime.weekly("UTC", cover, _REFERENCE_MONDAY, week_end, maintenance=holes, always=always)
    midnight = to_minutes(dt.datetime.combine(_REFERENCE_MONDAY, dt.time(), dt.timezone.utc))
    found = {}
    for index, day in enumerate(WEEKDAYS):
        start, end = midnight + index * DAY, midnight + (index + 1) * DAY
        minutes = covered.covered_before(end) - covered.covered_before(start)
        if maintenance is not None:
            minutes -= outside.covered_before(end) - outside.covered_before(start)
        found[day] = minutes
    return found


@dataclass(frozen=True)
class WeeklyCoverage:
    """Covered minutes per weekday, from a calendar's `weekly` windows (overlaps counted once)."""

    minutes_by_day: dict

    @classmethod
    def from_calendar_data(cls, data: dict) -> "WeeklyCoverage":
        always = data.get("always") is True
        return cls(dict(_minutes_by_day(always, () if always else _windows_key(data.get("weekly")), None)))

    # Cached: every page showing a time or a budget of the calendar asks again.
    @cached_property
    def hours_per_week(self) -> float:
        return sum(self.minutes_by_day.values()) / 60

    @cached_property
    def days_per_week(self) -> int:
        return sum(1 for minutes in self.minutes_by_day.values() if minutes)

    @cached_property
    def service_day_hours(self) -> float:
        """One service day: covered hours per week over covered days per week."""
        return self.hours_per_week / self.days_per_week if self.days_per_week else 0.0


def maintenance_in_covered_time(calendar_data: dict | None, windows) -> "WeeklyCoverage":
    """The minutes of each weekday that maintenance windows take out of a calendar's covered
    time: the part of each window inside covered time, a minute in two windows once.

    Both are in the calendar's time zone (windows are written in the agreement's), so no
    conversion. calendar_data None (no service hours stated): the windows in the whole week.
    """
    if calendar_data is None:
        return WeeklyCoverage(dict(_minutes_by_day(True, (), _windows_key(windows))))
    always = calendar_data.get("always") is True
    cover = () if always else _windows_key(calendar_data.get("weekly"))
    return WeeklyCoverage(dict(_minutes_by_day(always, cover, _windows_key(windows))))


def days_words(days) -> str:
    """Weekdays in words, in week order: "Monday to Friday", "Saturday and Sunday", "Sunday"."""
    indexes = sorted({WEEKDAYS.index(day) for day in days if day in WEEKDAYS})
    names = [DAY_NAMES[WEEKDAYS[index]] for index in indexes]
    if len(indexes) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{names[0]} to {names[-1]}"
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}"


@dataclass(frozen=True)
class Duration:
    amount: float
    unit: str  # m, h, d or w
    text: str

    @classmethod
    def parse(cls, text):
        return _parsed_duration(text) if isinstance(text, str) else None

    @property
    def needs_calendar(self) -> bool:
        """A day or a week means something only in a calendar's covered time; minutes and
        hours without one count elapsed time."""
        return self.unit in ("d", "w")

    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    def covered_minutes(self, coverage: WeeklyCoverage | None) -> float | None:
        """Covered minutes; a day is a service day of the calendar that applies, a week
        its covered hours per week. Without a calendar, minutes and hours are elapsed
        time and a day or a week is None: nobody said how long it is."""
        if self.unit == "m":
            return self.amount
        if self.unit == "h":
            return self.amount * 60
        if coverage is None or not coverage.days_per_week:
            return None
        # From the week's whole minutes, to a millionth of a minute: by way of hours, 5 service
        # days of 8h35m came to 2574.9999999999995 minutes, and a deadline could be a minute off.
        week = sum(coverage.minutes_by_day.values())
        return round(self.amount * week if self.unit == "w" else self.amount * week / coverage.days_per_week, 6)

    def words(self, coverage: WeeklyCoverage | None = None) -> str:
        amount = f"{self.amount:g}"
        if self.unit == "m":
            return f"{amount} minute{'s' * (self.amount != 1)}"
        if self.unit == "h":
            return f"{amount} hour{'s' * (self.amount != 1)}"
        noun = "week" if self.unit == "w" else "day"
        days = f"{amount} service {noun}{'s' * (self.amount != 1)}"
        minutes = self.covered_minutes(coverage)
        return f"{days} ({format_minutes(minutes)})" if minutes is not None else days


@lru_cache(maxsize=1024)
def _parsed_duration(text: str) -> Duration | None:
    # A catalogue writes a few dozen durations, tens of thousands of times (every
    # priority's response and resolution): a Duration is immutable, so one is shared.
    match = _DURATION.match(text)
    if not match:
        return None
    return Duration(float(match.group(1) + (match.group(2) or "")), match.group(3), text)


def format_hours(hours: float) -> str:
    return f"{hours:g}" if hours == int(hours) else f"{hours:.1f}"


def format_minutes(minutes: float | None) -> str:
    """People read 43.8 minutes and 8.8 hours more easily than 0.146 days."""
    if minutes is None:
        return "n/a"
    if minutes < 1:
        return f"{minutes * 60:.0f} seconds"
    if minutes < 120:
        return f"{minutes:.1f} minutes" if minutes != int(minutes) else f"{minutes:.0f} minutes"
    hours = minutes / 60
    return f"{hours:.1f} hours" if round(hours, 1) != int(hours) else f"{hours:.0f} hours"


def downtime_budget_minutes(
    target: float, window: str, coverage: WeeklyCoverage, maintenance: WeeklyCoverage | None = None
) -> float:
    """The downtime an availability target allows in one window of covered time, less the
    planned maintenance in it (maintenance_in_covered_time), which is not downtime."""
    weekly_hours = coverage.hours_per_week - (maintenance.hours_per_week if maintenance is not None else 0)
    return weekly_hours * 60 * WEEKS_PER_WINDOW[window] * (100 - target) / 100
