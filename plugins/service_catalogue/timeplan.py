"""Covered time: calendars, durations and the figures derived from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))

# Average weeks per availability window (Gregorian year of 365.2425 days).
WEEKS_PER_WINDOW = {"day": 1 / 7, "week": 1.0, "month": 365.2425 / 12 / 7, "quarter": 365.2425 / 4 / 7, "year": 365.2425 / 7}

# As the schema's duration pattern: at most six digits before the point, so never infinite,
# and nothing after the unit (`$` would let a final newline through).
_DURATION = re.compile(r"^(0|[1-9][0-9]{0,5})(\.[0-9]+)?([mhdw])\Z")


def minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _window_minutes(windows) -> dict[str, set[int]]:
    """The minutes of each weekday (from midnight) inside weekly windows of {days, from, to}."""
    minutes: dict[str, set[int]] = {day: set() for day in WEEKDAYS}
    for window in windows or ():
        start, end = minutes_of(window["from"]), minutes_of(window["to"])
        for day in window["days"]:
            minutes[day].update(range(start, end))
    return minutes


def _covered_minutes(data: dict) -> dict[str, set[int]]:
    """A calendar's covered minutes of each weekday: all of them for `always: true`."""
    if data.get("always") is True:
        return {day: set(range(24 * 60)) for day in WEEKDAYS}
    return _window_minutes(data.get("weekly"))


@dataclass(frozen=True)
class WeeklyCoverage:
    """Covered minutes per weekday, from a calendar's `weekly` windows (overlaps counted once)."""

    minutes_by_day: dict

    @classmethod
    def from_calendar_data(cls, data: dict) -> "WeeklyCoverage":
        if data.get("always") is True:  # no sets to build for the commonest calendar
            return cls({day: 24 * 60 for day in WEEKDAYS})
        return cls({day: len(minutes) for day, minutes in _covered_minutes(data).items()})

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
    maintenance = _window_minutes(windows)
    if calendar_data is not None:
        covered = _covered_minutes(calendar_data)
        maintenance = {day: minutes & covered[day] for day, minutes in maintenance.items()}
    return WeeklyCoverage({day: len(minutes) for day, minutes in maintenance.items()})


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
        match = _DURATION.match(text) if isinstance(text, str) else None
        if not match:
            return None
        return cls(float(match.group(1) + (match.group(2) or "")), match.group(3), text)

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
        if self.unit == "w":
            return self.amount * coverage.hours_per_week * 60
        return self.amount * coverage.service_day_hours * 60

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
