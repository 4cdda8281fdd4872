"""What an export is: the text of one file, and what was left out of it and why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service_catalogue.errors import ExportError
from service_catalogue.version import __version__

GENERATOR = f"service-catalogue {__version__}"
# A lone surrogate is no character: UTF-8 cannot write it, and every reader refuses it.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Export:
    text: str
    # What the neighbour's format could not take, one sentence each, for the person who runs
    # the export: never silently lost.
    notes: list[str] = field(default_factory=list)


def finished(text: str, notes: list[str], what: str) -> Export:
    """The export, once it is known to be writable as UTF-8."""
    found = _SURROGATE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise ExportError(f"{what} cannot be written: line {line} holds a lone surrogate "
                          "(U+D800 to U+DFFF), which is no character; fix the record it comes from")
    return Export(text, notes)


def shortened(text: str, limit: int) -> str:
    """text in at most limit characters, an ellipsis marking where it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
