"""Checks that a schema cannot express: references, uniqueness, cycles, dates, durations, time zones."""

from __future__ import annotations

import dataclasses
import difflib
import re
import zoneinfo
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from service_catalogue.kinds import KIND_NAMES, KINDS
from service_catalogue.validation.loader import Record
from service_catalogue.fields import DataPath, format_path, parse_date, with_article
from service_catalogue.validation.problems import Problem
from service_catalogue.validation.references import REFERENCE_FIELDS, record_references, walk
from service_catalogue.validation.schemas import (
    ID_NAMES,
    REFERENCE_HINTS,
    YEAR_OF_DURATIONS,
    closest,
    did_you_mean_words,
    either,
    slugify,
)
from service_catalogue.validation.timezones import offset_hint, spoken_zones
from service_catalogue.timeplan import Duration
from service_catalogue.credits import CreditTier, by_measure, credit_tiers, percent_words

ID_CODES = frozenset(f"schema.{name}" for name in ID_NAMES)  # a value that is not of an id's form
LOCAL_ID_LISTS = {kind.name: kind.local_id_lists for kind in KINDS if kind.local_id_lists}
# Every field that holds a duration (tests/test_hardening_schema.py holds this to the schemas).
DURATION_FIELDS = {kind.name: kind.duration_fields for kind in KINDS if kind.duration_fields}
# A year (of 366 days) in each unit: the longest target that can be measured, since
# service levels are reviewed and reported at least once a year.
LONGEST_DURATION = {"m": 366 * 24 * 60, "h": 366 * 24, "d": 366, "w": 366 / 7}


def index_ids(records: list[Record]) -> tuple[dict[str, Record], list[Problem]]:
    """The first record of each id, and a problem for every later one."""
    by_id: dict[str, Record] = {}
    problems = []
    for record in records:
        rid = record.id
        if rid is None:
            continue
        first = by_id.get(rid)
        if first is None:
            by_id[rid] = record
            continue
        problems.append(
            Problem(
                record.location(("id",)),
                "id.duplicate",
                f"the id `{rid}` is already used by {first.label} at {first.location(('id',))}",
                field="id",
                record=record.label,
                hint="ids are unique across the whole catalogue, whatever the kind; rename one of them",
                related=(first.location(("id",)),),
            )
        )
    return by_id, problems


class CloseIds:
    """Ids, and the one closest to a word that names none of them.

    Each id is filed under itself and under every text it becomes with one character
    deleted; a word is looked up the same way. So an id one typo away (a character
    more, less or changed, or two swapped) is found in a few lookups, and difflib
    compares the word with those few ids only: many missing references in a large
    catalogue cost each the same, not a scan of every id.
    """

    MAX_CANDIDATES = 32

    def __init__(self, ids):
        self.ids = list(ids)
        self._index: dict[str, list[str]] | None = None

    @staticmethod
    def _keys(word: str):
        return dict.fromkeys([word, *(word[:i] + word[i + 1 :] for i in range(len(word)))])

    def closest(self, word: str) -> str | None:
        """An id that difflib finds close to word (ratio 0.6 or more), or None."""
        if self._index is None:
            self._index = defaultdict(list)
            for rid in self.ids:
                for key in self._keys(rid):
                    self._index[key].append(rid)
        candidates: dict[str, None] = {}
        for key in self._keys(word):
            for rid in self._index.get(key, ()):
                candidates[rid] = None
                if len(candidates) >= self.MAX_CANDIDATES:
                    break
            if len(candidates) >= self.MAX_CANDIDATES:
                break
        close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
        return close[0] if close else None


class IdsByKind:
    """The ids of each kind, listed (and indexed) once, when a missing reference first asks."""

    def __init__(self, by_id: dict[str, Record]):
        self.by_id = by_id
        self._close: dict[str, CloseIds] = {}
        self._listed: dict[str, list[str]] = {}

    def named(self, kind: str, word: str) -> bool:
        record = self.by_id.get(word)
        return record is not None and record.kind == kind

    def of_kind(self, kind: str) -> list[str]:
        listed = self._listed.get(kind)
        if listed is None:
            listed = self._listed[kind] = sorted(rid for rid, r in self.by_id.items() if r.kind == kind)
        return listed

    def closest(self, kind: str, word: str) -> str | None:
        close = self._close.get(kind)
        if close is None:
            close = self._close[kind] = CloseIds(rid for rid, r in self.by_id.items() if r.kind == kind)
        return close.closest(word)


