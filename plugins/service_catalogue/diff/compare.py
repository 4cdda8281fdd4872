"""What changed between two catalogues: records added, removed or changed, field by field.

This module only finds and words the changes; rules.py judges them and
impact.py follows them to the agreements they affect.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

from service_catalogue.credits import by_measure, credit_tiers
from service_catalogue.kinds import KINDS, KindName
from service_catalogue.model import Catalogue, Entity
from service_catalogue.diff.paths import Step, format_field, pattern_of
from service_catalogue.diff.words import value_words

if TYPE_CHECKING:  # rules.py, which judges the changes, owns their classes and imports this module
    from service_catalogue.diff.rules import Verdict

# What happened to a record or a field, in the order the summaries count them.
ChangeStatus = Literal["added", "removed", "changed"]
CHANGE_STATUSES: tuple[ChangeStatus, ...] = get_args(ChangeStatus)

KIND_ORDER = tuple(kind.name for kind in sorted(KINDS, key=lambda kind: kind.diff_rank))
# A list of mappings is matched item by item on the first of these that every item has, uniquely.
ITEM_KEYS = ("id", "date", "level", "term")  # "term": an agreement's own definitions
# A calendar's `always` and `weekly` together say one thing, its covered hours, and are compared as one.
CALENDAR_HOURS = ("always", "weekly")
# Values that say one thing only together, compared as one change, not part by part: a
# maintenance window (its days and times are one stretch of the week) and the targets a
# clock stop applies to (absent says "both", so an item added to nothing can narrow it).
WHOLE_VALUES = ("availability.maintenance_windows[]", "clock_stops[].applies_to")


@dataclass
class FieldChange:
    path: tuple[Step, ...]  # () is the record as a whole (added or removed)
    before: object  # the YAML value; None when absent
    after: object
    line: int  # where to look in HEAD (the nearest parent when the field is gone)
    before_words: str = ""
    after_words: str = ""
    verdict: Verdict = "neutral"  # set by rules.py
    rule: str = ""
    reason: str = ""

    @property
    def field(self) -> str:
        return format_field(self.path)

    @property
    def pattern(self) -> str:
        return pattern_of(self.path)

    @property
    def change(self) -> ChangeStatus:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


@dataclass
class RecordChange:
    kind: KindName
    id: str
    status: ChangeStatus
    base: Entity | None  # the record in BASE's linked model, None when added
    head: Entity | None  # ... in HEAD's, None when removed
    fields: list[FieldChange] = field(default_factory=list)
    impact: list = field(default_factory=list)  # filled by impact.py

    @property
    def entity(self) -> Entity:
        entity = self.head or self.base
        assert entity is not None  # a change has the record on one side at least
        return entity

    @property
    def title(self) -> str:
        return self.entity.title

    @property
    def file(self) -> str:
        return self.entity.record.file

    @property
    def line(self) -> int:
        return self.entity.record.location().line

    @property
    def verdict(self) -> Verdict:
        """The record's class: its weakest change wins, since that is what a reviewer must see."""
        verdicts = {change.verdict for change in self.fields}
        if "weakened" in verdicts:
            return "weakened"
        if "strengthened" in verdicts:
            return "strengthened"
        return "neutral"


def compare_catalogues(base: Catalogue, head: Catalogue) -> list[RecordChange]:
    """Every record that differs, in a stable order (kind, then id); fields still unjudged."""
    changes = []
    for record_id in sorted(set(base.by_id) | set(head.by_id)):
        before, after = base.by_id.get(record_id), head.by_id.get(record_id)
        if before is not None and after is not None and before.kind != after.kind:
            # An id reused for another kind: one record went, another came.
            changes.append(_whole_record(before, None))
            changes.append(_whole_record(None, after))
        elif before is None or after is None:
            changes.append(_whole_record(before, after))
        elif before.data != after.data:
            change = RecordChange(after.kind, record_id, "changed", before, after)
            change.fields = compare_records(before, after)
            if change.fields:
                changes.append(change)
    changes.sort(key=lambda c: (KIND_ORDER.index(c.kind) if c.kind in KIND_ORDER else 99, c.id))
    return changes


