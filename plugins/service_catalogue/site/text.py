"""Putting untrusted text into Markdown: plain text escaped, Markdown fields sanitised."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import markdown
import nh3

# Markdown punctuation that could start emphasis, links, code, tables or attribute lists.
# `~` (strikethrough with pymdownx.tilde) becomes an entity instead: Python-Markdown
# without that extension would show a backslash before it.
_MARKDOWN_SPECIAL_CHARS = "\\`*_{}[]()#+!|"
_MARKDOWN_SPECIALS = re.compile(f"([{re.escape(_MARKDOWN_SPECIAL_CHARS)}])")

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


# A `<` that could open a tag if the text were read as HTML again. Material for
# MkDocs does that: with `content.tooltips` it shows an element's title, and the
# innerText of a truncated nav or header title (`.md-ellipsis`), as innerHTML.
# A zero-width space after the `<` keeps such text text, and looks the same.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def defuse(text: str) -> str:
    """Text that stays text even when shown with innerHTML (see _TAG_START)."""
    return _TAG_START.sub("<\u200b", text)


# Characters that would hide or reorder what a page shows, or break it: control
# characters but TAB, LF and CR (which the callers fold or keep), the bidi
# embedding, override and isolate controls, and lone surrogates (from file names
# that are not UTF-8; a page holding one cannot be written). The schemas refuse
# most of them; pages show U+FFFD instead all the same (a template may show a
# field the schemas do not check, and Markdown fields may hold bidi controls).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: str) -> str:
    """text with every character of _INVISIBLE replaced by U+FFFD."""
    return _INVISIBLE.sub("\ufffd", text) if _INVISIBLE.search(text) else text


# Where a templating plugin (mkdocs-macros-plugin: Jinja) would start reading:
# `{{`, `{%` and `{#`. Generated pages tell it not to render them (front matter
# `render_macros: false`), and record text never carries one either, for
# plugins that do not know that setting. In HTML text and attribute values a
# `{` becomes a character reference; in backslash-escaped Markdown text, where
# only `\{%` can remain (the next `{` or `#` has its own backslash), likewise.
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")


def no_template_syntax(html_text: str) -> str:
    """HTML text or an attribute value in which no `{{`, `{%` or `{#` is left."""
    return _TEMPLATE_OPENER.sub("&#123;", html_text) if "{" in html_text else html_text


def _no_template_syntax_escaped(markdown_text: str) -> str:
    """The same for text whose Markdown punctuation is backslash-escaped."""
    return markdown_text.replace("\\{%", "&#123;%") if "{%" in markdown_text else markdown_text


# The texts below are kept by text, at most this many each: the same titles, roles
# and fields show on many pages, and a `mkdocs serve` rebuild shows them again.
_CACHE_MAX = 100_000


def _remember(cache: dict, key, value: str) -> str:
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[key] = value
    return value


_PLAIN: dict[str, str] = {}

# Markdown's specials get a backslash; HTML's, and `~`, become character references.
_PLAIN_ESCAPES = str.maketrans(
    {**{c: "\\" + c for c in _MARKDOWN_SPECIAL_CHARS}, "&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;"}
)


def plain(value) -> str:
    """Plain text, safe in Markdown and HTML: nothing in it can become markup."""
    if value is None:
        return ""
    text = str(value)
    escaped = _PLAIN.get(text)
    if escaped is None:
        escaped = _remember(
            _PLAIN, text, _no_template_syntax_escaped(" ".join(defuse(visible(text)).translate(_PLAIN_ESCAPES).split()))
        )
    return escaped  # on one line: a line break would end a table row


def attribute(value) -> str:
    """Text for an HTML attribute value (a title tooltip, say)."""
    return no_template_syntax(html.escape(" ".join(visible(str(value or "")).split()), quote=True))


def tooltip(value) -> str:
    """A title attribute value: Material's tooltips show it as HTML, so it is defused too."""
    return attribute(defuse(str(value or "")))


# Characters that YAML refuses even inside a quoted string, and json.dumps writes raw.
_YAML_UNPRINTABLE = re.compile("[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def front_matter(value) -> str:
    """A value for a generated page's YAML front matter (its title): one double-quoted line.

    HTML-escaped, because themes print page.title and page.meta into HTML as they
    are (MkDocs renders templates without autoescape; Material's header and <title>
    use the title raw).
    """
    text = no_template_syntax(html.escape(" ".join(defuse(visible(str(value))).split()), quote=True))
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


# What Mermaid would read in a label, as the entity codes (#35;, #quot;) it decodes once.
# It looks for directives and comments in the whole source, quotes or not, before parsing.
_MERMAID_CODES = str.maketrans(
    {
        "#": "#35;",  # an entity code the author wrote stays text
        "&": "#amp;",
        '"': "#quot;",  # the end of the label
        "<": "#lt;",
        ">": "#gt;",
        "`": "#96;",  # a Markdown label
        "%": "#37;",  # `%%` starts a comment, `%%{init: ...}%%` a directive (themeCSS, url())
        "{": "#123;",  # directives; and Jinja, were a macros plugin to read the page
        "}": "#125;",
        ":": "#58;",  # a line with `style`/`classDef`, `:`, `#` and `;` loses its last `;` to Mermaid
        # Mermaid stands ﬂ°, ﬂ°° and ¶ß in for `&`, `&#` and `;` while it works, and turns them
        # back even where the author wrote them: a word joiner (invisible) keeps them apart.
        "\ufb02": "\ufb02\u2060",
        "\u00b6": "\u00b6\u2060",
    }
)


def mermaid_label(value) -> str:
    """Text for a Mermaid node label in double quotes: nothing in it is read as Mermaid."""
    return " ".join(visible(str(value or "")).split()).translate(_MERMAID_CODES)


# Converted fields by (allow_raw_html, text): the same text converts the same way, and
# this outlives the renderer, so a `mkdocs serve` rebuild converts only what changed.
_SANITISED: dict[tuple[bool, str], str] = {}
# What _rewrite() made of sanitised HTML, by (for_markdown, HTML): HTMLParser is slow.
_REWRITTEN: dict[tuple[bool, str], str] = {}

# Prose with nothing Markdown or HTML would read: paragraphs of words and everyday
# punctuation, one blank line between them. Every line starts with a letter (no list,
# heading, rule or definition) and has no space at either end (no code block, no
# hard line break). Python-Markdown makes each paragraph a <p> and nothing else, and
# the sanitiser keeps those as they are: writing them directly skips both, which
# took about a fifth of a first build's rendering time.
_PROSE_LINE = r"[A-Za-z][A-Za-z0-9 .,;:?'\"()/%-]*(?<! )"
_PROSE_PARAGRAPH = rf"{_PROSE_LINE}(?:\n{_PROSE_LINE})*"
_PROSE = re.compile(rf"{_PROSE_PARAGRAPH}(?:\n\n{_PROSE_PARAGRAPH})*\n*")


def _prose_html(text: str) -> str:
    """What Markdown and the sanitiser make of text that _PROSE matches."""
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in text.rstrip("\n").split("\n\n"))