MAX_LISTED_IDS = 5  # the ids of a kind a hint lists, when none is close to what was written
_REFERENCE_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]")


def with_catalogue_ids(found: list[tuple[Record, Problem]], all_records: list[Record]) -> list[Problem]:
    """Schema problems, where a reference is not an id at all (`hours: Mon-Fri 8-5`, `owner: IT
    Services`), told the catalogue's own ids: the record the text most likely names (its slug, or
    the id closest to it, as ref.missing finds them), or else the ids there are to name. The
    schema sees one record, so it could only propose a slug, which may name nothing."""
    ids: IdsByKind | None = None
    out = []
    for record, problem in found:
        named = None
        if problem.code in ID_CODES and problem.field != "id":
            steps = re.sub(r"\[[0-9]+\]", "[]", problem.field)
            named = next((f.kind for f in REFERENCE_FIELDS.get(record.kind or "", ()) if f.path == steps), None)
        value = _value_at(record.data, problem.field) if named else None
        slug = slugify(value)
        if named is None or not isinstance(value, str) or slug == value:  # a reserved id is no text to mend
            out.append(problem)
            continue
        if ids is None:
            ids = IdsByKind({r.id: r for r in reversed(all_records) if r.id is not None})
        close = slug if ids.named(named, slug) else ids.closest(named, slug) if slug else None
        field_name = problem.field.rpartition(".")[2].split("[")[0]
        listed = ids.of_kind(named)
        if close:
            hint = f"`{field_name}` names {with_article(named)} by its id: did you mean `{close}`?"
        elif listed:
            shown = ", ".join(f"`{rid}`" for rid in listed[:MAX_LISTED_IDS]) + (", ..." if len(listed) > MAX_LISTED_IDS else "")
            said = problem.hint if named in REFERENCE_HINTS else f"`{field_name}` names {with_article(named)} by its id"
            hint = f"{said}; the catalogue's {named.lower()} ids: {shown}"
        else:
            hint = problem.hint
        out.append(dataclasses.replace(problem, hint=hint, suggestion=close))
    return out


def _value_at(data, field: str):
    for key, index in _REFERENCE_STEP.findall(field):
        step = int(index) if index else key
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


@dataclass
class Scope:
    """What the checks of one catalogue share, worked out once."""

    valid: list[Record]  # the records that passed the schema: the ones the checks look at
    by_id: dict[str, Record]  # the first record of each id, valid or not
    others: dict[str, list[Record]]  # the later records sharing an id (reported once, by index_ids)
    unread: tuple[str, ...]  # the files that could not be read at all, named in hints about missing records
    ids_by_kind: IdsByKind

    @classmethod
    def of(cls, valid: list[Record], all_records: list[Record], unread=()) -> tuple[Scope, list[Problem]]:
        """The scope, and a problem for every id used twice."""
        by_id, problems = index_ids(all_records)
        others: dict[str, list[Record]] = defaultdict(list)
        for record in all_records:
            if record.id is not None and by_id.get(record.id) is not record:
                others[record.id].append(record)
        return cls(valid, by_id, others, tuple(unread), IdsByKind(by_id)), problems

    @property
    def valid_by_id(self) -> dict[str, Record]:
        valid_ids = {id(r) for r in self.valid}
        return {k: v for k, v in self.by_id.items() if id(v) in valid_ids}


RecordCheck = Callable[[Record, Scope], list[Problem]]
CatalogueCheck = Callable[[Scope], list[Problem]]

# The checks, in the order they run (and so report); each registers itself with one of
# the decorators below, and check_records runs them all.
RECORD_CHECKS: list[RecordCheck] = []  # one record at a time, for every valid record
CATALOGUE_CHECKS: list[CatalogueCheck] = []  # across the valid records, once


