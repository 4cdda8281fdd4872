"""The report package: one writer per output format, chosen by name, and each command prints
what the writer of its --format writes, for problems, findings and changes."""

from __future__ import annotations

import dataclasses

import datetime as dt
import json
from pathlib import Path

import pytest

from helpers.catalogue_builder import AGREEMENT, SERVICE, replace, run_cli, write_catalogue
from service_catalogue import pipeline
from service_catalogue.diff import diff_records
from service_catalogue.diff.comparison import Comparison
from service_catalogue.diff.sources import load_side
from service_catalogue.errors import ServiceCatalogueError, UnknownFormatError
from service_catalogue.options import Options
from service_catalogue.report import WRITER_BY_NAME, Writer, names_for, writer
from service_catalogue.report.base import SUBJECTS
from service_catalogue.report.markdown import COMMENT_MARKER

AS_OF = "2026-11-29"
BROKEN = {"services/email.yaml": replace(SERVICE, "title: Email", "title: 42")}
WEAKENED = {"agreements/sla-email.yaml": replace(AGREEMENT, "resolution: 4h", "resolution: 8h")}


def _looks_like(name: str, printed: str) -> None:
    """Equal outputs must not be equal by both being empty or of the wrong format."""
    assert printed.strip(), name
    if name == "json":
        json.loads(printed)
    elif name == "github":
        assert printed.startswith(("::error ", "::warning ")), printed
    elif name == "markdown":
        assert printed.startswith(COMMENT_MARKER), printed


# --------------------------------------------------------------------------
# The table


def test_each_subject_has_the_formats_the_commands_offer_in_their_order():
    assert names_for("problems") == ["text", "json", "github"]
    assert names_for("findings") == ["text", "json", "github"]
    assert names_for("changes") == ["text", "markdown", "json"]


def test_every_writer_defines_what_it_says_it_writes_and_nothing_else():
    for name, writer_class in WRITER_BY_NAME.items():
        assert writer_class.name == name
        assert writer_class.writes and set(writer_class.writes) <= set(SUBJECTS), name
        for subject in SUBJECTS:
            defined = getattr(writer_class, subject) is not getattr(Writer, subject)
            assert defined == (subject in writer_class.writes), (name, subject)


@pytest.mark.parametrize(("name", "subject"), [("yaml", "problems"), ("markdown", "findings"), ("github", "changes"), ("", "changes")])
def test_a_name_that_writes_no_such_subject_is_an_unknown_format(name, subject):
    with pytest.raises(UnknownFormatError) as raised:
        writer(name, subject)
    assert isinstance(raised.value, ServiceCatalogueError)
    assert str(raised.value) == f"unknown format `{name}` for {subject}: the formats are {', '.join(names_for(subject))}"


def test_an_unknown_subject_is_a_programming_error():
    with pytest.raises(ValueError, match="no such subject 'diffs'"):
        names_for("diffs")


@pytest.mark.parametrize(("command", "subject"), [("validate", "problems"), ("check", "findings"), ("diff", "changes")])
def test_the_commands_offer_the_names_of_the_table(tmp_path, command, subject):
    usage = run_cli(tmp_path, command, "--format", "yaml", "catalogue")
    assert usage.returncode == 2
    offered = sorted(names_for(subject)) if command != "diff" else names_for(subject)
    assert f"invalid choice: 'yaml' (choose from {', '.join(repr(n) for n in offered)})" in usage.stderr


# --------------------------------------------------------------------------
# Problems: validate, and check on an invalid catalogue


@pytest.mark.parametrize("name", names_for("problems"))
def test_validate_prints_what_the_problems_writer_writes(tmp_path, name, monkeypatch):
    catalogue = write_catalogue(tmp_path, BROKEN)
    printed = run_cli(tmp_path, "validate", "catalogue", "--format", name)
    assert printed.returncode == 1
    monkeypatch.chdir(tmp_path)
    result = pipeline.validate(Options(catalogue=Path("catalogue")))  # paths as the command prints them
    assert catalogue.is_dir() and result.problems
    assert printed.stdout == writer(name, "problems").problems(result.problems, result.total) + "\n"
    _looks_like(name, printed.stdout)


@pytest.mark.parametrize("name", names_for("problems"))
def test_validate_a_valid_catalogue_prints_the_summary_of_no_problems(tmp_path, name):
    write_catalogue(tmp_path)
    printed = run_cli(tmp_path, "validate", "catalogue", "--format", name)
    assert printed.returncode == 0
    assert printed.stdout == writer(name, "problems").problems([], 6) + "\n"
    assert "catalogue is valid (6 records)" in printed.stdout


