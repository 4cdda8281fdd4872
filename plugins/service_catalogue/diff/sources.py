"""Load one side of a comparison: a catalogue folder, or a git revision of one.

A revision is read straight from git's object store (`git ls-tree` and
`git cat-file --batch`), never checked out, so the working tree and the index
are left alone and the comparison works in a shallow CI clone as well.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from service_catalogue.errors import DiffSourceError
from service_catalogue.validation.folder import ValidationResult, validate_files, validate_folder
# The loader's private byte-level checks (UTF-8 with a located error, BOM) are
# reused for blobs on purpose, so that a file reads the same from git as from disk.
from service_catalogue.validation.loader import YAML_SUFFIXES, FileResult, LoadLimits, read_bytes

WORKING_TREE = None  # HEAD given as nothing: the catalogue folder in the working tree


@dataclass
class Side:
    """One loaded side: what it is called and the catalogue validated from it."""

    spec: str  # what the user typed, or "working tree"
    label: str  # for people: "origin/main (1a2b3c4)", "folder old/catalogue"
    kind: str  # "git" or "folder"
    revision: str | None  # the full commit id of a git side
    validation: ValidationResult

    @property
    def records(self):
        return self.validation.records


def load_side(spec: str | None, repo: Path, catalogue: str, limits: LoadLimits = LoadLimits()) -> Side:
    """A folder if spec names an existing folder, the working tree if spec is None, else a revision."""
    if spec is WORKING_TREE:
        folder = repo / catalogue
        if not folder.is_dir():
            if _has_no_working_tree(repo):
                raise DiffSourceError(
                    f"{repo.resolve()} has no working tree (it is a bare repository or a .git folder), "
                    "so there is no working tree to compare: give HEAD as a revision too, e.g. `diff main HEAD`"
                )
            raise DiffSourceError(
                f"there is no catalogue folder at {_shown(folder)}; "
                "pass --catalogue DIR (its path inside the repository) or --repo DIR"
            )
        return Side("working tree", f"the working tree ({_shown(folder)})", "folder", None, validate_folder(folder, limits))
    if _is_dir(Path(spec)):
        return Side(spec, f"folder {spec}", "folder", None, validate_folder(Path(spec), limits))
    commit = resolve_revision(repo, spec)
    label = f"{spec} ({commit[:7]})"
    results = read_revision(repo, commit, catalogue, limits, label)
    return Side(spec, label, "git", commit, validate_files(results, []))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name too long for the file system is no folder either
        return False


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _git(repo: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffSourceError("git is not installed; compare two catalogue folders instead") from None


def _git_says(proc: subprocess.CompletedProcess) -> str:
    """Git's own first line of complaint, for an error message: it knows best what is wrong."""
    lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    return f" (git says: {lines[0].strip()})" if lines else ""


def _has_no_working_tree(repo: Path) -> bool:
    try:
        inside = _git(repo, "rev-parse", "--is-inside-work-tree")
    except DiffSourceError:
        return False
    return inside.returncode == 0 and inside.stdout.strip() == b"false"


def resolve_revision(repo: Path, spec: str) -> str:
    """The commit id that spec names, or a DiffSourceError that says why there is none."""
    if spec.startswith("-"):  # would be read as an option by git
        raise DiffSourceError(f"'{spec}' is not a folder or a git revision")
    inside = _git(repo, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise DiffSourceError(
            f"'{spec}' is not a folder, and {repo} is not inside a git repository to look it up as a "
            f"revision{_git_says(inside)}; pass two catalogue folders, or --repo DIR"
        )
    found = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}")
    if found.returncode != 0:
        raise DiffSourceError(
            f"unknown revision '{spec}': it is not a folder, and the git repository at {repo} has no "
            "such branch, tag or commit (in CI, fetch the base branch first, e.g. actions/checkout "
            "with fetch-depth: 0)"
        )
    return found.stdout.decode().strip()


