"""Hostile and broken input, tested the way an attacker and a tired author would.

- loader limits: alias bombs, a thousand nested lists and mappings, very long
  lines, huge files and files with too many values are refused early (the
  parser is stopped at the problem, counted in YAML events, not in seconds),
  with little memory, with a located message; symbolic links that leave the
  catalogue (or go round in a loop) are refused; odd file names are reported
  as they are, and escaped where a format needs it;
- ids never become paths: `../x`, `a/b`, `CON` or a very long id is a schema error;
- addresses: `javascript:` and friends are refused by the schema and never
  become links; a crafted https address cannot leave its attribute;
- escaping: plain text, attributes, tooltips, Mermaid labels, front matter and
  Markdown fields inside table cells hold nothing a browser or a second
  Markdown pass would read as markup; `allow_raw_html: true` really passes HTML;
- nothing lost: no command changes a YAML file of the catalogue, `new` and
  `init` refuse to overwrite, and a failed build leaves the site folder as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tracemalloc
from pathlib import Path

import pytest
import yaml

from helpers.catalogue_builder import (
    BASE,
    CATALOGUE,
    PARTIES,
    SERVICE,
    Mistake,
    expect_invalid,
    expect_mistake,
    expect_problem,
    mistakes,
    replace,
    run_cli,
    validate,
    write_catalogue,
)
from helpers.parser_events import PARSER, counted_events
from service_catalogue.validation.loader import LoadLimits, read_file, read_text
from service_catalogue.site import text
from service_catalogue.site.term_links import TermLinker

from helpers.site_build import describe, run_mkdocs_build, tree_digest

REPO = Path(__file__).resolve().parent.parent
DEEP = "catalogue/parties/deep.yaml"
HEAD = "apiVersion: catalogue/v1\nkind: Party\nid: deep\ntitle: Deep\ntype: team\n"

# What "small" means for one file: far below what an unguarded parser would take (gigabytes).
# How early the loader stops is counted in parser events, not timed: see `counted_events`.
MAX_BYTES = 16 * 1024 * 1024


def events_up_to(content: str, line: int, column: int) -> int:
    """How many events the text holds up to (line, column), 1-based: all a parse stopped there needs."""
    count = 0
    try:
        for event in yaml.parse(content, Loader=PARSER):
            if (event.start_mark.line + 1, event.start_mark.column + 1) > (line, column):
                break
            count += 1
    except yaml.YAMLError:  # the parser's own limit (libyaml: 1,000 levels) ends it too
        pass
    return count


def measured(function, *args):
    """(result, events pulled in each parse, peak bytes allocated): counted in one call,
    traced in another (tracemalloc slows every allocation down many times)."""
    with counted_events() as passes:
        result = function(*args)
    tracemalloc.start()
    try:
        function(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, passes, peak


def billion_laughs() -> str:
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Loader limits: message, location, work done and memory


LIMIT_CASES = {
    # name: (file text, code, line, column, message)
    "alias bomb": (
        billion_laughs(),
        "limit.alias", 6, 63, "aliases expand this file to more than 100,000 values",
    ),
    "a thousand nested flow lists": (
        HEAD + "tags: " + "[" * 1000 + "]" * 1000 + "\n",
        # libyaml stops at its own limit (1,000 levels) while scanning ahead: the 1,000th bracket.
        "limit.depth", 6, 6 + 1000, "the YAML is nested more than 64 levels deep",
    ),
    "a thousand nested flow lists, unclosed": (
        HEAD + "tags: " + "[" * 1000 + "\n",
        "limit.depth", 6, 6 + 1000, "the YAML is nested more than 64 levels deep",
    ),
    "a thousand nested flow mappings": (
        HEAD + "tags: " + "{a: " * 1000 + "}" * 1000 + "\n",
        # The record is the first level; the 64th `{` opens the 65th.
        "limit.depth", 6, 7 + 63 * 4, "the YAML is nested more than 64 levels deep",
    ),
    "a thousand nested block mappings": (
        HEAD + "contacts:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(1000)) + "  " * 1001 + "v: 1\n",
        "limit.depth", 7 + 63, 1 + 2 * 64, "the YAML is nested more than 64 levels deep",
    ),
    "a thousand nested block lists": (
        HEAD + "tags:\n" + "".join("  " * (i + 1) + "-\n" for i in range(1000)),
        "limit.depth", 7 + 63, 1 + 2 * 64, "the YAML is nested more than 64 levels deep",
    ),
    "a very long line": (
        HEAD + "summary: " + "x" * 30_000 + "\n",
        "limit.line-length", 6, 20_001, "line 6 is 30,009 characters long (the limit is 20,000)",
    ),
    "a very long line of brackets": (
        HEAD + "tags: " + "[a, " * 10_000 + "\n",
        "limit.line-length", 6, 20_001, "line 6 is 40,006 characters long (the limit is 20,000)",
    ),
    "too many values": (
        HEAD + "tags:\n" + "  - a\n" * 150_000,
        # Keys count too: the record, its 5 keys and values, `tags` and its list are 13
        # values, so the 99,988th item (on line 6 + 99,988) is the 100,001st.
        "limit.nodes", 6 + 99_988, 5, "the file holds more than 100,000 values",
    ),
}


@pytest.mark.parametrize("name", list(LIMIT_CASES))
def test_loader_limit_in_process(name):
    content, code, line, column, message = LIMIT_CASES[name]
    result, passes, peak = measured(read_text, content, DEEP, Path(DEEP))
    assert [(p.code, p.location.line, p.location.column, p.message) for p in result.problems] == [
        (code, line, column, message)
    ]
    assert result.records == []
    # Work, not time: the loader stops at the problem instead of reading (or expanding) on.
    if code == "limit.line-length":
        assert passes == [], f"{name}: parsed, though the line length is checked first"
    else:  # the fast parse and the one for positions, neither past the event it reports
        stop = events_up_to(content, line, column)
        assert 1 <= len(passes) <= 2 and all(0 < events <= stop for events in passes), f"{name}: {passes}, stop at {stop}"
    # ... so never much more than the limit of values, whatever the file holds.
    limits = LoadLimits()
    assert sum(passes) <= 2 * (limits.max_nodes + 4 * limits.max_depth), f"{name}: {passes}"
    # 100,000 values with their positions take some room; everything else stays tiny.
    limit = 4 * MAX_BYTES if code == "limit.nodes" else MAX_BYTES
    assert peak < limit, f"{name}: {peak / 1e6:.1f} MB"


@pytest.mark.parametrize("name", ["alias bomb", "a thousand nested flow lists", "a thousand nested block mappings", "a very long line"])
def test_loader_limit_on_the_command_line(tmp_path, name):
    content, code, line, column, message = LIMIT_CASES[name]
    write_catalogue(tmp_path, {"parties/deep.yaml": content})
    proc = validate(tmp_path)  # how early it stops is counted in process, above
    expect_invalid(proc)
    expect_problem(proc, f"{DEEP}:{line}:{column}: error: {message} [{code}]")


def test_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:  # 64 MiB of one long line, without writing 64 MiB of memory
        handle.truncate(64 * 1024 * 1024)
    result, _, peak = measured(read_file, path, "catalogue/huge.yaml")
    assert [(p.code, str(p.location), p.message) for p in result.problems] == [
        ("limit.file-size", "catalogue/huge.yaml:1:1", "the file is 67,108,864 bytes, over the limit of 1,048,576")
    ]
    assert peak < 1024 * 1024, f"{peak / 1e6:.1f} MB: the file was read"


def test_huge_file_on_the_command_line_and_a_higher_limit(tmp_path):
    root = write_catalogue(tmp_path)
    padding = ("# " + "x" * 97 + "\n") * (3 * 1024 * 1024 // 100)
    (root / "parties" / "big.yaml").write_text(HEAD.replace("id: deep", "id: big") + padding, encoding="utf-8")
    proc = validate(tmp_path)
    expect_invalid(proc)
    size = (root / "parties" / "big.yaml").stat().st_size
    expect_problem(
        proc,
        f"catalogue/parties/big.yaml:1:1: error: the file is {size:,} bytes, over the limit of 1,048,576 [limit.file-size]",
        "split it into several files, or raise the limit (max_file_size in mkdocs.yml, --max-file-size on the command line)",
    )
    proc = validate(tmp_path, "--max-file-size", "4MiB")
    assert proc.returncode == 0, proc.stdout


def test_limits_are_configurable_in_process():
    content = HEAD + "tags:\n" + "".join("  " * (i + 1) + "-\n" for i in range(10))
    assert read_text(content, DEEP, Path(DEEP)).problems == []
    tight = read_text(content, DEEP, Path(DEEP), LoadLimits(max_depth=5))
    assert [(p.code, p.message) for p in tight.problems] == [("limit.depth", "the YAML is nested more than 5 levels deep")]


# --------------------------------------------------------------------------
# Symbolic links and files that are not files


def test_symlinks_leading_outside_are_refused_and_located(tmp_path):
    root = write_catalogue(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(HEAD.replace("id: deep", "id: secret"), encoding="utf-8")
    os.symlink(outside / "secret.yaml", root / "parties" / "secret.yaml")
    os.symlink(outside, root / "more")
    os.symlink("/etc/passwd", root / "passwd.yaml")
    os.symlink("loop.yaml", root / "loop.yaml")
    os.symlink("parties/parties.yaml", root / "same.yml")  # inside: read (its ids then clash)
    proc = validate(tmp_path)
    assert proc.returncode == 1
    hint = "copy the file into the catalogue folder instead of linking to it"
    expect_problem(
        proc,
        f"catalogue/parties/secret.yaml:1:1: error: this symbolic link points outside the catalogue (to {outside / 'secret.yaml'}) [file.outside-link]",
        hint,
    )
    expect_problem(proc, f"catalogue/more:1:1: error: this symbolic link points outside the catalogue (to {outside}) [file.outside-link]", hint)
    expect_problem(proc, "catalogue/passwd.yaml:1:1: error: this symbolic link points outside the catalogue (to /etc/passwd) [file.outside-link]", hint)
    expect_problem(
        proc,
        "catalogue/loop.yaml:1:1: error: this symbolic link cannot be followed: it leads round in a loop [file.bad-link]",
        "point the link at a file in the catalogue, or delete it",
    )
    assert "secret" not in proc.stdout.replace("secret.yaml", "")  # the outside record was not read
    assert "catalogue/same.yml:3:5" in proc.stdout  # the link inside was followed


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_does_not_block(tmp_path):
    root = write_catalogue(tmp_path)
    os.mkfifo(root / "parties" / "pipe.yaml")
    proc = run_cli(tmp_path, "validate", CATALOGUE, timeout=30)
    expect_invalid(proc)
    expect_problem(proc, "catalogue/parties/pipe.yaml:1:1: error: this is not a regular file [file.unreadable]", "remove it from the catalogue")


# --------------------------------------------------------------------------
# Ids never become paths


@pytest.mark.parametrize("bad_id", ["../x", "a/b", "CON", "x" * 64, ".hidden", "a\\\\b", "%2e%2e", "ünï", "a b", "-x", "x."])
def test_an_id_that_tries_to_become_a_path_is_a_schema_error(tmp_path, bad_id):
    party = HEAD.replace("id: deep", f"id: {json.dumps(bad_id)}")
    write_catalogue(tmp_path, {"parties/deep.yaml": party})
    proc = validate(tmp_path)
    expect_invalid(proc)
    lines = [line for line in proc.stdout.splitlines() if ": error: " in line]
    assert lines[0].startswith(f"{DEEP}:3:5: error: ") and lines[0].endswith("[schema.recordId]"), lines
    assert "expected an id of lower-case letters, digits and hyphens" in lines[0]


def test_a_bad_id_never_becomes_a_page(tmp_path):
    """The build refuses the catalogue before any page exists, inside the site or outside it."""
    project = tmp_path / "project"
    write_catalogue(project, {"parties/deep.yaml": HEAD.replace("id: deep", 'id: "../../../escaped"')})
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: T\nplugins:\n  - service-catalogue:\n      as_of: '2026-06-01'\n", encoding="utf-8"
    )
    result = run_mkdocs_build(project, tmp_path / "site", strict=False)
    assert result.returncode == 1, describe(result)
    assert "[schema.recordId]" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
    assert not list(tmp_path.rglob("escaped*"))


# --------------------------------------------------------------------------
# Odd file names


ODD_NAMES = {
    "with space #1 100%.yaml": "with space #1 100%.yaml",
    "ünïcödé ☃.yaml": "ünïcödé ☃.yaml",
    "a:b,c.yaml": "a:b,c.yaml",
    "line\nbreak.yaml": "line\\nbreak.yaml",
    "rtl\u202eevil.yaml": "rtl\\u202eevil.yaml",
}


def test_odd_file_names_are_reported_as_they_are(tmp_path):
    bad = HEAD.replace("type: team", "type: nope")
    files = {f"parties/{name}": bad.replace("id: deep", f"id: deep-{index}") for index, name in enumerate(ODD_NAMES)}
    root = write_catalogue(tmp_path, files)
    os.makedirs(os.fsencode(root / "parties"), exist_ok=True)
    with open(os.fsencode(root / "parties") + b"/latin\xe9.yaml", "wb") as handle:  # not UTF-8 as a name
        handle.write(bad.replace("id: deep", "id: deep-latin").encode())
    proc = validate(tmp_path)
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if ": error: " in line]
    assert len(lines) == len(ODD_NAMES) + 1, proc.stdout
    for name, shown in [*ODD_NAMES.items(), ("latin\udce9.yaml", "latin\\xe9.yaml")]:
        assert any(line.startswith(f"catalogue/parties/{shown}:5:7: error: ") for line in lines), (shown, proc.stdout)
    assert all(re.match(r"^.+:\d+:\d+: error: ", line) for line in proc.stdout.splitlines()[:-1] if not line.startswith("  "))


def test_odd_file_names_in_github_annotations_are_escaped(tmp_path):
    bad = HEAD.replace("type: team", "type: nope")
    write_catalogue(tmp_path, {"parties/a b#1 100%,x:y.yaml": bad, "parties/line\nbreak.yaml": bad.replace("deep", "deep-2")})
    proc = validate(tmp_path, "--format", "github")
    assert proc.returncode == 1
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 2, proc.stdout
    assert annotations[0].startswith("::error file=catalogue/parties/a b#1 100%25%2Cx%3Ay.yaml,line=5,col=7,title=")
    assert annotations[1].startswith("::error file=catalogue/parties/line\\nbreak.yaml,line=5,col=7,title=")


def test_odd_file_names_in_json_are_kept(tmp_path):
    bad = HEAD.replace("type: team", "type: nope")
    write_catalogue(tmp_path, {"parties/a b#1 100%.yaml": bad})
    proc = validate(tmp_path, "--format", "json")
    report = json.loads(proc.stdout)
    assert [p["file"] for p in report["problems"]] == ["catalogue/parties/a b#1 100%.yaml"]


def test_a_message_quoting_a_multi_line_value_stays_on_one_line(tmp_path):
    # An enumeration quotes the value it found: its line break, bidi and tab are shown escaped.
    write_catalogue(tmp_path, {"parties/deep.yaml": HEAD.replace("type: team", 'type: "two\\nlines\\u202e\\t"')})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f'{DEEP}:5:7: error: Party deep: type: expected one of `team`, `department`, `supplier`, `customer`, '
        'found the text "two\\nlines\\u202e\\t" [schema.enum]',
    )


def test_output_that_the_console_cannot_encode_is_escaped(tmp_path):
    write_catalogue(tmp_path, {"parties/ünï ☃.yaml": HEAD.replace("type: team", "type: nöpe ☃")})
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-m", "service_catalogue", "validate", CATALOGUE],
        cwd=tmp_path, capture_output=True, text=True, encoding="ascii", errors="strict", env=env, timeout=60,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    assert "catalogue/parties/\\xfcn\\xef \\u2603.yaml:5:7: error:" in proc.stdout, proc.stdout


# --------------------------------------------------------------------------
# Addresses


BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " https://example.org/",
    "https://example.org/ x",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "java\tscript:alert(1)",
    "//evil.example/",
    "file:///etc/passwd",
    "HTTPS://EXAMPLE.ORG/",
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("where", ["links", "party url", "references"])
def test_the_schema_refuses_addresses_that_are_not_web_or_mail(tmp_path, url, where):
    quoted = json.dumps(url)
    if where == "links":
        files = {"parties/deep.yaml": HEAD + f"links:\n  - title: Click\n    url: {quoted}\n"}
        at = f"{DEEP}:8:10: error: Party deep: links[0].url: "
    elif where == "party url":
        files = {"parties/deep.yaml": HEAD + f"url: {quoted}\n"}
        at = f"{DEEP}:6:6: error: Party deep: url: "
    else:
        sla = BASE["agreements/sla-email.yaml"] + f"references:\n  - title: Doc\n    url: {quoted}\n"
        files = {"agreements/sla-email.yaml": sla}
        at = "catalogue/agreements/sla-email.yaml:25:10: error: Agreement sla-email: references[0].url: "
    write_catalogue(tmp_path, files)
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{at}expected an http, https or mailto address, found {_described(url)} [schema.url]",
        "other schemes (javascript:, data:, ftp:, file:) are not allowed",
    )


def _described(url: str) -> str:
    from service_catalogue.report.escape import one_line
    from service_catalogue.validation.schemas import describe

    return one_line(describe(url))


@pytest.mark.parametrize(
    "url, href",
    [
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("  javascript:alert(1)", None),
        ("\x00javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example/", None),
        ("https://x.example/\"onmouseover=\"alert(1)", "https://x.example/&quot;onmouseover=&quot;alert(1)"),
        ("https://x.example/'><script>alert(1)</script>", "https://x.example/&#x27;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("mailto:a@b.example\"onclick=\"x", "mailto:a@b.example&quot;onclick=&quot;x"),
        (" https://ok.example/ ", "https://ok.example/"),
    ],
)
def test_url_link_cannot_be_bypassed(url, href):
    rendered = text.url_link(url, "label")
    if href is None:
        assert "<a" not in rendered and rendered == "label"
    else:
        assert rendered == f'<a href="{href}">label</a>'


def test_email_link_stays_in_its_attribute():
    rendered = text.email_link('"><img src=x onerror=alert(1)>@x.example')
    assert rendered.startswith('<a href="mailto:&quot;&gt;&lt;img src=x onerror=alert(1)&gt;@x.example">')
    assert "<img" not in rendered


# --------------------------------------------------------------------------
# Escaping, filter by filter


def test_plain_text_is_inert_in_markdown_and_html():
    rendered = text.plain("a | b\nc </script> [x](javascript:y) *e* ~s~ {: #i } <img src=x>")
    assert "\n" not in rendered
    assert "\\|" in rendered and "\\[x\\]\\(javascript:y\\)" in rendered and "\\*e\\*" in rendered
    assert "&#126;s&#126;" in rendered and "\\{: \\#i \\}" in rendered
    assert "<" not in rendered.replace("&lt;", "")
    assert "&lt;\u200b/script&gt;" in rendered  # a zero-width space: also inert when read as HTML again


def test_plain_text_reads_back_as_the_same_text():
    import markdown

    converter = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "abbr"])
    original = "a|b c\\d `e` *f* _g_ {h} [i](j) #k +l !m ~n <o> &p; \"q\" 'r'"
    html = converter.convert(text.plain(original))
    import html as html_module

    assert html_module.unescape(re.sub(r"<[^>]+>", "", html)).replace("\u200b", "") == original


def test_attributes_and_tooltips():
    assert text.attribute('"><script>x</script>') == "&quot;&gt;&lt;script&gt;x&lt;/script&gt;"
    # Material shows a title as HTML: the `<` is followed by a zero-width space.
    assert text.tooltip("<img src=x onerror=alert(1)>") == "&lt;\u200bimg src=x onerror=alert(1)&gt;"
    assert text.tooltip("a < b & c") == "a &lt; b &amp; c"


def test_mermaid_labels_keep_quotes_brackets_and_entities_as_data():
    label = text.mermaid_label('A"];B["<img src=x onerror=alert(1)> #lt;b#gt; `x` &amp;\nnext')
    assert '"' not in label and "<" not in label and ">" not in label and "`" not in label and "\n" not in label
    # Mermaid decodes #name; and #123; once: the label comes back as written.
    assert mermaid_decoded(label) == 'A"];B["<img src=x onerror=alert(1)> #lt;b#gt; `x` &amp; next'


def mermaid_decoded(label: str) -> str:
    """A label as Mermaid shows it: #123; and #name; are character references, read once."""
    import html as html_module

    return html_module.unescape(re.sub(r"#(\d+);", r"&#\1;", re.sub(r"#([A-Za-z]\w*);", r"&\1;", label)))


