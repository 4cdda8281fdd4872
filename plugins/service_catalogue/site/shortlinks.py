"""`[[id]]` and `[[id|label]]` in hand-written pages become links to catalogue records."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from service_catalogue.site.text import plain
from service_catalogue.validation.checks import CloseIds

SHORT_LINK = re.compile(r"\[\[\s*([a-z0-9][a-z0-9-]{0,62})\s*(?:\|([^\]\n]+))?\]\]")
# Fenced blocks and inline code are left alone: they show syntax, not links.
_CODE = re.compile(r"(^|\n)(```|~~~)[^\n]*\n.*?\n\2[^\n]*|`+[^`\n]*`+", re.S)


def expand_short_links(markdown: str, target_url) -> tuple[str, list[tuple[str, int]]]:
    """Replace short links outside code. target_url(id) -> (title, url) or None.

    Returns the new text and the unknown ids with their line numbers.
    """
    unknown: list[tuple[str, int]] = []
    pieces, last = [], 0

    def replace(segment: str, offset: int) -> str:
        def one(match):
            record_id, label = match.group(1), match.group(2)
            found = target_url(record_id)
            if found is None:
                line = markdown.count("\n", 0, offset + match.start()) + 1
                unknown.append((record_id, line))
                return match.group(0)
            title, url = found
            # The class (attr_list, which the plugin turns on) lets the stylesheet underline
            # the link: a hand-written page's text around it is the author's, the link is ours.
            return f"[{plain(label.strip() if label else title)}]({url}){{ .sc-record-link }}"

        return SHORT_LINK.sub(one, segment)

    for code in _CODE.finditer(markdown):
        pieces.append(replace(markdown[last : code.start()], last))
        pieces.append(code.group(0))
        last = code.end()
    pieces.append(replace(markdown[last:], last))
    return "".join(pieces), unknown


def unknown_link_words(record_id: str, close_ids: CloseIds) -> str:
    """What a build says of `[[record_id]]` naming no record: with the id closest to it, as
    `validate` says of a reference to a missing record (`[[sla-mmu]]`, did you mean `sla-emu`?)."""
    close = close_ids.closest(record_id)
    words = f"[[{record_id}]] names no record in the catalogue"
    return f"{words}: did you mean [[{close}]]?" if close else words


def link_targets(catalogue, page_path: Callable[[str], str]) -> Callable[[str], Callable[[str], tuple[str, str] | None]]:
    """for_page(here) -> target(record id), for expand_short_links on the hand-written page at
    `here` (its path in the docs folder): the record's title and its page's Markdown source,
    relative to here (the generator makes that the page's URL, as it does for any link)."""
    where = {entity.id: (page_path(entity.page), entity.anchor) for entity in catalogue.by_id.values()}

    def for_page(here: str):
        folder = posixpath.dirname(here) or "."

        def target(record_id: str) -> tuple[str, str] | None:
            found = where.get(record_id)
            if found is None:
                return None
            path, anchor = found
            relative = posixpath.relpath(path, folder)
            return catalogue.by_id[record_id].title, relative + (f"#{anchor}" if anchor else "")

        return target

    return for_page
