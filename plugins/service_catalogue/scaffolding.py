"""The files of a new catalogue repository (`service-catalogue init`): planned, then written.

The texts come from the data package `service_catalogue.scaffold` (template
files with `@@NAME@@` placeholders). `plan` says what each file will hold,
`existing` which of them are already there, and `write_files` writes them and
returns what it did; the command (cli/init.py) decides what to say about it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from service_catalogue.version import API_VERSION, __version__
from service_catalogue.kinds import KIND_BY_NAME

# Where init puts the copy of the schemas, relative to the repository root.
SCHEMA_COPY = ".service-catalogue/schema"
DEFAULT_SITE_NAME = "Service catalogue"

# (template in the scaffold package, path in the new repository); the path of a file of
# records is (kind, file name): it goes into that kind's folder of the catalogue.
FILES: tuple[tuple[str, str | tuple[str, str]], ...] = (
    ("mkdocs.yml", "mkdocs.yml"),
    ("index.md", "docs/index.md"),
    ("records/parties.yaml", ("Party", "organisation.yaml")),
    ("records/calendar.yaml", ("Calendar", "business-hours.yaml")),
    ("records/service.yaml", ("Service", "email.yaml")),
    ("records/agreement.yaml", ("Agreement", "sla-email.yaml")),
    ("records/glossary.yaml", ("Term", "terms.yaml")),
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
    """One file of the new repository."""

    path: str  # relative to the target folder, with "/"
    text: str


@dataclass
class Written:
    """What write_files did: the files it wrote, in order, and the error it stopped at, if any."""

    paths: list[str] = field(default_factory=list)
    failed: str | None = None  # the planned path it could not write
    # FileExistsError: the file appeared after `existing` looked (it is never overwritten).
    error: OSError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


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


def plan(site_name: str = DEFAULT_SITE_NAME, today: dt.date | None = None, site_url: str | None = None,
         requirement: Requirement | None = None) -> list[Planned]:
    """Every file that init writes, with its text; site_url (checked by site_url_problem), or
    none for a commented-out example; requirement, or the one that installs this copy."""
    from service_catalogue.site.text import plain
    from service_catalogue.validation.schemas import SCHEMA_BASE_URL

    today = today or dt.date.today()
    requirement = requirement or installed_requirement()
    name = " ".join(site_name.split())
    values = {
        "SITE_NAME_YAML": _yaml_string(html.escape(name, quote=False)),
        "SITE_NAME_MARKDOWN": plain(name),
        "SITE_URL_LINE": f"site_url: {_yaml_string(site_url_of(site_url))}" if site_url else f"# site_url: {EXAMPLE_SITE_URL}",
        "VERSION": __version__,
        "REQUIREMENT": requirement.line,
        "REQUIREMENT_SOURCE": "\n".join(f"# {line}" for line in requirement.source.split("\n")),
        "API_VERSION": API_VERSION,
        "SCHEMA_BASE_URL": SCHEMA_BASE_URL,
        "TODAY": today.isoformat(),
        "REVIEW_DATE": _in_a_year(today).isoformat(),
        "YEAR": str(today.year),
        "NEXT_YEAR": str(today.year + 1),
    }
    planned = []
    for template, place in FILES:
        target = place if isinstance(place, str) else f"catalogue/{KIND_BY_NAME[place[0]].folder}/{place[1]}"
        folder = posixpath_dirname(target)
        # The records' `$schema` comments point at the local copy, relative to the record.
        values["SCHEMAS"] = os.path.relpath(SCHEMA_COPY, folder or ".").replace(os.sep, "/") + "/"
        planned.append(Planned(target, fill(_template(template), values)))
    planned.extend(schema_files())
    return planned


def _template(name: str) -> str:
    """The text of a template of the scaffold package; name may hold "/"."""
    resource = resources.files("service_catalogue.scaffold")
    for part in name.split("/"):
        resource = resource.joinpath(part)
    return resource.read_text("utf-8")


def schema_files() -> list[Planned]:
    """The JSON Schemas, copied byte for byte into .service-catalogue/schema/."""
    from service_catalogue.validation.schemas import schema_files

    return [Planned(f"{SCHEMA_COPY}/{name}", text) for name, text in schema_files().items()]


def posixpath_dirname(path: str) -> str:
    return path.rpartition("/")[0]


def existing(root: Path, planned: list[Planned]) -> list[Planned]:
    """The planned files that are already there (a dangling link counts: it is not free)."""
    return [item for item in planned if os.path.lexists(root / item.path)]


def local_schema_reference(record_file: Path, kind: str) -> str | None:
    """The relative path from a record to the local copy of its kind's schema, if the
    repository has one (made by init); None otherwise.

    Looks in the record's folder and its parents, stopping at the repository root
    (a folder with .git or mkdocs.yml).
    """
    folder = Path(record_file).parent.resolve()
    name = KIND_BY_NAME[kind].schema_file
    for candidate in (folder, *folder.parents):
        schema = candidate / SCHEMA_COPY / name
        if schema.is_file():
            return os.path.relpath(schema, folder).replace(os.sep, "/")
        if (candidate / ".git").exists() or (candidate / "mkdocs.yml").is_file():
            return None
    return None


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


EXAMPLE_SITE_URL = "https://catalogue.example.org/"


def site_url_problem(url: str) -> str | None:
    """Why url cannot be a site's address (site_url), or None."""
    from urllib.parse import urlsplit

    shown = repr(url) if url.isprintable() else ascii(url)
    expected = f"must be the address the site is published at, such as {EXAMPLE_SITE_URL}"
    if not url.isprintable() or any(c.isspace() for c in url):
        return f"{expected}, with no spaces or control characters: not {shown}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as error:
        return f"{expected}: not {shown} ({error})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        guess = f"https://{url}"
        hint = f"; did you mean {guess}?" if "://" not in url and url and site_url_problem(guess) is None else ""
        return f"{expected} (http:// or https://, then the host): not {shown}{hint}"
    if parts.query or parts.fragment:
        return f"{expected}, with no ?query or #fragment: not {shown}"
    return None


