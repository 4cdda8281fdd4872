"""The release check: build the sdist and the wheel, and check them as a user will get them.

    python scripts/release_check.py [--dist DIR] [--tag vX.Y.Z] [--constraints FILE]
                                    [--notes FILE] [--work DIR]

.github/workflows/release.yml runs it before anything is published, and
tests/test_release.py runs it as it is. Each step prints a line; the first that
fails stops the check with exit status 1 and says what it found.

1. The version is written once (plugins/service_catalogue/version.py), the newest
   heading of CHANGELOG.md names it and, for a tag, the tag is v<version> and
   that heading has its date.
2. `python -m build` makes the sdist, then the wheel from the sdist, from a copy of
   the working tree as git sees it (its ignored files left out), so nothing is
   written into the repository.
3. `twine check --strict`: the metadata and the README as PyPI will take them.
4. The wheel and the sdist hold every file of the package's source: the
   templates, the schemas, the vendored Mermaid, the scaffold.
5. A fresh virtual environment gets the wheel and its dependencies, then the
   wheel again by name from the dist folder, as from a package index;
   `service-catalogue --version` names the version.
6. In an empty folder outside the repository: `service-catalogue init`, then
   `validate`, then `mkdocs build --strict`; requirements.txt pins the version.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from email.parser import HeaderParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VERSION_FILE = Path("plugins/service_catalogue/version.py")
CHANGELOG = Path("CHANGELOG.md")
# Where the package's files are in the source, and where each folder goes in the wheel
# (pyproject.toml's package-dir).
PACKAGE_SOURCES = {Path("plugins/service_catalogue"): "service_catalogue", Path("schema"): "service_catalogue/json_schemas"}
DISTRIBUTION = "service-catalogue"
# A version heading of Keep a Changelog: "## [0.1.0] - 2026-12-04"; "Unreleased" while no tag has it.
HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}|Unreleased))?[ \t]*$", re.M)
TIMEOUT = 900


class CheckFailed(Exception):
    pass


_last = [time.monotonic()]


def step(message: str) -> None:
    """Say that a step passed, and how long it took (pip's share of the release check is most of it)."""
    now = time.monotonic()
    print(f"ok: {message} [{now - _last[0]:.1f} s]", flush=True)
    _last[0] = now


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, what: str = "") -> subprocess.CompletedProcess:
    """Run command; a non-zero exit fails the check with the end of its output."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        raise CheckFailed(f"{what or ' '.join(command)} exited {result.returncode}:\n" + "\n".join(output[-30:]))
    return result


# --------------------------------------------------------------------------
# 1. The version


def source_version(root: Path) -> str:
    """__version__ as version.py assigns it (read, not imported: setuptools reads it so too)."""
    tree = ast.parse((root / VERSION_FILE).read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return node.value.value
    raise CheckFailed(f"{VERSION_FILE} assigns no __version__ string")


def changelog_release(text: str) -> tuple[str, str | None]:
    """(version, date or "Unreleased") of the newest version heading; the section
    [Unreleased], which gathers what no version has yet, is not one."""
    for match in HEADING.finditer(text):
        if match["version"].lower() != "unreleased":
            return match["version"], match["date"]
    raise CheckFailed(f"{CHANGELOG} has no version heading such as '## [1.2.3] - 2026-01-31'")


def release_notes(text: str, version: str) -> str:
    """The section of CHANGELOG.md under the heading of version, without the heading."""
    headings = list(HEADING.finditer(text))
    for number, match in enumerate(headings):
        if match["version"] == version:
            end = headings[number + 1].start() if number + 1 < len(headings) else len(text)
            return text[match.end():end].strip() + "\n"
    raise CheckFailed(f"{CHANGELOG} has no heading for {version}")


def check_version(root: Path, tag: str | None) -> str:
    version = source_version(root)
    logged, date = changelog_release((root / CHANGELOG).read_text("utf-8"))
    if logged != version:
        raise CheckFailed(f"{VERSION_FILE} says {version}, but the newest heading of {CHANGELOG} is {logged}")
    said = f"version {version}: {VERSION_FILE} and {CHANGELOG} ({date or 'no date'})"
    if tag is not None:
        if tag != f"v{version}":
            raise CheckFailed(f"the tag {tag} is not v{version}, the version in {VERSION_FILE}")
        if not date or date == "Unreleased":
            raise CheckFailed(f"the tag {tag} releases {version}, but its heading in {CHANGELOG} has no date: "
                              f"write '## [{version}] - YYYY-MM-DD' (the day of the release)")
        said += f" and the tag {tag}"
    step(said)
    return version


# --------------------------------------------------------------------------
# 2-4. The sdist and the wheel


def copy_working_tree(source: Path, target: Path) -> None:
    """The files git sees in source (tracked, and new ones it does not ignore), copied to target."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=source,
                 what="git ls-files (the release check builds from a git checkout)").stdout
    for name in filter(None, listed.split("\0")):
        path = source / name
        if path.is_file():  # a tracked file deleted in the working tree is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)


