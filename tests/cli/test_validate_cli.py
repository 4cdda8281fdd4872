"""The command line: output formats, exit codes, help, `new`, and all problems at once.

The commands run in this process (catalogue_builder.run_cli); the console script
and `python -m service_catalogue` are started for real once, to agree.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.catalogue_builder import (
    AGREEMENT,
    BASE_RECORDS,
    CATALOGUE,
    SERVICE,
    expect_invalid,
    expect_problem,
    expect_valid,
    json_report,
    problem_lines,
    replace,
    run_cli,
    run_executable,
    validate,
    write_catalogue,
)
from service_catalogue import KINDS
from service_catalogue.cli import build_parser
from service_catalogue.validation.loader import read_file
from service_catalogue.validation.schemas import schema_set

SLA = "catalogue/agreements/sla-email.yaml"
SVC = "catalogue/services/email.yaml"


def two_bad_files(tmp_path):
    """Three different problems in two files: two in the SLA, one in the Service."""
    agreement = replace(AGREEMENT, "response: 1h", "response: 4 hours")
    agreement = replace(agreement, "hours: business-hours\n", "hours: business-hours\nreveiw: {frequency: annual}\n")
    service = replace(SERVICE, "owner: it-services", "owner: it-servics")
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": agreement, "services/email.yaml": service})


def test_all_problems_are_reported_at_once(tmp_path):
    two_bad_files(tmp_path)
    proc = validate(tmp_path)
    expect_invalid(proc, errors=3)
    # Sorted by file, then line.
    assert problem_lines(proc.stdout) == [
        f"{SLA}:14:1: error: Agreement sla-email: reveiw: unknown field `reveiw` [schema.unknown-field]",
        f"{SLA}:22:15: error: Agreement sla-email: priorities[1].response: expected a duration such as "
        '`15m`, `4h` or `2d`, found the text "4 hours" [schema.duration]',
        f"{SVC}:7:8: error: Service email: owner: `it-servics` names no Party in the catalogue [ref.missing]",
    ]
    expect_problem(proc, problem_lines(proc.stdout)[0], "did you mean `review`?")
    assert proc.stdout.splitlines()[-1] == f"3 errors in {BASE_RECORDS} records"


def test_summary_counts_every_record_read(tmp_path):
    # The record with the problem is counted too, and one record is "1 record".
    write_catalogue(tmp_path, {"parties/parties.yaml": replace(
        "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\n", "team", "teem")}, base=False)
    proc = validate(tmp_path)
    expect_invalid(proc)
    assert proc.stdout.splitlines()[-1] == "1 error in 1 record"


def test_format_json(tmp_path):
    two_bad_files(tmp_path)
    proc = validate(tmp_path, "--format", "json")
    assert proc.returncode == 1
    report = json_report(proc)
    assert report["valid"] is False
    assert report["records"] == BASE_RECORDS
    assert report["summary"] == f"3 errors in {BASE_RECORDS} records"
    problems = report["problems"]
    assert [(p["file"], p["line"], p["column"], p["field"], p["code"]) for p in problems] == [
        (SLA, 14, 1, "reveiw", "schema.unknown-field"),
        (SLA, 22, 15, "priorities[1].response", "schema.duration"),
        (SVC, 7, 8, "owner", "ref.missing"),
    ]
    first, second, third = problems
    assert first["message"] == "unknown field `reveiw`"
    assert first["hint"] == "did you mean `review`?"
    assert second["message"] == 'expected a duration such as `15m`, `4h` or `2d`, found the text "4 hours"'
    assert second["hint"] == "write the number and the unit together: `m` minutes, `h` hours, `d` service days, `w` service weeks"
    assert second["record"] == "Agreement sla-email"
    assert third["message"] == "`it-servics` names no Party in the catalogue"
    assert third["hint"] == "did you mean `it-services`?"
    assert all(p["severity"] == "error" for p in problems)


def test_format_json_valid(tmp_path):
    write_catalogue(tmp_path)
    proc = validate(tmp_path, "--format", "json")
    assert proc.returncode == 0
    assert json_report(proc) == {
        "valid": True,
        "records": BASE_RECORDS,
        "summary": f"catalogue is valid ({BASE_RECORDS} records)",
        "problems": [],
    }


def test_format_github(tmp_path):
    two_bad_files(tmp_path)
    proc = validate(tmp_path, "--format", "github")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 3
    assert all(re.match(r"::error file=[^,]+,line=\d+,col=\d+,", line) for line in annotations)
    assert annotations[1] == (
        f"::error file={SLA},line=22,col=15,title=service-catalogue schema.duration::"
        'Agreement sla-email: priorities[1].response: expected a duration such as `15m`, `4h` or `2d`, '
        'found the text "4 hours"%0Ahint: write the number and the unit together: `m` minutes, `h` hours, `d` service days, `w` service weeks'
    )
    assert annotations[2].startswith(f"::error file={SVC},line=7,col=8,title=service-catalogue ref.missing::")
    assert lines[-1] == f"3 errors in {BASE_RECORDS} records"


@pytest.mark.parametrize(
    "args, complaint",
    [
        (["validate", CATALOGUE, "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["validate", CATALOGUE, "--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["validate", CATALOGUE, "--max-file-size", "lots"], "argument --max-file-size: expected a size such as"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["new", "Service"], "the following arguments are required: ID"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, complaint):
    write_catalogue(tmp_path)
    proc = run_cli(tmp_path, *args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert complaint in proc.stderr
    assert "--help" in proc.stderr
    assert proc.stdout == ""


def test_no_command_shows_help_and_exits_2(tmp_path):
    proc = run_cli(tmp_path)
    assert proc.returncode == 2
    assert "validate" in proc.stdout and "new" in proc.stdout


def _options(parser):
    """Every option string and positional name of an argparse parser."""
    names = []
    for action in parser._actions:
        if action.option_strings:
            names.extend(action.option_strings)
        elif action.metavar and not isinstance(action.metavar, tuple) and action.dest != "command":
            names.append(action.metavar)
    return names


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return parser, action.choices


@pytest.mark.parametrize("level", ["top", *_subparsers()[1]])
def test_help_at_every_level(tmp_path, level):
    top, commands = _subparsers()
    parser = top if level == "top" else commands[level]
    args = ["--help"] if level == "top" else [level, "--help"]
    proc = run_cli(tmp_path, *args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: service-catalogue")
    for name in _options(parser):
        assert name in proc.stdout, f"{name} missing from {level} --help"
    for action in parser._actions:
        if action.dest not in ("help", "version", "command"):
            assert action.help, f"{action.dest} of {level} has no help text"
    if level == "top":
        for command in commands:
            assert command in proc.stdout
    if level == "validate":
        for choice in ("text", "json", "github"):
            assert choice in proc.stdout
    if level == "new":
        for kind in KINDS:
            assert kind in proc.stdout


def test_console_script_and_module_agree(tmp_path):
    write_catalogue(tmp_path, {"services/email.yaml": replace(SERVICE, "owner: it-services", "owner: it-servics")})
    script = Path(sys.executable).parent / "service-catalogue"
    by_script = subprocess.run([str(script), "validate", CATALOGUE], cwd=tmp_path, capture_output=True, text=True)
    by_module = run_executable(tmp_path, "validate", CATALOGUE)
    in_process = validate(tmp_path)
    assert by_script.returncode == by_module.returncode == in_process.returncode == 1
    assert by_script.stdout == by_module.stdout == in_process.stdout
    assert by_script.stderr == by_module.stderr == in_process.stderr == ""


FOLDERS = {"Service": "services", "Agreement": "agreements", "Party": "parties", "Calendar": "calendars", "Term": "glossary"}


@pytest.mark.parametrize("kind", KINDS)
def test_new_writes_a_record_that_parses(tmp_path, kind):
    proc = run_cli(tmp_path, "new", kind.lower(), "my-record")
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / "catalogue" / FOLDERS[kind] / "my-record.yaml"
    assert proc.stdout.strip() == f"wrote {Path('catalogue', FOLDERS[kind], 'my-record.yaml')}"
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.yaml")) == [target.relative_to(tmp_path)]
    result = read_file(target, "my-record.yaml")
    assert result.problems == []
    [record] = result.records
    assert (record.kind, record.id) == (kind, "my-record")
    assert schema_set().problems(record) == []


def test_new_service_joins_a_valid_catalogue(tmp_path):
    write_catalogue(tmp_path)
    proc = run_cli(tmp_path, "new", "Service", "printing", "--catalogue", CATALOGUE)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "catalogue/services/printing.yaml").is_file()
    expect_valid(validate(tmp_path), records=BASE_RECORDS + 1)


# A catalogue of its own ids, none of the `init` example's (it-services, all-staff,
# business-hours, email): what a team has once it has removed the examples.
OWN_CATALOGUE = {
    "parties/parties.yaml": """\
