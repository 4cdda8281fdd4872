"""What a change to some records can alter, so that a `serve` rebuild redoes only that.

Under `mkdocs serve` one edited file should not re-render thousands of pages.
A record's page shows its own data and that of the records it links to or is
linked from; beyond those, only through services and agreements: a service
page names the provider of each agreement that covers it, and an availability
ceiling reaches from an agreement through its services and their hard
dependencies to those dependencies' SLAs. So a changed record affects the
pages of its neighbours, and of records up to three links away along paths
that pass only through services and agreements, in the last build's links and
in this one's. A record that moved (another file or line, the same data) affects
its own page and entry only. Findings are compared record by record, and a change of terms,
options or templates starts afresh. Tests compare rebuilds with full renders
for changes of every kind of record.

ServeCache is everything a `serve` session keeps between builds, in one object
with one rule for what survives: see its docstring.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service_catalogue.model import Agreement, Catalogue, Entity, Service
from service_catalogue.options import Options
from service_catalogue.site.term_links import TermLinker
from service_catalogue.validation.loader import FileCache


@dataclass
class BuildMemory:
    """What one build produced, for the next build to reuse what did not change."""

    signature: tuple = ()  # what every page depends on: options, templates, terms
    catalogue: Catalogue | None = None
    findings: dict[str, tuple] = field(default_factory=dict)  # record id -> its findings, comparable
    pages: dict[str, str] = field(default_factory=dict)  # record id -> Markdown of its page
    exports: dict[str, str] = field(default_factory=dict)  # record id -> its catalogue.json entry
    terms_found: dict = field(default_factory=dict)  # record id -> (Record, the terms its text uses)

    def unchanged(self, catalogue: Catalogue, findings: dict[str, tuple], signature: tuple) -> set[str]:
        """Ids of records whose page and export from the last build still hold."""
        previous = self.catalogue
        if previous is None or signature != self.signature:
            self.terms_found = {}  # found with other terms
            return set()
        changed = changed_ids(previous, catalogue)
        changed.update(
            record_id
            for record_id in findings.keys() | self.findings.keys()
            if findings.get(record_id) != self.findings.get(record_id)
        )
        affected = affected_ids(changed, previous) | affected_ids(changed, catalogue) | moved_ids(previous, catalogue)
        return {record_id for record_id in catalogue.by_id if record_id not in affected}

    def remember(self, catalogue: Catalogue, findings: dict[str, tuple], signature: tuple, pages: dict, exports: dict):
        self.catalogue, self.findings, self.signature = catalogue, findings, signature
        self.pages, self.exports = pages, exports


def changed_ids(before: Catalogue, after: Catalogue) -> set[str]:
    """Records added, removed or changed. An unchanged file gives the same Record object again."""
    changed = set(before.by_id.keys() ^ after.by_id.keys())
    for record_id, entity in after.by_id.items():
        old = before.by_id.get(record_id)
        if old is not None and old.record is not entity.record and old.data != entity.data:
            changed.add(record_id)
    return changed


def moved_ids(before: Catalogue, after: Catalogue) -> set[str]:
    """Records defined in another file or at another line than before, whatever their data.

    Only a record's own page ("defined in") and catalogue.json entry ("source")
    show where it is defined, so a move affects no other record.
    """
    moved = set()
    for record_id, entity in after.by_id.items():
        old = before.by_id.get(record_id)
        if old is not None and old.record is not entity.record and _defined_at(old.record) != _defined_at(entity.record):
            moved.add(record_id)
    return moved


def _defined_at(record) -> tuple:
    return record.file, record.location().line


# How far a page can show data of another record: see the module's docstring.
REACH = 3
THROUGH = (Service, Agreement)


def affected_ids(changed: set[str], catalogue: Catalogue) -> set[str]:
    """Records whose page may show something of a changed record, in this catalogue's links."""
    affected = set(changed)
    for record_id in changed:
        start = catalogue.by_id.get(record_id)
        if start is None:
            continue
        reached, frontier = {start}, [start]
        for _ in range(REACH):
            passed_through = [e for e in frontier if e is start or isinstance(e, THROUGH)]
            frontier = [n for e in passed_through for n in _neighbours(e) if n not in reached]
            reached.update(frontier)
        affected.update(entity.id for entity in reached)
    return affected


