"""Hostile text in every field, built beside a templating plugin: nothing runs, nothing escapes.

Hypothesis takes the example catalogue and writes attacker's text into its
string fields (titles, ids, tags, contacts, URLs, calendar and holiday names,
Markdown fields, anything): Jinja that would run a command or compute a
number, Mermaid directives, path traversal, control and bidi characters,
trailing line breaks, Markdown and HTML tricks, short links. Every catalogue is
validated and built with mkdocs-macros-plugin enabled (before or after our
plugin, rendering every page by default), in this process. Whatever the case:

- the build succeeds, or fails with the located messages `validate` gives, and
  never with a traceback;
- nothing was evaluated: the command's marker file does not exist, the
  numbers the templates would compute and the text a loop would repeat appear
  nowhere in the site;
- nothing is written outside the site folder, and a failed build leaves the
  previous site as it was;
- a built site shows no Mermaid directive from record text.

A second test puts the payloads into every field that accepts them at once.
"""

from __future__ import annotations

import atexit
import copy
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from helpers.inprocess_build import build_in_process, check_validate_output, validate_in_process
from service_catalogue.validation.loader import read_text
from helpers.site_build import MARKDOWN_EXTENSIONS_YML, tree_digest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "catalogue"
SEED = int(os.environ.get("SC_FUZZ_SEED", "20261201"))
EXAMPLES = int(os.environ.get("SC_FUZZ_EXAMPLES", "0") or 0) or 25

# What the payloads would produce if a template engine evaluated them.
COMPUTED = "94011"  # 31337 * 3
LOOPED = "LOOPEDLOOPEDLOOPED"
MARKER_NAME = "macro-ran"
# What mkdocs-macros-plugin puts in place of a page it could not render ("Macro Syntax Error").
MACRO_ERRORS = ("Macro Syntax Error", "Macro Rendering Error")


def payloads(marker: Path) -> list[str]:
    command = f"touch {marker}"
    return [
        # Jinja as mkdocs-macros-plugin (and any Jinja-based plugin) would read it.
        "{{ 31337 * 3 }}",
        f"{{{{ lipsum.__globals__['os'].popen('{command}').read() }}}}",
        f"{{{{ cycler.__init__.__globals__.os.system('{command}') }}}}",
        "{% for x in range(3) %}LOOPED{% endfor %}",
        "{# a comment that would vanish #} {{ config.site_name }} {{ macros_info() }}",
        "{% raw %}{{ 31337 * 3 }}{% endraw %} {%- if true -%}x{%- endif -%}",
        "{{",
        "{%",
        # Mermaid: a directive that restyles the diagram and loads a URL, a comment, a class.
        "%%{init: {'themeCSS': '.node rect { fill: url(https://evil.invalid/track.png) }'}}%%",
        "%% comment\nstyle A fill:#f00",
        'x:::evil"]\nclick A "https://evil.invalid"',
        # Paths.
        "../../../../escaped",
        "/etc/passwd",
        "..\\..\\windows",
        "index",
        # Control, bidi and line-break characters; a trailing line break.
        "\x1b[2J\x1b[31mAPPROVED\x1b[0m",
        "\x1b]8;;https://evil.invalid\x07link\x1b]8;;\x07",
        "\x00",
        "\u202eevil\u202c",
        "ok\n",
        "\u2028",
        # Markdown and HTML, and what GitHub would link.
        "![x](https://evil.invalid/x.png) [y](https://evil.invalid) @org/team #1",
        "<script>window.__xss=1</script><img src=x onerror=window.__xss=1>",
        "[[email]] [[no-such-record]]",
        "1e400",
        "0000-01-01",
    ]


def _example_files() -> dict[str, str]:
    return {path.relative_to(EXAMPLE).as_posix(): path.read_text("utf-8") for path in sorted(EXAMPLE.rglob("*.y*ml"))}


EXAMPLE_FILES = _example_files()
EXAMPLE_DOCUMENTS = {
    name: [record.data for record in read_text(text, name, Path(name)).records] for name, text in EXAMPLE_FILES.items()
}


def string_paths(value, path=()):
    """The path of every string inside a record, keys included (as ("key", name))."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, child in value.items():
            yield path + (("key", key),)
            yield from string_paths(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from string_paths(child, path + (index,))


def rewrite(document: dict, path: tuple, new_text) -> None:
    """Replace the string at path (a value, or a key named by ("key", name)) by new_text(old)."""
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if isinstance(last, tuple):
        old = last[1]
        items = [(new_text(old) if key == old else key, value) for key, value in parent.items()]
        parent.clear()
        parent.update(items)
    else:
        parent[last] = new_text(parent[last])


def dump(documents: list[dict]) -> str:
    # JSON is YAML: the text reaches the loader exactly as written, with every character
    # escaped as JSON writes it (YAML double-quoted strings read \u escapes the same way).
    return "".join(("---\n" if i else "") + json.dumps(d, ensure_ascii=True, indent=1) + "\n" for i, d in enumerate(documents))


MKDOCS_YML = """\
site_name: Hostile
theme:
  name: material
  features: [content.tooltips]
