"""Turn PyYAML's syntax errors into plain words with a hint for the usual causes."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class SyntaxHint:
    """One usual cause of a YAML syntax error: what shows it, and what to say about it.

    A row matches when the parser's problem holds one of its `problem` words, its
    context one of its `context` words, or the indentation of the line one of its
    `indentation` characters; the first row that matches speaks. `{character}` in a
    message is the character the value starts with.
    """

    message: str
    hint: str
    problem: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    indentation: tuple[str, ...] = ()

    def matches(self, problem: str, context: str, indentation: str) -> bool:
        return (
            any(words in problem for words in self.problem)
            or any(words in context for words in self.context)
            or any(character in indentation for character in self.indentation)
        )


SYNTAX_HINTS = (
    SyntaxHint(
        "a tab character is used for indentation",
        "YAML indents with spaces only; replace the tab with spaces",
        problem=("'\\t'",),
        indentation=("\t",),
    ),
    SyntaxHint(
        "a colon (`:`) appears where YAML does not expect a new key",
        "if the value itself contains `: `, put it in quotes (title: \"Email: staff\"); "
        "otherwise check the indentation of this line",
        problem=("mapping values are not allowed",),
    ),
    SyntaxHint(
        "a line was read as a key but has no colon after it",
        "check the indentation of this and the previous line; a value containing ` #` or a "
        "line break needs quotes",
        problem=("could not find expected ':'",),
    ),
    SyntaxHint(
        "this line is not indented like the keys around it",
        "line keys up under their parent with the same number of spaces; list items start with `- ` "
        "at the same indentation",
        problem=("did not find expected key", "expected <block end>"),
    ),
    SyntaxHint(
        "this line breaks a list: a `- ` item was expected",
        "indent the line like the other items of the list, or start it with `- `",
        problem=("did not find expected '-' indicator",),
    ),
    SyntaxHint(
        "a value cannot start with `{character}` unquoted",
        "put the value in quotes",
        problem=("found character '@'", "found character '`'", "found character '%'"),
    ),
    SyntaxHint(
        "an alias (`*name`) refers to an anchor that is not defined",
        "define `&name` first, or quote a value starting with `*`",
        problem=("found undefined alias", "found undefined anchor"),
    ),
    SyntaxHint(
        "the file ends inside an unfinished value",
        "a quote or bracket is not closed; check the last value",
        problem=("found unexpected end",),
    ),
    SyntaxHint("an unexpected colon", "put a value that contains `:` in quotes", problem=("found unexpected ':'",)),
    SyntaxHint("a quoted value is not closed", "add the closing quote", context=("while scanning a quoted scalar",)),
    SyntaxHint(
        "a `[...]` or `{...}` list is not closed properly",
        "check the brackets and the commas between items",
        context=("while parsing a flow",),
    ),
)


def _explain(problem: str, context: str, source: str, column: int) -> tuple[str, str]:
    stripped = source.lstrip(" ")
    indentation = source[: len(source) - len(source.lstrip(" \t"))]
    for row in SYNTAX_HINTS:
        if row.matches(problem, context, indentation):
            if "{character}" not in row.message:
                return row.message, row.hint
            character = stripped[column - 1 - (len(source) - len(stripped)) :][:1] or problem[-2]
            return row.message.replace("{character}", character), row.hint
    words = problem[0].lower() + problem[1:] if problem else "the YAML cannot be read"
    return (f"YAML syntax error: {words}" + (f" ({context})" if context else ""), "check the indentation and quoting near this place")
