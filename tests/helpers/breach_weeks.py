"""Breach weeks (168 shares of weeks in breach, Monday 00:00 first) that the tests of
breach_hours.py and of the week's picture share."""

from __future__ import annotations

from service_catalogue.timeplan import WEEKDAYS

SGT = "Asia/Singapore"


def week(**days: dict[range, float]) -> list[float]:
    """A breach week from {day: {hours: share}}, as week(mon={range(9, 17): 1.0}); every other hour 0."""
    shares = [0.0] * 168
    for day, hours in days.items():
        for span, share in hours.items():
            for hour in span:
                shares[WEEKDAYS.index(day) * 24 + hour] = share
    return shares


WORKDAYS = ("mon", "tue", "wed", "thu", "fri")
WEEKDAY_EVENINGS = week(**{day: {range(18, 24): 1.0} for day in WORKDAYS}, sat={range(24): 1.0}, sun={range(24): 1.0})
# A bank holiday on Mondays that one calendar has and the other not: 2 weeks of 52.
HOLIDAY_MONDAYS = week(mon={range(24): 2 / 52})
MIXED = [*WEEKDAY_EVENINGS]
MIXED[2 * 24 + 9:2 * 24 + 17] = [0.25] * 8  # Wednesday 09:00-17:00 on some weeks
