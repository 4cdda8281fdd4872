"""The command line: `service-catalogue validate`, `new`, `init`, `render`, `finish`, `check`, `diff`, `report`, `export`.

Every command is a module of this package that defines SUMMARY (its line in
the list of commands), DESCRIPTION and EPILOG (its --help), optionally
FORMATTER_CLASS, and two functions: `add_arguments(parser)` and
`run(args) -> int`, the exit code. COMMAND_BY_NAME lists them in the order
that --help shows them. All the argument parsing and printing of the project
happens in this package: the core returns what it found or did.

Exit codes: 0 success, 1 the catalogue has problems, 2 usage error. An error
that the core raises (service_catalogue.errors) is shown and given its exit
code in one place, console.report_error, for every command.
"""

from __future__ import annotations

import argparse
import sys

from service_catalogue.version import __version__
from service_catalogue.cli import check, diff, export, finish, init, new, render, report, validate
from service_catalogue.cli.console import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Parser, report_error, tolerant_output
from service_catalogue.errors import ServiceCatalogueError

COMMAND_BY_NAME = {
    "validate": validate,
    "new": new,
    "render": render,
    "finish": finish,
    "check": check,
    "init": init,
    "diff": diff,
    "report": report,
    "export": export,
}


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command; each sub-parser's `run` default is its command's run."""
    parser = Parser(
        prog="service-catalogue",
        description="An ITIL service catalogue kept as code: check YAML records, create new ones, "
        "and render them for the web.",
        epilog="Run 'service-catalogue COMMAND --help' for the options of a command. "
        "Exit codes: 0 success, 1 problems found, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # The whole command line, for a command that writes its reference (render --docs): handed
    # over, not imported, as no command imports this package.
    parser.set_defaults(parser=parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, command in COMMAND_BY_NAME.items():
        subparser = commands.add_parser(
            name,
            help=command.SUMMARY,
            description=command.DESCRIPTION,
            epilog=command.EPILOG,
            formatter_class=getattr(command, "FORMATTER_CLASS", argparse.HelpFormatter),
        )
        command.add_arguments(subparser)
        subparser.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line (the console script); returns the exit code."""
    tolerant_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    try:
        return args.run(args)
    except ServiceCatalogueError as error:  # from the core, for any command: shown the same way for all
        return report_error(args.command, error, getattr(args, "format", "text"))
