"""Adoption: `init`, editor support, the format version, the user guide and its CLI reference.

The first test is the slow one (about a minute, most of it pip): it builds a
wheel of this repository, installs it into a fresh virtual environment in a
temp folder, and runs `init`, `validate` and `mkdocs build --strict` there,
from a folder outside the repository, the way a new user would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers.catalogue_builder import run_cli
from service_catalogue import API_VERSION, KINDS, cli, scaffolding
from service_catalogue.validation.schemas import SCHEMA_BASE_URL
from service_catalogue.skeletons import FOLDERS, skeleton

from helpers.site_build import REPO, article, describe, docs_hooks, parse_html, release_check

clidoc = docs_hooks()  # the CLI reference: a hook of this repository's docs (docs/hooks.py)

SCHEMA_COPY = ".service-catalogue/schema"
SCHEMA_SOURCE = REPO / "schema"  # what the package ships as service_catalogue.json_schemas
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
BIN = Path(sys.executable).parent
PIP_TIMEOUT = 900


def run_init(args, capsys):
    status = cli.main(["init", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def records_of(root: Path) -> list[Path]:
    return sorted((root / "catalogue").rglob("*.yaml"))


def documents(path: Path) -> list[str]:
    """The YAML documents of a file, as text (each keeps its own comments)."""
    return [part for part in re.split(r"^---$\n?", path.read_text("utf-8"), flags=re.M) if part.strip()]


# --------------------------------------------------------------------------
# (a) init in an empty folder, with only the installed wheel


def _clean_env(venv: Path) -> dict:
    """The environment a user's shell gives the venv's commands: the release check's own."""
    return release_check().clean_environment(venv)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv in a temp folder with a wheel of this repository installed
    (dependencies pinned by requirements.lock). Returns (venv, env)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"  # a clean copy: the build leaves nothing in the repository
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(REPO / "schema", source / "schema", ignore=ignore)
    shutil.copytree(REPO / "plugins", source / "plugins", ignore=ignore)
    wheels = tmp / "wheels"
    venv = tmp / "venv"
    env = _clean_env(venv)
    steps = [
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
        [sys.executable, "-m", "venv", str(venv)],
    ]
    for step in steps:
        result = subprocess.run(step, cwd=tmp, capture_output=True, text=True, timeout=PIP_TIMEOUT, env=env)
        assert result.returncode == 0, f"{' '.join(step)}\n{describe(result)}"
    (wheel,) = wheels.glob("service_catalogue-*.whl")
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-c", str(REPO / "requirements.lock"), str(wheel)]
    result = subprocess.run(install, cwd=tmp, capture_output=True, text=True, timeout=PIP_TIMEOUT, env=env)
    assert result.returncode == 0, f"installing the wheel failed\n{describe(result)}"
    return venv, env


def test_the_installed_wheel_reads_its_schemas_with_importlib_resources(installed, tmp_path):
    # The schemas are a data package of their own: until it was, `service_catalogue.schemas`
    # was also a module, and importlib.resources refused it in a wheel ("is not a package").
    venv, env = installed
    code = (
        "import importlib.resources as r, json; "
        "files = r.files('service_catalogue.json_schemas'); "
        "print(json.dumps(sorted(f.name for f in files.iterdir() if f.name.endswith('.json')))); "
        "print(str(files))"
    )
    result = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 0, describe(result)
    names, where = result.stdout.splitlines()
    assert json.loads(names) == sorted(p.name for p in SCHEMA_SOURCE.glob("*.json"))
    assert Path(where).is_relative_to(venv), f"read from outside the wheel: {where}"


def test_the_installed_wheel_marks_the_package_as_typed(installed, tmp_path):
    # PEP 561: without py.typed a user's type checker treats the whole package as untyped.
    venv, env = installed
    code = (
        "import importlib.resources as r; "
        "marker = r.files('service_catalogue') / 'py.typed'; "
        "print(marker.is_file()); print(marker)"
    )
    result = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 0, describe(result)
    found, where = result.stdout.splitlines()
    assert found == "True", f"no py.typed in the installed package: {where}"
    assert Path(where).is_relative_to(venv), f"read from outside the wheel: {where}"


