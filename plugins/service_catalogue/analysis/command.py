"""`service-catalogue check`: validate, then report service level findings.

Exit codes like `validate`: 0 no findings, 1 findings (or an invalid
catalogue), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of days (0 or more), got {text!r}")
    return value


def register(subparsers) -> None:
    from service_catalogue.cli import _date
    from service_catalogue.options import DEFAULT_ENDING_DAYS

    check = subparsers.add_parser(
        "check",
        help="report service level findings: the agreement chain, terms, reviews, coverage",
        description="Validate the catalogue, then check that its service levels add up: SLA targets "
        "against the OLAs and contracts that underpin them, availability against the chain's ceiling, "
        "service hours, end dates and reviews, services without an SLA, retired services still in use "
        "and parties nothing refers to. An invalid catalogue prints its problems instead. "
        "Findings are reported with file:line:column and the rule id.",
        epilog="Run 'service-catalogue check --list-rules' for the rule ids. Exit codes: 0 no findings, "
        "1 findings or an invalid catalogue, 2 usage error.",
    )
    check.add_argument("catalogue", nargs="?", default="catalogue", metavar="CATALOGUE_DIR",
                       help="the folder of YAML records (default: catalogue)")
    check.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                       help="the date that end dates and reviews are checked against (default: today)")
    check.add_argument("--format", choices=("github", "json", "text"), default="text",
                       help="text for people (default), json for tools, github for GitHub Actions annotations")
    check.add_argument("--disable", action="append", default=[], metavar="RULE",
                       help="switch a rule off by its id; repeat it, or separate ids with commas")
    check.add_argument("--ending-days", type=_days, default=DEFAULT_ENDING_DAYS, metavar="N",
                       help=f"report active agreements ending within N days (default: {DEFAULT_ENDING_DAYS})")
    check.add_argument("--list-rules", action="store_true", help="print the rule ids with what each finds, and exit")
    check.set_defaults(handler=run_check)


def run_check(args) -> int:
    from service_catalogue.validation.folder import validate_folder
    from service_catalogue.model import Catalogue
    from service_catalogue.validation.problems import FORMATTERS as PROBLEM_FORMATTERS, one_line
    from service_catalogue.analysis.report import FORMATTERS
    from service_catalogue.analysis.rules import RULES, UnknownRuleError, analyse, check_rule_ids

    if args.list_rules:
        for rule in RULES.values():
            print(f"{rule.id}\n    {rule.title}. {rule.why}")
        return EXIT_OK
    disabled = [part.strip() for value in args.disable for part in value.split(",") if part.strip()]
    try:
        disabled = check_rule_ids(disabled)
    except UnknownRuleError as exc:
        print(f"service-catalogue check: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    result = validate_folder(Path(args.catalogue))
    if not result.ok:
        print(PROBLEM_FORMATTERS[args.format](result.problems, result.total))
        return EXIT_FINDINGS
    as_of = args.as_of or dt.date.today()
    findings = analyse(Catalogue(result.records), as_of=as_of, disabled=disabled, ending_days=args.ending_days)
    print(FORMATTERS[args.format](findings, len(result.records), as_of))
    return EXIT_FINDINGS if findings else EXIT_OK
