"""Hardening of what the commands print: PR comments, terminals, CI annotations, scaffolds.

- the Markdown report that the workflow posts as a pull-request comment renders,
  through GitHub's own cmark-gfm, every piece of catalogue text as that text:
  no image, link, mention or issue reference, no HTML, heading or table;
- terminal and CI output (validate, check, diff, and every message on stderr)
  shows control and bidi characters escaped: a VT100 emulator (pyte) fed the
  bytes sees the escaped text and no control sequence; JSON keeps exact values;
- `diff` in a bare repository, a `.git` folder, a repository with a missing
  object, a shallow clone or without git says what is wrong, never a traceback;
- `init --site-name` writes any name so that `mkdocs build --strict` builds a
  site with that name; sizes on the command line are bounded;
- comparing long lists costs work in proportion to their length.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import cmarkgfm
import pyte
import pytest
from cmarkgfm.cmark import Options

from helpers.catalogue_builder import AGREEMENT, CATALOGUE, PARTIES, SERVICE, replace, run_cli, write_catalogue
from service_catalogue.analysis.findings import Finding
from service_catalogue.validation.folder import ValidationResult
from service_catalogue.diff import diff_records
from service_catalogue.diff.comparison import Comparison
from service_catalogue.diff.sources import Side
from service_catalogue.validation.loader import read_text
from service_catalogue.report import writer
from service_catalogue.validation.problems import Location, Problem

REPO = Path(__file__).resolve().parents[2]
MKDOCS = REPO / ".venv" / "bin" / "mkdocs"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
}

# --------------------------------------------------------------------------
# What hostile text looks like

# Markdown and GitHub syntax that must come out of the PR comment as the same text.
MARKDOWN_ATTACKS = [
    "![pixel](https://evil.example/p.png)",
    "[click me](https://evil.example/a)",
    "<https://evil.example/b>",
    "see https://evil.example/c now",
    "www.evil.example",
    "mail bob@evil.example",
    "xmpp:bob@evil.example",
    '<img src="https://evil.example/i.png">',
    "<b>bold</b>",
    "&copy; &#x41;",
    "**strong** _em_ ~~gone~~ `tick`",
    "cc @octo-org/security-team and @alice",
    "fixes #1 and GH-2",
    "a | pipe",
    ":warning: :+1:",
]
# Syntax that only counts at the start of a line (multi-line fields).
BLOCK_ATTACKS = ["# Heading", "- item", "1. item", "> quote", "| a | b |", "| --- | --- |", "---", "    indented", "```"]

# What a terminal would obey: clear the screen, colour, a hyperlink (OSC 8), a C1 CSI, bidi.
TERMINAL_ATTACK = (
    "\x1b[2J\x1b[HAPPROVED \x1b[31mRED\x1b[0m \x1b]8;;https://evil.example/\x07click\x1b]8;;\x07 "
    "\x9b7m \x1b]0;owned\x07 \u202eevil\u202c \u2066iso\u2069 \u2028line \x08\x7f"
)
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe_characters(text: str) -> list[str]:
    """The characters that a terminal or a viewer would obey rather than show (decision 1's set)."""
    return [
        f"U+{ord(c):04X}" for c in text
        if (unicodedata.category(c) == "Cc" and c != "\n") or c in BIDI or c in "\u2028\u2029"
    ]


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar holding value exactly (a JSON string is one)."""
    return json.dumps(value)


# --------------------------------------------------------------------------
# GitHub's renderer


def gfm(markdown: str) -> str:
    # UNSAFE: GitHub keeps raw HTML (then sanitises it); the report's own HTML must pass.
    return cmarkgfm.github_flavored_markdown_to_html(markdown, Options.CMARK_OPT_UNSAFE)


class Rendered(HTMLParser):
    """The tags and the text of rendered HTML; text inside <code> is kept apart."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.code: list[str] = []
        self._in_code = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_code += tag == "code"

    def handle_endtag(self, tag):
        self._in_code -= tag == "code"

    def handle_data(self, data):
        (self.code if self._in_code else self.texts).append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts + ["\n"] + self.code).replace("\u2060", "")

    @property
    def linkable_text(self) -> str:
        """Text where GitHub looks for mentions and references (not in code)."""
        return "".join(self.texts)


# The report's own markup; anything else came from catalogue text.
REPORT_TAGS = {"h2", "h3", "p", "ul", "li", "strong", "code", "details", "summary", "br",
               "table", "thead", "tbody", "tr", "th", "td", "pre"}