def _catalogue_in_tree(repo: Path, catalogue: str) -> tuple[Path | None, PurePosixPath]:
    """(the top of the working tree, or None in a bare repository or a .git folder;
    the catalogue folder's path from the top of the repository's tree)."""
    if _has_no_working_tree(repo):
        # No working tree to be relative to: the path is read from the top of the tree.
        if Path(catalogue).is_absolute():
            raise DiffSourceError(
                f"--catalogue {catalogue} is an absolute path, but {repo} has no working tree "
                "(a bare repository or a .git folder): give the folder's path from the top of the repository"
            )
        top, inside = None, os.path.normpath(catalogue)
        where = str(repo)
    else:
        shown = _git(repo, "rev-parse", "--show-toplevel", "--show-prefix")
        lines = shown.stdout.decode("utf-8", "surrogateescape").splitlines()
        if shown.returncode != 0 or not lines:
            raise DiffSourceError(f"git cannot find the top of the repository at {repo}{_git_says(shown)}")
        top, prefix = Path(lines[0]), (lines[1] if len(lines) > 1 else "")
        if Path(catalogue).is_absolute():
            inside = os.path.relpath(catalogue, top)
        else:  # relative to --repo, which may be a sub-folder of the repository
            inside = os.path.normpath(os.path.join(prefix, catalogue))
        where = str(top)
    inside = inside.replace(os.sep, "/")
    if inside == ".." or inside.startswith("../"):
        raise DiffSourceError(
            f"--catalogue {catalogue} is outside the git repository at {where}: "
            "give the catalogue folder's path inside the repository"
        )
    return top, PurePosixPath(inside)


def read_revision(repo: Path, commit: str, catalogue: str, limits: LoadLimits, label: str = "") -> list[FileResult]:
    """Parse every catalogue YAML file of one commit, in path order, like load_folder does."""
    top, folder = _catalogue_in_tree(repo, catalogue)
    label = label or commit[:7]
    listing = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", str(folder))
    if listing.returncode != 0:
        raise DiffSourceError(f"git cannot list {catalogue} at {label}{_git_says(listing)}")
    blobs = []  # (object id, path from the top of the repository)
    for entry in listing.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, kind, object_id = meta.split()
        # Links and submodules are left out, as load_folder leaves out links that lead outside.
        if kind == "blob" and mode != "120000" and _is_catalogue_file(PurePosixPath(path), folder):
            blobs.append((object_id, path))
    blobs.sort(key=lambda blob: blob[1])
    contents = _read_blobs(repo, blobs, label)
    return [
        _parse_blob(data, path, top / path if top is not None else Path(path), limits)
        for (_, path), data in zip(blobs, contents)
    ]


def _is_catalogue_file(path: PurePosixPath, folder: PurePosixPath) -> bool:
    inside = path.relative_to(folder).parts if folder != PurePosixPath(".") else path.parts
    # Hidden files and folders inside the catalogue are skipped, as on disk.
    return path.name.endswith(YAML_SUFFIXES) and not any(part.startswith(".") for part in inside)


def _read_blobs(repo: Path, blobs: list[tuple[str, str]], label: str) -> list[bytes]:
    """All blobs through one `git cat-file --batch`: one process, however many files."""
    if not blobs:
        return []
    batch = _git(repo, "cat-file", "--batch", data="".join(f"{oid}\n" for oid, _ in blobs).encode())
    if batch.returncode != 0:
        raise DiffSourceError(f"git cannot read the catalogue files at {label}{_git_says(batch)}")
    out, position, contents = batch.stdout, 0, []
    for object_id, path in blobs:
        header_end = out.find(b"\n", position)
        header = out[position:header_end].split() if header_end >= 0 else []
        if len(header) != 3 or header[1] != b"blob":  # `<id> missing`: a damaged or partial clone
            raise DiffSourceError(
                f"git cannot read {path} at {label}: its object {object_id} is missing from the repository; "
                "fetch the revision again (git fetch), and run `git fsck` to see what else is missing"
            )
        size = int(header[2])
        start = header_end + 1
        contents.append(out[start : start + size])
        position = start + size + 1  # the content is followed by a newline
    return contents


def _parse_blob(data: bytes, file: str, path: Path, limits: LoadLimits) -> FileResult:
    return read_bytes(data, file, path, limits)
