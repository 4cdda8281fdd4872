"""The hours of a week in which a raised ticket would breach, and those hours in words.

A breach week is 168 shares, one per local hour of the week in a time zone (hour 0 is
Monday 00:00-01:00): the share of the weeks searched in which a ticket raised in that
hour would breach. 1 means every week (the calendars never agree then), 0 never, and a
share in between some weeks only (typically a holiday one calendar has and the other
has not). The site draws such a week (site/week_picture.py); the words here are the
picture's text alternative, and what the health page and `check` say of it.

This lives in the core, not in site/, so that `check` can say the words without the site.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import Enum

from service_catalogue.timeplan import WEEKDAYS, days_words

HOURS_PER_DAY = 24
HOURS_PER_WEEK = 7 * HOURS_PER_DAY

# Shares are counts of weeks divided by the number of weeks; a sum of fractions may land
# a rounding error short of 1 (or above 0), which is not "some weeks".
_ROUNDING = 1e-9


class Breach(Enum):
    """How often a ticket raised in an hour of the week breaches."""

    NEVER = "never"
    SOME_WEEKS = "some weeks"
    EVERY_WEEK = "every week"


def breach_of(share: float) -> Breach:
    """What a share of weeks in breach means (it must be a finite number in [0, 1])."""
    if not (isinstance(share, (int, float)) and math.isfinite(share) and -_ROUNDING <= share <= 1 + _ROUNDING):
        raise ValueError(f"a share of weeks is a number from 0 to 1, not {share!r}")
    if share >= 1 - _ROUNDING:
        return Breach.EVERY_WEEK
    return Breach.SOME_WEEKS if share > _ROUNDING else Breach.NEVER


def breach_week(shares: Sequence[float]) -> tuple[Breach, ...]:
    """The 168 hours of a week (Monday 00:00 first) as what their shares mean."""
    if len(shares) != HOURS_PER_WEEK:
        raise ValueError(f"a week has {HOURS_PER_WEEK} hours, not {len(shares)}")
    return tuple(breach_of(share) for share in shares)


def clock(hour: int) -> str:
    """An hour of the day as a clock time; 24 is the end of the day, "24:00"."""
    return f"{hour:02d}:00"


def _stretches(hours: Sequence[bool]) -> tuple[tuple[int, int], ...]:
    """The runs of True in one day's 24 hours, as (first hour, hour after the last)."""
    runs: list[tuple[int, int]] = []
    for hour, on in enumerate(hours):
        if not on:
            continue
        if runs and runs[-1][1] == hour:
            runs[-1] = (runs[-1][0], hour + 1)
        else:
            runs.append((hour, hour + 1))
    return tuple(runs)


def _series(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def _stretches_words(stretches: tuple[tuple[int, int], ...]) -> str:
    if stretches == ((0, HOURS_PER_DAY),):
        return "all day"
    return _series([f"{clock(start)}\u2013{clock(end)}" for start, end in stretches])


def _week_words(hours: Sequence[bool]) -> str | None:
    """The hours of a week that are True, day by day; days with the same hours go together.

    Day by day, not across midnight: "Monday to Friday 00:00–08:00 and 18:00–24:00" is
    what a reader checks against a calendar, which is written day by day as well.
    """
    if all(hours):
        return "every hour of the week"
    days_by_stretches: dict[tuple[tuple[int, int], ...], list[str]] = {}
    for index, day in enumerate(WEEKDAYS):
        stretches = _stretches(hours[index * HOURS_PER_DAY:(index + 1) * HOURS_PER_DAY])
        if stretches:
            days_by_stretches.setdefault(stretches, []).append(day)  # in the order of their first day
    if not days_by_stretches:
        return None
    return ", ".join(f"{days_words(days)} {_stretches_words(stretches)}" for stretches, days in days_by_stretches.items())


def breach_hours_words(shares: Sequence[float], zone: str) -> str:
    """The hours in which a raised ticket would breach, in words, with the time zone they are in.

    "Monday to Friday 18:00–24:00, Saturday and Sunday all day (Asia/Singapore); on some
    weeks only: Wednesday 09:00–17:00", or "never" when no hour breaches in any week.
    """
    week = breach_week(shares)
    every = _week_words([breach is Breach.EVERY_WEEK for breach in week])
    some = _week_words([breach is Breach.SOME_WEEKS for breach in week])
    if every is None and some is None:
        return "never"
    if every is None:
        return f"on some weeks only: {some} ({zone})"
    if some is None:
        return f"{every} ({zone})"
    return f"{every} ({zone}); on some weeks only: {some}"
