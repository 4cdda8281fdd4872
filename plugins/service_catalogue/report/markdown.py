"""For a pull-request comment: the diff as GitHub Markdown, within GitHub's size limit.

Catalogue text in it renders as the same text: it starts no Markdown syntax,
no link, mention or issue reference (see _MARKDOWN_SPECIAL and _GITHUB_LINKED).
"""

from __future__ import annotations

import re

from service_catalogue.diff.compare import RecordChange
from service_catalogue.diff.comparison import Comparison
from service_catalogue.diff.rules import VERDICTS, Verdict
from service_catalogue.report.base import Writer
from service_catalogue.report.escape import one_line
from service_catalogue.report.summary import changes_summary
from service_catalogue.report.text import TextWriter, field_label

COMMENT_MARKER = "<!-- service-catalogue-diff -->"  # lets a workflow find and update its own comment
COMMENT_BUDGET = 60_000  # GitHub refuses comments over 65,536 characters
# A change to a calendar that hundreds of agreements keep time by can move hundreds of
# breach windows: the records are laid out first in what the windows leave of the comment
# (at most this much), then the windows take whatever the records did not use.
WINDOWS_BUDGET = COMMENT_BUDGET // 2
ICONS: dict[Verdict, str] = {"weakened": "🔴", "strengthened": "🟢", "neutral": "⚪"}


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


def _window_items(comparison: Comparison) -> list[str]:
    """One list item per breach window opened, closed or moved; the worst case is said in
    full, never folded."""
    return [
        f"- {ICONS[window.verdict]} **{window.verb}** {_cell(window.upper.label)} of Agreement "
        f"{_code(window.agreement.id)} under {_code(window.lower.agreement.id)}: "
        f"{' '.join(_cell(sentence, 600) + '.' for sentence in window.sentences)} "
        f"({_code(f'{window.location.file}:{window.location.line}')})"
        for window in comparison.windows
    ]


def _markdown_windows(comparison: Comparison, items: list[str], budget: int) -> list[str]:
    """The breach windows, before the records (a target put at risk is what a reviewer must
    see first), as many as fit in budget characters."""
    if not items:
        return []
    assert comparison.as_of is not None  # windows are searched from a date
    lines = [f"### Breach windows (searched from {comparison.as_of.isoformat()}, up to 12 months ahead)", ""]
    size = sum(len(line) + 1 for line in lines) + 1
    for index, item in enumerate(items):
        if size + len(item) + 1 > budget:
            rest = len(items) - index
            lines.append(f"- … and {rest} more breach window{'s' * (rest != 1)}: run `service-catalogue diff` for all of them.")
            break
        lines.append(item)
        size += len(item) + 1
    return [*lines, ""]


def _markdown_record(record: RecordChange) -> list[str]:
    lines = [
        f"### {ICONS[record.verdict]} {_cell(record.kind)} {_code(record.id)}: {_cell(record.title)} ({record.status})",
        "",
    ]
    judged = [change for change in record.fields if change.verdict != "neutral"]
    for change in judged:
        lines.append(
            f"- **{change.verdict}** {_code(field_label(change))}: {_cell(change.before_words, 120)} -> "
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
            f"| {_code(field_label(change), True)} | {_cell(change.before_words)} | {_cell(change.after_words)} | "
            f"{change.verdict} | {_code(change.rule, True)} | {_cell(change.reason)} |"
        )
    if record.impact:
        lines += ["", "**Impact**", ""]
        lines += [f"- {_cell(impact.message, 500)}" for impact in record.impact]
    lines += ["", f"Source: {_code(f'{record.file}:{record.line}')}", "", "</details>", ""]
    return lines


