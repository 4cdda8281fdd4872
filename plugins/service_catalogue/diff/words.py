"""Values in the words of the domain: durations as durations, calendars by title and hours.

Each side of a comparison is worded against its own catalogue, so "1d" before
a calendar change and "1d" after it can read differently, as they should.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from service_catalogue.credits import credit_tier, credit_words, of_words, percent_words
from service_catalogue.kinds import KIND_BY_NAME
from service_catalogue.model import Agreement, Calendar, Entity, Service
from service_catalogue.validation.references import REFERENCE_FIELDS
from service_catalogue.timeplan import WEEKDAYS, Duration, WeeklyCoverage, format_hours
from service_catalogue.diff.paths import Step, pattern_of

NONE = "none"
# What an absent value means where it is not "none".
ABSENT_WORDS = {
    "period.end": "open-ended",
    "clock_stops[].applies_to": "response and resolution (by default)",
}

# Which field (as a pattern, "priorities[].hours") names which kind of record.
REFERENCE_KINDS = {
    kind: {field.path: field.kind for field in fields} for kind, fields in REFERENCE_FIELDS.items()
}


def applicable_calendar(entity: Entity | None, path: tuple[Step, ...]):
    """The calendar whose covered time a duration at path counts (a Calendar entity or None)."""
    if entity is None:
        return None
    if isinstance(entity, Agreement):
        if path and path[0].key == "priorities" and len(path) > 1:
            priorities = _by_id(entity, "Priority", ((priority.id, priority) for priority in entity.priorities))
            priority = priorities.get(path[1].key)
            if priority is not None:
                return priority.calendar
        if path and path[0].key == "metrics" and len(path) > 1:
            metrics = _by_id(entity, "Metric", ((metric.id, metric) for metric in entity.metric_targets))
            metric = metrics.get(path[1].key)
            if metric is not None:
                return metric.hours
        return entity.calendar
    if isinstance(entity, Service):
        return entity.support_calendar
    return None


def hours_words(hours: float) -> str:
    return f"{format_hours(hours)} h/week"


def calendar_words(calendar, calendar_id) -> str:
    """'UK business hours (50 h/week)'; the bare id when the calendar is not there."""
    if calendar is None or calendar.kind != "Calendar":
        return str(calendar_id)
    return f"{calendar.title} ({hours_words(calendar.hours_per_week)})"


def inherited_words(calendar, calendar_id) -> str:
    """'England and Wales bank holidays (uk-bank-holidays, 16 holidays)': a calendar named for its holidays."""
    if not isinstance(calendar, Calendar):
        return str(calendar_id)
    count = len(calendar.holiday_list)
    return f"{calendar.title} ({calendar.id}, {count} holiday{'s' * (count != 1)})"


def coverage_words(data: dict) -> str:
    """A calendar's weekly hours: 'Mon–Fri 08:00–18:00 (50 h/week)', 'always, 24x7 (168 h/week)'."""
    coverage = WeeklyCoverage.from_calendar_data(data)
    if data.get("always") is True:
        return f"always, 24x7 ({hours_words(coverage.hours_per_week)})"
    windows = [
        f"{_day_span(window.get('days') or [])} {window.get('from')}–{window.get('to')}"
        for window in data.get("weekly") or ()
    ]
    return f"{', '.join(windows) or 'no hours'} ({hours_words(coverage.hours_per_week)})"


def _day_span(days: list[str]) -> str:
    ordered = sorted(set(days), key=lambda day: WEEKDAYS.index(day) if day in WEEKDAYS else 7)
    indexes = [WEEKDAYS.index(day) for day in ordered if day in WEEKDAYS]
    if len(indexes) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{ordered[0].title()}–{ordered[-1].title()}"
    return ", ".join(day.title() for day in ordered)


def maintenance_window_words(window: dict, entity: Entity | None) -> str:
    """'Weekly patching: Sun 02:00–06:00, notice 5 service days (50 hours)'."""
    words = f"{window.get('title')}: {_day_span(window.get('days') or [])} {window.get('from')}–{window.get('to')}"
    notice = Duration.parse(window.get("notice"))
    if notice is not None:
        calendar = entity.calendar if isinstance(entity, Agreement) else None
        words += f", notice {notice.words(calendar.coverage if calendar else None)}"
    return words


def number_words(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def metric_words(metric: dict) -> str:
    bound = {"at-least": "at least", "at-most": "at most"}.get(metric.get("direction", ""), "")
    return f"{metric.get('title', metric.get('id'))}: {bound} {target_words(metric.get('target'), metric.get('unit'))}"


def target_words(target, unit) -> str:
    unit = unit or ""
    return f"{number_words(target)}{unit}" if unit == "%" else f"{number_words(target)} {unit}".strip()


def value_words(value, path: tuple[Step, ...], kind: str, entity: Entity | None) -> str:
    """One value of a record of `kind`, found at `path`, in words; entity is that side's record."""
    pattern = pattern_of(path)
    if value is None:
        return ABSENT_WORDS.get(pattern, NONE)
    duration = Duration.parse(value) if kind in KIND_BY_NAME and pattern in KIND_BY_NAME[kind].duration_fields else None
    if duration is not None:  # a metric's target may be a number instead: worded below
        calendar = applicable_calendar(entity, path)
        words = duration.words(calendar.coverage if calendar else None)
        return words if calendar is not None or not duration.needs_calendar else f"{words} (no service hours)"
    if kind == "Calendar" and pattern == "holidays_from[]":
        return inherited_words(entity.resolve(value) if entity is not None else None, value)
    target_kind = REFERENCE_KINDS.get(kind, {}).get(pattern)
    if target_kind is not None:
        target = entity.resolve(value) if entity is not None else None
        if target_kind == "Calendar":
            return calendar_words(target, value)
        return f"{target.title} ({value})" if target is not None and target.kind == target_kind else str(value)
    special = _special_words(value, pattern, path, kind, entity)
    if special is not None:
        return special
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_words(value)
    if isinstance(value, list):
        return ", ".join(value_words(item, path + (Step("", True),), kind, entity) for item in value) or NONE
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_words(item, path + (Step(key),), kind, entity)}" for key, item in value.items())
    return str(value)


