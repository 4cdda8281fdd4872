"""Build small catalogues in a temporary folder and run the real CLI on them.

The base catalogue is a minimal valid set (two Parties, a Calendar, a Service,
an SLA and a Term), written from the strings below so that every test knows
the exact line and column of every value. Tests change one file, or add one,
and check what `service-catalogue validate` says about it.

run_cli runs a command in this process (a few milliseconds); run_executable
starts the real one (a few tenths of a second), for the smoke tests of the
executable and for what only a process shows.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from helpers.inprocess_build import time_limit
from service_catalogue import cli

CATALOGUE = "catalogue"  # the folder under tmp_path; paths print as catalogue/...

PARTIES = """\
apiVersion: catalogue/v1
kind: Party
id: it-services
title: IT Services
type: department
---
apiVersion: catalogue/v1
kind: Party
id: all-staff
title: All staff
type: customer
"""

CALENDAR = """\
apiVersion: catalogue/v1
kind: Calendar
id: business-hours
title: Business hours
timezone: Europe/London
weekly:
  - days: [mon, tue, wed, thu, fri]
    from: "08:00"
    to: "18:00"
"""

SERVICE = """\
apiVersion: catalogue/v1
kind: Service
id: email
title: Email
type: customer-facing
status: live
owner: it-services
offerings:
  - id: standard
    title: Standard mailbox
    agreement: sla-email
requests:
  - id: mailbox
    title: New mailbox
    fulfilment: 1d
    approval: false
"""

# Line numbers used by the tests: priorities[1] starts on line 18,
# its `response` value is on line 20 at column 15.
AGREEMENT = """\
apiVersion: catalogue/v1
kind: Agreement
id: sla-email
title: Email for staff
type: SLA
status: active
provider: it-services
customer: all-staff
services: [email]
period:
  start: 2026-01-01
  end: 2026-12-31
hours: business-hours
priorities:
  - id: P1
    description: No one can send or receive mail
    response: 15m
    resolution: 4h
  - id: P2
    description: A group of users is affected
    response: 1h
    resolution: 1d
"""

TERM = """\
apiVersion: catalogue/v1
kind: Term
id: service-level-agreement
title: Service level agreement
abbreviation: SLA
definition: An agreement between a service provider and a customer.
"""

BASE = {
    "parties/parties.yaml": PARTIES,
    "calendars/business-hours.yaml": CALENDAR,
    "services/email.yaml": SERVICE,
    "agreements/sla-email.yaml": AGREEMENT,
    "glossary/sla.yaml": TERM,
}
BASE_RECORDS = 6


def replace(text: str, old: str, new: str) -> str:
    """text with old replaced once; old must be there (a typo must not make a test pass)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def write_catalogue(tmp_path: Path, files: dict | None = None, base: bool = True) -> Path:
    """Write the base catalogue with `files` laid over it (value None deletes a file).

    Values are str (written as UTF-8) or bytes (written as they are).
    """
    root = tmp_path / CATALOGUE
    contents = dict(BASE) if base else {}
    contents.update(files or {})
    for name, content in contents.items():
        if content is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    root.mkdir(exist_ok=True)
    return root