def build_distributions(source: Path, dist: Path) -> tuple[Path, Path]:
    dist.mkdir(parents=True, exist_ok=True)
    for old in dist.glob("service_catalogue-*"):
        old.unlink()
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)], cwd=source, what="python -m build")
    sdists, wheels = sorted(dist.glob("service_catalogue-*.tar.gz")), sorted(dist.glob("service_catalogue-*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        raise CheckFailed(f"python -m build made {[p.name for p in sdists + wheels]}, not one sdist and one wheel")
    step(f"built {sdists[0].name} and {wheels[0].name}")
    return sdists[0], wheels[0]


def twine_check(files: list[Path]) -> None:
    result = run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)], cwd=files[0].parent,
                 what="twine check --strict")
    if result.stdout.count("PASSED") != len(files):
        raise CheckFailed(f"twine check --strict did not pass every file:\n{result.stdout}")
    step(f"twine check --strict passed {len(files)} files")


def package_files(source: Path) -> dict[str, str]:
    """Every file of the package's source: {path in the wheel: path in the sdist}."""
    files = {}
    for folder, inside in PACKAGE_SOURCES.items():
        for path in sorted((source / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                relative = path.relative_to(source / folder).as_posix()
                files[f"{inside}/{relative}"] = f"{folder.as_posix()}/{relative}"
    return files


def check_contents(source: Path, sdist: Path, wheel: Path, version: str) -> None:
    expected = package_files(source)
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
        metadata_name = f"service_catalogue-{version}.dist-info/METADATA"
        if metadata_name not in in_wheel:
            raise CheckFailed(f"{wheel.name} has no {metadata_name}")
        metadata = HeaderParser().parsestr(archive.read(metadata_name).decode("utf-8"))
    with tarfile.open(sdist) as archive:
        prefix = f"service_catalogue-{version}/"
        in_sdist = {name.removeprefix(prefix) for name in archive.getnames()}
        pkg_info = archive.extractfile(prefix + "PKG-INFO")
        sdist_version = HeaderParser().parsestr(pkg_info.read().decode("utf-8"))["Version"] if pkg_info else None
    for where, names, wanted in (("wheel", in_wheel, expected.keys()), ("sdist", in_sdist, expected.values())):
        missing = sorted(set(wanted) - names)
        if missing:
            raise CheckFailed(f"the {where} lacks {len(missing)} files of the package's source: " + ", ".join(missing[:10]))
    if metadata["Name"] != DISTRIBUTION or metadata["Version"] != version or sdist_version != version:
        raise CheckFailed(f"the wheel's metadata says {metadata['Name']} {metadata['Version']} and the sdist's "
                          f"{sdist_version}, not {DISTRIBUTION} {version}")
    step(f"the wheel and the sdist hold the {len(expected)} files of the package's source; their metadata says {version}")


# --------------------------------------------------------------------------
# 5-6. As a user gets it


def clean_environment(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def install(work: Path, dist: Path, wheel: Path, version: str, constraints: Path | None) -> tuple[Path, dict[str, str]]:
    venv = work / "venv"
    env = clean_environment(venv)
    run([sys.executable, "-m", "venv", str(venv)], cwd=work, env=env, what="python -m venv")
    python = str(venv / "bin" / "python")
    limits = ["-c", str(constraints)] if constraints else []
    run([python, "-m", "pip", "install", "-q", *limits, str(wheel)], cwd=work, env=env, what="pip install the wheel")
    # Again by name, from the dist folder as from an index: then pip records no URL (PEP 610),
    # as for a user who installs a release from PyPI.
    run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--force-reinstall", "--only-binary", ":all:",
         "--find-links", str(dist), f"{DISTRIBUTION}=={version}"], cwd=work, env=env, what="pip install by name")
    said = run([str(venv / "bin" / "service-catalogue"), "--version"], cwd=work, env=env).stdout.strip()
    if said != f"{DISTRIBUTION} {version}":
        raise CheckFailed(f"service-catalogue --version says {said!r}, not {DISTRIBUTION} {version}")
    where = run([python, "-c", "import service_catalogue; print(service_catalogue.__file__)"], cwd=work, env=env).stdout.strip()
    if not Path(where).resolve().is_relative_to(venv.resolve()):
        raise CheckFailed(f"the fresh environment imports service_catalogue from {where}, not from the wheel")
    step(f"a fresh virtual environment has the wheel: service-catalogue --version says {said}")
    return venv, env


def try_it(work: Path, venv: Path, env: dict[str, str], version: str) -> None:
    if work.resolve().is_relative_to(REPO):
        raise CheckFailed(f"the work folder {work} is inside the repository; it must be outside")
    bin_ = venv / "bin"
    run([str(bin_ / "service-catalogue"), "init", "my-catalogue"], cwd=work, env=env, what="service-catalogue init")
    root = work / "my-catalogue"
    requirement = [line for line in (root / "requirements.txt").read_text("utf-8").splitlines()
                   if line.strip() and not line.startswith("#")]
    if requirement != [f"{DISTRIBUTION}=={version}"]:
        raise CheckFailed(f"init's requirements.txt names {requirement}, not {DISTRIBUTION}=={version}")
    step(f"service-catalogue init wrote a repository whose requirements.txt pins {DISTRIBUTION}=={version}")
    run([str(bin_ / "service-catalogue"), "validate"], cwd=root, env=env, what="service-catalogue validate")
    step("service-catalogue validate: the example records are valid")
    result = run([str(bin_ / "mkdocs"), "build", "--strict"], cwd=root, env=env, what="mkdocs build --strict")
    if "WARNING" in result.stdout + result.stderr:
        raise CheckFailed("mkdocs build --strict warned:\n" + result.stdout + result.stderr)
    pages = ["index.html", "catalogue/services/email/index.html", "catalogue/agreements/sla-email/index.html"]
    missing = [page for page in pages if not (root / "site" / page).is_file()]
    if missing:
        raise CheckFailed(f"mkdocs build --strict built no {', '.join(missing)}")
    step(f"mkdocs build --strict built the site ({sum(1 for _ in (root / 'site').rglob('index.html'))} pages)")


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where the sdist and the wheel go (default: dist/)")
    parser.add_argument("--tag", help="the tag being released (vX.Y.Z); on GitHub Actions, a tag push's own by default")
    parser.add_argument("--constraints", type=Path, help="pip constraints for the fresh environment (requirements.lock)")
    parser.add_argument("--notes", type=Path, help="write the version's section of CHANGELOG.md here, for the release")
    parser.add_argument("--work", type=Path, help="the folder to build and try in, kept (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    tag = args.tag
    if tag is None and os.environ.get("GITHUB_REF_TYPE") == "tag":
        tag = os.environ.get("GITHUB_REF_NAME")
    dist = args.dist.resolve()
    constraints = args.constraints.resolve() if args.constraints else None
    import importlib.util

    lacking = [name for name in ("build", "twine") if importlib.util.find_spec(name) is None]
    if lacking:
        print(f"release check: this Python has no {' and no '.join(lacking)}: pip install build twine", file=sys.stderr)
        return 2
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="release-check-"))
    try:
        work.mkdir(parents=True, exist_ok=True)
        version = check_version(REPO, tag)
        source = work / "source"
        copy_working_tree(REPO, source)
        sdist, wheel = build_distributions(source, dist)
        twine_check([sdist, wheel])
        check_contents(source, sdist, wheel, version)
        venv, env = install(work, dist, wheel, version, constraints)
        try_it(work, venv, env, version)
        if args.notes:
            args.notes.write_text(release_notes((REPO / CHANGELOG).read_text("utf-8"), version), "utf-8")
            step(f"the release notes of {version} are in {args.notes}")
    except CheckFailed as failure:
        print(f"release check failed: {failure}", file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired as timeout:
        print(f"release check failed: {' '.join(map(str, timeout.cmd))} took over {TIMEOUT} s", file=sys.stderr)
        return 1
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"release check passed: {sdist.name} and {wheel.name} in {dist}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
