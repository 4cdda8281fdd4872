"""The start tags of an HTML fragment, for tests that prove what markup a page holds."""

from __future__ import annotations

from html.parser import HTMLParser


def markup_of(fragment: str) -> list[tuple[str, list]]:
    """Every start tag of an HTML fragment, with its attributes."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

        handle_startendtag = handle_starttag

    collector = Collector()
    collector.feed(fragment)
    collector.close()
    return found
