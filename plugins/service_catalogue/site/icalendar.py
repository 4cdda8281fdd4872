"""Every calendar as an iCalendar file (RFC 5545), so people can subscribe to a service's hours.

The weekly hours are recurring events in the calendar's time zone (one VEVENT per
distinct window, RRULE:FREQ=WEEKLY;BYDAY=...), with a VTIMEZONE worked out from the
zone database, as RFC 5545 3.2.19 asks for every TZID used. Holidays are all-day
events; a recurring one repeats yearly. The file holds nothing that changes between
builds of the same catalogue: UIDs are made of ids and dates, and DTSTAMP is fixed.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from service_catalogue.model import Calendar, Catalogue, Holiday
from service_catalogue.site.pages import section_path
from service_catalogue.timeplan import WEEKDAYS, minutes_of
from service_catalogue.version import __version__

PRODID = f"-//service-catalogue//service-catalogue {__version__}//EN"
UID_DOMAIN = "service-catalogue"
# The weekly hours are not dated in the catalogue (a calendar has no start): they start in
# this week, the Monday 2024-01-01, the same in every build. DTSTAMP, which RFC 5545
# requires of every event, is this instant too: the records say nothing of when they were
# last revised, and a build's clock or a commit's time would make two builds of the same
# catalogue differ (clients keep an event by its UID; without SEQUENCE or LAST-MODIFIED
# they take a subscribed file as it is).
ANCHOR = dt.date(2024, 1, 1)
DTSTAMP = "20240101T000000Z"
BYDAY = dict(zip(WEEKDAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU")))
# The years whose time zone changes the VTIMEZONE is made from: from the year before the
# anchor (so an observance has begun before the first event) to this year; a yearly rule
# still in force then is written without an end, as the zone database continues it.
LAST_ZONE_YEAR = 2060
FOLD_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    text = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = FOLD_OCTETS if not pieces else FOLD_OCTETS - 1  # a continuation starts with a space
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _offset(delta: dt.timedelta | None) -> str:
    seconds = int((delta or dt.timedelta()).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _transitions(zone: zoneinfo.ZoneInfo, first_year: int, last_year: int):
    """(UTC instant, offset before, offset after, name after, is DST after) of every change of
    the zone's offset or name in those years, found a day at a time, then to the second."""
    utc = dt.timezone.utc

    def state(moment: dt.datetime):
        local = moment.astimezone(zone)
        return local.utcoffset(), local.tzname(), bool(local.dst())

    moment = dt.datetime(first_year, 1, 1, tzinfo=utc)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=utc)
    before = state(moment)
    found = []
    while moment < end:
        later = moment + dt.timedelta(days=1)
        after = state(later)
        if after != before:
            low, high = moment, later  # the change is after low and at or before high
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if state(middle) == before:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            found.append((high, before[0], after[0], after[1], after[2]))
            before = state(high)
        moment = later
    return found


def _yearly_rule(onsets: list[dt.datetime]) -> str | None:
    """The BYMONTH and BYDAY of a yearly rule giving every onset (local times), or None."""
    if len({(o.month, o.time(), o.weekday()) for o in onsets}) != 1:
        return None
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[onsets[0].weekday()]
    if all((o + dt.timedelta(days=7)).month != o.month for o in onsets):
        return f"BYMONTH={onsets[0].month};BYDAY=-1{weekday}"
    ordinals = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(ordinals) == 1:
        return f"BYMONTH={onsets[0].month};BYDAY={ordinals.pop()}{weekday}"
    return None


@functools.lru_cache(maxsize=64)
def vtimezone(name: str) -> tuple[str, ...]:
    """The VTIMEZONE of an IANA zone, as content lines, from the zone database.

    Changes of the same kind (to the same offset and name) in consecutive years become one
    observance with a yearly RRULE where one rule gives them all, the last one open-ended
    when it lasts to LAST_ZONE_YEAR; the others are listed one by one (RDATE)."""
    zone = zoneinfo.ZoneInfo(name)
    changes = _transitions(zone, ANCHOR.year - 1, LAST_ZONE_YEAR)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    if not changes:
        probe = dt.datetime(ANCHOR.year, 1, 1, tzinfo=zone)
        offset = _offset(probe.utcoffset())
        lines += ["BEGIN:STANDARD", "DTSTART:19700101T000000", f"TZOFFSETFROM:{offset}", f"TZOFFSETTO:{offset}",
                  f"TZNAME:{escape_text(probe.tzname() or name)}", "END:STANDARD", "END:VTIMEZONE"]
        return tuple(lines)
    # Consecutive-year runs of one kind of change: (offset from, offset to, name, dst) -> onsets.
    runs: list[tuple[tuple, list[tuple[dt.datetime, dt.datetime]]]] = []
    open_runs: dict[tuple, list[tuple[dt.datetime, dt.datetime]]] = {}
    for instant, before, after, tzname, is_dst in changes:
        key = (before, after, tzname, is_dst)
        onset = (instant + before).replace(tzinfo=None)  # local time before the change (RFC 5545 3.6.5)
        run = open_runs.get(key)
        if run is not None and run[-1][0].year == onset.year - 1 and _yearly_rule([o for o, _ in run] + [onset]):
            run.append((onset, instant))
            continue
        run = open_runs[key] = [(onset, instant)]
        runs.append((key, run))
    last_of_kind = {key: run for key, run in runs}  # the latest run of each kind
    for (before, after, tzname, is_dst), run in runs:
        part = "DAYLIGHT" if is_dst else "STANDARD"
        onsets = [onset for onset, _ in run]
        lines += [f"BEGIN:{part}", f"DTSTART:{_local(onsets[0])}", f"TZOFFSETFROM:{_offset(before)}",
                  f"TZOFFSETTO:{_offset(after)}", f"TZNAME:{escape_text(tzname or name)}"]
        if len(run) > 1:
            rule = f"RRULE:FREQ=YEARLY;{_yearly_rule(onsets)}"
            ongoing = last_of_kind[(before, after, tzname, is_dst)] is run and onsets[-1].year >= LAST_ZONE_YEAR
            lines.append(rule if ongoing else f"{rule};UNTIL={run[-1][1].strftime('%Y%m%dT%H%M%SZ')}")
        lines.append(f"END:{part}")
    lines.append("END:VTIMEZONE")
    return tuple(lines)