def test_front_matter_titles_are_yaml_and_html_safe():
    import yaml

    for title in ['A"];B["<img src=x onerror=alert(1)>', "Email & Calendar", "tab\there", "\x7f\x85\x00\uffff", "a: b # c"]:
        line = "title: " + text.front_matter(title)
        assert "\n" not in line
        loaded = yaml.safe_load(line)["title"]
        assert "<" not in loaded and '"' not in loaded.replace("&quot;", "")


def test_markdown_fields_are_sanitised():
    fields = text.MarkdownFields()
    rendered = fields.to_html(
        "<script>alert(1)</script>\n\n<iframe src=x></iframe><object></object><style>a{}</style>\n\n"
        "[a](javascript:alert(1)) [b](data:text/html,x) <img src=x onerror=alert(1)> <b onclick=x>b</b>\n\n"
        '![t](https://x.example/i.png "<img src=x onerror=alert(1)> > q")'
    )
    from helpers.markup import markup_of

    for tag, attrs in markup_of(rendered):
        assert tag not in ("script", "iframe", "object", "style"), (tag, rendered)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, rendered)
            assert not re.match(r"\s*(javascript|data):", value or "", re.I), (tag, name, value)
    # No `<` or `>` inside an attribute: a regex over tags (the term linker) would end the tag there.
    for tag in re.findall(r"<[a-z][^>]*>", rendered):
        assert tag.count('"') % 2 == 0, tag
    assert 'title="&lt;\u200bimg src=x onerror=alert(1)&gt; &gt; q"' in rendered


