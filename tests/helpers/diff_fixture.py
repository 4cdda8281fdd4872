"""A small payroll catalogue for the diff tests: one SLA backed by an OLA backed by a UC.

It is laid into the example catalogue (under catalogue/review-fixture/), so the
diff runs on the real catalogue while every test knows the exact text it
changes. Its ids do not occur in the example catalogue.
"""

from __future__ import annotations

import textwrap

FOLDER = "review-fixture"


def _text(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


PARTIES = _text(
    """
    apiVersion: catalogue/v1
    kind: Party
    id: payroll-team
    title: Payroll team
    type: team
    ---
    apiVersion: catalogue/v1
    kind: Party
    id: finance-office
    title: Finance office
    type: customer
    ---
    apiVersion: catalogue/v1
    kind: Party
    id: payroll-hosting-team
    title: Payroll hosting team
    type: team
    ---
    apiVersion: catalogue/v1
    kind: Party
    id: ledgerly
    title: Ledgerly Ltd
    type: supplier
    """
)

CALENDARS = _text(
    """
    apiVersion: catalogue/v1
    kind: Calendar
    id: payroll-office-hours
    title: Payroll office hours
    timezone: Europe/London
    weekly:
      - days: [mon, tue, wed, thu, fri]
        from: "08:00"
        to: "18:00"
    holidays:
      - {date: 2026-12-25, title: Christmas Day}
    ---
    apiVersion: catalogue/v1
    kind: Calendar
    id: payroll-short-hours
    title: Payroll short hours
    timezone: Europe/London
    weekly:
      - days: [mon, tue, wed, thu, fri]
        from: "09:00"
        to: "17:00"
    ---
    apiVersion: catalogue/v1
    kind: Calendar
    id: payroll-round-the-clock
    title: Payroll round the clock
    timezone: Europe/London
    always: true
    """
)

SERVICE = _text(
    """
    apiVersion: catalogue/v1
    kind: Service
    id: payroll
    title: Payroll
    type: customer-facing
    status: live
    owner: payroll-team
    offerings:
      - id: monthly-payroll
        title: Monthly payroll run
        agreement: sla-payroll
    requests:
      - id: payslip-copy
        title: Copy of a payslip
        fulfilment: 2d
    support:
      hours: payroll-office-hours
      channels:
        - {type: email, contact: payroll@example.org}
    """
)

SLA = _text(
    """
    apiVersion: catalogue/v1
    kind: Agreement
    id: sla-payroll
    title: Payroll SLA
    type: SLA
    status: active
    description: Pay staff correctly and on time.
    provider: payroll-team
    customer: finance-office
    services: [payroll]
    period:
      start: 2026-01-01
      end: 2026-12-31
    hours: payroll-office-hours
    availability:
      target: 99.5
      window: month
      maintenance_windows:
        - {title: Release, days: [wed], from: "17:00", to: "18:00", notice: 2d}
    priorities:
      - id: P1
        description: Nobody can be paid
        response: 30m
        resolution: 4h
        hours: payroll-round-the-clock
      - id: P2
        description: Some payslips are wrong
        response: 1h
        resolution: 1d
      - id: P3
        description: A question
        response: 4h
        resolution: 3d
    metrics:
      - {id: accuracy, title: Payslips without errors, target: 99, unit: "%", direction: at-least, window: month}
      - {id: rto, title: Recovery time objective, target: 8, unit: h, direction: at-most}
      - {id: rerun, title: Time to rerun a failed payroll, target: 3d, direction: at-most}
    service_credits:
      - {condition: Payroll run late, credit: 10% of the monthly fee}
      - {condition: Availability below target, credit: 5% of the monthly fee}
    underpinned_by: [ola-payroll-hosting]
    revised: 2026-01-05
    review: {frequency: annual, triggers: [Payroll software changes]}
    clock_stops:
      - {id: reply, when: awaiting the finance office's reply}
    reporting:
      frequency: monthly
      recipients: [finance-office]
      contents: [Payroll runs on time]
    """
)

OLA = _text(
    """
    apiVersion: catalogue/v1
    kind: Agreement
    id: ola-payroll-hosting
    title: Payroll hosting OLA
    type: OLA
    status: active
    provider: payroll-hosting-team
    customer: payroll-team
    services: [payroll]
    period: {start: 2026-01-01}
    hours: payroll-round-the-clock
    priorities:
      - {id: P1, description: Platform down, response: 15m, resolution: 2h}
    underpinned_by: [uc-ledgerly]
    """
)

UC = _text(
    """
    apiVersion: catalogue/v1
    kind: Agreement
    id: uc-ledgerly
    title: Ledgerly payroll software contract
    type: UC
    status: active
    provider: ledgerly
    customer: payroll-hosting-team
    services: [payroll]
    period: {start: 2025-06-01, end: 2028-05-31}
    hours: payroll-round-the-clock
    availability: {target: 99.9, window: month}
    service_credits:
      - {below: 99.9, percent: 10}
      - {below: 99.0, percent: 25}
    service_credit_terms: {of: the licence fee, cap_percent: 50, claim_within_days: 30}
    """
)

FILES = {
    "parties.yaml": PARTIES,
    "calendars.yaml": CALENDARS,
    "service.yaml": SERVICE,
    "sla.yaml": SLA,
    "ola.yaml": OLA,
    "uc.yaml": UC,
}
IDS = {
    "payroll-team", "finance-office", "payroll-hosting-team", "ledgerly", "payroll-office-hours",
    "payroll-short-hours", "payroll-round-the-clock", "payroll", "sla-payroll", "ola-payroll-hosting", "uc-ledgerly",
}
