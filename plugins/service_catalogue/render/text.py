"""Putting untrusted text into Markdown: plain text escaped, Markdown fields sanitised."""

from __future__ import annotations

import html
import re

import markdown
import nh3

# Markdown punctuation that could start emphasis, links, code, tables or attribute lists.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~])")

ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
}


def plain(value) -> str:
    """Plain text, safe in Markdown and HTML: nothing in it can become markup."""
    if value is None:
        return ""
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", str(value))
    text = html.escape(text, quote=False)
    return " ".join(text.split())  # a line break would end a table row


def attribute(value) -> str:
    """Text for an HTML attribute value (a title tooltip, say)."""
    return html.escape(" ".join(str(value or "").split()), quote=True)


def mermaid_label(value) -> str:
    """Text for a Mermaid node label in double quotes: entity codes keep it data."""
    text = " ".join(str(value or "").split())
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("`", "#96;")
    )


class MarkdownFields:
    """Renders Markdown fields of records to sanitised HTML, one converter reused."""

    def __init__(self, allow_raw_html: bool = False):
        self.allow_raw_html = allow_raw_html
        self._converter = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", "def_list"])

    def to_html(self, text) -> str:
        if not text:
            return ""
        self._converter.reset()
        rendered = self._converter.convert(str(text))
        if self.allow_raw_html:
            return rendered
        return nh3.clean(
            rendered,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
        )

    def block(self, text) -> str:
        """A Markdown field as an HTML block inside a generated Markdown page."""
        rendered = self.to_html(text)
        if not rendered:
            return ""
        return f'<div class="sc-text" markdown="0">\n{rendered}\n</div>'


def safe_url(url) -> str:
    """Only http, https and mailto addresses become links; anything else is shown as text."""
    value = str(url or "").strip()
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    return value if scheme in ALLOWED_URL_SCHEMES else ""


def url_link(url, label=None) -> str:
    """An HTML link: Markdown link syntax would let a crafted URL break out of the brackets."""
    href = safe_url(url)
    shown = plain(label if label else url)
    if not href:
        return shown
    return f'<a href="{attribute(href)}">{shown}</a>'


def email_link(address) -> str:
    if not address:
        return ""
    return f'<a href="mailto:{attribute(address)}">{plain(address)}</a>'