apiVersion: catalogue/v1
kind: Party
id: platform-team
title: Platform team
type: team
---
apiVersion: catalogue/v1
kind: Party
id: acme
title: Acme Ltd
type: supplier
---
apiVersion: catalogue/v1
kind: Party
id: finance
title: Finance
type: customer
""",
    "calendars/office.yaml": """\
apiVersion: catalogue/v1
kind: Calendar
id: office
title: Office hours
timezone: Europe/Berlin
weekly:
  - {days: [mon, tue, wed, thu, fri], from: "08:00", to: "17:00"}
""",
    "services/ledger.yaml": """\
apiVersion: catalogue/v1
kind: Service
id: ledger
title: Ledger
type: customer-facing
status: pipeline
owner: platform-team
consumers: [finance]
""",
}


@pytest.mark.parametrize(
    ("kind", "record_id"),
    [("Service", "payroll"), ("Agreement", "sla-ledger"), ("Agreement", "ola-ledger"), ("Agreement", "uc-acme"),
     ("Party", "auditors"), ("Calendar", "weekend"), ("Term", "ledger-entry")],
)
def test_new_then_validate_passes_on_a_catalogue_without_the_examples(tmp_path, kind, record_id):
    # Defect (issue 15): skeletons named it-services, my-service and business-hours,
    # so `new` then `validate` gave ref.missing errors once the examples were gone.
    write_catalogue(tmp_path, OWN_CATALOGUE, base=False)
    proc = run_cli(tmp_path, "new", kind, record_id, "--catalogue", CATALOGUE)
    assert proc.returncode == 0, proc.stderr
    expect_valid(validate(tmp_path), records=6)


def test_new_agreement_takes_its_type_and_title_from_the_id(tmp_path):
    write_catalogue(tmp_path, OWN_CATALOGUE, base=False)
    for record_id in ("uc-acme", "ola-ledger", "sla-ledger", "ledger-terms"):
        assert run_cli(tmp_path, "new", "Agreement", record_id, "--catalogue", CATALOGUE).returncode == 0
    records = {}
    for path in (tmp_path / CATALOGUE / "agreements").glob("*.yaml"):
        [record] = read_file(path, path.name).records
        records[record.id] = record.data
    assert {(i, d["type"], d["title"]) for i, d in records.items()} == {
        ("uc-acme", "UC", "Acme UC"),
        ("ola-ledger", "OLA", "Ledger OLA"),
        ("sla-ledger", "SLA", "Ledger SLA"),
        ("ledger-terms", "SLA", "Ledger terms"),  # no prefix: an SLA, the commonest
    }
    # A UC's provider is the supplier; an SLA's customer is a customer party.
    assert (records["uc-acme"]["provider"], records["uc-acme"]["customer"]) == ("acme", "platform-team")
    assert (records["sla-ledger"]["provider"], records["sla-ledger"]["customer"]) == ("platform-team", "finance")
    assert {d["hours"] for d in records.values()} == {"office"}
    assert {tuple(d["services"]) for d in records.values()} == {("ledger",)}


def test_new_in_an_empty_catalogue_says_what_to_fill_in(tmp_path):
    proc = run_cli(tmp_path, "new", "Agreement", "sla-ledger")
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "catalogue/agreements/sla-ledger.yaml").read_text("utf-8")
    provider = next(line for line in text.splitlines() if line.startswith("provider:"))
    assert provider.endswith(
        "# Party id; the catalogue has no Party yet: write one (service-catalogue new Party ID) and name it here"
    ), provider
    assert "it-services" not in text and "business-hours" not in text


def test_new_never_overwrites(tmp_path):
    assert run_cli(tmp_path, "new", "Party", "helpdesk").returncode == 0
    target = tmp_path / "catalogue/parties/helpdesk.yaml"
    target.write_text(target.read_text() + "# my own edits\n")
    before = target.read_bytes()
    proc = run_cli(tmp_path, "new", "Party", "helpdesk")
    assert proc.returncode == 1
    assert "already exists; not overwritten" in proc.stderr
    assert target.read_bytes() == before


def test_new_refuses_an_unknown_kind_with_did_you_mean(tmp_path):
    proc = run_cli(tmp_path, "new", "Servce", "printing")
    assert proc.returncode == 2
    assert "unknown kind 'Servce': did you mean `Service`?" in proc.stderr
    assert not (tmp_path / "catalogue").exists()


def test_new_refuses_a_bad_id(tmp_path):
    proc = run_cli(tmp_path, "new", "Service", "My Printing")
    assert proc.returncode == 2
    assert "'My Printing' is not a valid id" in proc.stderr
    assert not (tmp_path / "catalogue").exists()


def test_missing_catalogue_folder(tmp_path):
    proc = run_cli(tmp_path, "validate", "nowhere")
    assert proc.returncode == 1
    expect_problem(
        proc,
        "nowhere:1:1: error: the catalogue folder does not exist [catalogue.missing]",
        "pass the folder that holds your YAML records, e.g. `catalogue/`",
    )
