"""Checks that a schema cannot express: references, uniqueness, cycles, dates, time zones."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from . import KINDS
from .loader import Record
from .problems import Problem, format_path
from .references import record_references
from .schemas import did_you_mean

LOCAL_ID_LISTS = {
    "Service": ("offerings", "requests"),
    "Agreement": ("priorities", "metrics"),
}


def index_ids(records: list[Record]) -> tuple[dict[str, Record], list[Problem]]:
    """The first record of each id, and a problem for every later one."""
    by_id: dict[str, Record] = {}
    problems = []
    for record in records:
        rid = record.id
        if rid is None:
            continue
        first = by_id.get(rid)
        if first is None:
            by_id[rid] = record
            continue
        problems.append(
            Problem(
                record.location(("id",)),
                "id.duplicate",
                f"the id `{rid}` is already used by {first.label} at {first.location(('id',))}",
                field="id",
                record=record.label,
                hint="ids are unique across the whole catalogue, whatever the kind; rename one of them",
                related=(first.location(("id",)),),
            )
        )
    return by_id, problems


def check_references(
    record: Record, by_id: dict[str, Record], others: dict[str, list[Record]] | None = None, unread=()
) -> list[Problem]:
    """others: later records sharing an id (already reported); unread: files that could not be read."""
    problems = []
    for field, path, target in record_references(record):
        found = by_id.get(target)
        if found is not None and found.kind != field.kind:
            # A duplicate id is reported once; a reference that fits one of its holders is not its echo.
            found = next((r for r in (others or {}).get(target, ()) if r.kind == field.kind), found)
        name = format_path(path)
        if found is None:
            same_kind = [rid for rid, r in by_id.items() if r.kind == field.kind]
            hint = did_you_mean(target, same_kind) or f"`{name.split('[')[0]}` names {_article(field.kind)} by its id"
            if unread:
                hint += f"; it may be in a file that could not be read ({', '.join(unread)})"
            problems.append(
                Problem(record.location(path), "ref.missing", f"`{target}` names no {field.kind} in the catalogue",
                        field=name, record=record.label, hint=hint)
            )
        elif found.kind not in KINDS:
            continue  # the record it names has no kind we know: reported at that record
        elif found.kind != field.kind:
            problems.append(
                Problem(
                    record.location(path),
                    "ref.wrong-kind",
                    f"`{target}` is {_article(found.kind)}, but this field names {_article(field.kind)}",
                    field=name,
                    record=record.label,
                    hint=f"{found.label} is defined at {found.location()}",
                    related=(found.location(),),
                )
            )
        elif field.types and found.data.get("type") not in field.types:
            allowed = " or ".join(field.types)
            code = "ref.underpinning" if name.startswith("underpinned_by") else "ref.agreement-type"
            hint = (
                "only operational level agreements (OLA) and underpinning contracts (UC) underpin an agreement"
                if code == "ref.underpinning"
                else "an offering is backed by a service level agreement (SLA)"
            )
            problems.append(
                Problem(
                    record.location(path),
                    code,
                    f"`{target}` is an {found.data.get('type')}, but this field takes an {allowed}",
                    field=name,
                    record=record.label,
                    hint=hint,
                    related=(found.location(),),
                )
            )
        elif target == record.id and field.kind == record.kind and field.path in ("underpinned_by[]", "supersedes", "parent"):
            problems.append(
                Problem(record.location(path), "ref.self", f"`{target}` names the record itself", field=name, record=record.label)
            )
    return problems


def _article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "AEIOU" else f"a {kind}"


def check_local_ids(record: Record) -> list[Problem]:
    problems = []
    for list_name in LOCAL_ID_LISTS.get(record.kind, ()):
        seen: dict[str, int] = {}
        for index, item in enumerate(record.data.get(list_name) or ()):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            local = item["id"]
            if local in seen:
                problems.append(
                    Problem(
                        record.location((list_name, index, "id")),
                        "id.duplicate-local",
                        f"`{local}` is used twice in `{list_name}` (first at {format_path((list_name, seen[local]))})",
                        field=format_path((list_name, index, "id")),
                        record=record.label,
                        hint="ids inside a list must be unique",
                        related=(record.location((list_name, seen[local], "id")),),
                    )
                )
            else:
                seen[local] = index
    return problems


def _date(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_dates(record: Record) -> list[Problem]:
    problems = []
    data = record.data
    period = data.get("period") if record.kind == "Agreement" else None
    if isinstance(period, dict):
        start, end = _date(period.get("start")), _date(period.get("end"))
        if start and end and end < start:
            problems.append(
                Problem(
                    record.location(("period", "end")),
                    "date.period",
                    f"the period ends ({end}) before it starts ({start})",
                    field="period.end",
                    record=record.label,
                    hint="swap the dates, or correct the year",
                )
            )
    if record.kind == "Service":
        start, end = _date(data.get("available_from")), _date(data.get("retired_on"))
        if start and end and end < start:
            problems.append(
                Problem(
                    record.location(("retired_on",)),
                    "date.lifecycle",
                    f"the service retires ({end}) before it becomes available ({start})",
                    field="retired_on",
                    record=record.label,
                )
            )
    return problems


def valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def check_calendar(record: Record) -> list[Problem]:
    if record.kind != "Calendar":
        return []
    problems = []
    zone = record.data.get("timezone")
    if isinstance(zone, str) and not valid_timezone(zone):
        close = did_you_mean(zone, sorted(zoneinfo.available_timezones()))
        problems.append(
            Problem(
                record.location(("timezone",)),
                "calendar.timezone",
                f"`{zone}` is not a time zone in the IANA database",
                field="timezone",
                record=record.label,
                hint=close or "use a name such as `Europe/London` or `America/New_York`",
            )
        )
    for index, window in enumerate(record.data.get("weekly") or ()):
        if not isinstance(window, dict):
            continue
        start, end = window.get("from"), window.get("to")
        if isinstance(start, str) and isinstance(end, str) and end <= start:
            problems.append(
                Problem(
                    record.location(("weekly", index, "to")),
                    "calendar.window",
                    f"the window ends ({end}) before or when it starts ({start})",
                    field=format_path(("weekly", index, "to")),
                    record=record.label,
                    hint='a window crossing midnight is two windows: "22:00" to "24:00" and "00:00" to "06:00"',
                )
            )
    return problems


def find_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Each elementary cycle found by depth-first search, reported once."""
    cycles, seen_cycles = [], set()
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    for start in sorted(edges):
        if state.get(start):
            continue
        stack = [(start, iter(edges.get(start, ())))]
        trail = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                trail.pop()
                state[node] = 2
                continue
            if state.get(child) == 1:
                cycle = trail[trail.index(child) :]
                key = frozenset(cycle)
                if key not in seen_cycles:
                    seen_cycles.add(key)
                    cycles.append(cycle + [child])
            elif not state.get(child) and child in edges:
                state[child] = 1
                trail.append(child)
                stack.append((child, iter(edges.get(child, ()))))
    return cycles


