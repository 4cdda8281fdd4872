"""Service credit tiers, read one way for every stage: validation, the page, `check` and `diff`.

A tier of `service_credits` with a threshold (`below` or `at_or_below`) is about
one measure: availability, or the agreement's metric that `metric` names. It
applies when the measured value is under its threshold (or at or under it), so
of two tiers of one measure the one with the higher threshold applies first:
it is the milder one. A tier without a threshold is a v1 credit, a condition
and a credit in words, and has no place in that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Comparison = Literal["below", "at_or_below"]
COMPARISONS: tuple[Comparison, ...] = ("below", "at_or_below")
COMPARISON_WORDS = {"below": "below", "at_or_below": "at or below"}
AVAILABILITY = "availability"  # the measure of a tier without `metric`
FEE_NOT_STATED = "the fee (not stated)"


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def percent_words(value) -> str:
    """99.9 -> "99.9%", 10 -> "10%"."""
    return f"{value:g}%" if _number(value) is not None else str(value)


@dataclass(frozen=True)
class CreditTier:
    index: int  # its position in service_credits
    data: dict
    metric: str | None  # the local metric id it is about; None: availability
    comparison: Comparison
    threshold: float

    @property
    def percent(self) -> float | None:
        return _number(self.data.get("percent"))

    @property
    def measure(self) -> str:
        """What the tier measures: `availability`, or the metric's id."""
        return self.metric if self.metric is not None else AVAILABILITY

    @property
    def applies_words(self) -> str:
        """ "below 99.9%", "at or below 99%". """
        return f"{COMPARISON_WORDS[self.comparison]} {percent_words(self.threshold)}"

    @property
    def key(self) -> str:
        """The tier's name among the agreement's tiers: "availability below 99.9%",
        "metric api-uptime at or below 99%" (the diff names a changed tier by it)."""
        measure = AVAILABILITY if self.metric is None else f"metric {self.metric}"
        return f"{measure} {self.applies_words}"

    @property
    def rank(self) -> tuple[float, int]:
        """Higher applies sooner (is milder): a higher threshold, and at the same number
        `at_or_below`, which also takes the value itself."""
        return (self.threshold, 1 if self.comparison == "at_or_below" else 0)


def credit_tier(item, index: int) -> CreditTier | None:
    """The tier an item of service_credits writes, or None for one without a (single,
    numeric) threshold: a v1 credit in words, or one the schema refuses."""
    if not isinstance(item, dict):
        return None
    written = [(c, _number(item.get(c))) for c in COMPARISONS if c in item]
    if len(written) != 1 or written[0][1] is None:
        return None
    comparison, threshold = written[0]
    assert threshold is not None  # tested just above; mypy does not follow it into the tuple
    metric = item.get("metric")
    return CreditTier(index, item, metric if isinstance(metric, str) else None, comparison, threshold)


def credit_tiers(data: dict) -> list[CreditTier]:
    """The tiers with a threshold of an agreement's data, in the order written."""
    found = []
    for index, item in enumerate(data.get("service_credits") or ()):
        tier = credit_tier(item, index)
        if tier is not None:
            found.append(tier)
    return found


def by_measure(tiers: list[CreditTier]) -> dict[str, list[CreditTier]]:
    """The tiers of each measure (availability first, then metrics as written), mildest first."""
    groups: dict[str, list[CreditTier]] = {}
    for tier in sorted(tiers, key=lambda t: t.metric is not None):
        groups.setdefault(tier.measure, []).append(tier)
    return {measure: sorted(group, key=lambda t: t.rank, reverse=True) for measure, group in groups.items()}


def credit_terms(data: dict) -> dict:
    terms = data.get("service_credit_terms")
    return terms if isinstance(terms, dict) else {}


def of_words(data: dict) -> str:
    """What a credit's percent is of, as written ("the monthly fee"), or "the fee (not stated)"."""
    of = credit_terms(data).get("of")
    return of if isinstance(of, str) and of else FEE_NOT_STATED


def credit_words(tier: CreditTier, data: dict) -> str:
    """ "10% of the monthly fee"; the written credit when the tier has no percent."""
    if tier.percent is not None:
        return f"{percent_words(tier.percent)} of {of_words(data)}"
    credit = tier.data.get("credit")
    return credit if isinstance(credit, str) else "not stated"


@dataclass(frozen=True)
class CreditRow:
    applies: str  # "below 99.9%", with the written condition after it when there is one
    credit: str  # "10% of the monthly fee"


@dataclass(frozen=True)
class CreditTable:
    heading: str  # "Availability in a month", "API success rate in a month"
    rows: tuple[CreditRow, ...]  # mildest first


def window_words(window) -> str:
    """ "a month"; "a window (not stated)" when nobody wrote one."""
    return f"a {window}" if isinstance(window, str) and window else "a window (not stated)"


def availability_window(data: dict) -> str | None:
    availability = data.get("availability")
    window = availability.get("window") if isinstance(availability, dict) else None
    return window if isinstance(window, str) else None


def credit_tables(data: dict) -> list[CreditTable]:
    """The tiers with a threshold, one table per measure, as the agreement's page shows them."""
    metrics = {m.get("id"): m for m in data.get("metrics") or () if isinstance(m, dict)}
    tables = []
    for measure, tiers in by_measure(credit_tiers(data)).items():
        if tiers[0].metric is None:
            heading = f"Availability in {window_words(availability_window(data))}"
        else:
            metric = metrics.get(measure) or {}
            heading = f"{metric.get('title', measure)} in {window_words(metric.get('window'))}"
        rows = []
        for tier in tiers:
            condition = tier.data.get("condition")
            applies = f"{tier.applies_words} ({condition})" if isinstance(condition, str) else tier.applies_words
            rows.append(CreditRow(applies, credit_words(tier, data)))
        tables.append(CreditTable(heading, tuple(rows)))
    return tables


def credits_in_words(data: dict) -> list[dict]:
    """The credits without a threshold: a condition and a credit in words (the v1 form)."""
    return [
        item for index, item in enumerate(data.get("service_credits") or ())
        if isinstance(item, dict) and credit_tier(item, index) is None
    ]


def terms_sentences(data: dict) -> list[str]:
    """The terms under the credit tables, one sentence each; [] without service_credit_terms
    and percent tiers. A term nobody wrote is said to be not stated, never guessed."""
    terms = credit_terms(data)
    with_percent = any(tier.percent is not None for tier in credit_tiers(data))
    if not terms and not with_percent:
        return []
    of = of_words(data)
    sentences = [f"Credits are a percentage of {of}."] if with_percent or "of" in terms else []
    if not terms:
        return sentences
    window = availability_window(data) or "availability window (not stated)"
    cap = _number(terms.get("cap_percent"))
    if cap is not None:
        sentences.append(f"All credits in one {window} are capped at {percent_words(cap)} of {of}.")
    else:
        sentences.append("A cap on the credits is not stated.")
    days = terms.get("claim_within_days")
    if isinstance(days, int) and not isinstance(days, bool):
        sentences.append(f"Claim within {days} calendar day{'s' * (days != 1)} of the end of the {window}.")
    else:
        sentences.append("The time to claim a credit is not stated.")
    return sentences
