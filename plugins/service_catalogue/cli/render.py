"""`service-catalogue render OUTDIR`: write the generated Markdown pages to a folder.

Exit codes: 0 written, 1 an invalid catalogue, a template that fails or a file
that cannot be written, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service_catalogue import pipeline
from service_catalogue.cli import arguments
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from service_catalogue.options import DEFAULT_ENDING_DAYS

SUMMARY = "write the generated Markdown pages to a folder"
DESCRIPTION = (
    "Validate the catalogue and write the Markdown pages that the MkDocs plugin would "
    "generate into OUTDIR, so that other site generators can use them. Files already in OUTDIR "
    "with the same names are replaced; nothing else there is touched."
)
EPILOG = None


def section(text: str) -> str:
    """The sub-folder of OUTDIR for the pages: a relative path inside it."""
    from service_catalogue.site.pages import check_section  # the site's imports only when it is rendered

    try:
        return check_section(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected a folder inside OUTDIR, such as `catalogue` or `docs/catalogue`, not {text!r}: {exc}"
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("outdir", type=Path, metavar="OUTDIR", help="the folder to write the pages into")
    arguments.add_catalogue(parser)
    parser.add_argument("--section", default="catalogue", metavar="PATH", type=section,
                        help="the sub-folder of OUTDIR for the pages, a relative path inside it "
                        "(default: catalogue; \"\" for OUTDIR itself)")
    arguments.add_as_of(parser, help="the date that date-dependent text is written against (default: today)")
    parser.add_argument("--templates", type=arguments.folder_or_none, default=None, metavar="DIR",
                        help="a folder of templates that replace ours")
    arguments.add_disable(parser)
    arguments.add_ending_days(parser, help="mark active agreements ending within N days, and report them "
                              f"on the health page (default: {DEFAULT_ENDING_DAYS})")
    arguments.add_allow_raw_html(parser)
    arguments.add_max_file_size(parser)
    parser.add_argument("--reports", type=Path, default=None, metavar="FILE",
                        help="add the service level performance pages of the `reports:` block in FILE "
                        "(mkdocs.yml, or a YAML file of its own; see `service-catalogue report --help`)")


def run(args: argparse.Namespace) -> int:
    options = arguments.options(args)
    out = args.outdir
    if out.exists() and not out.is_dir():
        print(f"service-catalogue render: OUTDIR {out} is a file, not a folder", file=sys.stderr)
        return EXIT_USAGE
    # The health page and the record pages show the service level findings.
    prepared = pipeline.prepare(options)
    catalogue = prepared.require_valid()  # an invalid catalogue: its problems, as `validate` writes them
    if options.templates and not options.templates.is_dir():
        print(f"service-catalogue render: the templates folder {options.templates} does not exist", file=sys.stderr)
        return EXIT_USAGE
    # Every page is rendered before the first is written: a page that fails (RenderError) writes nothing.
    pages = pipeline.render(catalogue, options, prepared.findings, prepared.performance)
    # Each calendar's iCalendar file next to its page, as the plugin publishes them (the pages link to them).
    calendars = pipeline.calendar_files(catalogue, options)
    # newline: pages are written as they always were; an iCalendar file keeps its CRLF line ends (RFC 5545).
    targets: list[tuple[Path, str, str | None]] = [(out / page.path, page.markdown, None) for page in pages]
    targets += [(out / path, text, "") for path, text in calendars.items()]
    in_the_way = _not_folders({target.parent for target, _, _ in targets}) + [t for t, _, _ in targets if t.is_dir()]
    if in_the_way:
        for path in in_the_way:
            kind = "a folder, not a file" if path.is_dir() else "a file, not a folder"
            print(f"service-catalogue render: {path} is {kind}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    for target, text, newline in targets:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline=newline)
        except OSError as exc:
            print(f"service-catalogue render: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_PROBLEMS
    files = f" and {len(calendars)} iCalendar file{'s' * (len(calendars) != 1)}" if calendars else ""
    print(f"wrote {len(pages)} pages{files} under {out / options.section}")
    return EXIT_OK


def _not_folders(folders: set[Path]) -> list[Path]:
    """The paths among folders and their parents that exist but are not folders (each looked at once)."""
    seen, found = set(), []
    for folder in folders:
        while folder not in seen:
            seen.add(folder)
            if folder.exists() and not folder.is_dir():
                found.append(folder)
            folder = folder.parent
    return sorted(found)
