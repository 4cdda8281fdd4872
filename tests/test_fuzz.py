"""No traceback, ever: catalogues made by mutating the example, validated and built.

Hypothesis takes the example catalogue (catalogue/ of this repository) and
breaks it the ways people do: it deletes, retypes and renames fields, swaps a
reference for another id or a missing one, inserts odd Unicode (RTL marks,
NUL, combining characters, emoji, escaped surrogates), cuts a file mid-way,
injects YAML syntax errors (tabs, unclosed quotes and brackets, stray colons,
tags, anchors), duplicates a record or empties a file. For every catalogue:

- `service-catalogue validate` exits 0, or exits 1 with located messages (every
  problem line is `file:line:column: error|warning: ...`); it never raises;
- `mkdocs build` builds, or fails with the same messages; it never raises an
  unhandled exception, never hangs, and a failed build leaves the site folder
  that was there before exactly as it was.

Both run in-process for speed; every SUBPROCESS_EVERY-th example also runs the
real commands in a subprocess. The normal test run tries a few seeded examples;
`make fuzz` runs SC_FUZZ_EXAMPLES of them (5,000) with the "fuzz" profile.
SC_FUZZ_SEED changes the seed (printed at the start of the run).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from helpers.inprocess_build import BUILD_TIMEOUT, VALIDATE_TIMEOUT, build_in_process, check_validate_output, validate_in_process
from service_catalogue.validation.loader import read_text
from service_catalogue.validation.references import references_of
from helpers.site_build import MARKDOWN_EXTENSIONS_YML, tree_digest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "catalogue"

SEED = int(os.environ.get("SC_FUZZ_SEED", "20261129"))
FUZZ_EXAMPLES = int(os.environ.get("SC_FUZZ_EXAMPLES", "0") or 0)
PROFILE = "fuzz" if FUZZ_EXAMPLES else "quick"
SUBPROCESS_EVERY = 250 if FUZZ_EXAMPLES else 4


_common = dict(
    deadline=None,
    database=None,  # the same examples on every machine; failures are printed, not stored
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile("quick", max_examples=12, **_common)
settings.register_profile("fuzz", max_examples=FUZZ_EXAMPLES or 5000, **_common)


MKDOCS_YML = """\
site_name: Fuzz
theme:
  name: material
plugins:
  - service-catalogue:
      catalogue: catalogue
      as_of: "2026-11-29"
