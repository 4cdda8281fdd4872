"""What the command line gives back: exit codes, usage errors and its two output streams.

Exit codes, for every command: 0 success, 1 problems found (an invalid
catalogue, findings, a change that --fail-on names, a file that could not be
written), 2 a usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys

from service_catalogue.validation.problems import one_line

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


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