def record_check(check: RecordCheck) -> RecordCheck:
    RECORD_CHECKS.append(check)
    return check


def catalogue_check(check: CatalogueCheck) -> CatalogueCheck:
    CATALOGUE_CHECKS.append(check)
    return check


@record_check
def check_references(record: Record, scope: Scope) -> list[Problem]:
    problems = []
    for field, path, target in record_references(record):
        found = scope.by_id.get(target)
        if found is not None and found.kind != field.kind:
            # A duplicate id is reported once; a reference that fits one of its holders is not its echo.
            found = next((r for r in scope.others.get(target, ()) if r.kind == field.kind), found)
        name = format_path(path)
        if found is None:
            close = scope.ids_by_kind.closest(field.kind, target)
            hint = did_you_mean_words(close) or f"`{name.split('[')[0]}` names {with_article(field.kind)} by its id"
            if scope.unread:
                hint += f"; it may be in a file that could not be read ({', '.join(scope.unread)})"
            problems.append(
                Problem(record.location(path), "ref.missing", f"`{target}` names no {field.kind} in the catalogue",
                        field=name, record=record.label, hint=hint, suggestion=close)
            )
        elif found.kind not in KIND_NAMES:
            continue  # the record it names has no kind we know: reported at that record
        elif found.kind != field.kind:
            problems.append(
                Problem(
                    record.location(path),
                    "ref.wrong-kind",
                    f"`{target}` is {with_article(found.kind)}, but this field names {with_article(field.kind)}",
                    field=name,
                    record=record.label,
                    hint=f"{found.label} is defined at {found.location()}",
                    related=(found.location(),),
                )
            )
        elif field.types and found.data.get("type") not in field.types:
            allowed = " or ".join(field.types)
            code = "ref.underpinning" if name.startswith("underpinned_by") else "ref.agreement-type"
            hint = (
                "only operational level agreements (OLA) and underpinning contracts (UC) underpin an agreement"
                if code == "ref.underpinning"
                else "an offering is backed by a service level agreement (SLA)"
            )
            problems.append(
                Problem(
                    record.location(path),
                    code,
                    f"`{target}` is {with_article(str(found.data.get('type')))}, but this field takes {with_article(allowed)}",
                    field=name,
                    record=record.label,
                    hint=hint,
                    related=(found.location(),),
                )
            )
        elif target == record.id and field.kind == record.kind and field.path in ("underpinned_by[]", "supersedes", "parent", "holidays_from[]"):
            problems.append(
                Problem(record.location(path), "ref.self", f"`{target}` names the record itself", field=name, record=record.label)
            )
    return problems


@record_check
def check_local_ids(record: Record, scope: Scope | None = None) -> list[Problem]:
    problems = []
    for list_name in LOCAL_ID_LISTS.get(record.kind, ()):
        seen: dict[str, int] = {}
        for index, item in enumerate(record.data.get(list_name) or ()):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            local = item["id"]
            if local in seen:
                problems.append(
                    Problem(
                        record.location((list_name, index, "id")),
                        "id.duplicate-local",
                        f"`{local}` is used twice in `{list_name}` (first at {format_path((list_name, seen[local]))})",
                        field=format_path((list_name, index, "id")),
                        record=record.label,
                        hint="ids inside a list must be unique",
                        related=(record.location((list_name, seen[local], "id")),),
                    )
                )
            else:
                seen[local] = index
    return problems


@record_check
def check_definitions(record: Record, scope: Scope | None = None) -> list[Problem]:
    """An agreement defines a word once: its page could not tell which definition is meant."""
    if record.kind != "Agreement":
        return []
    problems = []
    seen: dict[str, int] = {}
    for index, item in enumerate(record.data.get("definitions") or ()):
        if not isinstance(item, dict) or not isinstance(item.get("term"), str):
            continue
        key = " ".join(item["term"].split()).casefold()  # as the page matches it: any case
        if key in seen:
            first = seen[key]
            problems.append(
                Problem(
                    record.location(("definitions", index, "term")),
                    "definition.duplicate",
                    f"\"{item['term']}\" is defined twice in `definitions` (first at {format_path(('definitions', first))})",
                    field=format_path(("definitions", index, "term")),
                    record=record.label,
                    hint="a word is defined once in an agreement (case does not matter): merge the two definitions",
                    related=(record.location(("definitions", first, "term")),),
                )
            )
        else:
            seen[key] = index
    return problems


