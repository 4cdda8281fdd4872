"""Text made safe for where a report shows it: a terminal, a JSON document, a workflow command.

Catalogue values reach every report (titles, field names, file names) and may
hold line breaks, tabs, control characters (ESC would start a terminal's
escape sequence) or bidi controls. Each output escapes them here, once; the
Markdown writer's escaping, which only it needs, is in markdown.py.
"""

from __future__ import annotations

import json

from service_catalogue.validation.problems import Location


def _escaped(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return repr(character)[1:-1]  # \n, \t, \x1b, \x9b
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def one_line(text: object) -> str:
    """Text for one line of a terminal, a log or an annotation: values quoted in a message
    (a title, a field name, a file name) may hold line breaks, tabs, control characters
    (ESC would start a terminal's escape sequence) or bidi controls; they are shown escaped,
    as Python writes them. Everything that is not printable counts: it includes decision
    1's set (Cc, U+2028/U+2029, the bidi embeddings, overrides and isolates)."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


def short(text: object, limit: int = 80) -> str:
    """One line, at most limit characters: long descriptions must not flood a terminal,
    and control characters in them must not reach it (see one_line)."""
    line = one_line(" ".join(str(text).split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def located(location: Location, *, column: bool = True) -> str:
    """`file:line:column` (or `file:line`), for a terminal: a file name may hold control characters too."""
    return one_line(str(location) if column else f"{location.file}:{location.line}")


def _json_escaped(character: str) -> str:
    code = ord(character)
    if code > 0xFFFF:  # as a surrogate pair: JSON has no longer escape
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def to_json(document: object, compact: bool = False) -> str:
    """A JSON report: strict (no NaN), readable (non-ASCII kept), and with every character
    that a terminal or a viewer would obey written as a \\u escape, so values stay exact.
    compact: on one line, by json's C encoder (indenting is pure Python, and holds every
    piece of the text at once: for a report of a catalogue, a gigabyte)."""
    if compact:
        text = json.dumps(document, ensure_ascii=False, allow_nan=False, default=str, separators=(",", ":"))
    else:
        text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False, default=str)
    if text.isascii() and "\x7f" not in text:  # json.dumps has escaped U+0000-U+001F: nothing else to do
        return text
    # json.dumps escapes U+0000-U+001F itself, but writes C1 controls, DEL, U+2028/U+2029,
    # bidi controls and lone surrogates raw. Line by line: most lines are printable as they are.
    return "\n".join(
        line if line.isprintable() else "".join(c if c.isprintable() else _json_escaped(c) for c in line)
        for line in text.split("\n")
    )


def workflow_data(text: object) -> str:
    """A workflow command's message: its line breaks are the runner's (%0A), any other
    control is escaped for the log, which the runner shows with its ANSI colours."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return "%0A".join(one_line(line).replace("%", "%25") for line in lines)


def workflow_property(text: object) -> str:
    """A workflow command's property value (file=, title=): `:` and `,` end it, so they are escaped too."""
    return one_line(text).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
