"""Hints that lead to the fix (issue 15, "Hints that mislead"): each row is a mistake made while
transcribing a real agreement, and the one problem `validate` must print for it, with a hint
that is right. Before these fixes every row got a hint that was wrong, or a second problem.
"""

from __future__ import annotations

import zoneinfo

import pytest

from helpers.catalogue_builder import (
    AGREEMENT,
    CALENDAR,
    SERVICE,
    Mistake,
    dedent,
    expect_mistake,
    mistakes,
    replace,
    write_catalogue,
)
from service_catalogue.validation import schemas
from service_catalogue.validation.folder import validate_folder
from service_catalogue.validation.schemas import date_readings, time_fix
from service_catalogue.validation.timezones import SPOKEN_ZONES, offset_hint, spoken_zones

SLA = "catalogue/agreements/sla-email.yaml"
SVC = "catalogue/services/email.yaml"
CAL = "catalogue/calendars/business-hours.yaml"
TIME = "expected a time written HH:MM, from 00:00 to 24:00"
DURATION = "expected a duration such as `15m`, `4h` or `2d`"
DATE = "expected a date written YYYY-MM-DD"
RECORD_ID = "expected an id of lower-case letters, digits and hyphens (at most 63, starting with a letter or digit)"
BOOLEAN_HINT = "`yes`, `no`, `on` and `off` are text in YAML 1.2; write `true` or `false`"
CALENDAR_HINT = (
    "`hours` names a Calendar record by its id, not the hours themselves: write the hours in a Calendar record "
    "(`service-catalogue new Calendar ID`: a `timezone` and `weekly` windows, or `always: true`) and give its id here"
)


def unit_hint(number: str) -> str:
    """The hint for a number without its unit, listing the units the schema's duration pattern has
    (`m`, `h`, `d`; `w` since format 1.1): test_the_unit_hint_lists_the_units_the_schema_allows
    holds the derivation, these rows the words."""
    units = schemas.duration_units()
    words = {"m": "minutes", "h": "hours", "d": "service days", "w": "service weeks"}
    written = [f"`{number}{unit}`" for unit in units]
    return (f"a duration needs its unit: {', '.join(written[:-1])} or {written[-1]} ("
            + ", ".join(f"`{unit}` {words[unit]}" for unit in units) + ")")


def calendar_from(value: str) -> dict:
    return {"calendars/business-hours.yaml": replace(CALENDAR, 'from: "08:00"', f"from: {value}")}


def calendar_zone(zone: str) -> dict:
    return {"calendars/business-hours.yaml": replace(CALENDAR, "timezone: Europe/London", f"timezone: {zone}")}


def agreement(old: str, new: str) -> dict:
    return {"agreements/sla-email.yaml": replace(AGREEMENT, old, new)}


def calendar_always(value: str, more: str = "") -> dict:
    return {"calendars/business-hours.yaml": dedent(
        f"""
        apiVersion: catalogue/v1
        kind: Calendar
        id: business-hours
        title: Business hours
        timezone: Europe/London
        always: {value}
        """
    ) + more}


def zone_head(zone: str) -> str:
    return f"{CAL}:5:11: error: Calendar business-hours: timezone: `{zone}` is not a time zone in the IANA database [calendar.timezone]"