def weekly_windows(calendar: Calendar) -> list[tuple[int, int, list[str]]]:
    """(start minute, end minute, days) of each covered window, overlaps merged, windows
    of the same times on several days together: the weekly events."""
    by_day: dict[str, list[tuple[int, int]]] = {}
    for day in WEEKDAYS:
        if calendar.always:
            by_day[day] = [(0, 24 * 60)]
            continue
        spans = sorted(
            (minutes_of(w["from"]), minutes_of(w["to"])) for w in calendar.data.get("weekly") or () if day in w["days"]
        )
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        by_day[day] = merged
    days_of: dict[tuple[int, int], list[str]] = {}
    for day in WEEKDAYS:
        for window in by_day[day]:
            days_of.setdefault(window, []).append(day)
    return [(start, end, days) for (start, end), days in sorted(days_of.items())]


def _duration(minutes: int) -> str:
    if minutes == 24 * 60:
        return "P1D"  # a nominal day: the whole day, also on the days the clocks change
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def _holiday_uid(calendar: Calendar, holiday: Holiday, seen: dict[str, int]) -> str:
    base = f"{calendar.id}.holiday.{holiday.date:%Y%m%d}.{holiday.calendar.id}"
    seen[base] = seen.get(base, 0) + 1
    return f"{base}{'.' + str(seen[base]) if seen[base] > 1 else ''}@{UID_DOMAIN}"


def calendar_ics(calendar: Calendar) -> str:
    """The calendar's iCalendar file: CRLF line ends, lines folded, text escaped."""
    zone = calendar.get("timezone")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             # The name twice: NAME of RFC 7986, and the X-WR-CALNAME that older clients read.
             f"NAME:{escape_text(calendar.title)}", f"X-WR-CALNAME:{escape_text(calendar.title)}", f"X-WR-TIMEZONE:{zone}"]
    if calendar.summary:
        lines += [f"DESCRIPTION:{escape_text(calendar.summary)}", f"X-WR-CALDESC:{escape_text(calendar.summary)}"]
    lines += vtimezone(zone)
    for start, end, days in weekly_windows(calendar):
        first = ANCHOR + dt.timedelta(days=WEEKDAYS.index(days[0]))  # on the first of its days: its first instance
        begin = dt.datetime.combine(first, dt.time()) + dt.timedelta(minutes=start)
        clock = f"{start // 60:02d}{start % 60:02d}-{end // 60:02d}{end % 60:02d}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{calendar.id}.weekly.{'-'.join(BYDAY[d].lower() for d in days)}.{clock}@{UID_DOMAIN}",
            f"DTSTAMP:{DTSTAMP}",
            f"DTSTART;TZID={zone}:{_local(begin)}",
            f"DURATION:{_duration(end - start)}",
            f"RRULE:FREQ=WEEKLY;BYDAY={','.join(BYDAY[d] for d in days)}",
            f"SUMMARY:{escape_text(calendar.title)}",
            f"DESCRIPTION:{escape_text(f'Covered hours of {calendar.title}: the clock runs.')}",
            "TRANSP:TRANSPARENT",  # hours of a service, not time the subscriber is busy
            "END:VEVENT",
        ]
    seen: dict[str, int] = {}
    for holiday in calendar.holiday_list:
        source = "" if holiday.calendar is calendar else f" (a holiday of {holiday.calendar.title})"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_holiday_uid(calendar, holiday, seen)}",
            f"DTSTAMP:{DTSTAMP}",
            f"DTSTART;VALUE=DATE:{holiday.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{holiday.date + dt.timedelta(days=1):%Y%m%d}",
            *(["RRULE:FREQ=YEARLY"] if holiday.recurring else []),
            f"SUMMARY:{escape_text(holiday.title)}",
            f"DESCRIPTION:{escape_text(f'Not covered by {calendar.title}{source}.')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def ics_files(catalogue: Catalogue, section: str) -> dict[str, str]:
    """{path inside the docs folder: iCalendar text} of every calendar, each next to the
    calendar's page in the section: what the plugin publishes and `render` writes."""
    return {section_path(section, c.ics_path): calendar_ics(c) for c in sorted(catalogue.calendars, key=lambda c: c.id)}
