"""How every stage reads a date and names a field: one parser, one path formatter (and
the one rule for "a" or "an" before a kind or an agreement type in a message).

A record writes its dates as text (`2026-11-29`; the loader keeps YAML's dates
as text), and so do the options and the command line; a message names a field
by its path, `priorities[1].response`, whether validation, the analysis or the
diff wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

# Where a value is in a record's data: keys of mappings and indexes of lists,
# ("priorities", 1, "response"); format_path writes it for people.
DataPath = tuple[str | int, ...]


def parse_date(value: object) -> dt.date | None:
    """The date that value writes as YYYY-MM-DD; None when it is not text or not a date."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def join_path(steps: Iterable[tuple[object, bool]]) -> str:
    """[('priorities', False), ('P1', True), ('response', False)] -> 'priorities[P1].response':
    a list item's step (an index, an id) is written in brackets, a field's name after a dot."""
    text = ""
    for key, item in steps:
        if item:
            text += f"[{key}]"
        else:
            text += f".{key}" if text else str(key)
    return text


def format_path(path: Iterable[str | int]) -> str:
    """('priorities', 1, 'response') -> 'priorities[1].response': an int is a list index."""
    return join_path((part, isinstance(part, int)) for part in path)


# Letters whose spoken names begin with a vowel sound: "an SLA", "an OLA", but "a UC".
_VOWEL_SOUND_LETTERS = frozenset("AEFHILMNORSX")


def with_article(word: str) -> str:
    """`a` or `an` and the word, as it is said: an Agreement, a Service, an SLA, an OLA, a UC.
    An abbreviation (all capitals) is said letter by letter. Only the first word counts:
    "an OLA or UC"."""
    first = word.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        vowel_sound = first[0] in _VOWEL_SOUND_LETTERS
    else:
        vowel_sound = first[:1].lower() in ("a", "e", "i", "o", "u")
    return f"{'an' if vowel_sound else 'a'} {word}"
