"""`service-catalogue validate`: check every record of a catalogue folder, every problem at once.

Exit codes: 0 valid (warnings allowed), 1 errors, 2 usage error.
"""

from __future__ import annotations

import argparse

from service_catalogue import pipeline
from service_catalogue.cli import arguments
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS
from service_catalogue.report import names_for, writer

SUMMARY = "check every record of a catalogue folder"
DESCRIPTION = (
    "Check every YAML record under CATALOGUE_DIR against the format (JSON Schema), then "
    "references, ids, cycles, dates and time zones. All problems are reported at once, each with "
    "file:line:column, the field and a hint."
)
EPILOG = None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    arguments.add_catalogue(parser, positional=True, help="the folder of YAML records, the same as CATALOGUE_DIR (default: catalogue)")
    parser.add_argument("--format", choices=sorted(names_for("problems")), default="text",
                        help="text for people (default), json for tools, github for GitHub Actions annotations")
    arguments.add_max_file_size(parser)


def run(args: argparse.Namespace) -> int:
    result = pipeline.validate(arguments.options(args))
    print(writer(args.format, "problems").problems(result.problems, result.total))
    return EXIT_OK if result.ok else EXIT_PROBLEMS
