"""`service-catalogue finish SITE`: add to a site built by any generator what the plugin adds in MkDocs.

Exit codes: 0 finished (or finished before), 1 an invalid catalogue, or a site that
cannot be finished (nothing is changed), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service_catalogue import pipeline
from service_catalogue.cli import arguments
from service_catalogue.cli.console import EXIT_OK
from service_catalogue.options import GLOSSARY_LINK_MODES
from service_catalogue.report.escape import one_line

SUMMARY = "add term links, tooltips and the exports to a site another generator built"
DESCRIPTION = (
    "Finish the HTML site in SITE, built by Zensical, ProperDocs without the plugin, or any other "
    "generator from the pages of `service-catalogue render`: link the glossary terms in every page "
    "(with their tooltips), fill in the glossary's \"used in\" lists, write catalogue.json and "
    "glossary.json at the site's root, serve the site's own Mermaid and the stylesheet, and point the "
    "edit buttons of record pages at the YAML records. It does to the built pages what the MkDocs "
    "plugin does while building them. Every page is finished before any is written: a site that "
    "cannot be finished is left as it was. A site finished before is left alone."
)
EPILOG = (
    "Example, with Zensical:  service-catalogue render docs-built --docs docs && zensical build && "
    "service-catalogue finish site --docs docs"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", type=Path, metavar="SITE", help="the folder of the built site (site_dir)")
    arguments.add_catalogue(parser)
    arguments.add_section(parser, help="the folder of the catalogue's pages in the site, as given to `render` "
                          "(default: catalogue)")
    parser.add_argument("--docs", type=Path, default=None, metavar="DIR",
                        help="the folder of the hand-written pages, which edit_uri names: record pages' edit "
                        "buttons then open the YAML record (default: the buttons are left as they are)")
    parser.add_argument("--glossary-links", choices=GLOSSARY_LINK_MODES, default="first",
                        help="which uses of a term become links: the first on each page (default), all, or none")
    arguments.add_max_file_size(parser)


def run(args: argparse.Namespace) -> int:
    options = arguments.options(args)
    catalogue = pipeline.prepare(options, with_findings=False).require_valid()
    shown = {"at": 0}

    def progress(done: int, total: int) -> None:
        # A line that counts up on a terminal, for a site of thousands of pages.
        if sys.stderr.isatty() and (done == total or done - shown["at"] >= 200):
            shown["at"] = done
            print(f"\rfinishing pages: {done} of {total}", end="\n" if done == total else "", file=sys.stderr, flush=True)

    result = pipeline.finish(args.site, catalogue, options, args.docs, progress)
    if result.already:
        print(f"{args.site} was finished before: nothing to do (build the site again to finish it anew)")
        return EXIT_OK
    for page, line, text in result.short_links:
        print(one_line(f"service-catalogue finish: {page}:{line}: {text} is left as text: render the "
                       "hand-written pages with `service-catalogue render OUTDIR --docs DIR` to make it a link"),
              file=sys.stderr)
    edits = f", {result.edit_links} edit buttons opening their records" if args.docs is not None else ""
    print(f"finished {result.pages} pages of {args.site}: terms linked in {result.linked}{edits}; "
          f"wrote {' and '.join(result.exports)}")
    return EXIT_OK
