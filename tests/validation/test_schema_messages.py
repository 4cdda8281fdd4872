"""What `validate` says about records of the wrong shape: the schema, told in plain words.

Every test runs the real CLI on a small catalogue and checks the exit code, the
exact `file:line:col`, the record, the field path, the message, the rule code
and the hint.
"""

from __future__ import annotations

from pathlib import Path

from helpers.catalogue_builder import (
    AGREEMENT,
    CALENDAR,
    SERVICE,
    Mistake,
    dedent,
    expect_mistake,
    expect_valid,
    mistakes,
    replace,
    validate,
    write_catalogue,
)
from service_catalogue.validation.loader import read_text

SLA = "catalogue/agreements/sla-email.yaml"
SVC = "catalogue/services/email.yaml"
CAL = "catalogue/calendars/business-hours.yaml"


def test_the_base_catalogue_is_valid(tmp_path):
    write_catalogue(tmp_path)
    expect_valid(validate(tmp_path))


@mistakes(
    Mistake(
        "wrong_type_a_text_where_a_list_is_expected",
        {"agreements/sla-email.yaml": replace(AGREEMENT, "services: [email]", "services: email")},
        f'{SLA}:9:11: error: Agreement sla-email: services: expected a list, found the text "email" [schema.type]',
        "write a list: `[a, b]`, or one `- item` per line",
    ),
    Mistake(
        "wrong_form_a_duration_written_in_words",
        {"agreements/sla-email.yaml": replace(AGREEMENT, "response: 1h", "response: 4 hours")},
        f"{SLA}:21:15: error: Agreement sla-email: priorities[1].response: expected a duration such as "
        '`15m`, `4h` or `2d`, found the text "4 hours" [schema.duration]',
        "write the number and the unit together: `m` minutes, `h` hours, `d` service days, `w` service weeks",
    ),
    # `type: [team]` fails both `type: string` and the enum: one mistake, one message.
    Mistake(
        "a_value_of_the_wrong_type_is_one_problem_not_one_per_rule",
        {"parties/helpdesk.yaml": dedent(
            """
            apiVersion: catalogue/v1
            kind: Party
            id: helpdesk
            title: Helpdesk
            type: [team]
            """
        )},
        "catalogue/parties/helpdesk.yaml:5:7: error: Party helpdesk: type: expected text, found a list [schema.type]",
    ),
    Mistake(
        "missing_required_field_at_the_top",
        {"services/email.yaml": replace(SERVICE, "status: live\n", "")},
        f"{SVC}:1:1: error: Service email: status: missing required field `status` [schema.required]",
        hint_starts="add `status:` (the service's stage in the service portfolio",
    ),
    # Reported at the start of the item that lacks it: `- id: P2` is line 19, the mapping at column 5.
    # (Since format 1.1 a priority's targets are optional; a description, or a title, is not.)
    Mistake(
        "missing_required_field_inside_a_list_item",
        {"agreements/sla-email.yaml": replace(AGREEMENT, "    description: A group of users is affected\n", "")},
        f"{SLA}:19:5: error: Agreement sla-email: priorities[1].description: missing required field `description` [schema.required]",
        hint_starts="add `description:` (what kind of incident or request gets this priority",
    ),
    # One typo is one problem: no second "missing required field `resolution`".
    Mistake(
        "unknown_key_with_did_you_mean",
        {"agreements/sla-email.yaml": replace(AGREEMENT, "resolution: 1d", "resolutoin: 1d")},
        f"{SLA}:22:5: error: Agreement sla-email: priorities[1].resolutoin: unknown field `resolutoin` [schema.unknown-field]",
        "did you mean `resolution`?",
        errors=1,
    ),
    Mistake(
        "unknown_key_without_a_close_match_lists_the_allowed_fields",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\nzzz: 1\n"},
        "catalogue/parties/helpdesk.yaml:6:1: error: Party helpdesk: zzz: unknown field `zzz` [schema.unknown-field]",
        hint_starts="fields allowed here: apiVersion, kind, id, title,",
    ),
    Mistake(
        "bad_enum_value_with_did_you_mean",
        {"services/email.yaml": replace(SERVICE, "status: live", "status: lve")},
        f'{SVC}:6:9: error: Service email: status: expected one of `pipeline`, `live`, `retired`, found the text "lve" [schema.enum]',
        "did you mean `live`?",
    ),
    Mistake(
        "bad_record_id_suggests_a_slug",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: Help Desk\ntitle: Helpdesk\ntype: team\n"},
        "catalogue/parties/helpdesk.yaml:3:5: error: Party Help Desk: id: expected an id of lower-case letters, "
        'digits and hyphens (at most 63, starting with a letter or digit), found the text "Help Desk" [schema.recordId]',
        "for example `help-desk`",
    ),
    Mistake(
        "no_where_a_boolean_is_expected",
        {"services/email.yaml": replace(SERVICE, "approval: false", "approval: no")},
        f'{SVC}:16:15: error: Service email: requests[0].approval: expected true or false, found the text "no" [schema.type]',
        "`yes`, `no`, `on` and `off` are text in YAML 1.2; write `true` or `false`",
    ),
    Mistake(
        "record_without_kind",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v1\nid: helpdesk\ntitle: Helpdesk\ntype: team\n"},
        "catalogue/parties/helpdesk.yaml:1:1: error: record helpdesk: the record has no `kind` [record.no-kind]",
        "add `kind:` with one of Service, Agreement, Party, Calendar, Term",
    ),
    Mistake(
        "unknown_kind_with_did_you_mean",
        {"services/printing.yaml": "apiVersion: catalogue/v1\nkind: Servce\nid: printing\ntitle: Printing\n"},
        'catalogue/services/printing.yaml:2:7: error: kind: unknown kind "Servce" [record.unknown-kind]',
        "did you mean `Service`?",
    ),
    Mistake(
        "unknown_api_version",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v2\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\n"},
        "catalogue/parties/helpdesk.yaml:1:13: error: Party helpdesk: apiVersion: unknown format version "
        '"catalogue/v2"; this tool reads `catalogue/v1` [record.api-version]',
        "write `apiVersion: catalogue/v1`, or upgrade service-catalogue",
    ),
    Mistake(
        "impossible_date",
        {"agreements/sla-email.yaml": replace(AGREEMENT, "end: 2026-12-31", "end: 2026-02-30")},
        f'{SLA}:12:8: error: Agreement sla-email: period.end: the text "2026-02-30" is not a real date [schema.date]',
        "check the day and the month",
    ),
    Mistake(
        "always_on_calendar_with_weekly_hours_names_the_field",
        {"calendars/business-hours.yaml": CALENDAR + "always: true\n"},
        f"{CAL}:6:1: error: Calendar business-hours: weekly: `weekly` is not allowed here [schema.not-allowed]",
        "a calendar with `always: true` is 24x7 and has no weekly hours",
    ),
)
def test_validate_explains_the_schema(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)


def test_yes_stays_text_where_text_is_expected(tmp_path):
    service = replace(SERVICE, "title: Email\n", "title: yes\ncategory: no\n")
    write_catalogue(tmp_path, {"services/email.yaml": service})
    expect_valid(validate(tmp_path))
    record = read_text(service, "email.yaml", Path("email.yaml")).records[0]
    assert record.data["title"] == "yes"
    assert record.data["category"] == "no"
    assert record.data["requests"][0]["approval"] is False