@mistakes(
    # 1. A time without its leading zero, quoted or not (YAML 1.2 reads 7:30 as text, not as 450).
    Mistake(
        "a_quoted_time_without_its_leading_zero_is_not_told_to_quote_it",
        calendar_from('"7:30"'),
        f'{CAL}:8:11: error: Calendar business-hours: weekly[0].from: {TIME}, found the text "7:30" [schema.time]',
        'write "07:30": the hour and the minutes with two digits each, on the 24-hour clock',
    ),
    Mistake(
        "an_unquoted_time_without_its_leading_zero_is_text_and_told_the_same",
        calendar_from("7:30"),
        f'{CAL}:8:11: error: Calendar business-hours: weekly[0].from: {TIME}, found the text "7:30" [schema.time]',
        'write "07:30": the hour and the minutes with two digits each, on the 24-hour clock',
    ),
    Mistake(
        "an_hour_alone_is_a_number_that_quotes_would_not_mend",
        calendar_from("8"),
        f"{CAL}:8:11: error: Calendar business-hours: weekly[0].from: {TIME}, found the number 8 [schema.type]",
        'write "08:00": the hour and the minutes with two digits each, on the 24-hour clock',
    ),
    Mistake(
        "a_time_on_the_12_hour_clock",
        {"calendars/business-hours.yaml": replace(CALENDAR, 'to: "18:00"', "to: 5:30pm")},
        f'{CAL}:9:9: error: Calendar business-hours: weekly[0].to: {TIME}, found the text "5:30pm" [schema.time]',
        'write "17:30": the hour and the minutes with two digits each, on the 24-hour clock',
    ),
    Mistake(
        "a_time_past_the_end_of_the_day_is_told_the_form_not_a_guess",
        calendar_from('"25:00"'),
        f'{CAL}:8:11: error: Calendar business-hours: weekly[0].from: {TIME}, found the text "25:00" [schema.time]',
        'write the hour and the minutes with two digits each, on the 24-hour clock: "08:00", "17:30"',
    ),
    # 2. A duration without its unit: quotes would not mend it, a unit does.
    Mistake(
        "a_bare_number_as_a_duration_is_told_its_unit_not_quotes",
        agreement("response: 1h", "response: 15"),
        f"{SLA}:21:15: error: Agreement sla-email: priorities[1].response: {DURATION}, found the number 15 [schema.type]",
        unit_hint("15"),
    ),
    Mistake(
        "a_quoted_number_as_a_duration_is_told_its_unit",
        agreement("response: 1h", 'response: "15"'),
        f'{SLA}:21:15: error: Agreement sla-email: priorities[1].response: {DURATION}, found the text "15" [schema.duration]',
        unit_hint("15"),
    ),
    Mistake(
        "a_negative_number_as_a_duration",
        agreement("response: 1h", "response: -5"),
        f"{SLA}:21:15: error: Agreement sla-email: priorities[1].response: {DURATION}, found the number -5 [schema.type]",
        "a duration is never negative: write a number and its unit, such as `15m`",
    ),
    # 3. A required field written with nothing: removing it would be another error.
    Mistake(
        "a_required_field_with_nothing_is_told_to_take_a_value_not_to_go",
        agreement("title: Email for staff", "title:"),
        f"{SLA}:4:7: error: Agreement sla-email: title: expected text, found nothing (an empty value) [schema.type]",
        "`title` is required: write its value after the colon",
    ),
    Mistake(
        "a_required_field_set_to_tilde",
        agreement("title: Email for staff", "title: ~"),
        f"{SLA}:4:8: error: Agreement sla-email: title: expected text, found nothing (an empty value) [schema.type]",
        "`title` is required: write its value after the colon",
    ),
    Mistake(
        "a_required_field_of_a_list_item_with_nothing",
        {"services/email.yaml": replace(SERVICE, "    title: New mailbox", "    title:")},
        f"{SVC}:14:11: error: Service email: requests[0].title: expected text, found nothing (an empty value) [schema.type]",
        "`title` is required: write its value after the colon",
    ),
    Mistake(
        "a_field_required_by_a_condition_with_nothing",
        {"calendars/business-hours.yaml": replace(CALENDAR, CALENDAR[CALENDAR.index("weekly:"):], "weekly:\n")},
        f"{CAL}:6:8: error: Calendar business-hours: weekly: expected a list, found nothing (an empty value) [schema.type]",
        "write a list: `[a, b]`, or one `- item` per line",
    ),
    Mistake(
        "an_optional_field_with_nothing_may_still_be_removed",
        agreement("title: Email for staff", "title: Email for staff\nsummary:"),
        f"{SLA}:5:9: error: Agreement sla-email: summary: expected text, found nothing (an empty value) [schema.type]",
        "give the field a value, or remove it",
    ),
    # 5. A date written another way: one problem, with the readings that are real dates.
    Mistake(
        "a_date_that_reads_two_ways_is_one_problem_with_both_readings",
        agreement("start: 2026-01-01", "start: 10/01/2025"),
        f'{SLA}:11:10: error: Agreement sla-email: period.start: {DATE}, found the text "10/01/2025" [schema.date]',
        "dates are written YYYY-MM-DD; 10/01/2025 reads two ways: `2025-10-01` (month first) or "
        "`2025-01-10` (day first): write the one the document means",
    ),
    Mistake(
        "a_date_with_one_reading_is_given_that_one",
        agreement("start: 2026-01-01", "start: 13/01/2025"),
        f'{SLA}:11:10: error: Agreement sla-email: period.start: {DATE}, found the text "13/01/2025" [schema.date]',
        "dates are written YYYY-MM-DD: write `2025-01-13`",
    ),
    Mistake(
        "a_date_with_the_year_first_and_slashes",
        agreement("start: 2026-01-01", "start: 2026/1/5"),
        f'{SLA}:11:10: error: Agreement sla-email: period.start: {DATE}, found the text "2026/1/5" [schema.date]',
        "dates are written YYYY-MM-DD: write `2026-01-05`",
    ),
    Mistake(
        "a_date_with_no_real_reading_is_told_the_form",
        agreement("start: 2026-01-01", "start: 31/13/2025"),
        f'{SLA}:11:10: error: Agreement sla-email: period.start: {DATE}, found the text "31/13/2025" [schema.date]',
        "for example 2026-01-31",
    ),
    Mistake(
        "a_day_that_does_not_exist_is_still_not_a_real_date",
        agreement("start: 2026-01-01", "start: 2026-02-30"),
        f'{SLA}:11:10: error: Agreement sla-email: period.start: the text "2026-02-30" is not a real date [schema.date]',
        "check the day and the month",
    ),
    # 6. A YAML 1.1 boolean is one problem: no cascade through the condition it decides.
    Mistake(
        "always_yes_is_one_problem_not_a_missing_weekly",
        calendar_always("yes"),
        f'{CAL}:6:9: error: Calendar business-hours: always: expected true or false, found the text "yes" [schema.type]',
        BOOLEAN_HINT,
    ),
    Mistake(
        "always_on_is_one_problem_not_a_missing_weekly",
        calendar_always("on"),
        f'{CAL}:6:9: error: Calendar business-hours: always: expected true or false, found the text "on" [schema.type]',
        BOOLEAN_HINT,
    ),
    Mistake(
        "always_false_without_weekly_is_still_a_missing_weekly",
        calendar_always("false"),
        f"{CAL}:1:1: error: Calendar business-hours: weekly: missing required field `weekly` [schema.required]",
        hint_starts="add `weekly:`",
    ),
    Mistake(
        "approval_no_is_one_problem",
        {"services/email.yaml": replace(SERVICE, "approval: false", "approval: no")},
        f'{SVC}:16:15: error: Service email: requests[0].approval: expected true or false, found the text "no" [schema.type]',
        BOOLEAN_HINT,
    ),
    # 7. `hours` names a Calendar: the hours themselves are not an id to slugify.
    Mistake(
        "hours_written_out_are_told_that_hours_names_a_calendar",
        agreement("hours: business-hours", "hours: Mon-Fri 8-5"),
        f'{SLA}:13:8: error: Agreement sla-email: hours: {RECORD_ID}, found the text "Mon-Fri 8-5" [schema.recordId]',
        f"{CALENDAR_HINT}; the catalogue's calendar ids: `business-hours`",
    ),
    Mistake(
        "support_hours_written_out",
        {"services/email.yaml": SERVICE + "support:\n  hours: Mon-Fri 9-5\n  channels: []\n"},
        f'{SVC}:18:10: error: Service email: support.hours: {RECORD_ID}, found the text "Mon-Fri 9-5" [schema.recordId]',
        CALENDAR_HINT + "; the catalogue's calendar ids: `business-hours`",
    ),
    Mistake(
        "a_priority_s_hours_written_out",
        agreement("    resolution: 4h\n", "    resolution: 4h\n    hours: Mon-Fri 8-5\n"),
        f'{SLA}:19:12: error: Agreement sla-email: priorities[0].hours: {RECORD_ID}, found the text "Mon-Fri 8-5" [schema.recordId]',
        f"{CALENDAR_HINT}; the catalogue's calendar ids: `business-hours`",
    ),
    Mistake(
        "a_calendar_named_by_its_title_is_given_its_id",
        agreement("hours: business-hours", "hours: Business Hours"),
        f'{SLA}:13:8: error: Agreement sla-email: hours: {RECORD_ID}, found the text "Business Hours" [schema.recordId]',
        "`hours` names a Calendar by its id: did you mean `business-hours`?",
    ),
    Mistake(
        "a_party_named_by_its_title_is_given_its_id",
        {"services/email.yaml": replace(SERVICE, "owner: it-services", "owner: IT Services")},
        f'{SVC}:7:8: error: Service email: owner: {RECORD_ID}, found the text "IT Services" [schema.recordId]',
        "`owner` names a Party by its id: did you mean `it-services`?",
    ),
    Mistake(
        "a_party_named_by_nothing_like_an_id_is_told_the_ids_there_are",
        {"services/email.yaml": replace(SERVICE, "owner: it-services", "owner: The Helpdesk")},
        f'{SVC}:7:8: error: Service email: owner: {RECORD_ID}, found the text "The Helpdesk" [schema.recordId]',
        "`owner` names a Party by its id; the catalogue's party ids: `all-staff`, `it-services`",
    ),
    # 4. Time zones as documents write them.
    Mistake(
        "pst_is_los_angeles_not_mst",
        calendar_zone("PST"),
        zone_head("PST"),
        "`PST` is not a zone name: write `America/Los_Angeles` (US Pacific time)",
    ),
    Mistake(
        "pacific_time_is_los_angeles_not_pacific_niue",
        calendar_zone("Pacific Time"),
        zone_head("Pacific Time"),
        "`Pacific Time` is not a zone name: write `America/Los_Angeles` (US Pacific time)",
    ),
    Mistake(
        "a_windows_zone_name",
        calendar_zone("Eastern Standard Time"),
        zone_head("Eastern Standard Time"),
        "`Eastern Standard Time` is not a zone name: write `America/New_York` (US Eastern time)",
    ),
    Mistake(
        "ist_is_three_zones_and_the_hint_says_so",
        calendar_zone("IST"),
        zone_head("IST"),
        "`IST` can mean more than one zone: `Asia/Kolkata` (India), `Europe/Dublin` (Ireland) or "
        "`Asia/Jerusalem` (Israel); write the one the hours are kept in",
    ),
    Mistake(
        "cest_names_the_cities_that_keep_it",
        calendar_zone("CEST"),
        zone_head("CEST"),
        hint_starts="`CEST` can mean more than one zone: `Europe/Berlin` (Germany), `Europe/Paris` (France), ",
    ),
    Mistake(
        "an_offset_is_told_the_zone_of_a_place_or_the_etc_name",
        calendar_zone('"GMT+1"'),
        zone_head("GMT+1"),
        "`GMT+1` is an offset, not a zone: write the zone of the place whose hours these are (such as "
        "`Europe/Paris` or `America/New_York`), which follows that place's summer time; for UTC+01:00 all "
        "year round, `Etc/GMT-1` (the Etc names count the other way)",
    ),
    Mistake(
        "a_typo_of_a_zone_is_still_a_did_you_mean",
        calendar_zone("Europe/Londn"),
        zone_head("Europe/Londn"),
        "did you mean `Europe/London`?",
    ),
)
def test_a_transcription_mistake_gets_one_problem_and_a_right_hint(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)


