"""service_catalogue.lazy.cached_property: the standard decorator's behaviour, without its lock."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from service_catalogue.lazy import cached_property


@dataclass(frozen=True)
class Reading:
    value: int

    @cached_property
    def doubled(self) -> int:
        Reading.calls += 1
        return self.value * 2


Reading.calls = 0  # type: ignore[attr-defined]


def test_a_property_is_worked_out_once_per_object_even_on_a_frozen_dataclass():
    Reading.calls = 0  # type: ignore[attr-defined]
    first, second = Reading(2), Reading(5)
    assert (first.doubled, first.doubled, second.doubled) == (4, 4, 10)
    assert Reading.calls == 2  # type: ignore[attr-defined]
    assert first.__dict__["doubled"] == 4


def test_it_is_the_standard_decorator_to_everything_that_inspects_it():
    assert isinstance(Reading.__dict__["doubled"], functools.cached_property)
    assert Reading.doubled.attrname == "doubled"  # type: ignore[attr-defined]
