"""Judge each change for the customer: weakened, strengthened or neutral, and by which rule.

Every rule has a stable id (shown in every output format and documented in
docs/reviewing-changes.md) and decides both directions of its change: the
inverse of a weakening is a strengthening. A change that no rule judges is
neutral, as `text-only` when only wording changed and as `other` otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, Final, Literal, get_args

from service_catalogue import rulebook
from service_catalogue.credits import credit_tier, of_words, percent_words
from service_catalogue.fields import parse_date
from service_catalogue.kinds import KindName
from service_catalogue.model import Agreement, AgreementStatus, Calendar, ClockStop, ServiceStatus
from service_catalogue.timeplan import Duration, format_hours, maintenance_in_covered_time
from service_catalogue.diff.compare import FieldChange, RecordChange
from service_catalogue.diff.paths import Step
from service_catalogue.diff.words import applicable_calendar, calendar_words, item_by_id, value_words

# A change's class, in the order every output lists them: what a reviewer must see first.
Verdict = Literal["weakened", "strengthened", "neutral"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
WEAKENED: Final = "weakened"
STRENGTHENED: Final = "strengthened"
NEUTRAL: Final = "neutral"

Judgement = tuple[Verdict, str]  # (class, reason in words)


@dataclass(frozen=True)
class Rule(rulebook.Rule):
    # summary: when it says weakened, in words (`diff --help` lists these; the inverse strengthens)
    kind: KindName | Literal["*"]  # the kind of record it looks at; "*" every kind
    patterns: tuple[str, ...]  # the fields it judges, as `priorities[].response`; "" is the whole record
    judge: Callable[[FieldChange, RecordChange], Judgement | None]  # None: not this rule's business


def _up_or_down(before, after, lower_is_weaker: bool, what: str, change: FieldChange) -> Judgement:
    if before == after:
        return NEUTRAL, f"{what} stays the same: {change.after_words}"
    went_down = after < before
    verdict: Verdict = WEAKENED if went_down == lower_is_weaker else STRENGTHENED
    return verdict, f"{what} goes {'down' if went_down else 'up'} from {change.before_words} to {change.after_words}"


def _added_or_removed(change: FieldChange, what: str, added_strengthens: bool = True) -> Judgement | None:
    if change.change == "removed":
        return (WEAKENED if added_strengthens else STRENGTHENED), f"{what} {change.before_words} is removed"
    if change.change == "added":
        return (STRENGTHENED if added_strengthens else WEAKENED), f"{what} {change.after_words} is added"
    return None


# --- Agreements -------------------------------------------------------------------------


def _availability(change: FieldChange, record: RecordChange) -> Judgement | None:
    def target(value):
        return value.get("target") if isinstance(value, dict) else value

    before, after = target(change.before), target(change.after)
    if before == after:
        return None
    if after is None:
        return WEAKENED, f"the availability target ({change.before_words}) is removed"
    if before is None:
        return STRENGTHENED, f"an availability target of {change.after_words} is added"
    return _up_or_down(before, after, True, "the availability target", change)


def _covered_minutes(text, calendar):
    duration = Duration.parse(text)
    if duration is None:
        return None
    return duration.covered_minutes(calendar.coverage if calendar else None)


def _time_rule(what: str):
    """Response, resolution or fulfilment time: longer is weaker, in covered minutes of each side's calendar."""

    def judge(change: FieldChange, record: RecordChange) -> Judgement | None:
        subject = f"{change.path[1].key} {what}"
        if change.change != "changed":
            return _added_or_removed(change, f"the promised {subject}")
        before = _covered_minutes(change.before, applicable_calendar(record.base, change.path))
        after = _covered_minutes(change.after, applicable_calendar(record.head, change.path))
        if before is None or after is None:
            return NEUTRAL, f"{subject} cannot be compared: no calendar says how long a service day is"
        if before == after:
            return NEUTRAL, f"{subject} is the same covered time, written differently"
        return _up_or_down(before, after, False, subject, change)

    return judge