def test_the_suggestion_is_set_only_where_one_value_is_right(tmp_path):
    """Problem.suggestion (what an editor would put in): the one zone, the one reading; none of several."""
    root = write_catalogue(tmp_path, {
        **calendar_zone("PST"),
        "calendars/other.yaml": replace(replace(CALENDAR, "id: business-hours", "id: other"), "Europe/London", "IST"),
        **agreement("start: 2026-01-01", "start: 10/01/2025"),
        "agreements/sla-other.yaml": replace(replace(AGREEMENT, "id: sla-email", "id: sla-other"), "start: 2026-01-01", "start: 13/01/2025"),
    })
    found = {(p.code, p.location.file.rpartition("/")[2]): p.suggestion for p in validate_folder(root).problems}
    assert found == {
        ("calendar.timezone", "business-hours.yaml"): "America/Los_Angeles",
        ("calendar.timezone", "other.yaml"): None,  # IST: three zones
        ("schema.date", "sla-email.yaml"): None,  # two readings
        ("schema.date", "sla-other.yaml"): "2025-01-13",
    }


def test_every_zone_the_table_names_exists():
    for name, zones in SPOKEN_ZONES.items():
        assert zones, name
        for zone, where in zones:
            zoneinfo.ZoneInfo(zone)  # raises for a name the database does not have
            assert where, (name, zone)