class MarkdownFields:
    """Renders Markdown fields of records to sanitised HTML, one converter reused."""

    def __init__(self, allow_raw_html: bool = False):
        self.allow_raw_html = allow_raw_html
        self._converter = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", "def_list"])

    def _sanitised(self, text) -> str:
        key = (self.allow_raw_html, str(text))
        cached = _SANITISED.get(key)
        if cached is not None:
            return cached
        if _PROSE.fullmatch(key[1]):
            rendered = _prose_html(key[1])
            _remember(_REWRITTEN, (False, rendered), rendered)  # no attribute, nothing to escape
        else:
            # Also keeps Python-Markdown's own placeholders (STX, ETX) out of its input.
            rendered = self._converted(visible(key[1]))
        return _remember(_SANITISED, key, rendered)

    def _converted(self, text: str) -> str:
        self._converter.reset()
        rendered = self._converter.convert(text)
        if not self.allow_raw_html:
            rendered = nh3.clean(
                rendered,
                tags=ALLOWED_TAGS,
                attributes=ALLOWED_ATTRIBUTES,
                url_schemes=ALLOWED_URL_SCHEMES,
                link_rel="noopener noreferrer",
            )
        else:  # not written out again by _Rewriter: the raw HTML as it is, but for template syntax
            rendered = no_template_syntax(rendered)
        return rendered

    def to_html(self, text) -> str:
        if not text:
            return ""
        rendered = self._sanitised(text)
        return rendered if self.allow_raw_html else _rewrite(rendered)

    def inline(self, text) -> str:
        """A Markdown field inside one line of a generated Markdown page (a table cell).

        The page is read as Markdown again, so the HTML must be one line (a line
        break would end the table row) and hold nothing that Markdown would turn
        into markup: text that reads `[x](javascript:...)` after the first pass
        must not become a link in the second.
        """
        if not text:
            return ""
        rendered = self._sanitised(text)
        if self.allow_raw_html:
            rendered = " ".join(rendered.split("\n"))
        else:
            rendered = _rewrite(rendered, for_markdown=True)
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            return rendered[3:-4]
        return rendered

    def block(self, text) -> str:
        """A Markdown field as an HTML block inside a generated Markdown page."""
        rendered = self.to_html(text)
        if not rendered:
            return ""
        return f'<div class="sc-text" markdown="0">\n{rendered}\n</div>'


class _Rewriter(HTMLParser):
    """Writes sanitised HTML out again, every attribute value and text fully escaped.

    nh3 (html5ever) leaves `<` and `>` raw inside attribute values, which is valid
    HTML; but a regex that finds tags (the glossary term linker) or Markdown's
    inline-HTML pattern would take that `>` for the end of the tag and read the
    rest of the attribute as text. With for_markdown, text also has Markdown's
    specials escaped and line breaks written as character references.
    """

    def __init__(self, for_markdown: bool):
        super().__init__(convert_charrefs=True)
        self.for_markdown = for_markdown
        self.out: list[str] = []

    @staticmethod
    def _attributes(attrs) -> str:
        return "".join(
            f' {name}="{no_template_syntax(html.escape(defuse(value) if name == "title" else value, quote=True))}"' if value is not None else f" {name}"
            for name, value in attrs
        )

    def handle_starttag(self, tag, attrs):
        self.out.append(f"<{tag}{self._attributes(attrs)}>")

    def handle_startendtag(self, tag, attrs):
        self.out.append(f"<{tag}{self._attributes(attrs)}>")

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.for_markdown:
            data = _MARKDOWN_SPECIALS.sub(r"\\\1", data)
            text = _no_template_syntax_escaped(html.escape(data, quote=False).replace("~", "&#126;").replace("\n", "&#10;"))
        else:
            text = no_template_syntax(html.escape(data, quote=False))
        self.out.append(text)


def _rewrite(sanitised: str, for_markdown: bool = False) -> str:
    key = (for_markdown, sanitised)
    rewritten = _REWRITTEN.get(key)
    if rewritten is None:
        rewritten = _remember(_REWRITTEN, key, _rewrite_uncached(sanitised, for_markdown))
    return rewritten


def _rewrite_uncached(sanitised: str, for_markdown: bool) -> str:
    writer = _Rewriter(for_markdown)
    writer.feed(sanitised)
    writer.close()
    return "".join(writer.out)


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