def test_markdown_inside_a_table_cell_is_one_line_and_read_once():
    import markdown

    fields = text.MarkdownFields()
    cell = fields.inline("Line one | pipe\n\n\\[x\\](javascript:alert(1))\n\n```\ncode\n```")
    assert "\n" not in cell
    table = f"| a | b |\n|---|---|\n| {cell} | end |\n"
    html = markdown.Markdown(extensions=["tables", "md_in_html"]).convert(table)
    assert html.count("<td>") == 2, html  # the pipe did not split the cell
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # only as text
    assert "<a" not in html  # the escaped link stayed text on the second pass
    assert "[x](javascript:alert(1))" in html


def test_term_links_do_not_enter_attributes():
    from service_catalogue.site.glossary import TermMatcher

    class Term:
        id = "widget"
        title = "Widget"
        aliases = ()
        abbreviation = ""
        short_definition = "<img src=x onerror=alert(1)>"

    linker = TermLinker(TermMatcher([Term()]), {"widget": Term()}, "all")
    page = '<p><img alt="a" title="a &gt; &quot; onerror=&quot;alert(1)&quot; Widget" src="x.png"> Widget</p>'
    page = page.replace("&gt;", ">")  # the way html5ever writes it: `>` raw in an attribute
    result, used = linker.process(page, "../glossary/")
    assert result.startswith('<p><img alt="a" title="a > &quot; onerror=&quot;alert(1)&quot; Widget" src="x.png"> ')
    assert result.count("sc-term-link") == 1
    assert 'title="&lt;\u200bimg src=x onerror=alert(1)&gt;"' in result