def _hours_rule(what: str, calendar_of):
    """Hours covered per week by the calendar that applies: fewer is weaker."""

    def judge(change: FieldChange, record: RecordChange) -> Judgement | None:
        before, after = calendar_of(record.base, change), calendar_of(record.head, change)
        if before is None and after is None:
            return None
        if after is None:
            return WEAKENED, f"{what} are removed (they were {calendar_words(before, None)})"
        if before is None:
            return STRENGTHENED, f"{what} are added: {calendar_words(after, None)}"
        old, new = before.hours_per_week, after.hours_per_week
        if old == new:
            return NEUTRAL, f"{what} cover the same {format_hours(new)} hours per week"
        verdict: Verdict = WEAKENED if new < old else STRENGTHENED
        fewer = "fewer" if new < old else "more"
        return verdict, f"{what} cover {fewer} hours per week: {calendar_words(before, None)} -> {calendar_words(after, None)}"

    return judge


def _agreement_calendar(entity, change):
    return entity.calendar if entity is not None else None


def _agreement_hours(change: FieldChange, record: RecordChange) -> Judgement | None:
    """Fewer covered hours weaken. Stating no hours at all is another kind of promise:
    minutes and hours then count elapsed time (a clock that never stops) and there is no
    downtime budget, so it is neither stronger nor weaker, and a reviewer reads it."""
    if change.change == "removed":
        return NEUTRAL, (
            f"the agreement no longer states service hours (they were {change.before_words}): targets in minutes "
            "and hours now count elapsed time, and no downtime budget is derived; read it"
        )
    if change.change == "added":
        return NEUTRAL, (
            f"the agreement now states service hours ({change.after_words}): targets count covered time of them "
            "instead of elapsed time; read it"
        )
    return _hours_rule("the service hours", _agreement_calendar)(change, record)


def _priority_calendar(entity, change):
    return applicable_calendar(entity, change.path) if entity is not None else None


def _metric_calendar(entity, change):
    """The calendar a metric's duration target counts in: its own hours, else the agreement's."""
    return applicable_calendar(entity, change.path) if entity is not None else None


def _support_calendar(entity, change):
    return entity.support_calendar if entity is not None else None


def _priority_list(change: FieldChange, record: RecordChange) -> Judgement | None:
    return _added_or_removed(change, "the priority")


def _period_end(change: FieldChange, record: RecordChange) -> Judgement | None:
    before, after = parse_date(change.before), parse_date(change.after)
    if change.after is None:
        return STRENGTHENED, f"the agreement no longer ends on {change.before_words}: it is open-ended"
    if change.before is None:
        return WEAKENED, f"the open-ended agreement now ends on {change.after_words}"
    if before is None or after is None:
        return None
    verdict: Verdict = WEAKENED if after < before else STRENGTHENED
    return verdict, f"the agreement ends {'earlier' if after < before else 'later'}: {change.before_words} -> {change.after_words}"


def _period_start(change: FieldChange, record: RecordChange) -> Judgement | None:
    before, after = parse_date(change.before), parse_date(change.after)
    if before is None or after is None:
        return None
    verdict: Verdict = WEAKENED if after > before else STRENGTHENED
    return verdict, f"the agreement starts {'later' if after > before else 'earlier'}: {change.before_words} -> {change.after_words}"


def _status_rule(ranks: Mapping[Any, int], what: str):  # Any: asked with whatever the YAML says
    """A move down the ranking (towards the end of the record's life) weakens; up strengthens."""

    def judge(change: FieldChange, record: RecordChange) -> Judgement | None:
        before, after = ranks.get(change.before), ranks.get(change.after)
        if before is None or after is None or before == after:
            return NEUTRAL, f"the {what} status changes from {change.before_words} to {change.after_words}"
        verdict: Verdict = WEAKENED if after < before else STRENGTHENED
        return verdict, f"the {what} status changes from {change.before_words} to {change.after_words}"

    return judge


# In force beats not yet in force beats ended: `active` -> `draft` weakens, `superseded` -> `active` strengthens.
AGREEMENT_STATUS_RANK: dict[AgreementStatus, int] = {"active": 2, "draft": 1, "expired": 0, "terminated": 0, "superseded": 0}
SERVICE_STATUS_RANK: dict[ServiceStatus, int] = {"live": 2, "pipeline": 1, "retired": 0}


def _service_credits(change: FieldChange, record: RecordChange) -> Judgement | None:
    return _added_or_removed(change, "the service credit")


