"""Service credit tiers and terms (format 1.1): what the schema and the consistency checks
accept, and the located message and hint of each mistake."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from helpers.credits_catalogue import validate_with

AVAILABILITY = "availability: {target: 99.9, window: month}\n"
METRICS = """\
metrics:
  - {id: api, title: API success rate, target: 99.5, unit: "%", direction: at-least, window: month}
  - {id: RTO, title: Recovery time objective, target: 8, unit: h, direction: at-most}
  - {id: csat, title: Satisfaction, target: 4, unit: points, direction: at-least}
"""
# The base SLA has 22 lines; what a test appends starts on line 23.
FIRST = 23


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param("service_credits:\n  - {condition: Availability below target, credit: 5% of the fee}\n", id="v1-words"),
        pytest.param(AVAILABILITY + "service_credits:\n  - {below: 99.9, percent: 10}\n  - {below: 99, percent: 25}\n",
                     id="tiers"),
        pytest.param(AVAILABILITY + "service_credits:\n  - {at_or_below: 99.9, percent: 10}\n", id="at-the-target"),
        pytest.param(AVAILABILITY + "service_credits:\n  - {below: 99.9, condition: Uptime under 99.9%, credit: one free month}\n",
                     id="threshold-with-words"),
        pytest.param("service_credits:\n  - {percent: 10, condition: Any outage, credit: 10% of the fee}\n",
                     id="percent-with-words"),
        pytest.param(AVAILABILITY + METRICS + "service_credits:\n  - {below: 99.5, metric: api, percent: 10}\n"
                     "  - {below: 99.9, percent: 10}\n", id="a-metric-tier-is-its-own-measure"),
        pytest.param("service_credits:\n  - {below: 99.9, percent: 10}\nservice_credit_terms:\n  of: the monthly fee\n"
                     "  cap_percent: 50\n  claim_within_days: 30\n  remedy: Sole remedy\n  notes: [Claim in writing]\n",
                     id="terms"),
    ],
)
def test_valid_credits(tmp_path, extra):
    result = validate_with(tmp_path, extra)
    assert [(p.code, p.message) for p in result.problems] == []


@dataclass(frozen=True)
class Mistake:
    id: str
    extra: str
    line: int  # from FIRST
    column: int
    field: str
    code: str
    message: str
    hint: str


MISTAKES = [
    Mistake("both-thresholds", "service_credits:\n  - {below: 99.9, at_or_below: 99, percent: 10}\n", 1, 19,
            "service_credits[0].at_or_below", "schema.not-allowed", "`at_or_below` is not allowed here",
            "a credit tier has one threshold: keep `below` (it applies under the number) or `at_or_below` "
            "(at or under it), not both"),
    Mistake("percent-without-threshold", "service_credits:\n  - {percent: 10}\n", 1, 6,
            "service_credits[0].percent", "schema.required",
            "the credit has a `percent` but no threshold: it does not say when it applies",
            "add `below:` or `at_or_below:` with the availability (or the `metric`'s value) under which it applies, "
            "for example `below: 99.9`; or write the credit in words with `condition` and `credit`"),
    Mistake("threshold-without-credit", "service_credits:\n  - {below: 99.9}\n", 1, 5,
            "service_credits[0]", "schema.required", "the credit tier has a threshold but no credit",
            "add `percent:` (the credit as a percentage of `service_credit_terms.of`, for example `percent: 10`), "
            "or write the credit in words with `condition` and `credit`"),
    Mistake("threshold-with-a-credit-in-words-but-no-condition", "service_credits:\n  - {below: 99.9, credit: a free month}\n",
            1, 5, "service_credits[0].condition", "schema.required", "missing required field `condition`",
            "a tier whose credit is in words needs its `condition` in words too; or write the credit as `percent:` "
            "(a percentage of `service_credit_terms.of`), and the page writes both"),
    Mistake("v1-credit-missing-its-credit", "service_credits:\n  - {condition: Availability below target}\n", 1, 5,
            "service_credits[0].credit", "schema.required", "missing required field `credit`",
            "add `credit:` (what the customer receives, for example `5% of the monthly fee`)"),
    Mistake("claim-window-not-whole", "service_credit_terms: {claim_within_days: 30.5}\n", 0, 43,
            "service_credit_terms.claim_within_days", "schema.type", "expected a whole number, found the number 30.5",
            "write a whole number, such as `30`"),
    Mistake("claim-window-with-a-unit", "service_credit_terms: {claim_within_days: 30 days}\n", 0, 43,
            "service_credit_terms.claim_within_days", "schema.type", 'expected a whole number, found the text "30 days"',
            "write the number alone, without a unit or quotes: `30`"),
    Mistake("cap-with-a-percent-sign", 'service_credit_terms: {cap_percent: "50%"}\n', 0, 37,
            "service_credit_terms.cap_percent", "schema.type", 'expected a number, found the text "50%"',
            "write the number alone, without a unit or quotes: `50`"),
    Mistake("percent-over-100", "service_credits:\n  - {below: 99.9, percent: 110}\n", 1, 28,
            "service_credits[0].percent", "schema.maximum", "expected a percentage from 0 to 100, found the number 110",
            "write 99.9, not 99.9% or 0.999"),
    Mistake("tier-above-the-target", AVAILABILITY + "service_credits:\n  - {below: 99.95, percent: 10}\n", 2, 13,
            "service_credits[0].below", "credit.above-target",
            "the credit tier below 99.95% starts above the availability target of 99.9%: it credits months that meet the target",
            "a tier applies when availability falls short: use a threshold at or under the target, such as `below: 99.9`"),
    Mistake("at-or-below-above-the-target", AVAILABILITY + "service_credits:\n  - {at_or_below: 99.95, percent: 10}\n",
            2, 19, "service_credits[0].at_or_below", "credit.above-target",
            "the credit tier at or below 99.95% starts above the availability target of 99.9%: it credits months that "
            "meet the target",
            "a tier applies when availability falls short: use a threshold at or under the target, such as `below: 99.9`"),
    Mistake("credit-shrinks-as-availability-falls",
            AVAILABILITY + "service_credits:\n  - {below: 99, percent: 10}\n  - {below: 99.9, percent: 25}\n", 2, 26,
            "service_credits[0].percent", "credit.not-growing",
            "the credit tier of availability below 99% gives 10%, no more than the 25% of the milder tier below 99.9%: "
            "the credit must grow as availability falls",
            "give the lower threshold the higher percent (10% below 99.9%, 25% below 99%); check which threshold each "
            "percent belongs to"),
    Mistake("equal-credit-at-a-lower-threshold",
            AVAILABILITY + "service_credits:\n  - {below: 99.9, percent: 10}\n  - {below: 99, percent: 10}\n", 3, 26,
            "service_credits[1].percent", "credit.not-growing",
            "the credit tier of availability below 99% gives 10%, no more than the 10% of the milder tier below 99.9%: "
            "the credit must grow as availability falls",
            "give the lower threshold the higher percent (10% below 99.9%, 25% below 99%); check which threshold each "
            "percent belongs to"),
    Mistake("same-threshold-twice",
            AVAILABILITY + "service_credits:\n  - {below: 99, percent: 10}\n  - {below: 99, percent: 20}\n", 3, 13,
            "service_credits[1].below", "credit.duplicate-tier",
            "two credit tiers of availability apply below 99% (the other is service_credits[0])",
            "each tier of one measure has its own threshold; merge them or correct one threshold"),
    Mistake("metric-misspelt", METRICS + "service_credits:\n  - {below: 99, metric: API, percent: 10}\n", 5, 25,
            "service_credits[0].metric", "credit.metric-missing", "`API` names no metric of this agreement",
            "did you mean `api`?"),
    Mistake("metric-without-metrics", "service_credits:\n  - {below: 99, metric: api, percent: 10}\n", 1, 25,
            "service_credits[0].metric", "credit.metric-missing", "`api` names no metric of this agreement",
            "this agreement has no `metrics`; leave `metric` out for an availability tier"),
    Mistake("metric-at-most", METRICS + "service_credits:\n  - {below: 99, metric: RTO, percent: 10}\n", 5, 25,
            "service_credits[0].metric", "credit.metric-at-most",
            "metric `RTO` must stay at most its target, but a credit tier applies when the value falls below 99%: "
            "that is when the metric does well",
            "a tier's threshold is for a measure where lower is worse (availability, an `at-least` metric); write a "
            "credit for an `at-most` metric in words with `condition` and `credit`"),
    Mistake("metric-in-points", METRICS + "service_credits:\n  - {below: 3, metric: csat, percent: 10}\n", 5, 24,
            "service_credits[0].metric", "credit.metric-not-percent",
            "a credit threshold is a percent, but metric `csat` is measured in points",
            "a tier can only be about availability or a metric whose unit is `%`; write this credit in words with "
            "`condition` and `credit`"),
    Mistake("metric-credit-shrinks", METRICS + "service_credits:\n  - {below: 99.5, metric: api, percent: 20}\n"
            "  - {below: 98, metric: api, percent: 5}\n", 6, 39,
            "service_credits[1].percent", "credit.not-growing",
            "the credit tier of metric api below 98% gives 5%, no more than the 20% of the milder tier below 99.5%: "
            "the credit must grow as the metric falls",
            "give the lower threshold the higher percent (10% below 99.9%, 25% below 99%); check which threshold each "
            "percent belongs to"),
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_each_mistake_is_one_located_problem_with_its_hint(tmp_path, mistake):
    result = validate_with(tmp_path, mistake.extra)
    assert [(p.location.line, p.location.column, p.field, p.code, p.message, p.hint) for p in result.problems] == [
        (FIRST + mistake.line, mistake.column, mistake.field, mistake.code, mistake.message, mistake.hint)
    ]
    assert result.problems[0].location.file.endswith("agreements/sla-email.yaml")


def test_a_duration_target_has_no_percent_scale(tmp_path):
    """A metric whose target is not a number (a duration, 1.1) cannot carry a credit tier,
    whether or not the schema of this build takes the duration."""
    from service_catalogue.validation.checks import check_service_credits
    from service_catalogue.validation.loader import Record

    data = {
        "kind": "Agreement", "id": "sla-x", "title": "X",
        "metrics": [{"id": "resp", "title": "Response", "target": "3d", "direction": "at-least"}],
        "service_credits": [{"below": 99, "metric": "resp", "percent": 10}],
    }
    record = Record(data=data, file="x.yaml", path=tmp_path / "x.yaml", document=0, positions={})
    assert [(p.code, p.message) for p in check_service_credits(record)] == [
        ("credit.metric-not-percent", "a credit threshold is a percent, but metric `resp` has a duration target")
    ]
