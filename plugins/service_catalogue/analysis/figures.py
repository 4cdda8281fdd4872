"""Derived service level figures: downtime budgets, covered hours, availability ceilings,
and the service level management figures of the health page.

Definitions (docs/health-checks.md explains them for readers):

- An agreement is *in play* when its status is `active` or `draft`: expired,
  terminated and superseded agreements are history and take no part in the
  chain. Coverage figures count only `active` agreements.
- The *availability ceiling* of an agreement is the highest availability it can
  promise given what it relies on: the product of the availability targets of
  (a) the in-play agreements that underpin it (`underpinned_by`) and (b), for
  an SLA, for each hard dependency of the services it covers, the highest
  availability target among that dependency's in-play SLAs. A dependency that one of the
  underpinning agreements already covers is not counted twice, and neither is
  a dependency that the agreement itself covers. 99.9% and 99.5% in series
  give 0.999 x 0.995 = 99.4005%.
- The availability ceiling of a service is the same product over the
  underpinning agreements of all its in-play SLAs and its own hard
  dependencies.
- Percentages are multiplied as they are: the figure does not correct for
  different windows or service hours. It is a ceiling, not a forecast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service_catalogue.model import Agreement, Calendar, Entity, Service

IN_PLAY = ("active", "draft")


# -- predicates shared by the rules and the figures ----------------------------


def in_play(agreement: Agreement) -> bool:
    return agreement.status in IN_PLAY


def is_active(agreement: Agreement) -> bool:
    return agreement.status == "active"


def availability_target(agreement: Agreement) -> float | None:
    availability = agreement.get("availability")
    return availability.get("target") if isinstance(availability, dict) else None


def active_slas(service: Service) -> list[Agreement]:
    """Active SLAs that cover the service: by naming it in `services`, or behind one of its offerings."""
    found = {a.id: a for a in service.agreements if a.type == "SLA" and is_active(a)}
    for _offering, agreement in service.offerings:
        if agreement is not None and agreement.kind == "Agreement" and agreement.type == "SLA" and is_active(agreement):
            found.setdefault(agreement.id, agreement)
    return sorted(found.values(), key=lambda a: a.title.casefold())


def active_underpinning(agreement: Agreement) -> list[Agreement]:
    return [a for a in agreement.underpinned_by if is_active(a) and a.type in ("OLA", "UC")]


def review_next(agreement: Agreement) -> dt.date | None:
    due = agreement.review_due
    return due[0] if due else None


def review_overdue(agreement: Agreement, as_of: dt.date) -> bool:
    due = review_next(agreement)
    return is_active(agreement) and due is not None and due < as_of


def ending_within(agreement: Agreement, as_of: dt.date, days: int) -> bool:
    return is_active(agreement) and agreement.ends_within(as_of, days)


# -- numbers and how they are written ------------------------------------------


def format_percent(value: float | None) -> str:
    """99.4005 -> "99.4005", 99.5 -> "99.5", 100.0 -> "100" (at most 6 decimals)."""
    if value is None:
        return "n/a"
    text = f"{round(value, 6):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def composite_availability(percents) -> float:
    """Availability of parts in series, as a percentage: the product of their availabilities."""
    product = 1.0
    for percent in percents:
        product *= percent / 100
    return product * 100


def covered_hours_per_week(entity) -> float | None:
    """Covered hours per week of a calendar, or of an agreement's service hours."""
    if isinstance(entity, Calendar):
        return entity.hours_per_week
    if isinstance(entity, Agreement) and entity.calendar is not None:
        return entity.calendar.hours_per_week
    if isinstance(entity, Service) and entity.support_calendar is not None:
        return entity.support_calendar.hours_per_week
    return None


def downtime_budget_minutes(agreement) -> float | None:
    """(100 - target)% of the covered minutes in one availability window."""
    return agreement.downtime_budget_minutes if isinstance(agreement, Agreement) else None


# -- availability ceilings -------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    agreement: Agreement  # whose availability target counts
    percent: float
    via: Service | None = None  # the hard dependency whose SLA this is; None for an underpinning agreement

    @property
    def words(self) -> str:
        if self.via is None:
            return f"{format_percent(self.percent)}% ({self.agreement.title})"
        return f"{format_percent(self.percent)}% ({self.agreement.title}, for {self.via.title})"