def test_init_then_build_and_validate_with_only_the_installed_package(installed, tmp_path):
    venv, env = installed
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import service_catalogue; print(service_catalogue.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), f"imported from outside the venv: {where.stdout}"

    work = tmp_path / "outside"
    work.mkdir()
    assert not work.resolve().is_relative_to(REPO)

    def run(*command, cwd):
        return subprocess.run([str(venv / "bin" / command[0]), *command[1:]], cwd=cwd, capture_output=True,
                              text=True, timeout=300, env=env)

    result = run("service-catalogue", "init", "my-catalogue", cwd=work)
    assert result.returncode == 0, describe(result)
    root = work / "my-catalogue"
    for path in ("mkdocs.yml", "docs/index.md", ".github/workflows/catalogue.yml", ".pre-commit-config.yaml",
                 ".vscode/settings.json", ".vscode/extensions.json", "requirements.txt", ".gitignore"):
        assert (root / path).is_file(), path
        assert f"wrote {path}" in result.stdout

    result = run("service-catalogue", "validate", "catalogue", cwd=root)
    assert result.returncode == 0, describe(result)
    assert "valid" in result.stdout

    result = run("mkdocs", "build", "--strict", cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == 0, describe(result)
    assert "WARNING" not in output, describe(result)
    site = root / "site"
    for page in ("index.html", "catalogue/services/email/index.html", "catalogue/agreements/sla-email/index.html",
                 "catalogue/parties/it-services/index.html", "catalogue/service-hours/business-hours/index.html",
                 "catalogue/glossary/index.html", "catalogue.json"):
        assert (site / page).is_file(), page
    # The home page's short link to the example SLA was expanded.
    home = article(parse_html((site / "index.html").read_text("utf-8")))
    assert any(a.attrs.get("href", "").endswith("catalogue/agreements/sla-email/") for a in home.find_all("a"))
    assert "[[" not in home.text


# --------------------------------------------------------------------------
# What init writes (in-process: fast)


def test_init_writes_every_file_and_says_so(tmp_path, capsys):
    status, out, err = run_init([tmp_path / "repo", "--site-name", "Acme: IT catalogue"], capsys)
    assert status == 0, err
    root = tmp_path / "repo"
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    planned = sorted(item.path for item in scaffolding.plan())
    assert written == planned
    for path in written:
        assert f"wrote {path}\n" in out
        assert "@@" not in (root / path).read_text("utf-8"), f"a placeholder was left in {path}"
    assert "Next steps" in out

    # mkdocs.yml: the plugin, the recommended Material features and extensions, a nav.
    config = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=_MkDocsLoader)
    assert config["site_name"] == "Acme: IT catalogue"
    assert config["theme"]["name"] == "material"
    assert {"content.tooltips", "content.action.edit", "navigation.sections", "navigation.indexes",
            "search.suggest", "search.highlight"} <= set(config["theme"]["features"])
    plugins = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert plugins[:2] == ["search", "tags"] and "service-catalogue" in plugins
    assert config["plugins"][plugins.index("service-catalogue")]["service-catalogue"]["catalogue"] == "catalogue"
    extensions = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert {"admonition", "attr_list", "md_in_html", "toc", "pymdownx.superfences"} <= set(extensions)
    superfences = config["markdown_extensions"][extensions.index("pymdownx.superfences")]["pymdownx.superfences"]
    assert superfences["custom_fences"][0]["name"] == "mermaid"
    assert config["markdown_extensions"][extensions.index("toc")]["toc"]["permalink"] is True
    assert config["nav"] == [{"Home": "index.md"}]

    # CI: validate with annotations, comment the semantic diff on pull requests.
    workflow = yaml.safe_load((root / ".github/workflows/catalogue.yml").read_text("utf-8"))
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("pip install -r requirements.txt" in s for s in steps)
    assert any(s.strip() == "service-catalogue validate --format github" for s in steps)
    assert any('service-catalogue diff "origin/$BASE" --format markdown' in s for s in steps)
    assert any("gh pr comment" in s for s in steps)
    assert workflow["jobs"]["review"]["permissions"]["pull-requests"] == "write"  # tests/cli/test_ci_integration.py
    assert "service-catalogue" in (root / "requirements.txt").read_text("utf-8")

    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text("utf-8"))
    (hook,) = [h for repo in hooks["repos"] for h in repo["hooks"]]
    assert hook["entry"].startswith("service-catalogue validate")

    assert "/site/" in (root / ".gitignore").read_text("utf-8").splitlines()

    # Editor settings point at the local copy of the schemas, which is complete.
    settings = json.loads((root / ".vscode/settings.json").read_text("utf-8"))
    ((schema, globs),) = settings["yaml.schemas"].items()
    assert (root / schema).resolve() == (root / SCHEMA_COPY / "record.json").resolve()
    assert "catalogue/**/*.yaml" in globs
    assert json.loads((root / ".vscode/extensions.json").read_text("utf-8"))["recommendations"] == ["redhat.vscode-yaml"]
    for original in SCHEMA_SOURCE.glob("*.json"):
        assert (root / SCHEMA_COPY / original.name).read_bytes() == original.read_bytes()


