"""`service-catalogue check`: validate, then report the service level findings.

Exit codes like `validate`: 0 no findings, 1 findings (or an invalid
catalogue), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys

from service_catalogue import pipeline
from service_catalogue.analysis.report import FORMATTERS
from service_catalogue.analysis.rules import RULES, UnknownRuleError
from service_catalogue.cli import arguments
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from service_catalogue.options import DEFAULT_ENDING_DAYS
from service_catalogue.validation.problems import FORMATTERS as PROBLEM_FORMATTERS
from service_catalogue.validation.problems import one_line

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
    parser.add_argument("--format", choices=("github", "json", "text"), default="text",
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
    try:
        options = arguments.options(args)
    except UnknownRuleError as exc:
        print(f"service-catalogue check: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    prepared = pipeline.prepare(options)
    if not prepared.ok:
        print(PROBLEM_FORMATTERS[args.format](prepared.validation.problems, prepared.validation.total))
        return EXIT_PROBLEMS
    print(FORMATTERS[args.format](prepared.findings, len(prepared.validation.records), options.as_of))
    return EXIT_PROBLEMS if prepared.findings else EXIT_OK
