"""The diff for people and tools: plain text, Markdown for a pull-request comment, and JSON.

The JSON structure is a contract (documented field by field in
docs/reviewing-changes.md): keys are only ever added, never renamed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..problems import Problem, format_text as format_problems, problem_to_dict
from .compare import FieldChange, RecordChange
from .impact import Impact
from .paths import steps_to_json
from .rules import VERDICTS
from .sources import Side

JSON_FORMAT = "service-catalogue-diff"
JSON_VERSION = 1
COMMENT_MARKER = "<!-- service-catalogue-diff -->"  # lets a workflow find and update its own comment
COMMENT_BUDGET = 60_000  # GitHub refuses comments over 65,536 characters
ICONS = {"weakened": "🔴", "strengthened": "🟢", "neutral": "⚪"}


@dataclass
class Comparison:
    base: Side
    head: Side
    changes: list[RecordChange]
    problems: list[Problem]  # HEAD's validation errors; when there are any, changes is empty

    @property
    def valid(self) -> bool:
        return self.head.validation.ok

    @property
    def field_changes(self) -> list[FieldChange]:
        return [field for record in self.changes for field in record.fields]

    def count(self, verdict: str) -> int:
        return sum(1 for change in self.field_changes if change.verdict == verdict)

    def count_records(self, *, status: str = "", verdict: str = "") -> int:
        return sum(
            1 for record in self.changes
            if (not status or record.status == status) and (not verdict or record.verdict == verdict)
        )

    def summary_line(self) -> str:
        if not self.changes:
            return f"no changes between {self.base.label} and {self.head.label}"
        records = len(self.changes)
        statuses = ", ".join(f"{self.count_records(status=s)} {s}" for s in ("added", "removed", "changed"))
        classes = ", ".join(f"{self.count(v)} {v}" for v in VERDICTS)
        return f"{records} record{'s' * (records != 1)} differ ({statuses}); changes: {classes}"


def _short(text: str, limit: int = 80) -> str:
    """One line, at most limit characters: long descriptions must not flood a terminal."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _field_label(change: FieldChange) -> str:
    return change.field or "record"


# --- text ---------------------------------------------------------------------------------


def format_text(comparison: Comparison) -> str:
    if not comparison.valid:
        return format_problems(comparison.problems, comparison.head.validation.total)
    lines = [f"Comparing {comparison.base.label} with {comparison.head.label}", comparison.summary_line()]
    for record in comparison.changes:
        lines.append("")
        lines.append(
            f"{record.kind} {record.id} \"{_short(record.title, 60)}\" ({record.status}, {record.verdict})  "
            f"{record.file}:{record.line}"
        )
        for change in record.fields:
            lines.append(
                f"  {change.verdict:<12} {_field_label(change)}: {_short(change.before_words, 60)} -> "
                f"{_short(change.after_words, 60)}  [{change.rule}]"
            )
            lines.append(f"  {'':<12} {_short(change.reason, 160)}")
        for impact in record.impact:
            lines.append(f"  impact: {impact.message}")
    return "\n".join(lines)


# --- Markdown -----------------------------------------------------------------------------


