"""The finishing step: what the plugin adds to built pages, added to any generator's HTML site.

MkDocs runs the plugin's page events; Zensical runs no MkDocs plugin, and a site built
from `service-catalogue render`'s pages by it (or by anything that writes Material's
markup, or plain HTML) lacks what those events add. `finish_site` reads the pages a
generator wrote and adds it: the glossary terms linked with their tooltips, the "used in"
list of every term on the glossary page, catalogue.json and glossary.json at the site's
root, the site's own Mermaid on the pages with a diagram, the stylesheet, and edit buttons
on record pages that open the YAML record rather than a generated page that is in no
repository.

Every page is read and finished before any is written: a page that cannot be read, or an
export that cannot be made, leaves the site as it was (FinishError, ExportError).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path
from urllib.parse import quote, urljoin

from service_catalogue.errors import FinishError
from service_catalogue.kinds import KIND_BY_NAME
from service_catalogue.model import Agreement, Catalogue, Entity
from service_catalogue.site.assets import CSS_PATH, SITE_FILES, with_mermaid
from service_catalogue.site.exports import catalogue_json_pieces, glossary_export
from service_catalogue.site.glossary import TermMatcher
from service_catalogue.site.pages import section_path
from service_catalogue.site.shortlinks import SHORT_LINK
from service_catalogue.site.term_links import TermLinker
from service_catalogue.site.urls import relative_url
from service_catalogue.version import __version__

# Put into the <head> of every page finished, by finish and by the plugin, so that finish
# run on a site finished already can tell (its terms are links: it would find none to count).
FINISHED = f'<meta name="service-catalogue" content="finished by {__version__}">'
_FINISHED = re.compile(r'<meta name="service-catalogue" content="finished[^"]*">')

# A hand-written page whose front matter says `glossary_links: false` ends with this, as
# `render --docs` writes it: its terms are counted in "used in" but not linked, as the plugin does.
GLOSSARY_LINKS_OFF = '<div class="sc-glossary-links-off" hidden></div>\n'
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)

USED_IN = re.compile(r'<div class="sc-used-in" data-term="([a-z0-9-]+)">.*?</div>', re.S)
# Material's (and Zensical's) page body; a generator of plain HTML has <main>, or only <body>.
_CONTENT = (
    (re.compile(r'<article class="md-content__inner md-typeset">'), "</article>"),
    (re.compile(r"<main\b[^>]*>"), "</main>"),
    (re.compile(r"<body\b[^>]*>"), "</body>"),
)
# The current page's entry in Material's navigation: its title as the site's nav names it.
_ACTIVE_NAV = re.compile(r'<a [^>]*class="md-nav__link md-nav__link--active"[^>]*>(.*?)</a>', re.S)
_GENERATED = re.compile(r'<div class="sc-page" hidden(?:="")?></div>')
_LINKS_OFF = re.compile(r'<div class="sc-glossary-links-off" hidden(?:="")?></div>')
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
# The edit and view buttons of Material's page (content.action.edit, content.action.view).
_BUTTON = re.compile(r'(<a href=")([^"]*)("[^>]*class="md-content__button[^"]*")')
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)


@dataclass
class FinishedSite:
    """What finish_site did, for the command's summary."""

    pages: int = 0  # HTML pages read
    linked: int = 0  # pages where a term became a link
    edit_links: int = 0  # record pages whose edit button now opens the YAML record
    exports: list[str] = field(default_factory=list)  # files written at the site's root
    already: bool = False  # the site was finished before: nothing done
    # (page, line, text) of `[[id]]` left as text: the page was not rendered with --docs.
    short_links: list[tuple[str, int, str]] = field(default_factory=list)


