"""A breach week's hours as every week, some weeks or never, and in words (breach_hours.py)."""

from __future__ import annotations

import pytest

from helpers.breach_weeks import HOLIDAY_MONDAYS, MIXED, SGT, WEEKDAY_EVENINGS, WORKDAYS, week
from service_catalogue.breach_hours import Breach, breach_hours_words, breach_of, breach_week


@pytest.mark.parametrize(
    ("shares", "words"),
    [
        ([1.0] * 168, "every hour of the week (Asia/Singapore)"),
        ([0.0] * 168, "never"),
        (WEEKDAY_EVENINGS, "Monday to Friday 18:00–24:00, Saturday and Sunday all day (Asia/Singapore)"),
        (HOLIDAY_MONDAYS, "on some weeks only: Monday all day (Asia/Singapore)"),
        ([0.5] * 168, "on some weeks only: every hour of the week (Asia/Singapore)"),
        (MIXED, "Monday to Friday 18:00–24:00, Saturday and Sunday all day (Asia/Singapore);"
                " on some weeks only: Wednesday 09:00–17:00"),
        (week(**{day: {range(8): 1.0, range(18, 24): 1.0} for day in WORKDAYS}),
         "Monday to Friday 00:00–08:00 and 18:00–24:00 (Asia/Singapore)"),
        (week(mon={range(9, 10): 1.0}, wed={range(9, 10): 1.0}, fri={range(9, 10): 1.0}, sun={range(0, 1): 1.0}),
         "Monday, Wednesday and Friday 09:00–10:00, Sunday 00:00–01:00 (Asia/Singapore)"),
        (week(tue={range(1, 2): 1.0, range(3, 4): 1.0, range(23, 24): 1.0}),
         "Tuesday 01:00–02:00, 03:00–04:00 and 23:00–24:00 (Asia/Singapore)"),
    ],
    ids=["all-week", "none", "weekday-evenings", "holiday-only", "all-some", "mixed", "two-stretches",
         "scattered-days", "three-stretches"],
)
def test_breach_hours_in_words(shares, words):
    assert breach_hours_words(shares, SGT) == words


def test_the_hours_of_a_week_in_order():
    assert breach_week(HOLIDAY_MONDAYS) == (Breach.SOME_WEEKS,) * 24 + (Breach.NEVER,) * 144
    assert breach_week(WEEKDAY_EVENINGS)[17:19] == (Breach.NEVER, Breach.EVERY_WEEK)  # Monday 17:00, 18:00


def test_shares_a_rounding_error_from_0_or_1_are_never_and_every_week():
    assert breach_of(1 - 1e-12) is Breach.EVERY_WEEK and breach_of(1e-12) is Breach.NEVER
    assert breach_of(1 / 52) is Breach.SOME_WEEKS and breach_of(51 / 52) is Breach.SOME_WEEKS


@pytest.mark.parametrize("shares", [[0.0] * 167, [0.0] * 169, [0.0] * 167 + [1.5], [0.0] * 167 + [-0.1],
                                    [0.0] * 167 + [float("nan")], [0.0] * 167 + ["1"]])
def test_a_week_is_168_shares_from_0_to_1(shares):
    with pytest.raises(ValueError):
        breach_week(shares)
    with pytest.raises(ValueError):
        breach_hours_words(shares, SGT)