class _MkDocsLoader(yaml.SafeLoader):
    """mkdocs.yml holds !!python/name tags; read them as plain strings."""


_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)


def test_init_records_cover_every_kind_refer_to_each_other_and_validate(tmp_path, capsys):
    from service_catalogue.validation.folder import validate_folder
    from service_catalogue.model import Catalogue

    assert run_init([tmp_path], capsys)[0] == 0
    result = validate_folder(tmp_path / "catalogue")
    assert result.ok, [f"{p.location} {p.message}" for p in result.problems]
    kinds = {record.kind for record in result.records}
    assert kinds == set(KINDS)
    catalogue = Catalogue(result.records)
    (agreement,) = catalogue.agreements
    (service,) = catalogue.services
    assert agreement.services == [service] and service.agreements == [agreement]
    assert agreement.calendar.id == "business-hours" and agreement.provider.id == "it-services"
    for path in records_of(tmp_path):
        text = path.read_text("utf-8")
        assert text.count("#") > 3, f"{path.name} should explain itself in comments"


def test_every_record_starts_with_a_modeline_naming_the_local_schema_of_its_kind(tmp_path, capsys):
    assert run_init([tmp_path], capsys)[0] == 0
    for path in records_of(tmp_path):
        for document in documents(path):
            first = document.lstrip("\n").splitlines()[0]
            match = MODELINE.match(first)
            assert match, f"{path}: a record starts with {first!r}, not the yaml-language-server modeline"
            kind = re.search(r"^kind: (\w+)", document, re.M).group(1)
            target = (path.parent / match.group(1)).resolve()
            assert target == (tmp_path / SCHEMA_COPY / f"{kind.lower()}.json").resolve()
            assert target.is_file()


# --------------------------------------------------------------------------
# (b) init never overwrites


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path, capsys):
    existing = tmp_path / "mkdocs.yml"
    existing.write_text("site_name: Mine\n", "utf-8")
    status, out, err = run_init([tmp_path], capsys)
    assert status == 1
    assert existing.read_text("utf-8") == "site_name: Mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mkdocs.yml"], "nothing else may be written"
    assert "mkdocs.yml" in err and "nothing was written" in err
    assert "wrote" not in out


def test_init_lists_every_conflict(tmp_path, capsys):
    (tmp_path / ".gitignore").write_text("*.pyc\n", "utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Mine\n", "utf-8")
    status, _, err = run_init([tmp_path], capsys)
    assert status == 1
    assert "  .gitignore\n" in err and "  docs/index.md\n" in err
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [".gitignore", "docs", "docs/index.md"]


def test_init_skip_existing_keeps_them_and_writes_the_rest(tmp_path, capsys):
    (tmp_path / ".gitignore").write_text("*.pyc\n", "utf-8")
    status, out, _ = run_init([tmp_path, "--skip-existing"], capsys)
    assert status == 0
    assert (tmp_path / ".gitignore").read_text("utf-8") == "*.pyc\n"
    assert "kept .gitignore" in out and "wrote mkdocs.yml" in out
    assert (tmp_path / "catalogue/agreements/sla-email.yaml").is_file()


