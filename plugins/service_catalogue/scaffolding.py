"""`service-catalogue init`: a new catalogue repository, ready to build, check and publish.

The texts come from the package `service_catalogue.scaffold` (template files
with `@@NAME@@` placeholders). `init` writes every file or none: when any of
them already exists, it lists the conflicts and writes nothing (unless
`--skip-existing` says to keep those and write the rest).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from service_catalogue import API_VERSION, __version__
from service_catalogue.validation.problems import one_line

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
# Where init puts the copy of the schemas, relative to the repository root.
SCHEMA_COPY = ".service-catalogue/schema"

# (template in the scaffold package, path in the new repository)
FILES = (
    ("mkdocs.yml", "mkdocs.yml"),
    ("index.md", "docs/index.md"),
    ("records/parties.yaml", "catalogue/parties/organisation.yaml"),
    ("records/calendar.yaml", "catalogue/calendars/business-hours.yaml"),
    ("records/service.yaml", "catalogue/services/email.yaml"),
    ("records/agreement.yaml", "catalogue/agreements/sla-email.yaml"),
    ("records/glossary.yaml", "catalogue/glossary/terms.yaml"),
    ("github-workflow.yml", ".github/workflows/catalogue.yml"),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    ("vscode-settings.json", ".vscode/settings.json"),
    ("vscode-extensions.json", ".vscode/extensions.json"),
    ("requirements.txt", "requirements.txt"),
    ("gitignore", ".gitignore"),
    ("schema-readme.md", f"{SCHEMA_COPY}/README.md"),
)

_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


@dataclass
class Planned:
    path: str  # relative to the target folder, with "/"
    text: str


def fill(template: str, values: dict[str, str]) -> str:
    """Replace every @@NAME@@; an unknown name is a bug in the scaffold, so it raises."""

    def one(match):
        name = match.group(1)
        if name not in values:
            raise KeyError(f"the scaffold uses @@{name}@@, which init does not know")
        return values[name]

    return _PLACEHOLDER.sub(one, template)


def _in_a_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def plan(site_name: str = "Service catalogue", today: dt.date | None = None) -> list[Planned]:
    """Every file that init writes, with its text."""
    from service_catalogue.site.text import plain
    from service_catalogue.validation.schemas import SCHEMA_BASE_URL

    today = today or dt.date.today()
    name = " ".join(site_name.split())
    values = {
        "SITE_NAME_YAML": _yaml_string(html.escape(name, quote=False)),
        "SITE_NAME_MARKDOWN": plain(name),
        "VERSION": __version__,
        "API_VERSION": API_VERSION,
        "SCHEMA_BASE_URL": SCHEMA_BASE_URL,
        "TODAY": today.isoformat(),
        "REVIEW_DATE": _in_a_year(today).isoformat(),
        "YEAR": str(today.year),
        "NEXT_YEAR": str(today.year + 1),
    }
    planned = []
    for template, target in FILES:
        folder = posixpath_dirname(target)
        # The records' `$schema` comments point at the local copy, relative to the record.
        values["SCHEMAS"] = os.path.relpath(SCHEMA_COPY, folder or ".").replace(os.sep, "/") + "/"
        planned.append(Planned(target, fill((SCAFFOLD / template).read_text("utf-8"), values)))
    planned.extend(schema_files())
    return planned


def schema_files() -> list[Planned]:
    """The JSON Schemas, copied byte for byte into .service-catalogue/schema/."""
    from service_catalogue.validation.schemas import schema_files

    return [Planned(f"{SCHEMA_COPY}/{name}", text) for name, text in schema_files().items()]


def posixpath_dirname(path: str) -> str:
    return path.rpartition("/")[0]


def local_schema_reference(record_file: Path, kind: str) -> str | None:
    """The relative path from a record to the local copy of its kind's schema, if the
    repository has one (made by init); None otherwise.

    Looks in the record's folder and its parents, stopping at the repository root
    (a folder with .git or mkdocs.yml).
    """
    folder = Path(record_file).parent.resolve()
    name = f"{kind.lower()}.json"
    for candidate in (folder, *folder.parents):
        schema = candidate / SCHEMA_COPY / name
        if schema.is_file():
            return os.path.relpath(schema, folder).replace(os.sep, "/")
        if (candidate / ".git").exists() or (candidate / "mkdocs.yml").is_file():
            return None
    return None


# --------------------------------------------------------------------------
# The command


def register(subparsers) -> None:
    init = subparsers.add_parser(
        "init",
        help="scaffold a new catalogue repository",
        description="Write a working catalogue repository into DIR: mkdocs.yml with the plugin and "
        "recommended Material settings, catalogue/ with one commented example record of each kind, "
        "docs/index.md, a GitHub Actions workflow (validate with annotations, comment the semantic "
        "diff on pull requests), .pre-commit-config.yaml, VS Code settings for YAML completion and "
        "validation, a local copy of the JSON Schemas in .service-catalogue/schema/, requirements.txt "
        "and .gitignore. Existing files are never overwritten: if any of these files already exists, "
        "init lists them, writes nothing and exits 1 (unless --skip-existing).",
        epilog="Then: pip install -r requirements.txt, and mkdocs serve --livereload to preview.",
    )
    init.add_argument("directory", nargs="?", default=".", metavar="DIR",
                      help="the repository folder, created if missing (default: the current folder)")
    init.add_argument("--site-name", default="Service catalogue", metavar="NAME",
                      help="the site_name in mkdocs.yml and the title of docs/index.md (default: Service catalogue)")
    init.add_argument("--skip-existing", action="store_true",
                      help="keep the files that already exist and write only the missing ones")
    init.add_argument("--update-schemas", action="store_true",
                      help=f"only refresh the copy of the schemas in {SCHEMA_COPY}/ (it replaces "
                      "older copies); run it after upgrading service-catalogue")
    init.set_defaults(handler=run_init)


def _say(message: str) -> None:
    print(one_line(message), file=sys.stderr)


# Decision 1's set, as the schemas refuse it in single-line fields: controls (TAB and
# line breaks included), the line and paragraph separators, and the bidi controls.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def site_name_problem(name: str) -> str | None:
    """Why name cannot be a site name (a title on one line), or None."""
    if not name.strip():
        return "must be one non-empty line"
    for character in name:
        if character in "\r\n\u2028\u2029":
            return "must be one non-empty line"
        category = unicodedata.category(character)
        if category in ("Cc", "Cs") or character in _BIDI_CONTROLS:
            # Cs: a byte of the command line that is not UTF-8 (Python keeps it as a lone surrogate).
            what = {"Cc": "a control character", "Cs": "a byte that is not UTF-8"}.get(category, "")
            return f"must be plain text, but holds U+{ord(character):04X} ({unicodedata.name(character, what)})"
    return None


def run_init(args: argparse.Namespace) -> int:
    root = Path(args.directory)
    if root.exists() and not root.is_dir():
        _say(f"service-catalogue init: {root} exists and is not a folder")
        return EXIT_FAILED
    if args.update_schemas:
        return _write(root, schema_files(), overwrite=True)
    problem = site_name_problem(args.site_name)
    if problem:
        _say(f"service-catalogue init: --site-name {problem}")
        return EXIT_USAGE
    planned = plan(site_name=args.site_name)
    existing = [item for item in planned if os.path.lexists(root / item.path)]
    if existing and not args.skip_existing:
        _say(f"service-catalogue init: {len(existing)} file{'s' * (len(existing) != 1)} already exist in {root}; "
             "nothing was written:")
        for item in existing:
            _say(f"  {item.path}")
        _say("Move them away, or run again with --skip-existing to write only the missing files.")
        return EXIT_FAILED
    for item in existing:
        print(one_line(f"kept {item.path} (it already exists)"))
    todo = [item for item in planned if item not in existing]
    status = _write(root, todo, overwrite=False)
    if status == EXIT_OK:
        where = "" if root.resolve() == Path.cwd().resolve() else f"cd {one_line(root)} && "
        print(
            "\nNext steps:\n"
            f"  {where}pip install -r requirements.txt\n"
            "  service-catalogue validate          # check the records\n"
            "  mkdocs serve --livereload           # preview at http://127.0.0.1:8000\n"
            "  mkdocs build --strict               # build the site into site/"
        )
    return status


def _yaml_string(text: str) -> str:
    """text as a YAML double-quoted scalar, always: unquoted, `No`, `2026`, `null` or `~`
    would be read as a boolean, a number or null, and `#`, `: `, `{` or `*` as syntax.
    A JSON string is a YAML double-quoted scalar; what YAML may refuse raw (format
    characters, for one) is written as a \\u or \\U escape."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}" for c in quoted)


def _write(root: Path, items: list[Planned], overwrite: bool) -> int:
    for item in items:
        target = root / item.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w" if overwrite else "x", encoding="utf-8", newline="\n") as handle:
                handle.write(item.text)
        except FileExistsError:  # appeared since we looked
            _say(f"service-catalogue init: {item.path} appeared meanwhile; not overwritten")
            return EXIT_FAILED
        except OSError as exc:
            _say(f"service-catalogue init: cannot write {target}: {exc.strerror or exc}")
            return EXIT_FAILED
        print(one_line(f"wrote {item.path}"))
    return EXIT_OK