MENTION = re.compile(r"(?<![\w/])@[A-Za-z0-9]")
ISSUE_REFERENCE = re.compile(r"#\d|\bGH-\d", re.IGNORECASE)
EMOJI = re.compile(r":[a-z0-9_+-]+:")


def assert_inert(markdown: str, texts: list[str]) -> Rendered:
    rendered = Rendered(gfm(markdown))
    tags = {tag for tag, _ in rendered.tags}
    assert tags <= REPORT_TAGS, (tags - REPORT_TAGS, markdown)
    # The summary table's numbers are aligned right: the only attribute the report writes.
    assert not [attrs for _, attrs in rendered.tags if set(attrs) - {"align"}], rendered.tags
    for text in texts:
        assert text in rendered.text, (text, rendered.text)
    linkable = rendered.linkable_text
    assert not MENTION.search(linkable), MENTION.findall(linkable)
    assert not ISSUE_REFERENCE.search(linkable), ISSUE_REFERENCE.findall(linkable)
    assert not EMOJI.search(linkable), EMOJI.findall(linkable)
    return rendered


# --------------------------------------------------------------------------
# Item 3: the pull-request comment


def _hostile_head(tmp_path: Path) -> tuple[Path, Path]:
    base = write_catalogue(tmp_path / "base")
    title = " ".join(MARKDOWN_ATTACKS[:4])
    description = "\n".join(BLOCK_ATTACKS + MARKDOWN_ATTACKS[4:])
    agreement = replace(AGREEMENT, "title: Email for staff", f"title: {yaml_string(title)}")
    agreement += f"description: {yaml_string(description)}\n"
    agreement += "objectives:\n" + "".join(f"  - {yaml_string(text)}\n" for text in MARKDOWN_ATTACKS[6:10])
    party = PARTIES + "---\n" + (
        "apiVersion: catalogue/v1\nkind: Party\nid: hostile\n"
        f"title: {yaml_string(' '.join(MARKDOWN_ATTACKS[10:]))}\ntype: team\n"
    )
    head = write_catalogue(tmp_path / "head", {"agreements/sla-email.yaml": agreement, "parties/parties.yaml": party})
    # A file name is catalogue text too: it is shown as the record's source.
    (head / "parties" / "parties.yaml").rename(head / "parties" / "@octo-org #1 *x* `y` [z](w).yaml")
    return base, head


def test_markdown_report_renders_every_catalogue_text_as_text(tmp_path):
    base, head = _hostile_head(tmp_path)
    proc = run_cli(tmp_path, "diff", str(base.relative_to(tmp_path)), str(head.relative_to(tmp_path)), "--format", "markdown")
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    # Table cells and list items are cut to a length; these are short enough to be whole.
    shown = [" ".join(MARKDOWN_ATTACKS[:4]), *MARKDOWN_ATTACKS[6:10], "@octo-org #1 *x* `y` [z](w).yaml"]
    rendered = assert_inert(proc.stdout, shown)
    assert " ".join(MARKDOWN_ATTACKS[10:]) in rendered.text
    # The headings are the report's own: one h2, one h3 per record.
    assert [tag for tag, _ in rendered.tags].count("h2") == 1


def test_markdown_report_block_syntax_in_multi_line_text(tmp_path):
    base, head = _hostile_head(tmp_path)
    proc = run_cli(tmp_path, "diff", "base/catalogue", "head/catalogue", "--format", "markdown")
    rendered = assert_inert(proc.stdout, [])
    for text in BLOCK_ATTACKS[:4] + BLOCK_ATTACKS[6:7]:
        assert text in rendered.text, (text, rendered.text)
    assert not {"h1", "ol", "blockquote", "hr", "pre"} & {tag for tag, _ in rendered.tags}


def _side(label: str, records=(), problems=()) -> Side:
    validation = ValidationResult(list(records), list(problems), files=1, total=len(records))
    return Side(label, label, "folder", None, validation)


def _records(text: str, file: str):
    result = read_text(text, file, Path(file))
    assert not result.problems, result.problems
    return result.records


def test_markdown_report_escapes_labels_ids_fields_and_rules():
    """Formatter level: every text that reaches the report, hostile, including what the schema refuses today."""
    hostile = "[l](https://evil.example) @team #1 <i>x</i> `c`| a\\|b ``"
    base = _records(f"apiVersion: catalogue/v1\nkind: Party\nid: {yaml_string(hostile)}\ntitle: t\ntype: team\n", "p.yaml")
    head = _records(
        f"apiVersion: catalogue/v1\nkind: Party\nid: {yaml_string(hostile)}\ntitle: {yaml_string(hostile)}\n"
        f"type: team\ntags: [{yaml_string(hostile)}]\n{yaml_string(hostile)}: {yaml_string(hostile)}\n",
        f"{hostile}.yaml",
    )
    changes = diff_records(base, head)
    for change in changes[0].fields:
        change.rule = hostile
    comparison = Comparison(_side(f"folder {hostile}", base), _side(f"folder {hostile}", head), changes, [])
    rendered = assert_inert(writer("markdown", "changes").changes(comparison), [hostile, f"tags[{hostile}]", f"{hostile}.yaml:1"])
    assert rendered.text.count(hostile) >= 6, rendered.text


