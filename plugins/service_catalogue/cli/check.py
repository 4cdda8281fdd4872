"""`service-catalogue check`: validate, then report the service level findings.

Exit codes like `validate`: 0 no findings, 1 findings (or an invalid
catalogue), 2 usage error.
"""

from __future__ import annotations

import argparse

from service_catalogue import pipeline
from service_catalogue.analysis.rules import RULES
from service_catalogue.cli import arguments
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS
from service_catalogue.options import DEFAULT_ENDING_DAYS
from service_catalogue.report import names_for, writer

SUMMARY = "report service level findings: the agreement chain, terms, reviews, coverage"
DESCRIPTION = (
    "Validate the catalogue, then check that its service levels add up: SLA targets "
    "against the OLAs and contracts that underpin them, availability against the chain's ceiling, "
    "service hours, end dates and reviews, services without an SLA, retired services still in use "
    "and parties nothing refers to. An invalid catalogue prints its problems instead. "
    "Findings are reported with file:line:column and the rule id."
)
EPILOG = (
    "Run 'service-catalogue check --list-rules' for the rule ids. Exit codes: 0 no findings, "
    "1 findings or an invalid catalogue, 2 usage error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    arguments.add_catalogue(parser, positional=True, help="the folder of YAML records, the same as CATALOGUE_DIR (default: catalogue)")
    arguments.add_as_of(parser, help="the date that end dates and reviews are checked against (default: today)")
    parser.add_argument("--format", choices=sorted(names_for("findings")), default="text",
                        help="text for people (default), json for tools, github for GitHub Actions annotations")
    arguments.add_disable(parser)
    arguments.add_ending_days(parser, help=f"report active agreements ending within N days (default: {DEFAULT_ENDING_DAYS})")
    arguments.add_max_file_size(parser)
    parser.add_argument("--list-rules", action="store_true", help="print the rule ids with what each finds, and exit")


def run(args: argparse.Namespace) -> int:
    if args.list_rules:
        for rule in RULES.values():
            print(f"{rule.id}\n    {rule.summary}. {rule.why}")
        return EXIT_OK
    options = arguments.options(args)
    prepared = pipeline.prepare(options, for_pages=False)
    prepared.require_valid()  # an invalid catalogue: its problems, in this --format (console.report_error)
    print(writer(args.format, "findings").findings(prepared.findings, len(prepared.validation.records), options.as_of))
    return EXIT_PROBLEMS if prepared.findings else EXIT_OK