def _credit_tier_moved(change: FieldChange, record: RecordChange) -> Judgement | None:
    """A tier whose threshold moved, or a credit in words that became a tier (or back)."""
    if change.change != "changed":
        return None
    before, after = credit_tier(change.before, 0), credit_tier(change.after, 0)
    if before is None or after is None:
        now = "as a tier with a threshold" if after is not None else "in words"
        return NEUTRAL, (f"the service credit is now written {now}: {change.before_words} -> {change.after_words}; "
                         "compare the two")
    later = after.rank < before.rank  # a lower threshold: fewer months earn the credit
    moved = f"{before.key} -> {after.applies_words}: the credit starts {'later' if later else 'sooner'}"
    if before.percent is None or after.percent is None or before.percent == after.percent:
        return (WEAKENED if later else STRENGTHENED), moved
    less = after.percent < before.percent
    amounts = f"{percent_words(before.percent)} -> {percent_words(after.percent)}"
    if less == later:
        return (WEAKENED if later else STRENGTHENED), f"{moved}, and credits {'less' if less else 'more'} ({amounts})"
    return NEUTRAL, f"{moved} but credits {'less' if less else 'more'} ({amounts}); read it"


def _credit_percent(change: FieldChange, record: RecordChange) -> Judgement | None:
    tier = change.path[1].key
    if change.change != "changed":
        written = "now states" if change.change == "added" else "no longer states"
        return NEUTRAL, f"{tier} {written} its credit as a percent ({change.after_words if change.change == 'added' else change.before_words}); compare it with the credit in words"
    if not isinstance(change.before, (int, float)) or not isinstance(change.after, (int, float)):
        return None
    if change.before == change.after:
        return None
    of_before, of_after = of_words(record.base.data if record.base else {}), of_words(record.head.data if record.head else {})
    amounts = (
        f"{percent_words(change.before)} -> {percent_words(change.after)} of {of_after}" if of_before == of_after
        else f"{change.before_words} -> {change.after_words}"
    )
    return (WEAKENED if change.after < change.before else STRENGTHENED), f"{tier}: {amounts}"


def _credit_cap(change: FieldChange, record: RecordChange) -> Judgement | None:
    # A cap limits what the credits add up to: a lower one, or a new one, gives the customer less.
    if change.change == "added":
        return WEAKENED, f"the credits are now capped at {change.after_words}"
    if change.change == "removed":
        return STRENGTHENED, f"the cap on credits ({change.before_words}) is removed"
    return _up_or_down(change.before, change.after, True, "the cap on credits", change)


def _credit_claim_window(change: FieldChange, record: RecordChange) -> Judgement | None:
    # A claim window is a deadline: a shorter one, or a new one, loses the customer credits.
    if change.change == "added":
        return WEAKENED, f"credits must now be claimed within {change.after_words}"
    if change.change == "removed":
        return STRENGTHENED, f"the time to claim a credit ({change.before_words}) is removed"
    return _up_or_down(change.before, change.after, True, "the time to claim a credit", change)


def _credit_terms(change: FieldChange, record: RecordChange) -> Judgement | None:
    terms = change.after if change.change == "added" else change.before
    if not isinstance(terms, dict):
        return None
    limits = [words for key, words in (("cap_percent", "a cap"), ("claim_within_days", "a time to claim"))
              if key in terms]
    if not limits:
        return NEUTRAL, f"service credit terms without a cap or a time to claim are {change.change}: {change.after_words if change.change == 'added' else change.before_words}"
    limited = " and ".join(limits)
    if change.change == "added":
        return WEAKENED, f"service credit terms with {limited} are added: {change.after_words}"
    return STRENGTHENED, f"the service credit terms, with {limited}, are removed: {change.before_words}"


def _underpinning(change: FieldChange, record: RecordChange) -> Judgement | None:
    return _added_or_removed(change, "the underpinning agreement")


