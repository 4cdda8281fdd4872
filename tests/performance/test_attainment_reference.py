"""The report's figures against a brute-force reference, minute by minute, in pure Python.

Hypothesis draws a calendar (in a zone whose clocks change inside the fortnight
reported), its holidays, an agreement's targets, clock stops and maintenance
windows, and tickets and outages; the catalogue and the exports are written as a
user would write them, and `measure` reads them. The reference walks every UTC
minute and asks the questions the docs answer in words: is the minute covered
(its wall-clock time in a weekly window of that local day, on no holiday)? is a
clock stop holding it? has the clock run past the target, and when? Every count,
every worst breach and every availability figure must agree exactly.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from helpers.report_catalogue import agreement_yaml, calendar_yaml, report_of, write_csv, write_project

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Europe/Berlin")
# The first day of a fortnight that holds a change of the clocks in most of the zones above.
STARTS = (dt.date(2026, 3, 23), dt.date(2026, 10, 19), dt.date(2026, 10, 26), dt.date(2026, 3, 30))
DAYS = 14
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def minute_of(instant: dt.datetime) -> int:
    return int((instant - EPOCH).total_seconds() // 60)


def local(minute: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return (EPOCH + dt.timedelta(minutes=minute)).astimezone(zone)


class Reference:
    """What the docs say, minute by minute."""

    def __init__(self, zone: str, weekly, holidays, maintenance, first: dt.date, last: dt.date):
        self.zone = zoneinfo.ZoneInfo(zone)
        self.weekly, self.holidays, self.maintenance = weekly, set(holidays), maintenance
        # from the first of the month: the availability window of the first day starts there
        self.start = minute_of(dt.datetime.combine(min(first - dt.timedelta(days=3), first.replace(day=1)), dt.time(), self.zone))
        self.end = minute_of(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), self.zone))
        self.covered = [self._covered(m) for m in range(self.start, self.end)]
        self.kept = [self.covered[i] and not self._maintained(self.start + i) for i in range(len(self.covered))]

    @staticmethod
    def _inside(windows, when: dt.datetime) -> bool:
        clock = when.hour * 60 + when.minute
        day = WEEKDAYS[when.weekday()]
        return any(day in days and _clock(a) <= clock < _clock(b) for days, a, b in windows)

    def _covered(self, minute: int) -> bool:
        when = local(minute, self.zone)
        if self.weekly is None:
            return True
        return when.date() not in self.holidays and self._inside(self.weekly, when)

    def _maintained(self, minute: int) -> bool:
        return self._inside(self.maintenance, local(minute, self.zone))

    def clock(self, opened: int, stopped: int | None, stops: list[tuple[int, int]], target: int, report_end: int):
        """(outcome, decided at, minutes over): outcome met, breached or open."""
        until = report_end if stopped is None or stopped > report_end else stopped
        held = set()
        for a, b in stops:
            held.update(range(a, b))
        count, deadline = 0, None
        for minute in range(opened, until):
            if self.covered[minute - self.start] and minute not in held:
                count += 1
                if count == target:
                    deadline = minute + 1
        if count > target:
            return "breached", deadline, count - target
        if stopped is None or stopped > report_end:
            return "open", None, 0
        return "met", stopped, 0


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


half_hours = st.integers(0, 47).map(lambda q: f"{q // 2:02d}:{'30' if q % 2 else '00'}")


@st.composite
def weekly_hours(draw):
    if draw(st.integers(0, 4)) == 0:
        return None
    found = []
    for _ in range(draw(st.integers(1, 2))):
        a, b = sorted(draw(st.lists(st.integers(0, 48), min_size=2, max_size=2, unique=True)))
        days = sorted(draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1)), key=WEEKDAYS.index)
        found.append((days, f"{a // 2:02d}:{'30' if a % 2 else '00'}", f"{b // 2:02d}:{'30' if b % 2 else '00'}"))
    return found


@st.composite
def scenarios(draw):
    zone = draw(st.sampled_from(ZONES))
    first = draw(st.sampled_from(STARTS))
    weekly = draw(weekly_hours())
    holidays = draw(st.lists(st.integers(0, DAYS - 1).map(lambda d: first + dt.timedelta(days=d)), max_size=2, unique=True))
    maintenance = []
    if draw(st.booleans()):
        a, b = sorted(draw(st.lists(st.integers(0, 48), min_size=2, max_size=2, unique=True)))
        days = sorted(draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1, max_size=3)), key=WEEKDAYS.index)
        maintenance.append((days, f"{a // 2:02d}:{'30' if a % 2 else '00'}", f"{b // 2:02d}:{'30' if b % 2 else '00'}"))
    targets = {"P1": (draw(st.integers(1, 120)), draw(st.integers(30, 900))),
               "P2": (draw(st.integers(30, 600)), draw(st.integers(60, 3000)))}
    stop_applies = draw(st.sampled_from([None, ["resolution"], ["response"], ["response", "resolution"]]))
    zone_info = zoneinfo.ZoneInfo(zone)
    span_start = minute_of(dt.datetime.combine(first, dt.time(), zone_info))
    span = DAYS * 1440 - 120
    tickets = []
    for number in range(draw(st.integers(1, 12))):
        opened = span_start + draw(st.integers(0, span))
        responded = opened + draw(st.integers(0, 3 * 1440)) if draw(st.integers(0, 5)) else None
        resolved = (responded or opened) + draw(st.integers(0, 4 * 1440)) if draw(st.integers(0, 4)) else None
        stops = []
        if stop_applies is not None:
            for _ in range(draw(st.integers(0, 2))):
                a = opened + draw(st.integers(-600, 3 * 1440))
                stops.append((a, a + draw(st.integers(1, 1440))))
        tickets.append((f"INC{number:04d}", draw(st.sampled_from(["P1", "P2"])), opened, responded, resolved, stops,
                        draw(st.booleans())))
    outages = []
    for _ in range(draw(st.integers(0, 4))):
        a = span_start + draw(st.integers(-1440, span))
        outages.append((draw(st.sampled_from(["email", "calendar-service"])), a, a + draw(st.integers(1, 900)),
                        draw(st.integers(0, 3)) == 0))
    return zone, first, weekly, holidays, maintenance, targets, stop_applies, tickets, outages


def written(minute: int, zone: zoneinfo.ZoneInfo, naive: bool) -> str:
    """A time as an export writes it: with its offset, or as a wall-clock time in the zone
    where that names one instant (never in the hour the clocks skip or repeat)."""
    when = local(minute, zone)
    if naive:
        wall = when.replace(tzinfo=None, fold=0)  # astimezone marks a repeated hour's second pass fold=1
        back = wall.replace(tzinfo=zone)
        other = wall.replace(tzinfo=zone, fold=1)
        if minute_of(back) == minute and back.utcoffset() == other.utcoffset():
            return wall.strftime("%Y-%m-%d %H:%M")
    return when.isoformat()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario=scenarios())
def test_figures_agree_with_the_minute_by_minute_reference(tmp_path_factory, scenario):
    zone, first, weekly, holidays, maintenance, targets, stop_applies, tickets, outages = scenario
    root = tmp_path_factory.mktemp("reference")
    last = first + dt.timedelta(days=DAYS - 1)
    zone_info = zoneinfo.ZoneInfo(zone)
    priorities = [{"id": pid, "description": pid, "response": f"{r}m", "resolution": f"{s}m"} for pid, (r, s) in targets.items()]
    availability = "availability:\n  target: 99.5\n  window: month\n"
    if maintenance:
        days, a, b = maintenance[0]
        availability += f"  maintenance_windows:\n    - {{title: Patching, days: [{', '.join(days)}], from: \"{a}\", to: \"{b}\"}}\n"
    stops = ""
    if stop_applies is not None:
        stops = f"clock_stops:\n  - {{id: awaiting-customer, when: Waiting for the customer, applies_to: [{', '.join(stop_applies)}]}}\n"
    folder = write_project(root, {"calendar": calendar_yaml(zone, weekly, holidays)},
                           {"sla": agreement_yaml(priorities, availability=availability, stops=stops)})
    rows, stop_rows = [], []
    for ticket_id, priority, opened, responded, resolved, ticket_stops, naive in tickets:
        rows.append([ticket_id, "email", "all-staff", priority, "incident", written(opened, zone_info, naive),
                     "" if responded is None else written(responded, zone_info, naive),
                     "" if resolved is None else written(resolved, zone_info, naive)])
        for a, b in ticket_stops:
            stop_rows.append([ticket_id, written(a, zone_info, naive), written(b, zone_info, naive), "awaiting-customer"])
    write_csv(root / "tickets.csv", ["id", "service", "customer", "priority", "type", "opened", "responded", "resolved"], rows)
    write_csv(root / "stops.csv", ["ticket", "start", "end", "reason"], stop_rows)
    write_csv(root / "outages.csv", ["service", "start", "end", "planned"],
              [[s, written(a, zone_info, False), written(b, zone_info, False), str(p).lower()] for s, a, b, p in outages])
    block = {"time_zone": zone, "from": first, "to": last, "tickets": ["tickets.csv"], "clock_stops": ["stops.csv"],
             "outages": ["outages.csv"]}
    report = report_of(folder, block, root, last)
    assert not report.problems, [str(p) for p in report.problems]
    (performance,) = report.agreements

    reference = Reference(zone, weekly, holidays, maintenance, first, last)
    starts = [minute_of(dt.datetime.combine(w.first, dt.time(), zone_info)) for w in performance.windows]
    report_end = minute_of(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone_info))
    assert [int(w.start // 60) for w in performance.windows] == starts
    for target in performance.targets:
        expected = [{"met": 0, "breached": 0, "worst": 0, "worst_id": ""} for _ in starts]
        open_count = 0
        minutes = targets[target.priority.id][0 if target.measure == "response" else 1]
        for ticket_id, priority, opened, responded, resolved, ticket_stops, _naive in tickets:
            if priority != target.priority.id:
                continue
            stopped = responded if target.measure == "response" else resolved
            if target.measure == "response" and responded is None and resolved is not None:
                continue  # resolved with no response written: not counted
            applies = stop_applies is not None and target.measure in stop_applies
            outcome, at, over = reference.clock(opened, stopped, ticket_stops if applies else [], minutes, report_end)
            position = [report.ticket_id(i) for i in target.rows].index(ticket_id)
            decided = target.decided_at[position]
            assert (None if decided != decided else int(decided // 60)) == at, (ticket_id, target.measure, outcome)
            assert bool(target.breached[position]) == (outcome == "breached"), (ticket_id, target.measure)
            if outcome == "open":
                open_count += 1
                continue
            slot = max((i for i, s in enumerate(starts) if s <= at), default=None)
            if slot is None:
                continue
            expected[slot]["met" if outcome == "met" else "breached"] += 1
            if outcome == "breached" and over > expected[slot]["worst"]:
                expected[slot]["worst"], expected[slot]["worst_id"] = over, ticket_id
        got = [{"met": w.met, "breached": w.breached, "worst": round(w.worst_over) if w.breached else 0,
                "worst_id": report.ticket_id(w.worst_ticket) if w.breached else ""} for w in target.windows]
        # a tie for the worst breach may name either ticket
        for g, e in zip(got, expected):
            if g["worst"] == e["worst"]:
                g["worst_id"] = e["worst_id"]
        assert got == expected, (target.priority.id, target.measure)
        assert target.windows[-1].open == open_count

    for measured in performance.availability:
        lo = minute_of(dt.datetime.combine(measured.window.first, dt.time(), zone_info))
        hi = min(minute_of(dt.datetime.combine(measured.window.last + dt.timedelta(days=1), dt.time(), zone_info)), report_end)
        down_minutes = set()
        for service, a, b, planned in outages:
            if not planned:
                down_minutes.update(range(max(a, lo), min(b, hi)))
        kept = [m for m in range(lo, hi) if reference.kept[m - reference.start]]
        assert measured.covered == len(kept)
        assert measured.down == sum(1 for m in kept if m in down_minutes)