def _cell(text: str, limit: int = 300) -> str:
    text = str(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # `<` would open HTML and `|` end the cell; GitHub renders the rest as text.
    return text.replace("<", "&lt;").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _summary_table(comparison: Comparison) -> list[str]:
    rows = ["| Class | Changes | Records |", "| --- | ---: | ---: |"]
    for verdict in VERDICTS:
        rows.append(
            f"| {ICONS[verdict]} {verdict} | {comparison.count(verdict)} | {comparison.count_records(verdict=verdict)} |"
        )
    return rows


def _markdown_record(record: RecordChange) -> list[str]:
    lines = [f"### {ICONS[record.verdict]} {record.kind} `{record.id}`: {_cell(record.title)} ({record.status})", ""]
    judged = [change for change in record.fields if change.verdict != "neutral"]
    for change in judged:
        lines.append(
            f"- **{change.verdict}** `{_field_label(change)}`: {_cell(change.before_words, 120)} -> "
            f"{_cell(change.after_words, 120)} (`{change.rule}`)"
        )
    neutral = len(record.fields) - len(judged)
    if neutral:
        lines.append(f"- {neutral} neutral change{'s' * (neutral != 1)}")
    affected = len(record.impact)
    affects = f"; affects {affected} record{'s' * (affected != 1)}" if affected else ""
    count = len(record.fields)
    lines += [
        "",
        f"<details><summary>{count} change{'s' * (count != 1)}{affects}: details</summary>",
        "",
        "| Field | Before | After | Class | Rule | Why |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for change in record.fields:
        lines.append(
            f"| `{_field_label(change)}` | {_cell(change.before_words)} | {_cell(change.after_words)} | "
            f"{change.verdict} | `{change.rule}` | {_cell(change.reason)} |"
        )
    if record.impact:
        lines += ["", "**Impact**", ""]
        lines += [f"- {_cell(impact.message, 500)}" for impact in record.impact]
    lines += ["", f"Source: `{record.file}:{record.line}`", "", "</details>", ""]
    return lines


def format_markdown(comparison: Comparison) -> str:
    lines = [COMMENT_MARKER, "## Catalogue changes", ""]
    if not comparison.valid:
        lines += [
            f"❌ {comparison.head.label} does not validate, so it is not compared; fix these first:",
            "",
            "```",
            format_problems(comparison.problems, comparison.head.validation.total),
            "```",
        ]
        return "\n".join(lines) + "\n"
    if not comparison.changes:
        lines.append(f"No changes between {_cell(comparison.base.label)} and {_cell(comparison.head.label)}.")
        return "\n".join(lines) + "\n"
    lines += [
        f"Comparing **{_cell(comparison.base.label)}** with **{_cell(comparison.head.label)}**: "
        f"{_cell(comparison.summary_line())}.",
        "",
        *_summary_table(comparison),
        "",
    ]
    size = sum(len(line) + 1 for line in lines)
    for index, record in enumerate(comparison.changes):
        section = _markdown_record(record)
        section_size = sum(len(line) + 1 for line in section)
        if size + section_size > COMMENT_BUDGET:
            rest = len(comparison.changes) - index
            lines.append(f"… and {rest} more record{'s' * (rest != 1)}: run `service-catalogue diff` for all of them.")
            break
        lines += section
        size += section_size
    return "\n".join(lines) + "\n"


# --- JSON ---------------------------------------------------------------------------------


def _side_json(side: Side) -> dict:
    return {
        "spec": side.spec,
        "label": side.label,
        "kind": side.kind,
        "revision": side.revision,
        "records": len(side.records),
        "errors": sum(1 for problem in side.validation.problems if problem.severity == "error"),
    }


def _entity_json(entity) -> dict | None:
    return {"id": entity.id, "title": entity.title} if entity is not None else None


def _impact_json(impact: Impact) -> dict:
    entity = impact.entity
    return {
        "kind": entity.kind,
        "id": entity.id,
        "title": entity.title,
        "type": entity.get("type"),
        "relation": impact.relation,
        "customer": _entity_json(impact.customer),
        "services": [_entity_json(service) for service in impact.services],
        "via": impact.via,
        "message": impact.message,
    }


def _change_json(change: FieldChange) -> dict:
    return {
        "field": change.field,
        "path": steps_to_json(change.path),
        "change": change.change,
        "before": change.before,
        "after": change.after,
        "before_text": change.before_words,
        "after_text": change.after_words,
        "class": change.verdict,
        "rule": change.rule,
        "reason": change.reason,
        "line": change.line,
    }


def _record_json(record: RecordChange) -> dict:
    return {
        "kind": record.kind,
        "id": record.id,
        "title": record.title,
        "status": record.status,
        "class": record.verdict,
        "file": record.file,
        "line": record.line,
        "changes": [_change_json(change) for change in record.fields],
        "impact": [_impact_json(impact) for impact in record.impact],
    }


def format_json(comparison: Comparison) -> str:
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "base": _side_json(comparison.base),
        "head": _side_json(comparison.head),
        "valid": comparison.valid,
        "problems": [problem_to_dict(problem) for problem in comparison.problems],
        "changed": bool(comparison.changes),
        "summary": {
            "records": {status: comparison.count_records(status=status) for status in ("added", "removed", "changed")},
            "changes": {verdict: comparison.count(verdict) for verdict in VERDICTS},
            "records_by_class": {verdict: comparison.count_records(verdict=verdict) for verdict in VERDICTS},
        },
        "records": [_record_json(record) for record in comparison.changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


FORMATS = {"text": format_text, "markdown": format_markdown, "json": format_json}
