"""The breach windows as the pages show them: each with its anchor on the agreement page
of its upper target, and its picture of the week.

The windows themselves are the analysis' (analysis/timeline.py, worked out once per
catalogue and as-of date); what is here is where a page puts them. The agreement page
has a section per window under its targets (the `breach_windows` block), and the health
page links to those sections: both read the anchors from here, so the links cannot miss.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from service_catalogue.analysis.rules import TIMELINE_RULE
from service_catalogue.analysis.timeline import ChainBreach, chain_breaches, share_words
from service_catalogue.model import Agreement, Catalogue
from service_catalogue.site.week_picture import week_picture
from service_catalogue.timeplan import format_minutes

# The order of a target's kinds on the agreement page: the priorities table (response,
# then resolution in each row), then the other service level targets.
_KIND_ORDER = {"response": 0, "resolution": 1, "metric": 2}


def window_anchor(breach: ChainBreach) -> str:
    """The HTML id of a window on its agreement page: `breach-P1-resolution_uc-aulario-vle-hosting`.

    Made of the target's id and kind and the id of the agreement underneath, so it stays
    the same from build to build while those do. No two windows of a page share one:
    the lower record's id has no `_` (recordId) and the kind no `-`, so read from the
    right the id falls apart into the same three parts again. All three are letters,
    digits, `-` and `_` (localId, recordId), which attr_list and HTML take as they are.
    """
    return f"breach-{breach.upper.key}-{breach.upper.kind}_{breach.lower.agreement.id}"


@dataclass(frozen=True)
class ShownWindow:
    """One breach window where the site shows it."""

    breach: ChainBreach
    anchor: str

    @property
    def agreement(self) -> Agreement:
        """The agreement whose target can be missed: the page the window is on."""
        return self.breach.upper.agreement

    @property
    def lower(self) -> Agreement:
        """The agreement underneath whose target, used up, runs past it."""
        return self.breach.lower.agreement

    @property
    def target(self) -> str:
        """ "P1 resolution": plain record text (a priority's or metric's id)."""
        return self.breach.upper.label

    @property
    def share(self) -> str:
        """ "100%", "under 1%" of an ordinary week's start minutes; for a window that opens
        only around holidays, "around holidays: 6% of the period"."""
        if self.breach.ordinary:
            return share_words(self.breach.share)
        return f"around holidays only: {share_words(self.breach.period_share)} of the period"

    @property
    def worst_gap(self) -> str:
        """How late the deadline underneath falls at worst, "4 hours" (the ordinary week's
        worst case, as in the counterexample; holidays can make it later)."""
        return format_minutes(self.breach.worst_gap)

    @cached_property
    def picture(self) -> Markup:
        """The week in the upper clock's zone, with its text alternative (one line of HTML)."""
        label = f"{self.target} of {self.agreement.title} against {self.lower.title}"
        return week_picture(self.breach.week_shares, self.breach.upper.zone, label, ident=f"{self.anchor}-week")


class BreachWindows:
    """Every breach window of a catalogue as of a date, by the agreement page it is on.

    The search runs when a page first asks (chain_breaches keeps it for the catalogue and
    date), and a window's picture when a page first shows it.
    """

    def __init__(self, catalogue: Catalogue, as_of: dt.date, kinds: frozenset[str] = frozenset(TIMELINE_RULE)):
        """kinds: the kinds of target whose windows are shown (those whose rule is on)."""
        self.catalogue, self.as_of, self.kinds = catalogue, as_of, kinds
        self._by_agreement: dict[str, list[ShownWindow]] | None = None

    def _shown(self) -> dict[str, list[ShownWindow]]:
        if self._by_agreement is None:
            by_agreement: dict[str, list[ShownWindow]] = {}
            for breach in chain_breaches(self.catalogue, self.as_of) if self.kinds else ():
                if breach.upper.kind not in self.kinds:
                    continue
                by_agreement.setdefault(breach.upper.agreement.id, []).append(ShownWindow(breach, window_anchor(breach)))
            for windows in by_agreement.values():
                # In the order of the page's targets; for one target, nearest agreement first (as found).
                windows.sort(key=lambda w: (_KIND_ORDER[w.breach.upper.kind] // 2, w.breach.upper.path[1], _KIND_ORDER[w.breach.upper.kind]))
            self._by_agreement = by_agreement
        return self._by_agreement

    def __call__(self, agreement: Agreement | None = None) -> list[ShownWindow]:
        """The windows on an agreement's page; with no agreement, every window of the
        catalogue, agreement by agreement in the catalogue's order."""
        shown = self._shown()
        if agreement is None:
            return [w for a in self.catalogue.agreements for w in shown.get(a.id, ())]
        return shown.get(getattr(agreement, "id", ""), [])