def test_badges_escape_unknown_words():
    from service_catalogue.site import SiteRenderer

    badge = SiteRenderer.badge('"><img src=x onerror=alert(1)>')
    assert "<img" not in badge and 'class="sc-badge sc-badge---' in badge


# --------------------------------------------------------------------------
# allow_raw_html, end to end


RAW = "<script>window.__raw=1</script>\n\n<div class=\"raw-box\" onclick=\"x()\">boxed</div>\n"


def _raw_project(tmp_path: Path, option: str) -> Path:
    project = tmp_path / "project"
    service = replace(SERVICE, "status: live\n", "status: live\ndescription: " + json.dumps(RAW) + "\n")
    write_catalogue(project, {"services/email.yaml": service})
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: T\nplugins:\n  - service-catalogue:\n      as_of: '2026-06-01'\n" + option
        + "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - tables\n",
        encoding="utf-8",
    )
    return project


@pytest.mark.parametrize("allow", [False, True])
def test_allow_raw_html_is_honoured_end_to_end(tmp_path, allow):
    project = _raw_project(tmp_path, "      allow_raw_html: true\n" if allow else "")
    site = tmp_path / "site"
    result = run_mkdocs_build(project, site, strict=False)
    assert result.returncode == 0, describe(result)
    page = (site / "catalogue" / "services" / "email" / "index.html").read_text("utf-8")
    if allow:
        assert "<script>window.__raw=1</script>" in page
        assert '<div class="raw-box" onclick="x()">boxed</div>' in page
    else:
        assert "<script>window.__raw" not in page and "onclick" not in page
        assert "boxed" in page


