"""What changed between two catalogues: records added, removed or changed, field by field.

This module only finds and words the changes; rules.py judges them and
impact.py follows them to the agreements they affect.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

from ..model import Catalogue, Entity
from .paths import Step, format_field, pattern_of
from .words import value_words

KIND_ORDER = ("Agreement", "Service", "Calendar", "Party", "Term")
# A list of mappings is matched item by item on the first of these that every item has, uniquely.
ITEM_KEYS = ("id", "date", "level")
# A calendar's `always` and `weekly` together say one thing, its covered hours, and are compared as one.
CALENDAR_HOURS = ("always", "weekly")


@dataclass
class FieldChange:
    path: tuple[Step, ...]  # () is the record as a whole (added or removed)
    before: object  # the YAML value; None when absent
    after: object
    line: int  # where to look in HEAD (the nearest parent when the field is gone)
    before_words: str = ""
    after_words: str = ""
    verdict: str = "neutral"  # weakened, strengthened or neutral: set by rules.py
    rule: str = ""
    reason: str = ""

    @property
    def field(self) -> str:
        return format_field(self.path)

    @property
    def pattern(self) -> str:
        return pattern_of(self.path)

    @property
    def change(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


@dataclass
class RecordChange:
    kind: str
    id: str
    status: str  # added, removed or changed
    base: Entity | None  # the record in BASE's linked model, None when added
    head: Entity | None  # ... in HEAD's, None when removed
    fields: list[FieldChange] = field(default_factory=list)
    impact: list = field(default_factory=list)  # filled by impact.py

    @property
    def entity(self) -> Entity:
        return self.head or self.base

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
    def verdict(self) -> str:
        """The record's class: its weakest change wins, since that is what a reviewer must see."""
        verdicts = {change.verdict for change in self.fields}
        for verdict in ("weakened", "strengthened"):
            if verdict in verdicts:
                return verdict
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
    status = "added" if before is None else "removed"
    change = FieldChange((), before and before.title, after and after.title, entity.record.location().line)
    _word(change, before, after)
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
        _word(change, before, after)
    return found


def _calendar_hours(data: dict):
    """The covered hours as one value, taken out of data: the weekly list, or {always: true}."""
    always, weekly = (data.pop(key, None) for key in CALENDAR_HOURS)
    return {"always": True} if always is True else weekly


def _word(change: FieldChange, before: Entity | None, after: Entity | None) -> None:
    kind = (after or before).kind
    if change.path:
        change.before_words = value_words(change.before, change.path, kind, before)
        change.after_words = value_words(change.after, change.path, kind, after)
    else:  # the record as a whole is named by its title
        change.before_words = change.before or "none"
        change.after_words = change.after or "none"


def _compare(old, new, path, head_path, head: Entity, found: list) -> None:
    """Walk two values side by side; head_path is the raw path in HEAD, for line numbers."""
    if old == new:
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
    removed = [item for item in old if item not in new]
    added = [item for item in new if item not in old]
    for item in removed:
        found.append(FieldChange(path + (Step(item, True),), item, None, head.record.location(head_path).line))
    for item in added:
        at = head_path + (new.index(item),)
        found.append(FieldChange(path + (Step(item, True),), None, item, head.record.location(at).line))
    if not removed and not added:  # the same items in another order (or repeated)
        found.append(FieldChange(path, old, new, head.record.location(head_path).line))


def _compare_by_position(old: list, new: list, path, head_path, head: Entity, found: list) -> None:
    """Items without ids (service credits, links): unchanged runs are skipped, the rest paired up."""
    dumped = [json.dumps(item, sort_keys=True, default=str) for item in old]
    matcher = difflib.SequenceMatcher(None, dumped, [json.dumps(item, sort_keys=True, default=str) for item in new], autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            continue
        pairs = max(old_end - old_start, new_end - new_start)
        for offset in range(pairs):
            old_index, new_index = old_start + offset, new_start + offset
            before = old[old_index] if old_index < old_end else None
            after = new[new_index] if new_index < new_end else None
            index = new_index if after is not None else old_index
            inside = head_path + (new_index,) if after is not None else head_path
            _compare(before, after, path + (Step(index, True),), inside, head, found)