def _metric_target(change: FieldChange, record: RecordChange) -> Judgement | None:
    metric_id = change.path[1].key

    def direction(entity):
        metric = item_by_id(entity, "metrics", metric_id) if entity is not None else None
        return metric.get("direction") if metric is not None else None

    before_direction, after_direction = direction(record.base), direction(record.head)
    if before_direction != after_direction:
        return NEUTRAL, f"metric {metric_id} changed its direction as well as its target; read it"
    what = f"the {after_direction} target of metric {metric_id}"
    before, after = Duration.parse(change.before), Duration.parse(change.after)
    if before is not None and after is not None:
        # Durations count covered time of each side's calendar: 3 business days is 30 hours, not 72.
        old = _covered_minutes(change.before, applicable_calendar(record.base, change.path))
        new = _covered_minutes(change.after, applicable_calendar(record.head, change.path))
        if old is None or new is None:
            return NEUTRAL, f"{what} cannot be compared: no calendar says how long a service day or week is"
        if old == new:
            return NEUTRAL, f"{what} is the same covered time, written differently"
        return _up_or_down(old, new, after_direction == "at-least", what, change)
    if (before is None) != (after is None):
        return NEUTRAL, f"metric {metric_id} changes from a number to a duration or back; read it"
    if not isinstance(change.before, (int, float)) or not isinstance(change.after, (int, float)):
        return None
    return _up_or_down(change.before, change.after, after_direction == "at-least", what, change)


def _metric_list(change: FieldChange, record: RecordChange) -> Judgement | None:
    return _added_or_removed(change, "the metric")


def _maintenance_minutes(window: dict, entity) -> float:
    """Minutes per week the window takes out of the agreement's service hours (of the whole
    week when it states none): what it takes from the time downtime is counted in."""
    calendar = entity.calendar if isinstance(entity, Agreement) else None
    return maintenance_in_covered_time(calendar.data if calendar else None, [window]).hours_per_week * 60


def _notice_minutes(window: dict, entity) -> float | None:
    calendar = entity.calendar if isinstance(entity, Agreement) else None
    return _covered_minutes(window.get("notice"), calendar)


def _notice_words(window: dict, entity) -> str:
    return value_words(window.get("notice"), (Step("availability"), Step("maintenance_windows"), Step(0, True), Step("notice")), "Agreement", entity)


def _hours_words(minutes: float) -> str:
    hours = minutes / 60
    return f"{format_hours(hours)} hour{'s' * (hours != 1)}"


def _maintenance_window(change: FieldChange, record: RecordChange) -> Judgement | None:
    """More planned maintenance inside the service hours is more time the service may be
    down without it counting; less notice of it is less time to prepare."""
    if change.change == "added":
        return WEAKENED, f"the maintenance window {change.after_words} is added: the service may be down then without it counting"
    if change.change == "removed":
        return STRENGTHENED, f"the maintenance window {change.before_words} is removed: downtime then counts again"
    before, after = change.before, change.after
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    found: list[Judgement] = []
    old, new = _maintenance_minutes(before, record.base), _maintenance_minutes(after, record.head)
    if old != new:
        verdict: Verdict = WEAKENED if new > old else STRENGTHENED
        found.append((verdict, f"maintenance inside the service hours goes {'up' if new > old else 'down'} from "
                               f"{_hours_words(old)} to {_hours_words(new)} per week"))
    old_notice, new_notice = _notice_minutes(before, record.base), _notice_minutes(after, record.head)
    if before.get("notice") is not None and after.get("notice") is None:
        found.append((WEAKENED, "no notice of the window is promised any more"))
    elif before.get("notice") is None and after.get("notice") is not None:
        found.append((STRENGTHENED, "notice of the window is now promised"))
    elif old_notice is not None and new_notice is not None and old_notice != new_notice:
        shorter = new_notice < old_notice
        found.append((WEAKENED if shorter else STRENGTHENED, f"the notice gets {'shorter' if shorter else 'longer'}: "
                      f"{_notice_words(before, record.base)} -> {_notice_words(after, record.head)}"))
    for verdict in (WEAKENED, STRENGTHENED):
        if any(found_verdict == verdict for found_verdict, _ in found):
            return verdict, "; ".join(reason for _, reason in found)
    return NEUTRAL, f"the window takes the same {_hours_words(new)} per week out of the service hours, with the same notice"


def _clock_stop_list(change: FieldChange, record: RecordChange) -> Judgement | None:
    # While the clock stops, no target runs: one more condition is less promised.
    return _added_or_removed(change, "the clock stop", added_strengthens=False)