# Dates that must come in order: (kind, earlier, later, code, message, hint). The
# message is formatted with the two dates; it is reported at the later field.
DATE_ORDER = (
    ("Agreement", ("period", "start"), ("period", "end"), "date.period",
     "the period ends ({later}) before it starts ({earlier})", "swap the dates, or correct the year"),
    ("Agreement", ("review", "last"), ("review", "next"), "date.review",
     "the next review ({later}) is before the last one ({earlier})",
     "`next` is the review still to come and `last` the one held: swap them, or correct the year"),
    ("Service", ("available_from",), ("retired_on",), "date.lifecycle",
     "the service retires ({later}) before it becomes available ({earlier})", ""),
)


def _date_at(data: dict, path: tuple[str, ...]):
    value: Any = data
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    return parse_date(value)


@record_check
def check_dates(record: Record, scope: Scope | None = None) -> list[Problem]:
    problems = []
    for kind, earlier_path, later_path, code, message, hint in DATE_ORDER:
        if record.kind != kind:
            continue
        earlier, later = _date_at(record.data, earlier_path), _date_at(record.data, later_path)
        if earlier and later and later < earlier:
            problems.append(
                Problem(
                    record.location(later_path),
                    code,
                    message.format(earlier=earlier, later=later),
                    field=format_path(later_path),
                    record=record.label,
                    hint=hint,
                )
            )
    return problems


@record_check
def check_durations(record: Record, scope: Scope | None = None) -> list[Problem]:
    """A duration the schema takes (a finite number) but no service level could mean: over a year."""
    problems = []
    for pattern in DURATION_FIELDS.get(record.kind, ()):
        for path, value in walk(record.data, pattern.replace("[]", ".[]").split(".")):
            duration = Duration.parse(value)
            if duration is not None and duration.amount > LONGEST_DURATION[duration.unit]:
                problems.append(
                    Problem(
                        record.location(path),
                        "duration.too-long",
                        f"the duration `{value}` is longer than a year",
                        field=format_path(path),
                        record=record.label,
                        hint=(
                            f"a notice is at most a year ({YEAR_OF_DURATIONS}): a weekly window announced more than a "
                            "year ahead is almost always a slip of the unit; check the number and the unit"
                            if path[-1] == "notice" else
                            f"a target is at most a year ({YEAR_OF_DURATIONS}): service levels are reviewed "
                            "and reported at least once a year, so a longer target could never be measured; check "
                            "the number and the unit"
                        ),
                    )
                )
    return problems


# The targets a calendar can apply to, in an agreement: (list, field, its own calendar field).
_AGREEMENT_DURATIONS = (("priorities", "response", "hours"), ("priorities", "resolution", "hours"),
                        ("metrics", "target", "hours"), ("escalation", "after", None))
# Targets that must take some time: a zero one is met by no ticket. `0m` stays for
# escalation `after`, where it means "at once".
_NONZERO_TARGETS = ("response", "resolution")


@record_check
def check_agreement_durations(record: Record, scope: Scope | None = None) -> list[Problem]:
    """Days and weeks need a calendar to say how long they are; a response or resolution
    target of zero is a promise nobody can keep."""
    if record.kind != "Agreement":
        return []
    problems = []
    stated = "hours" in record.data  # a missing calendar is ref.missing's to report, not this check's
    for list_name, field, own in _AGREEMENT_DURATIONS:
        for index, item in enumerate(record.data.get(list_name) or ()):
            if not isinstance(item, dict):
                continue
            duration = Duration.parse(item.get(field))
            if duration is None:
                continue
            path = (list_name, index, field)
            if duration.is_zero and field in _NONZERO_TARGETS:
                problems.append(
                    Problem(
                        record.location(path),
                        "duration.zero",
                        f"a {field} target of zero (`{item[field]}`) can never be met",
                        field=format_path(path),
                        record=record.label,
                        hint=f"leave `{field}` out when the document states no {field} target; "
                        "`0m` is only for escalation `after`, where it means at once",
                    )
                )
            if duration.needs_calendar and not stated and not (own and own in item):
                unit = "service days" if duration.unit == "d" else "service weeks"
                where = "the agreement states no `hours`" + ("" if own is None else f" and this item has no `{own}`")
                elapsed = duration.amount * (24 if duration.unit == "d" else 168)
                problems.append(
                    Problem(
                        record.location(path),
                        "duration.needs-hours",
                        f"`{item[field]}` counts {unit}, but no service hours apply: {where}",
                        field=format_path(path),
                        record=record.label,
                        hint="add `hours:` (a Calendar id) to the agreement"
                        + ("" if own is None else " or to this item")
                        + f"; if the document means elapsed time, write it in hours (`{elapsed:g}h`)",
                    )
                )
    return problems