def site_url_of(url: str) -> str:
    """url as site_url: a folder, ending in "/" (MkDocs adds it too)."""
    return url if url.endswith("/") else url + "/"



# --------------------------------------------------------------------------
# The requirement: the one line of requirements.txt that installs service-catalogue
#
# CI installs from requirements.txt, so it must name exactly the code the catalogue was
# written for, from a place CI can reach. service-catalogue is not on a package index yet,
# and a bare name (service-catalogue~=0.1.0) installs whatever anyone publishes under it
# there; so the line is a git URL at a full commit, unless this copy came from an index.
# init reads how this copy was installed (PEP 610: pip's direct_url.json), since the
# package cannot know the commit it will be published at.

SOURCE_REPOSITORY = "https://github.com/northbridge-it/service-catalogue"
DISTRIBUTION = "service-catalogue"
PLACEHOLDER_COMMIT = "<full commit SHA>"  # pip refuses the line as written (the spaces), at once
_COMMIT = re.compile(r"[0-9a-f]{40}")
_NAME = re.compile(r"\s*service[-_.]catalogue(?![\w.-])\s*(.*)", re.IGNORECASE)
_VERSION = re.compile(r"==\s*[0-9][0-9A-Za-z.+!_-]*")
_GIT_URL = re.compile(r"git\+(https|ssh)://[^\s@/]+(@[^\s/]+)?/\S+@([0-9a-f]{40})(#subdirectory=[^\s#]+)?")
_ARCHIVE_URL = re.compile(r"https://\S+#sha256=[0-9a-f]{64}")


@dataclass(frozen=True)
class Requirement:
    """What requirements.txt says about service-catalogue."""

    line: str  # the requirement pip reads
    source: str  # where it comes from, for the file's comment (one or more lines)
    pinned: bool = True  # False: the line names a placeholder commit, which pip refuses


def placeholder_requirement(why: str) -> Requirement:
    line = f"{DISTRIBUTION} @ git+{SOURCE_REPOSITORY}@{PLACEHOLDER_COMMIT}"
    return Requirement(line, f"{why}\nReplace {PLACEHOLDER_COMMIT} in the requirement with the commit to install "
                       "(pip refuses it until then).", pinned=False)


def given_requirement(text: str) -> Requirement:
    """The requirement given with init --requirement (checked by requirement_problem)."""
    return Requirement(text.strip(), f"Given to init with --requirement (init ran service-catalogue {__version__}).")


