"""Who feels a change: the SLAs behind a changed OLA or UC, the users of a changed calendar.

The links are followed in HEAD's model, or in BASE's for a removed record,
since that is where the removed record was still linked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service_catalogue.model import Agreement, Entity, Service
from service_catalogue.diff.compare import RecordChange
from service_catalogue.diff.rules import Verdict

VERBS: dict[Verdict, str] = {"weakened": "weakens", "strengthened": "strengthens", "neutral": "affects"}


@dataclass
class Impact:
    entity: Entity  # the agreement or service affected
    relation: str  # "is backed by it", "service hours", "P1 hours", "support hours"
    via: list[str] = field(default_factory=list)  # ids of the agreements in between, nearest first
    message: str = ""

    @property
    def customer(self):
        return self.entity.customer if isinstance(self.entity, Agreement) else None

    @property
    def services(self) -> list[Service]:
        return self.entity.services if isinstance(self.entity, Agreement) else []


def find_impact(record: RecordChange) -> list[Impact]:
    """The impacts of one judged record change, each with its message."""
    entity = record.entity
    if isinstance(entity, Agreement) and entity.type in ("OLA", "UC"):
        impacts = backed_agreements(entity)
    elif entity.kind == "Calendar":
        # Calendars that inherit its holidays feel a change of them, not of its weekly hours.
        holidays = any(change.pattern.startswith("holidays") or not change.path for change in record.fields)
        impacts = calendar_users(entity, follow_inheritance=holidays)
    else:
        return []
    verb = VERBS[record.verdict]
    for impact in impacts:
        impact.message = _message(impact, verb)
    return impacts


def backed_agreements(agreement: Agreement, via: tuple[str, ...] = ()) -> list[Impact]:
    """Every SLA that the agreement underpins, directly or through other OLAs and UCs."""
    found: dict[str, Impact] = {}
    queue = [(agreement, via)]
    seen = {agreement.id}
    while queue:  # breadth first, so each SLA is reached by its shortest chain
        current, chain = queue.pop(0)
        for upper in current.underpins:
            if upper.id in seen:
                continue
            seen.add(upper.id)
            if upper.type == "SLA":
                found[upper.id] = Impact(upper, "is backed by it", list(chain))
            queue.append((upper, chain + (upper.id,)))
    return sorted(found.values(), key=_impact_order)


def calendar_users(calendar: Entity, follow_inheritance: bool = False) -> list[Impact]:
    """The agreements and services that keep time by the calendar, and the SLAs backed by those;
    with follow_inheritance, also those of the calendars that inherit its holidays (holidays_from,
    transitively), each through the calendar it uses."""
    uses: dict[str, tuple[Entity, list[str]]] = {}  # id -> (user, what it keeps by the calendar)
    through: dict[str, list[str]] = {}  # user id -> the inheriting calendars between, nearest first
    calendars: list[tuple[Entity, list[str]]] = [(calendar, [])]
    seen = {calendar.id}
    while calendars:
        current, chain = calendars.pop(0)
        for link in current.incoming:
            if link.field.path == "holidays_from[]":
                if follow_inheritance and link.source.id not in seen:
                    seen.add(link.source.id)
                    calendars.append((link.source, chain + [link.source.id]))
                continue
            _note_use(link, uses)
            through.setdefault(link.source.id, chain)
    impacts = [Impact(user, _hours_relation(names), list(through[user.id])) for user, names in uses.values()]
    for impact in list(impacts):
        if isinstance(impact.entity, Agreement) and impact.entity.type in ("OLA", "UC"):
            for backed in backed_agreements(impact.entity, (*impact.via, impact.entity.id)):
                if backed.entity.id not in uses:
                    impacts.append(backed)
    return sorted(impacts, key=_impact_order)


def _note_use(link, uses: dict[str, tuple[Entity, list[str]]]) -> None:
    """What the link's source keeps by the calendar: a priority's hours, support or service hours."""
    source = link.source
    if link.field.path == "priorities[].hours":
        use = source.data["priorities"][link.path[1]]["id"]
    elif link.field.path == "support.hours":
        use = "support"
    else:
        use = "service"
    uses.setdefault(source.id, (source, []))[1].append(use)


def _hours_relation(uses: list[str]) -> str:
    """['service', 'P1', 'P2'] -> 'service hours and P1 and P2 hours'."""
    priorities = [use for use in uses if use not in ("service", "support")]
    parts = [f"{use} hours" for use in ("service", "support") if use in uses]
    if priorities:
        names = priorities[0] if len(priorities) == 1 else f"{', '.join(priorities[:-1])} and {priorities[-1]}"
        parts.append(f"{names} hours")
    return " and ".join(parts)


def _impact_order(impact: Impact):
    """SLAs first (what customers hold), then OLAs and UCs, then services; by id within each."""
    entity = impact.entity
    rank = {"SLA": 0, "OLA": 1, "UC": 1}.get(entity.get("type"), 2) if entity.kind == "Agreement" else 3
    return rank, entity.id


def _message(impact: Impact, verb: str) -> str:
    entity = impact.entity
    if entity.kind == "Service":
        return f"this change {verb} the {impact.relation} of service {entity.title} ({entity.id})"
    name = f"{entity['type']} {entity.title} ({entity.id})"
    customer = f" for customer {impact.customer.title}" if impact.customer else ""
    through = f", through {' and '.join(impact.via)}" if impact.via else ""
    if impact.relation == "is backed by it":
        return f"this change {verb} what backs {name}{customer}{through}"
    return f"this change {verb} the {impact.relation} of {name}{customer}{through}"
