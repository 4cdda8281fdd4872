"""Where a change is inside a record: a path of steps, shown as `priorities[P1].response`.

List items are named by their id (or date, or level) when the list has one,
so that reordering a list is not reported as every item changing.
"""

from __future__ import annotations

from dataclasses import dataclass

from service_catalogue.fields import join_path


@dataclass(frozen=True)
class Step:
    key: str | int
    item: bool = False  # an item of a list, named by its id, its value or its position


def format_field(path: tuple[Step, ...]) -> str:
    """(priorities, [P1], response) -> 'priorities[P1].response'; the record itself is ''."""
    return join_path((step.key, step.item) for step in path)


def pattern_of(path: tuple[Step, ...]) -> str:
    """The field's pattern, as references.py writes it: 'priorities[].hours'."""
    return join_path(("" if step.item else step.key, step.item) for step in path)


def steps_to_json(path: tuple[Step, ...]) -> list:
    return [step.key for step in path]