def _clock_stop_targets(change: FieldChange, record: RecordChange) -> Judgement | None:
    def targets(value) -> set:
        return set(value) if isinstance(value, list) and value else set(ClockStop.TARGETS)

    stop = change.path[1].key
    before, after = targets(change.before), targets(change.after)
    gained, lost = sorted(after - before), sorted(before - after)
    if gained:
        return WEAKENED, f"clock stop {stop} now also stops the {' and '.join(gained)} clock"
    if lost:
        return STRENGTHENED, f"clock stop {stop} no longer stops the {' and '.join(lost)} clock"
    return NEUTRAL, f"clock stop {stop} stops the same clocks, written differently"


def _clock_stop_condition(change: FieldChange, record: RecordChange) -> Judgement | None:
    # Not text-only: the wording decides when the targets run, and no rule can read it.
    return NEUTRAL, "the condition is reworded; read it"


def _revised(change: FieldChange, record: RecordChange) -> Judgement | None:
    return NEUTRAL, f"the date of the last revision changes from {change.before_words} to {change.after_words}; it promises nothing"


# Reports on a schedule beat reports only when asked for; among schedules, the more often the better.
REPORTING_FREQUENCY_RANK: dict[Any, int] = {  # Any: asked with whatever the YAML says
    "weekly": 5, "monthly": 4, "quarterly": 3, "semiannual": 2, "annual": 1, "on-request": 0,
}


def _reporting_frequency(change: FieldChange, record: RecordChange) -> Judgement | None:
    before, after = REPORTING_FREQUENCY_RANK.get(change.before), REPORTING_FREQUENCY_RANK.get(change.after)
    if before is None or after is None or before == after:
        return None
    verdict: Verdict = WEAKENED if after < before else STRENGTHENED
    if change.after == "on-request":
        return verdict, f"reports are produced only on request instead of {change.before_words}"
    if change.before == "on-request":
        return verdict, f"reports are produced {change.after_words} instead of only on request"
    return verdict, f"reports come {'less' if after < before else 'more'} often: {change.before_words} -> {change.after_words}"


def _definition_list(change: FieldChange, record: RecordChange) -> Judgement | None:
    """An agreement's own definition added or removed: neutral, but said, since it changes
    what a word of the agreement means (and which glossary term its page shows)."""
    if change.change not in ("added", "removed"):
        return None  # a definition reworded: text-only
    value = change.after if change.change == "added" else change.before
    items = value if isinstance(value, list) else [value]
    terms = [f'"{item["term"]}"' for item in items if isinstance(item, dict) and isinstance(item.get("term"), str)]
    what = f"the definition{'s' * (len(terms) != 1)} of {', '.join(terms)}" if terms else "definitions"
    return NEUTRAL, (
        f"{what} {'is' if len(terms) == 1 else 'are'} {change.change}: a definition explains the agreement's words "
        "and promises nothing, but read it, as it can change what a target means"
    )


# --- Calendars ----------------------------------------------------------------------------


def _calendar_hours(change: FieldChange, record: RecordChange) -> Judgement | None:
    base, head = record.base, record.head
    assert isinstance(base, Calendar) and isinstance(head, Calendar)  # a field changed: both sides have it
    old, new = base.hours_per_week, head.hours_per_week
    if old == new:
        return NEUTRAL, f"the calendar covers the same {format_hours(new)} hours per week, at other times"
    verdict: Verdict = WEAKENED if new < old else STRENGTHENED
    return verdict, (
        f"the calendar covers {'fewer' if new < old else 'more'} hours per week: "
        f"{format_hours(old)} -> {format_hours(new)}, for every agreement and service that uses it"
    )


def _calendar_holidays(change: FieldChange, record: RecordChange) -> Judgement | None:
    # A holiday is a day without cover; adding one weakens, removing one strengthens.
    return _added_or_removed(change, "the day without cover", added_strengthens=False)


def _calendar_inherits(change: FieldChange, record: RecordChange) -> Judgement | None:
    # Inheriting a calendar's holidays adds its days without cover; no longer inheriting them gives them back.
    if change.change == "changed":  # the same calendars in another order: the same days
        return NEUTRAL, "the calendar inherits the holidays of the same calendars, listed in another order"
    if change.change == "added":
        return WEAKENED, f"the calendar now also keeps the holidays of {change.after_words}: more days without cover"
    return STRENGTHENED, f"the calendar no longer keeps the holidays of {change.before_words}: fewer days without cover"