@dataclass(frozen=True)
class Ceiling:
    percent: float
    parts: tuple[Contribution, ...]

    @property
    def text(self) -> str:
        return format_percent(self.percent)

    @property
    def explanation(self) -> str:
        """"99.9% (A) x 99.5% (B) = 99.4005%"."""
        return " × ".join(part.words for part in self.parts) + f" = {self.text}%"

    def to_dict(self) -> dict:
        return {
            "percent": round(self.percent, 6),
            "from": [
                {"agreement": p.agreement.id, "percent": p.percent, **({"via_service": p.via.id} if p.via else {})}
                for p in self.parts
            ],
        }


def _best_sla(service: Service, exclude: set[str]) -> Agreement | None:
    candidates = [
        a for a in service.agreements
        if a.type == "SLA" and in_play(a) and a.id not in exclude and availability_target(a) is not None
    ]
    return max(candidates, key=lambda a: (availability_target(a), a.status == "active", a.id), default=None)


def _ceiling(underpinning: list[Agreement], services: list[Service], exclude: set[str]) -> Ceiling | None:
    parts: list[Contribution] = []
    seen_agreements: set[str] = set()
    for agreement in underpinning:
        target = availability_target(agreement)
        if agreement.id in seen_agreements or not in_play(agreement) or target is None:
            continue
        seen_agreements.add(agreement.id)
        parts.append(Contribution(agreement, target))
    covered = {s.id for a in underpinning if a.id in seen_agreements for s in a.services}
    covered.update(s.id for s in services)
    seen_services: set[str] = set()
    for service in services:
        for dependency, entry in service.dependencies:
            if entry.get("criticality") != "hard" or dependency.id in covered or dependency.id in seen_services:
                continue
            seen_services.add(dependency.id)
            sla = _best_sla(dependency, exclude | seen_agreements)
            if sla is not None:
                seen_agreements.add(sla.id)
                sla_target = availability_target(sla)
                assert sla_target is not None  # _best_sla picks only agreements with one
                parts.append(Contribution(sla, sla_target, dependency))
    if not parts:
        return None
    return Ceiling(composite_availability(p.percent for p in parts), tuple(parts))


def agreement_ceiling(agreement: Agreement) -> Ceiling | None:
    """What the agreement's underpinning agreements and its services' hard dependencies allow together.

    Hard dependencies count for SLAs only: an OLA or a supplier's UC does not rely
    on the SLAs of the services that depend on what it covers.
    """
    services = agreement.services if agreement.type == "SLA" else []
    return _ceiling(agreement.underpinned_by, services, {agreement.id})


def service_ceiling(service: Service) -> Ceiling | None:
    """What the service's in-play SLAs rely on, and its hard dependencies, allow together."""
    slas = [a for a in service.agreements if a.type == "SLA" and in_play(a)]
    underpinning = [u for sla in slas for u in sla.underpinned_by]
    return _ceiling(underpinning, [service], {a.id for a in slas})


def availability_ceiling(entity) -> Ceiling | None:
    if isinstance(entity, Agreement):
        return agreement_ceiling(entity)
    if isinstance(entity, Service):
        return service_ceiling(entity)
    return None


def derived_figures(entity: Entity) -> dict:
    """Figures added to an entity's "derived" in catalogue.json (next to the exporter's own)."""
    derived: dict = {}
    if isinstance(entity, (Agreement, Service)):
        ceiling = availability_ceiling(entity)
        if ceiling is not None:
            derived["availability_ceiling"] = ceiling.to_dict()
    if isinstance(entity, Agreement) and entity.priorities:
        derived["priorities"] = {
            p.id: {
                "response_minutes": None if p.response_minutes is None else round(p.response_minutes, 2),
                "resolution_minutes": None if p.resolution_minutes is None else round(p.resolution_minutes, 2),
                "hours": p.calendar.id if p.calendar is not None else None,
            }
            for p in entity.priorities
        }
    return derived


def template_globals() -> dict:
    """Functions the page templates may call (registered as Jinja globals by the renderer)."""
    return {
        "availability_ceiling": availability_ceiling,
        "downtime_budget_minutes": downtime_budget_minutes,
        "covered_hours_per_week": covered_hours_per_week,
        "format_percent": format_percent,
        "findings_for": lambda entity: [],  # replaced by the renderer when findings are known
    }


# -- the health page ------------------------------------------------------------
