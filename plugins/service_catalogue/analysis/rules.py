"""The service level rules: each one a stable id, a short title, why it matters, and a check.

Every check registers itself with `@rule(id, title, why)`, in the order the
rules are listed. It takes the linked model, the options and a `finding`
factory bound to its rule, and yields what that makes: the rule's id is
written once, in the registration, and every finding carries it. The as-of
date is an option, never read from the clock here, so that the same
catalogue and date always give the same findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterable

from service_catalogue.credits import credit_terms, credit_tiers, percent_words
from service_catalogue.errors import UnknownRuleError
from service_catalogue.model import REVIEW_INTERVAL, Agreement, Catalogue
from service_catalogue.validation.schemas import did_you_mean
from service_catalogue.timeplan import format_hours, format_minutes
from service_catalogue.analysis.figures import (
    active_slas,
    active_underpinning,
    agreement_ceiling,
    availability_target,
    ending_within,
    format_percent,
    in_play,
    is_active,
    review_overdue,
)
from service_catalogue.analysis.findings import Finding
from service_catalogue.analysis.timeline import (
    chain_breaches,
    holiday_mismatches,
    late_escalations,
    local_words,
    share_words,
    shared_targets,
)
from service_catalogue import rulebook
from service_catalogue.options import DEFAULT_ENDING_DAYS, Options

# Differences smaller than this are float noise, not findings.
EPSILON = 1e-9


# A finding of one rule: Finding with the rule's id already given, called with the
# rest of Finding's fields (message, entities, location, field, related).
NewFinding = Callable[..., Finding]
Check = Callable[[Catalogue, Options, NewFinding], Iterable[Finding]]


@dataclass(frozen=True)
class Rule(rulebook.Rule):
    # summary: what it finds, in a few words (the health page's heading)
    why: str  # why it matters, one sentence
    check: Check

    @property
    def title(self) -> str:
        """The summary, under the name the health page's template reads it by."""
        return self.summary

    def findings(self, catalogue: Catalogue, options: Options) -> Iterable[Finding]:
        return self.check(catalogue, options, partial(Finding, self.id))


RULES: dict[str, Rule] = {}  # by id, in the order they registered: the order they are listed in


def rule(rule_id: str, title: str, why: str) -> Callable[[Check], Check]:
    """Register the check it decorates as the rule rule_id."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"the rule id `{rule_id}` is registered twice")
        RULES[rule_id] = Rule(rule_id, title, why, check)
        return check

    return register


def _loc(entity, *path):
    return entity.record.location(path)


def _days(n: int) -> str:
    return f"{n} day{'s' * (n != 1)}"


# -- the agreement chain ---------------------------------------------------------


def _chain(catalogue: Catalogue):
    """(upper, index in underpinned_by, lower) for every in-play pair of the chain."""
    for upper in catalogue.agreements:
        if not in_play(upper):
            continue
        seen = set()
        for index, lower_id in enumerate(upper.get("underpinned_by") or ()):
            lower = upper.resolve(lower_id)
            if not isinstance(lower, Agreement) or lower.id in seen or not in_play(lower) or lower is upper:
                continue
            seen.add(lower.id)
            yield upper, index, lower


def _timeline(kind: str):
    """The breach windows of one kind of target: where the deadline of the agreement
    underneath can fall after this one's (analysis/timeline.py), with the worst case."""

    def check(catalogue: Catalogue, options: Options, finding: NewFinding):
        for breach in chain_breaches(catalogue, options.as_of):
            if breach.upper.kind != kind:
                continue
            upper, lower = breach.upper, breach.lower
            yield finding(
                breach.message,
                (upper.agreement, *breach.via, lower.agreement),
                upper.location,
                upper.field,
                (lower.location,),
            )

    return check


