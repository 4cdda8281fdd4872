"""Releases (issue 18, item 6): one version, the changelog, the release check and its
workflow, the pre-commit rev the docs name, and the requirement `init` pins.

The first fixture is the slow part (about 40 s, most of it pip): it runs
scripts/release_check.py as .github/workflows/release.yml does, with the real
`python -m build` (isolated: setuptools comes from the package index) and
`twine`. Its fresh virtual environment gets the wheel and every dependency,
pinned by requirements.lock: a full install, as a user's is. (--no-deps with
--system-site-packages would not do: a venv's base Python has none of the
dependencies, only this project's venv has them.)
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

import yaml
from packaging.requirements import Requirement as PEP508

from helpers.catalogue_builder import run_cli
from helpers.site_build import REPO, describe, parse_html
from helpers.site_build import release_check as load_release_check
from service_catalogue import cli, scaffolding
from service_catalogue.version import __version__

SCRIPT = REPO / "scripts" / "release_check.py"
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
CHANGELOG = REPO / "CHANGELOG.md"
HOOKS = REPO / ".pre-commit-hooks.yaml"
HOOK_ID = "service-catalogue-validate"
SHA = re.compile(r"[0-9a-f]{40}")


@functools.cache
def release_check() -> ModuleType:
    """scripts/release_check.py as a module, for its parts (loaded once)."""
    return load_release_check()


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """The release check run as the workflow runs it; returns (result, dist, work, notes)."""
    tmp = tmp_path_factory.mktemp("release")
    dist, work, notes = tmp / "dist", tmp / "work", tmp / "release-notes.md"
    command = [sys.executable, str(SCRIPT), "--dist", str(dist), "--constraints", str(REPO / "requirements.lock"),
               "--notes", str(notes), "--work", str(work)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = subprocess.run(command, cwd=tmp, capture_output=True, text=True, timeout=1200, env=env)
    return result, dist, work, notes


def files_of(release) -> tuple[Path, Path]:
    result, dist, _, _ = release
    assert result.returncode == 0, describe(result)
    (sdist,) = dist.glob("service_catalogue-*.tar.gz")
    (wheel,) = dist.glob("service_catalogue-*.whl")
    return sdist, wheel


def in_venv(release, *command: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    _, _, work, _ = release
    venv = work / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return subprocess.run([str(venv / "bin" / command[0]), *command[1:]], cwd=cwd or work, capture_output=True,
                          text=True, timeout=300, env=env)


# --------------------------------------------------------------------------
# The release check, run for real


def test_the_release_check_passes_every_step(release):
    result, dist, _, _ = release
    assert result.returncode == 0, describe(result)
    steps = [line for line in result.stdout.splitlines() if line.startswith("ok: ")]
    expected = [
        f"ok: version {__version__}: plugins/service_catalogue/version.py and CHANGELOG.md",
        f"ok: built service_catalogue-{__version__}.tar.gz and service_catalogue-{__version__}-py3-none-any.whl",
        "ok: twine check --strict passed 2 files",
        "ok: the wheel and the sdist hold the ",
        f"ok: a fresh virtual environment has the wheel: service-catalogue --version says service-catalogue {__version__}",
        f"ok: service-catalogue init wrote a repository whose requirements.txt pins service-catalogue=={__version__}",
        "ok: service-catalogue validate: the example records are valid",
        "ok: mkdocs build --strict built the site (",
        f"ok: the release notes of {__version__} are in ",
    ]
    assert len(steps) == len(expected), result.stdout
    for line, start in zip(steps, expected):
        assert line.startswith(start), (line, start)
    assert result.stdout.rstrip().endswith(f"in {dist}")


def test_twine_passes_both_files_and_fails_a_broken_one(release, tmp_path):
    sdist, wheel = files_of(release)
    verdict = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)],
                             capture_output=True, text=True)
    assert verdict.returncode == 0, describe(verdict)
    assert verdict.stdout.count("PASSED") == 2, verdict.stdout
    # The same wheel with no Description-Content-Type: PyPI would read the README as
    # reStructuredText, and twine --strict fails on the warning.
    broken = tmp_path / wheel.name
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".dist-info/METADATA"):
                assert b"Description-Content-Type: text/markdown\n" in data
                data = data.replace(b"Description-Content-Type: text/markdown\n", b"")
            target.writestr(info, data)
    verdict = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(broken)], capture_output=True, text=True)
    assert verdict.returncode == 1, describe(verdict)
    assert "long_description_content_type` missing" in verdict.stdout
    with pytest.raises(release_check().CheckFailed, match="twine check --strict exited 1"):
        release_check().twine_check([broken])


def _members(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


@pytest.mark.parametrize("source, inside", [
    ("plugins/service_catalogue/site/templates", "service_catalogue/site/templates"),
    ("schema", "service_catalogue/json_schemas"),
    ("plugins/service_catalogue/site/assets/mermaid", "service_catalogue/site/assets/mermaid"),
    ("plugins/service_catalogue/scaffold", "service_catalogue/scaffold"),
], ids=["templates", "schemas", "mermaid", "scaffold"])
def test_the_wheel_and_the_sdist_hold_the_package_data(release, source, inside):
    sdist, wheel = files_of(release)
    files = _members(REPO / source)
    assert len(files) >= 3, files
    with zipfile.ZipFile(wheel) as archive, tarfile.open(sdist) as tar:
        for path in files:
            relative = path.relative_to(REPO / source).as_posix()
            assert archive.read(f"{inside}/{relative}") == path.read_bytes(), f"{inside}/{relative} in the wheel"
            member = tar.extractfile(f"service_catalogue-{__version__}/{source}/{relative}")
            assert member is not None and member.read() == path.read_bytes(), f"{source}/{relative} in the sdist"
    if source == "schema":
        assert {p.name for p in files} >= {"service.json", "agreement.json", "party.json", "calendar.json", "term.json"}
    if "mermaid" in source:
        assert {p.name for p in files} == {"mermaid.min.js", "LICENSE", "VERSION.json"}


def test_one_version_everywhere(release):
    """version.py, the wheel's metadata, `service-catalogue --version`, the changelog's newest
    heading and the requirement init pins name one version; pyproject names none itself."""
    _, wheel = files_of(release)
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "service_catalogue.version.__version__"}
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"service_catalogue-{__version__}.dist-info/METADATA").decode("utf-8")
    assert re.search(r"^Version: (.+)$", metadata, re.M)[1] == __version__
    assert f"Project-URL: Source, {scaffolding.SOURCE_REPOSITORY}" in metadata.splitlines()
    said = in_venv(release, "service-catalogue", "--version")
    assert said.returncode == 0 and said.stdout.strip() == f"service-catalogue {__version__}", describe(said)
    assert release_check().changelog_release(CHANGELOG.read_text("utf-8"))[0] == __version__
    _, _, work, _ = release
    lines = (work / "my-catalogue" / "requirements.txt").read_text("utf-8").splitlines()
    assert lines[-1] == f"service-catalogue=={__version__}"


def test_init_validate_and_build_in_the_fresh_environment(release):
    result, _, work, _ = release
    assert result.returncode == 0, describe(result)
    root = work / "my-catalogue"
    assert not root.resolve().is_relative_to(REPO)
    where = in_venv(release, "python", "-c", "import service_catalogue; print(service_catalogue.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(work / "venv"), where.stdout
    validated = in_venv(release, "service-catalogue", "validate", cwd=root)
    assert validated.returncode == 0, describe(validated)
    assert validated.stdout.startswith("catalogue is valid (")
    home = parse_html((root / "site" / "index.html").read_text("utf-8"))
    title = home.find("title")
    assert title is not None and "Service catalogue" in title.text
    links = {a.attrs.get("href", "") for a in home.find_all("a")}
    assert "catalogue/agreements/sla-email/" in links  # the home page's short link, expanded
    assert (root / "site" / "catalogue" / "services" / "email" / "index.html").is_file()
    assert re.search(r"ok: mkdocs build --strict built the site \((\d+) pages\)", result.stdout)


def test_installed_by_name_pip_records_no_url(release):
    """What the release check installs last, by name from the dist folder, carries no
    direct_url.json, as a release from PyPI does not: so init pins ==version (PEP 610)."""
    code = "import importlib.metadata as m; print(m.distribution('service-catalogue').read_text('direct_url.json'))"
    read = in_venv(release, "python", "-c", code)
    assert read.returncode == 0 and read.stdout.strip() == "None", describe(read)


def test_the_release_notes_are_the_changelog_section(release):
    _, _, _, notes = release
    text = notes.read_text("utf-8")
    assert text.startswith("The first version") and "### Added" in text
    assert "## [" not in text
    assert text.strip() in CHANGELOG.read_text("utf-8")


# --------------------------------------------------------------------------
# The version, the changelog and the tag (fast)


def _project(tmp_path: Path, version: str, changelog: str) -> Path:
    (tmp_path / "plugins" / "service_catalogue").mkdir(parents=True)
    (tmp_path / "plugins" / "service_catalogue" / "version.py").write_text(f'__version__ = "{version}"\n', "utf-8")
    (tmp_path / "CHANGELOG.md").write_text(changelog, "utf-8")
    return tmp_path


@pytest.mark.parametrize("version, changelog, tag, error", [
    ("1.2.0", "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-12-01\n\n## [1.1.0] - 2026-01-02\n", "v1.2.0", None),
    ("1.2.0", "# Changelog\n\n## [1.2.0] - Unreleased\n", None, None),
    ("1.2.0", "# Changelog\n\n## [1.2.0] - Unreleased\n", "v1.2.0", "has no date"),
    ("1.2.0", "# Changelog\n\n## [1.2.0] - 2026-12-01\n", "v1.2.1", "the tag v1.2.1 is not v1.2.0"),
    ("1.2.0", "# Changelog\n\n## [1.2.0] - 2026-12-01\n", "1.2.0", "the tag 1.2.0 is not v1.2.0"),
    ("1.3.0", "# Changelog\n\n## [1.2.0] - 2026-12-01\n", None, "says 1.3.0, but the newest heading of CHANGELOG.md is 1.2.0"),
    ("1.2.0", "# Changelog\n\nNothing yet.\n", None, "has no version heading"),
])
def test_the_tag_the_version_and_the_changelog_must_agree(tmp_path, capsys, version, changelog, tag, error):
    check = release_check()
    root = _project(tmp_path, version, changelog)
    if error is None:
        assert check.check_version(root, tag) == version
        assert capsys.readouterr().out.startswith(f"ok: version {version}")
    else:
        with pytest.raises(check.CheckFailed, match=re.escape(error)):
            check.check_version(root, tag)


def test_the_script_refuses_a_tag_that_is_not_the_version_before_building(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--dist", str(tmp_path / "dist"), "--tag", "v0.0.0-not-it"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, describe(result)
    assert f"release check failed: the tag v0.0.0-not-it is not v{__version__}" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_the_changelog_follows_keep_a_changelog():
    text = CHANGELOG.read_text("utf-8")
    assert text.startswith("# Changelog\n")
    assert "https://keepachangelog.com/en/1.1.0/" in text and "https://semver.org/" in text
    headings = re.findall(r"^## (.*)$", text, re.M)
    versions = []
    for heading in headings:
        match = re.fullmatch(r"\[(Unreleased)\]|\[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2}|Unreleased)", heading)
        assert match, f"not a Keep a Changelog heading: ## {heading}"
        if match[2]:
            versions.append(tuple(map(int, match[2].split("."))))
    assert versions and versions == sorted(versions, reverse=True)
    kinds = set(re.findall(r"^### (.*)$", text, re.M))
    assert kinds and kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, kinds


# --------------------------------------------------------------------------
# The release workflow


def test_the_release_workflow_checks_then_publishes_only_a_tag():
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    triggers = data[True]  # YAML 1.1 (PyYAML) reads the key `on` as true
    assert triggers["push"] == {"tags": ["v*"]} and "workflow_dispatch" in triggers
    assert data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert set(jobs) == {"check", "pypi", "github-release"}

    check = jobs["check"]
    assert "permissions" not in check and "if" not in check
    runs = [step["run"] for step in check["steps"] if "run" in step]
    (command,) = [run for run in runs if "release_check.py" in run]
    assert command.split()[:2] == ["python", "scripts/release_check.py"]
    assert "--constraints requirements.lock" in command and '${TAG:+--tag "$TAG"}' in command
    assert "--notes release-notes.md" in command
    tag_step = next(step for step in check["steps"] if "release_check.py" in step.get("run", ""))
    assert tag_step["env"]["TAG"] == "${{ github.ref_type == 'tag' && github.ref_name || '' }}"
    uploads = [step["with"] for step in check["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert {(u["name"], u["path"]) for u in uploads} == {("dist", "dist/"), ("release-notes", "release-notes.md")}

    pypi = jobs["pypi"]
    assert pypi["needs"] == "check" and pypi["if"] == "github.ref_type == 'tag'"
    assert pypi["permissions"] == {"id-token": "write"}  # trusted publishing, and nothing else
    assert pypi["environment"]["name"] == "pypi"
    assert pypi["steps"][-1]["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert not any("password" in step.get("with", {}) for step in pypi["steps"])  # no stored token

    release = jobs["github-release"]
    assert release["needs"] == "pypi" and release["if"] == "github.ref_type == 'tag'"
    assert release["permissions"] == {"contents": "write"}
    (create,) = [step for step in release["steps"] if "run" in step]
    assert create["run"].startswith('gh release create "$TAG" dist/*')
    assert "--verify-tag" in create["run"] and "--notes-file release-notes.md" in create["run"]
    assert create["env"]["TAG"] == "${{ github.ref_name }}"


def test_the_release_scripts_options_are_those_the_workflow_and_the_guide_use():
    check = release_check()
    guide = (REPO / "docs" / "guide" / "publishing.md").read_text("utf-8")
    (local,) = re.findall(r"`(python scripts/release_check\.py [^`]*)`", guide)
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    (run,) = [s["run"] for s in workflow["jobs"]["check"]["steps"] if "release_check.py" in s.get("run", "")]
    for line in (local, run.replace("\\\n", " ").replace('${TAG:+--tag "$TAG"}', "--tag v1.0.0")):
        words = line.split()[2:]
        options = {word for word in words if word.startswith("--")}
        assert options <= {"--dist", "--constraints", "--notes", "--tag", "--work"}, options
        with pytest.raises(SystemExit) as exit_:
            check.main([*words, "--help"])
        assert exit_.value.code == 0


# --------------------------------------------------------------------------
# pre-commit: the rev the docs name exists


def documented_revs() -> list[tuple[str, str, list[str], str]]:
    """(repo, rev, hook ids, where) of every remote pre-commit repository the docs show."""
    found = []
    text = (REPO / "docs" / "reviewing-changes.md").read_text("utf-8")
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        config = yaml.safe_load(block)
        if isinstance(config, dict) and "repos" in config:
            for repo in config["repos"]:
                found.append((repo["repo"], str(repo["rev"]), [h["id"] for h in repo["hooks"]], "docs/reviewing-changes.md"))
    comment = "\n".join(line[2:] for line in HOOKS.read_text("utf-8").splitlines() if line.startswith("#   "))
    for repo in yaml.safe_load(comment)["repos"]:
        found.append((repo["repo"], str(repo["rev"]), [h["id"] for h in repo["hooks"]], ".pre-commit-hooks.yaml"))
    return found


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)


@pytest.mark.parametrize("repo, rev, ids, where", documented_revs(), ids=lambda value: value if isinstance(value, str) else None)
def test_the_documented_pre_commit_rev_exists_and_offers_the_hook(repo, rev, ids, where):
    assert repo == scaffolding.SOURCE_REPOSITORY, where
    assert ids == [HOOK_ID], where
    shallow = git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    if SHA.fullmatch(rev):
        kind = git("cat-file", "-t", rev)
        assert kind.stdout.strip() == "commit", f"{where}: rev {rev} is no commit of this repository" + (
            " (this clone is shallow: git fetch --unshallow)" if shallow else "")
    else:
        # A release tag, made by a maintainer and checked by .github/workflows/release.yml.
        assert re.fullmatch(r"v\d+\.\d+\.\d+", rev), f"{where}: rev {rev} is neither a full commit SHA nor a tag vX.Y.Z"
        assert git("rev-parse", "-q", "--verify", f"refs/tags/{rev}").returncode == 0, f"{where}: there is no tag {rev}"
        assert re.search(rf"^## \[{re.escape(rev[1:])}\] - \d{{4}}-\d{{2}}-\d{{2}}$", CHANGELOG.read_text("utf-8"), re.M)
    hooks = yaml.safe_load(git("show", f"{rev}:.pre-commit-hooks.yaml").stdout)
    assert [hook["id"] for hook in hooks] == ids, f"{where}: {rev} offers no hook {ids}"
    assert git("cat-file", "-e", f"{rev}:pyproject.toml").returncode == 0  # pre-commit installs the package from it


def test_the_scaffolds_hook_is_local_and_needs_no_rev(tmp_path):
    (config,) = [item.text for item in scaffolding.plan() if item.path == ".pre-commit-config.yaml"]
    (repo,) = yaml.safe_load(config)["repos"]
    assert repo["repo"] == "local" and "rev" not in repo
    (hook,) = repo["hooks"]
    offered = yaml.safe_load(HOOKS.read_text("utf-8"))[0]
    assert hook["id"] == offered["id"] == HOOK_ID
    assert hook["entry"] == f"{offered['entry']} {' '.join(offered['args'])}" and hook["language"] == "system"
    assert hook["files"] == offered["files"] and hook["pass_filenames"] is False


# --------------------------------------------------------------------------
# The requirement init pins


# The examples of the specification of direct_url.json (PyPA, "Direct URL Data Structure",
# https://packaging.python.org/en/latest/specifications/direct-url-data-structure/#examples).
SPEC_GIT = {"url": "https://github.com/pypa/pip", "vcs_info": {
    "vcs": "git", "requested_revision": "1.3.1", "commit_id": "7921be1537eac1e97bc40179a57f0349c2aee67d"}}
SPEC_ARCHIVE = {"url": "https://github.com/pypa/pip/archive/1.3.1.zip", "archive_info": {
    "hashes": {"sha256": "2dc6b5a470a1bde68946f263f1af1515a2574a150a30d6ce02c6ff742fcc0db8"}}}
SPEC_FOLDER = {"url": "file:///home/user/project", "dir_info": {}}
SPEC_EDITABLE = {"url": "file:///home/user/project", "dir_info": {"editable": True}}


@pytest.mark.parametrize("record, line", [
    (SPEC_GIT, "service-catalogue @ git+https://github.com/pypa/pip@7921be1537eac1e97bc40179a57f0349c2aee67d"),
    ({**SPEC_GIT, "subdirectory": "pkg"},
     "service-catalogue @ git+https://github.com/pypa/pip@7921be1537eac1e97bc40179a57f0349c2aee67d#subdirectory=pkg"),
    (SPEC_ARCHIVE, "service-catalogue @ https://github.com/pypa/pip/archive/1.3.1.zip"
                   "#sha256=2dc6b5a470a1bde68946f263f1af1515a2574a150a30d6ce02c6ff742fcc0db8"),
    (None, f"service-catalogue=={__version__}"),
], ids=["git", "git-subdirectory", "archive", "index"])
def test_the_requirement_pins_what_this_copy_was_installed_from(record, line):
    requirement = scaffolding.requirement_installing(None if record is None else json.dumps(record))
    assert requirement.pinned and requirement.line == line
    assert scaffolding.requirement_problem(line) is None
    parsed = PEP508(line)
    assert parsed.name == "service-catalogue"
    assert (parsed.url or str(parsed.specifier)) in line


@pytest.mark.parametrize("record, why", [
    (SPEC_FOLDER, "installed from a folder on this machine"),
    (SPEC_EDITABLE, "installed from a folder on this machine"),
    ({"url": "file:///tmp/service_catalogue-0.1.0-py3-none-any.whl", "archive_info": {}}, "installed from a file on this machine"),
    ({"url": "https://example.org/service_catalogue.whl", "archive_info": {}}, "an address with no commit or hash"),
    ({"url": "https://github.com/pypa/pip", "vcs_info": {"vcs": "git", "commit_id": "main"}}, "an address with no commit"),
    ({"no": "url"}, "does not say where it was installed from"),
], ids=["folder", "editable", "wheel-file", "archive-without-hash", "git-without-commit", "broken"])
def test_a_copy_ci_cannot_reach_gets_the_placeholder(record, why):
    requirement = scaffolding.requirement_installing(json.dumps(record))
    assert not requirement.pinned
    assert requirement.line == f"service-catalogue @ git+{scaffolding.SOURCE_REPOSITORY}@<full commit SHA>"
    assert why in " ".join(requirement.source.split())


def test_a_git_install_by_pip_is_pinned_at_its_commit(tmp_path):
    """pip itself installs a package from a git repository; init reads what pip recorded.
    From a file:// clone CI cannot reach it, so the placeholder names the commit; from the
    same record at https://, the requirement is that URL at that commit."""
    source = tmp_path / "probe"
    (source / "probe").mkdir(parents=True)
    (source / "probe" / "__init__.py").write_text("", "utf-8")
    (source / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "probe"\nversion = "1.0"\n', "utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "probe"]):
        subprocess.run(["git", *args], cwd=source, check=True, env=env, capture_output=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True, check=True).stdout.strip()
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
         "--target", str(tmp_path / "target"), f"probe @ git+{source.as_uri()}@main"],
        capture_output=True, text=True, env=env, timeout=300)
    assert installed.returncode == 0, describe(installed)
    (direct_url,) = (tmp_path / "target").glob("probe-1.0.dist-info/direct_url.json")
    record = json.loads(direct_url.read_text("utf-8"))
    assert record["vcs_info"]["commit_id"] == commit and record["vcs_info"]["requested_revision"] == "main"

    here = scaffolding.requirement_installing(json.dumps(record))
    assert not here.pinned and commit in here.source and "git repository on this machine" in " ".join(here.source.split())
    there = scaffolding.requirement_installing(json.dumps({**record, "url": scaffolding.SOURCE_REPOSITORY}))
    assert there.pinned and there.line == f"service-catalogue @ git+{scaffolding.SOURCE_REPOSITORY}@{commit}"