@dataclass
class CliResult:
    """What a run of the command line did: the attributes of subprocess.CompletedProcess."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _inside(folder: Path):
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


@contextlib.contextmanager
def _environment(**values: str):
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_cli(cwd: Path, *args: str, timeout: float = 60, env: dict[str, str] | None = None) -> CliResult:
    """`service-catalogue ARGS` run in this process, in the folder cwd: main() with stdout
    and stderr captured and exits (--help, usage errors) turned into the exit code.

    What the real executable (run_executable) would print and return, at a tenth of the
    cost; a traceback is never acceptable, and here it fails the test as the exception
    itself. --help is as wide as in a pipe (80 columns) unless COLUMNS says otherwise;
    env sets environment variables for the run.
    What only a process shows (the encoding of its streams, how the interpreter exits)
    needs run_executable.
    """
    argv = [str(arg) for arg in args]
    out, err = io.StringIO(), io.StringIO()
    with _inside(cwd), _environment(**{"COLUMNS": os.environ.get("COLUMNS", "80"), **(env or {})}), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            time_limit(math.ceil(timeout), f"service-catalogue {' '.join(argv)}"):
        try:
            code = cli.main(argv)
        except SystemExit as exit:  # argparse: --help, --version, usage errors
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    return CliResult(argv, code, out.getvalue(), err.getvalue())


def run_executable(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `python -m service_catalogue ARGS` in cwd as a process of its own; no traceback
    is ever acceptable. For what needs a real process; run_cli for everything else."""
    proc = subprocess.run(
        [sys.executable, "-m", "service_catalogue", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    assert "Traceback" not in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def validate(tmp_path: Path, *args: str) -> CliResult:
    return run_cli(tmp_path, "validate", CATALOGUE, *args)


def problem_lines(stdout: str) -> list[str]:
    """The `file:line:col: error: ...` lines of the text output."""
    return [line for line in stdout.splitlines() if ": error: " in line or ": warning: " in line]


def expect_problem(
    proc: CliResult,
    head: str,
    hint: str | None = None,
    *,
    hint_starts: str | None = None,
    see_also: str | None = None,
) -> None:
    """The text output holds the problem line `head`, followed by its indented hint.

    head is the whole line: `file:line:col: error: Record id: field: message [code]`.
    """
    lines = proc.stdout.splitlines()
    assert lines.count(head) == 1, f"expected once:\n{head}\n\nin output:\n{proc.stdout}"
    index = lines.index(head)
    following = []
    for line in lines[index + 1 :]:
        if not line.startswith("  "):
            break
        following.append(line)
    hints = [line[len("  hint: ") :] for line in following if line.startswith("  hint: ")]
    if hint is not None:
        assert hints == [hint], f"expected hint {hint!r} after {head!r}, got {following}"
    if hint_starts is not None:
        assert len(hints) == 1 and hints[0].startswith(hint_starts), (hint_starts, following)
    if see_also is not None:
        assert f"  see also: {see_also}" in following, (see_also, following)


def expect_invalid(proc: CliResult, errors: int = 1) -> None:
    """Exit code 1, the given number of problem lines, and a summary to match."""
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    found = problem_lines(proc.stdout)
    assert len(found) == errors, "\n".join(found)
    last = proc.stdout.rstrip("\n").splitlines()[-1]
    noun = "error" if errors == 1 else "errors"
    assert last.startswith(f"{errors} {noun} in "), last


def expect_valid(proc: CliResult, records: int = BASE_RECORDS) -> None:
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout.strip() == f"catalogue is valid ({records} records)", proc.stdout


def json_report(proc: CliResult) -> dict:
    return json.loads(proc.stdout)


# --------------------------------------------------------------------------
# Case tables: one mistake in the base catalogue, and the problem validate reports


@dataclass(frozen=True)
class Mistake:
    """A row of a case table: the files laid over the base catalogue (as write_catalogue
    takes them) and the one problem line that `validate` must print for them, with its
    hint (whole, or how it starts) and its `see also` line.

    errors is how many problem lines the output holds in all (one mistake is one
    problem unless the row says otherwise); base=False writes only the files.
    """

    name: str
    files: dict
    head: str
    hint: str | None = None
    hint_starts: str | None = None
    see_also: str | None = None
    errors: int = 1
    base: bool = True


def mistakes(*rows: Mistake):
    """pytest.mark.parametrize over the rows, each named by its name."""
    import pytest

    names = [row.name for row in rows]
    assert len(set(names)) == len(names), "two rows share a name"
    return pytest.mark.parametrize("mistake", rows, ids=names)


def expect_mistake(tmp_path: Path, mistake: Mistake) -> CliResult:
    """Write the row's catalogue, run `validate`, and check exit code 1, the number of
    problem lines, the summary, and the row's problem line with its hint and see-also."""
    write_catalogue(tmp_path, mistake.files, base=mistake.base)
    proc = validate(tmp_path)
    expect_invalid(proc, errors=mistake.errors)
    expect_problem(proc, mistake.head, mistake.hint, hint_starts=mistake.hint_starts, see_also=mistake.see_also)
    return proc