""" + MARKDOWN_EXTENSIONS_YML
HOME = "# Home\n\nSee [[email-calendar]] and [[sla-collaboration|the SLA]]; an incident is handled quickly.\n"


# --------------------------------------------------------------------------
# The example, read once


def _example_files() -> dict[str, bytes]:
    return {path.relative_to(EXAMPLE).as_posix(): path.read_bytes() for path in sorted(EXAMPLE.rglob("*.y*ml"))}


EXAMPLE_FILES = _example_files()
EXAMPLE_KINDS = {
    record.id: record.kind
    for name, data in EXAMPLE_FILES.items()
    for record in read_text(data.decode("utf-8"), name, Path(name)).records
    if record.id
}
EXAMPLE_IDS = sorted(EXAMPLE_KINDS)
ODD_TEXT = [
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\x00",  # NUL
    "e\u0301\u0302\u0303",  # combining characters
    "\U0001f600\U0001f9d1\u200d\U0001f4bb",  # emoji, with a zero-width joiner
    "\ufeff",  # a byte order mark in the middle
    "\u2028\u2029",  # line and paragraph separators
    "\x85\x0b\x0c",  # NEL, vertical tab, form feed
    "\ud800",  # a lone surrogate (written with surrogatepass: invalid UTF-8)
    "\\ud800",  # the same as a YAML escape
    "\uffff\ufffe",  # non-characters
    "<script>x</script>",
    "a" * 300,
    "\t",
    "#",
    ": ",
    "- ",
    "{{ x }}",
]
SYNTAX_BREAKERS = [
    "\t",  # a tab used for indentation
    '"',  # an unclosed quote
    "'",
    "[",  # an unclosed bracket
    "{",
    "]",
    "}",
    ": ",  # a stray colon
    "key: value: other",
    "- ",
    "? ",
    "&anchor ",
    "*alias ",
    "*undefined",
    "!!python/object:os.system ",
    "!custom ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "@",
    "`",
    "\\",
    '"\\ud800"',
    '"\\x"',
    "&a [*a]",
    "<<: *a",
]
# Free-text fields: what an author types there is shown on the site.
PROSE_KEYS = {
    "title", "summary", "description", "scope", "definition", "name", "role", "note", "contact", "condition",
    "credit", "maintenance", "unit", "source", "document", "phone", "category", "per", "version", "abbreviation",
}
PROSE = ODD_TEXT + [
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "| a | b |",
    "```",
    "~~~\ncode",
    "{: #id .class }",
    "[[email-calendar]]",
    "*emphasis* _u_ **b**",
    "\\",
    "# heading\n\n- list\n\n1. item",
    "<div>",
    "</div>",
    "&amp; &#0; &#x110000; &bogus;",
    "Incident SLA incidents",  # glossary terms, linked in the page
    "\n\n",
    " ",
]
# Edge values of the same shape: dates, durations, times, percentages, counts.
EDGE_VALUES = {
    "date": ["0001-01-01", "9999-12-31", "2024-02-29", "2026-11-29", "2026-11-30"],
    "duration": ["0m", "0d", "0.000001h", "999999999999d", "1.5d", "00m"],
    "time": ["00:00", "24:00", "23:59"],
    "number": [0, 100, 0.0000001, 99.99999999, 1e300, -0.0, 10**20, 1],
}
RETYPED_VALUES = [None, True, False, 0, -1, 3.5, 10**30, "", "text", "2026-02-30", "99.9%", [], ["x"], {}, {"a": 1}, [[[]]]]


# --------------------------------------------------------------------------
# Mutations: each takes the files ({name: bytes}) and Hypothesis' data


def _records(files, name):
    """The documents of a file as plain data, or None when it does not parse (any more)."""
    try:
        text = files[name].decode("utf-8")
    except UnicodeDecodeError:
        return None
    result = read_text(text, name, Path(name))
    if result.problems or not result.records:
        return None
    return [_copy(record.data) for record in result.records]


def _copy(value):
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _dump(documents) -> bytes:
    text = yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True, width=10_000)
    return text.encode("utf-8", "surrogatepass")


def _paths(value, path=()):
    """Every (path, value) inside a record, the record itself excluded."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, item in items:
        yield path + (key,), item
        yield from _paths(item, path + (key,))


def _parent(document, path):
    node = document
    for step in path[:-1]:
        node = node[step]
    return node


def _structural(files, data, name, change):
    documents = _records(files, name)
    if not documents:
        return _text_mutation(files, data, name)
    index = data.draw(st.integers(0, len(documents) - 1), label="document")
    document = documents[index]
    if not isinstance(document, dict):
        return
    change(document, documents, index)
    files[name] = _dump(documents)


def _pick_path(data, document, want=None):
    paths = [(path, value) for path, value in _paths(document) if want is None or want(path, value)]
    if not paths:
        return None
    return data.draw(st.sampled_from(paths), label="path")


def m_delete_field(files, data, name):
    def change(document, documents, index):
        picked = _pick_path(data, document)
        if picked:
            parent = _parent(document, picked[0])
            del parent[picked[0][-1]]

    _structural(files, data, name, change)


def m_retype_field(files, data, name):
    def change(document, documents, index):
        picked = _pick_path(data, document)
        if picked:
            path, value = picked
            choices = [v for v in RETYPED_VALUES if type(v) is not type(value)]
            _parent(document, path)[path[-1]] = _copy(data.draw(st.sampled_from(choices), label="new value"))

    _structural(files, data, name, change)


