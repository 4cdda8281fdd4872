"""Every calendar as an iCalendar file (RFC 5545), read back with the `icalendar` library.

The files are those the built example site publishes (and `service-catalogue render`
writes); the figures they are held to are those the calendar pages show.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import icalendar
import pytest
from dateutil.rrule import rrulestr

from helpers.catalogue_builder import BASE_RECORDS, CALENDAR, dedent, run_cli, write_catalogue
from helpers.site_build import REPO, SECTION, article, resolve_link
from service_catalogue.model import Catalogue
from service_catalogue.site.icalendar import calendar_ics, escape_text, fold, ics_files, vtimezone
from service_catalogue.validation.folder import validate_folder

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@pytest.fixture(scope="module")
def example() -> Catalogue:
    result = validate_folder(REPO / "catalogue")
    assert result.ok
    return Catalogue(result.records)


def ics_path(site, calendar_id: str) -> Path:
    return site.path(f"{SECTION}/service-hours/{calendar_id}.ics")


def unescaped(value) -> str:
    """A TEXT value of a property the library keeps raw (NAME, X-WR-CALNAME), unescaped as RFC 5545 3.3.11 says."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), str(value))


def parsed(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def weekly_hours(calendar: icalendar.Calendar) -> float:
    """Covered hours per week, summed from the weekly VEVENTs: duration times days."""
    total = 0.0
    for event in calendar.walk("VEVENT"):
        rule = event.get("RRULE")
        if rule is None or rule["FREQ"] != ["WEEKLY"]:
            continue
        duration = event.decoded("DURATION")
        start = event.decoded("DTSTART")
        assert isinstance(start, dt.datetime) and start.tzinfo is not None, "a weekly window has a time in a time zone"
        assert BYDAY[start.weekday()] == rule["BYDAY"][0], "DTSTART is on the first of its days: its first instance"
        total += duration.total_seconds() / 3600 * len(rule["BYDAY"])
    return total


def holidays_of(calendar: icalendar.Calendar) -> set[tuple[dt.date, str, bool]]:
    found = set()
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        if isinstance(start, dt.datetime):
            continue
        assert event.decoded("DTEND") == start + dt.timedelta(days=1), "an all-day event of one day"
        rule = event.get("RRULE")
        assert rule is None or dict(rule) == {"FREQ": ["YEARLY"]}
        found.add((start, str(event["SUMMARY"]), rule is not None))
    return found


def test_every_calendar_of_the_site_parses_with_the_page_figures(built_site, example):
    for calendar in example.calendars:
        path = ics_path(built_site, calendar.id)
        assert path.is_file(), f"no iCalendar file for {calendar.id}"
        data = path.read_bytes()
        assert data == calendar_ics(calendar).encode("utf-8"), "the site's file is the one writer's"
        ics = parsed(data.decode("utf-8"))
        assert str(ics["VERSION"]) == "2.0" and ics["PRODID"]
        assert unescaped(ics["NAME"]) == unescaped(ics["X-WR-CALNAME"]) == calendar.title
        page = article(built_site.page(built_site.record_page("Calendar", calendar.id)))
        shown = float(page.find(cls="sc-covered-hours").text)
        assert weekly_hours(ics) == pytest.approx(shown), calendar.id
        expected = {(h.date, h.title, h.recurring) for h in calendar.holiday_list}
        assert holidays_of(ics) == expected, calendar.id
        uids = [str(event["UID"]) for event in ics.walk("VEVENT")]
        assert len(uids) == len(set(uids)), "UIDs are unique"
        assert all(event.get("DTSTAMP") for event in ics.walk("VEVENT"))
        zones = ics.walk("VTIMEZONE")
        assert [str(z["TZID"]) for z in zones] == [calendar.get("timezone")], "one VTIMEZONE, of the TZID used"


def test_inherited_holidays_are_in_the_inheriting_calendars_file(built_site):
    ics = parsed(ics_path(built_site, "business-hours-uk").read_text("utf-8"))
    holidays = holidays_of(ics)
    assert (dt.date(2026, 12, 25), "Christmas Day", True) in holidays  # from uk-bank-holidays, recurring
    assert (dt.date(2027, 3, 29), "Easter Monday", False) in holidays
    assert (dt.date(2026, 12, 29), "University closure", False) in holidays  # its own
    descriptions = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in ics.walk("VEVENT")}
    assert descriptions["Easter Monday"] == "Not covered by UK business hours (a holiday of England and Wales bank holidays)."


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Singapore",
                                  "Europe/Dublin", "Africa/Casablanca", "America/Sao_Paulo"])