def check_cycles(records: list[Record], by_id: dict[str, Record]) -> list[Problem]:
    problems = []
    for kind, field, label, code in (
        ("Service", "depends_on", "dependency", "cycle.depends-on"),
        ("Party", "parent", "parent", "cycle.parent"),
    ):
        edges: dict[str, list[str]] = {}
        for record in records:
            if record.kind != kind or by_id.get(record.id) is not record:
                continue
            value = record.data.get(field)
            if field == "depends_on":
                targets = [d.get("service") for d in value or () if isinstance(d, dict)]
            else:
                targets = [value]
            edges[record.id] = [t for t in targets if isinstance(t, str) and t in by_id]
        for cycle in find_cycles(edges):
            first = by_id[cycle[0]]
            if field == "depends_on":
                index = next(i for i, d in enumerate(first.data["depends_on"]) if isinstance(d, dict) and d.get("service") == cycle[1])
                path = ("depends_on", index, "service")
            else:
                path = ("parent",)
            problems.append(
                Problem(
                    first.location(path),
                    code,
                    f"{label} cycle: {' -> '.join(cycle)}",
                    field=format_path(path),
                    record=first.label,
                    hint="a service cannot depend on itself, even through others; remove one link of the cycle"
                    if field == "depends_on"
                    else "a party cannot be its own ancestor",
                    related=tuple(by_id[rid].location() for rid in cycle[1:-1]),
                )
            )
    return problems


def check_terms(records: list[Record]) -> list[Problem]:
    """Two terms may not share a title, abbreviation or alias: a word must mean one thing."""
    # Titles and aliases match in any case, abbreviations in their exact case; so an
    # abbreviation clashes with another abbreviation written the same, and with a
    # title or alias equal to it in any case.
    folded: dict[str, tuple[Record, str, tuple]] = {}  # title or alias, casefolded
    exact: dict[str, tuple[Record, str, tuple]] = {}  # abbreviation as written
    exact_folded: dict[str, tuple[Record, str, tuple]] = {}  # abbreviation, casefolded
    problems = []
    for record in records:
        if record.kind != "Term":
            continue
        names = []
        if isinstance(record.data.get("title"), str):
            names.append((record.data["title"], "title", ("title",)))
        if isinstance(record.data.get("abbreviation"), str):
            names.append((record.data["abbreviation"], "abbreviation", ("abbreviation",)))
        for index, alias in enumerate(record.data.get("aliases") or ()):
            if isinstance(alias, str):
                names.append((alias, "alias", ("aliases", index)))
        for name, role, path in names:
            key = name.casefold()
            if role == "abbreviation":
                owner = exact.get(name) or folded.get(key)
            else:
                owner = folded.get(key) or exact_folded.get(key)
            if owner is not None and owner[0] is not record:
                other, other_role, other_path = owner
                problems.append(
                    Problem(
                        record.location(path),
                        "term.duplicate-name",
                        f"the {role} \"{_original(record, path)}\" is also the {other_role} of {other.label}",
                        field=format_path(path),
                        record=record.label,
                        hint="a word in the glossary must lead to one term; merge the terms or drop the name from one",
                        related=(other.location(other_path),),
                    )
                )
            elif owner is None:
                if role == "abbreviation":
                    exact[name] = (record, role, path)
                    exact_folded.setdefault(key, exact[name])
                else:
                    folded[key] = (record, role, path)
    return problems


def _original(record: Record, path) -> str:
    value = record.data
    for step in path:
        value = value[step]
    return value


def check_records(valid: list[Record], all_records: list[Record], unread=()) -> list[Problem]:
    """Cross-record checks over the records that passed the schema.

    unread: the files that could not be read at all, named in hints about missing records.
    """
    by_id, problems = index_ids(all_records)
    others: dict[str, list[Record]] = defaultdict(list)
    for record in all_records:
        if record.id is not None and by_id.get(record.id) is not record:
            others[record.id].append(record)
    for record in valid:
        problems.extend(check_references(record, by_id, others, unread))
        problems.extend(check_local_ids(record))
        problems.extend(check_dates(record))
        problems.extend(check_calendar(record))
    valid_ids = {id(r) for r in valid}
    problems.extend(check_cycles(valid, {k: v for k, v in by_id.items() if id(v) in valid_ids}))
    problems.extend(check_terms(valid))
    return problems
