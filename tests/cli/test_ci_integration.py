"""The ready-made CI integration: the example workflow and the pre-commit hook run real commands.

Both files are parsed; every `service-catalogue` command they run must exist,
accept the options used (with each value an expression can take), and answer
`--help`. The workflow's diff step is then run as written against a clone whose
`origin` has the base branch, as on GitHub.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import diff_fixture
from service_catalogue.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "catalogue.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def steps() -> list[dict]:
    return [step for job in workflow()["jobs"].values() for step in job["steps"]]


def step_named(prefix: str) -> dict:
    found = [step for step in steps() if step.get("name", "").startswith(prefix)]
    assert len(found) == 1, [step.get("name") for step in steps()]
    return found[0]


def expression_values(text: str) -> list[str]:
    """The values an Actions expression can give: `cond && 'never' || 'weakened'` -> never, weakened."""
    return re.findall(r"(?:&&|\|\|)\s*'([^']*)'", text)


def command_lines(step: dict) -> list[str]:
    return [line.strip() for line in step.get("run", "").splitlines() if line.strip().startswith("service-catalogue")]


def as_argv(line: str, variables: dict[str, str]) -> list[str]:
    """A shell line as argv: variables filled in, the output redirection dropped."""
    line = re.sub(r"\$\{\{[^}]*\}\}", "main", line)
    for name, value in variables.items():
        line = line.replace(f"${name}", value)
    words = shlex.split(line)
    if ">" in words:
        words = words[: words.index(">")]
    return words


def all_workflow_commands() -> list[list[str]]:
    """Every command line of every step, once for each combination of its variables' values."""
    commands = []
    for step in steps():
        choices = {name: expression_values(str(value)) or ["main"] for name, value in step.get("env", {}).items()}
        for line in command_lines(step):
            for values in itertools.product(*choices.values()):
                commands.append(as_argv(line, dict(zip(choices, values))))
    return commands


def hook_commands() -> list[list[str]]:
    hooks = yaml.safe_load(HOOKS.read_text("utf-8"))
    return [shlex.split(hook["entry"]) + list(hook.get("args", [])) for hook in hooks]


def test_the_workflow_validates_with_annotations_and_posts_the_diff():
    data = workflow()
    triggers = data[True]  # YAML 1.1 (PyYAML) reads the key `on` as true
    assert set(triggers) == {"push", "pull_request"}
    assert {"labeled", "unlabeled"} <= set(triggers["pull_request"]["types"])
    validate = step_named("Validate")
    assert command_lines(validate) == ["service-catalogue validate catalogue --format github"]
    diff = step_named("Compare")
    assert command_lines(diff)[0].startswith('service-catalogue diff "origin/$BASE_REF"')
    assert "--format markdown" in command_lines(diff)[0]
    assert diff["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert "contains(github.event.pull_request.labels.*.name, 'approved-weakening')" in diff["env"]["FAIL_ON"]
    assert expression_values(diff["env"]["FAIL_ON"]) == ["never", "weakened"]
    comment = step_named("Post or update")
    assert comment["uses"].startswith("actions/github-script@")
    assert "<!-- service-catalogue-diff -->" in comment["with"]["script"]
    assert data["jobs"]["review"]["permissions"]["pull-requests"] == "write"


def test_the_pre_commit_hook():
    hooks = yaml.safe_load(HOOKS.read_text("utf-8"))
    assert [hook["id"] for hook in hooks] == ["service-catalogue-validate"]
    hook = hooks[0]
    assert hook["entry"] == "service-catalogue validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("catalogue/services/email.yaml") and files.search("catalogue/parties.yml")
    assert not files.search("docs/index.md") and not files.search("mkdocs.yml")


@pytest.mark.parametrize("argv", all_workflow_commands() + hook_commands(), ids=" ".join)
def test_every_command_and_option_exists(argv):
    assert argv[0] == "service-catalogue"
    args = build_parser().parse_args(argv[1:])  # exits 2 on an unknown command, option or choice
    assert args.run is not None
    proc = subprocess.run([sys.executable, "-m", "service_catalogue", argv[1], "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: service-catalogue " + argv[1])


def git(repo: Path, *args: str) -> None:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert proc.returncode == 0, (args, proc.stderr)


def test_the_diff_step_runs_as_written(tmp_path):
    """A pull request that weakens an SLA, checked out as actions/checkout leaves it."""
    upstream = tmp_path / "upstream"
    (upstream / "catalogue").mkdir(parents=True)
    git(upstream, "init", "-q", "-b", "main")
    for name, text in diff_fixture.FILES.items():
        (upstream / "catalogue" / name).write_text(text, encoding="utf-8")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "base")
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(upstream), str(checkout))
    sla = checkout / "catalogue" / "sla.yaml"
    sla.write_text(sla.read_text("utf-8").replace("resolution: 4h", "resolution: 8h"), encoding="utf-8")
    git(checkout, "commit", "-q", "-am", "slower P1")

    line = command_lines(step_named("Compare"))[0]
    for fail_on, exit_code in (("weakened", 1), ("never", 0)):
        argv = as_argv(line, {"BASE_REF": "main", "FAIL_ON": fail_on})
        proc = subprocess.run(
            [sys.executable, "-m", "service_catalogue", *argv[1:]],
            cwd=checkout, capture_output=True, text=True, encoding="utf-8",
        )
        assert proc.returncode == exit_code, (fail_on, proc.stdout, proc.stderr)
        assert proc.stdout.startswith("<!-- service-catalogue-diff -->")
        assert "`priorities[P1].resolution`: 4 hours -> 8 hours (`resolution-time`)" in proc.stdout


def test_the_validate_hook_runs_as_written(tmp_path):
    for name, text in diff_fixture.FILES.items():
        (tmp_path / "catalogue").mkdir(exist_ok=True)
        (tmp_path / "catalogue" / name).write_text(text, encoding="utf-8")
    argv = hook_commands()[0]
    proc = subprocess.run([sys.executable, "-m", "service_catalogue", *argv[1:]], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip() == f"catalogue is valid ({len(diff_fixture.IDS)} records)"
