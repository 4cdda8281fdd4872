"""The diff for people and tools: plain text, Markdown for a pull-request comment, and JSON.

The JSON structure is a contract (documented field by field in
docs/reviewing-changes.md): keys are only ever added, never renamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service_catalogue.validation.problems import Problem, format_text as format_problems, one_line, problem_to_dict, to_json
from service_catalogue.diff.compare import FieldChange, RecordChange
from service_catalogue.diff.impact import Impact
from service_catalogue.diff.paths import steps_to_json
from service_catalogue.diff.rules import VERDICTS
from service_catalogue.diff.sources import Side

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
    """One line, at most limit characters: long descriptions must not flood a terminal,
    and control characters in them must not reach it (see problems.one_line)."""
    line = one_line(" ".join(str(text).split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _field_label(change: FieldChange) -> str:
    return change.field or "record"


# --- text ---------------------------------------------------------------------------------


def format_text(comparison: Comparison) -> str:
    if not comparison.valid:
        return format_problems(comparison.problems, comparison.head.validation.total)
    lines = [
        one_line(f"Comparing {comparison.base.label} with {comparison.head.label}"),
        one_line(comparison.summary_line()),
    ]
    for record in comparison.changes:
        lines.append("")
        lines.append(
            f"{one_line(record.kind)} {one_line(record.id)} \"{_short(record.title, 60)}\" ({record.status}, "
            f"{record.verdict})  {one_line(record.file)}:{record.line}"
        )
        for change in record.fields:
            lines.append(
                f"  {change.verdict:<12} {one_line(_field_label(change))}: {_short(change.before_words, 60)} -> "
                f"{_short(change.after_words, 60)}  [{one_line(change.rule)}]"
            )
            lines.append(f"  {'':<12} {_short(change.reason, 160)}")
        for impact in record.impact:
            lines.append(f"  impact: {one_line(impact.message)}")
    return "\n".join(lines)


# --- Markdown -----------------------------------------------------------------------------


# Catalogue text only ever stands inside a line that the report starts (a heading, a list
# item, a table cell, a paragraph), so no block syntax (headings, lists, quotes, rules) can
# start from it; what is left is inline syntax. Backslash-escaped, its characters start
# nothing: `\\` escapes, `&` entities, `` ` `` code spans, `*` `_` emphasis, `~`
# strikethrough, `[` `]` links, images, footnotes and task boxes, `<` autolinks and raw HTML,
# `|` table cells and `$` GitHub's math. cmark-gfm links bare URLs too: a `:` before `/`
# (`https://`) and the `.` of `www.` are escaped as well.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_~\[\]<&|$]|:(?=/)|(?<=\bwww)\.", re.IGNORECASE)
# What is linked in the rendered text, where no escape reaches: cmark-gfm's e-mail, mailto:
# and xmpp: autolinks (user@host), and GitHub's @mentions (which notify), #123 and GH-123
# issue references and :emoji: codes. A WORD JOINER (U+2060) after the `@`, `#`, `GH-` or
# first `:` stops each, and shows nothing: a mention needs a name character right after the
# `@`, an address a host, a reference a digit. Unlike a zero-width space it adds no place to
# break a line, and unlike a zero-width non-joiner it means nothing to how letters join.
_GITHUB_LINKED = re.compile(r"(?<=[@#])|(?<=\bGH-)(?=\d)|(?<=:)(?=[a-z0-9_+-]+:)", re.IGNORECASE)
WORD_JOINER = "\u2060"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _markdown_line(line: str) -> str:
    text = _GITHUB_LINKED.sub(WORD_JOINER, one_line(line))
    return _MARKDOWN_SPECIAL.sub(lambda match: "\\" + match.group(), text)


def _cut(text, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(text, limit: int = 300) -> str:
    """Catalogue text as GitHub Markdown that renders as the same text, on one line
    (a table cell, a list item, a heading); its line breaks become <br>."""
    return "<br>".join(_markdown_line(line) for line in _LINE_BREAK.split(_cut(text, limit)))


def _code(text, in_table: bool = False) -> str:
    """Catalogue text as a code span: literal inside (no link, HTML or mention), so only
    its backticks matter (the span's are more), and in a table its `|` (GFM lets `\\|`
    through a code span as `|`)."""
    text = one_line(_cut(text, 300))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith(("`", " ")) or text.endswith(("`", " ")):
        text = f" {text} "  # one space each side is taken off again
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def _fenced(text: str) -> list[str]:
    """A fenced block of plain text: its fence is longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, text, fence]


def _summary_table(comparison: Comparison) -> list[str]:
    rows = ["| Class | Changes | Records |", "| --- | ---: | ---: |"]
    for verdict in VERDICTS:
        rows.append(
            f"| {ICONS[verdict]} {verdict} | {comparison.count(verdict)} | {comparison.count_records(verdict=verdict)} |"
        )
    return rows


def _markdown_record(record: RecordChange) -> list[str]:
    lines = [
        f"### {ICONS[record.verdict]} {_cell(record.kind)} {_code(record.id)}: {_cell(record.title)} ({record.status})",
        "",
    ]
    judged = [change for change in record.fields if change.verdict != "neutral"]
    for change in judged:
        lines.append(
            f"- **{change.verdict}** {_code(_field_label(change))}: {_cell(change.before_words, 120)} -> "
            f"{_cell(change.after_words, 120)} ({_code(change.rule)})"
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
            f"| {_code(_field_label(change), True)} | {_cell(change.before_words)} | {_cell(change.after_words)} | "
            f"{change.verdict} | {_code(change.rule, True)} | {_cell(change.reason)} |"
        )
    if record.impact:
        lines += ["", "**Impact**", ""]
        lines += [f"- {_cell(impact.message, 500)}" for impact in record.impact]
    lines += ["", f"Source: {_code(f'{record.file}:{record.line}')}", "", "</details>", ""]
    return lines


def format_markdown(comparison: Comparison) -> str:
    lines = [COMMENT_MARKER, "## Catalogue changes", ""]
    if not comparison.valid:
        lines += [
            f"❌ {_cell(comparison.head.label)} does not validate, so it is not compared; fix these first:",
            "",
            *_fenced(format_problems(comparison.problems, comparison.head.validation.total)),
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
    return to_json(document)


FORMATS = {"text": format_text, "markdown": format_markdown, "json": format_json}
