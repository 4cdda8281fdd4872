"""Response and resolution attainment: each ticket's clock read in the covered time of the
calendar that applies to its priority, less its clock stops, against the target.

A clock runs from the ticket's opening to its response (or resolution), in the
priority's own hours or else the agreement's (elapsed time where neither states
any), and not while a clock stop that applies to it holds. It is *met* when the
covered time it ran is at most the target, and *breached* otherwise; a ticket
still open at the report's end is breached once its clock has run past the
target, and otherwise open (not yet decided, and not counted).

A clock counts in the window in which it was decided: a met one at its stop, a
breached one at the instant it breached (its deadline, moved on by the clock
stops before it). So a breach is reported once, in the window it happened,
whenever the ticket is resolved, and a report run again later says the same of
the windows that are over.

Every ticket of a priority is read at once: the engine's covered_before_many and
totals_at are numpy searches over the calendar's intervals, and a million
tickets cost a few of them per priority.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from service_catalogue.performance.windows import ReportWindow
from service_catalogue.servicetime import ServiceTime, covered_before_many, totals_at

# Covered minutes within this of the target are the target: whole minutes read as floats.
_EPSILON = 1e-6


@dataclass
class ClockFigures:
    """One target (a priority's response or resolution) in one window."""

    met: int = 0
    breached: int = 0
    worst_over: float = 0.0  # covered minutes past the target of the worst breach
    worst_ticket: int = -1  # its index in the tickets
    open: int = 0  # still running at the report's end, within the target so far

    @property
    def decided(self) -> int:
        return self.met + self.breached

    @property
    def percent_met(self) -> float | None:
        return 100.0 * self.met / self.decided if self.decided else None


class WindowFigures:
    """A target's figures in every window, as arrays (a catalogue's report holds hundreds of
    thousands of them); indexing gives one window's ClockFigures."""

    def __init__(self, count: int):
        self.met = np.zeros(count, dtype=np.int64)
        self.breached = np.zeros(count, dtype=np.int64)
        self.worst_over = np.zeros(count)
        self.worst_ticket = np.full(count, -1, dtype=np.int64)
        self.open = np.zeros(count, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.met)

    def __getitem__(self, index: int) -> ClockFigures:
        return ClockFigures(int(self.met[index]), int(self.breached[index]), float(self.worst_over[index]),
                            int(self.worst_ticket[index]), int(self.open[index]))

    def __iter__(self):
        return (self[index] for index in range(len(self)))

    @property
    def active(self) -> np.ndarray:
        """Per window: whether any clock was decided in it, or is open at its end."""
        return (self.met + self.breached + self.open) > 0


@dataclass
class Measured:
    """What reading one target's clocks found: per window, and per ticket."""

    windows: WindowFigures
    not_recorded: int  # resolved tickets with no time for this target (the export left it empty)
    # per ticket read: whether breached, the covered minutes it ran, and when it was decided
    breached: np.ndarray
    elapsed: np.ndarray
    decided_at: np.ndarray  # UTC seconds; NaN while open


def merged_stops(ticket: np.ndarray, start: np.ndarray, end: np.ndarray, floor: np.ndarray, ceiling: np.ndarray):
    """The intervals of each ticket (a clock's stops; an agreement's outages, as one ticket)
    clipped to [floor, ceiling] of their ticket and merged where they overlap, sorted by
    ticket and start; with each one's rank among its ticket's. An end may be infinite."""
    start = np.maximum(start, floor[ticket])
    end = np.minimum(end, ceiling[ticket])
    keep = end > start
    ticket, start, end = ticket[keep], start[keep], end[keep]
    if not len(ticket):
        return ticket, start, end, ticket
    order = np.lexsort((start, ticket))
    ticket, start, end = ticket[order], start[order], end[order]
    # A running maximum of the ends that restarts at each ticket: tickets are sorted, so
    # lifting each ticket's ends above all earlier tickets' keeps the maximum inside it.
    several = ticket[-1] != ticket[0]  # one ticket needs no lifting (and an infinite end allows none)
    lift = (ticket - ticket[0]).astype(np.float64) * (float(end.max() - start.min()) + 2.0 if several else 0.0)
    reach = np.maximum.accumulate(end - start.min() + lift) - lift + start.min()
    new_ticket = np.concatenate([[True], ticket[1:] != ticket[:-1]])
    begins = new_ticket | np.concatenate([[True], start[1:] > reach[:-1]])
    groups = np.cumsum(begins) - 1
    merged_start = start[begins]
    merged_end = np.full(len(merged_start), -np.inf)
    np.maximum.at(merged_end, groups, reach)
    merged_ticket = ticket[begins]
    first_of_ticket = np.flatnonzero(np.concatenate([[True], merged_ticket[1:] != merged_ticket[:-1]]))
    rank = np.arange(len(merged_ticket)) - np.repeat(first_of_ticket, np.diff(np.append(first_of_ticket, len(merged_ticket))))
    return merged_ticket, merged_start, merged_end, rank


def read_clocks(engine: ServiceTime, target: float, opened: np.ndarray, stopped: np.ndarray,
                stops: tuple[np.ndarray, np.ndarray, np.ndarray], report_end: float,
                windows: list[ReportWindow], recorded: np.ndarray) -> Measured:
    """The clocks of one target: opened and stopped in UTC seconds (stopped NaN while
    running, or where not recorded), stops (ticket index, start, end; in seconds), target
    in covered minutes. recorded: per ticket, whether a missing stop means "still open"
    (it does for an unresolved ticket) rather than "not written"."""
    n = len(opened)
    running = np.isnan(stopped) | (stopped > report_end)
    not_recorded = int((np.isnan(stopped) & ~recorded).sum())
    measured = ~np.isnan(stopped) | recorded
    until = np.where(running, report_end, stopped) / 60.0
    start = opened / 60.0
    stop_ticket, stop_start, stop_end, rank = merged_stops(stops[0], stops[1] / 60.0, stops[2] / 60.0, start, until)
    before_open = covered_before_many(engine, start)
    elapsed = covered_before_many(engine, until) - before_open
    if len(stop_ticket):
        paused = covered_before_many(engine, stop_end) - covered_before_many(engine, stop_start)
        elapsed = elapsed - np.bincount(stop_ticket, weights=paused, minlength=n)
    breached = measured & (elapsed > target + _EPSILON)
    met = measured & ~breached & ~running
    still_open = measured & ~breached & running
    decided_at = np.full(n, np.nan)
    decided_at[met] = stopped[met]
    late = np.flatnonzero(breached)
    if len(late):
        decided_at[late] = _deadlines(engine, target, before_open, late, stop_ticket, stop_start, stop_end, rank) * 60.0
    figures = WindowFigures(len(windows))
    if windows:
        starts = np.array([w.start for w in windows])
        slot = np.searchsorted(starts, decided_at, side="right") - 1
        inside = ~np.isnan(decided_at) & (slot >= 0) & (decided_at < windows[-1].end + 1)
        figures.met = np.bincount(slot[inside & met], minlength=len(windows))
        figures.breached = np.bincount(slot[inside & breached], minlength=len(windows))
        worst = np.flatnonzero(inside & breached)
        if len(worst):
            over = elapsed[worst] - target
            order = np.lexsort((-over, slot[worst]))  # by window, the largest overrun first
            ranked, ranked_slot = worst[order], slot[worst][order]
            firsts = np.concatenate([[True], ranked_slot[1:] != ranked_slot[:-1]])
            figures.worst_over[ranked_slot[firsts]] = over[order][firsts]
            figures.worst_ticket[ranked_slot[firsts]] = ranked[firsts]
        figures.open[-1] = int(still_open.sum())
    return Measured(figures, not_recorded, breached, elapsed, decided_at)


def _deadlines(engine: ServiceTime, target: float, before_open: np.ndarray, late: np.ndarray,
               stop_ticket: np.ndarray, stop_start: np.ndarray, stop_end: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """The minute each late ticket's clock ran past its target: the covered minute the target
    reaches, moved on by each stop that begins before it (stops in order: once one begins
    after the deadline, so do the rest)."""
    goal = before_open[late] + target
    due = totals_at(engine, goal)
    if len(stop_ticket):
        position = np.full(len(before_open), -1, dtype=np.int64)
        position[late] = np.arange(len(late))
        of_late = position[stop_ticket] >= 0
        paused = covered_before_many(engine, stop_end) - covered_before_many(engine, stop_start)
        for k in range(int(rank[of_late].max()) + 1 if of_late.any() else 0):
            this = np.flatnonzero(of_late & (rank == k))
            where = position[stop_ticket[this]]
            moves = stop_start[this] < due[where]
            goal[where[moves]] += paused[this[moves]]
            due[where[moves]] = totals_at(engine, goal[where[moves]])
    return due