def test_the_vtimezone_gives_the_zone_databases_offsets(zone):
    # Built from our VTIMEZONE alone (lookup_tzid=False), not from the zone it is named after.
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n" + "".join(f"{fold(line)}\r\n" for line in vtimezone(zone)) + "END:VCALENDAR\r\n"
    built = parsed(text).walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    real = zoneinfo.ZoneInfo(zone)
    moment = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    while moment.year < 2045:
        local = moment.astimezone(real).replace(tzinfo=None)
        if moment.astimezone(real).fold == 0:  # an hour that happens twice is ambiguous in any VTIMEZONE
            assert local.replace(tzinfo=built).utcoffset() == moment.astimezone(real).utcoffset(), (zone, moment)
        moment += dt.timedelta(hours=61)  # every hour of the day, over the years


def test_builds_are_reproducible(example):
    first = {c.id: calendar_ics(c) for c in example.calendars}
    vtimezone.cache_clear()
    assert {c.id: calendar_ics(c) for c in example.calendars} == first
    text = first["business-hours-uk"]
    assert "DTSTAMP:20240101T000000Z\r\n" in text
    assert "UID:business-hours-uk.weekly.mo-tu-we-th-fr.0800-1800@service-catalogue\r\n" in text


def test_text_is_escaped_and_lines_are_folded(tmp_path):
    title = 'Hours; with, commas \\ and "quotes" — ünïcödé ' + "ж" * 60
    root = write_catalogue(tmp_path, {"calendars/business-hours.yaml": CALENDAR.replace("title: Business hours", f"title: '{title}'")
                                      + "holidays:\n  - {date: 2026-12-25, title: 'Closed; all, day \\ ok'}\n"})
    result = validate_folder(root)
    assert result.ok, result.problems
    text = calendar_ics(Catalogue(result.records).by_id["business-hours"])
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    assert "X-WR-CALNAME:Hours\\; with\\, commas \\\\ and" in text.replace("\r\n ", "")
    ics = parsed(text)
    assert unescaped(ics["NAME"]) == unescaped(ics["X-WR-CALNAME"]) == title
    summaries = {str(e["SUMMARY"]) for e in ics.walk("VEVENT")}
    assert summaries == {title, "Closed; all, day \\ ok"}
    assert escape_text("two\nlines\r\nand, more;\\") == "two\\nlines\\nand\\, more\\;\\\\"


def test_a_recurring_29_february_falls_in_leap_years_only(tmp_path):
    root = write_catalogue(tmp_path, {"calendars/business-hours.yaml": CALENDAR
                                      + "holidays:\n  - {date: 2028-02-29, title: Leap day, recurring: true}\n"})
    result = validate_folder(root)
    calendar = Catalogue(result.records).by_id["business-hours"]
    holiday = calendar.holiday_list[0]
    assert holiday.repeats == "every leap year from 2028"
    assert holiday.dates(2026, 2036) == [dt.date(2028, 2, 29), dt.date(2032, 2, 29), dt.date(2036, 2, 29)]
    event = next(e for e in parsed(calendar_ics(calendar)).walk("VEVENT") if str(e["SUMMARY"]) == "Leap day")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=dt.datetime(2028, 2, 29))
    days = [d.date() for d in rule.between(dt.datetime(2026, 1, 1), dt.datetime(2036, 12, 31), inc=True)]
    assert days == holiday.dates(2026, 2036), "the file and the page say the same days"


def test_holidays_are_inherited_transitively_with_their_source(tmp_path):
    def calendar(record_id: str, extra: str) -> str:
        return dedent(
            f"""
            apiVersion: catalogue/v1
            kind: Calendar
            id: {record_id}
            title: Calendar {record_id}
            timezone: Europe/London
            weekly:
              - {{days: [mon], from: "08:00", to: "18:00"}}
            """
        ) + extra

    root = write_catalogue(tmp_path, {
        "calendars/national.yaml": calendar("national", "holidays:\n  - {date: 2026-12-25, title: Christmas Day, recurring: true}\n"),
        "calendars/regional.yaml": calendar("regional", "holidays_from: [national]\nholidays:\n  - {date: 2026-03-17, title: Regional day}\n"),
        "calendars/business-hours.yaml": CALENDAR + "holidays_from: [regional]\nholidays:\n  - {date: 2027-01-02, title: Closure}\n",
    })
    result = validate_folder(root)
    assert result.ok and result.total == BASE_RECORDS + 2
    business = Catalogue(result.records).by_id["business-hours"]
    assert [c.id for c in business.inherited_from] == ["regional", "national"]
    assert [(day.isoformat(), h.title, h.calendar.id) for day, h in business.holiday_dates(2026, 2027)] == [
        ("2026-03-17", "Regional day", "regional"),
        ("2026-12-25", "Christmas Day", "national"),
        ("2027-01-02", "Closure", "business-hours"),
        ("2027-12-25", "Christmas Day", "national"),
    ]
    assert business.hours_per_week == 50, "holidays do not change the covered hours per week"