# The rule that reports the breach windows of each kind of target (the pages show a
# window only where its rule is on).
TIMELINE_RULE = {
    "response": "chain.response-faster-than-underpinning",
    "resolution": "chain.resolution-faster-than-underpinning",
    "metric": "chain.metric-faster-than-underpinning",
}
rule(
    TIMELINE_RULE["response"],
    "Response can be due before an underpinning agreement's",
    "A provider cannot respond before the team or supplier it has to wait for, and each clock runs in its own hours.",
)(_timeline("response"))
rule(
    TIMELINE_RULE["resolution"],
    "Resolution can be due before an underpinning agreement's",
    "A fault that needs the supplier cannot be fixed before the supplier has to fix it, in the supplier's hours.",
)(_timeline("resolution"))
rule(
    TIMELINE_RULE["metric"],
    "A time target can be due before an underpinning agreement's",
    "A metric measured as a time (a fulfilment, a swap, a restore) waits for the same metric of the party underneath.",
)(_timeline("metric"))


@rule(
    "chain.holiday-mismatch",
    "Underpinning agreement closed on a covered day",
    "On a holiday of the party underneath that is a working day above, tickets raised around it wait until it reopens.",
)
def check_holiday_mismatch(catalogue: Catalogue, options: Options, finding: NewFinding):
    by_pair: dict[tuple[str, str], list] = {}
    for mismatch in holiday_mismatches(catalogue, options.as_of):
        upper, lower = mismatch.breach.upper.agreement, mismatch.breach.lower.agreement
        by_pair.setdefault((upper.id, lower.id), []).append(mismatch)
    for found in by_pair.values():
        breach = found[0].breach
        upper, lower = breach.upper.agreement, breach.lower.agreement
        days = sorted({(m.day, m.title) for m in found})
        targets = list(dict.fromkeys(m.breach.upper.label for m in found))  # in the order found
        calendar = breach.lower.calendar
        yield finding(
            f"{lower.title} is closed on {_days(len(days))} on which {upper.title} runs its clock"
            f"{' (holidays of ' + calendar.title + ')' if calendar is not None else ''}: "
            f"{'; '.join(f'{day:%a %Y-%m-%d} {title}' for day, title in days)}. Tickets raised on or "
            f"before them can miss more of its targets than in an ordinary week: {', '.join(targets)}",
            (upper, *breach.via, lower),
            _loc(upper, "hours"),
            "hours",
            (_loc(lower, "hours"),),
        )


@rule(
    "chain.escalation-after-resolution",
    "Escalation can come after every resolution target",
    "An escalation that can only start once even the least urgent fault is overdue cannot help keep any target.",
)
def check_escalation(catalogue: Catalogue, options: Options, finding: NewFinding):
    for late in late_escalations(catalogue, options.as_of):
        agreement, resolution = late.agreement, late.resolution
        worst = late.window.worst_start
        assert worst is not None
        yield finding(
            f"Level {late.level} escalation after {late.escalation.target_words} "
            f"can come after the {resolution.label} target of {resolution.target_words}, the least urgent incident "
            f"priority's, for {share_words(late.window.share)} of the tickets raised in the period searched. Worst case: "
            f"raised {local_words(worst, late.zone)}, escalated {format_minutes(late.window.worst_gap)} after the "
            f"resolution was due",
            (agreement,),
            _loc(agreement, "escalation", late.index, "after"),
            f"escalation[{late.index}].after",
            (resolution.location,),
        )


@rule(
    "chain.availability-above-ceiling",
    "Availability above what the chain allows",
    "Parts in series are at most as available as the product of their availabilities.",
)
def check_availability(catalogue: Catalogue, options: Options, finding: NewFinding):
    for sla in catalogue.agreements:
        target = availability_target(sla)
        if sla.type != "SLA" or not in_play(sla) or target is None:
            continue
        ceiling = agreement_ceiling(sla)
        if ceiling is None or not target > ceiling.percent + EPSILON:
            continue
        yield finding(
            f"The availability target of {sla.title} is {format_percent(target)}%, above the "
            f"{ceiling.text}% that the agreements it relies on allow together: {ceiling.explanation}",
            (sla, *(part.agreement for part in ceiling.parts)),
            _loc(sla, "availability", "target"),
            "availability.target",
            tuple(_loc(part.agreement, "availability", "target") for part in ceiling.parts),
        )


