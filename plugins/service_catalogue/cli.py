"""The command line: `service-catalogue validate`, `new`, ...

Exit codes: 0 success, 1 the catalogue has problems, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from service_catalogue import KINDS, __version__
from service_catalogue.validation.loader import DEFAULT_MAX_FILE_BYTES, MAX_FILE_SIZE_LIMIT, LoadLimits
from service_catalogue.validation.problems import FORMATTERS, one_line

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

# Commands that live in their own modules add themselves here: each is a
# function register(subparsers) that adds a sub-parser with a `handler`.
EXTRA_COMMANDS: list = []

from service_catalogue.analysis.command import register as _register_check  # noqa: E402

EXTRA_COMMANDS.append(_register_check)

from service_catalogue.scaffolding import register as _register_init  # noqa: E402

EXTRA_COMMANDS.append(_register_init)

from service_catalogue.diff.command import register as _register_diff  # noqa: E402

EXTRA_COMMANDS.append(_register_diff)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with a pointer to --help
        self.print_usage(sys.stderr)
        # The message quotes what was typed, which may hold control characters.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)}\nTry '{self.prog} --help' for more.\n")


_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def _size(text: str) -> int:
    match = re.fullmatch(r"\s*([0-9]+)\s*(?:([kKmMgG])i?[bB]?)?\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected a size such as 1048576, 512KiB or 2MiB, got {text!r}")
    size = int(match.group(1)) * _UNITS[(match.group(2) or "").lower()]
    if size > MAX_FILE_SIZE_LIMIT:
        raise argparse.ArgumentTypeError(f"at most 1GiB ({MAX_FILE_SIZE_LIMIT} bytes), got {text!r}")
    return size


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="service-catalogue",
        description="An ITIL service catalogue kept as code: check YAML records, create new ones, "
        "and render them for the web.",
        epilog="Run 'service-catalogue COMMAND --help' for the options of a command. "
        "Exit codes: 0 success, 1 problems found, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser(
        "validate",
        help="check every record of a catalogue folder",
        description="Check every YAML record under CATALOGUE_DIR against the format (JSON Schema), then "
        "references, ids, cycles, dates and time zones. All problems are reported at once, each with "
        "file:line:column, the field and a hint.",
    )
    validate.add_argument("catalogue", nargs="?", default="catalogue", metavar="CATALOGUE_DIR",
                          help="the folder of YAML records (default: catalogue)")
    validate.add_argument("--format", choices=sorted(FORMATTERS), default="text",
                          help="text for people (default), json for tools, github for GitHub Actions annotations")
    validate.add_argument("--max-file-size", type=_size, default=DEFAULT_MAX_FILE_BYTES, metavar="BYTES",
                          help="refuse files larger than this (default: 1MiB; accepts KiB, MiB and GiB; at most 1GiB)")
    validate.set_defaults(handler=run_validate)

    new = commands.add_parser(
        "new",
        help="write a commented skeleton record",
        description="Write a commented skeleton record of KIND with id ID into the conventional "
        "sub-folder of the catalogue (services/, agreements/, parties/, calendars/, glossary/). "
        "An existing file is never overwritten.",
    )
    new.add_argument("kind", metavar="KIND", help=f"one of {', '.join(KINDS)} (any case)")
    new.add_argument("id", metavar="ID", help="the new record's id: lower-case letters, digits and hyphens")
    new.add_argument("--catalogue", default="catalogue", metavar="DIR", help="the catalogue folder (default: catalogue)")
    new.set_defaults(handler=run_new)

    render = commands.add_parser(
        "render",
        help="write the generated Markdown pages to a folder",
        description="Validate the catalogue and write the Markdown pages that the MkDocs plugin would "
        "generate into OUTDIR, so that other site generators can use them. Files already in OUTDIR "
        "with the same names are replaced; nothing else there is touched.",
    )
    render.add_argument("outdir", metavar="OUTDIR", help="the folder to write the pages into")
    render.add_argument("--catalogue", default="catalogue", metavar="DIR", help="the catalogue folder (default: catalogue)")
    render.add_argument("--section", default="catalogue", metavar="PATH", type=_render_section,
                        help="the sub-folder of OUTDIR for the pages, a relative path inside it "
                        "(default: catalogue; \"\" for OUTDIR itself)")
    render.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="the date that date-dependent text is written against (default: today)")
    render.add_argument("--templates", default=None, metavar="DIR", help="a folder of templates that replace ours")
    render.set_defaults(handler=run_render)

    for register in EXTRA_COMMANDS:
        register(commands)
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date written YYYY-MM-DD, got {text!r}") from None


def _render_section(text: str) -> str:
    from service_catalogue.site.pages import check_section

    try:
        return check_section(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected a folder inside OUTDIR, such as `catalogue` or `docs/catalogue`, not {text!r}: {exc}"
        ) from None


def run_render(args) -> int:
    from service_catalogue.analysis import analyse
    from service_catalogue.validation.folder import validate_folder
    from service_catalogue.model import Catalogue
    from service_catalogue.validation.problems import format_text
    from service_catalogue.options import Options
    from service_catalogue.site import SiteRenderer
    from service_catalogue.site.pages import RenderError
    from service_catalogue.validation.schemas import load_schemas

    out = Path(args.outdir)
    if out.exists() and not out.is_dir():
        print(f"service-catalogue render: OUTDIR {out} is a file, not a folder", file=sys.stderr)
        return EXIT_USAGE
    result = validate_folder(Path(args.catalogue))
    if not result.ok:
        print(format_text(result.problems, result.total))
        return EXIT_INVALID
    templates = Path(args.templates) if args.templates else None
    if templates and not templates.is_dir():
        print(f"service-catalogue render: the templates folder {templates} does not exist", file=sys.stderr)
        return EXIT_USAGE
    options = Options(catalogue=Path(args.catalogue), as_of=args.as_of or dt.date.today(), section=args.section, templates=templates)
    catalogue = Catalogue(result.records)
    # The health page and the record pages show the service level findings.
    findings = analyse(catalogue, as_of=options.as_of, ending_days=options.ending_days)
    # Every page is rendered before the first is written: a page that fails writes nothing.
    try:
        renderer = SiteRenderer(options)
        renderer.check_templates()
        pages = renderer.pages(catalogue, load_schemas(), findings=findings)
    except RenderError as exc:
        print(f"service-catalogue render: {exc}", file=sys.stderr)
        return EXIT_INVALID
    targets = [(out / page.path, page.markdown) for page in pages]
    in_the_way = _not_folders({target.parent for target, _ in targets}) + [t for t, _ in targets if t.is_dir()]
    if in_the_way:
        for path in in_the_way:
            kind = "a folder, not a file" if path.is_dir() else "a file, not a folder"
            print(f"service-catalogue render: {path} is {kind}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    for target, markdown in targets:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        except OSError as exc:
            print(f"service-catalogue render: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_INVALID
    print(f"wrote {len(pages)} pages under {out / options.section}")
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


def run_validate(args) -> int:
    from service_catalogue.validation.folder import validate_folder

    result = validate_folder(Path(args.catalogue), LoadLimits(max_file_bytes=args.max_file_size))
    records = result.total
    output = FORMATTERS[args.format](result.problems, records)
    stream = sys.stdout
    print(output, file=stream)
    return EXIT_OK if result.ok else EXIT_INVALID


def run_new(args) -> int:
    from service_catalogue.validation.schemas import RESERVED_IDS, did_you_mean
    from service_catalogue.skeletons import FOLDERS, skeleton

    kinds = {k.lower(): k for k in KINDS}
    kind = kinds.get(args.kind.lower())
    if kind is None:
        hint = did_you_mean(args.kind, KINDS) or f"use one of {', '.join(KINDS)}"
        print(one_line(f"service-catalogue new: unknown kind '{args.kind}': {hint}"), file=sys.stderr)
        return EXIT_USAGE
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", args.id):
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
    target = Path(args.catalogue) / FOLDERS[kind] / f"{args.id}.yaml"
    from service_catalogue.scaffolding import local_schema_reference

    text = skeleton(kind, args.id, dt.date.today().isoformat(), schema=local_schema_reference(target, kind))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        print(one_line(f"service-catalogue new: {target} already exists; not overwritten"), file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        print(one_line(f"service-catalogue new: cannot write {target}: {exc.strerror or exc}"), file=sys.stderr)
        return EXIT_INVALID
    print(one_line(f"wrote {target}"))
    return EXIT_OK


def _tolerant_output() -> None:
    """A console that cannot show a character (ASCII, cp1252) gets \\u escapes, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):  # not a text file (tests pass StringIO)
            pass


def main(argv: list[str] | None = None) -> int:
    _tolerant_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
