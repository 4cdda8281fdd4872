"""Turn PyYAML's syntax errors into plain words with a hint for the usual causes."""

from __future__ import annotations

import re

import yaml

from service_catalogue.validation.problems import Location, Problem

# What YAML parsers (libyaml and PyYAML alike) take for a line break, and so count
# in their marks: CR LF, CR, LF, and NEL, LS, PS (YAML 1.1, which they follow here).
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def line_and_column(text: str, position: int) -> tuple[int, int]:
    """The 1-based line and column of text[position], counted as the parser counts them."""
    line, start = 1, 0
    for match in LINE_BREAK.finditer(text, 0, position):
        line, start = line + 1, match.end()
    return line, position - start + 1


def _line(text: str, number: int) -> str:
    lines = LINE_BREAK.split(text)
    return lines[number - 1] if 0 < number <= len(lines) else ""


def syntax_problem(
    exc: yaml.YAMLError, file: str, text: str, max_depth: int = 64, offsets_in_bytes: bool = False
) -> Problem:
    """offsets_in_bytes: the parser was libyaml's, whose reader errors give the place
    as an offset into the text's UTF-8 bytes; PyYAML's own gives it in characters."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if isinstance(exc, yaml.reader.ReaderError):
        position = exc.position
        if offsets_in_bytes:
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line, column = line_and_column(text, position)
        return Problem(
            Location(file, line, column),
            "yaml.character",
            f"the character U+{ord(exc.character) if isinstance(exc.character, str) else exc.character:04X} is not allowed in YAML",
            hint="remove the control character; it is often pasted in by accident",
        )
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    context = (getattr(exc, "context", None) or "").strip()
    if "exceeded maximum nesting depth" in problem:
        # libyaml's own limit (1,000 levels), reached while scanning ahead of our
        # max_depth check: `[[[[...` on one line. The same limit, the same words.
        return Problem(
            Location(file, line, column),
            "limit.depth",
            f"the YAML is nested more than {max_depth} levels deep",
            hint="catalogue records need only a few levels; check for runaway brackets",
        )
    source = _line(text, line)
    message, hint = _explain(problem, context, source, column)
    return Problem(Location(file, line, column), "yaml.syntax", message, hint=hint)


def _explain(problem: str, context: str, source: str, column: int) -> tuple[str, str]:
    stripped = source.lstrip(" ")
    if "\t" in source[: len(source) - len(source.lstrip(" \t"))] or "'\\t'" in problem:
        return (
            "a tab character is used for indentation",
            "YAML indents with spaces only; replace the tab with spaces",
        )
    if problem.startswith("mapping values are not allowed"):
        return (
            "a colon (`:`) appears where YAML does not expect a new key",
            "if the value itself contains `: `, put it in quotes (title: \"Email: staff\"); "
            "otherwise check the indentation of this line",
        )
    if "could not find expected ':'" in problem:
        return (
            "a line was read as a key but has no colon after it",
            "check the indentation of this and the previous line; a value containing ` #` or a "
            "line break needs quotes",
        )
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return (
            "this line is not indented like the keys around it",
            "line keys up under their parent with the same number of spaces; list items start with `- ` "
            "at the same indentation",
        )
    if "did not find expected '-' indicator" in problem:
        return (
            "this line breaks a list: a `- ` item was expected",
            "indent the line like the other items of the list, or start it with `- `",
        )
    if "found character '@'" in problem or "found character '`'" in problem or "found character '%'" in problem:
        return (
            f"a value cannot start with `{stripped[column - 1 - (len(source) - len(stripped)):][:1] or problem[-2]}` unquoted",
            "put the value in quotes",
        )
    if "found undefined alias" in problem or "found undefined anchor" in problem:
        return ("an alias (`*name`) refers to an anchor that is not defined", "define `&name` first, or quote a value starting with `*`")
    if "found unexpected end of stream" in problem or "found unexpected end" in problem:
        return (
            "the file ends inside an unfinished value",
            "a quote or bracket is not closed; check the last value",
        )
    if "found unexpected ':'" in problem:
        return ("an unexpected colon", "put a value that contains `:` in quotes")
    if "while scanning a quoted scalar" in context:
        return ("a quoted value is not closed", "add the closing quote")
    if "while parsing a flow" in context:
        return ("a `[...]` or `{...}` list is not closed properly", "check the brackets and the commas between items")
    words = problem[0].lower() + problem[1:] if problem else "the YAML cannot be read"
    return (f"YAML syntax error: {words}" + (f" ({context})" if context else ""), "check the indentation and quoting near this place")