def test_allow_raw_html_in_the_renderer():
    from service_catalogue.site.text import MarkdownFields

    assert "<script>" in MarkdownFields(allow_raw_html=True).to_html(RAW)
    assert "<script>" not in MarkdownFields().to_html(RAW)


# --------------------------------------------------------------------------
# Nothing lost


def _digest(root: Path, skip=()) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not any(part in skip for part in path.relative_to(root).parts)
    }


def test_no_command_changes_the_users_files(tmp_path):
    project = tmp_path / "project"
    for part in ("mkdocs.yml", "docs", "catalogue"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        else:
            project.mkdir(exist_ok=True)
            shutil.copy2(source, project / part)
    base = tmp_path / "base-catalogue"
    shutil.copytree(project / "catalogue", base)
    # One file with problems, so that every command also goes down its error path.
    broken = project / "catalogue" / "services" / "broken.yaml"
    broken.write_text(HEAD.replace("kind: Party", "kind: Service").replace("id: deep", "id: broken") + "owner: nobody\n", encoding="utf-8")
    before = _digest(project)
    assert before

    commands = [
        ["validate", "catalogue"],
        ["validate", "catalogue", "--format", "json"],
        ["validate", "catalogue", "--format", "github"],
        ["render", str(tmp_path / "out"), "--catalogue", "catalogue"],
        ["check", "catalogue"],
        ["diff", str(base), "catalogue"],
        ["init", "."],  # everything exists: refuses, writes nothing
    ]
    for command in commands:
        proc = run_cli(project, *command)
        assert proc.returncode in (0, 1), (command, proc.returncode, proc.stdout, proc.stderr)
        assert _digest(project) == before, f"`service-catalogue {' '.join(command)}` changed the user's files"

    broken.unlink()  # valid again: the commands' success paths
    before = _digest(project)
    for command in (["render", str(tmp_path / "out2"), "--catalogue", "catalogue"], ["check", "catalogue"], ["diff", str(base), "catalogue"]):
        proc = run_cli(project, *command)
        assert proc.returncode in (0, 1), (command, proc.stdout, proc.stderr)
        assert _digest(project) == before, f"`service-catalogue {' '.join(command)}` changed the user's files"
    result = run_mkdocs_build(project, tmp_path / "site", strict=False)
    assert result.returncode == 0, describe(result)
    assert _digest(project) == before, "mkdocs build changed the user's files"
    assert _digest(base) == _digest(project / "catalogue")


def test_new_refuses_to_overwrite(tmp_path):
    root = write_catalogue(tmp_path)
    before = _digest(root)
    proc = run_cli(tmp_path, "new", "Party", "it-services", "--catalogue", CATALOGUE)
    assert proc.returncode == 0, proc.stderr  # parties/it-services.yaml does not exist yet: written
    written = root / "parties" / "it-services.yaml"
    assert written.is_file()
    mine = "# my own edits\n" + written.read_text("utf-8")
    written.write_text(mine, encoding="utf-8")
    proc = run_cli(tmp_path, "new", "Party", "it-services", "--catalogue", CATALOGUE)
    assert proc.returncode == 1
    assert "already exists; not overwritten" in proc.stderr
    assert written.read_text("utf-8") == mine
    after = _digest(root)
    del after["parties/it-services.yaml"]
    assert after == before


def test_a_failing_build_leaves_the_previous_site_as_it_was(tmp_path):
    project = _raw_project(tmp_path, "")
    site = tmp_path / "site"
    result = run_mkdocs_build(project, site, strict=False)
    assert result.returncode == 0, describe(result)
    previous = tree_digest(site)
    assert "catalogue/services/email/index.html" in previous
    (project / CATALOGUE / "parties" / "parties.yaml").write_text(PARTIES.replace("type: department", "type: [oops"), encoding="utf-8")
    result = run_mkdocs_build(project, site, strict=False)
    assert result.returncode == 1, describe(result)
    assert "catalogue/parties/parties.yaml:" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(site) == previous


# --------------------------------------------------------------------------
# Crashes the fuzz test found, kept as plain tests


@mistakes(
    Mistake(
        "an_undefined_alias_is_a_located_error",
        {"parties/deep.yaml": HEAD + "tags: [*nowhere]\n"},
        f"{DEEP}:6:8: error: the alias `*nowhere` refers to an anchor that is not defined [yaml.syntax]",
        "define `&nowhere` first, or quote a value starting with `*`",
    ),
    # The SLA's provider names a record whose `kind` was deleted: reported once, at that record.
    Mistake(
        "a_reference_to_a_record_without_a_kind",
        {"parties/parties.yaml": PARTIES.replace("kind: Party\nid: it-services", "id: it-services")},
        "catalogue/parties/parties.yaml:1:1: error: record it-services: the record has no `kind` [record.no-kind]",
        "add `kind:` with one of Service, Agreement, Party, Calendar, Term",
    ),
)
def test_an_alias_or_a_kindless_reference_is_a_located_error(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)


@pytest.mark.parametrize("args", [["check", CATALOGUE, "--as-of", "9999-12-31"], ["check", CATALOGUE, "--ending-days", "999999999"]])
def test_dates_at_the_end_of_the_calendar(tmp_path, args):
    sla = BASE["agreements/sla-email.yaml"].replace("end: 2026-12-31", "end: 9999-12-31")
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": sla})
    proc = run_cli(tmp_path, *args)  # run_cli fails on a traceback
    assert proc.returncode in (0, 1), (proc.stdout, proc.stderr)