plugins:
{plugins}
""" + MARKDOWN_EXTENSIONS_YML
OUR_PLUGIN = '  - service-catalogue:\n      catalogue: catalogue\n      as_of: "2026-12-01"\n'
MACROS = "  - macros:\n      render_by_default: true\n      on_error_fail: false\n"
# The hand-written page is the user's, and the macros plugin renders it: proof that it is enabled.
HOME = "# Home\n\nSee [[email]]; the macros plugin renders this page: {{ 1111 * 2 }}.\n"
HAND_WRITTEN_RESULT = "renders this page: 2222."


def write_project(root: Path, files: dict[str, str], macros_first: bool) -> Path:
    project = root / "project"
    (project / "docs").mkdir(parents=True)
    plugins = "  - search\n" + (MACROS + OUR_PLUGIN if macros_first else OUR_PLUGIN + MACROS)
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(plugins=plugins), encoding="utf-8")
    (project / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    for name, text in files.items():
        path = project / "catalogue" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project


def site_text(site: Path) -> str:
    return "\n".join(path.read_text("utf-8", errors="replace") for path in sorted(site.rglob("*")) if path.is_file() and path.suffix in (".html", ".json", ".xml", ".css", ".js"))


def check_case(root: Path, files: dict[str, str], macros_first: bool, marker: Path) -> bool:
    """Validate and build one hostile catalogue; asserts the properties above. Returns built?"""
    project = write_project(root, files, macros_first)
    code, output = validate_in_process(project / "catalogue")
    check_validate_output(code, output)

    site = root / "site"
    (site / "old").mkdir(parents=True)
    (site / "index.html").write_text("<p>the previous site</p>", encoding="utf-8")
    previous_site = tree_digest(site)
    previous_project = tree_digest(project)
    outside = {p for p in root.parent.iterdir()}

    built, errors = build_in_process(project, site)
    assert not marker.exists(), "a payload ran a command during the build"
    assert tree_digest(project) == previous_project, "the build wrote into the project (outside the site folder)"
    assert {p for p in root.parent.iterdir()} == outside, "the build wrote next to the project"
    if code == 0:
        assert built, f"validate passed but the build failed: {errors}"
        assert "the previous site" not in (site / "index.html").read_text("utf-8")
        text = site_text(site)
        assert COMPUTED not in text, "a template computed 31337 * 3 from record text"
        assert LOOPED not in text, "a template ran a loop from record text"
        assert _directives_only_as_text(site), "a Mermaid block holds a directive or comment from record text"
        home = (site / "index.html").read_text("utf-8")
        assert HAND_WRITTEN_RESULT in home, "the macros plugin did not render the hand-written page: it is not really enabled"
        assert not any(e in text for e in MACRO_ERRORS), "the macros plugin read a generated page as a template (and failed)"
    else:
        assert not built, f"validate failed but the build passed\n{output}"
        assert tree_digest(site) == previous_site, "a failed build changed the site folder"
        message = "\n".join(errors)
        assert "the catalogue is invalid" in message, errors
    return built


def _directives_only_as_text(site: Path) -> bool:
    """A Mermaid block holds no directive: `%%` from record text must be encoded there."""
    import re

    for page in site.rglob("*.html"):
        for block in re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page.read_text("utf-8"), re.S):
            if "%%" in block:
                return False
    return True


def _is_prose(document: dict, path: tuple) -> bool:
    """A string people write as words (a title, a description): ids, references, dates and
    enumerations are lower-case words without spaces. Most payloads are valid there."""
    if isinstance(path[-1], tuple):
        return False
    value = document
    for step in path:
        value = value[step]
    return " " in value or value != value.lower()


@st.composite
def hostile_catalogues(draw, pool):
    documents = copy.deepcopy(EXAMPLE_DOCUMENTS)
    done = []
    for _ in range(draw(st.integers(1, 3), label="changes")):
        name = draw(st.sampled_from(sorted(documents)), label="file")
        index = draw(st.integers(0, len(documents[name]) - 1), label="document")
        document = documents[name][index]
        paths = list(string_paths(document))
        prose = [path for path in paths if _is_prose(document, path)]
        # Mostly prose, where a payload passes validation and reaches the pages; sometimes
        # any string, keys included, where the loader and the schema must refuse it cleanly.
        if prose and draw(st.integers(0, 4), label="prose?"):
            path = draw(st.sampled_from(prose), label="field")
        else:
            path = draw(st.sampled_from(paths), label="field")
        # Half of them templates: the attack with the worst outcome (code run in CI).
        templates = [p for p in pool if "{{" in p or "{%" in p]
        payload = draw(st.sampled_from(templates) | st.sampled_from(pool), label="payload")
        how = draw(st.sampled_from(["replace", "append", "prepend"]), label="how")
        rewrite(document, path, lambda old: payload if how == "replace" else old + " " + payload if how == "append" else payload + " " + old)
        done.append(f"{how} {payload!r} at {name}#{index} {path}")
    files = {name: dump(docs) for name, docs in documents.items()}
    return HostileCase(files, draw(st.booleans(), label="macros first"), done)


class HostileCase:
    """A hostile catalogue; its repr (what Hypothesis prints for a failure) says what was done."""

    def __init__(self, files: dict[str, str], macros_first: bool, changes: list[str]):
        self.files, self.macros_first, self.changes = files, macros_first, changes

    def __repr__(self):
        return f"HostileCase(macros_first={self.macros_first}, changes={self.changes!r})"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile").resolve()


# The marker's folder is made per module run; the payloads name it by its absolute path.
_MARKER_ROOT = Path(tempfile.mkdtemp(prefix="sc-hostile-marker-"))
atexit.register(shutil.rmtree, _MARKER_ROOT, True)
MARKER = _MARKER_ROOT / MARKER_NAME
POOL = payloads(MARKER)


STATS = {"examples": 0, "built": 0}


@seed(SEED)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(case=hostile_catalogues(POOL))
def test_hostile_text_in_any_field_is_never_evaluated(scratch, case):
    root = Path(tempfile.mkdtemp(dir=scratch))
    try:
        STATS["examples"] += 1
        STATS["built"] += check_case(root, case.files, case.macros_first, MARKER)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_hostile_cases_were_built(capsys):
    """Says how many hostile catalogues were tried and built (runs after the property, in file order)."""
    with capsys.disabled():
        print(f"\ntest_hostile_property: {STATS['examples']} catalogues (seed {SEED}), {STATS['built']} valid and built")
    assert STATS["built"] >= max(1, STATS["examples"] // 6), "too few hostile catalogues were valid: the property proves little"


def test_every_field_that_accepts_the_payloads_holds_them(tmp_path):
    """Each payload appended to every string field, then taken out of the fields that refuse it:
    the rest, all at once, builds with the macros plugin, and nothing runs."""
    marker = tmp_path / MARKER_NAME
    # Well-formed Jinja only: one syntax error would make the plugin replace the whole page
    # with its error message, which hides whether the rest was evaluated.
    documents = copy.deepcopy(EXAMPLE_DOCUMENTS)
    everywhere = " ".join(
        ["{{ 31337 * 3 }}", "{% for x in range(3) %}LOOPED{% endfor %}", payloads(marker)[1], POOL[8]]
    )
    for docs in documents.values():
        for document in docs:
            for path in list(string_paths(document)):
                if not isinstance(path[-1], tuple):
                    rewrite(document, path, lambda old: old + " " + everywhere)
    for attempt in range(30):  # each round takes back the fields validate refused
        files = {name: dump(docs) for name, docs in documents.items()}
        project = write_project(tmp_path / f"round-{attempt}", files, macros_first=True)
        refused = _refused_fields(project / "catalogue", files)
        if not refused:
            break
        for name, index, steps in refused:
            _take_back(documents, name, index, steps)
    else:
        pytest.fail("the payloads could not be placed")
    held = sum(text.count("31337") for text in files.values())
    assert held > 300, f"only {held} fields hold the payload: the test would prove little"
    site = tmp_path / "site"
    built, errors = build_in_process(project, site)
    assert built, errors
    assert not marker.exists()
    text = site_text(site)
    assert not any(e in text for e in MACRO_ERRORS), "the macros plugin read a generated page as a template"
    assert COMPUTED not in text and LOOPED not in text
    assert _directives_only_as_text(site)
    assert text.count("31337") >= 100, "the payload text is not shown as text"
    # Every record page (catalogue/<kind folder>/<id>/index.html): terms share the glossary page.
    pages = [page for page in (site / "catalogue").glob("*/*/index.html")] + [site / "catalogue" / "glossary" / "index.html"]
    assert len(pages) > 70
    for page in pages:
        html = page.read_text("utf-8")
        assert "31337" in html, f"{page.relative_to(site)} does not show the payload as text"


def _refused_fields(catalogue: Path, files: dict[str, str]):
    """(file, document index, field path) of every error `validate --format json` reports."""
    import contextlib
    import io
    import re

    from service_catalogue import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["validate", str(catalogue), "--format", "json"])
    report = json.loads(out.getvalue())
    if code == 0:
        return []
    found = []
    for problem in report["problems"]:
        if problem["severity"] != "error":
            continue
        name = Path(problem["file"]).as_posix().split("catalogue/", 1)[-1]
        lines = files[name].split("\n")
        index = sum(1 for line in lines[: problem["line"] - 1] if line == "---")
        steps = [int(s) if s.isdigit() else s for s in re.findall(r"[^.\[\]]+", problem["field"])]
        assert steps, f"an error that names no field: {problem}"
        found.append((name, index, steps))
    return found


def _take_back(documents, name: str, index: int, steps: list) -> None:
    """Restore the example's value of one field."""
    target, source = documents[name][index], EXAMPLE_DOCUMENTS[name][index]
    for step in steps[:-1]:
        target, source = target[step], source[step]
    if steps[-1] in source if isinstance(source, dict) else True:
        target[steps[-1]] = copy.deepcopy(source[steps[-1]])