@lru_cache(maxsize=1)
def _timezone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))  # read from the disk: once, not per calendar


def valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def timezone_hint(zone: str) -> tuple[str, str | None]:
    """What to write instead of a name that is no IANA zone, and the one name to write if there is one.

    An abbreviation or English name (`PST`, `Pacific Time`) and an offset (`GMT+1`) are what
    documents give; only a name that is neither is taken for a typo of a zone (`Europe/Londn`).
    """
    zones = spoken_zones(zone)
    if len(zones) == 1:
        name, where = zones[0]
        return f"`{zone}` is not a zone name: write `{name}` ({where})", name
    if zones:
        listed = either([f"`{name}` ({where})" for name, where in zones])
        return f"`{zone}` can mean more than one zone: {listed}; write the one the hours are kept in", None
    offset = offset_hint(zone)
    if offset:
        return offset, None
    close = closest(zone, _timezone_names())
    return did_you_mean_words(close) or "use a name such as `Europe/London` or `America/New_York`", close


@record_check
def check_calendar(record: Record, scope: Scope | None = None) -> list[Problem]:
    if record.kind != "Calendar":
        return []
    problems = []
    zone = record.data.get("timezone")
    if isinstance(zone, str) and not valid_timezone(zone):
        hint, close = timezone_hint(zone)
        problems.append(
            Problem(
                record.location(("timezone",)),
                "calendar.timezone",
                f"`{zone}` is not a time zone in the IANA database",
                field="timezone",
                record=record.label,
                hint=hint,
                suggestion=close,
            )
        )
    problems.extend(_window_order(record, ("weekly",), "calendar.window"))
    return problems


def _window_order(record: Record, list_path: DataPath, code: str) -> list[Problem]:
    """A weekly window (of a calendar's hours, or of maintenance) whose `to` is not after its `from`."""
    windows: Any = record.data
    for step in list_path:
        windows = windows.get(step) if isinstance(windows, dict) else None
    problems = []
    for index, window in enumerate(windows if isinstance(windows, list) else ()):
        if not isinstance(window, dict):
            continue
        start, end = window.get("from"), window.get("to")
        if isinstance(start, str) and isinstance(end, str) and end <= start:
            path = (*list_path, index, "to")
            problems.append(
                Problem(
                    record.location(path),
                    code,
                    f"the window ends ({end}) before or when it starts ({start})",
                    field=format_path(path),
                    record=record.label,
                    hint='a window crossing midnight is two windows: "22:00" to "24:00" and "00:00" to "06:00"',
                )
            )
    return problems


@record_check
def check_maintenance_windows(record: Record, scope: Scope | None = None) -> list[Problem]:
    if record.kind != "Agreement":
        return []
    return _window_order(record, ("availability", "maintenance_windows"), "maintenance.window")


