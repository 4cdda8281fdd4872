"""The numbers of the "Service level health" page: coverage, underpinning, agreements
ending, overdue reviews, and the findings of every rule.

A module of its own because it needs both the figures (figures.py) and the list of
rules (rules.py), which itself uses the figures: kept apart, neither imports the other
back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from service_catalogue.analysis.figures import (
    active_slas,
    active_underpinning,
    ending_within,
    is_active,
    review_next,
    review_overdue,
)
from service_catalogue.analysis.rules import RULES
from service_catalogue.model import Agreement, Catalogue, Entity


@dataclass
class Share:
    """x of y records: the ones that count (with what makes them count) and the ones that do not."""

    hits: list[tuple[Entity, Sequence[Entity]]] = field(default_factory=list)
    misses: list[Entity] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.hits)

    @property
    def total(self) -> int:
        return len(self.hits) + len(self.misses)

    @property
    def percent(self) -> str:
        return f"{round(100 * self.count / self.total)}%" if self.total else "n/a"


@dataclass
class HealthFigures:
    as_of: dt.date
    sla_coverage: Share  # live customer-facing services covered by an active SLA
    underpinning: Share  # active SLAs with an active OLA or UC under them
    ending_30: list[tuple[Agreement, int]]  # active agreements ending within 30 days, with days left
    ending_90: list[tuple[Agreement, int]]
    overdue_reviews: list[tuple[Agreement, dt.date, int]]  # with the due date and days overdue
    findings_by_rule: list[tuple[object, list]]  # (Rule, findings), every rule in order
    disabled: frozenset = frozenset()
    analysed: bool = True  # False: no findings were computed (only the figures are known)

    @property
    def findings(self) -> list:
        return [f for _rule, found in self.findings_by_rule for f in found]


def _ending(catalogue: Catalogue, as_of: dt.date, days: int) -> list[tuple[Agreement, int]]:
    found = [(a, (a.end - as_of).days) for a in catalogue.agreements if ending_within(a, as_of, days)]
    return sorted(found, key=lambda pair: (pair[1], pair[0].title.casefold()))


def health_figures(catalogue: Catalogue, as_of: dt.date, findings=None, disabled=()) -> HealthFigures:
    """The health page's numbers; findings None means that no analysis was run."""
    coverage = Share()
    for service in catalogue.services:
        if service.status == "live" and service.type == "customer-facing":
            slas = active_slas(service)
            if slas:
                coverage.hits.append((service, slas))
            else:
                coverage.misses.append(service)
    underpinning = Share()
    for agreement in catalogue.agreements:
        if agreement.type == "SLA" and is_active(agreement):
            under = active_underpinning(agreement)
            if under:
                underpinning.hits.append((agreement, under))
            else:
                underpinning.misses.append(agreement)
    overdue: list[tuple[Agreement, dt.date, int]] = []
    for agreement in catalogue.agreements:
        due = review_next(agreement)
        if due is not None and review_overdue(agreement, as_of):
            overdue.append((agreement, due, (as_of - due).days))
    overdue.sort(key=lambda item: (-item[2], item[0].title.casefold()))
    by_rule: dict[str, list] = {rule_id: [] for rule_id in RULES}
    for finding in findings or ():
        by_rule.setdefault(finding.rule, []).append(finding)
    return HealthFigures(
        as_of=as_of,
        sla_coverage=coverage,
        underpinning=underpinning,
        ending_30=_ending(catalogue, as_of, 30),
        ending_90=_ending(catalogue, as_of, 90),
        overdue_reviews=overdue,
        findings_by_rule=[(RULES[rule_id], found) for rule_id, found in by_rule.items() if rule_id in RULES],
        disabled=frozenset(disabled),
        analysed=findings is not None,
    )