def _neighbours(entity: Entity):
    for link in entity.outgoing:
        yield link.target
    for link in entity.incoming:
        yield link.source


def terms_signature(catalogue: Catalogue) -> tuple:
    """Everything about the terms that pages and links depend on."""
    return tuple((t.id, t.title, t.abbreviation, tuple(t.aliases), t.short_definition) for t in catalogue.terms)


def page_signature(catalogue: Catalogue, options: Options, measured: frozenset[str] = frozenset()) -> tuple:
    """What every record page depends on besides the records near it: a change starts afresh.

    The options (disabled rules and the templates folder among them), the template
    files' sizes and times (edited under serve, the options stay the same), the terms,
    and the agreements with a performance page (their section 7 links it): an export
    written anew may add one.
    """
    template_files: tuple = ()
    if options.templates is not None:
        files = (path for path in sorted(options.templates.rglob("*")) if path.is_file())
        template_files = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    return (repr(options), template_files, terms_signature(catalogue), tuple(sorted(measured)))


def findings_by_record(findings) -> dict[str, tuple]:
    """Each record's findings in a form two builds can compare: what its page shows of them."""
    by_id: dict[str, list] = {}
    for finding in findings or ():
        shown = (finding.rule, finding.severity, finding.message, tuple((e.id, e.title) for e in finding.entities))
        for entity in dict.fromkeys(finding.entities):
            by_id.setdefault(entity.id, []).append(shown)
    return {record_id: tuple(items) for record_id, items in by_id.items()}


class LinkCache:
    """Term links of pages by their HTML, so that a rebuild links only the pages that changed.

    The linked HTML is a function of the page's HTML, the glossary's address and the
    terms (with the link mode): entries are kept while the terms stay the same.
    """

    def __init__(self) -> None:
        self.signature: tuple | None = None
        self.entries: dict[tuple, tuple[str, frozenset]] = {}
        self.seen: set[tuple] = set()

    def use(self, catalogue: Catalogue, mode: str) -> None:
        """Begin a build with these terms and link mode (glossary_links)."""
        signature = (mode,) + terms_signature(catalogue)
        if signature != self.signature:
            self.signature, self.entries = signature, {}
        else:  # keep what the last build used, drop the rest
            self.entries = {key: value for key, value in self.entries.items() if key in self.seen}
        self.seen = set()

    def process(
        self, linker: TermLinker, html: str, glossary_url: str, link: bool, page: str, exclude: frozenset[str] = frozenset()
    ) -> tuple[str, set[str]]:
        """linker.process(html, glossary_url, link, exclude), from the cache when the page is unchanged."""
        # Keyed by page, so Python's own string hash is enough to tell a page's HTML
        # changed (a 64-bit hash, 7 times faster than a digest over 10,000 pages).
        key = (page, len(html), hash(html), glossary_url, link, exclude)
        self.seen.add(key)
        found = self.entries.get(key)
        if found is None:
            linked, used = linker.process(html, glossary_url, link=link, exclude=exclude)
            found = self.entries[key] = (linked, frozenset(used))
        return found[0], set(found[1])


@dataclass
class ServeCache:
    """What `mkdocs serve` keeps from one build to the next.

    One rule decides what survives: everything is kept for one set of options
    (the catalogue folder, templates, dates, ...) and one URL style, and dropped
    when either changes. Within that, each part checks its own entries against
    what it was made from: parsed files by their size and modification time,
    record pages and catalogue.json entries by the records near them (BuildMemory),
    term links by the page's HTML and the terms (LinkCache). A plain build keeps
    none of this: the plugin makes a ServeCache only for `serve`.
    """

    key: tuple = ()  # (Options, use_directory_urls) of the builds these caches belong to
    files: FileCache = field(default_factory=FileCache)
    pages: BuildMemory = field(default_factory=BuildMemory)
    links: LinkCache = field(default_factory=LinkCache)

    def start(self, options: Options, directory_urls: bool) -> None:
        """Begin a build: keep the caches if it has the last build's options and URL style."""
        key = (options, directory_urls)
        if key != self.key:
            self.key, self.files, self.pages, self.links = key, FileCache(), BuildMemory(), LinkCache()

