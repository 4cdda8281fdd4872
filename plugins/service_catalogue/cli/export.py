"""`service-catalogue export FORMAT`: the catalogue in the format of a tool beside it.

Exit codes: 0 written (what the format could not hold is noted on stderr); 1 an
invalid catalogue, a record the format cannot hold, or a file that cannot be
written; 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from service_catalogue import pipeline
from service_catalogue.cli import arguments
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS
from service_catalogue.errors import ExportError
from service_catalogue.exports import FORMATS, PageAddresses, addresses_from_mkdocs, export
from service_catalogue.report.escape import one_line

SUMMARY = "write the catalogue for Backstage, an OpenSLO tool, iTop or ServiceNow"
DESCRIPTION = (
    "Validate the catalogue and write it in the format of a tool beside it: a developer portal's "
    "catalogue file, SLO definitions, or CSV files for a CMDB's import. What the format cannot "
    "hold is noted on stderr. docs/guide/exports.md gives each format's field mapping."
)
EPILOG = "formats:\n" + "\n".join(
    textwrap.fill(f.summary, 88, initial_indent=f"  {f.name:<21} ", subsequent_indent=" " * 24) for f in FORMATS.values()
) + """

Links back to the catalogue's pages need the site's address: site_url of mkdocs.yml
(read from --config, or mkdocs.yml here), or --site-url. Without one they are left out.

examples:
  service-catalogue export backstage --output catalog-info.yaml
  service-catalogue export openslo --site-url https://catalogue.example.org/ > openslo.yaml
  for f in organizations slts slas services contracts; do
    service-catalogue export itop-$f --output itop-$f.csv; done

exit codes: 0 written; 1 an invalid catalogue, a record the format cannot hold, or a file
that cannot be written; 2 usage error."""
FORMATTER_CLASS = argparse.RawDescriptionHelpFormatter


def site_url(text: str) -> str:
    """An http or https address with a host."""
    try:
        PageAddresses(text)
    except ExportError:
        raise argparse.ArgumentTypeError(f"expected the site's http or https address, such as "
                                         f"https://catalogue.example.org/, not {text!r}") from None
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("export_format", choices=list(FORMATS), metavar="FORMAT",
                        help="what to write (the formats are listed below)")
    parser.add_argument("--output", "-o", default="-", metavar="FILE",
                        help="the file to write (default: - for standard output)")
    parser.add_argument("--site-url", type=site_url, default=None, metavar="URL",
                        help="the catalogue site's address, for links to its pages (default: site_url of the config)")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="the mkdocs.yml with site_url, use_directory_urls and the plugin's section "
                        "(default: mkdocs.yml here, if there is one)")
    parser.add_argument("--section", default=None, metavar="PATH",
                        help="the folder of the catalogue's pages on the site (default: the config's, else catalogue)")
    arguments.add_catalogue(parser)
    arguments.add_max_file_size(parser)


def run(args: argparse.Namespace) -> int:
    config = args.config or (Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else None)
    if config is not None:
        addresses = addresses_from_mkdocs(config, args.site_url, args.section)
    else:
        addresses = PageAddresses(args.site_url, args.section.strip("/") if args.section is not None else "catalogue")
    catalogue = pipeline.prepare(arguments.options(args), with_findings=False).require_valid()
    made = export(args.export_format, catalogue, addresses)
    for note in made.notes:
        print(f"service-catalogue export: note: {one_line(note)}", file=sys.stderr)
    if args.output == "-":
        sys.stdout.write(made.text)
        return EXIT_OK
    target = Path(args.output)
    try:
        target.write_text(made.text, encoding="utf-8", newline="")
    except OSError as exc:
        print(f"service-catalogue export: cannot write {one_line(target)}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {one_line(target)} ({FORMATS[args.export_format].summary.split(':')[0]})")
    return EXIT_OK