def _holiday_recurring(change: FieldChange, record: RecordChange) -> Judgement | None:
    # A recurring holiday is a day without cover every year from its date, not only in that year.
    holiday = change.path[1].key
    before, after = change.before is True, change.after is True
    if before == after:
        return NEUTRAL, f"the holiday on {holiday} is still {'recurring' if after else 'for one year'}"
    if after:
        return WEAKENED, f"the holiday on {holiday} now recurs every year: a day without cover every year, not once"
    return STRENGTHENED, f"the holiday on {holiday} no longer recurs: a day without cover in {str(holiday)[:4]} only"


# --- Services -----------------------------------------------------------------------------


def _service_criticality(change: FieldChange, record: RecordChange) -> Judgement | None:
    # The business's own tiering of the service: it promises the customer nothing (the
    # agreements do), so a reviewer reads it but no customer is worse off for it.
    return NEUTRAL, (
        f"the business criticality changes from {change.before_words} to {change.after_words}: it says how much "
        "the business depends on the service, and promises nothing to its customers (its agreements do)"
    )


# --- Records as a whole -----------------------------------------------------------------


IN_FORCE = {"Agreement": ("status", "active"), "Service": ("status", "live")}


def _record_presence(change: FieldChange, record: RecordChange) -> Judgement:
    key, value = IN_FORCE.get(record.kind, (None, None))
    live = key is not None and record.entity.get(key) == value
    noun = f"{record.kind} {record.id}"
    if record.status == "removed":
        return (WEAKENED, f"the {value} {noun} is removed") if live else (NEUTRAL, f"{noun} is removed")
    return (STRENGTHENED, f"the {value} {noun} is added") if live else (NEUTRAL, f"{noun} is added")


RULES: tuple[Rule, ...] = (
    Rule("availability-target", "the availability target goes down or is removed",
         "Agreement", ("availability.target", "availability"), _availability),
    Rule("response-time", "a priority's response time gets longer (in covered time)",
         "Agreement", ("priorities[].response",), _time_rule("response time")),
    Rule("resolution-time", "a priority's resolution time gets longer (in covered time)",
         "Agreement", ("priorities[].resolution",), _time_rule("resolution time")),
    Rule("fulfilment-time", "a request's fulfilment time gets longer, or is removed",
         "Service", ("requests[].fulfilment",), _time_rule("fulfilment time")),
    Rule("service-hours", "the agreement's hours cover fewer hours per week",
         "Agreement", ("hours",), _agreement_hours),
    Rule("priority-hours", "a priority's hours cover fewer hours per week",
         "Agreement", ("priorities[].hours",), _hours_rule("the priority's hours", _priority_calendar)),
    Rule("metric-hours", "the hours a metric's duration target counts in cover fewer hours per week",
         "Agreement", ("metrics[].hours",), _hours_rule("the metric's hours", _metric_calendar)),
    Rule("support-hours", "a service's support hours cover fewer hours per week, or are removed",
         "Service", ("support.hours", "support"), _hours_rule("the support hours", _support_calendar)),
    Rule("calendar-hours", "a calendar's own weekly hours cover fewer hours per week",
         "Calendar", ("weekly",), _calendar_hours),
    Rule("calendar-holidays", "a holiday (a day without cover) is added",
         "Calendar", ("holidays[]",), _calendar_holidays),
    Rule("calendar-holidays-from", "a calendar whose holidays are inherited is added to `holidays_from`",
         "Calendar", ("holidays_from[]", "holidays_from"), _calendar_inherits),
    Rule("calendar-recurring", "a holiday becomes recurring (a day without cover every year)",
         "Calendar", ("holidays[].recurring",), _holiday_recurring),
    Rule("service-criticality", "never: a change of business criticality is neutral",
         "Service", ("criticality",), _service_criticality),
    Rule("priority-list", "a priority is removed",
         "Agreement", ("priorities[]",), _priority_list),
    Rule("period-end", "the agreement ends earlier, or an open-ended one gets an end date",
         "Agreement", ("period.end",), _period_end),
    Rule("period-start", "the agreement starts later",
         "Agreement", ("period.start",), _period_start),
    Rule("agreement-status", "the status moves towards the end: active, draft, expired/terminated/superseded",
         "Agreement", ("status",), _status_rule(AGREEMENT_STATUS_RANK, "agreement")),
    Rule("service-status", "the status moves towards the end: live, pipeline, retired",
         "Service", ("status",), _status_rule(SERVICE_STATUS_RANK, "service")),
    Rule("service-credits", "a service credit is removed",
         "Agreement", ("service_credits[]",), _service_credits),
    Rule("service-credit-threshold", "a credit tier's threshold goes down: the credit starts later",
         "Agreement", ("service_credits[]",), _credit_tier_moved),
    Rule("service-credit-percent", "a credit tier's percent goes down",
         "Agreement", ("service_credits[].percent",), _credit_percent),
    Rule("service-credit-cap", "the cap on all credits goes down, or a cap is added",
         "Agreement", ("service_credit_terms.cap_percent",), _credit_cap),
    Rule("service-credit-claim-window", "the time to claim a credit gets shorter, or a deadline is added",
         "Agreement", ("service_credit_terms.claim_within_days",), _credit_claim_window),
    Rule("service-credit-terms", "service credit terms with a cap or a time to claim are added",
         "Agreement", ("service_credit_terms",), _credit_terms),
    Rule("underpinning", "an underpinning agreement (OLA or UC) is removed",
         "Agreement", ("underpinned_by[]",), _underpinning),
    Rule("metric-target", "a metric's target moves the wrong way (at-least down, at-most up)",
         "Agreement", ("metrics[].target",), _metric_target),
    Rule("metric-list", "a metric is removed",
         "Agreement", ("metrics[]",), _metric_list),
    Rule("maintenance-window", "a maintenance window is added, takes more service hours, or gets shorter notice",
         "Agreement", ("availability.maintenance_windows[]",), _maintenance_window),
    Rule("clock-stop", "a condition that stops the clock is added",
         "Agreement", ("clock_stops[]",), _clock_stop_list),
    Rule("clock-stop-targets", "a clock stop comes to stop the response or resolution clock too",
         "Agreement", ("clock_stops[].applies_to",), _clock_stop_targets),
    Rule("clock-stop-condition", "never: a reworded condition is neutral, to be read",
         "Agreement", ("clock_stops[].when",), _clock_stop_condition),
    Rule("reporting-frequency", "reports come less often, or only on request",
         "Agreement", ("reporting.frequency",), _reporting_frequency),
    Rule("revised", "never: the date of the last revision promises nothing",
         "Agreement", ("revised",), _revised),
    Rule("definition-list", "never: an agreement's own definition is added or removed (neutral, and said)",
         "Agreement", ("definitions[]", "definitions"), _definition_list),
    Rule("record-presence", "an active agreement or a live service is removed",
         "*", ("",), _record_presence),
)