@rule(
    "chain.hours-narrower-than-sla",
    "Underpinning agreement covers fewer hours",
    "Outside its service hours the underpinning party does not have to act, so the clock of the agreement above runs with no one behind it.",
)
def check_hours(catalogue: Catalogue, options: Options, finding: NewFinding):
    # Where the two share a target, the timeline rules say exactly when it breaches, and
    # fewer hours underneath are often harmless (a 5-day fix by a 24x7 supplier): this
    # coarse comparison is for pairs with nothing to put on two clocks.
    for upper, _index, lower in _chain(catalogue):
        ours, theirs = upper.calendar, lower.calendar
        if ours is None or theirs is None or not theirs.hours_per_week < ours.hours_per_week - EPSILON:
            continue
        if shared_targets(upper, lower):
            continue
        yield finding(
            f"{lower.title} covers {format_hours(theirs.hours_per_week)} hours a week "
            f"({theirs.title}), fewer than the {format_hours(ours.hours_per_week)} hours a week "
            f"({ours.title}) of {upper.title}, which it underpins",
            (upper, lower),
            _loc(upper, "hours"),
            "hours",
            (_loc(lower, "hours"),),
        )


# -- terms and reviews -------------------------------------------------------------


@rule(
    "term.active-after-end",
    "Active after its end date",
    "An agreement past its end date is not in force, whatever its status says.",
)
def check_active_after_end(catalogue: Catalogue, options: Options, finding: NewFinding):
    for agreement in catalogue.agreements:
        if is_active(agreement) and agreement.end is not None and agreement.end < options.as_of:
            days = (options.as_of - agreement.end).days
            yield finding(
                f"{agreement.title} is still active, but its period ended on {agreement.end.isoformat()}, "
                f"{_days(days)} before {options.as_of.isoformat()}: renew it, or set its status to expired",
                (agreement,),
                _loc(agreement, "period", "end"),
                "period.end",
            )


@rule(
    "term.ending-soon",
    "Ending soon",
    "Renewing or replacing an agreement takes time; starting late leaves services without one.",
)
def check_ending_soon(catalogue: Catalogue, options: Options, finding: NewFinding):
    for agreement in catalogue.agreements:
        if ending_within(agreement, options.as_of, options.ending_days):
            days = (agreement.end - options.as_of).days
            when = "today" if days == 0 else f"in {_days(days)}"
            yield finding(
                f"{agreement.title} ends on {agreement.end.isoformat()}, {when} (within the "
                f"{options.ending_days}-day warning window): plan its renewal or replacement",
                (agreement,),
                _loc(agreement, "period", "end"),
                "period.end",
            )


@rule(
    "term.review-overdue",
    "Review overdue",
    "Targets drift away from what customers need and what is delivered unless they are reviewed.",
)
def check_review_overdue(catalogue: Catalogue, options: Options, finding: NewFinding):
    for agreement in catalogue.agreements:
        found = agreement.review_due
        if found is None or not review_overdue(agreement, options.as_of):
            continue
        due, field = found
        review = agreement.get("review") or {}
        days = (options.as_of - due).days
        frequency = review.get("frequency")
        if field == "review.next":
            last = f"; the last review recorded is {review['last']}" if review.get("last") else ""
        else:  # no review.next: due one frequency after the last
            last = f" ({REVIEW_INTERVAL[str(frequency)]} after the last review, on {review['last']}, as no next review is recorded)"
        yield finding(
            f"The {frequency + ' ' if frequency else ''}review of {agreement.title} was due on "
            f"{due.isoformat()} and is {_days(days)} overdue{last}",
            (agreement,),
            _loc(agreement, *field.split(".")),
            field,
        )


# -- coverage ------------------------------------------------------------------------


