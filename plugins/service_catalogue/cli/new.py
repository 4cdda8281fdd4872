"""`service-catalogue new KIND ID`: write a commented skeleton record.

Exit codes: 0 written, 1 the file exists or cannot be written, 2 usage error.
"""

from __future__ import annotations

import argparse
import re
import sys

from service_catalogue.kinds import KIND_NAMES, KINDS
from service_catalogue.cli import arguments
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from service_catalogue import pipeline
from service_catalogue.skeletons import Existing, record_path, write_skeleton
from service_catalogue.report.escape import one_line
from service_catalogue.validation.schemas import RESERVED_IDS, did_you_mean

SUMMARY = "write a commented skeleton record"
DESCRIPTION = (
    "Write a commented skeleton record of KIND with id ID into the conventional "
    f"sub-folder of the catalogue ({', '.join(f'{kind.folder}/' for kind in KINDS)}). "
    "An existing file is never overwritten."
)
EPILOG = None

# The schema's recordId, checked here so that a bad id is a usage error, not a record that fails.
_RECORD_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", metavar="KIND", help=f"one of {', '.join(KIND_NAMES)} (any case)")
    parser.add_argument("id", metavar="ID", help="the new record's id: lower-case letters, digits and hyphens")
    arguments.add_catalogue(parser)


def run(args: argparse.Namespace) -> int:
    kind = {k.lower(): k for k in KIND_NAMES}.get(args.kind.lower())
    if kind is None:
        hint = did_you_mean(args.kind, KIND_NAMES) or f"use one of {', '.join(KIND_NAMES)}"
        print(one_line(f"service-catalogue new: unknown kind '{args.kind}': {hint}"), file=sys.stderr)
        return EXIT_USAGE
    if not _RECORD_ID.fullmatch(args.id):
        print(
            f"service-catalogue new: '{one_line(args.id)}' is not a valid id: use lower-case letters, digits and "
            "hyphens, starting with a letter or digit, at most 63 characters",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.id in RESERVED_IDS:  # the schema would refuse the record the skeleton holds
        print(
            f"service-catalogue new: the id '{args.id}' is reserved: {RESERVED_IDS[args.id]}; "
            f"choose another, for example '{args.id}-{kind.lower()}'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    options = arguments.options(args)
    target = record_path(options.catalogue, kind, args.id)
    # The skeleton's references name records the catalogue has (a catalogue without init's
    # examples has no it-services): the records that pass the schema, of a folder that
    # may not exist yet (then there are none, and the skeleton says what to fill in).
    existing = Existing.of(pipeline.validate(options).records) if options.catalogue.is_dir() else Existing()
    try:
        write_skeleton(target, kind, args.id, options.as_of.isoformat(), existing)
    except FileExistsError:
        print(one_line(f"service-catalogue new: {target} already exists; not overwritten"), file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(one_line(f"service-catalogue new: cannot write {target}: {exc.strerror or exc}"), file=sys.stderr)
        return EXIT_PROBLEMS
    print(one_line(f"wrote {target}"))
    return EXIT_OK
