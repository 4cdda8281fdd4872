"""Counting the YAML events the loader pulls: how early it stops, as work rather than seconds."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from service_catalogue.validation import loader

PARSER = loader._Parser  # the YAML parser the loader uses (libyaml's when installed)


@contextmanager
def counted_events():
    """The YAML events the loader pulls from its parser, one count for each parse of a text.

    A sound text is parsed once; a text with a problem at most twice (fast, then again
    with positions to say where), so a refused file shows up to two counts."""
    passes: list[int] = []

    class Counting(PARSER):
        def __init__(self, stream):
            super().__init__(stream)
            passes.append(0)

        def get_event(self):
            passes[-1] += 1
            return super().get_event()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "_Parser", Counting)
        yield passes