def test_pip_refuses_the_placeholder_at_once_naming_the_line(tmp_path):
    requirement = scaffolding.placeholder_requirement("Test.")
    (text,) = [item.text for item in scaffolding.plan(requirement=requirement) if item.path == "requirements.txt"]
    (tmp_path / "requirements.txt").write_text(text, "utf-8")
    number = text.splitlines().index(requirement.line) + 1
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "-r", "requirements.txt"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0, describe(result)
    assert f"ERROR: Invalid requirement: '{requirement.line}'" in result.stderr
    assert f"(from line {number} of requirements.txt)" in result.stderr
    assert "git clone" not in result.stdout + result.stderr  # refused as written, before any network


@pytest.mark.parametrize("spec, problem", [
    ("service-catalogue @ git+https://github.com/northbridge-it/service-catalogue@" + "a" * 40, None),
    ("service_catalogue @ git+ssh://git@github.com/org/service-catalogue.git@" + "0" * 40, None),
    ("service-catalogue==1.2.3", None),
    ("service-catalogue @ https://files.example.org/service_catalogue-1.0-py3-none-any.whl#sha256=" + "f" * 64, None),
    ("service-catalogue~=0.1.0", "must pin one version"),
    ("service-catalogue", "must pin one version"),
    ("service-catalogue @ git+https://github.com/northbridge-it/service-catalogue@main", "must pin a commit"),
    ("service-catalogue @ git+https://github.com/northbridge-it/service-catalogue@abc1234", "must pin a commit"),
    ("service-catalogue @ https://files.example.org/service_catalogue-1.0-py3-none-any.whl", "must pin the archive"),
    ("service-catalogue @ file:///home/me/service-catalogue", "must pin one version"),
    ("service-catalogue-extra==1.0", "must name service-catalogue"),
    ("mkdocs==1.6.1", "must name service-catalogue"),
    ("service-catalogue==1.0\n--index-url https://evil.example.org/", "must be one line of plain text"),
])
def test_init_requirement_option(tmp_path, capsys, spec, problem):
    root = tmp_path / "repo"
    status = cli.main(["init", str(root), "--requirement", spec])
    out, err = capsys.readouterr()
    if problem is None:
        assert status == 0, err
        lines = (root / "requirements.txt").read_text("utf-8").splitlines()
        assert lines[-1] == spec
        assert lines[-2] == f"# Given to init with --requirement (init ran service-catalogue {__version__})."
        assert "note:" not in err
    else:
        assert status == 2
        assert err.startswith(f"service-catalogue init: --requirement {problem}")
        assert not root.exists()