def test_init_into_a_file_is_an_error(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("x", "utf-8")
    status, _, err = run_init([target], capsys)
    assert status == 1 and "not a folder" in err


def test_init_defaults_to_the_current_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_init([], capsys)[0] == 0
    assert (tmp_path / "mkdocs.yml").is_file()


def test_update_schemas_replaces_only_the_schema_copy(tmp_path, capsys):
    assert run_init([tmp_path], capsys)[0] == 0
    stale = tmp_path / SCHEMA_COPY / "service.json"
    stale.write_text("{}", "utf-8")
    record = tmp_path / "catalogue/services/email.yaml"
    record.write_text(record.read_text("utf-8") + "# edited\n", "utf-8")
    status, out, _ = run_init([tmp_path, "--update-schemas"], capsys)
    assert status == 0
    assert stale.read_bytes() == (SCHEMA_SOURCE / "service.json").read_bytes()
    assert record.read_text("utf-8").endswith("# edited\n")
    assert f"wrote {SCHEMA_COPY}/service.json" in out and "mkdocs.yml" not in out


# --------------------------------------------------------------------------
# (c) the skeleton records against the schemas, with check-jsonschema


def _check_jsonschema(schema_folder: Path, kind_file: str, instance: Path):
    command = [str(BIN / "check-jsonschema"), "--base-uri", schema_folder.resolve().as_uri() + "/",
               "--schemafile", str(schema_folder / kind_file), str(instance)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_skeleton_records_validate_with_check_jsonschema(tmp_path, capsys):
    assert (BIN / "check-jsonschema").exists(), "check-jsonschema is installed with the [test] extra"
    assert run_init([tmp_path / "repo"], capsys)[0] == 0
    root = tmp_path / "repo"
    schemas = root / SCHEMA_COPY
    singles = tmp_path / "documents"
    singles.mkdir()
    checked = []
    # The records that init writes, one document per file ...
    for path in records_of(root):
        for index, document in enumerate(documents(path)):
            single = singles / f"{path.stem}-{index}.yaml"
            single.write_text(document, "utf-8")
            checked.append(single)
    # ... and the skeleton that `new` writes for every kind.
    for kind in KINDS:
        single = singles / f"new-{kind.lower()}.yaml"
        single.write_text(skeleton(kind, f"new-{kind.lower()}", "2026-01-15"), "utf-8")
        checked.append(single)
    for single in checked:
        kind = re.search(r"^kind: (\w+)", single.read_text("utf-8"), re.M).group(1)
        for schema in (f"{kind.lower()}.json", "record.json"):
            result = _check_jsonschema(schemas, schema, single)
            assert result.returncode == 0, f"{single.name} against {schema}\n{describe(result)}"


def test_check_jsonschema_does_reject_a_broken_skeleton(tmp_path):
    """The differential above means something only if check-jsonschema can fail."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(skeleton("Service", "vpn", "2026-01-15").replace("status: pipeline", "status: planned"), "utf-8")
    result = _check_jsonschema(SCHEMA_SOURCE, "service.json", broken)
    assert result.returncode == 1, describe(result)


# --------------------------------------------------------------------------
# Editor support: `new` and the schemas' $id


def test_every_schema_has_a_stable_versioned_id():
    for path in SCHEMA_SOURCE.glob("*.json"):
        assert json.loads(path.read_text("utf-8"))["$id"] == f"{SCHEMA_BASE_URL}{path.name}"
    assert SCHEMA_BASE_URL == "https://service-catalogue.dev/schema/v1/"


def test_new_points_at_the_local_schema_copy_when_there_is_one(tmp_path, capsys, monkeypatch):
    assert run_init([tmp_path], capsys)[0] == 0
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new", "Calendar", "weekend-hours"]) == 0
    text = (tmp_path / "catalogue" / FOLDERS["Calendar"] / "weekend-hours.yaml").read_text("utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../.service-catalogue/schema/calendar.json"


def test_new_points_at_the_schema_url_without_a_local_copy(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()  # the repository root: the search for a copy stops here
    monkeypatch.chdir(tmp_path)
    for kind in KINDS:
        assert cli.main(["new", kind, f"x-{kind.lower()}"]) == 0
        text = (tmp_path / "catalogue" / FOLDERS[kind] / f"x-{kind.lower()}.yaml").read_text("utf-8")
        assert text.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_BASE_URL}{kind.lower()}.json"


# --------------------------------------------------------------------------
# The format version


def _one_record(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "catalogue"
    folder.mkdir()
    (folder / "p.yaml").write_text(text, "utf-8")
    return folder


PARTY = "kind: Party\nid: team-a\ntitle: Team A\ntype: team\n"


def test_an_unknown_api_version_is_a_clear_located_error(tmp_path, capsys):
    folder = _one_record(tmp_path, "apiVersion: catalogue/v2\n" + PARTY)
    assert cli.main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"p.yaml:1:13: error: Party team-a: apiVersion: unknown format version \"catalogue/v2\"; this tool reads `{API_VERSION}` [record.api-version]" in out
    assert f"hint: write `apiVersion: {API_VERSION}`, or upgrade service-catalogue" in out
    assert "1 error" in out


def test_a_missing_api_version_is_a_missing_required_field(tmp_path, capsys):
    folder = _one_record(tmp_path, PARTY)
    assert cli.main(["validate", str(folder), "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["code"], p["message"]) for p in problems] == [("schema.required", "missing required field `apiVersion`")]


def test_the_current_api_version_is_accepted(tmp_path, capsys):
    folder = _one_record(tmp_path, f"apiVersion: {API_VERSION}\n" + PARTY)
    assert cli.main(["validate", str(folder)]) == 0


# --------------------------------------------------------------------------
# (d) the CLI reference lists every command and option that --help shows


def _help(*args) -> str:
    result = run_cli(REPO, *args, "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0, describe(result)
    return result.stdout


def _sections(text: str) -> dict[str, list[str]]:
    """argparse help split into its sections ("positional arguments", "options") of item lines."""
    sections, current = {}, None
    for line in text.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            current = sections.setdefault(line[:-1], [])
        elif current is not None and line.startswith("  ") and not line.startswith("   " * 4):
            current.append(line)
    return sections


def help_inventory() -> tuple[list[str], dict[str, set[str]]]:
    """(commands, {command: options and argument names}) as --help shows them."""
    top = _sections(_help())
    commands = []
    for line in top.get("positional arguments", []):
        match = re.match(r"^ {4}([a-z][a-z0-9-]*)(?:\s{2,}|$)", line)
        if match:
            commands.append(match.group(1))
    inventory = {"": _items(top)}
    for command in commands:
        inventory[command] = _items(_sections(_help(command)))
    return commands, inventory


def _items(sections) -> set[str]:
    found = set()
    for name, lines in sections.items():
        for line in lines:
            head = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
            if name == "options" or head.startswith("-"):
                found.update(re.findall(r"(?<![\w-])--?[A-Za-z][\w-]*", head))
            elif re.fullmatch(r"[A-Z][A-Z0-9_]*|\{[^}]*\}|COMMAND", head):
                found.add(head)
    return found


def test_help_inventory_parsing_finds_the_known_commands():
    commands, inventory = help_inventory()
    assert {"validate", "new", "render", "init"} <= set(commands)
    assert {"-h", "--help", "--version"} <= inventory[""]
    assert {"--format", "--max-file-size", "CATALOGUE_DIR"} <= inventory["validate"]
    assert {"--site-name", "--skip-existing", "--update-schemas", "DIR"} <= inventory["init"]


def _reference_lists(sections: dict[str, str], commands, inventory) -> list[str]:
    """What --help shows that the reference does not: sections is {command ("" for the top): its text}."""
    missing = [f"command {command}" for command in commands if command not in sections]
    for command, items in inventory.items():
        section = sections.get(command, "")
        for item in items:
            if not re.search(r"(?<![\w-])" + re.escape(item) + r"(?![\w-])", section):
                missing.append(f"{command or 'service-catalogue'} {item}")
    return missing


def _markdown_sections(reference: str) -> dict[str, str]:
    parts = re.split(r"^## `service-catalogue ?([a-z0-9-]*)`.*$", reference, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def _html_sections(page) -> dict[str, str]:
    sections, current = {}, None
    for child in page.children:
        if not hasattr(child, "tag"):
            continue
        if child.tag == "h2" and (child.attrs.get("id") or "").startswith("service-catalogue"):
            current = child.attrs["id"][len("service-catalogue-"):] if child.attrs["id"] != "service-catalogue" else ""
            sections[current] = ""
        elif current is not None:
            sections[current] += " " + child.text
    return sections


def test_cli_reference_markdown_lists_every_command_and_option():
    commands, inventory = help_inventory()
    reference = clidoc.cli_reference()
    assert _reference_lists(_markdown_sections(reference), commands, inventory) == []
    # One section per command, each with its usage.
    for command in commands:
        assert f"## `service-catalogue {command}`" in reference
        assert f"usage: service-catalogue {command}" in reference


def test_cli_reference_page_of_the_built_site_lists_every_command_and_option(built_site):
    commands, inventory = help_inventory()
    page = article(built_site.page("guide/cli/index.html"))
    assert clidoc.MARKER not in built_site.path("guide/cli/index.html").read_text("utf-8")
    assert _reference_lists(_html_sections(page), commands, inventory) == []
    headings = [h.attrs.get("id") for h in page.find_all("h2")]
    assert [f"service-catalogue-{c}" for c in commands] == [h for h in headings if h != "service-catalogue"]


def test_cli_reference_marker_is_replaced_only_on_a_line_of_its_own():
    page = f"# CLI\n\n{clidoc.MARKER}\n\nSee `{clidoc.MARKER}` inline.\n"
    expanded = clidoc.expand(page)
    assert expanded.count("## `service-catalogue validate`") == 1
    assert f"See `{clidoc.MARKER}` inline." in expanded
    assert clidoc.expand("# No marker\n") == "# No marker\n"


def test_cli_reference_escapes_help_text():
    import argparse

    parser = argparse.ArgumentParser(prog="tool", description="Uses *stars* and a | pipe <b>bold</b>.")
    parser.add_argument("--mode", choices=["a|b", "c"], help="pick `one` [x]")
    text = clidoc.cli_reference(parser)
    assert r"Uses \*stars\* and a \| pipe &lt;b&gt;bold&lt;/b&gt;." in text
    assert r"pick \`one\` \[x\]" in text
    assert "<code>--mode {a&#124;b,c}</code>" in text


# --------------------------------------------------------------------------
# (e) the user guide in the example site


GUIDE = ("index", "getting-started", "writing-records", "agreements", "glossary", "configuration", "cli",
         "templates", "publishing", "editor-support", "format-versions", "reports")


def test_the_guide_is_built_and_in_the_navigation(built_site):
    home = built_site.page("index.html")
    nav_links = {a.attrs.get("href") for a in home.find_all("a", cls="md-nav__link")}
    for name in GUIDE:
        path = "guide/index.html" if name == "index" else f"guide/{name}/index.html"
        assert built_site.path(path).is_file(), path
        href = "guide/" if name == "index" else f"guide/{name}/"
        assert href in nav_links, f"{href} is not in the navigation"


def test_guide_images_exist_and_stay_small(built_site):
    images = set()
    for name in GUIDE:
        path = "guide/index.html" if name == "index" else f"guide/{name}/index.html"
        for img in article(built_site.page(path)).find_all("img"):
            target = (built_site.path(path).parent / img.attrs["src"]).resolve()
            assert target.is_file(), f"{path}: {img.attrs['src']}"
            assert img.attrs.get("alt"), f"{path}: an image without alt text"
            images.add(target.name)
    assert len(images) >= 3
    for source in (REPO / "docs" / "guide" / "img").glob("*.png"):
        assert source.stat().st_size < 300_000, source.name
        assert source.name in images, f"{source.name} is not used by any page"


def test_configuration_page_documents_every_plugin_option_with_its_default(built_site):
    from service_catalogue.mkdocs_plugin.config import ServiceCatalogueConfig

    page = article(built_site.page("guide/configuration/index.html"))
    rows = {}
    for row in page.find("table").find_all("tr")[1:]:
        cells = row.find_all("td")
        rows[cells[0].text] = cells[1].text
    for name, option in ServiceCatalogueConfig._schema:
        assert name in rows, f"option {name} is not documented"
        default = option.default
        if default is None:
            continue
        shown = json.dumps(default) if isinstance(default, (bool, list)) else str(default)
        assert rows[name] == shown, f"{name}: documented default {rows[name]!r}, actual {shown!r}"
        assert page.find(id=name) is not None, f"no section #{name}"


def test_guide_short_links_and_term_links_work(built_site):
    page = article(built_site.page("guide/glossary/index.html"))
    hrefs = [a.attrs.get("href", "") for a in page.find_all("a")]
    assert "../../catalogue/agreements/sla-collaboration/" in hrefs
    assert "../../catalogue/glossary/#downtime-budget" in hrefs
    html = built_site.path("guide/glossary/index.html").read_text("utf-8")
    assert "[[" not in re.sub(r"<code>.*?</code>", "", html, flags=re.S), "a short link was left unexpanded"
