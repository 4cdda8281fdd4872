"""What `validate` says about problems no schema can see: references, ids, cycles, dates, zones, terms."""

from __future__ import annotations

from helpers.catalogue_builder import (
    AGREEMENT,
    CALENDAR,
    SERVICE,
    TERM,
    Mistake,
    dedent,
    expect_mistake,
    mistakes,
    replace,
    validate,
    write_catalogue,
)

SLA = "catalogue/agreements/sla-email.yaml"
SVC = "catalogue/services/email.yaml"
CAL = "catalogue/calendars/business-hours.yaml"

OLA = dedent(
    """
    apiVersion: catalogue/v1
    kind: Agreement
    id: ola-mail-platform
    title: Mail platform
    type: OLA
    status: active
    provider: it-services
    customer: it-services
    services: [email]
    period: {start: 2026-01-01}
    hours: business-hours
    """
)


@mistakes(
    Mistake(
        "reference_to_a_missing_record",
        {"services/email.yaml": replace(SERVICE, "owner: it-services", "owner: it-servics")},
        f"{SVC}:7:8: error: Service email: owner: `it-servics` names no Party in the catalogue [ref.missing]",
        "did you mean `it-services`?",
    ),
    Mistake(
        "reference_to_a_record_of_the_wrong_kind",
        {"services/email.yaml": replace(SERVICE, "owner: it-services", "owner: email")},
        f"{SVC}:7:8: error: Service email: owner: `email` is a Service, but this field names a Party [ref.wrong-kind]",
        f"Service email is defined at {SVC}:1:1",
        see_also=f"{SVC}:1:1",
    ),
    Mistake(
        "underpinned_by_naming_an_sla",
        {"agreements/sla-other.yaml": replace(replace(OLA, "id: ola-mail-platform", "id: sla-other"), "type: OLA", "type: SLA"), "agreements/sla-email.yaml": AGREEMENT + "underpinned_by: [sla-other]\n"},
        f"{SLA}:23:18: error: Agreement sla-email: underpinned_by[0]: `sla-other` is an SLA, "
        "but this field takes an OLA or UC [ref.underpinning]",
        "only operational level agreements (OLA) and underpinning contracts (UC) underpin an agreement",
        see_also="catalogue/agreements/sla-other.yaml:1:1",
    ),
    Mistake(
        "offering_agreement_naming_an_ola",
        {
                "agreements/ola.yaml": OLA,
                "services/email.yaml": replace(SERVICE, "agreement: sla-email", "agreement: ola-mail-platform"),
            },
        f"{SVC}:11:16: error: Service email: offerings[0].agreement: `ola-mail-platform` is an OLA, "
        "but this field takes an SLA [ref.agreement-type]",
        "an offering is backed by a service level agreement (SLA)",
        see_also="catalogue/agreements/ola.yaml:1:1",
    ),
    Mistake(  # defect (issue 15): "is an UC"
        "offering_agreement_naming_a_uc",
        {
                "agreements/ola.yaml": replace(OLA, "type: OLA", "type: UC"),
                "services/email.yaml": replace(SERVICE, "agreement: sla-email", "agreement: ola-mail-platform"),
            },
        f"{SVC}:11:16: error: Service email: offerings[0].agreement: `ola-mail-platform` is a UC, "
        "but this field takes an SLA [ref.agreement-type]",
        "an offering is backed by a service level agreement (SLA)",
        see_also="catalogue/agreements/ola.yaml:1:1",
    ),
    # A Party that takes the id of the Service: parties/ is read before services/,
    # so the Service's id is the second one, and the problem is there.
    # Exactly one problem: `services: [email]` in the SLA still finds the Service, so the
    # duplicate does not echo as a "wrong kind" reference.
    Mistake(
        "duplicate_id_names_both_places",
        {"parties/email-team.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: email\ntitle: Email team\ntype: team\n"},
        f"{SVC}:3:5: error: Service email: id: the id `email` is already used by Party email at "
        "catalogue/parties/email-team.yaml:3:5 [id.duplicate]",
        "ids are unique across the whole catalogue, whatever the kind; rename one of them",
        see_also="catalogue/parties/email-team.yaml:3:5",
        errors=1,
    ),
    Mistake(
        "dependency_cycle",
        {"services/storage.yaml": dedent(
            """
            apiVersion: catalogue/v1
            kind: Service
            id: storage
            title: Storage
            type: supporting
            status: live
            owner: it-services
            depends_on:
              - service: email
                criticality: hard
            """
        ), "services/email.yaml": SERVICE + "depends_on:\n  - service: storage\n    criticality: soft\n"},
        f"{SVC}:18:14: error: Service email: depends_on[0].service: dependency cycle: email -> storage -> email [cycle.depends-on]",
        "a service cannot depend on itself, even through others; remove one link of the cycle",
        see_also="catalogue/services/storage.yaml:1:1",
    ),
    Mistake(
        "parent_cycle",
        {"parties/teams.yaml": dedent(
            """
            apiVersion: catalogue/v1
            kind: Party
            id: team-a
            title: Team A
            type: team
            parent: team-b
            ---
            apiVersion: catalogue/v1
            kind: Party
            id: team-b
            title: Team B
            type: team
            parent: team-a
            """
        )},
        "catalogue/parties/teams.yaml:6:9: error: Party team-a: parent: parent cycle: team-a -> team-b -> team-a [cycle.parent]",
        "a party cannot be its own ancestor",
    ),
    Mistake(
        "period_end_before_start",
        {"agreements/sla-email.yaml": replace(AGREEMENT, "end: 2026-12-31", "end: 2025-12-31")},
        f"{SLA}:12:8: error: Agreement sla-email: period.end: the period ends (2025-12-31) before it starts (2026-01-01) [date.period]",
        "swap the dates, or correct the year",
    ),
    Mistake(
        "unknown_time_zone",
        {"calendars/business-hours.yaml": replace(CALENDAR, "Europe/London", "Europe/Londn")},
        f"{CAL}:5:11: error: Calendar business-hours: timezone: `Europe/Londn` is not a time zone in the IANA database [calendar.timezone]",
        "did you mean `Europe/London`?",
    ),
    Mistake(
        "weekly_to_before_from",
        {"calendars/business-hours.yaml": replace(CALENDAR, 'to: "18:00"', 'to: "07:00"')},
        f"{CAL}:9:9: error: Calendar business-hours: weekly[0].to: the window ends (07:00) before or when it starts (08:00) [calendar.window]",
        'a window crossing midnight is two windows: "22:00" to "24:00" and "00:00" to "06:00"',
    ),
    Mistake(
        "duplicate_priority_ids_within_an_agreement",
        {"agreements/sla-email.yaml": replace(AGREEMENT, "id: P2", "id: P1")},
        f"{SLA}:19:9: error: Agreement sla-email: priorities[1].id: `P1` is used twice in `priorities` "
        "(first at priorities[0]) [id.duplicate-local]",
        "ids inside a list must be unique",
        see_also=f"{SLA}:15:9",
    ),
    Mistake(
        "a_term_defined_twice_in_one_agreement",
        {"agreements/sla-email.yaml": AGREEMENT + "definitions:\n  - {term: Payday, definition: A.}\n  - {term: PAYDAY, definition: B.}\n"},
        f"{SLA}:25:12: error: Agreement sla-email: definitions[1].term: \"PAYDAY\" is defined twice in `definitions` "
        "(first at definitions[0]) [definition.duplicate]",
        "a word is defined once in an agreement (case does not matter): merge the two definitions",
        see_also=f"{SLA}:24:12",
    ),
    Mistake(
        "see_also_naming_a_missing_term",
        {"glossary/sla.yaml": TERM + "see_also: [incident]\n"},
        "catalogue/glossary/sla.yaml:7:12: error: Term service-level-agreement: see_also[0]: "
        "`incident` names no Term in the catalogue [ref.missing]",
        "`see_also` names a Term by its id",
    ),
    # glossary/ola.yaml is read first, so the term in sla.yaml is the second to claim "SLA".
    Mistake(
        "two_terms_sharing_an_abbreviation",
        {"glossary/ola.yaml": dedent(
            """
            apiVersion: catalogue/v1
            kind: Term
            id: operational-level-agreement
            title: Operational level agreement
            abbreviation: SLA
            definition: An agreement between two parts of the same organisation.
            """
        )},
        "catalogue/glossary/sla.yaml:5:15: error: Term service-level-agreement: abbreviation: "
        'the abbreviation "SLA" is also the abbreviation of Term operational-level-agreement [term.duplicate-name]',
        "a word in the glossary must lead to one term; merge the terms or drop the name from one",
        see_also="catalogue/glossary/ola.yaml:5:15",
    ),
)
def test_validate_reports_what_no_schema_sees(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)


def test_underpinned_by_naming_an_ola_is_fine(tmp_path):
    write_catalogue(
        tmp_path,
        {"agreements/ola.yaml": OLA, "agreements/sla-email.yaml": AGREEMENT + "underpinned_by: [ola-mail-platform]\n"},
    )
    proc = validate(tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip() == "catalogue is valid (7 records)"


