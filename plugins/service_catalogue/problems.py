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


def one_line(text: str) -> str:
    """Text for one line of output: values quoted in a message (a title, a field name)
    may hold line breaks, tabs, control or bidi characters; they are shown escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in text)


def format_problem(problem: Problem) -> str:
    head = f"{problem.location}: {problem.severity}"
    subject = one_line(": ".join(part for part in (problem.record, problem.field) if part))
    message = one_line(problem.message)
    line = f"{head}: {subject}: {message}" if subject else f"{head}: {message}"
    line += f" [{problem.code}]"
    for other in problem.related:
        line += f"\n  see also: {other}"
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
    del data["location"]
    return data


def format_json(problems: list[Problem], records: int | None = None) -> str:
    return json.dumps(
        {
            "valid": not any(p.severity == "error" for p in problems),
            "records": records,
            "summary": summary_line(problems, records),
            "problems": [problem_to_dict(p) for p in problems],
        },
        indent=2,
        ensure_ascii=False,
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: list[Problem], records: int | None = None) -> str:
    """GitHub Actions workflow commands: one annotation per problem."""
    lines = []
    for p in problems:
        command = "error" if p.severity == "error" else "warning"
        props = (
            f"file={_escape_property(p.location.file)},line={p.location.line},"
            f"col={p.location.column},title={_escape_property('service-catalogue ' + p.code)}"
        )
        subject = one_line(": ".join(part for part in (p.record, p.field) if part))
        message = f"{subject}: {one_line(p.message)}" if subject else one_line(p.message)
        if p.hint:
            message += f"\nhint: {one_line(p.hint)}"
        lines.append(f"::{command} {props}::{_escape_data(message)}")
    lines.append(summary_line(problems, records))
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