@rule(
    "coverage.live-service-without-sla",
    "Live customer-facing service without an active SLA",
    "Without an SLA, customers and provider have no agreed service levels to measure and report.",
)
def check_live_without_sla(catalogue: Catalogue, options: Options, finding: NewFinding):
    for service in catalogue.services:
        if service.status != "live" or service.type != "customer-facing" or active_slas(service):
            continue
        others = [a for a in service.agreements if a.type == "SLA"]
        note = ""
        if others:
            note = " (" + ", ".join(f"{a.title} is {a.status}" for a in others) + ")"
        yield finding(
            f"{service.title} is a live customer-facing service, but no active SLA covers it{note}",
            (service, *others),
            _loc(service, "status"),
            "status",
            tuple(_loc(a, "status") for a in others),
        )


@rule(
    "coverage.sla-not-underpinned",
    "Active SLA with nothing underpinning it",
    "An SLA no OLA or contract backs rests on goodwill: nobody has agreed to deliver the parts it needs.",
)
def check_sla_not_underpinned(catalogue: Catalogue, options: Options, finding: NewFinding):
    for sla in catalogue.agreements:
        if sla.type != "SLA" or not is_active(sla) or active_underpinning(sla):
            continue
        named = sla.underpinned_by
        if named:
            listed = ", ".join(f"{a.title} is {a.status}" for a in named)
            message = f"{sla.title} is an active SLA, but none of the agreements that underpin it is active ({listed})"
        else:
            message = f"{sla.title} is an active SLA, but nothing underpins it: it names no OLA or UC in underpinned_by"
        yield finding(
            message,
            (sla, *named),
            _loc(sla, "underpinned_by") if named else _loc(sla, "type"),
            "underpinned_by" if named else "type",
            tuple(_loc(a, "status") for a in named),
        )


# -- service credits ----------------------------------------------------------------


@rule(
    "credits.no-availability-target",
    "Availability credit without an availability target",
    "A credit tier on availability with no target to measure it against cannot be checked, and the page cannot say what month counts as missed.",
)
def check_credit_without_target(catalogue: Catalogue, options: Options, finding: NewFinding):
    for agreement in catalogue.agreements:
        if not in_play(agreement) or availability_target(agreement) is not None:
            continue
        tiers = [tier for tier in credit_tiers(agreement.data) if tier.metric is None]
        if tiers:
            first = tiers[0]
            yield finding(
                f"{agreement.title} has a service credit for availability {first.applies_words}, but states no "
                f"availability target: add `availability` with its target and window, or give the tier a `metric`",
                (agreement,),
                _loc(agreement, "service_credits", first.index),
                f"service_credits[{first.index}]",
            )


@rule(
    "credits.tier-above-cap",
    "Credit tier above the cap",
    "With a cap on all credits in a window, a tier that credits more than the cap can never be paid in full: the document contradicts itself, or a number was copied wrong.",
)
def check_tier_above_cap(catalogue: Catalogue, options: Options, finding: NewFinding):
    for agreement in catalogue.agreements:
        cap = credit_terms(agreement.data).get("cap_percent")
        if not in_play(agreement) or not isinstance(cap, (int, float)) or isinstance(cap, bool):
            continue
        for tier in credit_tiers(agreement.data):
            if tier.percent is not None and tier.percent > cap + EPSILON:
                yield finding(
                    f"In {agreement.title}, the credit tier {tier.key} gives {percent_words(tier.percent)}, more than "
                    f"the cap of {percent_words(cap)} on all credits in one window: the customer is never paid it",
                    (agreement,),
                    _loc(agreement, "service_credits", tier.index, "percent"),
                    f"service_credits[{tier.index}].percent",
                    (_loc(agreement, "service_credit_terms", "cap_percent"),),
                )


@rule(
    "credits.terms-without-tiers",
    "Service credit terms without any credit",
    "Terms say how credits are paid; with no credit listed, the customer cannot tell what they are owed.",
)
def check_terms_without_tiers(catalogue: Catalogue, options: Options, finding: NewFinding):
    for agreement in catalogue.agreements:
        if in_play(agreement) and credit_terms(agreement.data) and not agreement.get("service_credits"):
            yield finding(
                f"{agreement.title} has service credit terms but lists no service credit: add the tiers to "
                f"`service_credits`, or remove the terms",
                (agreement,),
                _loc(agreement, "service_credit_terms"),
                "service_credit_terms",
            )