@record_check
def check_service_credits(record: Record, scope: Scope | None = None) -> list[Problem]:
    """Credit tiers that name no metric, measure what no percent can, start above the
    availability target, or do not credit more as the measure falls."""
    if record.kind != "Agreement":
        return []
    data = record.data
    metrics = {m["id"]: m for m in data.get("metrics") or () if isinstance(m, dict) and isinstance(m.get("id"), str)}
    problems: list[Problem] = []

    def problem(tier: CreditTier, field: str, code: str, message: str, hint: str, **more) -> None:
        path = ("service_credits", tier.index, field)
        problems.append(Problem(record.location(path), code, message, field=format_path(path), record=record.label,
                                hint=hint, **more))

    measured: list[CreditTier] = []  # the tiers whose measure takes a percent threshold
    target = _availability_target(data)
    for tier in credit_tiers(data):
        if tier.metric is None:
            if target is not None and tier.threshold > target:
                problem(
                    tier, tier.comparison, "credit.above-target",
                    f"the credit tier {tier.applies_words} starts above the availability target of "
                    f"{percent_words(target)}: it credits months that meet the target",
                    f"a tier applies when availability falls short: use a threshold at or under the target, "
                    f"such as `below: {target:g}`",
                )
            measured.append(tier)
            continue
        metric = metrics.get(tier.metric)
        if metric is None:
            close = closest(tier.metric, metrics)
            listed = ", ".join(f"`{m}`" for m in metrics)
            hint = did_you_mean_words(close) or (
                f"`metric` names one of this agreement's metrics by its id: {listed}" if metrics
                else "this agreement has no `metrics`; leave `metric` out for an availability tier"
            )
            problem(tier, "metric", "credit.metric-missing", f"`{tier.metric}` names no metric of this agreement",
                    hint, suggestion=close)
        elif metric.get("direction") == "at-most":
            problem(
                tier, "metric", "credit.metric-at-most",
                f"metric `{tier.metric}` must stay at most its target, but a credit tier applies when the value "
                f"falls {tier.applies_words}: that is when the metric does well",
                "a tier's threshold is for a measure where lower is worse (availability, an `at-least` metric); "
                "write a credit for an `at-most` metric in words with `condition` and `credit`",
            )
        elif not _is_number(metric.get("target")) or metric.get("unit") != "%":
            unit = metric.get("unit")
            what = (
                f"is measured in {unit}" if _is_number(metric.get("target")) and isinstance(unit, str)
                else "has a duration target" if isinstance(metric.get("target"), str)
                else "has no percent target"
            )
            problem(
                tier, "metric", "credit.metric-not-percent",
                f"a credit threshold is a percent, but metric `{tier.metric}` {what}",
                "a tier can only be about availability or a metric whose unit is `%`; write this credit in words "
                "with `condition` and `credit`",
            )
        else:
            measured.append(tier)
    for tiers in by_measure(measured).values():
        problems.extend(_credits_growing(record, tiers))
    return problems


def _credits_growing(record: Record, tiers: list[CreditTier]) -> list[Problem]:
    """Of one measure's tiers, mildest first: each stricter tier must credit more than the one before.

    An equal credit at a lower threshold is an error too: the contract asks that credit
    grow as the measure falls, and a tier that adds nothing is almost always a percent
    copied into the wrong row.
    """
    problems = []
    measure = "availability" if tiers[0].metric is None else f"metric {tiers[0].metric}"
    milder: CreditTier | None = None  # the last tier with a percent
    previous: CreditTier | None = None
    for tier in tiers:
        if previous is not None and tier.rank == previous.rank:
            path: DataPath = ("service_credits", tier.index, tier.comparison)
            problems.append(Problem(
                record.location(path), "credit.duplicate-tier",
                f"two credit tiers of {measure} apply {tier.applies_words} "
                f"(the other is {format_path(('service_credits', previous.index))})",
                field=format_path(path), record=record.label,
                hint="each tier of one measure has its own threshold; merge them or correct one threshold",
                related=(record.location(("service_credits", previous.index, previous.comparison)),),
            ))
            continue
        previous = tier
        if tier.percent is None:
            continue
        if milder is not None and milder.percent is not None and not tier.percent > milder.percent:
            path = ("service_credits", tier.index, "percent")
            problems.append(Problem(
                record.location(path), "credit.not-growing",
                f"the credit tier of {measure} {tier.applies_words} gives {percent_words(tier.percent)}, no more than "
                f"the {percent_words(milder.percent)} of the milder tier {milder.applies_words}: the credit must grow "
                f"as {'availability' if tier.metric is None else 'the metric'} falls",
                field=format_path(path), record=record.label,
                hint="give the lower threshold the higher percent (10% below 99.9%, 25% below 99%); "
                "check which threshold each percent belongs to",
                related=(record.location(("service_credits", milder.index, "percent")),),
            ))
        milder = tier
    return problems


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _availability_target(data: dict) -> float | None:
    availability = data.get("availability")
    target = availability.get("target") if isinstance(availability, dict) else None
    return float(target) if isinstance(target, (int, float)) and not isinstance(target, bool) else None