def _whole_record(before: Entity | None, after: Entity | None) -> RecordChange:
    entity = after or before
    assert entity is not None  # an id found on one side at least
    status: ChangeStatus = "added" if before is None else "removed"
    change = FieldChange((), before and before.title, after and after.title, entity.record.location().line)
    _word(change, entity.kind, before, after)
    return RecordChange(entity.kind, entity.id, status, before, after, [change])


def compare_records(before: Entity, after: Entity) -> list[FieldChange]:
    """The changed fields of one record, each with its values in words."""
    found: list[FieldChange] = []
    old, new = dict(before.data), dict(after.data)
    if before.kind == "Calendar":
        line = after.record.location(("weekly",) if "weekly" in new else ("always",)).line
        old_hours, new_hours = _calendar_hours(old), _calendar_hours(new)
        if old_hours != new_hours:
            found.append(FieldChange((Step("weekly"),), old_hours, new_hours, line))
    _compare(old, new, (), (), after, found)
    for change in found:
        _word(change, after.kind, before, after)
    return found


def _calendar_hours(data: dict):
    """The covered hours as one value, taken out of data: the weekly list, or {always: true}."""
    always, weekly = (data.pop(key, None) for key in CALENDAR_HOURS)
    return {"always": True} if always is True else weekly


def _word(change: FieldChange, kind: str, before: Entity | None, after: Entity | None) -> None:
    if change.path:
        change.before_words = value_words(change.before, change.path, kind, before)
        change.after_words = value_words(change.after, change.path, kind, after)
    else:  # the record as a whole is named by its title
        change.before_words = before.title if before is not None and before.title else "none"
        change.after_words = after.title if after is not None and after.title else "none"


def _compare(old, new, path, head_path, head: Entity, found: list) -> None:
    """Walk two values side by side; head_path is the raw path in HEAD, for line numbers."""
    if old == new:
        return
    if path and (path[-1].item or path[-1].key == "applies_to") and pattern_of(path) in WHOLE_VALUES:
        found.append(FieldChange(path, old, new, head.record.location(head_path).line))
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(new) + [key for key in old if key not in new]:
            inside = head_path + (key,) if key in new else head_path
            _compare(old.get(key), new.get(key), path + (Step(key),), inside, head, found)
        return
    if isinstance(old, list) or isinstance(new, list):
        if (old is None or isinstance(old, list)) and (new is None or isinstance(new, list)):
            _compare_lists(old or [], new or [], path, head_path, head, found)
            return
    found.append(FieldChange(path, old, new, head.record.location(head_path).line))


def _compare_lists(old: list, new: list, path, head_path, head: Entity, found: list) -> None:
    if path == (Step("service_credits"),) and (credit_tiers({"service_credits": old}) or credit_tiers({"service_credits": new})):
        _compare_credit_tiers(old, new, path, head_path, head, found)
        return
    key = _item_key(old, new)
    if key is not None:
        old_items = {item[key]: item for item in old}
        new_index = {item[key]: index for index, item in enumerate(new)}
        for name in list(new_index) + [name for name in old_items if name not in new_index]:
            inside = head_path + (new_index[name],) if name in new_index else head_path
            after = new[new_index[name]] if name in new_index else None
            _compare(old_items.get(name), after, path + (Step(name, True),), inside, head, found)
        return
    if all(_is_scalar(item) for item in old + new):
        _compare_scalar_lists(old, new, path, head_path, head, found)
        return
    _compare_by_position(old, new, path, head_path, head, found)


