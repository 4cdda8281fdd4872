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


@dataclass(frozen=True)
class WeeklyCoverage:
    """Covered minutes per weekday, from a calendar's `weekly` windows (overlaps counted once)."""

    minutes_by_day: dict

    @classmethod
    def from_calendar_data(cls, data: dict) -> "WeeklyCoverage":
        if data.get("always") is True:
            return cls({day: 24 * 60 for day in WEEKDAYS})
        covered: dict[str, set[int]] = {day: set() for day in WEEKDAYS}
        for window in data.get("weekly") or ():
            start, end = minutes_of(window["from"]), minutes_of(window["to"])
            for day in window["days"]:
                covered[day].update(range(start, end))
        return cls({day: len(minutes) for day, minutes in covered.items()})

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


def downtime_budget_minutes(target: float, window: str, coverage: WeeklyCoverage) -> float:
    """The downtime an availability target allows in one window of covered time."""
    covered = coverage.hours_per_week * 60 * WEEKS_PER_WINDOW[window]
    return covered * (100 - target) / 100
