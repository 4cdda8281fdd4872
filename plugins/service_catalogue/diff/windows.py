"""Breach windows that a change opens, closes or moves (issue 16).

A breach window (analysis/timeline.py) is the set of start times at which a ticket would
be due from an underpinning agreement later than it is due to the customer above. A
change to a calendar, a priority or an underpinning agreement can open one where there
was none, even a change that reads as a strengthening (a shorter SLA target above an
unchanged OLA). The windows of both sides are matched by (upper agreement, its target,
lower agreement) and compared:

    opened   in HEAD, not in BASE: weakened, since the upper target is now at risk
    closed   in BASE, not in HEAD: strengthened
    changed  in both, its share of the period or its worst gap moved noticeably: weakened
             when either grew (as a reviewer must see it), strengthened when they shrank

Only the agreements that a change can reach are searched: an agreement's windows depend
on its own targets, the agreements under it (and between), the calendars their clocks
count in (and the calendars those inherit holidays from) and the as-of date, so a window
whose agreements and calendars are all unchanged is the same on both sides. Each side's
search runs on a catalogue of the reached agreements, everything under them, and every
record of the other kinds; it costs what the change touches, not the whole catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from service_catalogue.analysis.timeline import ChainBreach, Clock, chain_breaches, share_words
from service_catalogue.model import Agreement, Calendar, Catalogue
from service_catalogue.timeplan import format_minutes
from service_catalogue.validation.problems import Location
from service_catalogue.diff.compare import RecordChange
from service_catalogue.diff.impact import calendar_users
from service_catalogue.diff.rules import NEUTRAL, STRENGTHENED, WEAKENED, Verdict

WindowStatus = Literal["opened", "closed", "changed"]
WINDOW_STATUSES: tuple[WindowStatus, ...] = ("opened", "closed", "changed")
# Smaller moves of a window that stays open are not reported: the share is worded in whole
# percent (share_words), and a quarter of an hour is the shortest target in common use.
NOTICEABLE_SHARE = 0.01
NOTICEABLE_GAP_MINUTES = 15

WindowKey = tuple[str, str, str, str]  # (upper agreement id, clock kind, clock key, lower agreement id)


@dataclass
class WindowChange:
    """One breach window opened, closed or moved, told from the upper agreement: its target is at risk."""

    status: WindowStatus
    before: ChainBreach | None  # the window in BASE; None when it opened
    after: ChainBreach | None  # ... in HEAD; None when it closed
    verdict: Verdict = NEUTRAL
    causes: list[RecordChange] = field(default_factory=list)  # the changed records among its parties

    @property
    def breach(self) -> ChainBreach:
        """The window as it is now, or as it was when it closed."""
        breach = self.after or self.before
        assert breach is not None  # a window is on one side at least
        return breach

    @property
    def upper(self) -> Clock:
        return self.breach.upper

    @property
    def lower(self) -> Clock:
        return self.breach.lower

    @property
    def agreement(self) -> Agreement:
        return self.upper.agreement

    @property
    def location(self) -> Location:
        return self.upper.location

    @property
    def verb(self) -> str:
        """opened, closed, widened or narrowed: what happened to the window, in one word."""
        if self.status == "changed":
            return "widened" if self.verdict == WEAKENED else "narrowed"
        return self.status

    @property
    def headline(self) -> str:
        """ "P1 resolution of Payroll SLA under Ledgerly contract": which window."""
        return f"{self.upper.label} of {self.agreement.title} under {self.lower.agreement.title}"

    @property
    def figures(self) -> str:
        """ "30% -> 70% of the period searched, worst case 2 hours -> 4 hours late"."""
        before, after = self.before, self.after
        if before is not None and after is not None:
            return (f"{share_words(before.period_share)} -> {share_words(after.period_share)} of the period searched, "
                    f"worst case {format_minutes(before.window.worst_gap)} -> {format_minutes(after.window.worst_gap)} late")
        breach = self.breach
        return f"{share_words(breach.period_share)} of the period searched, worst case {format_minutes(breach.window.worst_gap)} late"

    @property
    def cause_words(self) -> str:
        """Which change did it, when the diff makes that clear (one changed record among the
        window's parties); with several, each is named; with none, nothing is said."""
        named = [_record_words(change) for change in self.causes]
        if not named:
            return ""
        if len(named) == 1:
            return f"Caused by the change to {named[0]}"
        return f"The changes to {', '.join(named[:-1])} and {named[-1]} all bear on it"

    @property
    def sentences(self) -> list[str]:
        """The report of one window, sentence by sentence (record text: escape it where shown).
        An open window is told as the search words it: what is at risk, the worst case in
        each party's local time, and what would close it."""
        after = self.after
        if self.status == "closed" or after is None:
            said = [f"Breach window closed: the {self.upper.label} target of {self.agreement.title} is no longer "
                    f"at risk from {self.lower.agreement.title} (it was {self.figures})"]
        elif self.status == "opened":
            said = [f"Breach window opened: {after.summary}", after.counterexample, after.remedy]
        else:
            said = [f"Breach window {self.verb}: {self.figures}",
                    after.summary, after.counterexample, after.remedy]
        return [*said, self.cause_words] if self.cause_words else said

    @property
    def message(self) -> str:
        return " ".join(f"{sentence}." for sentence in self.sentences)


def _record_words(change: RecordChange) -> str:
    """ "Calendar uc-hours (Supplier hours: weekly)"."""
    fields = [field.field for field in change.fields if field.field]
    where = f": {', '.join(fields[:3])}{', ...' if len(fields) > 3 else ''}" if fields and change.status == "changed" else ""
    status = f", {change.status}" if change.status != "changed" else ""
    return f"{change.kind} {change.id} ({change.title}{where}{status})"


def window_changes(base: Catalogue, head: Catalogue, changes: list[RecordChange], as_of: dt.date) -> list[WindowChange]:
    """The breach windows that the changes open, close or move, weakened first, then by
    the upper agreement's id and the target; the sides are the linked catalogues compared."""
    changed = {change.id for change in changes if change.kind in ("Agreement", "Calendar")}
    if not changed:
        return []
    reached = _reached(base, changed) | _reached(head, changed)
    before = _windows(base, reached, as_of)
    after = _windows(head, reached, as_of)
    by_id = {change.id: change for change in changes}
    found = []
    for key in sorted(set(before) | set(after)):
        window = _judged(before.get(key), after.get(key))
        if window is not None:
            window.causes = [by_id[record_id] for record_id in _parties(window) if record_id in by_id]
            found.append(window)
    order = (WEAKENED, STRENGTHENED, NEUTRAL)
    # stable: by key within a class and status
    found.sort(key=lambda window: (order.index(window.verdict), ("opened", "changed", "closed").index(window.status)))
    return found


def _judged(before: ChainBreach | None, after: ChainBreach | None) -> WindowChange | None:
    if before is None:
        return WindowChange("opened", None, after, WEAKENED)
    if after is None:
        return WindowChange("closed", before, None, STRENGTHENED)
    # the whole period's figures, holidays included: a change to a holiday moves only those
    share = after.period_share - before.period_share
    gap = after.window.worst_gap - before.window.worst_gap
    wider = share >= NOTICEABLE_SHARE or gap >= NOTICEABLE_GAP_MINUTES
    narrower = share <= -NOTICEABLE_SHARE or gap <= -NOTICEABLE_GAP_MINUTES
    if not wider and not narrower:
        return None
    return WindowChange("changed", before, after, WEAKENED if wider else STRENGTHENED)


def target_field(clock: Clock) -> str:
    """The target's field as the diff names fields: `priorities[P1].resolution`, `metrics[rto].target`."""
    if clock.kind == "metric":
        return f"metrics[{clock.key}].target"
    return f"priorities[{clock.key}].{clock.kind}"


def _key(breach: ChainBreach) -> WindowKey:
    return (breach.upper.agreement.id, breach.upper.kind, breach.upper.key, breach.lower.agreement.id)


def _reached(catalogue: Catalogue, changed: set[str]) -> set[str]:
    """The ids of the agreements whose windows a change of those records can move: the
    changed agreements, the agreements that keep time by a changed calendar (or by one
    that inherits its holidays), and every agreement above any of them."""
    start: list[Agreement] = []
    for record_id in changed:
        entity = catalogue.by_id.get(record_id)
        if isinstance(entity, Agreement):
            start.append(entity)
        elif isinstance(entity, Calendar):
            users = calendar_users(entity, follow_inheritance=True)
            start.extend(user.entity for user in users if isinstance(user.entity, Agreement))
    return {agreement.id for agreement in _closure(start, lambda agreement: agreement.underpins)}


def _closure(start: Iterable[Agreement], step) -> list[Agreement]:
    found: dict[str, Agreement] = {}
    queue = list(start)
    while queue:
        agreement = queue.pop()
        if agreement.id not in found:
            found[agreement.id] = agreement
            queue.extend(step(agreement))
    return list(found.values())


def _windows(catalogue: Catalogue, reached: set[str], as_of: dt.date) -> dict[WindowKey, ChainBreach]:
    """The windows of the reached agreements, searched in a catalogue of them, everything
    under them, and every record of the other kinds (what their clocks need)."""
    uppers = [entity for record_id in reached if isinstance(entity := catalogue.by_id.get(record_id), Agreement)]
    kept = {agreement.id for agreement in _closure(uppers, lambda agreement: agreement.underpinned_by)}
    records = [entity.record for entity in catalogue.by_id.values() if entity.kind != "Agreement" or entity.id in kept]
    found: dict[WindowKey, ChainBreach] = {}
    for breach in chain_breaches(Catalogue(records), as_of):
        # An agreement kept only for being under a reached one may be missing on the other
        # side's search: only the reached agreements' windows are compared.
        if breach.upper.agreement.id in reached:
            found.setdefault(_key(breach), breach)
    return found


def _parties(window: WindowChange) -> list[str]:
    """The ids of the records a window rests on, on either side: the lower agreement, those
    between, the calendars of both clocks (and those they inherit holidays from), the upper."""
    ids: dict[str, None] = {}
    for breach in (window.after, window.before):
        if breach is None:
            continue
        ids[breach.lower.agreement.id] = None
        for agreement in breach.via:
            ids[agreement.id] = None
        for clock in (breach.lower, breach.upper):
            if clock.calendar is not None:
                ids[clock.calendar.id] = None
                for inherited in clock.calendar.inherited_from:
                    ids[inherited.id] = None
        ids[breach.upper.agreement.id] = None
    return list(ids)
