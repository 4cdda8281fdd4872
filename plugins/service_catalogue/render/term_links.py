"""Glossary terms in rendered HTML become links with a tooltip of their short definition.

Works on the HTML of a page, so it sees what a reader sees and can stay out
of code, links, headings and abbreviations whatever Markdown produced them.
"""

from __future__ import annotations

import html
import re

from ..glossary import TermMatcher
from .text import tooltip

MODES = ("first", "all", "none")

# Comments first, so a ">" inside one does not end a tag early; a ">" inside a quoted
# attribute value does not end the tag either (else the rest of it would be read as text).
_TOKENS = re.compile(r"""(<!--.*?-->|<(?:[^<>"']|"[^"<]*"|'[^'<]*')*>|<[^>]*>)""", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)([^>]*)>")
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
_TERM_HEADING_CLASS = re.compile(r"""class\s*=\s*["'][^"']*\bsc-term\b""")
# Skipped by their attributes: an element with a title already has a tooltip (a badge,
# say), and a term link inside it would show a second one; an admonition's title is a heading.
_SKIP_ATTRIBUTES = re.compile(r"""(?:^|\s)title\s*=|\bclass\s*=\s*["'][^"']*\badmonition-title\b""")
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

SKIP_TAGS = frozenset(
    {"a", "abbr", "button", "code", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "pre", "samp",
     "script", "select", "style", "summary", "svg", "textarea", "th", "title"}
)


# What process() needs to know about a tag, by the tag's text: pages repeat their tags
# (<td>, </p>, ...) thousands of times, so each is parsed once.
_NOT_A_TAG = ("",)
_TAG_INFO: dict[str, tuple] = {}


def _tag_info(token: str) -> tuple:
    """(closing, name, self-closing, term heading, its id, skipped by attributes) of a tag."""
    tag = _TAG.match(token)
    if not tag:
        info = _NOT_A_TAG
    else:
        closing, name, rest = tag.group(1), tag.group(2).lower(), tag.group(3)
        found = _ID.search(rest)
        info = (
            closing,
            name,
            rest.rstrip().endswith("/"),
            bool(_TERM_HEADING_CLASS.search(rest)),
            found.group(1) if found else None,
            bool(_SKIP_ATTRIBUTES.search(rest)),
        )
    if len(_TAG_INFO) >= 50_000:
        _TAG_INFO.clear()
    _TAG_INFO[token] = info
    return info


class TermLinker:
    """One per build: the matcher inside is built once for all terms."""

    def __init__(self, matcher: TermMatcher, terms_by_id: dict, mode: str = "first"):
        if mode not in MODES:
            raise ValueError(f"glossary link mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.matcher = matcher
        self.terms = terms_by_id
        self.mode = mode

    def process(self, page_html: str, glossary_url: str, link: bool = True) -> tuple[str, set[str]]:
        """Returns the page with term links added, and the ids of every term the page uses.

        glossary_url: the glossary page relative to this page (anchors are appended).
        link=False only collects usage (a page that opted out).
        """
        used: set[str] = set()
        linked: set[str] = set()
        depth = 0  # how many skipped elements we are inside
        own_entry = None  # on the glossary page: the term whose entry we are in
        titled: dict[str, list[bool]] = {}  # tag name -> open elements of that name: skipped by attributes?
        out = []
        for token in _TOKENS.split(page_html):
            if not token:
                continue
            if token.startswith("<"):
                out.append(token)
                tag = _TAG_INFO.get(token) or _tag_info(token)
                if tag is _NOT_A_TAG:
                    continue
                closing, name, self_closing, term_heading, heading_id, skip_attribute = tag
                if name in SKIP_TAGS and not self_closing:
                    depth += -1 if closing else 1
                    depth = max(depth, 0)
                    if not closing and name.startswith("h") and term_heading:
                        own_entry = heading_id
                    elif not closing and name in ("h1", "h2"):
                        own_entry = None
                elif name not in VOID_TAGS and not self_closing:
                    stack = titled.setdefault(name, [])
                    if closing:
                        if stack and stack.pop():
                            depth = max(depth - 1, 0)
                    elif stack or skip_attribute:
                        stack.append(skip_attribute)
                        depth += stack[-1]
                continue
            if depth or token.isspace():  # skipped, or a line break between tags
                out.append(token)
                continue
            out.append(self._text(token, glossary_url, link, used, linked, own_entry))
        return "".join(out), used

    def _text(self, raw: str, glossary_url: str, link: bool, used: set, linked: set, own_entry) -> str:
        text = html.unescape(raw)
        matches = self.matcher.find(text)
        if not matches:
            return raw
        pieces, last = [], 0
        for match in matches:
            if match.term_id == own_entry:
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
