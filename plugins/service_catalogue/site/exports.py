"""Machine-readable exports of the linked model, for other tools."""

from __future__ import annotations

import json
import re

from service_catalogue.version import API_VERSION, __version__
from service_catalogue.errors import ExportError
from service_catalogue.kinds import KINDS
from service_catalogue.model import Agreement, Calendar, Catalogue, Entity, Service
from service_catalogue.analysis.figures import derived_figures  # availability ceilings, priority minutes


# A lone surrogate is no character: UTF-8 cannot write it, and JSON readers refuse it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _strict_json(value, what: str) -> str:
    """JSON without the non-standard NaN and Infinity, which other tools refuse to read."""
    try:
        # ensure_ascii=False keeps "<" as-is, but JSON is served as data, never inlined into HTML.
        text = json.dumps(value, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError as exc:
        reason = "it holds a number that is not finite (infinity or NaN)" if "float" in str(exc) else str(exc)
        raise ExportError(f"{what} cannot be written as JSON: {reason}") from None
    if _SURROGATE.search(text):
        raise ExportError(f"{what} cannot be written as JSON: it holds a lone surrogate (U+D800 to U+DFFF), which is no character")
    return text


def _derived(entity: Entity) -> dict:
    if isinstance(entity, Calendar):
        derived: dict[str, object] = {"covered_hours_per_week": round(entity.hours_per_week, 3), "service_day_hours": round(entity.coverage.service_day_hours, 3)}
        if entity.holidays_from:  # the holidays it inherits, resolved, so that a tool need not follow holidays_from
            derived["inherited_holidays"] = [
                {"date": h.date.isoformat(), "title": h.title, "recurring": h.recurring, "from": h.calendar.id}
                for h in entity.holiday_list
                if h.calendar is not entity
            ]
        return derived
    if isinstance(entity, Agreement):
        derived = {}
        if entity.calendar:
            derived["covered_hours_per_week"] = round(entity.calendar.hours_per_week, 3)
        if entity.maintenance_hours_per_week is not None:  # the part of the windows in covered time
            derived["maintenance_hours_per_week"] = round(entity.maintenance_hours_per_week, 3)
        if entity.downtime_budget_minutes is not None:
            derived["downtime_budget_minutes"] = round(entity.downtime_budget_minutes, 2)
            derived["downtime_budget_window"] = entity.data["availability"]["window"]
        return derived
    if isinstance(entity, Service) and entity.support_calendar:
        return {"support_hours_per_week": round(entity.support_calendar.hours_per_week, 3)}
    return {}


def _entry(entity: Entity, page_url=None) -> dict:
    item = {
        "kind": entity.kind,
        "id": entity.id,
        "title": entity.title,
        "source": {"file": entity.record.file, "line": entity.record.location().line},
        "data": entity.data,
        "references": [
            {"field": link.field.path, "path": list(link.path), "kind": link.target.kind, "id": link.target.id}
            for link in entity.outgoing
        ],
        "referenced_by": [
            {"field": link.field.path, "kind": link.source.kind, "id": link.source.id} for link in entity.incoming
        ],
        "derived": {**_derived(entity), **derived_figures(entity)},
    }
    if page_url:
        item["url"] = page_url(entity)
    return item


def _header(count: int) -> dict:
    return {"format": API_VERSION, "generator": f"service-catalogue {__version__}", "count": count}


def _entities(catalogue: Catalogue):
    for kind in KINDS:
        yield from catalogue.of_kind(kind.name)


def catalogue_dict(catalogue: Catalogue, page_url=None) -> dict:
    """Every record with its resolved relations; page_url(entity) gives its site address."""
    records = [_entry(entity, page_url) for entity in _entities(catalogue)]
    return {**_header(len(records)), "records": records}


def _entry_json(entity: Entity, page_url=None) -> str:
    return _strict_json(_entry(entity, page_url), f"catalogue.json: the entry of {entity.kind} `{entity.id}` ({entity.source})")


def catalogue_entries(catalogue: Catalogue, page_url=None, reuse: dict[str, str] | None = None) -> dict[str, str]:
    """Each record's catalogue.json entry as JSON, by id; reuse: entries known to be unchanged."""
    reuse = reuse or {}
    return {entity.id: reuse.get(entity.id) or _entry_json(entity, page_url) for entity in _entities(catalogue)}


def catalogue_json_pieces(catalogue: Catalogue, page_url=None, entries: dict[str, str] | None = None):
    """catalogue.json in pieces, to write it without holding all of it (37 MB at 10,000 records).

    No indent: the C encoder then writes each entry, several times faster than the
    Python one that indent needs. entries: from catalogue_entries, when already made."""
    entities = list(_entities(catalogue))
    texts = (entries[e.id] for e in entities) if entries is not None else (_entry_json(e, page_url) for e in entities)
    header = _strict_json(_header(len(entities)), "catalogue.json")
    yield header[:-1] + ', "records": ['
    for index, text in enumerate(texts):
        yield text if index == 0 else ", " + text
    yield "]}"


def glossary_export(catalogue: Catalogue, fields, glossary_url: str, usage: dict) -> str:
    """glossary.json: every term, its definition as Markdown and sanitised HTML, and where it is used."""
    terms = []
    for term in catalogue.terms:
        terms.append(
            {
                "id": term.id,
                "title": term.title,
                "abbreviation": term.abbreviation or None,
                "aliases": list(term.aliases),
                "summary": term.short_definition,
                "definition": term.definition,
                "definition_html": fields.to_html(term.definition),
                "see_also": [other.id for other in term.see_also],
                "source": term.get("source"),
                "url": f"{glossary_url}#{term.id}",
                "used_in": [{"title": title, "url": url} for url, title in sorted(usage.get(term.id, {}).items())],
            }
        )
    return _strict_json({"format": API_VERSION, "count": len(terms), "terms": terms}, "glossary.json")  # C encoder: no indent