def test_markdown_report_of_an_invalid_head_keeps_the_problems_in_their_block(tmp_path):
    """A path starting with backticks must not end the fenced block of problems early."""
    write_catalogue(tmp_path / "base")
    head = tmp_path / "```"
    head.mkdir()
    write_catalogue(head, {"parties/x.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: x\ntitle: t\ntype: '@team #1 <img src=x>'\n"})
    proc = run_cli(tmp_path, "diff", "base/catalogue", "```/catalogue", "--format", "markdown")
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    rendered = Rendered(gfm(proc.stdout))
    assert {tag for tag, _ in rendered.tags} <= REPORT_TAGS, rendered.tags
    assert "```/catalogue/parties/x.yaml:5:7: error:" in "".join(rendered.code), rendered.code
    assert "<img src=x>" in "".join(rendered.code)


def test_the_workflow_posts_the_report_from_a_file():
    """The comment body is read from a file, and nothing a pull request's author chooses (title,
    body, head branch) is written into the workflow's shell: the base branch comes through env."""
    workflow = (REPO / "plugins/service_catalogue/scaffold/github-workflow.yml").read_text("utf-8")
    assert "--body-file catalogue-diff.md" in workflow
    expressions = re.findall(r"\$\{\{(.*?)\}\}", workflow)
    assert {e.strip() for e in expressions} <= {
        "github.base_ref", "github.token", "github.event.pull_request.number",
        # one of two words, chosen by a label only maintainers can add
        "contains(github.event.pull_request.labels.*.name, 'approved-weakening') && 'never' || 'weakened'",
    }, expressions
    for line in workflow.splitlines():
        if "${{" in line:
            assert re.match(r"\s+[A-Z_]+: \$\{\{", line), line  # only ever into an environment variable


# --------------------------------------------------------------------------
# Item 4: control characters in every terminal and CI output


class RecordingScreen(pyte.Screen):
    """A VT100 screen that notes every control the stream asks it to obey (anything but
    text and line feeds); what the screen does inside one of those calls is its own."""

    ALLOWED = {"draw", "linefeed", "carriage_return", "debug"}

    def __init__(self, columns: int, lines: int):
        super().__init__(columns, lines)
        self.obeyed: list[tuple] = []
        self._depth = 0
        for name in pyte.Stream.events:
            if hasattr(self, name):
                setattr(self, name, self._recorder(name, getattr(self, name)))

    def _recorder(self, name, method):
        def recorded(*args, **kwargs):
            if self._depth == 0 and name not in self.ALLOWED:
                self.obeyed.append((name, args))
            self._depth += 1
            try:
                return method(*args, **kwargs)
            finally:
                self._depth -= 1

        return recorded


def on_terminal(output: bytes) -> RecordingScreen:
    lines = output.count(b"\n") + 2
    screen = RecordingScreen(400, max(lines, 24))
    screen.set_mode(pyte.modes.LNM)  # a line feed returns the carriage, as a tty's onlcr does
    screen.obeyed.clear()
    pyte.ByteStream(screen).feed(output)
    return screen


def assert_terminal_safe(output: bytes, *shown: str) -> None:
    text = output.decode("utf-8", "surrogateescape")
    assert not unsafe_characters(text), (unsafe_characters(text), text)
    screen = on_terminal(output)
    assert screen.obeyed == [], screen.obeyed
    assert screen.title == "" and screen.icon_name == ""
    default = screen.default_char
    styled = [
        (y, x, char) for y, row in screen.buffer.items() for x, char in row.items()
        if char.data != " " and char._replace(data=default.data) != default
    ]
    assert not styled, styled[:5]
    display = "\n".join(line.rstrip() for line in screen.display)
    for expected in shown:
        assert expected in display, (expected, display)


