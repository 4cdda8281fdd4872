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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service_catalogue.model import Agreement, Catalogue, Entity, Service


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


def page_signature(catalogue: Catalogue, options, templates_dir=None, disabled_rules=()) -> tuple:
    """What every record page depends on besides the records near it: a change starts afresh."""
    template_files = ()
    if templates_dir is not None:
        files = (path for path in sorted(templates_dir.rglob("*")) if path.is_file())
        template_files = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    return (repr(options), template_files, tuple(disabled_rules), terms_signature(catalogue))


def findings_by_record(findings) -> dict[str, tuple]:
    """Each record's findings in a form two builds can compare: what its page shows of them."""
    by_id: dict[str, list] = {}
    for finding in findings or ():
        shown = (finding.rule, finding.severity, finding.message, tuple((e.id, e.title) for e in finding.entities))
        for entity in dict.fromkeys(finding.entities):
            by_id.setdefault(entity.id, []).append(shown)
    return {record_id: tuple(items) for record_id, items in by_id.items()}
