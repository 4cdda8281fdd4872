"""What the command line gives back: exit codes, usage errors, the core's errors and its two output streams.

Exit codes, for every command: 0 success, 1 problems found (an invalid
catalogue, findings, a change that --fail-on names, a file that could not be
written), 2 a usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys

from service_catalogue import errors
from service_catalogue.errors import InvalidCatalogueError, RenderError, ReportInputError, ServiceCatalogueError
from service_catalogue.report import names_for, writer
from service_catalogue.report.escape import one_line

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# What each error of the core ends a command with: what was typed names nothing (2),
# or the catalogue or its templates have problems (1).
EXIT_BY_ERROR: dict[type[ServiceCatalogueError], int] = {
    errors.InvalidCatalogueError: EXIT_PROBLEMS,
    errors.UnknownRuleError: EXIT_USAGE,
    errors.UnknownFormatError: EXIT_USAGE,
    errors.DiffSourceError: EXIT_USAGE,
    errors.RenderError: EXIT_PROBLEMS,
    errors.ExportError: EXIT_PROBLEMS,
    errors.FinishError: EXIT_PROBLEMS,
    errors.ReportInputError: EXIT_PROBLEMS,
}


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit 2 with a pointer to --help."""

    def error(self, message):
        self.print_usage(sys.stderr)
        # The message quotes what was typed, which may hold control characters.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)}\nTry '{self.prog} --help' for more.\n")


def tolerant_output() -> None:
    """A console that cannot show a character (ASCII, cp1252) gets \\u escapes, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        try:
            # Duck-typed: sys.stdout is typed TextIO, which has no reconfigure; io.TextIOWrapper has.
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # not a text file (tests pass StringIO)
            pass


def report_error(command: str, error: ServiceCatalogueError, output_format: str = "text") -> int:
    """Show an error of the core, once for every command, and return its exit code.

    An invalid catalogue's problems go to stdout, in the command's --format, as
    `validate` writes them; any other error goes to stderr after the command's name,
    on one line (it quotes what was typed). A template's error is shown as Jinja
    and the template folder word it, as it always was."""
    if isinstance(error, InvalidCatalogueError):
        name = output_format if output_format in names_for("problems") else "text"
        print(writer(name, "problems").problems(error.problems, error.records))
    elif isinstance(error, ReportInputError):  # its mistakes, one a line, then the rows that made it
        if error.problems:
            print(writer("text", "problems").problems(error.problems), file=sys.stderr)
        print(f"service-catalogue {command}: the report is not made:", file=sys.stderr)
        for mistake in error.mistakes:
            print(f"  {one_line(mistake)}", file=sys.stderr)
    else:
        message = str(error) if isinstance(error, RenderError) else one_line(error)
        print(f"service-catalogue {command}: {message}", file=sys.stderr)
    return next((code for kind, code in EXIT_BY_ERROR.items() if isinstance(error, kind)), EXIT_PROBLEMS)
