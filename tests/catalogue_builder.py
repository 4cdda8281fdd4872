"""Build small catalogues in a temporary folder and run the real CLI on them.

The base catalogue is a minimal valid set (two Parties, a Calendar, a Service,
an SLA and a Term), written from the strings below so that every test knows
the exact line and column of every value. Tests change one file, or add one,
and check what `service-catalogue validate` says about it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

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


def run_cli(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `python -m service_catalogue ARGS` in tmp_path; no traceback is ever acceptable."""
    proc = subprocess.run(
        [sys.executable, "-m", "service_catalogue", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    assert "Traceback" not in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def validate(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return run_cli(tmp_path, "validate", CATALOGUE, *args)


def problem_lines(stdout: str) -> list[str]:
    """The `file:line:col: error: ...` lines of the text output."""
    return [line for line in stdout.splitlines() if ": error: " in line or ": warning: " in line]


def expect_problem(
    proc: subprocess.CompletedProcess,
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


def expect_invalid(proc: subprocess.CompletedProcess, errors: int = 1) -> None:
    """Exit code 1, the given number of problem lines, and a summary to match."""
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    found = problem_lines(proc.stdout)
    assert len(found) == errors, "\n".join(found)
    last = proc.stdout.rstrip("\n").splitlines()[-1]
    noun = "error" if errors == 1 else "errors"
    assert last.startswith(f"{errors} {noun} in "), last


def expect_valid(proc: subprocess.CompletedProcess, records: int = BASE_RECORDS) -> None:
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout.strip() == f"catalogue is valid in {records} records", proc.stdout


def json_report(proc: subprocess.CompletedProcess) -> dict:
    return json.loads(proc.stdout)