class MarkdownWriter(Writer):
    name = "markdown"
    writes = ("changes", "performance")

    def performance(self, report) -> str:
        """The report as GitHub Markdown: a table per agreement and window, then the bad rows."""
        from service_catalogue.performance.document import document
        from service_catalogue.report.text import availability_words
        from service_catalogue.timeplan import format_minutes

        data = document(report)
        period = data["period"]
        lines = ["## Service level performance", "",
                 f"{period['from']} to {period['to']}: {_cell(report.summary)}.", ""]
        for agreement in data["agreements"]:
            flag = " ❌" if agreement["missed"] else ""
            lines += [f"### {_cell(agreement['type'])} {_code(agreement['id'])}: {_cell(agreement['title'])}{flag}", "",
                      f"Windows {_cell(agreement['windows_by'])}, in {_cell(agreement['time_zone'])}.", ""]
            measured = [t for t in agreement["targets"] if any(w["met"] or w["breached"] or w["open"] for w in t["windows"])]
            if measured:
                lines += ["| Window | Target | Time | Met | Breached | % met | Worst breach |", "|---|---|---|---:|---:|---:|---|"]
                for index, window in enumerate(agreement["windows"]):
                    for target in measured:
                        row = target["windows"][index]
                        if not (row["met"] or row["breached"] or row["open"]):
                            continue
                        worst = (f"{_code(row['worst_breach_ticket'], in_table=True)}, "
                                 f"{format_minutes(row['worst_breach_minutes'])} over") if row["breached"] else ""
                        percent = "" if row["percent_met"] is None else f"{round(row['percent_met'], 1):g}%"
                        label = window["label"] + ("" if window["complete"] else " (to date)")
                        lines.append(f"| {label} | {_cell(target['priority'])} {target['measure']} | {_cell(target['target'])} "
                                     f"| {row['met']} | {row['breached']} | {percent} | {worst} |")
                lines.append("")
            availability = agreement["availability"]
            if availability and availability["windows"]:
                lines += [f"Availability, target {availability['target_percent']:g}% a {availability['window']}:", ""]
                lines += [f"- {row['window']}: {_cell(availability_words(row))}" for row in availability["windows"]]
                lines.append("")
            credits = [c for c in agreement["credits"] if c["tier"] is not None]
            lines += [f"- Credit {c['window']}: availability {_cell(c['tier'])}: {_cell(c['credit'])}"
                      + (f" (claim by {c['claim_by']})" if c["claim_by"] else "") for c in credits]
            if credits:
                lines.append("")
        if data["chain"]:
            lines += ["### Across the chain", ""] + [f"- {_cell(note['words'])}" for note in data["chain"]] + [""]
        if report.problems:
            lines += ["### Rows not measured", "",
                      *_fenced("\n".join(TextWriter().problem(p) for p in sorted(report.problems, key=lambda p: p.sort_key())))]
        return "\n".join(lines) + "\n"

    def changes(self, comparison: Comparison) -> str:
        lines = [COMMENT_MARKER, "## Catalogue changes", ""]
        if not comparison.valid:
            lines += [
                f"❌ {_cell(comparison.head.label)} does not validate, so it is not compared; fix these first:",
                "",
                *_fenced(TextWriter().problems(comparison.problems, comparison.head.validation.total)),
            ]
            return "\n".join(lines) + "\n"
        if not comparison.changes:
            lines.append(f"No changes between {_cell(comparison.base.label)} and {_cell(comparison.head.label)}.")
            return "\n".join(lines) + "\n"
        lines += [
            f"Comparing **{_cell(comparison.base.label)}** with **{_cell(comparison.head.label)}**: "
            f"{_cell(changes_summary(comparison))}.",
            "",
            *_summary_table(comparison),
            "",
        ]
        size = sum(len(line) + 1 for line in lines)
        items = _window_items(comparison)
        # The most the windows may keep from the records (a margin for their heading and the "... more" line).
        windows_size = min(sum(len(item) + 1 for item in items) + 200, WINDOWS_BUDGET) if items else 0
        records: list[str] = []
        records_size = 0
        for index, record in enumerate(comparison.changes):
            section = _markdown_record(record)
            section_size = sum(len(line) + 1 for line in section)
            if size + windows_size + records_size + section_size > COMMENT_BUDGET:
                rest = len(comparison.changes) - index
                records.append(f"… and {rest} more record{'s' * (rest != 1)}: run `service-catalogue diff` for all of them.")
                records_size += len(records[-1]) + 1
                break
            records += section
            records_size += section_size
        lines += _markdown_windows(comparison, items, COMMENT_BUDGET - size - records_size)
        lines += records
        return "\n".join(lines) + "\n"
