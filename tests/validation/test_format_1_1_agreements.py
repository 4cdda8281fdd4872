"""Format 1.1, agreements: optional hours, the `w` unit, zero targets, priorities with a
title, examples, applies_to and either target, metrics with a duration target.

Each field is accepted where the contract takes it and refused, with a located message
and a hint that is right, where it does not.
"""

from __future__ import annotations

from helpers.catalogue_builder import (
    BASE_RECORDS,
    Mistake,
    dedent,
    expect_mistake,
    expect_valid,
    mistakes,
    validate,
    write_catalogue,
)

SLA = "catalogue/agreements/sla-email.yaml"
HEAD = """\
apiVersion: catalogue/v1
kind: Agreement
id: sla-email
title: Email for staff
type: SLA
status: active
provider: it-services
customer: all-staff
services: [email]
period: {start: 2026-01-01}
"""  # 10 lines: what follows starts on line 11


def agreement(rest: str) -> dict:
    return {"agreements/sla-email.yaml": HEAD + dedent(rest)}


VALID = {
    "no hours, minutes and hours elapsed": """\
        priorities:
          - {id: P1, description: Down, response: 15m, resolution: 4h}
        availability: {target: 99.5, window: month}
        """,
    "response only, resolution only, neither": """\
        hours: business-hours
        priorities:
          - {id: P1, title: Critical, response: 15m}
          - {id: P2, title: High, resolution: 2d}
          - {id: P3, title: Low}
        """,
    "weeks, requests, examples": """\
        hours: business-hours
        priorities:
          - id: R1
            title: Standard request
            applies_to: requests
            resolution: 1w
            examples: [A new mailbox, A shared calendar]
          - {id: P1, description: Down, applies_to: incidents, response: 30m}
        """,
    "a day target with the priority's own hours": """\
        priorities:
          - {id: P1, description: Down, resolution: 1d, hours: business-hours}
        """,
    "a duration metric in its own hours, with a description": """\
        metrics:
          - id: restore
            title: Time to restore a mailbox
            target: 3d
            direction: at-most
            hours: business-hours
            description: |
              From the ticket's opening to the mailbox's return, **in business hours**.
          - {id: csat, title: Satisfaction, target: 4.5, unit: points, direction: at-least}
        """,
    "an escalation at once": """\
        escalation:
          - {level: 1, contact: Service desk lead, after: 0m}
        """,
}


def test_every_new_agreement_field_is_accepted(tmp_path):
    for name, rest in VALID.items():
        folder = tmp_path / name.replace(" ", "-").replace(",", "")
        write_catalogue(folder, agreement(rest))
        expect_valid(validate(folder), BASE_RECORDS)


@mistakes(
    Mistake(
        "a day target without service hours",
        agreement("""\
            priorities:
              - {id: P1, description: Down, response: 1h, resolution: 2d}
            """),
        f"{SLA}:12:59: error: Agreement sla-email: priorities[0].resolution: `2d` counts service days, but no "
        "service hours apply: the agreement states no `hours` and this item has no `hours` [duration.needs-hours]",
        "add `hours:` (a Calendar id) to the agreement or to this item; if the document means elapsed time, "
        "write it in hours (`48h`)",
    ),
    Mistake(
        "a week metric without service hours",
        agreement("""\
            metrics:
              - {id: restore, title: Restore, target: 1w, direction: at-most}
            """),
        f"{SLA}:12:43: error: Agreement sla-email: metrics[0].target: `1w` counts service weeks, but no service "
        "hours apply: the agreement states no `hours` and this item has no `hours` [duration.needs-hours]",
        "add `hours:` (a Calendar id) to the agreement or to this item; if the document means elapsed time, "
        "write it in hours (`168h`)",
    ),
    Mistake(
        "an escalation after a day without service hours",
        agreement("""\
            escalation:
              - {level: 2, contact: Head of IT, after: 1d}
            """),
        f"{SLA}:12:44: error: Agreement sla-email: escalation[0].after: `1d` counts service days, but no service "
        "hours apply: the agreement states no `hours` [duration.needs-hours]",
        "add `hours:` (a Calendar id) to the agreement; if the document means elapsed time, write it in hours (`24h`)",
    ),
    Mistake(
        "a zero response target",
        agreement("""\
            hours: business-hours
            priorities:
              - {id: P1, description: Down, response: 0m}
            """),
        f"{SLA}:13:43: error: Agreement sla-email: priorities[0].response: a response target of zero (`0m`) can "
        "never be met [duration.zero]",
        "leave `response` out when the document states no response target; `0m` is only for escalation `after`, "
        "where it means at once",
    ),
    Mistake(
        "a priority with neither title nor description",
        agreement("""\
            hours: business-hours
            priorities:
              - {id: P1, response: 1h}
            """),
        f"{SLA}:13:5: error: Agreement sla-email: priorities[0].description: missing required field `description` "
        "[schema.required]",
        "add `description:` (what kind of incident or request gets this priority: a priority without a `title` "
        "needs one)",
    ),
    Mistake(
        "applies_to that is neither incidents nor requests",
        agreement("""\
            hours: business-hours
            priorities:
              - {id: P1, title: Critical, applies_to: incident, response: 1h}
            """),
        f"{SLA}:13:43: error: Agreement sla-email: priorities[0].applies_to: expected one of `incidents`, "
        "`requests`, found the text \"incident\" [schema.enum]",
        "did you mean `incidents`?",
    ),
    Mistake(
        "a duration target with a unit",
        agreement("""\
            hours: business-hours
            metrics:
              - {id: restore, title: Restore, target: 3d, unit: d, direction: at-most}
            """),
        f"{SLA}:13:47: error: Agreement sla-email: metrics[0].unit: `unit` is not allowed here [schema.not-allowed]",
        "a duration target (`3d`, `30m`) carries its unit; remove `unit`, or write the target as a number",
    ),
    Mistake(
        "a number target without a unit",
        agreement("""\
            metrics:
              - {id: csat, title: Satisfaction, target: 4.5, direction: at-least}
            """),
        f"{SLA}:12:5: error: Agreement sla-email: metrics[0].unit: missing required field `unit` [schema.required]",
        "add `unit:` (the unit of a number target, for example `h`, `%` or `points`)",
    ),
    Mistake(
        "a metric's hours naming nothing",
        agreement("""\
            metrics:
              - {id: restore, title: Restore, target: 3d, direction: at-most, hours: busines-hours}
            """),
        f"{SLA}:12:74: error: Agreement sla-email: metrics[0].hours: `busines-hours` names no Calendar in the "
        "catalogue [ref.missing]",
        "did you mean `business-hours`?",
    ),
)
def test_a_wrong_new_agreement_field_is_a_located_error(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)
