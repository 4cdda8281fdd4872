"""`diff` on service credit tiers and terms: one row per field and rule, both directions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import service_catalogue as sc
from helpers.credits_catalogue import validate_with

AVAILABILITY = "availability: {target: 99.9, window: month}\n"
TIERS = "service_credits:\n  - {below: 99.9, percent: 10}\n  - {below: 99, percent: 25}\n"
TERMS = "service_credit_terms:\n  of: the monthly fee\n  cap_percent: 50\n  claim_within_days: 30\n  remedy: Sole remedy\n"


@dataclass(frozen=True)
class Row:
    id: str
    base: str
    head: str
    changes: list  # (field, before words, after words, verdict, rule, reason)


ROWS = [
    Row("percent-down", AVAILABILITY + TIERS + TERMS,
        AVAILABILITY + TIERS.replace("percent: 10", "percent: 5") + TERMS,
        [("service_credits[availability below 99.9%].percent", "10% of the monthly fee", "5% of the monthly fee",
          "weakened", "service-credit-percent", "availability below 99.9%: 10% -> 5% of the monthly fee")]),
    Row("percent-up", AVAILABILITY + TIERS, AVAILABILITY + TIERS.replace("percent: 25", "percent: 30"),
        [("service_credits[availability below 99%].percent", "25% of the fee (not stated)",
          "30% of the fee (not stated)", "strengthened", "service-credit-percent",
          "availability below 99%: 25% -> 30% of the fee (not stated)")]),
    Row("reordered-is-no-change", AVAILABILITY + TIERS,
        AVAILABILITY + "service_credits:\n  - {below: 99, percent: 25}\n  - {below: 99.9, percent: 10}\n", []),
    Row("threshold-down", AVAILABILITY + TIERS, AVAILABILITY + TIERS.replace("below: 99.9", "below: 99.5"),
        [("service_credits[availability below 99.5%]", "availability below 99.9%: 10% of the fee (not stated)",
          "availability below 99.5%: 10% of the fee (not stated)", "weakened", "service-credit-threshold",
          "availability below 99.9% -> below 99.5%: the credit starts later")]),
    Row("threshold-up", AVAILABILITY + TIERS, AVAILABILITY + TIERS.replace("below: 99,", "below: 99.5,"),
        [("service_credits[availability below 99.5%]", "availability below 99%: 25% of the fee (not stated)",
          "availability below 99.5%: 25% of the fee (not stated)", "strengthened", "service-credit-threshold",
          "availability below 99% -> below 99.5%: the credit starts sooner")]),
    Row("below-to-at-or-below", AVAILABILITY + TIERS, AVAILABILITY + TIERS.replace("below: 99.9", "at_or_below: 99.9"),
        [("service_credits[availability at or below 99.9%]", "availability below 99.9%: 10% of the fee (not stated)",
          "availability at or below 99.9%: 10% of the fee (not stated)", "strengthened", "service-credit-threshold",
          "availability below 99.9% -> at or below 99.9%: the credit starts sooner")]),
    Row("threshold-down-and-credit-up-is-for-a-person", AVAILABILITY + TIERS,
        AVAILABILITY + TIERS.replace("{below: 99.9, percent: 10}", "{below: 99.5, percent: 15}"),
        [("service_credits[availability below 99.5%]", "availability below 99.9%: 10% of the fee (not stated)",
          "availability below 99.5%: 15% of the fee (not stated)", "neutral", "service-credit-threshold",
          "availability below 99.9% -> below 99.5%: the credit starts later but credits more (10% -> 15%); read it")]),
    Row("tier-removed", AVAILABILITY + TIERS, AVAILABILITY + "service_credits:\n  - {below: 99.9, percent: 10}\n",
        [("service_credits[availability below 99%]", "availability below 99%: 25% of the fee (not stated)", "none",
          "weakened", "service-credits",
          "the service credit availability below 99%: 25% of the fee (not stated) is removed")]),
    Row("tier-added", AVAILABILITY + "service_credits:\n  - {below: 99.9, percent: 10}\n", AVAILABILITY + TIERS,
        [("service_credits[availability below 99%]", "none", "availability below 99%: 25% of the fee (not stated)",
          "strengthened", "service-credits",
          "the service credit availability below 99%: 25% of the fee (not stated) is added")]),
    Row("words-become-a-tier", AVAILABILITY + "service_credits:\n  - {condition: Uptime under 99.9%, credit: 10% of the fee}\n",
        AVAILABILITY + "service_credits:\n  - {below: 99.9, percent: 10}\n",
        [("service_credits[availability below 99.9%]", "Uptime under 99.9%: 10% of the fee",
          "availability below 99.9%: 10% of the fee (not stated)", "neutral", "service-credit-threshold",
          "the service credit is now written as a tier with a threshold: Uptime under 99.9%: 10% of the fee -> "
          "availability below 99.9%: 10% of the fee (not stated); compare the two")]),
    Row("cap-down", TIERS + TERMS, TIERS + TERMS.replace("cap_percent: 50", "cap_percent: 25"),
        [("service_credit_terms.cap_percent", "50% of the monthly fee", "25% of the monthly fee", "weakened",
          "service-credit-cap",
          "the cap on credits goes down from 50% of the monthly fee to 25% of the monthly fee")]),
    Row("cap-removed", TIERS + TERMS, TIERS + TERMS.replace("  cap_percent: 50\n", ""),
        [("service_credit_terms.cap_percent", "50% of the monthly fee", "none", "strengthened", "service-credit-cap",
          "the cap on credits (50% of the monthly fee) is removed")]),
    Row("cap-added", TIERS + TERMS.replace("  cap_percent: 50\n", ""), TIERS + TERMS,
        [("service_credit_terms.cap_percent", "none", "50% of the monthly fee", "weakened", "service-credit-cap",
          "the credits are now capped at 50% of the monthly fee")]),
    Row("claim-window-shorter", TIERS + TERMS, TIERS + TERMS.replace("claim_within_days: 30", "claim_within_days: 14"),
        [("service_credit_terms.claim_within_days", "30 calendar days", "14 calendar days", "weakened",
          "service-credit-claim-window", "the time to claim a credit goes down from 30 calendar days to 14 calendar days")]),
    Row("claim-window-longer", TIERS + TERMS, TIERS + TERMS.replace("claim_within_days: 30", "claim_within_days: 45"),
        [("service_credit_terms.claim_within_days", "30 calendar days", "45 calendar days", "strengthened",
          "service-credit-claim-window", "the time to claim a credit goes up from 30 calendar days to 45 calendar days")]),
    Row("of-is-wording", TIERS + TERMS, TIERS + TERMS.replace("the monthly fee", "the monthly subscription fee"),
        [("service_credit_terms.of", "the monthly fee", "the monthly subscription fee", "neutral", "text-only",
          "service_credit_terms.of is reworded")]),
    Row("remedy-is-wording", TIERS + TERMS, TIERS + TERMS.replace("Sole remedy", "Sole and exclusive remedy"),
        [("service_credit_terms.remedy", "Sole remedy", "Sole and exclusive remedy", "neutral", "text-only",
          "service_credit_terms.remedy is reworded")]),
    Row("note-added-is-wording", TIERS + TERMS, TIERS + TERMS + "  notes: [Claim in writing]\n",
        [("service_credit_terms.notes[Claim in writing]", "none", "Claim in writing", "neutral", "text-only",
          "service_credit_terms.notes[Claim in writing] is reworded")]),
    Row("terms-added", TIERS, TIERS + TERMS,
        [("service_credit_terms", "none",
          "of the monthly fee; cap 50%; claim within 30 calendar days; remedy: Sole remedy", "weakened",
          "service-credit-terms", "service credit terms with a cap and a time to claim are added: of the monthly fee; "
          "cap 50%; claim within 30 calendar days; remedy: Sole remedy")]),
    Row("terms-removed", TIERS + TERMS, TIERS,
        [("service_credit_terms", "of the monthly fee; cap 50%; claim within 30 calendar days; remedy: Sole remedy",
          "none", "strengthened", "service-credit-terms",
          "the service credit terms, with a cap and a time to claim, are removed: of the monthly fee; cap 50%; "
          "claim within 30 calendar days; remedy: Sole remedy")]),
    Row("v1-words-still-by-position", "service_credits:\n  - {condition: Outage, credit: 5% of the fee}\n",
        "service_credits:\n  - {condition: Outage, credit: 10% of the fee}\n",
        [("service_credits[0].credit", "5% of the fee", "10% of the fee", "neutral", "text-only",
          "service_credits[0].credit is reworded")]),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_each_credit_change_is_judged(tmp_path, row):
    base, head = validate_with(tmp_path, row.base, "base"), validate_with(tmp_path, row.head, "head")
    assert base.ok and head.ok, [p.message for p in base.problems + head.problems]
    changes = sc.compare(base, head)
    found = [
        (c.field, c.before_words, c.after_words, c.verdict, c.rule, c.reason)
        for record in changes for c in record.fields
    ]
    assert found == row.changes


def test_every_service_credit_rule_has_a_row():
    from service_catalogue.diff.rules import RULES

    credit_rules = {rule.id for rule in RULES if rule.id.startswith("service-credit")}
    tested = {change[4] for row in ROWS for change in row.changes}
    assert credit_rules <= tested
