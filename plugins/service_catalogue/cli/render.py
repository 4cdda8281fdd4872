"""`service-catalogue render OUTDIR`: write the generated Markdown pages to a folder.

With --docs, OUTDIR becomes a complete docs folder for a generator that runs no MkDocs
plugin (Zensical): the hand-written pages too, with their `[[id]]` links made and the
command line reference written in; then `service-catalogue finish` adds to the built site
what the plugin adds to its pages.

Exit codes: 0 written, 1 an invalid catalogue, a template that fails or a file
that cannot be written, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service_catalogue import pipeline
from service_catalogue.cli import arguments
from service_catalogue.cli.reference import expand as with_cli_reference
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from service_catalogue.options import DEFAULT_ENDING_DAYS
from service_catalogue.report.escape import one_line
from service_catalogue.site.navigation import NAV_FORMATS, nav_file

SUMMARY = "write the generated Markdown pages to a folder, for any site generator"
DESCRIPTION = (
    "Validate the catalogue and write the Markdown pages that the MkDocs plugin would "
    "generate into OUTDIR, with each calendar's iCalendar file, the JSON Schemas, the stylesheet "
    "and the site's own Mermaid, so that other site generators can use them. With --docs DIR, the "
    "hand-written pages of DIR are written there too, with their [[id]] links made and the command "
    "line reference in the page that asks for it: OUTDIR is then a complete docs folder. Files "
    "already in OUTDIR with the same names are replaced; nothing else there is touched."
)
EPILOG = (
    "Then build OUTDIR with your generator, and run `service-catalogue finish SITE` on what it "
    "built: term links, tooltips, \"used in\" lists, catalogue.json and glossary.json."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("outdir", type=Path, metavar="OUTDIR", help="the folder to write the pages into")
    arguments.add_catalogue(parser)
    arguments.add_section(parser, help="the sub-folder of OUTDIR for the pages, a relative path inside it "
                          "(default: catalogue; \"\" for OUTDIR itself)")
    arguments.add_as_of(parser, help="the date that date-dependent text is written against (default: today)")
    parser.add_argument("--templates", type=arguments.folder_or_none, default=None, metavar="DIR",
                        help="a folder of templates that replace ours")
    arguments.add_disable(parser)
    arguments.add_ending_days(parser, help="mark active agreements ending within N days, and report them "
                              f"on the health page (default: {DEFAULT_ENDING_DAYS})")
    arguments.add_allow_raw_html(parser)
    arguments.add_max_file_size(parser)
    parser.add_argument("--docs", type=arguments.folder_or_none, default=None, metavar="DIR",
                        help="the folder of the hand-written pages (docs_dir): write them into OUTDIR too, "
                        "with their [[id]] links made; a hand-written page wins over a generated one of its name")
    parser.add_argument("--nav", choices=sorted(NAV_FORMATS), default=None, metavar="FORMAT",
                        help="also write the Catalogue section of the navigation, for a generator that runs no "
                        "plugin: " + "; ".join(f"{name}: {file}, for {use}" for name, (file, use) in sorted(NAV_FORMATS.items())))
    parser.add_argument("--site-url", default=None, metavar="URL",
                        help="the site's address (site_url): the published JSON Schemas' $id is under it")
    parser.add_argument("--reports", type=Path, default=None, metavar="FILE",
                        help="add the service level performance pages of the `reports:` block in FILE "
                        "(mkdocs.yml, or a YAML file of its own; see `service-catalogue report --help`)")


def run(args: argparse.Namespace) -> int:
    options = arguments.options(args)
    out = args.outdir
    if out.exists() and not out.is_dir():
        print(f"service-catalogue render: OUTDIR {out} is a file, not a folder", file=sys.stderr)
        return EXIT_USAGE
    if args.docs is not None:
        if not args.docs.is_dir():
            print(f"service-catalogue render: the docs folder {args.docs} does not exist", file=sys.stderr)
            return EXIT_USAGE
        if _overlaps(out, args.docs):
            print(f"service-catalogue render: OUTDIR {out} and --docs {args.docs} overlap: the pages would be "
                  "written over their own sources; give an OUTDIR outside the docs folder", file=sys.stderr)
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
    hand_written = pipeline.hand_written_pages(catalogue, options, args.docs) if args.docs else None
    if hand_written is not None:
        for place, words in hand_written.unknown_links:
            print(one_line(f"service-catalogue render: {place}: {words}"), file=sys.stderr)
        kept = set(hand_written.files)
        for page in [page for page in pages if page.path in kept]:
            print(f"service-catalogue render: {page.path} is written by hand; not generated", file=sys.stderr)
        pages = [page for page in pages if page.path not in kept]
    # newline: pages are written as they always were; an iCalendar file keeps its CRLF line ends (RFC 5545).
    targets: list[tuple[Path, str | bytes, str | None]] = [(out / page.path, page.markdown, None) for page in pages]
    targets += [(out / path, text, "") for path, text in calendars.items()]
    targets += [(out / path, text, None) for path, text in pipeline.schema_files(args.site_url).items()]
    targets += [(out / path, content, None) for path, content in pipeline.site_assets().items()]
    if args.nav is not None:
        nav_path, nav_text = nav_file(args.nav, options.section, performance=prepared.performance is not None)
        targets.append((out / nav_path, nav_text, None))
    if hand_written is not None:
        # The command line reference, where a page holds its marker (as docs/hooks.py does under MkDocs).
        targets += [(out / path, with_cli_reference(content, args.parser) if isinstance(content, str) else content, None)
                    for path, content in hand_written.files.items()]
    in_the_way = _not_folders({target.parent for target, _, _ in targets}) + [t for t, _, _ in targets if t.is_dir()]
    if in_the_way:
        for path in in_the_way:
            kind = "a folder, not a file" if path.is_dir() else "a file, not a folder"
            print(f"service-catalogue render: {path} is {kind}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    for target, text, newline in targets:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8", newline=newline)
        except OSError as exc:
            print(f"service-catalogue render: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_PROBLEMS
    files = f" and {len(calendars)} iCalendar file{'s' * (len(calendars) != 1)}" if calendars else ""
    print(f"wrote {len(pages)} pages{files} under {out / options.section}")
    if hand_written is not None:
        print(f"wrote {len(hand_written.files)} files of {args.docs} into {out}, {hand_written.links} [[id]] links made")
    return EXIT_OK


def _overlaps(a: Path, b: Path) -> bool:
    a, b = a.resolve(), b.resolve()
    return a == b or a in b.parents or b in a.parents


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