def _compare_credit_tiers(old: list, new: list, path, head_path, head: Entity, found: list) -> None:
    """Service credits with thresholds, matched by what they are about rather than by position.

    A tier is named by its measure and threshold (`availability below 99.9%`), so a
    reordered list changes nothing and a changed percent is a change of that tier. The
    tiers of one measure left unmatched on both sides are paired mildest first: their
    threshold moved, and the tier as a whole is one change, judged as one. Credits
    without a threshold (in words) are paired by position among themselves, as before.
    """
    old_tiers = {tier.key: tier for tier in credit_tiers({"service_credits": old})}
    new_tiers = {tier.key: tier for tier in credit_tiers({"service_credits": new})}
    for key, tier in new_tiers.items():
        if key in old_tiers:
            _compare(old_tiers[key].data, tier.data, path + (Step(key, True),), head_path + (tier.index,), head, found)
    # (before index, after index, name) of the tiers taken as one change each
    whole: list[tuple[int | None, int | None, str | int]] = []
    moved_old = by_measure([tier for key, tier in old_tiers.items() if key not in new_tiers])
    moved_new = by_measure([tier for key, tier in new_tiers.items() if key not in old_tiers])
    lone_old, lone_new = [], []  # tiers with no partner of their measure
    for measure in list(moved_new) + [measure for measure in moved_old if measure not in moved_new]:
        befores, afters = moved_old.get(measure, []), moved_new.get(measure, [])
        for before, after in zip(befores, afters):
            whole.append((before.index, after.index, after.key))
        lone_old.extend(befores[len(afters):])
        lone_new.extend(afters[len(befores):])
    tiered_old = {tier.index for tier in old_tiers.values()}
    tiered_new = {tier.index for tier in new_tiers.values()}
    old_words = [index for index in range(len(old)) if index not in tiered_old]
    new_words = [index for index in range(len(new)) if index not in tiered_new]
    # A credit in words that became a tier (or the reverse) is one change of that credit:
    # a reviewer compares the words with the numbers, the diff cannot.
    paired = min(len(old_words), len(new_words))
    for words_at, tier in zip(old_words[paired:], lone_new):
        whole.append((words_at, tier.index, tier.key))
    for tier, words_at in zip(lone_old, new_words[paired:]):
        whole.append((tier.index, words_at, words_at))
    converted_old, converted_new = {w[0] for w in whole}, {w[1] for w in whole}
    whole.extend((tier.index, None, tier.key) for tier in lone_old if tier.index not in converted_old)
    whole.extend((None, tier.index, tier.key) for tier in lone_new if tier.index not in converted_new)
    for before_at, after_at, name in whole:
        inside = head_path + (after_at,) if after_at is not None else head_path
        found.append(FieldChange(path + (Step(name, True),), None if before_at is None else old[before_at],
                                 None if after_at is None else new[after_at], head.record.location(inside).line))
    old_words = [index for index in old_words if index not in converted_old]
    new_words = [index for index in new_words if index not in converted_new]
    for offset in range(max(len(old_words), len(new_words))):
        before_at = old_words[offset] if offset < len(old_words) else None
        after_at = new_words[offset] if offset < len(new_words) else None
        index = after_at if after_at is not None else before_at
        assert index is not None  # one side has a credit at this offset
        inside = head_path + (after_at,) if after_at is not None else head_path
        _compare(None if before_at is None else old[before_at], None if after_at is None else new[after_at],
                 path + (Step(index, True),), inside, head, found)


def _item_key(old: list, new: list) -> str | None:
    for key in ITEM_KEYS:
        if all(isinstance(item, dict) and _is_scalar(item.get(key)) and item.get(key) is not None for item in old + new):
            if len({item[key] for item in old}) == len(old) and len({item[key] for item in new}) == len(new):
                return key
    return None


def _is_scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool))


def _compare_scalar_lists(old: list, new: list, path, head_path, head: Entity, found: list) -> None:
    """Ids, tags, lines of text: each one added or removed is its own change."""
    old_items, new_items = set(old), set(new)  # scalars: hashable, and equal as `in` would find them
    first_index: dict = {}
    for index, item in enumerate(new):
        first_index.setdefault(item, index)
    removed = [item for item in old if item not in new_items]
    added = [item for item in new if item not in old_items]
    for item in removed:
        found.append(FieldChange(path + (Step(item, True),), item, None, head.record.location(head_path).line))
    for item in added:
        found.append(FieldChange(path + (Step(item, True),), None, item, head.record.location(head_path + (first_index[item],)).line))
    if not removed and not added:  # the same items in another order (or repeated)
        found.append(FieldChange(path, old, new, head.record.location(head_path).line))


