"""`service-catalogue diff BASE [HEAD]`: what a change to the catalogue means for customers.

Exit codes: 0 compared (and nothing that --fail-on names), 1 HEAD does not
validate or --fail-on matched, 2 usage error (such as an unknown revision).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service_catalogue import pipeline
from service_catalogue.cli import arguments
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS
from service_catalogue.diff.comparison import Comparison
from service_catalogue.diff.rules import RULES
from service_catalogue.diff.sources import WORKING_TREE, load_side
from service_catalogue.options import Options
from service_catalogue.report import TextWriter, names_for, writer
from service_catalogue.report.escape import one_line

SUMMARY = "say what a change to the catalogue means for customers"
DESCRIPTION = """\
Compare two versions of a catalogue and say, record by record, what changed in
the words of the domain (durations as durations, calendars by title and covered
hours per week), and whether each change weakens, strengthens or leaves
neutral what customers are promised, with the rule that decided it. A changed
OLA or UC lists the SLAs it backs; a changed calendar lists who uses it.
A change that opens a breach window (a ticket that would be due from an
underpinning agreement after it is due to the customer above), closes one or
moves one is reported too, with its worst case in local times.

BASE and HEAD are git revisions of the repository (branches, tags, commits,
origin/main, HEAD~1) or two catalogue folders. Without HEAD, the catalogue
folder of the working tree is compared, uncommitted edits included. A bare
repository (or a .git folder) has no working tree: give both revisions, and
--catalogue as the folder's path from the top of the repository.
HEAD is validated first: if it has errors they are printed, located like
`validate` does, and nothing is compared (exit 1)."""

_EXAMPLES = """\
examples:
  service-catalogue diff main                      working tree against main
  service-catalogue diff origin/main HEAD --format markdown
  service-catalogue diff v1.2 v1.3 --fail-on weakened
  service-catalogue diff old/catalogue new/catalogue

exit codes: 0 compared; 1 HEAD does not validate, or a change that --fail-on
names (a breach window opened or widened counts as weakened); 2 usage error
(unknown revision, no such folder).
Classes, rules and the JSON structure: see docs/reviewing-changes.md."""

_RULES = "\n".join(f"  {rule.id:<21} {rule.summary}" for rule in RULES)
EPILOG = (
    f"{_EXAMPLES}\n\nrules: weakened when ... (the inverse is strengthened, under the same rule):\n{_RULES}\n"
    "  text-only             never: a change of wording only is neutral\n"
    "  other                 never: a change that no rule judges is neutral; read it"
)
# The description and the rules are laid out by hand.
FORMATTER_CLASS = argparse.RawDescriptionHelpFormatter


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE", help="the git revision or catalogue folder to compare against")
    parser.add_argument("head", metavar="HEAD", nargs="?", default=None,
                        help="the git revision or catalogue folder to compare (default: the working tree)")
    parser.add_argument("--catalogue", default="catalogue", metavar="DIR",
                        help="the catalogue folder's path inside the repository (default: catalogue)")
    parser.add_argument("--repo", default=".", metavar="DIR",
                        help="the git repository that revisions are read from (default: the current folder)")
    parser.add_argument("--format", choices=names_for("changes"), default="text",
                        help="text for a terminal (default), markdown for a pull-request comment, json for tools")
    parser.add_argument("--fail-on", choices=("weakened", "any", "never"), default="never",
                        help="exit 1 when a change is weakened (or a breach window opens or widens), or when "
                        "anything changed at all (default: never; the exit code then only reports errors)")
    arguments.add_as_of(parser, help="the date that breach windows are searched from, 12 months ahead (default: today)")
    arguments.add_max_file_size(parser)


def run(args: argparse.Namespace) -> int:
    # Each side is validated as `validate` would, with the same file limits. The Options'
    # catalogue folder is not used: --catalogue is a path inside the repository here.
    # The as-of date is today's unless given, as for `check`.
    options = Options(max_file_size=args.max_file_size, **({"as_of": args.as_of} if args.as_of else {}))
    limits = options.limits
    repo = Path(args.repo)
    # A side that cannot be loaded at all raises DiffSourceError: a usage error (console.report_error).
    head = load_side(args.head if args.head is not None else WORKING_TREE, repo, args.catalogue, limits)
    base = load_side(args.base, repo, args.catalogue, limits)
    output = writer(args.format, "changes")
    if not head.validation.ok:
        print(output.changes(Comparison(base, head, [], head.validation.problems)))
        return EXIT_PROBLEMS
    for note in _notes(base, head, args.catalogue):
        print(f"service-catalogue diff: note: {one_line(note)}", file=sys.stderr)
    # Which records of BASE were left out, and why, located as `validate` would say it.
    for problem in base.validation.problems:
        if problem.severity == "error":
            print(f"  {TextWriter().problem(problem)}".replace("\n", "\n  "), file=sys.stderr)
    changes = pipeline.compare(base.validation, head.validation)
    windows = pipeline.compare_windows(base.validation, head.validation, changes, options.as_of)
    comparison = Comparison(base, head, changes, head.validation.problems, windows, options.as_of)
    print(output.changes(comparison))
    return EXIT_PROBLEMS if _fails(comparison, args.fail_on) else EXIT_OK


def _notes(base, head, catalogue: str) -> list[str]:
    """What the reader should know about the sides before trusting the comparison."""
    notes = []
    for side in (base, head):
        if side.kind == "git" and not side.validation.files:
            # Right for the first pull request that adds a catalogue; otherwise --catalogue is likely wrong.
            notes.append(f"{side.label} has no YAML files under {catalogue}/; all its records count as absent")
    errors = sum(1 for problem in base.validation.problems if problem.severity == "error")
    if errors:
        # An old revision may predate a check: its invalid records are left out, which is not fatal.
        notes.append(
            f"{base.label} has {errors} validation error{'s' * (errors != 1)}; "
            "records that fail the schema are left out of the comparison"
        )
    return notes


def _fails(comparison, fail_on: str) -> bool:
    if fail_on == "any":
        return bool(comparison.changes)
    if fail_on == "weakened":  # a window opened or widened puts a target at risk: a weakening too
        return comparison.count("weakened") > 0 or comparison.count_windows(verdict="weakened") > 0
    return False