@dataclass
class SiteLayout:
    """Where a generator put the pages of a site: each Markdown source's HTML file and URL."""

    root: Path
    directory_urls: bool

    def file_of(self, src: str) -> str:
        """The HTML file of a Markdown source (catalogue/glossary.md), relative to the root."""
        stem = src[: -len(".md")] if src.endswith(".md") else src
        if not self.directory_urls or stem == "index" or stem.endswith("/index"):
            return stem + ".html"
        return stem + "/index.html"

    def url_of(self, file: str) -> str:
        """A page's URL relative to the root, as MkDocs writes it (page.url)."""
        if self.directory_urls:
            if file == "index.html":
                return ""
            if file.endswith("/index.html"):
                return file[: -len("index.html")]
        return file

    @classmethod
    def of(cls, root: Path, pages_src: tuple[str, ...]) -> SiteLayout:
        """The layout in which the site has pages_src (pages not named index.md: an index page
        is at the same file either way)."""
        for directory_urls in (True, False):
            layout = cls(root, directory_urls)
            if any((root / layout.file_of(src)).is_file() for src in pages_src):
                return layout
        raise FinishError(
            f"{root} has no page of the catalogue: expected {cls(root, True).file_of(pages_src[-1])} "
            f"or {cls(root, False).file_of(pages_src[-1])}. Build the site from `service-catalogue render`'s "
            "pages first, with the same --section"
        )


def edit_paths(docs: Path) -> Callable[[os.PathLike | str], str]:
    """edit_path(record file): the record's path relative to the docs folder, URL-quoted, which
    an edit button opens (edit_uri is relative to the docs folder; the records are beside it)."""
    docs = docs.resolve()
    folders: dict[str, str] = {}

    def edit_path(record_path) -> str:
        parent, name = os.path.split(os.fspath(record_path))
        where = folders.get(parent)
        if where is None:
            relative = Path(os.path.relpath(Path(parent).resolve(), docs)).as_posix()
            # A name that is not UTF-8 reaches here with surrogates (os.walk): its own bytes are quoted.
            where = folders[parent] = "" if relative == "." else quote(relative, safe="/", errors="surrogateescape") + "/"
        # Themes put it in href="..." as it is: a `"` in a name is quoted too.
        return where + quote(name, safe="/", errors="surrogateescape")

    return edit_path


def fill_used_in(glossary_html: str, usage: dict[str, dict[str, str]], glossary_url: str) -> str:
    """The glossary page with each term's "used in" list: usage is {term id: {page URL: title}},
    URLs relative to the site's root, as MkDocs' page.url."""
    # A page that uses several terms is listed under each: its link is made once.
    links = {
        (url, title): f'<a href="{escape(relative_url(url, glossary_url))}">{escape(title)}</a>'
        for pages in usage.values() for url, title in pages.items()
    }

    def used_in_html(match: re.Match) -> str:
        term_id = match.group(1)
        pages = sorted(usage.get(term_id, {}).items(), key=lambda item: item[1].casefold())
        if not pages:
            body = "<p>Not used in any page yet.</p>"
        else:
            body = f"<p>Used in: {', '.join(links[(url, title)] for url, title in pages)}</p>"
        return f'<div class="sc-used-in" data-term="{escape(term_id)}">{body}</div>'

    return USED_IN.sub(used_in_html, glossary_html)


def glossary_links_off(markdown: str) -> bool:
    """Whether a Markdown page's front matter says `glossary_links: false`."""
    import yaml

    front = _FRONT_MATTER.match(markdown)
    if not front or "glossary_links" not in front.group(1):
        return False
    try:
        meta = yaml.safe_load(front.group(1))
    except yaml.YAMLError:
        return False
    return isinstance(meta, dict) and meta.get("glossary_links") is False


def text_of(title: str) -> str:
    """The text of a bit of HTML (a heading, a page title)."""
    return unescape(re.sub(r"<[^>]*>", "", title)).strip()