@pytest.mark.parametrize("name", names_for("findings"))
def test_check_of_an_invalid_catalogue_prints_its_problems_in_its_format(tmp_path, name, monkeypatch):
    write_catalogue(tmp_path, BROKEN)
    printed = run_cli(tmp_path, "check", "catalogue", "--as-of", AS_OF, "--format", name)
    assert (printed.returncode, printed.stderr) == (1, "")
    monkeypatch.chdir(tmp_path)
    result = pipeline.validate(Options(catalogue=Path("catalogue")))
    assert printed.stdout == writer(name, "problems").problems(result.problems, result.total) + "\n"
    _looks_like(name, printed.stdout)


# --------------------------------------------------------------------------
# Findings: check


@pytest.mark.parametrize("name", names_for("findings"))
def test_check_prints_what_the_findings_writer_writes(tmp_path, name, monkeypatch):
    write_catalogue(tmp_path)
    printed = run_cli(tmp_path, "check", "catalogue", "--as-of", AS_OF, "--format", name)
    assert printed.returncode == 1
    monkeypatch.chdir(tmp_path)
    as_of = dt.date.fromisoformat(AS_OF)
    run = pipeline.prepare(Options(catalogue=Path("catalogue"), as_of=as_of))
    assert run.findings
    assert printed.stdout == writer(name, "findings").findings(run.findings, len(run.validation.records), as_of) + "\n"
    _looks_like(name, printed.stdout)
    assert f"as of {AS_OF}" in printed.stdout


def test_the_text_writer_writes_a_finding_as_it_writes_a_problem(tmp_path, monkeypatch):
    write_catalogue(tmp_path)
    monkeypatch.chdir(tmp_path)
    findings = pipeline.prepare(Options(catalogue=Path("catalogue"), as_of=dt.date.fromisoformat(AS_OF))).findings
    text = WRITER_BY_NAME["text"]()
    assert isinstance(text, type(writer("text", "findings")))
    for finding in findings:
        line = text.finding(finding)
        # As a problem is written, but without the field: a finding's message starts with words
        # (defect, issue 15: "sla-email: type: Email for staff is an active SLA").
        assert line == text.problem(dataclasses.replace(finding.to_problem(), field=""))
        assert line.startswith(f"{finding.location}: warning: {finding.subject.record.label}: {finding.message}")
        assert line.split("\n")[0].endswith(f"[{finding.rule}]")


# --------------------------------------------------------------------------
# Changes: diff


def _sides(tmp_path: Path, head_files: dict | None):
    write_catalogue(tmp_path / "base")
    write_catalogue(tmp_path / "head", head_files)
    return "base/catalogue", "head/catalogue"


def _comparison(base_spec: str, head_spec: str) -> Comparison:
    limits = Options().limits
    head = load_side(head_spec, Path("."), "catalogue", limits)
    base = load_side(base_spec, Path("."), "catalogue", limits)
    if not head.validation.ok:
        return Comparison(base, head, [], head.validation.problems)
    changes = diff_records(base.records, head.records)
    # As the command does: the breach windows the changes open, from today (its default as-of date).
    as_of = Options().as_of
    windows = pipeline.compare_windows(base.validation, head.validation, changes, as_of)
    return Comparison(base, head, changes, head.validation.problems, windows, as_of)


@pytest.mark.parametrize("name", names_for("changes"))
@pytest.mark.parametrize(("head_files", "exit_code"), [(WEAKENED, 0), (None, 0), (BROKEN, 1)], ids=["weakened", "same", "invalid"])
def test_diff_prints_what_the_changes_writer_writes(tmp_path, name, head_files, exit_code, monkeypatch):
    base, head = _sides(tmp_path, head_files)
    printed = run_cli(tmp_path, "diff", base, head, "--format", name)
    assert printed.returncode == exit_code, printed
    monkeypatch.chdir(tmp_path)
    comparison = _comparison(base, head)
    assert bool(comparison.changes) == (head_files is WEAKENED)
    assert printed.stdout == writer(name, "changes").changes(comparison) + "\n"
    if name != "text" or head_files is not None:
        assert printed.stdout.strip()
    if name == "json":
        assert json.loads(printed.stdout)["valid"] == (head_files is not BROKEN)
    if name == "markdown":
        assert printed.stdout.startswith(COMMENT_MARKER)
    if head_files is WEAKENED:
        assert "weakened" in printed.stdout


def test_the_text_and_markdown_changes_of_an_invalid_head_are_its_problems_as_validate_writes_them(tmp_path, monkeypatch):
    base, head = _sides(tmp_path, BROKEN)
    monkeypatch.chdir(tmp_path)
    comparison = _comparison(base, head)
    problems = writer("text", "problems").problems(comparison.problems, comparison.head.validation.total)
    assert writer("text", "changes").changes(comparison) == problems
    assert f"```\n{problems}\n```" in writer("markdown", "changes").changes(comparison)
    validate = run_cli(tmp_path, "validate", head)
    assert validate.stdout == problems + "\n"
