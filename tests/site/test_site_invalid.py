"""An invalid catalogue fails `mkdocs build` with the located messages of
`service-catalogue validate`, and leaves the site folder alone."""

from __future__ import annotations

import re
import shutil

import pytest

from helpers.catalogue_builder import run_cli
from helpers.site_build import copy_project, describe, run_mkdocs_build, tree_digest

LOCATED = re.compile(r"^(\S+?):(\d+):(\d+): error: ")


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory):
    """A copy of the example with one record broken: a service's title becomes a number."""
    project = copy_project(tmp_path_factory.mktemp("invalid") / "project")
    services = sorted((project / "catalogue" / "services").glob("*.yaml"))
    assert services, "the example catalogue has no service file"
    target = services[0]
    lines = target.read_text("utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[index] = "title: 42\n"  # a number where the format wants text
    target.write_text("".join(lines), encoding="utf-8")
    relative = target.relative_to(project).as_posix()

    validate = run_cli(project, "validate", "catalogue")
    assert validate.returncode == 1, describe(validate)
    located = [line for line in validate.stdout.splitlines() if LOCATED.match(line)]
    # the break is reported where it is: the file, the line and the value's column
    assert any(line.startswith(f"{relative}:{index + 1}:8: error: ") for line in located), describe(validate)
    return project, validate, located


def _assert_same_messages(build, validate, located):
    output = build.stdout + build.stderr
    assert build.returncode != 0, f"mkdocs build passed with an invalid catalogue\n{describe(build)}"
    assert located, describe(validate)
    # every line `validate` prints (located problems, hints, the summary) appears as is
    missing = [line for line in validate.stdout.strip().splitlines() if line not in output.splitlines()]
    assert not missing, f"lines of `service-catalogue validate` missing from the build output: {missing}\n{describe(build)}"
    assert "Traceback" not in output, describe(build)


def test_invalid_catalogue_fails_and_writes_no_site(broken_project):
    project, validate, located = broken_project
    site = project.parent / "new-site"
    assert not site.exists()
    build = run_mkdocs_build(project, site, strict=False)
    _assert_same_messages(build, validate, located)
    assert not site.exists() or not any(site.iterdir()), f"the build wrote {sorted(tree_digest(site))}"


def test_invalid_catalogue_leaves_a_previous_build_unchanged(broken_project, built_site):
    project, validate, located = broken_project
    site = project.parent / "previous-site"
    shutil.copytree(built_site.site, site)
    before = tree_digest(site)
    assert "index.html" in before and len(before) > 10
    build = run_mkdocs_build(project, site, strict=False)
    _assert_same_messages(build, validate, located)
    assert tree_digest(site) == before, "the failed build changed the previous site"


def test_invalid_catalogue_fails_strict_build_too(broken_project):
    project, validate, located = broken_project
    site = project.parent / "strict-site"
    build = run_mkdocs_build(project, site, strict=True)
    _assert_same_messages(build, validate, located)
    assert not site.exists() or not any(site.iterdir())


def test_an_unreadable_report_export_fails_the_build_and_leaves_a_previous_site_unchanged(tmp_path, built_site):
    """An export whose rows are mostly bad (here a ServiceNow export read with the Jira preset)
    stops the build with the file and its rows, before anything is written or cleaned."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "preset: servicenow-task-sla" in text
    config.write_text(text.replace("preset: servicenow-task-sla", "preset: jira-service-management"), "utf-8")
    site = tmp_path / "previous-site"
    shutil.copytree(built_site.site, site)
    before = tree_digest(site)
    build = run_mkdocs_build(project, site, strict=False)
    output = build.stdout + build.stderr
    assert build.returncode != 0 and "Traceback" not in output, describe(build)
    assert ("servicenow-task-sla.csv:1:1: error: reports.tickets[0].columns.id: no column `Issue key` for id: "
            "no row can be read [data.column]") in output, describe(build)
    assert "the report inputs are wrong" in output and "no row can be read" in output, describe(build)
    assert tree_digest(site) == before, "the failed build changed the previous site"