def finish_site(site: Path, catalogue: Catalogue, options, fields, docs: Path | None = None,
                progress: Callable[[int, int], None] | None = None) -> FinishedSite:
    """Finish the HTML site in the folder `site` (see the module's docstring).

    options: the run's Options (section, glossary_links); fields: the renderer's
    (glossary.json's definitions in HTML); docs: the folder the hand-written pages came
    from, against which the edit buttons of record pages are made (None: left as they are).
    progress(done, total) is called as pages are read.
    """
    if not site.is_dir():
        raise FinishError(f"{site} is not a folder: give the folder the generator built the site into")
    glossary_src = section_path(options.section, KIND_BY_NAME["Term"].index_page)
    layout = SiteLayout.of(site, (glossary_src, section_path(options.section, "health.md")))
    pages = sorted(_pages(site))
    result = FinishedSite(pages=len(pages))
    if _any_finished(site, pages):
        result.already = True
        return result

    entity_of_file: dict[str, Entity] = {}
    page_url: dict[Entity, str] = {}
    for record in catalogue.by_id.values():
        file = layout.file_of(section_path(options.section, record.page))
        if not record.anchor:
            entity_of_file[file] = record
        page_url[record] = layout.url_of(file) + (f"#{record.anchor}" if record.anchor else "")
    glossary_file = layout.file_of(glossary_src)
    has_glossary = bool(catalogue.terms) and (site / glossary_file).is_file()
    glossary_url = layout.url_of(glossary_file)
    linker = TermLinker(TermMatcher(catalogue.terms), catalogue.by_id, options.glossary_links) if has_glossary else None
    edit_path = edit_paths(docs) if docs is not None else None
    usage: dict[str, dict[str, str]] = {}
    site_name = _site_name(site, pages)

    work = Path(tempfile.mkdtemp(prefix=".service-catalogue-finish-", dir=site))
    try:
        finished: dict[str, Path] = {}
        for done, page in enumerate(pages, 1):
            html = _read(site / page, site)
            url = layout.url_of(page)
            start, end = _content(html)
            content = html[start:end]
            # The marks as elements (in code, their "<" is escaped): a page about them is no generated one.
            generated = _GENERATED.search(content) is not None
            # A record's page written by hand is the author's, as in the plugin: counted, its edit button kept.
            entity = entity_of_file.get(page) if generated else None
            if linker is not None:
                counts = (entity is not None and KIND_BY_NAME[entity.kind].uses_terms) or not generated
                exclude = entity.overridden_terms if isinstance(entity, Agreement) else frozenset()
                wanted = _LINKS_OFF.search(content) is None
                linked, used = linker.process(content, relative_url(glossary_url, url), link=wanted, exclude=exclude)
                if linked != content:
                    result.linked += 1
                if counts and page != glossary_file:
                    title = _title(content, html, site_name) or page
                    for term_id in used:
                        usage.setdefault(term_id, {})[url] = title
                content = linked
            if not generated:
                result.short_links += [found for found in _short_links(page, html[:start], content)
                                       if found[2][2:-2].split("|")[0].strip() in catalogue.by_id]
            html = html[:start] + content + html[end:]
            if entity is not None and edit_path is not None:
                html, changed = _edit_buttons(html, section_path(options.section, entity.page), edit_path(entity.record.path))
                result.edit_links += changed
            html = with_mermaid(html, url, every_page=_instant(html))
            html = _with_head(html, url)
            target = work / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, "utf-8")
            finished[page] = target
            if progress is not None:
                progress(done, len(pages))
        if has_glossary:
            target = finished[glossary_file]
            target.write_text(fill_used_in(target.read_text("utf-8"), usage, glossary_url), "utf-8")
        exports = {
            "catalogue.json": "".join(catalogue_json_pieces(catalogue, page_url.__getitem__)),
        }
        if catalogue.terms:
            exports["glossary.json"] = glossary_export(catalogue, fields, glossary_url, usage)
        for name, text in exports.items():
            (work / name).write_text(text, "utf-8")
        # Everything is made: only now is the site changed.
        for page, made in finished.items():
            os.replace(made, site / page)
        for name in exports:
            os.replace(work / name, site / name)
        result.exports = sorted(exports)
        for path, source in SITE_FILES.items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, site / path)
    except OSError as exc:
        raise FinishError(f"cannot finish {site}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _pages(site: Path) -> Iterator[str]:
    """The pages of a site, relative to it: every .html but the theme's assets and the 404 page."""
    for folder, folders, files in os.walk(site):
        here = Path(folder).relative_to(site).as_posix()
        folders[:] = sorted(f for f in folders if not (here == "." and f == "assets") and not f.startswith("."))
        for name in files:
            path = name if here == "." else f"{here}/{name}"
            if name.endswith(".html") and path != "404.html":
                yield path


def _any_finished(site: Path, pages: list[str]) -> bool:
    """Whether the site's first pages carry the finishing mark (a theme's <head> may be long:
    each page is searched whole)."""
    return any(_FINISHED.search(_read(site / page, site)) for page in pages[:10])


def _read(path: Path, site: Path) -> str:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise FinishError(f"{path.relative_to(site)} is not UTF-8 (byte {exc.start}): not a page this step can finish") from None
    except OSError as exc:
        raise FinishError(f"cannot read {path}: {exc.strerror or exc}") from None


def _content(html: str) -> tuple[int, int]:
    """Where the page's own content is (start, end) in its HTML: not the navigation, header or footer."""
    for opening, closing in _CONTENT:
        found = opening.search(html)
        if found:
            end = html.find(closing, found.end())
            if end >= 0:
                return found.end(), end
    return 0, 0


def _site_name(site: Path, pages: list[str]) -> str:
    """The site's name: the home page's <title> (Material titles every other page "page - site")."""
    if "index.html" not in pages:
        return ""
    title = _TITLE.search(_read(site / "index.html", site))
    return text_of(title.group(1)) if title else ""


def _title(content: str, html: str, site_name: str) -> str:
    """A page's title as the plugin lists it under "used in" (MkDocs' page.title): its entry in the
    navigation, else the theme's <title> less the site's name, else its heading."""
    active = _ACTIVE_NAV.search(html)
    if active and text_of(active.group(1)):
        return " ".join(text_of(active.group(1)).split())
    title = _TITLE.search(html)
    suffix = f" - {site_name}"
    if title and site_name:
        text = text_of(title.group(1))
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    heading = _H1.search(content)
    if heading:
        return text_of(_HEADERLINK.sub("", heading.group(1)))
    return text_of(title.group(1)) if title else ""


def _instant(html: str) -> bool:
    """Whether Material's navigation.instant is on (it swaps pages in without their scripts)."""
    config = _CONFIG.search(html)
    if not config:
        return False
    try:
        return "navigation.instant" in (json.loads(config.group(1)).get("features") or ())
    except (ValueError, AttributeError):
        return False


def with_finished_mark(html: str) -> str:
    """The page with FINISHED in its <head> (the plugin's pages, as finish's)."""
    at = html.find("</head>")
    return html if at < 0 else html[:at] + FINISHED + html[at:]


def _with_head(html: str, url: str) -> str:
    """The page with the finishing mark and, unless the generator linked it, the stylesheet."""
    at = html.find("</head>")
    if at < 0:
        return html
    extra = FINISHED
    if CSS_PATH not in html[:at]:
        extra += f'<link rel="stylesheet" href="{escape(relative_url(CSS_PATH, url))}">'
    return html[:at] + extra + html[at:]


def _edit_buttons(html: str, src: str, record: str) -> tuple[str, int]:
    """The page with its edit (and view) buttons opening the record's YAML, not the generated page."""
    quoted = quote(src, safe="/")
    changed = 0

    def one(match: re.Match) -> str:
        nonlocal changed
        href = unescape(match.group(2))
        if not href.endswith(quoted):
            return match.group(0)
        changed += 1
        # urljoin takes the `..` out, as MkDocs' own edit URL does.
        return match.group(1) + escape(urljoin(href[: -len(quoted)], record)) + match.group(3)

    return _BUTTON.sub(one, html), changed


def _short_links(page: str, before: str, content: str) -> list[tuple[str, int, str]]:
    """`[[id]]` left as text in a hand-written page's content, outside code."""
    if "[[" not in content:
        return []
    code = [(m.start(), m.end()) for m in _CODE.finditer(content)]
    line = before.count("\n") + 1
    return [
        (page, line + content.count("\n", 0, m.start()), m.group(0))
        for m in SHORT_LINK.finditer(content)
        if not any(start <= m.start() < end for start, end in code)
    ]
