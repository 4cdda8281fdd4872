"""`service-catalogue report`: the service level report, computed from ticket and outage exports.

Exit codes: 0 the report is made (bad rows are listed in it); 1 the catalogue is
invalid, an export cannot be read or is mostly bad rows, or what --fail-on names
happened; 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service_catalogue import pipeline
from service_catalogue.cli import arguments
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS
from service_catalogue.report import names_for, writer

SUMMARY = "compute attainment, availability, downtime budgets and credits from ticket and outage exports"
DESCRIPTION = (
    "Read ticket and outage exports (CSV or JSON Lines, in the column layout of ServiceNow, Jira Service "
    "Management, iTop, Znuny or your own), give each ticket to the agreement and priority it is measured "
    "against, and report per agreement and reporting window: response and resolution met and breached "
    "in the covered time of the calendar that applies, less clock stops; availability over the service "
    "hours less maintenance windows, the downtime budget used and left; the service credits owed; and "
    "where an SLA and what underpins it tell different stories. Bad rows are told with file, row and column."
)
EPILOG = """\
The inputs are the `reports:` block of mkdocs.yml (the plugin's option), read with --inputs,
or given here with --tickets, --outages and --clock-stops. docs/guide/reports.md describes both.

examples:
  service-catalogue report --inputs mkdocs.yml
  service-catalogue report --tickets incidents.csv --preset servicenow-incident --time-zone Europe/London
  service-catalogue report --inputs mkdocs.yml --format json > performance.json
  service-catalogue report --inputs mkdocs.yml --fail-on miss   # CI: exit 1 when a target was missed

exit codes: 0 the report is made; 1 an invalid catalogue, an export that cannot be read or is
mostly bad rows, or what --fail-on names; 2 usage error."""
FORMATTER_CLASS = argparse.RawDescriptionHelpFormatter
FAIL_ON = ("miss", "bad-rows", "never")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    arguments.add_catalogue(parser)
    parser.add_argument("--inputs", type=Path, default=None, metavar="FILE",
                        help="a file with the `reports:` block: mkdocs.yml, or a YAML file of its own "
                        "(default: mkdocs.yml here, when it has one and no --tickets or --outages is given)")
    parser.add_argument("--tickets", action="append", default=[], metavar="FILE",
                        help="a ticket export (CSV or JSON Lines); repeat it for several")
    parser.add_argument("--preset", default=None, metavar="NAME",
                        help="the column layout of the --tickets files (run --list-presets for them; default: generic)")
    parser.add_argument("--clock-stops", action="append", default=[], metavar="FILE",
                        help="a file of clock stops: ticket, start, end and reason")
    parser.add_argument("--outages", action="append", default=[], metavar="FILE",
                        help="an outage export: service, start, end and planned")
    parser.add_argument("--time-zone", default=None, metavar="ZONE",
                        help="the zone of the times written without an offset (default: UTC, or the block's)")
    parser.add_argument("--from", dest="start", type=arguments.date, default=None, metavar="YYYY-MM-DD",
                        help="the first day reported (default: the first day in the exports)")
    parser.add_argument("--to", dest="end", type=arguments.date, default=None, metavar="YYYY-MM-DD",
                        help="the last day reported (default: the --as-of date)")
    arguments.add_as_of(parser, help="the day the report is made on, and its last day unless --to says (default: today)")
    parser.add_argument("--format", choices=names_for("performance"), default="text",
                        help="text for people (default), markdown to paste into a review, json for tools, csv for spreadsheets")
    parser.add_argument("--fail-on", choices=FAIL_ON, default="never",
                        help="exit 1 when a target was missed (miss), or when a row could not be measured (bad-rows)")
    parser.add_argument("--list-presets", action="store_true", help="print the column layouts with the tool each is for, and exit")
    arguments.add_max_file_size(parser)


def run(args: argparse.Namespace) -> int:
    from service_catalogue.performance.inputs import inputs_from_file, inputs_of, with_dates

    if args.list_presets:
        from service_catalogue.performance.presets import PRESET_BY_NAME

        for preset in PRESET_BY_NAME.values():
            columns = ", ".join(f"{name}: {column}" for name, column in {**preset.columns, **preset.clock_columns}.items())
            print(f"{preset.name}\n    {preset.tool}\n    columns: {columns}")
        return EXIT_OK
    given = args.tickets or args.outages or args.clock_stops
    if given:
        inputs = inputs_of(args.tickets, args.outages, args.clock_stops, args.preset, args.time_zone,
                           args.start, args.end, Path.cwd())
    else:
        path = args.inputs or Path("mkdocs.yml")
        if args.inputs is None and not path.is_file():
            print("service-catalogue report: no inputs: give --inputs FILE, or --tickets or --outages "
                  "(there is no mkdocs.yml here)", file=sys.stderr)
            return EXIT_PROBLEMS
        inputs = with_dates(inputs_from_file(path), args.start, args.end)
    from dataclasses import replace

    options = replace(arguments.options(args), reports=inputs)
    prepared = pipeline.prepare(options, with_findings=False)
    prepared.require_valid()
    report = prepared.performance
    assert report is not None  # reports were given
    print(writer(args.format, "performance").performance(report))
    if args.fail_on == "miss" and report.missed:
        print("service-catalogue report: a target was missed (--fail-on miss)", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.fail_on == "bad-rows" and report.errors:
        print(f"service-catalogue report: {len(report.errors)} row problems (--fail-on bad-rows)", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK
