"""What `validate` says about problems no schema can see: references, ids, cycles, dates, zones, terms."""

from __future__ import annotations

from catalogue_builder import (
    AGREEMENT,
    CALENDAR,
    SERVICE,
    TERM,
    dedent,
    expect_invalid,
    expect_problem,
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


def test_reference_to_a_missing_record(tmp_path):
    write_catalogue(tmp_path, {"services/email.yaml": replace(SERVICE, "owner: it-services", "owner: it-servics")})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SVC}:7:8: error: Service email: owner: `it-servics` names no Party in the catalogue [ref.missing]",
        "did you mean `it-services`?",
    )


def test_reference_to_a_record_of_the_wrong_kind(tmp_path):
    write_catalogue(tmp_path, {"services/email.yaml": replace(SERVICE, "owner: it-services", "owner: email")})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SVC}:7:8: error: Service email: owner: `email` is a Service, but this field names a Party [ref.wrong-kind]",
        f"Service email is defined at {SVC}:1:1",
        see_also=f"{SVC}:1:1",
    )


def test_underpinned_by_naming_an_sla(tmp_path):
    other = replace(replace(OLA, "id: ola-mail-platform", "id: sla-other"), "type: OLA", "type: SLA")
    write_catalogue(
        tmp_path,
        {"agreements/sla-other.yaml": other, "agreements/sla-email.yaml": AGREEMENT + "underpinned_by: [sla-other]\n"},
    )
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SLA}:23:18: error: Agreement sla-email: underpinned_by[0]: `sla-other` is an SLA, "
        "but this field takes an OLA or UC [ref.underpinning]",
        "only operational level agreements (OLA) and underpinning contracts (UC) underpin an agreement",
        see_also="catalogue/agreements/sla-other.yaml:1:1",
    )


def test_underpinned_by_naming_an_ola_is_fine(tmp_path):
    write_catalogue(
        tmp_path,
        {"agreements/ola.yaml": OLA, "agreements/sla-email.yaml": AGREEMENT + "underpinned_by: [ola-mail-platform]\n"},
    )
    proc = validate(tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip() == "catalogue is valid in 7 records"


def test_offering_agreement_naming_an_ola(tmp_path):
    write_catalogue(
        tmp_path,
        {
            "agreements/ola.yaml": OLA,
            "services/email.yaml": replace(SERVICE, "agreement: sla-email", "agreement: ola-mail-platform"),
        },
    )
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SVC}:11:16: error: Service email: offerings[0].agreement: `ola-mail-platform` is an OLA, "
        "but this field takes an SLA [ref.agreement-type]",
        "an offering is backed by a service level agreement (SLA)",
        see_also="catalogue/agreements/ola.yaml:1:1",
    )


def test_duplicate_id_names_both_places(tmp_path):
    # A Party that takes the id of the Service: parties/ is read before services/,
    # so the Service's id is the second one, and the problem is there.
    party = "apiVersion: catalogue/v1\nkind: Party\nid: email\ntitle: Email team\ntype: team\n"
    write_catalogue(tmp_path, {"parties/email-team.yaml": party})
    proc = validate(tmp_path)
    # Exactly one problem: `services: [email]` in the SLA still finds the Service, so the
    # duplicate does not echo as a "wrong kind" reference.
    expect_invalid(proc, errors=1)
    expect_problem(
        proc,
        f"{SVC}:3:5: error: Service email: id: the id `email` is already used by Party email at "
        "catalogue/parties/email-team.yaml:3:5 [id.duplicate]",
        "ids are unique across the whole catalogue, whatever the kind; rename one of them",
        see_also="catalogue/parties/email-team.yaml:3:5",
    )


def test_dependency_cycle(tmp_path):
    storage = dedent(
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
    )
    email = SERVICE + "depends_on:\n  - service: storage\n    criticality: soft\n"
    write_catalogue(tmp_path, {"services/storage.yaml": storage, "services/email.yaml": email})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SVC}:18:14: error: Service email: depends_on[0].service: dependency cycle: email -> storage -> email [cycle.depends-on]",
        "a service cannot depend on itself, even through others; remove one link of the cycle",
        see_also="catalogue/services/storage.yaml:1:1",
    )


def test_parent_cycle(tmp_path):
    parties = dedent(
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
    )
    write_catalogue(tmp_path, {"parties/teams.yaml": parties})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        "catalogue/parties/teams.yaml:6:9: error: Party team-a: parent: parent cycle: team-a -> team-b -> team-a [cycle.parent]",
        "a party cannot be its own ancestor",
    )


def test_period_end_before_start(tmp_path):
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": replace(AGREEMENT, "end: 2026-12-31", "end: 2025-12-31")})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SLA}:12:8: error: Agreement sla-email: period.end: the period ends (2025-12-31) before it starts (2026-01-01) [date.period]",
        "swap the dates, or correct the year",
    )


def test_unknown_time_zone(tmp_path):
    write_catalogue(tmp_path, {"calendars/business-hours.yaml": replace(CALENDAR, "Europe/London", "Europe/Londn")})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{CAL}:5:11: error: Calendar business-hours: timezone: `Europe/Londn` is not a time zone in the IANA database [calendar.timezone]",
        "did you mean `Europe/London`?",
    )


def test_weekly_to_before_from(tmp_path):
    write_catalogue(tmp_path, {"calendars/business-hours.yaml": replace(CALENDAR, 'to: "18:00"', 'to: "07:00"')})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{CAL}:9:9: error: Calendar business-hours: weekly[0].to: the window ends (07:00) before or when it starts (08:00) [calendar.window]",
        'a window crossing midnight is two windows: "22:00" to "24:00" and "00:00" to "06:00"',
    )


def test_duplicate_priority_ids_within_an_agreement(tmp_path):
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": replace(AGREEMENT, "id: P2", "id: P1")})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SLA}:19:9: error: Agreement sla-email: priorities[1].id: `P1` is used twice in `priorities` "
        "(first at priorities[0]) [id.duplicate-local]",
        "ids inside a list must be unique",
        see_also=f"{SLA}:15:9",
    )


def test_see_also_naming_a_missing_term(tmp_path):
    write_catalogue(tmp_path, {"glossary/sla.yaml": TERM + "see_also: [incident]\n"})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        "catalogue/glossary/sla.yaml:7:12: error: Term service-level-agreement: see_also[0]: "
        "`incident` names no Term in the catalogue [ref.missing]",
        "`see_also` names a Term by its id",
    )


def test_two_terms_sharing_an_abbreviation(tmp_path):
    ola = dedent(
        """
        apiVersion: catalogue/v1
        kind: Term
        id: operational-level-agreement
        title: Operational level agreement
        abbreviation: SLA
        definition: An agreement between two parts of the same organisation.
        """
    )
    write_catalogue(tmp_path, {"glossary/ola.yaml": ola})
    proc = validate(tmp_path)
    expect_invalid(proc)
    # glossary/ola.yaml is read first, so the term in sla.yaml is the second to claim "SLA".
    expect_problem(
        proc,
        "catalogue/glossary/sla.yaml:5:15: error: Term service-level-agreement: abbreviation: "
        'the abbreviation "SLA" is also the abbreviation of Term operational-level-agreement [term.duplicate-name]',
        "a word in the glossary must lead to one term; merge the terms or drop the name from one",
        see_also="catalogue/glossary/ola.yaml:5:15",
    )
