"""The `check` rules on service credits: each finds its case, and only that."""

from __future__ import annotations

import pytest

import service_catalogue as sc
from helpers.credits_catalogue import FIRST_LINE, options, validate_with

AVAILABILITY = "availability: {target: 99.9, window: month}\n"
RULE_IDS = ("credits.no-availability-target", "credits.tier-above-cap", "credits.terms-without-tiers")


def _findings(tmp_path, extra: str):
    result = validate_with(tmp_path, extra)
    assert result.ok, [p.message for p in result.problems]
    findings = sc.analyse(sc.link(result), options(tmp_path))
    return [(f.rule, f.message, f.location.line, f.field) for f in findings if f.rule in RULE_IDS]


@pytest.mark.parametrize(
    "extra, expected",
    [
        pytest.param("service_credits:\n  - {below: 99.9, percent: 10}\n", [(
            "credits.no-availability-target",
            "Email for staff has a service credit for availability below 99.9%, but states no availability target: "
            "add `availability` with its target and window, or give the tier a `metric`",
            FIRST_LINE + 1, "service_credits[0]")], id="tier-without-target"),
        pytest.param(AVAILABILITY + "service_credits:\n  - {below: 99.9, percent: 10}\n  - {below: 95, percent: 60}\n"
                     "service_credit_terms: {cap_percent: 50}\n", [(
            "credits.tier-above-cap",
            "In Email for staff, the credit tier availability below 95% gives 60%, more than the cap of 50% on all "
            "credits in one window: the customer is never paid it",
            FIRST_LINE + 3, "service_credits[1].percent")], id="tier-above-cap"),
        pytest.param(AVAILABILITY + "service_credit_terms: {of: the monthly fee}\n", [(
            "credits.terms-without-tiers",
            "Email for staff has service credit terms but lists no service credit: add the tiers to "
            "`service_credits`, or remove the terms",
            FIRST_LINE + 1, "service_credit_terms")], id="terms-without-tiers"),
        pytest.param(AVAILABILITY + "service_credits:\n  - {below: 99.9, percent: 10}\n  - {below: 95, percent: 50}\n"
                     "service_credit_terms: {cap_percent: 50}\n", [], id="a-tier-at-the-cap-is-fine"),
        pytest.param("service_credits:\n  - {condition: Outage, credit: 5%}\n", [], id="credits-in-words-need-no-target"),
    ],
)
def test_credit_rules(tmp_path, extra, expected):
    assert _findings(tmp_path, extra) == expected


def test_the_rules_are_documented():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "health-checks.md").read_text("utf-8")
    for rule_id in RULE_IDS:
        assert f"### `{rule_id}`" in text
