"""Glossary terms in rendered HTML become links with a tooltip of their short definition.

Works on the HTML of a page, so it sees what a reader sees and can stay out
of code, links, headings and abbreviations whatever Markdown produced them.
"""

from __future__ import annotations

import html
import re

from service_catalogue.site.glossary import TermMatcher
from service_catalogue.site.text import tooltip

MODES = ("first", "all", "none")

# Comments first, so a ">" inside one does not end a tag early; a ">" inside a quoted
# attribute value does not end the tag either (else the rest of it would be read as text).
# The middle one is <(?:[^<>"']|"[^"<]*"|'[^'<]*')*> with its loop unrolled: the same
# matches, found faster, as runs of plain characters are taken at once.
_TOKENS = re.compile(r"""(<!--.*?-->|<[^<>"']*(?:(?:"[^"<]*"|'[^'<]*')[^<>"']*)*>|<[^>]*>)""", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)([^>]*)>")
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
_TERM_HEADING_CLASS = re.compile(r"""class\s*=\s*["'][^"']*\bsc-term\b""")
# Skipped by their attributes: an element with a title already has a tooltip (a badge,
# say), and a term link inside it would show a second one; an admonition's title is a heading;
# sc-no-term-links holds text that is not the page's own (Appendix B's definitions).
_SKIP_ATTRIBUTES = re.compile(r"""(?:^|\s)title\s*=|\bclass\s*=\s*["'][^"']*\b(?:admonition-title|sc-no-term-links)\b""")
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

SKIP_TAGS = frozenset(
    {"a", "abbr", "button", "code", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "pre", "samp",
     "script", "select", "style", "summary", "svg", "textarea", "th", "title"}
)


# What a tag does to process()'s state, as an action (code, tag name, own entry).
# Pages repeat their tags (<td>, </p>, ...) thousands of times, so each distinct
# tag text is worked out once.
_OPEN_SKIPPED = 0  # <code>, <a>, ...: no links inside
_CLOSE_SKIPPED = 1
_OPEN_HEADING = 2  # a skipped heading that also sets which glossary entry we are in
# The rest matter only to elements skipped by their attributes (see _track_titled).
_IGNORE = 3  # not a tag, or a void or self-closing one: has no name, changes nothing
_OPEN = 4  # any other element
_OPEN_TITLED = 5  # one skipped by its attributes
_CLOSE = 6
_ACTIONS: dict[str, tuple] = {}
_NOTHING = (_IGNORE, "", None)


def _tag_action(token: str) -> tuple:
    """The action of a tag (or of a "<" that starts none), remembered in _ACTIONS."""
    tag = _TAG.match(token)
    if not tag:
        action = _NOTHING
    else:
        closing, name, rest = tag.group(1), tag.group(2).lower(), tag.group(3)
        if rest.rstrip().endswith("/"):
            action = _NOTHING
        elif name in SKIP_TAGS:
            action = (_CLOSE_SKIPPED, name, None) if closing else _skipped_opening(name, rest)
        elif name in VOID_TAGS:
            action = _NOTHING
        elif closing:
            action = (_CLOSE, name, None)
        else:
            action = (_OPEN_TITLED if _SKIP_ATTRIBUTES.search(rest) else _OPEN, name, None)
    if len(_ACTIONS) >= 50_000:
        _ACTIONS.clear()
    _ACTIONS[token] = action
    return action


def _skipped_opening(name: str, rest: str) -> tuple:
    """The action of an opening tag in SKIP_TAGS; rest is what follows its name."""
    if name.startswith("h") and _TERM_HEADING_CLASS.search(rest):
        found = _ID.search(rest)
        return (_OPEN_HEADING, name, found.group(1) if found else None)  # a glossary entry starts
    if name in ("h1", "h2"):
        return (_OPEN_HEADING, name, None)  # a section that is no entry starts
    return (_OPEN_SKIPPED, name, None)