def run_bytes(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The CLI's real stdout and stderr bytes, as a terminal would receive them."""
    proc = subprocess.run(
        [sys.executable, "-m", "service_catalogue", *args], cwd=cwd, capture_output=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )
    assert b"Traceback" not in proc.stdout + proc.stderr, proc.stderr.decode(errors="replace")
    return proc


ESCAPED_PART = "\\x1b[2J"  # how one_line shows the start of TERMINAL_ATTACK
HOSTILE_FILE = "parties/\x1b[2Jclear\x1b]8;;x\x07.yaml"


def _terminal_catalogue(tmp_path: Path, folder: str = "head") -> Path:
    party = PARTIES + "---\n" + (
        f"apiVersion: catalogue/v1\nkind: Party\nid: hostile\ntitle: {yaml_string(TERMINAL_ATTACK)}\ntype: team\n"
    )
    service = replace(SERVICE, "title: Email", f"title: {yaml_string('Email ' + TERMINAL_ATTACK)}")
    return write_catalogue(tmp_path / folder, {
        "parties/parties.yaml": party,
        "services/email.yaml": service,
        # A file name with controls, holding a record the schema refuses whatever it allows in titles.
        HOSTILE_FILE: f"apiVersion: catalogue/v1\nkind: Party\nid: other\ntitle: {yaml_string(TERMINAL_ATTACK)}\ntype: nope\n",
    })


@pytest.mark.parametrize("command", [
    ["validate", "head/catalogue"],
    ["validate", "head/catalogue", "--format", "github"],
    ["check", "head/catalogue"],
    ["check", "head/catalogue", "--format", "github"],
    ["diff", "base/catalogue", "head/catalogue"],
    ["diff", "base/catalogue", "head/catalogue", "--format", "markdown"],
])
def test_terminal_output_shows_controls_escaped(tmp_path, command):
    write_catalogue(tmp_path / "base")
    _terminal_catalogue(tmp_path)
    proc = run_bytes(tmp_path, *command)
    assert proc.returncode in (0, 1), proc.stderr
    assert_terminal_safe(proc.stdout, "clear")
    assert_terminal_safe(proc.stderr)
    assert ESCAPED_PART in proc.stdout.decode(), proc.stdout.decode()


def test_check_findings_in_github_annotations_escape_controls(tmp_path):
    """Findings quote titles; once the schema refuses controls, formatter level is all that is left."""
    write_catalogue(tmp_path / "base")
    head = _terminal_catalogue(tmp_path)
    (head / HOSTILE_FILE).unlink()
    proc = run_bytes(tmp_path, "check", "head/catalogue", "--format", "github", "--as-of", "2026-06-01")
    assert_terminal_safe(proc.stdout)


def _git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert proc.returncode == 0, (args, proc.stderr)
    return proc.stdout


def _revisions(tmp_path: Path) -> Path:
    """A repository whose v1 is the base catalogue and v2 holds controls in titles and a file name."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    write_catalogue(repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v1")
    _git(repo, "tag", "v1")
    shutil.rmtree(repo / CATALOGUE)
    shutil.move(_terminal_catalogue(tmp_path), repo / CATALOGUE)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v2")
    _git(repo, "tag", "v2")
    return repo


@pytest.mark.parametrize("revisions", [["v1", "v2"], ["v2", "v1"]])
@pytest.mark.parametrize("output", ["text", "markdown"])
def test_diff_of_git_revisions_holding_controls(tmp_path, revisions, output):
    repo = _revisions(tmp_path)
    proc = run_bytes(repo, "diff", *revisions, "--format", output)
    assert proc.returncode in (0, 1), proc.stderr
    assert_terminal_safe(proc.stdout)
    assert_terminal_safe(proc.stderr)
    assert ESCAPED_PART in (proc.stdout + proc.stderr).decode()


def test_diff_of_multi_line_fields_holding_bidi_and_separators(tmp_path):
    """The schema allows bidi controls and U+2028 in Markdown fields: the outputs escape them."""
    write_catalogue(tmp_path / "base")
    description = "Before \u202eevil\u202c and \u2066iso\u2069,\u2028next\tcell\rend"
    agreement = AGREEMENT + f"description: {yaml_string(description)}\n"
    write_catalogue(tmp_path / "head", {"agreements/sla-email.yaml": agreement})
    proc = run_bytes(tmp_path, "diff", "base/catalogue", "head/catalogue")
    assert proc.returncode == 0, proc.stderr
    # On one line of a terminal a line separator is a space, as a line break is.
    assert_terminal_safe(proc.stdout, "Before \\u202eevil\\u202c and \\u2066iso\\u2069, next")
    proc = run_bytes(tmp_path, "diff", "base/catalogue", "head/catalogue", "--format", "markdown")
    assert_terminal_safe(proc.stdout)
    assert_inert(proc.stdout.decode(), ["Before \\u202eevil\\u202c and \\u2066iso\\u2069,\\u2028next\\tcell"])
    proc = run_bytes(tmp_path, "diff", "base/catalogue", "head/catalogue", "--format", "json")
    assert not unsafe_characters(proc.stdout.decode()), proc.stdout
    record = json.loads(proc.stdout)["records"][0]
    assert record["changes"][0]["after"] == description


@pytest.mark.parametrize("command", [
    ["diff", TERMINAL_ATTACK],
    ["diff", TERMINAL_ATTACK, "--repo", TERMINAL_ATTACK],
    ["diff", "base/catalogue", "head/catalogue", "--catalogue", TERMINAL_ATTACK],
    ["new", TERMINAL_ATTACK, "x"],
    ["new", "service", TERMINAL_ATTACK],
    ["check", "base/catalogue", "--disable", TERMINAL_ATTACK],
    ["validate", "base/catalogue", "--format", TERMINAL_ATTACK],
    ["validate", "base/catalogue", "--max-file-size", TERMINAL_ATTACK],
    ["check", "base/catalogue", "--as-of", TERMINAL_ATTACK],
    [TERMINAL_ATTACK],
    ["init", "afile", "--site-name", "x"],
    ["init", "new", "--site-name", TERMINAL_ATTACK],
])
def test_messages_on_stderr_show_controls_escaped(tmp_path, command):
    write_catalogue(tmp_path / "base")
    write_catalogue(tmp_path / "head")
    (tmp_path / "afile").write_text("")
    proc = run_bytes(tmp_path, *command)
    assert proc.returncode in (0, 1, 2), (proc.stdout, proc.stderr)
    assert_terminal_safe(proc.stdout)
    assert_terminal_safe(proc.stderr)


def test_init_and_new_echo_their_paths_escaped(tmp_path):
    target = f"cat{TERMINAL_ATTACK[:12]}"
    proc = run_bytes(tmp_path, "init", target)
    assert proc.returncode == 0, proc.stderr
    assert_terminal_safe(proc.stdout)
    proc = run_bytes(tmp_path, "new", "service", "x", "--catalogue", f"{target}/catalogue")
    assert proc.returncode == 0, proc.stderr
    assert_terminal_safe(proc.stdout)


# Formatter level: hostile Problems, Findings and Comparisons, whatever the schema lets through.

HOSTILE_PROBLEM = Problem(
    Location(f"catalogue/{TERMINAL_ATTACK}.yaml", 3, 4), "schema.type", f"message {TERMINAL_ATTACK}",
    field=f"field{TERMINAL_ATTACK}", record=f"Party {TERMINAL_ATTACK}", hint=f"hint {TERMINAL_ATTACK}",
    related=(Location(f"other{TERMINAL_ATTACK}.yaml", 1, 1),),
)


@pytest.mark.parametrize("output", ["text", "github"])
def test_problem_formatters_escape_controls(output):
    printed = writer(output, "problems").problems([HOSTILE_PROBLEM], 1)
    assert_terminal_safe(printed.encode(), "message \\x1b[2J")
    if output == "github":
        assert all(line.startswith("::error ") for line in printed.splitlines()[:-1]), printed


def _hostile_finding() -> Finding:
    record = SimpleNamespace(label=f"Agreement {TERMINAL_ATTACK}", file=f"x{TERMINAL_ATTACK}", location=lambda *a: Location("x"))
    entity = SimpleNamespace(record=record, kind="Agreement", id=TERMINAL_ATTACK)
    return Finding(
        "chain.rule", f"ends {TERMINAL_ATTACK}", (entity,), Location(f"catalogue/{TERMINAL_ATTACK}.yaml", 2, 3),
        field=f"f{TERMINAL_ATTACK}", related=(Location(f"y{TERMINAL_ATTACK}"),),
    )


@pytest.mark.parametrize("output", ["text", "github"])
def test_finding_formatters_escape_controls(output):
    printed = writer(output, "findings").findings([_hostile_finding()], 1)
    assert_terminal_safe(printed.encode(), "ends \\x1b[2J")


def _hostile_comparison(invalid: bool = False) -> Comparison:
    text = (
        f"apiVersion: catalogue/v1\nkind: Party\nid: {yaml_string(TERMINAL_ATTACK)}\n"
        f"title: {yaml_string(TERMINAL_ATTACK)}\ntype: team\n"
    )
    base = _records(text.replace("type: team", "type: nobody"), f"{TERMINAL_ATTACK}.yaml")
    head = _records(text + f"summary: {yaml_string(TERMINAL_ATTACK)}\n", f"{TERMINAL_ATTACK}.yaml")
    changes = [] if invalid else diff_records(base, head)
    problems = [HOSTILE_PROBLEM] if invalid else []
    head_side = _side(f"folder {TERMINAL_ATTACK}", head, problems)
    return Comparison(_side(f"folder {TERMINAL_ATTACK}", base), head_side, changes, problems)


@pytest.mark.parametrize("invalid", [False, True])
@pytest.mark.parametrize("output", ["text", "markdown"])
def test_diff_formatters_escape_controls(output, invalid):
    printed = writer(output, "changes").changes(_hostile_comparison(invalid))
    if output == "text":
        assert_terminal_safe(printed.encode(), ESCAPED_PART)
    else:  # what GitHub shows
        assert_terminal_safe(printed.encode())
        assert ESCAPED_PART in Rendered(gfm(printed)).text


def test_json_outputs_keep_exact_values_with_controls_escaped():
    """JSON keeps every value exactly; no raw control, C1 or bidi character is written."""
    documents = [
        writer("json", "problems").problems([HOSTILE_PROBLEM], 1),
        writer("json", "findings").findings([_hostile_finding()], 1),
        writer("json", "changes").changes(_hostile_comparison()),
        writer("json", "changes").changes(_hostile_comparison(invalid=True)),
    ]
    for document in documents:
        assert not unsafe_characters(document), unsafe_characters(document)
    assert json.loads(documents[0])["problems"][0]["message"] == f"message {TERMINAL_ATTACK}"
    assert json.loads(documents[1])["findings"][0]["message"] == f"ends {TERMINAL_ATTACK}"
    record = json.loads(documents[2])["records"][0]
    assert record["title"] == TERMINAL_ATTACK and record["id"] == TERMINAL_ATTACK
    assert json.loads(documents[3])["problems"][0]["hint"] == f"hint {TERMINAL_ATTACK}"


# --------------------------------------------------------------------------
# Item 10: diff where git cannot give what it needs


def _repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    write_catalogue(repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v1")
    _git(repo, "tag", "v1")
    (repo / CATALOGUE / "agreements" / "sla-email.yaml").write_text(
        replace(AGREEMENT, "response: 15m", "response: 30m"), encoding="utf-8"
    )
    _git(repo, "commit", "-qam", "v2")
    _git(repo, "tag", "v2")
    return repo


def _weakened_response(proc) -> None:
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    report = json.loads(proc.stdout)
    assert [change["field"] for change in report["records"][0]["changes"]] == ["priorities[P1].response"]


def test_diff_reads_revisions_from_a_bare_repository(tmp_path):
    repo = _repository(tmp_path)
    _git(tmp_path, "clone", "-q", "--bare", str(repo), "bare.git")
    _weakened_response(run_cli(tmp_path, "diff", "v1", "v2", "--repo", "bare.git", "--format", "json"))
    # The working tree is not there to compare against.
    proc = run_cli(tmp_path, "diff", "v1", "--repo", "bare.git")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "bare.git has no working tree" in proc.stderr, proc.stderr


def test_diff_reads_revisions_from_inside_the_git_folder(tmp_path):
    repo = _repository(tmp_path)
    _weakened_response(run_cli(repo / ".git", "diff", "v1", "v2", "--format", "json"))
    _weakened_response(run_cli(tmp_path, "diff", "v1", "v2", "--repo", "repo/.git", "--format", "json"))


def test_diff_with_an_object_missing_from_the_repository(tmp_path):
    repo = _repository(tmp_path)
    blob = _git(repo, "rev-parse", "v1:catalogue/agreements/sla-email.yaml").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    proc = run_cli(repo, "diff", "v1", "v2")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert f"git cannot read catalogue/agreements/sla-email.yaml at v1 ({_git(repo, 'rev-parse', '--short=7', 'v1').strip()})" in proc.stderr, proc.stderr


def test_diff_in_a_shallow_clone_names_the_missing_history(tmp_path):
    repo = _repository(tmp_path)
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", "shallow")
    proc = run_cli(tmp_path / "shallow", "diff", "HEAD~1")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "unknown revision 'HEAD~1'" in proc.stderr and "fetch-depth: 0" in proc.stderr, proc.stderr


def test_diff_without_git(tmp_path):
    write_catalogue(tmp_path)
    proc = run_cli_env(tmp_path, {"PATH": str(tmp_path / "nowhere")}, "diff", "main")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "git is not installed" in proc.stderr, proc.stderr


def test_diff_with_a_catalogue_outside_the_repository(tmp_path):
    repo = _repository(tmp_path)
    proc = run_cli(repo, "diff", "v1", "v2", "--catalogue", str(tmp_path))
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert f"--catalogue {tmp_path} is outside the git repository at {repo}" in proc.stderr, proc.stderr
    proc = run_cli(repo, "diff", "v1", "v2", "--catalogue", "../elsewhere")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "--catalogue ../elsewhere is outside the git repository" in proc.stderr, proc.stderr


def test_diff_where_git_refuses_the_repository_says_what_git_said(tmp_path):
    """Git refuses a broken repository (or one owned by someone else): its own words beat a guess."""
    repo = _repository(tmp_path)
    (repo / ".git" / "HEAD").write_text("not a ref\n")
    proc = run_cli(repo, "diff", "v1")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "git says:" in proc.stderr, proc.stderr


def run_cli_env(cwd: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "service_catalogue", *args], cwd=cwd, capture_output=True, text=True,
        encoding="utf-8", timeout=60, env={**os.environ, **env},
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


# --------------------------------------------------------------------------
# Item 10: init --site-name, whatever the name


SITE_NAMES = [
    "No", "On", "yes", "2026", "1e3", "0x1F", "null", "~", ".inf", "2026-01-01", "12:30",
    "It's \"quoted\"", "# not a comment", "a: b", "key: value # x", "{{ config.site_name }}", "{% raw %}",
    "[list]", "{map: 1}", "*alias", "&anchor", "!tag", "%percent", "@at", "`tick`", "|", ">",
    "- dash", "?", "Ünïcödé ☃ 日本", "<b>bold</b> & <script>x</script>", "**Acme** _IT_", "back\\slash",
    "trailing space ", "\u00a0nbsp",
]


class _Titles(HTMLParser):
    """The texts a reader sees as the site's name: <title>, the header's topic, the page's h1."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.title = self.topic = self.h1 = ""
        self._stack: list[str] = []  # the part each open element belongs to
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        inside = self._stack[-1] if self._stack else ""
        if tag == "title":
            part = "title"
        elif tag == "h1" and not self.h1:
            part = "h1"
        elif tag == "a" and inside == "h1":
            part = "permalink"  # the toc extension's ¶
        elif "md-header__topic" in classes and not self.topic:
            part = "topic"
        else:
            part = inside
        if tag not in ("meta", "link", "br", "img", "input"):
            self._stack.append(part)

    def handle_endtag(self, tag):
        if tag not in ("meta", "link", "br", "img", "input") and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        part = self._stack[-1] if self._stack else ""
        if part in ("title", "topic", "h1"):
            setattr(self, part, getattr(self, part) + data)


@pytest.mark.parametrize("name", SITE_NAMES)
def test_init_site_name_builds_with_that_name(tmp_path, name):
    proc = run_cli(tmp_path, "init", "site", "--site-name", name)
    assert proc.returncode == 0, proc.stderr
    build = subprocess.run([str(MKDOCS), "build", "--strict"], cwd=tmp_path / "site", capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    shown = " ".join(name.split())
    page = _Titles((tmp_path / "site" / "site" / "index.html").read_text("utf-8"))
    assert page.title.strip() == shown, page.title
    assert " ".join(page.topic.split()) == shown, page.topic
    assert page.h1.replace("\u200b", "").strip() == shown, page.h1


@pytest.mark.parametrize("name", ["two\nlines", "tab\there", "esc\x1b[2J", "bidi\u202eevil", "", "   "])
def test_init_refuses_a_site_name_that_is_not_one_line_of_text(tmp_path, name):
    proc = run_cli(tmp_path, "init", "site", "--site-name", name)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "service-catalogue init: --site-name" in proc.stderr, proc.stderr
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------
# Item 18: sizes on the command line


@pytest.mark.parametrize("size", ["9223372036854775807", "9223372036854775808", "99999999999999999999999MiB", "2GiB"])
def test_a_huge_max_file_size_is_a_usage_error(tmp_path, size):
    write_catalogue(tmp_path)
    proc = run_cli(tmp_path, "validate", CATALOGUE, "--max-file-size", size)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert f"argument --max-file-size: at most 1GiB (1073741824 bytes), got '{size}'" in proc.stderr, proc.stderr


def test_the_largest_max_file_size_is_accepted(tmp_path):
    write_catalogue(tmp_path)
    proc = run_cli(tmp_path, "validate", CATALOGUE, "--max-file-size", "1GiB")
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    proc = run_cli(tmp_path, "validate", CATALOGUE, "--max-file-size", "1073741824")
    assert proc.returncode == 0, (proc.stdout, proc.stderr)


# --------------------------------------------------------------------------
# Item 19: long lists are compared in linear work


class CountedText(str):
    """A list item that counts how often it is compared or hashed."""

    work = 0

    def __eq__(self, other):
        CountedText.work += 1
        return str.__eq__(self, other)

    def __ne__(self, other):
        CountedText.work += 1
        return str.__ne__(self, other)

    def __hash__(self):
        CountedText.work += 1
        return str.__hash__(self)


def _agreement_records(items: dict) -> list:
    # One item a line: a flow list would pass the loader's line length limit.
    document = AGREEMENT[: AGREEMENT.index("priorities:\n")] + "".join(
        f"{key}:\n" + "".join(f"  - {json.dumps(item)}\n" for item in value) for key, value in items.items()
    )
    return _records(document, "catalogue/agreements/sla-email.yaml")


def _traced_lines(function, *args) -> int:
    """Python lines executed inside the diff package and difflib: the work of a comparison."""
    count = 0
    package = str(REPO / "plugins" / "service_catalogue")

    def tracer(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename.startswith(package) or frame.f_code.co_filename.endswith("difflib.py"):
            if event == "line":
                count += 1
            return tracer
        return None

    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def _scalar_work(n: int) -> int:
    base = _agreement_records({"objectives": [f"old objective {i}" for i in range(n)]})
    head = _agreement_records({"objectives": [f"new objective {i}" for i in range(n)]})
    for records in (base, head):
        records[0].data["objectives"] = [CountedText(item) for item in records[0].data["objectives"]]
    CountedText.work = 0
    changes = diff_records(base, head)
    assert len(changes[0].fields) == 2 * n
    return CountedText.work


def test_two_long_lists_of_text_that_differ_entirely_cost_linear_work():
    small, large = _scalar_work(200), _scalar_work(800)
    assert large <= 4 * small * 1.25, (small, large)


LIST_CASES = {
    # items without ids, compared by position: differing entirely, and in reverse order
    "differ": lambda n: ([{"condition": f"old {i}", "credit": "1%"} for i in range(n)],
                         [{"condition": f"new {i}", "credit": "2%"} for i in range(n)]),
    "reversed": lambda n: ([{"condition": f"c {i}", "credit": "1%"} for i in range(n)],
                           [{"condition": f"c {i}", "credit": "1%"} for i in reversed(range(n))]),
    # half the items the same, the rest new: matches every other item
    "interleaved": lambda n: ([{"condition": f"c {i}", "credit": "1%"} for i in range(n)],
                              [{"condition": f"c {i}" if i % 2 else f"n {i}", "credit": "1%"} for i in range(n)]),
}


@pytest.mark.parametrize("case", sorted(LIST_CASES))
def test_two_long_lists_of_items_without_ids_cost_linear_work(case):
    def work(n):
        old, new = LIST_CASES[case](n)
        base, head = _agreement_records({"service_credits": old}), _agreement_records({"service_credits": new})
        return _traced_lines(diff_records, base, head)

    small, large = work(100), work(400)
    # n log n at most: 4 * log(400)/log(100) is about 5.2
    assert large <= 4 * small * 1.35, (small, large)


def test_two_long_lists_of_priorities_that_differ_entirely_cost_linear_work():
    def work(n):
        old = [{"id": f"O{i}", "description": "d", "response": "1h", "resolution": "4h"} for i in range(n)]
        new = [{"id": f"N{i}", "description": "d", "response": "2h", "resolution": "8h"} for i in range(n)]
        return _traced_lines(diff_records, _agreement_records({"priorities": old}), _agreement_records({"priorities": new}))

    small, large = work(100), work(400)
    assert large <= 4 * small * 1.25, (small, large)


def test_two_long_lists_of_metrics_with_every_target_changed_cost_linear_work():
    def work(n):
        def metrics(target):
            return [{"id": f"m{i}", "title": f"M {i}", "target": target, "unit": "%", "direction": "at-least"} for i in range(n)]

        return _traced_lines(diff_records, _agreement_records({"metrics": metrics(90)}), _agreement_records({"metrics": metrics(95)}))

    small, large = work(100), work(400)
    assert large <= 4 * small * 1.25, (small, large)


@pytest.mark.parametrize("reserved", ["index", "con", "lpt1"])
def test_new_refuses_a_reserved_id_before_writing(tmp_path, reserved):
    # The skeleton would hold a record the schema refuses (its id names a section's index
    # page, or a Windows device): `new` says so, as a usage error, and writes nothing.
    proc = run_cli(tmp_path, "new", "Service", reserved)
    assert proc.returncode == 2, proc
    assert f"the id '{reserved}' is reserved" in proc.stderr
    assert f"for example '{reserved}-service'" in proc.stderr
    assert not (tmp_path / "catalogue").exists()