@pytest.mark.parametrize("written, zone", [
    ("PDT", "America/Los_Angeles"), ("pacific standard time", "America/Los_Angeles"),
    ("Pacific Time (US & Canada)", "America/Los_Angeles"), ("EDT", "America/New_York"),
    ("Central", "America/Chicago"), ("AEDT", "Australia/Sydney"), ("SGT", "Asia/Singapore"),
    ("JST", "Asia/Tokyo"), ("UK", "Europe/London"), ("Central European Summer Time", "Europe/Berlin"),
])
def test_names_as_documents_write_them_lead_to_their_zone(written, zone):
    assert spoken_zones(written)[0][0] == zone


def test_names_that_mean_several_zones_list_them_all():
    assert [zone for zone, _ in spoken_zones("CST")] == ["America/Chicago", "Asia/Shanghai", "America/Havana"]
    assert [zone for zone, _ in spoken_zones("BST")] == ["Europe/London", "Asia/Dhaka"]
    assert spoken_zones("Europe/Londn") == ()


@pytest.mark.parametrize("written, etc", [("UTC+1", "Etc/GMT-1"), ("GMT-5", "Etc/GMT+5"), ("utc+14", "Etc/GMT-14")])
def test_a_whole_hour_offset_names_its_etc_zone_with_the_sign_turned(written, etc):
    hint = offset_hint(written)
    assert hint is not None and f"`{etc}`" in hint
    zoneinfo.ZoneInfo(etc)


