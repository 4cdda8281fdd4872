"""The ready-made CI integration: the example workflow and the pre-commit hook run real commands.

Both files are parsed; every `service-catalogue` command they run must exist,
accept the options used (with each value an expression can take), and answer
`--help`. The workflow's diff step is then run as written against a clone whose
`origin` has the base branch, as on GitHub.

The workflow `init` writes is held to the same, and more: only its pull-request
job may write, and only comments; it uses --fail-on wherever a command offers it;
its steps run in bash as written. Every run: block of the three workflows (that
one, this repository's and its release workflow) passes Debian's shellcheck.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
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
    checkout = _pull_request_checkout(tmp_path)

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


# --------------------------------------------------------------------------
# The workflow `init` writes (scaffold/github-workflow.yml), as init writes it

RELEASE_WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
UNQUOTED_BASE = "service-catalogue diff origin/$BASE --format markdown > catalogue-diff.md\n"  # the scaffold's step before


def scaffold_workflow_text() -> str:
    from service_catalogue import scaffolding

    (text,) = [item.text for item in scaffolding.plan() if item.path == ".github/workflows/catalogue.yml"]
    return text


def scaffold_workflow() -> dict:
    return yaml.safe_load(scaffold_workflow_text())


def scaffold_step(prefix: str) -> dict:
    found = [step for job in scaffold_workflow()["jobs"].values() for step in job["steps"]
             if step.get("name", "").startswith(prefix)]
    assert len(found) == 1, prefix
    return found[0]


def scaffold_commands() -> list[list[str]]:
    commands = []
    for job in scaffold_workflow()["jobs"].values():
        for step in job["steps"]:
            choices = {name: expression_values(str(value)) or ["main"] for name, value in step.get("env", {}).items()}
            for line in command_lines(step):
                for values in itertools.product(*choices.values()):
                    commands.append(as_argv(line.replace("|| status=$?", ""), dict(zip(choices, values))))
    return commands


def test_the_scaffold_workflow_gives_write_access_to_the_pull_request_job_only():
    data = scaffold_workflow()
    triggers = data[True]
    assert triggers["push"] == {"branches": ["main"]}
    assert {"opened", "synchronize", "reopened", "labeled", "unlabeled"} <= set(triggers["pull_request"]["types"])
    assert data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert set(jobs) == {"check", "review"}
    # check: every push and pull request; the repository's contents to read, nothing else.
    assert "if" not in jobs["check"] and jobs["check"].get("permissions", data["permissions"]) == {"contents": "read"}
    check_runs = " ".join(step.get("run", "") for step in jobs["check"]["steps"])
    assert "service-catalogue validate --format github" in check_runs and "mkdocs build --strict" in check_runs
    assert "gh " not in check_runs and "diff" not in check_runs
    # review: pull requests only, the one job that may write, and only comments.
    assert jobs["review"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["review"]["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert jobs["review"]["steps"][0]["with"]["fetch-depth"] == 0
    comment = scaffold_step("Comment the diff")
    assert comment["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    assert scaffold_step("A weakening needs")["if"] == "steps.diff.outputs.status != '0'"


def test_the_scaffold_workflow_uses_fail_on_wherever_a_command_offers_it():
    parser = build_parser()
    used = set()
    for argv in scaffold_commands():
        help_text = subprocess.run([sys.executable, "-m", "service_catalogue", argv[1], "--help"],
                                   capture_output=True, text=True).stdout
        if "--fail-on" in help_text:
            assert "--fail-on" in argv, argv
            used.add(argv[argv.index("--fail-on") + 1])
        parser.parse_args(argv[1:])  # exits 2 on an unknown command, option or choice
    assert used == {"weakened", "never"}  # weakened, or never once the label approves it
    diff = scaffold_step("Semantic diff")
    assert expression_values(diff["env"]["FAIL_ON"]) == ["never", "weakened"]
    assert "contains(github.event.pull_request.labels.*.name, 'approved-weakening')" in diff["env"]["FAIL_ON"]


def shellcheck(script: str) -> subprocess.CompletedProcess:
    """Debian's shellcheck on a run: block as GitHub runs it (bash; an expression is text
    by then, as actionlint reads it too)."""
    found = shutil.which("shellcheck")
    assert found, "shellcheck is not installed: apt-get install shellcheck (.ci/run does)"
    script = re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", script)
    return subprocess.run([found, "--shell=bash", "--format=gcc", "-"], input=script, capture_output=True, text=True)


def run_blocks() -> list[tuple[str, str]]:
    blocks = []
    for name, data in (("scaffold", scaffold_workflow()), ("catalogue.yml", workflow()),
                       ("release.yml", yaml.safe_load(RELEASE_WORKFLOW.read_text("utf-8")))):
        for job_name, job in data["jobs"].items():
            for step in job["steps"]:
                if "run" in step:
                    blocks.append((f"{name}: {job_name}: {step.get('name', step['run'][:30])}", step["run"]))
    return blocks


@pytest.mark.parametrize("where, script", run_blocks(), ids=[where for where, _ in run_blocks()])
def test_every_run_block_passes_shellcheck(where, script):
    result = shellcheck(script)
    assert result.returncode == 0 and result.stdout == "", f"{where}:\n{result.stdout}{result.stderr}"


def test_shellcheck_finds_the_unquoted_base_the_scaffold_had():
    result = shellcheck(UNQUOTED_BASE)
    assert result.returncode == 1 and "[SC2086]" in result.stdout, result.stdout
    assert '"origin/$BASE"' in scaffold_step("Semantic diff")["run"]


def _pull_request_checkout(tmp_path: Path) -> Path:
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
    return checkout


def run_step(step: dict, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A run: block as GitHub runs it on Linux: bash -e, with GITHUB_OUTPUT."""
    script = cwd / "step.sh"
    script.write_text(step["run"], "utf-8")
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", **env}
    return subprocess.run(["bash", "--noprofile", "--norc", "-e", str(script)], cwd=cwd, env=environment,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_the_scaffold_diff_step_runs_as_written(tmp_path):
    """The step itself, in bash: the diff of a weakening pull request is written for the
    comment and its status kept for the last step, which fails unless the label approves it."""
    checkout = _pull_request_checkout(tmp_path)
    step = scaffold_step("Semantic diff")
    for fail_on, status in (("weakened", "1"), ("never", "0")):
        output = tmp_path / f"github-output-{fail_on}"
        # The scaffold's catalogue is catalogue/, diff's default; the base branch is origin/main.
        result = run_step(step, checkout, {"BASE": "main", "FAIL_ON": fail_on, "GITHUB_OUTPUT": str(output)})
        assert result.returncode == 0, (result.stdout, result.stderr)  # the step passes; the last one fails
        assert output.read_text("utf-8") == f"status={status}\n"
        written = (checkout / "catalogue-diff.md").read_text("utf-8")
        assert written.startswith("<!-- service-catalogue-diff -->")
        assert "`priorities[P1].resolution`: 4 hours -> 8 hours (`resolution-time`)" in written
        assert result.stdout == written  # printed in the log too
    result = run_step(step, checkout, {"BASE": "no-such-branch", "FAIL_ON": "weakened",
                                       "GITHUB_OUTPUT": str(tmp_path / "github-output-bad")})
    assert result.returncode == 0 and (tmp_path / "github-output-bad").read_text("utf-8") == "status=2\n"


def test_the_scaffold_comment_step_edits_the_last_comment_or_writes_one(tmp_path):
    """With a stand-in for the GitHub CLI that logs its arguments: --edit-last first, a new
    comment when there is none to edit, and nothing at all for an empty diff file."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    log = tmp_path / "gh.log"
    gh = bin_ / "gh"
    gh.write_text('#!/bin/sh\necho "$*" >> "$GH_LOG"\ncase " $* " in *" --edit-last "*) exit "$EDIT_EXIT";; esac\n', "utf-8")
    gh.chmod(0o755)
    step = scaffold_step("Comment the diff")
    env = {"PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}", "GH_LOG": str(log), "GH_TOKEN": "t", "PR": "7"}
    (tmp_path / "catalogue-diff.md").write_text("<!-- service-catalogue-diff -->\nchanged\n", "utf-8")
    for edit_exit, calls in (("0", ["pr comment 7 --edit-last --body-file catalogue-diff.md"]),
                             ("1", ["pr comment 7 --edit-last --body-file catalogue-diff.md",
                                    "pr comment 7 --body-file catalogue-diff.md"])):
        log.write_text("", "utf-8")
        result = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-c", step["run"]], cwd=tmp_path,
                                env={**os.environ, **env, "EDIT_EXIT": edit_exit}, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert log.read_text("utf-8").splitlines() == calls
    log.write_text("", "utf-8")
    (tmp_path / "catalogue-diff.md").write_text("", "utf-8")
    result = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-c", step["run"]], cwd=tmp_path,
                            env={**os.environ, **env, "EDIT_EXIT": "0"}, capture_output=True, text=True)
    assert result.returncode == 0 and log.read_text("utf-8") == ""