def m_rename_key(files, data, name):
    def change(document, documents, index):
        picked = _pick_path(data, document, lambda path, value: isinstance(path[-1], str))
        if not picked:
            return
        path, value = picked
        parent = _parent(document, path)
        key = path[-1]
        new = data.draw(
            st.sampled_from(
                [key[:-1] or "x", key + "s", key.upper(), key.replace("_", "-"), key[::-1], " " + key, "kind", "id", "title", ""]
            ),
            label="new key",
        )
        items = [(new if k == key else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)

    _structural(files, data, name, change)


def m_swap_reference(files, data, name):
    def change(document, documents, index):
        kind = document.get("kind")
        references = list(references_of(kind, document)) if isinstance(kind, str) else []
        if not references:
            return
        field, path, target = data.draw(st.sampled_from(references), label="reference")
        same_kind = [rid for rid, kind in EXAMPLE_KINDS.items() if kind == field.kind]
        other = data.draw(
            st.sampled_from(same_kind) | st.sampled_from(EXAMPLE_IDS + ["missing-id", "", "Not An Id", target + "-x"]),
            label="new id",
        )
        _parent(document, path)[path[-1]] = other

    _structural(files, data, name, change)


def m_odd_unicode(files, data, name):
    def change(document, documents, index):
        picked = _pick_path(data, document, lambda path, value: isinstance(value, str))
        odd = data.draw(st.sampled_from(ODD_TEXT), label="odd text")
        if picked:
            path, value = picked
            at = data.draw(st.integers(0, len(value)), label="at")
            _parent(document, path)[path[-1]] = value[:at] + odd + value[at:]
        else:
            document["title"] = odd

    _structural(files, data, name, change)


def m_prose(files, data, name):
    """Odd text, markup or glossary words in a free-text field (the catalogue often stays valid)."""

    def change(document, documents, index):
        picked = _pick_path(data, document, lambda path, value: isinstance(value, str) and path[-1] in PROSE_KEYS)
        if not picked:
            return
        path, value = picked
        odd = data.draw(st.sampled_from(PROSE), label="prose")
        how = data.draw(st.sampled_from(["insert", "replace", "append"]), label="how")
        if how == "replace":
            new = odd
        elif how == "append":
            new = value + odd
        else:
            at = data.draw(st.integers(0, len(value)), label="at")
            new = value[:at] + odd + value[at:]
        _parent(document, path)[path[-1]] = new

    _structural(files, data, name, change)


def _shape(value) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "date"
        if re.fullmatch(r"\d+(\.\d+)?[mhd]", value):
            return "duration"
        if re.fullmatch(r"\d{2}:\d{2}", value):
            return "time"
    return ""


def m_edge_value(files, data, name):
    """A date, duration, time or number at the edge of what it can be."""

    def change(document, documents, index):
        picked = _pick_path(data, document, lambda path, value: bool(_shape(value)))
        if picked:
            path, value = picked
            _parent(document, path)[path[-1]] = data.draw(st.sampled_from(EDGE_VALUES[_shape(value)]), label="edge")

    _structural(files, data, name, change)


def m_duplicate_record(files, data, name):
    documents = _records(files, name)
    if not documents:
        return _text_mutation(files, data, name)
    index = data.draw(st.integers(0, len(documents) - 1), label="document")
    copy = _copy(documents[index])
    where = data.draw(st.sampled_from(["same file", "new file", "other id"]), label="where")
    if where == "other id" and isinstance(copy, dict):
        copy["id"] = f"{copy.get('id')}-copy"
    if where == "new file":
        files[f"duplicates/copy-{len(files)}.yaml"] = _dump([copy])
    else:
        files[name] = _dump(documents + [copy])


def _text_mutation(files, data, name):
    kind = data.draw(st.sampled_from(["cut", "break", "empty", "bytes", "line"]), label="text mutation")
    content = files[name]
    if kind == "cut":
        files[name] = content[: data.draw(st.integers(0, len(content)), label="cut at")]
    elif kind == "empty":
        files[name] = data.draw(st.sampled_from([b"", b"\n", b"# only a comment\n", b"---\n", b"---\n---\n", b"~\n", b"[]\n", b"42\n"]))
    elif kind == "bytes":
        at = data.draw(st.integers(0, len(content)), label="at")
        odd = data.draw(st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\r", b"\r\n", b"\x1b[31m"]))
        files[name] = content[:at] + odd + content[at:]
    elif kind == "line":
        lines = content.split(b"\n")
        at = data.draw(st.integers(0, len(lines) - 1), label="line")
        if data.draw(st.booleans(), label="delete or repeat"):
            del lines[at]
        else:
            lines.insert(at, lines[at])  # a repeated key, or a repeated list item
        files[name] = b"\n".join(lines)
    else:  # break: a syntax error at the start, the middle or the end of a line
        lines = content.split(b"\n")
        at = data.draw(st.integers(0, len(lines) - 1), label="line")
        breaker = data.draw(st.sampled_from(SYNTAX_BREAKERS), label="breaker").encode()
        line = lines[at]
        column = data.draw(st.sampled_from([0, len(line) // 2, len(line)]), label="column")
        lines[at] = line[:column] + breaker + line[column:]
        files[name] = b"\n".join(lines)


def m_text(files, data, name):
    _text_mutation(files, data, name)


def m_delete_file(files, data, name):
    if len(files) > 1:
        del files[name]


MUTATIONS = [
    m_prose,
    m_prose,
    m_edge_value,
    m_delete_field,
    m_retype_field,
    m_rename_key,
    m_swap_reference,
    m_odd_unicode,
    m_duplicate_record,
    m_text,
    m_text,
    m_delete_file,
]


class Case:
    """A mutated catalogue: its files, and what was done to the example (its repr)."""

    def __init__(self, files: dict[str, bytes], mutations: list[str]):
        self.files = files
        self.mutations = mutations

    def __iter__(self):
        return iter((self.files, self.mutations))

    def __repr__(self):
        return f"Case(mutations={self.mutations!r})"


@st.composite
def mutated_catalogues(draw):
    """Case(files: {file name: bytes}, mutations: [description of each])."""
    files = dict(EXAMPLE_FILES)
    done = []
    for _ in range(draw(st.integers(1, 3), label="mutations")):
        mutation = draw(st.sampled_from(MUTATIONS), label="mutation")
        name = draw(st.sampled_from(sorted(files)), label="file")
        before = len(files)
        mutation(files, _Drawer(draw), name)
        done.append(f"{mutation.__name__} {name}" + (" (file deleted)" if len(files) < before else ""))
    return Case(files, done)


class _Drawer:
    """Lets the mutations call data.draw(strategy, label=...) inside a composite strategy."""

    def __init__(self, draw):
        self._draw = draw

    def draw(self, strategy, label=None):
        return self._draw(strategy, label=label) if label else self._draw(strategy)


# --------------------------------------------------------------------------
# Running the two commands


def write_project(root: Path, files: dict[str, bytes]) -> Path:
    project = root / "project"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (project / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    catalogue = project / "catalogue"
    for name, content in files.items():
        path = catalogue / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return project


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


# --------------------------------------------------------------------------
# The property


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz").resolve()


@pytest.mark.fuzz
def test_fuzz_seed(capsys):
    """Prints the seed and the number of examples before the property runs (file order)."""
    with capsys.disabled():
        print(
            f"\ntest_fuzz: Hypothesis seed {SEED} (SC_FUZZ_SEED), profile {PROFILE!r}, "
            f"{settings.get_profile(PROFILE).max_examples} examples (SC_FUZZ_EXAMPLES)"
        )


STATS = {"examples": 0, "valid": 0, "built": 0, "subprocess": 0, "seconds": 0.0}


@pytest.mark.fuzz
@seed(SEED)
@settings(settings.get_profile(PROFILE))
@given(case=mutated_catalogues())
def test_validate_and_build_never_crash(scratch, case):
    files, mutations = case
    started = time.perf_counter()
    STATS["examples"] += 1
    root = Path(tempfile.mkdtemp(dir=scratch))
    try:
        project = write_project(root, files)
        catalogue = project / "catalogue"
        before = {name: path.read_bytes() for name, path in ((p.relative_to(catalogue).as_posix(), p) for p in catalogue.rglob("*")) if path.is_file()}

        code, output = validate_in_process(catalogue)
        problems = check_validate_output(code, output)

        # A site from an earlier build: a failed build must leave it exactly as it was.
        site = root / "site"
        (site / "old").mkdir(parents=True)
        (site / "index.html").write_text("<p>the previous site</p>", encoding="utf-8")
        (site / "old" / "page.html").write_text("<p>an old page</p>", encoding="utf-8")
        previous = tree_digest(site)

        built, errors = build_in_process(project, site)
        if code == 0:
            STATS["valid"] += 1
            assert built, f"validate passed but the build failed: {errors}\nmutations: {mutations}"
            assert (site / "index.html").read_text("utf-8") != "<p>the previous site</p>"
            assert (site / "catalogue" / "index.html").is_file()
            STATS["built"] += 1
        else:
            assert not built, f"validate failed but the build passed\n{output}\nmutations: {mutations}"
            assert tree_digest(site) == previous, f"a failed build changed the site folder\nmutations: {mutations}"
            message = "\n".join(errors)
            assert "the catalogue is invalid" in message, errors
            shown = message.split("the catalogue is invalid\n", 1)[1]
            assert shown.strip() == output.strip(), f"the build and validate disagree\n--- build\n{shown}\n--- validate\n{output}"

        after = {name: path.read_bytes() for name, path in ((p.relative_to(catalogue).as_posix(), p) for p in catalogue.rglob("*")) if path.is_file()}
        assert after == before, "a command changed the catalogue's files"

        # Decided by the case itself, so that Hypothesis can replay a failure.
        if int(hashlib.sha256(repr(mutations).encode()).hexdigest(), 16) % SUBPROCESS_EVERY == 0:
            STATS["subprocess"] += 1
            check_subprocesses(project, code, output, problems)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        STATS["seconds"] += time.perf_counter() - started


def check_subprocesses(project: Path, code: int, output: str, problems: list[str]) -> None:
    """The real commands agree with the in-process runs."""
    catalogue = project / "catalogue"
    proc = subprocess.run(
        [sys.executable, "-m", "service_catalogue", "validate", "catalogue"],
        cwd=project, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=VALIDATE_TIMEOUT, env=_env(),
    )
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert proc.returncode == code, (proc.returncode, code, proc.stdout, proc.stderr)
    # In-process the folder was given by its absolute path; here relative to the project.
    assert proc.stdout == output.replace(f"{catalogue}/", "catalogue/"), (proc.stdout, output)
    problems = check_validate_output(proc.returncode, proc.stdout)
    site = project.parent / "site-subprocess"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
        cwd=project, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=BUILD_TIMEOUT, env=_env(),
    )
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert proc.returncode == code, (proc.returncode, code, proc.stdout, proc.stderr)
    if code:
        for line in problems:
            assert line in proc.stderr, f"{line!r} not in the build's output\n{proc.stderr}"
        assert not site.exists(), "a failed build created the site folder"
    else:
        assert (site / "index.html").is_file()


@pytest.mark.fuzz
def test_fuzz_ran(capsys):
    """Says how many catalogues the property tried (runs after it, in file order)."""
    if STATS["examples"]:
        with capsys.disabled():
            print(
                f"\ntest_fuzz: {STATS['examples']} catalogues tried (seed {SEED}): {STATS['valid']} valid and built, "
                f"{STATS['examples'] - STATS['valid']} refused with located messages, {STATS['subprocess']} also run "
                f"as subprocesses; {STATS['seconds']:.0f} s"
            )