def test_an_offset_no_etc_zone_keeps_names_none():
    hint = offset_hint("UTC+05:30")
    assert hint is not None and "Etc/" not in hint
    assert offset_hint("Europe/Paris") is None


@pytest.mark.parametrize("written, fixed", [
    ("7:30", "07:30"), ("7.30", "07:30"), (730, "07:30"), ("0730", "07:30"), (8, "08:00"), ("8am", "08:00"),
    ("12pm", "12:00"), ("12am", "00:00"), ("5 PM", "17:00"), ("24", "24:00"), ("25:00", None), ("13pm", None),
    ("7:60", None), ("noon", None), (True, None),
])
def test_time_fix(written, fixed):
    assert time_fix(written) == fixed


@pytest.mark.parametrize("written, readings", [
    ("10/01/2025", ["2025-10-01", "2025-01-10"]), ("13/01/2025", ["2025-01-13"]), ("01/13/2025", ["2025-01-13"]),
    ("05/05/2025", ["2025-05-05"]), ("31.12.2025", ["2025-12-31"]), ("2025/2/30", []), ("next monday", []),
])
def test_date_readings(written, readings):
    assert date_readings(written) == readings


def test_the_unit_hint_lists_the_units_the_schema_allows(monkeypatch):
    """The hint is made from the duration pattern, so a unit the format gains (`w`) shows in it."""
    defs = schemas.load_schemas()["defs.json"]["$defs"]
    monkeypatch.setitem(defs, "duration", {**defs["duration"], "pattern": "^(0|[1-9][0-9]{0,5})(\\.[0-9]+)?[mhdw]$(?!\\n)"})
    assert schemas.duration_units() == "mhdw"
    assert schemas._unit_hint("15") == (
        "a duration needs its unit: `15m`, `15h`, `15d` or `15w` (`m` minutes, `h` hours, `d` service days, `w` service weeks)"
    )


def test_a_word_cut_short_is_taken_for_the_choice_it_starts(tmp_path):
    # "resolve" is nearer "response" letter for letter, but it starts as "resolution" does:
    # people misspell the end of a word, not its start.
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": AGREEMENT + dedent("""\
        clock_stops:
          - {id: reply, when: Awaiting the customer, applies_to: [resolve]}
        """)})
    problems = validate_folder(tmp_path / "catalogue").problems
    (problem,) = [p for p in problems if p.field == "clock_stops[0].applies_to[0]"]
    assert (problem.suggestion, problem.hint) == ("resolution", "did you mean `resolution`?")
    assert schemas.closest("resolutoin", ["response", "resolution"]) == "resolution"
    assert schemas.closest("respnse", ["response", "resolution"]) == "response"


def test_a_notice_longer_than_a_year_is_not_called_a_target(tmp_path):
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": AGREEMENT + dedent("""\
        availability:
          target: 99.5
          window: month
          maintenance_windows:
            - {title: Patching, days: [sun], from: "02:00", to: "04:00", notice: 400d}
        """)})
    problems = validate_folder(tmp_path / "catalogue").problems
    (problem,) = [p for p in problems if p.code == "duration.too-long"]
    assert problem.hint.startswith("a notice is at most a year (527040m, 8784h, 366d or 52w)"), problem.hint
    assert "target" not in problem.hint
