"""Calendar 1.1 in `validate`: holidays_from (references, cycles, not with always) and recurring holidays."""

from __future__ import annotations

from helpers.catalogue_builder import (
    BASE_RECORDS,
    CALENDAR,
    Mistake,
    dedent,
    expect_mistake,
    expect_valid,
    mistakes,
    validate,
    write_catalogue,
)

CAL = "catalogue/calendars/business-hours.yaml"
BANK = dedent(
    """
    apiVersion: catalogue/v1
    kind: Calendar
    id: bank-holidays
    title: Bank holidays
    timezone: Europe/London
    weekly:
      - {days: [mon, tue, wed, thu, fri], from: "00:00", to: "24:00"}
    holidays:
      - {date: 2026-12-25, title: Christmas Day, recurring: true}
      - {date: 2028-02-29, title: Leap day, recurring: true}
      - {date: 2026-04-06, title: Easter Monday, recurring: false}
    """
)


def test_holidays_from_and_recurring_are_valid(tmp_path):
    write_catalogue(tmp_path, {
        "calendars/bank.yaml": BANK,
        "calendars/business-hours.yaml": CALENDAR + "holidays_from: [bank-holidays]\n",
    })
    expect_valid(validate(tmp_path), BASE_RECORDS + 1)


def _cycle_calendar(record_id: str, inherits: str) -> str:
    return dedent(
        f"""
        apiVersion: catalogue/v1
        kind: Calendar
        id: {record_id}
        title: Calendar {record_id}
        timezone: Europe/London
        weekly:
          - {{days: [mon], from: "08:00", to: "18:00"}}
        holidays_from: [{inherits}]
        """
    )


@mistakes(
    Mistake(
        "holidays_from_missing",
        {"calendars/bank.yaml": BANK, "calendars/business-hours.yaml": CALENDAR + "holidays_from: [bank-holidyas]\n"},
        f"{CAL}:10:17: error: Calendar business-hours: holidays_from[0]: `bank-holidyas` names no Calendar in the catalogue [ref.missing]",
        "did you mean `bank-holidays`?",
        errors=1,
    ),
    Mistake(
        "holidays_from_wrong_kind",
        {"calendars/business-hours.yaml": CALENDAR + "holidays_from: [email]\n"},
        f"{CAL}:10:17: error: Calendar business-hours: holidays_from[0]: `email` is a Service, but this field names a Calendar [ref.wrong-kind]",
        "Service email is defined at catalogue/services/email.yaml:1:1",
    ),
    Mistake(
        "holidays_from_itself",
        {"calendars/business-hours.yaml": CALENDAR + "holidays_from: [business-hours]\n"},
        f"{CAL}:10:17: error: Calendar business-hours: holidays_from[0]: `business-hours` names the record itself [ref.self]",
    ),
    Mistake(
        "holidays_from_cycle",
        {"calendars/a.yaml": _cycle_calendar("cal-a", "cal-b"), "calendars/b.yaml": _cycle_calendar("cal-b", "cal-a")},
        "catalogue/calendars/a.yaml:8:17: error: Calendar cal-a: holidays_from[0]: holiday inheritance cycle: "
        "cal-a -> cal-b -> cal-a [cycle.holidays-from]",
        "a calendar cannot inherit holidays from itself, even through others; remove one link of the cycle "
        "(a shared calendar of bank holidays names no calendar that uses it)",
        see_also="catalogue/calendars/b.yaml:1:1",
    ),
    Mistake(
        "holidays_from_with_always",
        {"calendars/bank.yaml": BANK, "calendars/business-hours.yaml": dedent(
            """
            apiVersion: catalogue/v1
            kind: Calendar
            id: business-hours
            title: Business hours
            timezone: Europe/London
            always: true
            holidays_from: [bank-holidays]
            """
        )},
        f"{CAL}:7:1: error: Calendar business-hours: holidays_from: `holidays_from` is not allowed here [schema.not-allowed]",
        "a calendar with `always: true` is 24x7 and has no holidays, so it inherits none; remove `holidays_from`, "
        "or give the calendar `weekly` hours in place of `always: true`",
    ),
    Mistake(
        "recurring_not_a_boolean",
        {"calendars/business-hours.yaml": CALENDAR + "holidays:\n  - {date: 2026-12-25, title: Christmas Day, recurring: yes}\n"},
        f"{CAL}:11:57: error: Calendar business-hours: holidays[0].recurring: expected true or false, found the text \"yes\" [schema.type]",
        "`yes`, `no`, `on` and `off` are text in YAML 1.2; write `true` or `false`",
    ),
)
def test_calendar_mistakes(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)
