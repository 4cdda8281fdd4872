"""`service-catalogue init [DIR]`: scaffold a new catalogue repository.

`init` writes every file or none: when any of them already exists, it lists
the conflicts and writes nothing (unless --skip-existing says to keep those
and write the rest). Exit codes: 0 written, 1 a conflict or a file that could
not be written, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service_catalogue import scaffolding
from service_catalogue.cli.console import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from service_catalogue.report.escape import one_line

SUMMARY = "scaffold a new catalogue repository"
DESCRIPTION = (
    "Write a working catalogue repository into DIR: mkdocs.yml with the plugin and "
    "recommended Material settings, catalogue/ with one commented example record of each kind, "
    "docs/index.md, a GitHub Actions workflow (validate with annotations, comment the semantic "
    "diff on pull requests), .pre-commit-config.yaml, VS Code settings for YAML completion and "
    "validation, a local copy of the JSON Schemas in .service-catalogue/schema/, requirements.txt "
    "and .gitignore. Existing files are never overwritten: if any of these files already exists, "
    "init lists them, writes nothing and exits 1 (unless --skip-existing)."
)
EPILOG = "Then: pip install -r requirements.txt, and mkdocs serve --livereload to preview."

NEXT_STEPS = (
    "\nNext steps:\n"
    "  {where}pip install -r requirements.txt\n"
    "  service-catalogue validate          # check the records\n"
    "  mkdocs serve --livereload           # preview at http://127.0.0.1:8000\n"
    "  mkdocs build --strict               # build the site into site/"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", nargs="?", default=".", metavar="DIR",
                        help="the repository folder, created if missing (default: the current folder)")
    parser.add_argument("--site-name", default=scaffolding.DEFAULT_SITE_NAME, metavar="NAME",
                        help="the site_name in mkdocs.yml and the title of docs/index.md "
                        f"(default: {scaffolding.DEFAULT_SITE_NAME})")
    parser.add_argument("--site-url", metavar="URL",
                        help="the address the site will be published at, as site_url in mkdocs.yml "
                        f"(such as {scaffolding.EXAMPLE_SITE_URL}); canonical links, navigation.instant "
                        "and mike's versions need it (default: left out, as a comment)")
    parser.add_argument("--requirement", metavar="SPEC",
                        help="the line of requirements.txt that installs service-catalogue, pinned: "
                        f"'{scaffolding.DISTRIBUTION} @ git+URL@COMMIT' with a full commit SHA, or "
                        f"'{scaffolding.DISTRIBUTION}==VERSION' (default: the commit or version this copy was "
                        "installed from, when pip recorded one)")
    parser.add_argument("--skip-existing", action="store_true",
                        help="keep the files that already exist and write only the missing ones")
    parser.add_argument("--update-schemas", action="store_true",
                        help=f"only refresh the copy of the schemas in {scaffolding.SCHEMA_COPY}/ (it replaces "
                        "older copies); run it after upgrading service-catalogue")


def _say(message: str) -> None:
    print(one_line(message), file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    root = Path(args.directory)
    if root.exists() and not root.is_dir():
        _say(f"service-catalogue init: {root} exists and is not a folder")
        return EXIT_PROBLEMS
    if args.update_schemas:
        return _report(root, scaffolding.write_files(root, scaffolding.schema_files(), overwrite=True))
    problem = scaffolding.site_name_problem(args.site_name)
    if problem:
        _say(f"service-catalogue init: --site-name {problem}")
        return EXIT_USAGE
    problem = scaffolding.site_url_problem(args.site_url) if args.site_url is not None else None
    if problem:
        _say(f"service-catalogue init: --site-url {problem}")
        return EXIT_USAGE
    problem = scaffolding.requirement_problem(args.requirement) if args.requirement is not None else None
    if problem:
        _say(f"service-catalogue init: --requirement {problem}")
        return EXIT_USAGE
    requirement = (scaffolding.given_requirement(args.requirement) if args.requirement is not None
                   else scaffolding.installed_requirement())
    planned = scaffolding.plan(site_name=args.site_name, site_url=args.site_url, requirement=requirement)
    existing = scaffolding.existing(root, planned)
    if existing and not args.skip_existing:
        _say(f"service-catalogue init: {len(existing)} file{'s' * (len(existing) != 1)} already exist in {root}; "
             "nothing was written:")
        for item in existing:
            _say(f"  {item.path}")
        _say("Move them away, or run again with --skip-existing to write only the missing files.")
        return EXIT_PROBLEMS
    for item in existing:
        print(one_line(f"kept {item.path} (it already exists)"))
    todo = [item for item in planned if item not in existing]
    written = scaffolding.write_files(root, todo, overwrite=False)
    status = _report(root, written)
    if "requirements.txt" in written.paths and not requirement.pinned:
        _say(f"note: requirements.txt pins no commit yet. {' '.join(requirement.source.split())}")
    if status == EXIT_OK:
        where = "" if root.resolve() == Path.cwd().resolve() else f"cd {one_line(root)} && "
        print(NEXT_STEPS.format(where=where))
    return status


def _report(root: Path, written: scaffolding.Written) -> int:
    """Say which files were written, and why the writing stopped if it did."""
    for path in written.paths:
        print(one_line(f"wrote {path}"))
    if written.ok:
        return EXIT_OK
    error, failed = written.error, written.failed
    assert error is not None and failed is not None  # write_files sets both where it stops
    if isinstance(error, FileExistsError):
        _say(f"service-catalogue init: {failed} appeared meanwhile; not overwritten")
    else:
        _say(f"service-catalogue init: cannot write {root / failed}: {error.strerror or error}")
    return EXIT_PROBLEMS