# Fields whose value is wording for people, not a promise: changing them is `text-only`.
TEXT_FIELDS = {
    "title", "summary", "description", "scope", "objectives", "assumptions", "exclusions",
    "requirements", "tags", "links", "condition", "credit", "maintenance", "contents", "note",
    "role", "name", "definition", "definitions", "aliases", "abbreviation", "source", "version", "examples", "triggers",
    "of", "remedy", "notes",
}


def classify(record: RecordChange) -> None:
    """Set the class, rule and reason of every change of one record, and order them by class."""
    for change in record.fields:
        change.verdict, change.rule, change.reason = judge(change, record)
    # Weakened first, as reviewers read top down; the stable sort keeps file order within a class.
    record.fields.sort(key=lambda change: VERDICTS.index(change.verdict))


def judge(change: FieldChange, record: RecordChange) -> tuple[Verdict, str, str]:
    pattern = change.pattern
    for rule in RULES:
        if rule.kind in (record.kind, "*") and pattern in rule.patterns:
            verdict = rule.judge(change, record)
            if verdict is not None:
                return verdict[0], rule.id, verdict[1]
    if _is_text(change):
        return NEUTRAL, "text-only", f"{change.field} is reworded"
    return NEUTRAL, "other", f"{change.field} changes; no rule judges it, so read it"


def _is_text(change: FieldChange) -> bool:
    named = [step.key for step in change.path if not step.item]
    return bool(named) and (named[0] in TEXT_FIELDS or named[-1] in TEXT_FIELDS) and all(
        _is_wording(value) for value in (change.before, change.after)
    )


def _is_wording(value) -> bool:
    """Text, or lists and mappings with only text in them (links, requirements)."""
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(_is_wording(item) for item in value)
    if isinstance(value, dict):
        return all(_is_wording(item) for item in value.values())
    return False
