"""Format 1.1 agreement extras in `validate`: maintenance windows, clock stops, `revised`,
`review.triggers` and `reporting.frequency: on-request` are accepted, and each mistake in
them is one located problem with a hint that is right.

The table runs the real CLI on the base catalogue (catalogue_builder) with its SLA
carrying EXTRAS, so every line and column below is known.
"""

from __future__ import annotations

from helpers.catalogue_builder import (
    AGREEMENT,
    Mistake,
    expect_mistake,
    expect_valid,
    mistakes,
    replace,
    validate,
    write_catalogue,
)

SLA = "catalogue/agreements/sla-email.yaml"
HEAD = f"{SLA}:{{}}: error: Agreement sla-email: {{}}"

# Appended to the base SLA (whose last line is 22): `revised` is line 23, the window's
# `to` line 37, the second clock stop line 42.
EXTRAS = """\
revised: 2026-02-01
review:
  frequency: annual
  last: 2026-01-15
  next: 2027-01-15
  triggers:
    - A new mail platform
availability:
  target: 99.9
  window: month
  maintenance_windows:
    - title: Weekly patching
      days: [sun]
      from: "02:00"
      to: "06:00"
      notice: 5d
clock_stops:
  - id: customer
    when: awaiting the customer's reply
  - id: supplier
    when: awaiting a third-party supplier
    applies_to: [resolution]
reporting:
  frequency: on-request
  recipients: [all-staff]
  contents: [Availability]
"""
WITH_EXTRAS = AGREEMENT + EXTRAS


def with_extras(old: str, new: str) -> dict:
    return {"agreements/sla-email.yaml": replace(WITH_EXTRAS, old, new)}


def test_every_extra_field_is_accepted(tmp_path):
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": WITH_EXTRAS})
    expect_valid(validate(tmp_path))


def test_a_window_may_end_at_midnight(tmp_path):
    write_catalogue(tmp_path, with_extras('to: "06:00"', 'to: "24:00"'))
    expect_valid(validate(tmp_path))


WINDOW = "availability.maintenance_windows[0]"


@mistakes(
    Mistake(
        "maintenance_window_ending_before_it_starts",
        with_extras('to: "06:00"', 'to: "01:00"'),
        HEAD.format("37:11", f"{WINDOW}.to: the window ends (01:00) before or when it starts (02:00) [maintenance.window]"),
        'a window crossing midnight is two windows: "22:00" to "24:00" and "00:00" to "06:00"',
    ),
    Mistake(
        "maintenance_window_ending_when_it_starts",
        with_extras('to: "06:00"', 'to: "02:00"'),
        HEAD.format("37:11", f"{WINDOW}.to: the window ends (02:00) before or when it starts (02:00) [maintenance.window]"),
        'a window crossing midnight is two windows: "22:00" to "24:00" and "00:00" to "06:00"',
    ),
    Mistake(
        "maintenance_window_day_written_out",
        with_extras("days: [sun]", "days: [sunday]"),
        HEAD.format("35:14", f"{WINDOW}.days[0]: expected one of `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`, "
                             'found the text "sunday" [schema.enum]'),
        "did you mean `sun`?",
    ),
    Mistake(
        "maintenance_window_notice_in_words",
        with_extras("notice: 5d", "notice: 5 days"),
        HEAD.format("38:15", f"{WINDOW}.notice: expected a duration such as `15m`, `4h` or `2d`, "
                             'found the text "5 days" [schema.duration]'),
        "write the number and the unit together: `m` minutes, `h` hours, `d` service days, `w` service weeks",
    ),
    # The notice is a duration field (kinds.py): the duration checks reach it.
    Mistake(
        "maintenance_window_notice_over_a_year",
        with_extras("notice: 5d", "notice: 400d"),
        HEAD.format("38:15", f"{WINDOW}.notice: the duration `400d` is longer than a year [duration.too-long]"),
        hint_starts="a notice is at most a year",
    ),
    Mistake(
        "maintenance_window_without_a_title",
        with_extras("    - title: Weekly patching\n      days", "    - days"),
        HEAD.format("34:7", f"{WINDOW}.title: missing required field `title` [schema.required]"),
        "add `title:` (what the window is called or used for, for example `Weekly patching`)",
    ),
    Mistake(
        "next_review_before_the_last",
        with_extras("next: 2027-01-15", "next: 2025-12-01"),
        HEAD.format("27:9", "review.next: the next review (2025-12-01) is before the last one (2026-01-15) [date.review]"),
        "`next` is the review still to come and `last` the one held: swap them, or correct the year",
    ),
    Mistake(
        "review_triggers_not_a_list",
        with_extras("triggers:\n    - A new mail platform", "triggers: A new mail platform"),
        HEAD.format("28:13", 'review.triggers: expected a list, found the text "A new mail platform" [schema.type]'),
        "write a list: `[a, b]`, or one `- item` per line",
    ),
    Mistake(
        "revised_not_a_real_date",
        with_extras("revised: 2026-02-01", "revised: 2026-02-30"),
        HEAD.format("23:10", 'revised: the text "2026-02-30" is not a real date [schema.date]'),
        "check the day and the month",
    ),
    Mistake(
        "clock_stop_id_used_twice",
        with_extras("id: supplier", "id: customer"),
        HEAD.format("42:9", "clock_stops[1].id: `customer` is used twice in `clock_stops` (first at clock_stops[0]) "
                            "[id.duplicate-local]"),
        "ids inside a list must be unique",
        see_also=f"{SLA}:40:9",
    ),
    Mistake(
        "clock_stop_applies_to_a_misspelt_target",
        with_extras("applies_to: [resolution]", "applies_to: [resolutoin]"),
        HEAD.format("44:18", "clock_stops[1].applies_to[0]: expected one of `response`, `resolution`, "
                             'found the text "resolutoin" [schema.enum]'),
        "did you mean `resolution`?",
    ),
    Mistake(
        "clock_stop_applies_to_a_target_twice",
        with_extras("applies_to: [resolution]", "applies_to: [resolution, resolution]"),
        HEAD.format("44:17", 'clock_stops[1].applies_to: lists the text "resolution" more than once [schema.uniqueItems]'),
        "remove the repeated item",
    ),
    Mistake(
        "clock_stop_applies_to_nothing",
        with_extras("applies_to: [resolution]", "applies_to: []"),
        HEAD.format("44:17", "clock_stops[1].applies_to: needs at least 1 item [schema.minItems]"),
        "add an item, or remove the field",
    ),
    Mistake(
        "clock_stop_without_a_condition",
        with_extras("    when: awaiting a third-party supplier\n", ""),
        HEAD.format("42:5", "clock_stops[1].when: missing required field `when` [schema.required]"),
        hint_starts="add `when:` (the condition, in plain words",
    ),
    Mistake(
        "reporting_on_request_written_with_a_space",
        with_extras("frequency: on-request", "frequency: on request"),
        HEAD.format("46:14", "reporting.frequency: expected one of `weekly`, `monthly`, `quarterly`, `semiannual`, "
                             '`annual`, `on-request`, found the text "on request" [schema.enum]'),
        "did you mean `on-request`?",
    ),
)
def test_a_mistake_in_an_extra_field_is_one_located_problem(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)