def test_the_calendar_page_shows_inherited_and_recurring_holidays(any_built_site):
    page_path = any_built_site.record_page("Calendar", "business-hours-uk")
    page = article(any_built_site.page(page_path))
    holidays = page.find("h2", id="holidays")
    table = next(node for node in page.find_all("table") if "Repeats" in node.text)
    assert holidays is not None and table is not None
    rows = {row.find_all("td")[0].text: row for row in table.find_all("tr") if row.find_all("td")}
    christmas = [cell.text for cell in rows["2026-12-25"].find_all("td")]
    assert christmas == ["2026-12-25", "Christmas Day", "every year from 2026", "England and Wales bank holidays"]
    link = rows["2026-12-25"].find_all("td")[3].find("a")
    target, _, reason = resolve_link(any_built_site, page_path, link.attrs["href"])
    assert target == any_built_site.record_page("Calendar", "uk-bank-holidays"), reason
    assert [cell.text for cell in rows["2026-12-29"].find_all("td")] == ["2026-12-29", "University closure", "once", "this calendar"]
    # The subscription link leads to the calendar's file, with and without directory URLs.
    subscribe = next(a for a in page.find_all("a") if a.text == "Subscribe (iCalendar)")
    target, _, reason = resolve_link(any_built_site, page_path, subscribe.attrs["href"])
    assert target == f"{SECTION}/service-hours/business-hours-uk.ics", reason


def test_a_calendar_without_the_new_fields_has_no_new_columns(built_site):
    page = article(built_site.page(built_site.record_page("Calendar", "library-extended-hours")))
    table = next(node for node in page.find_all("table") if "Holiday" in node.text)
    assert [th.text for th in table.find_all("th")] == ["Date", "Holiday"]


def test_render_writes_the_same_files_as_the_site(tmp_path, built_site, example):
    proc = run_cli(REPO, "render", str(tmp_path / "out"), "--catalogue", str(REPO / "catalogue"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"and {len(example.calendars)} iCalendar files under" in proc.stdout
    written = sorted((tmp_path / "out").rglob("*.ics"))
    assert [p.relative_to(tmp_path / "out").as_posix() for p in written] == sorted(ics_files(example, SECTION))
    for path in written:
        assert path.read_bytes() == ics_path(built_site, path.stem).read_bytes(), path.name
        assert b"\r\n" in path.read_bytes()
    markdown = (tmp_path / "out" / SECTION / "service-hours" / "business-hours-uk.md").read_text("utf-8")
    assert "[Subscribe (iCalendar)](business-hours-uk.ics)" in markdown  # beside the page in OUTDIR too


def test_catalogue_json_has_the_inherited_holidays(built_site):
    import json

    records = {r["id"]: r for r in json.loads(built_site.path("catalogue.json").read_text("utf-8"))["records"]}
    inherited = records["business-hours-uk"]["derived"]["inherited_holidays"]
    assert {"date": "2026-12-25", "title": "Christmas Day", "recurring": True, "from": "uk-bank-holidays"} in inherited
    assert all(h["from"] == "uk-bank-holidays" for h in inherited)
    assert "inherited_holidays" not in records["library-extended-hours"]["derived"]
    assert records["business-hours-uk"]["data"]["holidays_from"] == ["uk-bank-holidays"]  # data as written


def test_the_service_page_shows_its_criticality(built_site):
    page = article(built_site.page(built_site.record_page("Service", "identity-sso")))
    rows = {row.find_all("td")[0].text: row.find_all("td")[1].text for row in page.find_all("tr") if len(row.find_all("td")) == 2}
    assert rows["Business criticality"] == "critical"
    other = article(built_site.page(built_site.record_page("Service", "research-hpc")))
    assert "Business criticality" not in other.text  # not stated: no row