def _compare_by_position(old: list, new: list, path, head_path, head: Entity, found: list) -> None:
    """Items without ids (service credits, links): unchanged runs are skipped, the rest paired up."""
    old_keys = [json.dumps(item, sort_keys=True, default=str) for item in old]
    new_keys = [json.dumps(item, sort_keys=True, default=str) for item in new]
    for old_start, old_end, new_start, new_end in differing_runs(old_keys, new_keys):
        pairs = max(old_end - old_start, new_end - new_start)
        for offset in range(pairs):
            old_index, new_index = old_start + offset, new_start + offset
            before = old[old_index] if old_index < old_end else None
            after = new[new_index] if new_index < new_end else None
            index = new_index if after is not None else old_index
            inside = head_path + (new_index,) if after is not None else head_path
            _compare(before, after, path + (Step(index, True),), inside, head, found)


def differing_runs(old: list, new: list) -> list[tuple[int, int, int, int]]:
    """The runs of old and new that differ, as (old_start, old_end, new_start, new_end), in order.

    The unchanged items are the common start and end, and between them the longest
    run, kept in order, of items that occur once in each list (patience diff): found in
    O(n log n), where a longest common subsequence (difflib) can take O(n^2) on long
    lists. Between those anchors, the items are paired up by position.
    """
    start, old_end, new_end = 0, len(old), len(new)
    while start < old_end and start < new_end and old[start] == new[start]:
        start += 1
    while old_end > start and new_end > start and old[old_end - 1] == new[new_end - 1]:
        old_end, new_end = old_end - 1, new_end - 1
    counts: dict = {}
    for index in range(start, old_end):
        counts.setdefault(old[index], [0, 0, index])[0] += 1
    new_positions: dict = {}
    for index in range(start, new_end):
        if old_count := counts.get(new[index]):
            old_count[1] += 1
            new_positions[new[index]] = index
    # (old index, new index) of the items found once on each side, in old's order.
    unique = sorted((entry[2], new_positions[key]) for key, entry in counts.items() if entry[0] == entry[1] == 1)
    anchors = [(start - 1, start - 1), *_longest_increasing(unique), (old_end, new_end)]
    runs = []
    for (old_after, new_after), (old_before, new_before) in zip(anchors, anchors[1:]):
        runs.extend(_trimmed(old, new, old_after + 1, old_before, new_after + 1, new_before))
    return runs


def _trimmed(old, new, old_start, old_end, new_start, new_end) -> list[tuple[int, int, int, int]]:
    """The run between two anchors, less its common start and end; [] when nothing differs."""
    while old_start < old_end and new_start < new_end and old[old_start] == new[new_start]:
        old_start, new_start = old_start + 1, new_start + 1
    while old_end > old_start and new_end > new_start and old[old_end - 1] == new[new_end - 1]:
        old_end, new_end = old_end - 1, new_end - 1
    if old_start == old_end and new_start == new_end:
        return []
    return [(old_start, old_end, new_start, new_end)]


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs (already in increasing first order) whose second
    items increase too: patience sorting, O(n log n)."""
    tails: list[int] = []  # tails[k]: the smallest second item ending an increasing run of k + 1
    tail_at: list[int] = []  # ... and the index in pairs of that item
    previous = [-1] * len(pairs)
    for index, (_, second) in enumerate(pairs):
        k = bisect_left(tails, second)
        if k == len(tails):
            tails.append(second)
            tail_at.append(index)
        else:
            tails[k], tail_at[k] = second, index
        previous[index] = tail_at[k - 1] if k else -1
    run, index = [], tail_at[-1] if tail_at else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]
