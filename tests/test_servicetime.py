"""The service-time engine against a minute-by-minute reading of what "covered" means.

The reference below asks, for every UTC minute of a span, the question the engine's
docstring defines: is its wall-clock time in the zone inside a weekly window of that local
day, on a local date that is no holiday, outside every maintenance window? Hypothesis
draws calendars in zones with daylight saving changes inside the span, and both queries
must agree with the reference exactly.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import given, settings, strategies as st

from service_catalogue.servicetime import DAY, ServiceTime, Window, from_minutes, to_minutes
from service_catalogue.timeplan import WEEKDAYS

ZONES = ("Europe/London", "America/New_York", "Asia/Singapore", "Australia/Sydney", "Australia/Lord_Howe",
         "Asia/Kolkata", "Pacific/Chatham", "UTC")
# Spans that hold a change of the clocks in most of the zones above.
STARTS = (dt.date(2026, 3, 26), dt.date(2026, 10, 22), dt.date(2026, 4, 2), dt.date(2026, 9, 24), dt.date(2026, 6, 1))


def reference(timezone, windows, holidays, maintenance, first, last, always=False):
    """The covered UTC minutes of the span, one by one."""
    zone = zoneinfo.ZoneInfo(timezone)
    covered = []
    start = to_minutes(dt.datetime.combine(first, dt.time(), zone)) - 120
    end = to_minutes(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)) + 120
    for minute in range(start, end):
        local = from_minutes(minute, zone)
        day = local.date()
        if not first <= day <= last:
            continue
        clock = local.hour * 60 + local.minute
        weekday = WEEKDAYS[day.weekday()]

        def inside(ws):
            return any(weekday in w.days and w.start <= clock < w.end for w in ws)

        if (always or (day not in holidays and inside(windows))) and not inside(maintenance):
            covered.append(minute)
    return covered


clock_minutes = st.integers(0, 48).map(lambda q: q * 30)  # half hours, 00:00 to 24:00
odd_minutes = st.integers(0, DAY)


@st.composite
def windows(draw, most=3):
    found = []
    for _ in range(draw(st.integers(0 if most < 3 else 1, most))):
        a, b = sorted(draw(st.lists(st.one_of(clock_minutes, odd_minutes), min_size=2, max_size=2, unique=True)))
        days = draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1))
        found.append(Window(frozenset(days), a, b))
    return found


@st.composite
def calendars(draw):
    first = draw(st.sampled_from(STARTS)) + dt.timedelta(days=draw(st.integers(0, 3)))
    last = first + dt.timedelta(days=draw(st.integers(0, 9)))
    span_days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    holidays = set(draw(st.lists(st.sampled_from(span_days), max_size=3)))
    return draw(st.sampled_from(ZONES)), draw(windows()), holidays, draw(windows(most=2)), first, last


@given(calendars(), st.data())
@settings(max_examples=150, deadline=None)
def test_the_engine_agrees_with_the_minute_by_minute_reference(calendar, data):
    timezone, weekly, holidays, maintenance, first, last = calendar
    engine = ServiceTime.weekly(timezone, weekly, first, last, holidays=holidays, maintenance=maintenance)
    covered = reference(timezone, weekly, holidays, maintenance, first, last)
    assert sum(end - start for start, end in engine.intervals) == len(covered)
    assert all(engine.is_covered(from_minutes(m)) for m in covered[:: max(1, len(covered) // 50)])
    # covered_minutes between two instants of the span
    low, high = engine.span
    a = data.draw(st.integers(low, high))
    b = data.draw(st.integers(a, high))
    expected = sum(1 for m in covered if a <= m < b)
    assert engine.covered_minutes(from_minutes(a), from_minutes(b)) == expected
    # after: the end of the n-th covered minute from a
    later = [m for m in covered if m >= a]
    n = data.draw(st.integers(1, max(1, len(later) + 2)))
    due = engine.after(from_minutes(a), n)
    if n <= len(later):
        assert due is not None and to_minutes(due) == later[n - 1] + 1
        assert engine.covered_minutes(from_minutes(a), due) == n
    else:
        assert due is None


def test_a_window_over_the_repeated_hour_covers_both_of_them():
    # 2026-10-25, Europe/London: 01:00-02:00 happens twice (BST, then GMT).
    night = [Window(frozenset(["sun"]), 60, 120)]
    engine = ServiceTime.weekly("Europe/London", night, dt.date(2026, 10, 25), dt.date(2026, 10, 25))
    assert sum(end - start for start, end in engine.intervals) == 120
    # and one that ends inside it covers two stretches of 30 minutes, not one of 90
    half = ServiceTime.weekly("Europe/London", [Window(frozenset(["sun"]), 60, 90)], dt.date(2026, 10, 25), dt.date(2026, 10, 25))
    assert [(end - start) for start, end in half.intervals] == [30, 30]


def test_a_window_over_the_missing_hour_covers_only_the_hours_that_exist():
    # 2026-03-29, Europe/London: 01:00-02:00 does not exist.
    engine = ServiceTime.weekly("Europe/London", [Window(frozenset(["sun"]), 0, 180)], dt.date(2026, 3, 29), dt.date(2026, 3, 29))
    assert sum(end - start for start, end in engine.intervals) == 120


def test_the_friday_afternoon_ticket_of_the_issue():
    # A P1 raised on Friday at 14:01 SGT with 4 covered hours on Mon-Fri 08:00-18:00
    # Asia/Singapore is due on Monday at 08:01: 66 hours after it was raised.
    sg = zoneinfo.ZoneInfo("Asia/Singapore")
    weekdays = [Window(frozenset(WEEKDAYS[:5]), 8 * 60, 18 * 60)]
    engine = ServiceTime.weekly("Asia/Singapore", weekdays, dt.date(2026, 11, 30), dt.date(2026, 12, 31))
    raised = dt.datetime(2026, 12, 4, 14, 1, tzinfo=sg)
    due = engine.after(raised, 4 * 60)
    assert due == dt.datetime(2026, 12, 7, 8, 1, tzinfo=sg)
    assert due - raised == dt.timedelta(hours=66)
    # while 8 hours of a 24x7 clock end on Friday at 22:01
    always = ServiceTime.weekly("Asia/Singapore", [], dt.date(2026, 11, 30), dt.date(2026, 12, 31), always=True)
    assert always.after(raised, 8 * 60) == dt.datetime(2026, 12, 4, 22, 1, tzinfo=sg)


def test_a_bank_holiday_moves_the_deadline_a_day():
    london = zoneinfo.ZoneInfo("Europe/London")
    weekdays = [Window(frozenset(WEEKDAYS[:5]), 8 * 60, 18 * 60)]
    engine = ServiceTime.weekly("Europe/London", weekdays, dt.date(2026, 12, 21), dt.date(2027, 1, 8),
                                holidays={dt.date(2026, 12, 25), dt.date(2026, 12, 28)})
    raised = dt.datetime(2026, 12, 24, 17, 0, tzinfo=london)
    assert engine.after(raised, 2 * 60) == dt.datetime(2026, 12, 29, 9, 0, tzinfo=london)


def test_the_cost_of_a_query_does_not_grow_with_the_span():
    # Precomputation is linear in the days of the span; a query is a binary search. Count
    # the intervals read by a query at two sizes instead of timing it.
    import service_catalogue.servicetime as module

    weekdays = [Window(frozenset(WEEKDAYS[:5]), 8 * 60, 18 * 60)]
    small = ServiceTime.weekly("Europe/London", weekdays, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    large = ServiceTime.weekly("Europe/London", weekdays, dt.date(2026, 1, 1), dt.date(2036, 1, 31))
    assert len(large.intervals) > 100 * len(small.intervals) / 2
    calls = {"n": 0}
    real = module.bisect_right

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    module.bisect_right = counting
    try:
        start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.timezone.utc)
        for engine in (small, large):
            calls["n"] = 0
            engine.covered_minutes(start, start + dt.timedelta(days=20))
            assert calls["n"] == 2  # two searches, whatever the span
    finally:
        module.bisect_right = real


# --------------------------------------------------------------------------
# Two clocks side by side: where would the lower deadline fall after the upper one?

from service_catalogue.servicetime import breach_window  # noqa: E402


def brute_breach(upper, a, lower, b, first, last, strict=True, starts=None):
    breaching, worst_gap, worst_start = 0, 0, None
    for t in range(first, last):
        ours, theirs = upper.after(from_minutes(t), a), lower.after(from_minutes(t), b)
        if ours is None:
            continue
        gap = (to_minutes(theirs) if theirs is not None else lower.span[1] + 1) - to_minutes(ours)
        if gap > 0 or (not strict and gap == 0):
            breaching += 1
            if starts is not None:
                starts.append(t)
            if gap > worst_gap:
                worst_gap, worst_start = gap, t
    return breaching, worst_gap


def minutes_of_runs(runs):
    return [t for start, end in runs for t in range(start, end)]


@given(calendars(), calendars(), st.integers(1, 16).map(lambda h: h * 30), st.integers(1, 16).map(lambda h: h * 30), st.data())
@settings(max_examples=40, deadline=None)
def test_the_breach_window_agrees_with_trying_every_start(upper_calendar, lower_calendar, a, b, data):
    timezone, weekly, holidays, maintenance, first, last = upper_calendar
    upper = ServiceTime.weekly(timezone, weekly, first, last + dt.timedelta(days=20), holidays=holidays)
    timezone, weekly, holidays, maintenance, _, _ = lower_calendar
    lower = ServiceTime.weekly(timezone, weekly, first, last + dt.timedelta(days=20), holidays=holidays)
    span_first = max(upper.span[0], lower.span[0])
    start = data.draw(st.integers(span_first, span_first + 3 * DAY))
    end = start + data.draw(st.integers(1, 2 * DAY))
    strict = data.draw(st.booleans())
    found = breach_window(upper, a, lower, b, start, end, strict=strict)
    starts: list[int] = []
    assert (found.breaching, found.worst_gap) == brute_breach(upper, a, lower, b, start, end, strict, starts)
    # the runs are exactly the breaching starts, and disjoint
    assert minutes_of_runs(found.runs) == starts
    assert all(one[1] < two[0] for one, two in zip(found.runs, found.runs[1:]))
    if starts:
        middle = starts[len(starts) // 2]
        assert found.breaching_between(middle, end) == sum(1 for t in starts if t >= middle)


def test_the_friday_afternoon_breach_window_of_the_issue():
    # SLA: 8h on 24x7. UC: 4h on Mon-Fri 08:00-18:00 Singapore. A ticket raised Friday
    # 14:01 SGT is due from the supplier 66 hours later, 58 hours after the SLA's deadline.
    sg = zoneinfo.ZoneInfo("Asia/Singapore")
    week_days = [Window(frozenset(WEEKDAYS[:5]), 8 * 60, 18 * 60)]
    sla = ServiceTime.weekly("Asia/Singapore", [], dt.date(2026, 11, 30), dt.date(2026, 12, 31), always=True)
    uc = ServiceTime.weekly("Asia/Singapore", week_days, dt.date(2026, 11, 30), dt.date(2026, 12, 31))
    monday = to_minutes(dt.datetime(2026, 12, 7, 0, 0, tzinfo=sg))
    week = breach_window(sla, 8 * 60, uc, 4 * 60, monday, monday + 7 * DAY)
    # Breach-free only when the supplier's 4 hours end within the SLA's 8: a start from
    # Mon-Fri 00:00 up to 10:00 (due 12:00 at the latest, SLA 08:00+) and so on: the
    # brute force over the week is the reference.
    assert (week.breaching, week.worst_gap) == brute_breach(sla, 8 * 60, uc, 4 * 60, monday, monday + 7 * DAY)
    assert week.share > 0.5
    friday = to_minutes(dt.datetime(2026, 12, 11, 14, 1, tzinfo=sg))
    assert from_minutes(week.worst_start, sg) >= from_minutes(friday, sg) - dt.timedelta(hours=1)


def test_the_breach_search_reads_breakpoints_not_every_minute():
    import service_catalogue.servicetime as module

    week_days = [Window(frozenset(WEEKDAYS[:5]), 8 * 60, 18 * 60)]
    sla = ServiceTime.weekly("Europe/London", [], dt.date(2026, 1, 1), dt.date(2026, 12, 31), always=True)
    uc = ServiceTime.weekly("Europe/London", week_days, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    start = to_minutes(dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))
    calls = {"n": 0}
    real = module.deadlines

    def counting(engine, starts, minutes, *rest):
        calls["n"] += len(starts)  # deadlines worked out, one per start minute asked about
        return real(engine, starts, minutes, *rest)

    module.deadlines = counting
    try:
        counts = []
        for weeks in (4, 16):
            # what each calendar works out once for all its pairs (how far its deadlines
            # reach) is not the search's cost
            breach_window(sla, 8 * 60, uc, 4 * 60, start, start + weeks * 7 * DAY)
            calls["n"] = 0
            breach_window(sla, 8 * 60, uc, 4 * 60, start, start + weeks * 7 * DAY)
            counts.append(calls["n"])
    finally:
        module.deadlines = real
    # linear in the weeks searched, and far from one evaluation per start minute
    assert counts[1] <= 4 * counts[0] * 1.1
    assert counts[1] < 16 * 7 * DAY / 50


from service_catalogue.servicetime import WaitProfile, longest_wait, narrowed  # noqa: E402


@given(calendars(), calendars(), st.integers(1, 16).map(lambda h: h * 30), st.integers(1, 16).map(lambda h: h * 30), st.data())
@settings(max_examples=40, deadline=None)
def test_a_part_of_a_searched_window_reads_as_if_searched_alone(upper_calendar, lower_calendar, a, b, data):
    # Pairs that share calendars and targets are searched once over 12 months and their
    # own periods read from that: it must be exactly what searching the period gives.
    timezone, weekly, holidays, _, first, last = upper_calendar
    upper = ServiceTime.weekly(timezone, weekly, first, last + dt.timedelta(days=20), holidays=holidays)
    timezone, weekly, holidays, _, _, _ = lower_calendar
    lower = ServiceTime.weekly(timezone, weekly, first, last + dt.timedelta(days=20), holidays=holidays)
    start = max(upper.span[0], lower.span[0]) + data.draw(st.integers(0, DAY))
    end = start + data.draw(st.integers(2, 3 * DAY))
    part_start = data.draw(st.integers(start, end - 1))
    part_end = data.draw(st.integers(part_start + 1, end))
    strict = data.draw(st.booleans())
    whole = breach_window(upper, a, lower, b, start, end, strict=strict)
    alone = breach_window(upper, a, lower, b, part_start, part_end, strict=strict)
    read = narrowed(whole, upper, a, lower, b, part_start, part_end)
    assert (read.breaching, read.worst_gap, read.runs) == (alone.breaching, alone.worst_gap, alone.runs)
    if alone.breaching:
        assert read.worst_start == alone.worst_start
    profile = WaitProfile.of(upper, lower, b, start, end)
    assert profile.longest(part_start, part_end)[0] == longest_wait(upper, lower, b, part_start, part_end)


@given(calendars(), calendars(), st.integers(1, 16).map(lambda h: h * 30), st.data())
@settings(max_examples=40, deadline=None)
def test_the_safe_target_is_the_longest_wait_of_any_start(upper_calendar, lower_calendar, b, data):
    timezone, weekly, holidays, _, first, last = upper_calendar
    upper = ServiceTime.weekly(timezone, weekly, first, last + dt.timedelta(days=20), holidays=holidays)
    timezone, weekly, holidays, _, _, _ = lower_calendar
    lower = ServiceTime.weekly(timezone, weekly, first, last + dt.timedelta(days=20), holidays=holidays)
    start = max(upper.span[0], lower.span[0]) + data.draw(st.integers(0, DAY))
    end = start + data.draw(st.integers(1, 2 * DAY))
    longest, known = 0, True
    for t in range(start, end):
        due = lower.after(from_minutes(t), b)
        known = known and due is not None
        due_minute = min(to_minutes(due) if due is not None else lower.span[1], upper.span[1])
        # due in a gap of upper's hours: later than the deadline of the minutes waited
        in_gap = due_minute != t and not any(a < due_minute <= z for a, z in upper.intervals)
        longest = max(longest, upper.covered_before(due_minute) - upper.covered_before(t) + in_gap)
    assert longest_wait(upper, lower, b, start, end) == longest
    if longest and known:
        # an upper target that long is never missed, one minute shorter is (where the
        # spans hold every deadline: past them, nothing is known)
        assert not breach_window(upper, longest, lower, b, start, end).breaching
        assert breach_window(upper, longest - 1, lower, b, start, end).breaching


# --------------------------------------------------------------------------
# The cases worked by hand in docs/health-checks.md ("Worked by hand").


def test_worked_by_hand_the_friday_afternoon_in_singapore():
    # 4 covered hours of Mon-Fri 08:00-18:00 under 8 elapsed hours: a start is safe only
    # on a weekday from 04:00 to 14:00 (both included), 601 minutes on each of 5 days.
    sg = zoneinfo.ZoneInfo("Asia/Singapore")
    sla = ServiceTime.weekly("Asia/Singapore", [], dt.date(2026, 11, 30), dt.date(2026, 12, 31), always=True)
    uc = ServiceTime.weekly("Asia/Singapore", [Window(frozenset(WEEKDAYS[:5]), 8 * 60, 18 * 60)],
                            dt.date(2026, 11, 30), dt.date(2026, 12, 31))
    monday = to_minutes(dt.datetime(2026, 12, 7, tzinfo=sg))
    week = breach_window(sla, 8 * 60, uc, 4 * 60, monday, monday + 7 * DAY)
    assert week.breaching == 7 * DAY - 5 * 601 == 7075  # 117 h 55 min of the 168 hours
    assert from_minutes(week.worst_start, sg) == dt.datetime(2026, 12, 11, 14, 1, tzinfo=sg)
    assert week.worst_gap == 58 * 60
    assert uc.after(dt.datetime(2026, 12, 11, 14, 1, tzinfo=sg), 4 * 60) == dt.datetime(2026, 12, 14, 8, 1, tzinfo=sg)


def test_worked_by_hand_four_hours_across_a_change_of_clocks():
    london = zoneinfo.ZoneInfo("Europe/London")
    always = ServiceTime.weekly("Europe/London", [], dt.date(2026, 10, 20), dt.date(2027, 4, 5), always=True)
    # clocks go forward at 01:00: 4 hours from 00:30 read 05:30 on the wall
    assert always.after(dt.datetime(2027, 3, 28, 0, 30, tzinfo=london), 240).strftime("%H:%M %Z") == "05:30 BST"
    # clocks go back at 02:00: 4 hours from 00:30 read 03:30
    assert always.after(dt.datetime(2026, 10, 25, 0, 30, tzinfo=london), 240).strftime("%H:%M %Z") == "03:30 GMT"


def test_worked_by_hand_eight_business_hours_over_christmas():
    london = zoneinfo.ZoneInfo("Europe/London")
    business = ServiceTime.weekly("Europe/London", [Window(frozenset(WEEKDAYS[:5]), 9 * 60, 17 * 60)],
                                  dt.date(2026, 12, 1), dt.date(2027, 1, 31),
                                  holidays=[dt.date(2026, 12, 25), dt.date(2026, 12, 28)])
    # one hour on Christmas Eve, then nothing until Tuesday 29th: seven more hours
    due = business.after(dt.datetime(2026, 12, 24, 16, 0, tzinfo=london), 8 * 60)
    assert due == dt.datetime(2026, 12, 29, 16, 0, tzinfo=london)

# The deadlines read in minutes, as the messages read them, and the hours one calendar
# covers and another does not.

from service_catalogue.servicetime import subtract  # noqa: E402

# Targets as the catalogue has them: whole minutes, zero, and one like 2449.9999999999995
# (a day of 40.83 hours), whose sums round differently at different magnitudes.
target_minutes = st.one_of(st.integers(0, 16).map(lambda h: h * 30.0), st.sampled_from([2449.9999999999995, 0.5, 7.25]))


@given(calendars(), calendars(), target_minutes, st.data())
@settings(max_examples=60, deadline=None)
def test_the_minute_readings_agree_with_the_datetime_ones(upper_calendar, lower_calendar, minutes, data):
    timezone, weekly, holidays, _, first, last = upper_calendar
    upper = ServiceTime.weekly(timezone, weekly, first, last, holidays=holidays)
    timezone, weekly, holidays, _, _, _ = lower_calendar
    lower = ServiceTime.weekly(timezone, weekly, first, last, holidays=holidays)
    start = data.draw(st.integers(upper.span[0], upper.span[1]))
    due = upper.after(from_minutes(start), minutes)
    assert upper.after_minute(start, minutes) == (to_minutes(due) if due is not None else None)
    # the hours one covers and the other does not, asked of a period as the remedy asks
    first = data.draw(st.integers(upper.span[0], upper.span[1]))
    last = data.draw(st.integers(first, upper.span[1]))
    missing = [(a, b) for a, b in subtract(upper.intervals, lower.intervals) if a < last and b > first]
    assert upper.uncovered_during(lower, first, last) == (first < last and bool(missing))


# --------------------------------------------------------------------------
# The weekly shortcut: over months, most starts are read off a searched week.


def _long_engine(calendar, first, weeks, holiday_offsets):
    timezone, weekly, _holidays, _maintenance, _first, _last = calendar
    last = first + dt.timedelta(weeks=weeks)
    holidays = {first + dt.timedelta(days=n) for n in holiday_offsets}
    return ServiceTime.weekly(timezone, weekly, first, last, holidays=holidays)


@given(calendars(), calendars(), st.sampled_from([15, 30, 240, 480, 600, 1440, 2 * 600, 5 * 480]),
       st.sampled_from([15, 30, 240, 480, 600, 1440, 2 * 600, 5 * 480]), st.data())
@settings(max_examples=40, deadline=None)
def test_the_weekly_shortcut_reads_what_searching_every_week_reads(upper_calendar, lower_calendar, a, b, data):
    # Starts away from holidays and changes of the clocks repeat week by week; the search
    # reads those off one searched week (servicetime._WeeklyPlan). Over spans with both,
    # everything it reports must be what the plain search of every week reports.
    import service_catalogue.servicetime as module

    first = data.draw(st.sampled_from((dt.date(2026, 2, 2), dt.date(2026, 9, 7), dt.date(2026, 12, 1))))
    upper = _long_engine(upper_calendar, first, 16, data.draw(st.lists(st.integers(0, 100), max_size=4)))
    lower = _long_engine(lower_calendar, first, 16, data.draw(st.lists(st.integers(0, 100), max_size=4)))
    start = max(upper.span[0], lower.span[0]) + DAY + data.draw(st.integers(0, DAY))
    end = start + data.draw(st.integers(7, 11)) * 7 * DAY + data.draw(st.integers(0, DAY))
    strict = data.draw(st.booleans())
    plan = module._WeeklyPlan.of(upper, a, lower, b, start, end)
    weekly = breach_window(upper, a, lower, b, start, end, strict=strict)
    waits = WaitProfile.of(upper, lower, b, start, end)
    real = module._WeeklyPlan.of
    module._WeeklyPlan.of = classmethod(lambda cls, *args: None)
    try:
        plain = breach_window(upper, a, lower, b, start, end, strict=strict)
        plain_waits = WaitProfile.of(upper, lower, b, start, end)
    finally:
        module._WeeklyPlan.of = real
    assert (weekly.breaching, weekly.worst_start, weekly.worst_gap, weekly.runs) == (
        plain.breaching, plain.worst_start, plain.worst_gap, plain.runs)
    for _ in range(3):
        part_start = data.draw(st.integers(start, end - 1))
        part_end = data.draw(st.integers(part_start + 1, min(end, part_start + 3 * 7 * DAY)))
        ours = narrowed(weekly, upper, a, lower, b, part_start, part_end)
        theirs = narrowed(plain, upper, a, lower, b, part_start, part_end)
        assert (ours.breaching, ours.worst_start, ours.worst_gap, ours.runs) == (
            theirs.breaching, theirs.worst_start, theirs.worst_gap, theirs.runs)
        assert waits.longest(part_start, part_end) == plain_waits.longest(part_start, part_end)
    if plan is not None:
        # the shortcut searched a part of the starts only
        assert sum(e - s for s, e in plan.searched) <= 0.6 * (end - start)


@given(calendars(), calendars(), st.lists(st.tuples(st.sampled_from([0, 15, 240, 480, 1440, 5 * 480]),
                                                   st.sampled_from([15, 240, 600, 1440, 5 * 480])), min_size=1, max_size=5),
       st.data())
@settings(max_examples=30, deadline=None)
def test_searches_of_two_calendars_read_together_read_what_each_reads_alone(upper_calendar, lower_calendar, targets, data):
    # The targets of two calendars are searched in one go (a stack of their plans, each
    # search's starts shifted apart): each must be what searching it alone gives.
    from service_catalogue.servicetime import breach_windows

    first = data.draw(st.sampled_from((dt.date(2026, 2, 2), dt.date(2026, 9, 7))))
    upper = _long_engine(upper_calendar, first, 12, data.draw(st.lists(st.integers(0, 70), max_size=3)))
    lower = _long_engine(lower_calendar, first, 12, data.draw(st.lists(st.integers(0, 70), max_size=3)))
    start = max(upper.span[0], lower.span[0]) + DAY + data.draw(st.integers(0, DAY))
    end = start + data.draw(st.sampled_from([2 * DAY, 8 * 7 * DAY]))
    strict = data.draw(st.booleans())
    together = breach_windows(upper, lower, targets, start, end, strict=strict)
    profiles = WaitProfile.many(upper, lower, [b for _, b in targets], start, end)
    for (a, b), found, profile in zip(targets, together, profiles):
        alone = breach_window(upper, a, lower, b, start, end, strict=strict)
        assert (found.breaching, found.worst_start, found.worst_gap, found.runs) == (
            alone.breaching, alone.worst_start, alone.worst_gap, alone.runs)
        assert (found.candidate_at.tolist(), found.candidate_gap.tolist()) == (
            alone.candidate_at.tolist(), alone.candidate_gap.tolist())
        single = WaitProfile.of(upper, lower, b, start, end)
        assert (profile.points.tolist(), profile.waits.tolist()) == (single.points.tolist(), single.waits.tolist())


def test_the_weekly_shortcut_is_taken_over_a_year_and_searches_a_fraction_of_it():
    import service_catalogue.servicetime as module

    week_days = [Window(frozenset(WEEKDAYS[:5]), 8 * 60, 18 * 60)]
    christmas = [dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2027, 4, 2)]
    sla = ServiceTime.weekly("Europe/London", [Window(frozenset(WEEKDAYS[:6]), 7 * 60, 22 * 60)],
                             dt.date(2026, 11, 28), dt.date(2028, 1, 31), holidays=christmas)
    uc = ServiceTime.weekly("America/New_York", week_days, dt.date(2026, 11, 28), dt.date(2028, 1, 31), holidays=christmas)
    first = to_minutes(dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc))
    last = first + 365 * DAY
    plan = module._WeeklyPlan.of(sla, 8 * 60, uc, 4 * 60, first, last)
    assert plan is not None
    # the changes of the clocks (New York's two or three weeks before London's, each way)
    # and the holidays are searched around, and one week for each pair of UTC offsets: both
    # in winter time, New York alone in summer time (March), both in summer time. Under a
    # fifth of the year is searched.
    assert len(plan.templates) == 3
    assert sum(e - s for s, e in plan.searched) < 365 * DAY / 5
    found = breach_window(sla, 8 * 60, uc, 4 * 60, first, last)
    real = module._WeeklyPlan.of
    module._WeeklyPlan.of = classmethod(lambda cls, *args: None)
    try:
        plain = breach_window(sla, 8 * 60, uc, 4 * 60, first, last)
    finally:
        module._WeeklyPlan.of = real
    assert found.breaching > 0
    assert (found.breaching, found.worst_start, found.worst_gap, found.runs) == (
        plain.breaching, plain.worst_start, plain.worst_gap, plain.runs)


@given(st.lists(st.tuples(calendars(), calendars(), st.sampled_from([0, 15, 240, 480, 1440, 5 * 480]),
                          st.sampled_from([15, 240, 600, 1440, 5 * 480])), min_size=2, max_size=4), st.data())
@settings(max_examples=25, deadline=None)
def test_searches_of_many_calendars_read_together_read_what_each_reads_alone(pairs, data):
    # Searches of different calendars and spans in one stack (each pair of covered times a
    # lane of one array): each window and wait profile is what its search alone gives, and
    # the gaps and waits read with them at the ends asked for are those read one by one.
    from service_catalogue.servicetime import BreachSearch, _gap, breach_windows_and_waits

    searches, asked = [], []
    for upper_calendar, lower_calendar, a, b in pairs:
        first = data.draw(st.sampled_from((dt.date(2026, 2, 2), dt.date(2026, 9, 7))))
        upper = _long_engine(upper_calendar, first, 12, data.draw(st.lists(st.integers(0, 70), max_size=2)))
        lower = _long_engine(lower_calendar, first, 12, data.draw(st.lists(st.integers(0, 70), max_size=2)))
        start = max(upper.span[0], lower.span[0]) + DAY + data.draw(st.integers(0, DAY))
        end = start + data.draw(st.sampled_from([2 * DAY, 8 * 7 * DAY]))
        searches.append(BreachSearch(upper, float(a), lower, float(b), start, end))
        asked.append(sorted(set(data.draw(st.lists(st.integers(start, end - 1), max_size=4)) + [start, end - 1])))
    windows, profiles = breach_windows_and_waits(searches, ends=asked)
    for search, window, profile, ends in zip(searches, windows, profiles, asked):
        alone = breach_window(*search)
        assert (window.breaching, window.worst_start, window.worst_gap, window.runs) == (
            alone.breaching, alone.worst_start, alone.worst_gap, alone.runs)
        single = WaitProfile.of(search.upper, search.lower, search.lower_minutes, search.first, search.last)
        assert profile.longest(search.first, search.last)[0] == single.longest(search.first, search.last)[0]
        gaps = {at: _gap(search.upper, search.upper_minutes, search.lower, search.lower_minutes, at) for at in ends}
        assert _known(window.__dict__["_gaps_at"]) == _known(gaps)
        assert _known(profile.__dict__["_waits_at"]) == _known({at: single._wait_now(at) for at in ends})


def _known(values: dict) -> dict:
    """NaN (a deadline past the span) as None, which compares equal to itself."""
    return {at: None if value != value else value for at, value in values.items()}


@given(st.sampled_from(["Europe/London", "America/New_York", "Asia/Singapore", "Australia/Lord_Howe", "Pacific/Chatham",
                        "America/Sao_Paulo", "UTC"]),
       st.integers(20_000_000, 35_000_000), st.integers(1, 900_000))
@settings(max_examples=200, deadline=None)
def test_a_zones_stretches_cut_from_its_years_are_those_searched_for_the_span(zone, first, length):
    from service_catalogue.servicetime import _offset_segments, _offsets_found

    tz = zoneinfo.ZoneInfo(zone)
    assert _offset_segments(tz, first, first + length) == _offsets_found(tz, first, first + length)