@rule(
    "coverage.support-without-channel",
    "Support with no channel",
    "A support block that names no portal, email, phone or chat tells users when help is there but not how to reach it.",
)
def check_support_without_channel(catalogue: Catalogue, options: Options, finding: NewFinding):
    for service in catalogue.services:
        support = service.get("support")
        if not isinstance(support, dict) or support.get("channels"):
            continue
        where = ("support", "channels") if "channels" in support else ("support",)
        yield finding(
            f"{service.title} states support hours but no way to reach support: its support block "
            "names no channel (portal, email, phone or chat)",
            (service,),
            _loc(service, *where),
            ".".join(where),
        )


# -- lifecycle and orphans -------------------------------------------------------------


def _retired_since(service) -> str:
    return f" since {service.get('retired_on')}" if service.get("retired_on") else ""


@rule(
    "lifecycle.retired-service-in-use",
    "Retired service still in use",
    "A retired service is no longer run; agreements and services that name it promise or need something that is gone.",
)
def check_retired_in_use(catalogue: Catalogue, options: Options, finding: NewFinding):
    for agreement in catalogue.agreements:
        if not is_active(agreement):
            continue
        for index, service_id in enumerate(agreement.get("services") or ()):
            service = agreement.resolve(service_id)
            if service is not None and service.kind == "Service" and service.status == "retired":
                yield finding(
                    f"{agreement.title} is active but covers {service.title}, which is retired"
                    f"{_retired_since(service)}",
                    (agreement, service),
                    _loc(agreement, "services", index),
                    f"services[{index}]",
                    (_loc(service, "status"),),
                )
    for user in catalogue.services:
        if user.status == "retired":
            continue
        for index, entry in enumerate(user.get("depends_on") or ()):
            service = user.resolve(entry.get("service"))
            if service is not None and service.kind == "Service" and service.status == "retired":
                yield finding(
                    f"{user.title} ({user.status}) depends on {service.title} "
                    f"({entry.get('criticality', 'hard')}), which is retired{_retired_since(service)}",
                    (user, service),
                    _loc(user, "depends_on", index, "service"),
                    f"depends_on[{index}].service",
                    (_loc(service, "status"),),
                )


@rule(
    "orphan.party-unreferenced",
    "Party nothing refers to",
    "A party that nothing names is usually left over from a change, or a reference was forgotten.",
)
def check_unreferenced_party(catalogue: Catalogue, options: Options, finding: NewFinding):
    for party in catalogue.parties:
        if party.incoming:
            continue
        yield finding(
            f"Nothing in the catalogue names {party.title}: no service, agreement or other party refers to it",
            (party,),
            _loc(party, "id"),
            "id",
        )


def check_rule_ids(rule_ids) -> frozenset:
    """The ids as a frozenset; UnknownRuleError for the first id that names no rule."""
    for rule_id in rule_ids:
        if rule_id not in RULES:
            raise UnknownRuleError(rule_id, did_you_mean(rule_id, RULES) or f"the rules are: {', '.join(RULES)}")
    return frozenset(rule_ids)


def run_rules(catalogue: Catalogue, options: Options) -> list[Finding]:
    """Every finding of every rule the options do not switch off, sorted by file and line;
    UnknownRuleError for a switched-off rule that does not exist."""
    disabled = check_rule_ids(options.disabled_rules)
    findings: list[Finding] = []
    for registered in RULES.values():
        if registered.id not in disabled:
            findings.extend(registered.findings(catalogue, options))
    return sorted(findings, key=Finding.sort_key)


def analyse(
    catalogue: Catalogue,
    as_of: dt.date | None = None,
    disabled=(),
    ending_days: int = DEFAULT_ENDING_DAYS,
) -> list[Finding]:
    """run_rules with the options it reads given one by one."""
    options = Options(as_of=as_of or dt.date.today(), ending_days=ending_days, disabled_rules=frozenset(disabled))
    return run_rules(catalogue, options)