def strongly_connected(edges: dict[str, list[str]]) -> list[list[str]]:
    """The groups of nodes that reach each other, each sorted (Tarjan's algorithm, without recursion).

    Only nodes that are keys of edges count; an edge to any other node is left out.
    """
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in sorted(edges):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(edges[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in edges:
                    continue
                if child not in order:
                    order[child] = low[child] = len(order)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], order[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    groups.append(sorted(group))
    return groups


def shortest_cycle(edges: dict[str, list[str]], start: str, members) -> list[str] | None:
    """The shortest cycle from start back to it through members, as [start, ..., start]."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in edges.get(node, ()):
            if child == start:
                path = [node]
                step = previous[node]
                while step is not None:
                    path.append(step)
                    step = previous[step]
                return path[::-1] + [start]
            if child in members and child not in previous:
                previous[child] = node
                queue.append(child)
    return None


MAX_CYCLE_IDS = 10  # ids shown in a cycle's message; the rest are counted


def _cycle_words(cycle: list[str]) -> str:
    ids = cycle[:-1]
    if len(ids) > MAX_CYCLE_IDS:
        hidden = len(ids) - MAX_CYCLE_IDS
        ids = [*ids[: MAX_CYCLE_IDS - 1], f"... {hidden} more ...", ids[-1]]
    return " -> ".join([*ids, cycle[-1]])


# kind, field, what its cycle is called, code, what the records in a larger group do, hint.
CYCLE_FIELDS = (
    ("Service", "depends_on", "dependency", "cycle.depends-on", "services depend on each other through cycles",
     "a service cannot depend on itself, even through others; remove one link of the cycle"),
    ("Party", "parent", "parent", "cycle.parent", "parties are each other's ancestors",
     "a party cannot be its own ancestor"),
    ("Agreement", "underpinned_by", "underpinning", "cycle.underpinned-by", "agreements rely on each other through cycles",
     "an agreement cannot rely on itself, even through others; remove one link of the cycle"),
    ("Agreement", "supersedes", "supersedes", "cycle.supersedes", "agreements supersede each other through cycles",
     "an agreement cannot replace one that replaces it, even through others; the older agreement does not name "
     "the newer one"),
    ("Calendar", "holidays_from", "holiday inheritance", "cycle.holidays-from", "calendars inherit holidays from each other through cycles",
     "a calendar cannot inherit holidays from itself, even through others; remove one link of the cycle (a shared "
     "calendar of bank holidays names no calendar that uses it)"),
)
# Fields where naming the record itself is ref.self's to report (check_references), not a cycle's.
SELF_REFERENCE_FIELDS = ("parent", "underpinned_by", "supersedes", "holidays_from")


def _edges_of(record: Record, field: str):
    """(target id, path of the reference) of each edge the field gives the record."""
    value = record.data.get(field)
    if field == "depends_on":
        return [
            (d.get("service"), (field, index, "service")) for index, d in enumerate(value or ()) if isinstance(d, dict)
        ]
    if field in ("underpinned_by", "holidays_from"):
        return [(target, (field, index)) for index, target in enumerate(value or ())]
    return [(value, (field,))]


@catalogue_check
def check_cycles(scope: Scope) -> list[Problem]:
    """Each group of records that reach each other through a field, reported once, in bounded words."""
    records, by_id = scope.valid, scope.valid_by_id
    problems = []
    for kind, field, label, code, together, hint in CYCLE_FIELDS:
        edges: dict[str, list[str]] = {}
        paths: dict[tuple[str, str], tuple] = {}
        for record in records:
            if record.kind != kind or by_id.get(record.id) is not record:
                continue
            targets = edges[record.id] = []
            for target, path in _edges_of(record, field):
                if not isinstance(target, str) or target not in by_id:
                    continue
                if target == record.id and field in SELF_REFERENCE_FIELDS:
                    continue
                targets.append(target)
                paths.setdefault((record.id, target), path)
        for group in strongly_connected(edges):
            if len(group) == 1 and group[0] not in edges[group[0]]:
                continue
            cycle = shortest_cycle(edges, group[0], set(group))
            # A group of two or more, or one that names itself, is strongly connected:
            # a cycle runs through each of its members.
            assert cycle is not None
            first = by_id[cycle[0]]
            path = paths[(cycle[0], cycle[1])]
            message = f"{label} cycle: {_cycle_words(cycle)}"
            if len(group) > len(cycle) - 1:
                listed = ", ".join(group[:MAX_CYCLE_IDS])
                if len(group) > MAX_CYCLE_IDS:
                    listed += f" and {len(group) - MAX_CYCLE_IDS} more"
                message += f"; {len(group)} {together} ({listed})"
            problems.append(
                Problem(
                    first.location(path),
                    code,
                    message,
                    field=format_path(path),
                    record=first.label,
                    hint=hint,
                    related=tuple(by_id[rid].location() for rid in cycle[1:-1][: MAX_CYCLE_IDS - 1]),
                )
            )
    return problems


@catalogue_check
def check_terms(scope: Scope) -> list[Problem]:
    """Two terms may not share a title, abbreviation or alias: a word must mean one thing."""
    records = scope.valid
    # Titles and aliases match in any case, abbreviations in their exact case; so an
    # abbreviation clashes with another abbreviation written the same, and with a
    # title or alias equal to it in any case.
    folded: dict[str, tuple[Record, str, DataPath]] = {}  # title or alias, casefolded
    exact: dict[str, tuple[Record, str, DataPath]] = {}  # abbreviation as written
    exact_folded: dict[str, tuple[Record, str, DataPath]] = {}  # abbreviation, casefolded
    problems = []
    for record in records:
        if record.kind != "Term":
            continue
        names: list[tuple[str, str, DataPath]] = []  # (name, its role, where)
        if isinstance(record.data.get("title"), str):
            names.append((record.data["title"], "title", ("title",)))
        if isinstance(record.data.get("abbreviation"), str):
            names.append((record.data["abbreviation"], "abbreviation", ("abbreviation",)))
        for index, alias in enumerate(record.data.get("aliases") or ()):
            if isinstance(alias, str):
                names.append((alias, "alias", ("aliases", index)))
        for name, role, path in names:
            key = name.casefold()
            if role == "abbreviation":
                owner = exact.get(name) or folded.get(key)
            else:
                owner = folded.get(key) or exact_folded.get(key)
            if owner is not None and owner[0] is not record:
                other, other_role, other_path = owner
                problems.append(
                    Problem(
                        record.location(path),
                        "term.duplicate-name",
                        f"the {role} \"{_original(record, path)}\" is also the {other_role} of {other.label}",
                        field=format_path(path),
                        record=record.label,
                        hint="a word in the glossary must lead to one term; merge the terms or drop the name from one",
                        related=(other.location(other_path),),
                    )
                )
            elif owner is None:
                if role == "abbreviation":
                    exact[name] = (record, role, path)
                    exact_folded.setdefault(key, exact[name])
                else:
                    folded[key] = (record, role, path)
    return problems


def _original(record: Record, path: DataPath) -> str:
    value: Any = record.data
    for step in path:
        value = value[step]
    return value


def check_records(valid: list[Record], all_records: list[Record], unread=()) -> list[Problem]:
    """Cross-record checks over the records that passed the schema: every registered check.

    unread: the files that could not be read at all, named in hints about missing records.
    """
    scope, problems = Scope.of(valid, all_records, unread)
    for record in valid:
        for check in RECORD_CHECKS:
            problems.extend(check(record, scope))
    for catalogue_wide in CATALOGUE_CHECKS:
        problems.extend(catalogue_wide(scope))
    return problems
