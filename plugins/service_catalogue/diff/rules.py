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
from service_catalogue.fields import parse_date
from service_catalogue.kinds import KindName
from service_catalogue.model import AgreementStatus, Calendar, ServiceStatus
from service_catalogue.timeplan import Duration, format_hours
from service_catalogue.diff.compare import FieldChange, RecordChange
from service_catalogue.diff.words import applicable_calendar, calendar_words, item_by_id

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


def _priority_calendar(entity, change):
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
    if not isinstance(change.before, (int, float)) or not isinstance(change.after, (int, float)):
        return None
    return _up_or_down(change.before, change.after, after_direction == "at-least", f"the {after_direction} target of metric {metric_id}", change)


def _metric_list(change: FieldChange, record: RecordChange) -> Judgement | None:
    return _added_or_removed(change, "the metric")


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
         "Agreement", ("hours",), _hours_rule("the service hours", _agreement_calendar)),
    Rule("priority-hours", "a priority's hours cover fewer hours per week",
         "Agreement", ("priorities[].hours",), _hours_rule("the priority's hours", _priority_calendar)),
    Rule("support-hours", "a service's support hours cover fewer hours per week, or are removed",
         "Service", ("support.hours", "support"), _hours_rule("the support hours", _support_calendar)),
    Rule("calendar-hours", "a calendar's own weekly hours cover fewer hours per week",
         "Calendar", ("weekly",), _calendar_hours),
    Rule("calendar-holidays", "a holiday (a day without cover) is added",
         "Calendar", ("holidays[]",), _calendar_holidays),
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
    Rule("underpinning", "an underpinning agreement (OLA or UC) is removed",
         "Agreement", ("underpinned_by[]",), _underpinning),
    Rule("metric-target", "a metric's target moves the wrong way (at-least down, at-most up)",
         "Agreement", ("metrics[].target",), _metric_target),
    Rule("metric-list", "a metric is removed",
         "Agreement", ("metrics[]",), _metric_list),
    Rule("definition-list", "never: an agreement's own definition is added or removed (neutral, and said)",
         "Agreement", ("definitions[]", "definitions"), _definition_list),
    Rule("record-presence", "an active agreement or a live service is removed",
         "*", ("",), _record_presence),
)


# Fields whose value is wording for people, not a promise: changing them is `text-only`.
TEXT_FIELDS = {
    "title", "summary", "description", "scope", "objectives", "assumptions", "exclusions",
    "requirements", "tags", "links", "condition", "credit", "maintenance", "contents", "note",
    "role", "name", "definition", "definitions", "aliases", "abbreviation", "source", "version",
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