def requirement_problem(text: str) -> str | None:
    """Why text cannot be the requirement that installs service-catalogue, or None.

    Pinned means one version for good: a git URL at a full commit, an https archive
    with its sha256, or == a version (then from the index pip is told to use)."""
    example = f"such as '{DISTRIBUTION} @ git+{SOURCE_REPOSITORY}@COMMIT' with a full 40-character commit SHA"
    shown = repr(text) if text.isprintable() else ascii(text)
    if not text.isprintable():
        return f"must be one line of plain text, not {shown}"
    named = _NAME.fullmatch(text)
    if not named:
        return f"must name {DISTRIBUTION}, {example}: not {shown}"
    rest = named.group(1).rstrip()
    if _VERSION.fullmatch(rest):
        return None
    url = rest[1:].strip() if rest.startswith("@") else ""
    if url.startswith("git+"):
        if _GIT_URL.fullmatch(url):
            return None
        return (f"must pin a commit: end the git URL with @ and a full 40-character commit SHA "
                f"(a branch or a tag can move): not {shown}")
    if url.startswith("https://") and "#sha256=" not in url:
        return f"must pin the archive: end its URL with #sha256= and the file's hash: not {shown}"
    if _ARCHIVE_URL.fullmatch(url):
        return None
    return f"must pin one version, {example}, or '{DISTRIBUTION}==VERSION': not {shown}"


def installed_requirement() -> Requirement:
    """The requirement that installs this very copy of service-catalogue (see requirement_installing)."""
    from importlib import metadata

    try:
        direct_url = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return placeholder_requirement(f"This service-catalogue {__version__} is not installed: it runs from its source.")
    return requirement_installing(direct_url)


def requirement_installing(direct_url: str | None) -> Requirement:
    """The requirement that installs what a distribution's direct_url.json (PEP 610) says it
    was installed from; pip writes one for a URL, a file or a folder, and none for a name it
    found on an index (direct_url None)."""
    if direct_url is None:
        return Requirement(f"{DISTRIBUTION}=={__version__}",
                           f"service-catalogue {__version__} was installed from a package index. If that index is not\n"
                           "PyPI, add a line that names it: --index-url https://your-index.example.org/simple")
    try:
        record = json.loads(direct_url)
        url = str(record["url"])
    except (ValueError, KeyError, TypeError):
        return placeholder_requirement(f"This service-catalogue {__version__} does not say where it was installed from.")
    vcs = record.get("vcs_info") or {}
    commit = str(vcs.get("commit_id", ""))
    portable = url.startswith(("https://", "ssh://")) and url.isprintable() and not any(c.isspace() for c in url)
    if vcs.get("vcs") == "git" and _COMMIT.fullmatch(commit):
        subdirectory = record.get("subdirectory")
        line = f"{DISTRIBUTION} @ git+{url}@{commit}" + (f"#subdirectory={subdirectory}" if subdirectory else "")
        if portable and requirement_problem(line) is None:
            return Requirement(line, f"The commit this service-catalogue {__version__} was installed from.")
        if url.startswith("file:"):
            return placeholder_requirement(f"This service-catalogue {__version__} was installed from a git repository on this "
                                           f"machine (commit\n{commit}), which CI cannot reach: if that commit is pushed, it will do.")
    archive = record.get("archive_info") or {}
    sha256 = (archive.get("hashes") or {}).get("sha256", "")
    if archive and url.startswith("https://") and portable and re.fullmatch(r"[0-9a-f]{64}", str(sha256)):
        return Requirement(f"{DISTRIBUTION} @ {url}#sha256={sha256}",
                           f"The archive this service-catalogue {__version__} was installed from, with its hash.")
    if url.startswith("file:"):
        where = "a folder" if "dir_info" in record else "a file"
        return placeholder_requirement(f"This service-catalogue {__version__} was installed from {where} on this machine, "
                                       "which CI cannot reach.")
    return placeholder_requirement(f"This service-catalogue {__version__} was installed from an address with no commit or hash:\n"
                                   "what it serves can change.")


def _yaml_string(text: str) -> str:
    """text as a YAML double-quoted scalar, always: unquoted, `No`, `2026`, `null` or `~`
    would be read as a boolean, a number or null, and `#`, `: `, `{` or `*` as syntax.
    A JSON string is a YAML double-quoted scalar; what YAML may refuse raw (format
    characters, for one) is written as a \\u or \\U escape."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}" for c in quoted)


def write_files(root: Path, items: list[Planned], overwrite: bool) -> Written:
    """Write items under root, their folders too, in order, stopping at the first that fails.

    overwrite=False never replaces a file: one that appeared since `existing` looked
    stops the writing with FileExistsError."""
    written = Written()
    for item in items:
        target = root / item.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w" if overwrite else "x", encoding="utf-8", newline="\n") as handle:
                handle.write(item.text)
        except OSError as exc:
            written.failed, written.error = item.path, exc
            return written
        written.paths.append(item.path)
    return written