def _track_titled(titled: dict, code: int, name: str, depth: int) -> int:
    """Elements skipped by their attributes (a title, say): returns the depth after this tag.

    titled: tag name -> the open elements of that name since one of them was skipped,
    innermost last: skipped or not, so that its closing tag ends the right one. A name
    is there only while it has open elements, so the loop rules out most tags at once.
    """
    stack = titled.setdefault(name, [])
    if code == _CLOSE:
        if stack and stack.pop():
            depth = max(depth - 1, 0)
        if not stack:
            del titled[name]
    else:
        stack.append(code == _OPEN_TITLED)
        depth += stack[-1]
    return depth


# What _find finds in text with no terms.
_NO_TERMS = (None, ())


class TermLinker:
    """One per build: the matcher inside is built once for all terms."""

    def __init__(self, matcher: TermMatcher, terms_by_id: dict, mode: str = "first"):
        if mode not in MODES:
            raise ValueError(f"glossary link mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.matcher = matcher
        self.terms = terms_by_id
        self.mode = mode
        # Raw text -> what _find found in it: pages repeat much of their text (", ",
        # table headings, "None recorded."), so each is matched once.
        self._found: dict[str, tuple] = {}

    def process(
        self, page_html: str, glossary_url: str, link: bool = True, exclude: frozenset[str] = frozenset()
    ) -> tuple[str, set[str]]:
        """Returns the page with term links added, and the ids of every term the page uses.

        glossary_url: the glossary page relative to this page (anchors are appended).
        link=False only collects usage (a page that opted out).
        exclude: terms this page does not use from the glossary (an agreement's own
        definitions stand for them): their words stay text, neither linked nor counted.
        """
        used: set[str] = set()
        linked: set[str] = set()
        depth = 0  # how many skipped elements we are inside
        own_entry = None  # on the glossary page: the term whose entry we are in
        titled: dict[str, list[bool]] = {}  # see _track_titled
        found_cache, actions = self._found, _ACTIONS
        # Split on tags, the parts are text, tag, text, tag, ..., text; an empty last tag
        # (which does nothing) makes them pairs. Text with links replaces its part.
        parts = _TOKENS.split(page_html)
        parts.append("")
        for i in range(0, len(parts), 2):
            text = parts[i]
            # Not skipped, nor a line break between tags, nor a "<" no tag closes.
            if text and not depth and not text.isspace() and text[0] != "<":
                found = found_cache.get(text) or self._find(text)
                if found is not _NO_TERMS:
                    parts[i] = self._text(text, found, glossary_url, link, used, linked, own_entry, exclude)
            tag = parts[i + 1]
            code, name, entry = actions.get(tag) or _tag_action(tag)
            if code >= _IGNORE:  # the most common, <td>, </p>, ...: mostly nothing to do
                if code == _OPEN_TITLED or name in titled:
                    depth = _track_titled(titled, code, name, depth)
            elif code == _OPEN_SKIPPED:
                depth += 1
            elif code == _CLOSE_SKIPPED:
                if depth:
                    depth -= 1
            else:
                depth += 1
                own_entry = entry
        return "".join(parts), used

    def _find(self, raw: str) -> tuple:
        """(the text unescaped, its matches), or _NO_TERMS; remembered in self._found."""
        text = html.unescape(raw) if "&" in raw else raw
        matches = self.matcher.find(text)
        found = (text, matches) if matches else _NO_TERMS
        if len(self._found) >= 50_000:
            self._found.clear()
        self._found[raw] = found
        return found

    def _text(self, raw: str, found: tuple, glossary_url: str, link: bool, used: set, linked: set, own_entry, exclude) -> str:
        text, matches = found
        pieces, last = [], 0
        for match in matches:
            if match.term_id == own_entry or match.term_id in exclude:
                continue
            used.add(match.term_id)
            if not link or self.mode == "none" or (self.mode == "first" and match.term_id in linked):
                continue
            linked.add(match.term_id)
            term = self.terms[match.term_id]
            pieces.append(html.escape(text[last : match.start], quote=True))
            pieces.append(
                f'<a class="sc-term-link" href="{html.escape(glossary_url)}#{term.id}" '
                f'title="{tooltip(term.short_definition)}">{html.escape(match.text, quote=False)}</a>'
            )
            last = match.end
        if last == 0:
            return raw
        pieces.append(html.escape(text[last:], quote=True))
        return "".join(pieces)