def test_init_by_default_pins_how_this_copy_was_installed(tmp_path, capsys):
    expected = scaffolding.installed_requirement()
    status = cli.main(["init", str(tmp_path / "repo")])
    _, err = capsys.readouterr()
    assert status == 0, err
    text = (tmp_path / "repo" / "requirements.txt").read_text("utf-8")
    assert text.splitlines()[-1] == expected.line
    for line in expected.source.split("\n"):
        assert f"# {line}\n" in text
    assert ("note: requirements.txt pins no commit yet." in err) is (not expected.pinned), err
    assert "~=" not in text


def test_the_scaffold_names_no_bare_requirement():
    """No line of the files init writes installs service-catalogue by a bare or loose name."""
    for item in scaffolding.plan(requirement=scaffolding.requirement_installing(json.dumps(SPEC_GIT))):
        for line in item.text.splitlines():
            words = line.split("#")[0].replace("'", " ").replace('"', " ").split()
            for at, word in enumerate(words):
                if word in ("service-catalogue", "service_catalogue") and words[at - 1:at] in (["install"], ["-r"]):
                    raise AssertionError((item.path, line))
            assert not re.search(r"service-catalogue\s*(~=|>=|<|!=)", line), (item.path, line)
    status = run_cli(REPO, "init", "--help")
    assert "--requirement SPEC" in status.stdout
