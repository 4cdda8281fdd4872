"""The command line reference, in Markdown: every command, its usage, arguments and options.

Made from the argparse parser itself, so that a page lists exactly the commands and options
that `--help` shows and cannot drift from them. A page holds only a marker line
(MARKER), which `expand` replaces: this repository's docs/hooks.py does so under MkDocs,
and `service-catalogue render --docs` does so for generators that run no hooks.
"""

from __future__ import annotations

import argparse
import html
import re

MARKER = "<!-- service-catalogue:cli-reference -->"
_MARKER_LINE = re.compile(r"^[ \t]*" + re.escape(MARKER) + r"[ \t]*$", re.M)

# Markdown punctuation that could start emphasis, links, code or tables in help text.
_SPECIALS = re.compile(r"([\\`*_{}\[\]|#])")
USAGE_WIDTH = 88


def expand(markdown: str, parser: argparse.ArgumentParser) -> str:
    """Replace a marker line in a page with the reference of parser (the command line's own, which
    a command is handed: this module imports no command); other pages are returned as they are."""
    if MARKER not in markdown:
        return markdown
    reference = cli_reference(parser)
    return _MARKER_LINE.sub(lambda _: reference, markdown)


def cli_reference(parser: argparse.ArgumentParser, level: int = 2) -> str:
    """Every command, from the top-level parser down: usage, description, arguments."""
    sections = []
    for name, command, aliases, summary in walk(parser):
        sections.append(_command_section(name, command, aliases, summary, level))
    return "\n".join(sections).rstrip() + "\n"


def walk(parser: argparse.ArgumentParser, prefix: str | None = None, aliases=(), summary=""):
    """(full command name, parser, aliases, one-line help) for the parser and every sub-command."""
    name = prefix or parser.prog
    yield name, parser, tuple(aliases), summary
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help for choice in action._choices_actions}
        seen: dict[int, list[str]] = {}
        for sub_name, sub_parser in action.choices.items():
            seen.setdefault(id(sub_parser), []).append(sub_name)
        for names in seen.values():
            sub_parser = action.choices[names[0]]
            yield from walk(sub_parser, f"{name} {names[0]}", names[1:], helps.get(names[0]) or "")


def _command_section(name, parser, aliases, summary, level) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    lines = [f"{'#' * level} `{name}` {{ #{slug} }}", ""]
    if summary:
        lines += [f"*{_text(_sentence(summary))}*", ""]
    if aliases:
        lines += ["Also: " + ", ".join(f"`{alias}`" for alias in aliases), ""]
    lines += ["```text", _usage(parser).rstrip(), "```", ""]
    if parser.description:
        lines += [_text(parser.description), ""]
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                rows.append((f"`{choice.dest}`", _text(choice.help or ""), "command"))
            continue
        if action.help == argparse.SUPPRESS:
            continue
        rows.append((_invocation(parser, action), _text(_help(parser, action)), "option" if action.option_strings else "argument"))
    arguments = [row for row in rows if row[2] == "argument"]
    options = [row for row in rows if row[2] == "option"]
    commands = [row for row in rows if row[2] == "command"]
    for title, group in (("Commands", commands), ("Arguments", arguments), ("Options", options)):
        if not group:
            continue
        lines += [f"**{title}**", "", "| | |", "|---|---|"]
        lines += [f"| {left} | {right} |" for left, right, _ in group]
        lines.append("")
    if parser.epilog:
        lines += [_text(parser.epilog), ""]
    return "\n".join(lines)


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help()


def _invocation(parser, action) -> str:
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    shown = formatter._format_action_invocation(action)
    # "-h, --help" or "--format {github,json,text}" or "CATALOGUE_DIR": each part as code.
    return ", ".join(_code(part.strip()) for part in shown.split(", "))


def _code(text: str) -> str:
    if "|" in text or "`" in text:  # would end a table cell or a code span
        return "<code>" + html.escape(text).replace("|", "&#124;") + "</code>"
    return f"`{text}`"


def _help(parser, action) -> str:
    if not action.help:
        return ""
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    try:
        return formatter._expand_help(action)
    except (KeyError, TypeError, ValueError):
        return action.help


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


def _text(text: str) -> str:
    """Help text as Markdown: one paragraph, nothing in it read as markup."""
    flat = " ".join(str(text).split())
    return html.escape(_SPECIALS.sub(r"\\\1", flat), quote=False)
