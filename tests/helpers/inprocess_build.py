"""Validate and build a catalogue in this process, as the property tests do thousands of times.

A subprocess per example would cost more than the build itself; these run the
real `validate` command and the real `mkdocs build` in-process, with a time
limit, and collect what they said.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import signal
from pathlib import Path

from service_catalogue import cli

BUILD_TIMEOUT = 180  # seconds for one build: far beyond a healthy one (a few seconds)
VALIDATE_TIMEOUT = 60

PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: (error|warning): ")
SUMMARY_LINE = re.compile(
    r"^(catalogue is valid \(\d+ records?\)|\d+ errors?( and \d+ warnings?)? in \d+ records?|\d+ warnings? in \d+ records?)$"
)


class Hung(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int, what: str):
    """Fail (rather than wait for ever) when `what` takes longer than seconds."""

    def expired(signum, frame):
        raise Hung(f"{what} took longer than {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def validate_in_process(catalogue: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), time_limit(VALIDATE_TIMEOUT, "validate"):
        code = cli.main(["validate", str(catalogue)])
    assert err.getvalue() == "", err.getvalue()
    return code, out.getvalue()


def check_validate_output(code: int, output: str) -> list[str]:
    """The problem lines; fails unless the output is well-formed for its exit code."""
    assert code in (0, 1), f"validate exited {code}\n{output}"
    lines = output.rstrip("\n").split("\n")
    assert SUMMARY_LINE.match(lines[-1]), f"no summary line at the end:\n{output}"
    problems = []
    for line in lines[:-1]:
        if line.startswith("  hint: ") or line.startswith("  see also: "):
            continue
        assert PROBLEM_LINE.match(line), f"not a located problem line: {line!r}\n\n{output}"
        problems.append(line)
    errors = [line for line in problems if PROBLEM_LINE.match(line).group(1) == "error"]
    if code == 1:
        assert errors, f"exit 1 without an error line:\n{output}"
    else:
        assert not errors, f"exit 0 with errors:\n{output}"
    return problems


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_in_process(project: Path, site: Path) -> tuple[bool, list[str]]:
    """(built?, the error messages logged)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with time_limit(BUILD_TIMEOUT, "mkdocs build"):
            config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
            try:
                build(config)
                built = True
            except Abort:
                built = False
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    # Nothing to clear: a plain build (not `serve`) keeps no parsed file once it ends.
    return built, handler.messages
