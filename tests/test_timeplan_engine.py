"""timeplan's weekly figures are a consequence of the service-time engine (issue 16): they
agree with counting the minutes of the weekly windows one by one, as timeplan once did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from service_catalogue.servicetime import WEEKDAYS
from service_catalogue.timeplan import WeeklyCoverage, maintenance_in_covered_time


def minute_sets(windows) -> dict[str, set[int]]:
    """The reference: each weekday's minutes inside the windows, a minute in two once."""
    found: dict[str, set[int]] = {day: set() for day in WEEKDAYS}
    for window in windows:
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (window["from"], window["to"]))
        for day in window["days"]:
            found[day].update(range(start, end))
    return found


clock = st.integers(0, 96).map(lambda q: f"{q * 15 // 60:02d}:{q * 15 % 60:02d}")
window = st.builds(lambda days, a, b: {"days": days, "from": min(a, b), "to": max(a, b)},
                   st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True), clock, clock)
windows = st.lists(window, max_size=4)


@given(windows, windows)
@settings(max_examples=200, deadline=None)
def test_weekly_figures_agree_with_counting_every_minute(weekly, maintenance):
    coverage = WeeklyCoverage.from_calendar_data({"timezone": "Asia/Singapore", "weekly": weekly})
    covered = minute_sets(weekly)
    assert coverage.minutes_by_day == {day: len(minutes) for day, minutes in covered.items()}
    taken = maintenance_in_covered_time({"timezone": "UTC", "weekly": weekly}, maintenance)
    assert taken.minutes_by_day == {day: len(m & covered[day]) for day, m in minute_sets(maintenance).items()}
    whole = maintenance_in_covered_time(None, maintenance)
    assert whole.minutes_by_day == {day: len(m) for day, m in minute_sets(maintenance).items()}


def test_hand_cases():
    always = WeeklyCoverage.from_calendar_data({"timezone": "UTC", "always": True})
    assert (always.hours_per_week, always.days_per_week, always.service_day_hours) == (168, 7, 24)
    office = WeeklyCoverage.from_calendar_data(
        {"timezone": "Europe/London", "weekly": [{"days": list(WEEKDAYS[:5]), "from": "08:00", "to": "18:00"}]})
    assert (office.hours_per_week, office.days_per_week, office.service_day_hours) == (50, 5, 10)
    overlapping = WeeklyCoverage.from_calendar_data({"timezone": "UTC", "weekly": [
        {"days": ["mon"], "from": "08:00", "to": "12:00"}, {"days": ["mon"], "from": "10:00", "to": "24:00"}]})
    assert overlapping.hours_per_week == 16 and overlapping.days_per_week == 1
    # a maintenance window from 17:00 to 19:00 takes one hour out of 08:00-18:00
    partly = maintenance_in_covered_time(
        {"timezone": "UTC", "weekly": [{"days": ["tue"], "from": "08:00", "to": "18:00"}]},
        [{"days": ["tue", "wed"], "from": "17:00", "to": "19:00"}])
    assert partly.minutes_by_day["tue"] == 60 and partly.minutes_by_day["wed"] == 0


def test_service_days_are_whole_minutes_where_the_week_is():
    # 08:00-16:35 on weekdays: a service day is 515 minutes, and 5 of them 2575, not the
    # 2574.9999999999995 that going by way of hours gave (a deadline could be a minute off).
    import datetime as dt

    from service_catalogue.servicetime import Window, from_minutes
    from service_catalogue.timeplan import Duration

    weekly = [{"days": list(WEEKDAYS[:5]), "from": "08:00", "to": "16:35"}]
    coverage = WeeklyCoverage.from_calendar_data({"timezone": "Europe/London", "weekly": weekly})
    assert Duration.parse("5d").covered_minutes(coverage) == 2575
    assert Duration.parse("1w").covered_minutes(coverage) == 2575
    assert Duration.parse("0.5d").covered_minutes(coverage) == 257.5
    from service_catalogue.servicetime import ServiceTime
    engine = ServiceTime.weekly("Europe/London", [Window(frozenset(WEEKDAYS[:5]), 8 * 60, 16 * 60 + 35)],
                                dt.date(2026, 11, 30), dt.date(2026, 12, 31))
    monday = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.timezone.utc)
    due = engine.after(monday, Duration.parse("5d").covered_minutes(coverage))
    assert from_minutes(engine.after_minute(int(monday.timestamp() // 60), 2575)) == due.astimezone(dt.timezone.utc)
    assert due.astimezone(dt.timezone.utc) == dt.datetime(2026, 12, 4, 16, 35, tzinfo=dt.timezone.utc)