def _special_words(value, pattern, path, kind, entity):
    """Fields whose meaning needs more than their own value; None when nothing special applies."""
    if kind == "Agreement":
        if pattern == "availability.target":
            return f"{number_words(value)}%"
        if pattern == "availability" and isinstance(value, dict):
            return f"{number_words(value.get('target'))}% per {value.get('window', 'window')}"
        if pattern == "metrics[].target":
            metric = item_by_id(entity, "metrics", path[1].key) if entity is not None else None
            return target_words(value, (metric or {}).get("unit"))
        if pattern == "metrics[]" and isinstance(value, dict):
            return metric_words(value)
        if pattern == "priorities[]" and isinstance(value, dict):
            words = [
                f"{label} {value_words(value.get(key), path + (Step(key),), kind, entity)}"
                for label, key in (("response", "response"), ("resolution", "resolution"))
                if key in value
            ]
            return f"{value.get('id')}: {', '.join(words) or 'no target (best effort)'}"
        if pattern == "service_credits[]" and isinstance(value, dict):
            tier = credit_tier(value, 0)
            if tier is not None:
                return f"{tier.key}: {credit_words(tier, _data(entity))}"
            return f"{value.get('condition')}: {value.get('credit')}"
        if pattern == "availability.maintenance_windows[]" and isinstance(value, dict):
            return maintenance_window_words(value, entity)
        if pattern == "clock_stops[]" and isinstance(value, dict):
            targets = value.get("applies_to") or ("response", "resolution")
            return f"{value.get('when')} (for {' and '.join(str(target) for target in targets)})"
        if pattern == "clock_stops[].applies_to" and isinstance(value, list):
            return " and ".join(str(item) for item in value) or NONE
        if pattern == "service_credits[].percent":
            return f"{percent_words(value)} of {of_words(_data(entity))}"
        if pattern in ("service_credits[].below", "service_credits[].at_or_below"):
            return percent_words(value)
        if pattern == "service_credit_terms.cap_percent":
            return f"{percent_words(value)} of {of_words(_data(entity))}"
        if pattern == "service_credit_terms.claim_within_days":
            return f"{number_words(value)} calendar days"
        if pattern == "service_credit_terms" and isinstance(value, dict):
            return terms_words(value)
        if pattern == "definitions[]" and isinstance(value, dict):
            return f"{value.get('term')}: {value.get('definition')}"
    if kind == "Calendar":
        if pattern == "weekly":
            return coverage_words(value if isinstance(value, dict) else {"weekly": value})
        if pattern == "holidays[]" and isinstance(value, dict):
            every = " (every year)" if value.get("recurring") is True else ""
            return f"{value.get('date')} {value.get('title', '')}".strip() + every
    return None


def _data(entity: Entity | None) -> dict:
    return entity.data if entity is not None else {}


def terms_words(terms: dict) -> str:
    """ "of the monthly fee; cap 50%; claim within 30 calendar days; remedy: ..." """
    parts = []
    if "of" in terms:
        parts.append(f"of {terms['of']}")
    if "cap_percent" in terms:
        parts.append(f"cap {percent_words(terms['cap_percent'])}")
    if "claim_within_days" in terms:
        parts.append(f"claim within {number_words(terms['claim_within_days'])} calendar days")
    if "remedy" in terms:
        parts.append(f"remedy: {terms['remedy']}")
    if terms.get("notes"):
        parts.append(f"{len(terms['notes'])} note{'s' * (len(terms['notes']) != 1)}")
    return "; ".join(parts) or NONE


def item_by_id(entity: Entity, list_name: str, item_id) -> dict | None:
    """The item of entity's list (metrics, priorities...) with that id, or None."""
    items = ((item.get("id"), item) for item in entity.get(list_name) or () if isinstance(item, dict))
    return _by_id(entity, list_name, items).get(item_id)


# Entity -> list name (or "Priority", the model's) -> {id: item}: each change of a list's
# item looks its item up, and a scan per lookup would make a list whose every item
# changed cost its length squared.
_INDEXES: WeakKeyDictionary = WeakKeyDictionary()


def _by_id(entity: Entity, list_name: str, items) -> dict:
    """The index of (id, item) pairs, built from items on the first lookup only (a generator
    is cheap to make and is not run again)."""
    indexes = _INDEXES.setdefault(entity, {})
    if list_name not in indexes:
        index: dict = {}
        for item_id, item in items:
            try:
                index.setdefault(item_id, item)  # the first, as a scan would find
            except TypeError:  # an unhashable id (the schema refuses it) is never looked up
                pass
        indexes[list_name] = index
    return indexes[list_name]
