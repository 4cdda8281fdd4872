"""Problems found in a catalogue, and how they are reported.

Every problem carries a location (file, line, column) so that an editor, a
terminal or a CI annotation can point at the exact place.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 1  # 1-based, as editors count
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    location: Location
    code: str  # a stable rule id, e.g. "schema.type", "ref.missing"
    message: str
    field: str = ""  # field path inside the record, e.g. "priorities[1].response"
    record: str = ""  # "Agreement sla-email" when known
    hint: str = ""
    severity: str = "error"
    related: tuple[Location, ...] = dataclass_field(default=())
    # The value the hint proposes instead, when it names one (the `resolution` of "did you
    # mean `resolution`?"): code that acts on a hint reads this, never the hint's words.
    suggestion: str | None = None

    def sort_key(self):
        return (self.location.file, self.location.line, self.location.column, self.code)


class CatalogueError(Exception):
    """Raised by adapters (the MkDocs plugin) when a catalogue is invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(format_text(problems))


def format_path(path) -> str:
    """('priorities', 1, 'response') -> 'priorities[1].response'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _escaped(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return repr(character)[1:-1]  # \n, \t, \x1b, \x9b
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def one_line(text) -> str:
    """Text for one line of a terminal, a log or an annotation: values quoted in a message
    (a title, a field name, a file name) may hold line breaks, tabs, control characters
    (ESC would start a terminal's escape sequence) or bidi controls; they are shown escaped,
    as Python writes them. Everything that is not printable counts: it includes decision
    1's set (Cc, U+2028/U+2029, the bidi embeddings, overrides and isolates)."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


def _json_escaped(character: str) -> str:
    code = ord(character)
    if code > 0xFFFF:  # as a surrogate pair: JSON has no longer escape
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def to_json(document) -> str:
    """A JSON report: strict (no NaN), readable (non-ASCII kept), and with every character
    that a terminal or a viewer would obey written as a \\u escape, so values stay exact."""
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False, default=str)
    # json.dumps escapes U+0000-U+001F itself, but writes C1 controls, DEL, U+2028/U+2029,
    # bidi controls and lone surrogates raw. Line by line: most lines are printable as they are.
    return "\n".join(
        line if line.isprintable() else "".join(c if c.isprintable() else _json_escaped(c) for c in line)
        for line in text.split("\n")
    )


def format_location(location: Location) -> str:
    return one_line(str(location))


def format_problem(problem: Problem) -> str:
    head = f"{format_location(problem.location)}: {problem.severity}"
    subject = one_line(": ".join(part for part in (problem.record, problem.field) if part))
    message = one_line(problem.message)
    line = f"{head}: {subject}: {message}" if subject else f"{head}: {message}"
    line += f" [{problem.code}]"
    for other in problem.related:
        line += f"\n  see also: {format_location(other)}"
    if problem.hint:
        line += f"\n  hint: {one_line(problem.hint)}"
    return line


def summary_line(problems: list[Problem], records: int | None = None) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    counted = f" in {records} record{'s' * (records != 1)}" if records is not None else ""
    if not problems:
        return f"catalogue is valid{counted}"
    parts = [f"{errors} error{'s' * (errors != 1)}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"{' and '.join(parts)}{counted}"


def format_text(problems: list[Problem], records: int | None = None) -> str:
    lines = [format_problem(p) for p in problems]
    lines.append(summary_line(problems, records))
    return "\n".join(lines)


def problem_to_dict(problem: Problem) -> dict:
    data = asdict(problem)
    data.update(
        file=problem.location.file,
        line=problem.location.line,
        column=problem.location.column,
        related=[asdict(r) for r in problem.related],
    )
    del data["location"], data["suggestion"]  # the JSON report's fields are a contract; the hint says it
    return data


def format_json(problems: list[Problem], records: int | None = None) -> str:
    return to_json(
        {
            "valid": not any(p.severity == "error" for p in problems),
            "records": records,
            "summary": summary_line(problems, records),
            "problems": [problem_to_dict(p) for p in problems],
        }
    )


def _escape_data(text: str) -> str:
    """A workflow command's message: its line breaks are the runner's (%0A), any other
    control is escaped for the log, which the runner shows with its ANSI colours."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return "%0A".join(one_line(line).replace("%", "%25") for line in lines)


def _escape_property(text: str) -> str:
    return one_line(text).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")


def github_annotation(command: str, location: Location, title: str, message: str) -> str:
    """`::error file=...,line=..,col=..,title=...::message`, every part escaped."""
    props = (
        f"file={_escape_property(location.file)},line={location.line},"
        f"col={location.column},title={_escape_property(title)}"
    )
    return f"::{command} {props}::{_escape_data(message)}"


def format_github(problems: list[Problem], records: int | None = None) -> str:
    """GitHub Actions workflow commands: one annotation per problem."""
    lines = []
    for p in problems:
        command = "error" if p.severity == "error" else "warning"
        subject = one_line(": ".join(part for part in (p.record, p.field) if part))
        message = f"{subject}: {one_line(p.message)}" if subject else one_line(p.message)
        if p.hint:
            message += f"\nhint: {one_line(p.hint)}"
        lines.append(github_annotation(command, p.location, f"service-catalogue {p.code}", message))
    lines.append(summary_line(problems, records))
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
