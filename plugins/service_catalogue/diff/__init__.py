"""Semantic diff of two catalogues: what a change means for customers.

    sources     load a side (a folder, or a git revision)
    compare     find the records and fields that changed
    paths       name where a change is: `priorities[P1].response`
    words       say values in the words of the domain (durations, calendars by hours per week)
    rules       judge each change: weakened, strengthened or neutral, and by which rule
    impact      follow a change to the agreements and services it affects
    windows     the breach windows (analysis/timeline.py) a change opens, closes or moves
    comparison  the two sides and their judged changes, as the report package writes them
                (text, Markdown, JSON); cli/diff.py is the `service-catalogue diff` command
"""

from __future__ import annotations

from service_catalogue.validation.loader import Record
from service_catalogue.model import Catalogue
from service_catalogue.diff.compare import RecordChange, compare_catalogues
from service_catalogue.diff.impact import find_impact
from service_catalogue.diff.rules import VERDICTS, classify


def diff_records(base: list[Record], head: list[Record]) -> list[RecordChange]:
    """The judged changes from base to head, weakened records first, then by kind and id."""
    changes = compare_catalogues(Catalogue(base), Catalogue(head))
    for change in changes:
        classify(change)
        change.impact = find_impact(change)
    # A stable sort keeps the kind-then-id order within each class.
    changes.sort(key=lambda change: VERDICTS.index(change.verdict))
    return changes
