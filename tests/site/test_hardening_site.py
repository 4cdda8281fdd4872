"""Hardening, round two: the site and `render` (issue 13, the site's items).

- templating plugins: no generated page is ever evaluated by mkdocs-macros-plugin,
  whatever its options and its place among the plugins, and no generated page
  source carries `{{`, `{%` or `{#` from record text;
- control and bidi characters never reach a page as they are;
- paths: `--section` and the `section` option stay inside their folder, and two
  generated pages never share a path;
- nothing lost: a page, a template or an export that fails to render fails
  before MkDocs cleans the site folder, and before `render` writes a file;
- odd file names, `[[id]]` in record text, a moved record under `mkdocs serve`,
  anchors that a record id could take, and bad plugin options.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from helpers.catalogue_builder import PARTIES, SERVICE, TERM, replace, run_cli, write_catalogue
from service_catalogue.site import text

from helpers.site_build import MARKDOWN_EXTENSIONS_YML, describe, parse_html, run_mkdocs_build, tree_digest

AS_OF = "2026-06-01"

MKDOCS_YML = """\
site_name: Hardening
repo_url: https://example.invalid/org/repo
edit_uri: edit/main/docs/
theme:
  name: material
  features: [content.tooltips, content.action.edit]
plugins:
{plugins}
""" + MARKDOWN_EXTENSIONS_YML + """validation:
  omitted_files: info
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""

PLUGIN = f'  - service-catalogue:\n      as_of: "{AS_OF}"\n'


def make_project(tmp_path: Path, records: dict | None = None, plugins: str | None = None, options: str = "", docs: dict | None = None) -> Path:
    """A small site: the base catalogue with `records` laid over it, a home page, and mkdocs.yml."""
    project = tmp_path / "project"
    write_catalogue(project, records)
    (project / "docs").mkdir(parents=True, exist_ok=True)
    for name, content in {"index.md": "# Home\n", **(docs or {})}.items():
        (project / "docs" / name).write_text(content, encoding="utf-8")
    if plugins is None:
        plugins = "  - search\n" + PLUGIN + options
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(plugins=plugins), encoding="utf-8")
    return project


def build(project: Path, site: Path, strict: bool = True):
    result = run_mkdocs_build(project, site, strict=strict)
    assert "Traceback" not in result.stderr, describe(result)
    return result


def built_ok(project: Path, site: Path):
    result = build(project, site)
    assert result.returncode == 0, describe(result)
    assert "WARNING" not in result.stdout + result.stderr, describe(result)
    return result


def page_html(site: Path, relative: str) -> str:
    return (site / relative).read_text("utf-8")


def with_field(record: str, after: str, field: str, value: str) -> str:
    """record with `field: value` (JSON-quoted, so any text is YAML-safe) after the line `after`."""
    return replace(record, after, f"{after}{field}: {json.dumps(value)}\n")


# --------------------------------------------------------------------------
# 1. Templating plugins never evaluate record text


# Each would leave a trace if evaluated: a file in the project, "42", or text gone.
RUN = "{{ lipsum.__globals__['os'].popen('touch MACRO-RAN').read() }}"
SUM = "{{ 6*7 }}"
BLOCK = "{% if true %}BLOCK-RAN{% endif %}"
COMMENT = "{# hidden #}"
TITLE = f"Mail {SUM} {BLOCK}"
DESCRIPTION = (
    f"Mail for staff {SUM} and {BLOCK} and {COMMENT}.\n\n{RUN}\n\n"
    f"`{SUM}` in code, and a [link](https://example.invalid/x \"{SUM}\").\n\n"
    f"| cell |\n|---|\n| {SUM} {COMMENT} |\n"
)
TERM_TITLE = f"Widget {SUM}"
DEFINITION = f"A widget {SUM}. {RUN.replace('MACRO-RAN', 'TERM-RAN')} {BLOCK}"
WEB = """\
apiVersion: catalogue/v1
kind: Service
id: web
title: Web
type: customer-facing
status: live
owner: it-services
depends_on:
  - service: email
    criticality: hard
"""


def hostile_templating_records() -> dict:
    service = with_field(SERVICE, "id: email\n", "title", TITLE).replace("title: Email\n", "")
    service = with_field(service, "status: live\n", "description", DESCRIPTION)
    service = replace(service, "    title: Standard mailbox\n", f"    title: Standard mailbox\n    description: {json.dumps(SUM + ' offering')}\n")
    term = replace(TERM, "title: Service level agreement\n", f"title: {json.dumps(TERM_TITLE)}\nsummary: {json.dumps(SUM + ' tip')}\n")
    term = replace(term, "definition: An agreement between a service provider and a customer.\n", f"definition: {json.dumps(DEFINITION)}\n")
    parties = replace(PARTIES, "title: All staff\n", f"title: All staff\nsummary: {json.dumps(SUM + ' party')}\n")
    return {"services/email.yaml": service, "services/web.yaml": WEB, "glossary/sla.yaml": term, "parties/parties.yaml": parties}


MACROS_SETUPS = {
    "macros before": "  - search\n  - macros\n" + PLUGIN,
    "macros after": "  - search\n" + PLUGIN + "  - macros\n",
    "render_by_default true": "  - search\n  - macros:\n      render_by_default: true\n" + PLUGIN,
    # Opt-in rendering, forced for every page: the generated pages still say no.
    "forced for every page": "  - search\n  - macros:\n      render_by_default: false\n      force_render_paths: '*.md'\n" + PLUGIN,
}


@pytest.mark.parametrize("setup", list(MACROS_SETUPS))
def test_macros_never_evaluate_record_text(tmp_path, setup):
    project = make_project(
        tmp_path, hostile_templating_records(), plugins=MACROS_SETUPS[setup],
        docs={"macros.md": "# Macros\n\nSix times seven is {{ 6*7 }}.\n"},
    )
    site = tmp_path / "site"
    built_ok(project, site)
    # The real plugin is at work: it evaluates the hand-written page.
    assert "Six times seven is 42." in parse_html(page_html(site, "macros/index.html")).text
    assert not list(tmp_path.rglob("*-RAN")), "a macro in record text ran"

    email = page_html(site, "catalogue/services/email/index.html")
    content = parse_html(email).find("article")
    assert content.find("h1").text.replace("\u00b6", "").strip() == TITLE
    assert parse_html(email).find("title").text.startswith(TITLE)
    shown = content.text
    as_markdown = RUN.replace("__globals__", "globals")  # Markdown makes `__globals__` bold
    for literal in (f"Mail for staff {SUM} and {BLOCK} and {COMMENT}.", as_markdown, f"{SUM} in code", f"{SUM} {COMMENT}", f"{SUM} offering"):
        assert literal in shown, literal
    assert "Mail 42" not in shown and "staff 42" not in shown and "42 offering" not in shown
    assert content.find("a", title=SUM) is not None  # the link's title, an attribute
    web = page_html(site, "catalogue/services/web/index.html")
    diagram = parse_html(web).find("pre", cls="mermaid")
    assert diagram is not None and "Mail" in diagram.text and "42" not in diagram.text

    glossary = parse_html(page_html(site, "catalogue/glossary/index.html")).find("article")
    assert TERM_TITLE in glossary.text and DEFINITION.replace("__globals__", "globals") in glossary.text
    assert f"{SUM} party" in parse_html(page_html(site, "catalogue/parties/index.html")).text
    # catalogue.json is data, not Markdown: the text as written.
    records = {r["id"]: r for r in json.loads(page_html(site, "catalogue.json"))["records"]}
    assert records["email"]["title"] == TITLE and records["email"]["data"]["description"] == DESCRIPTION


def test_a_template_override_cannot_turn_macros_back_on(tmp_path):
    """The front matter is added to what any template renders: none, or one that asks for macros."""
    shown = "{% raw %}{{ 6*7 }}{% endraw %}"  # our Jinja writes `{{ 6*7 }}` into the page source
    project = make_project(tmp_path, plugins="  - search\n  - macros\n" + PLUGIN + "      templates: overrides\n")
    (project / "overrides").mkdir()
    (project / "overrides" / "party.md.j2").write_text(f"# {{{{ record.title | t }}}}\n\nParty {shown}\n", encoding="utf-8")
    (project / "overrides" / "service.md.j2").write_text(
        f"---\ntitle: {{{{ record.title | yaml }}}}\nrender_macros: true\n---\n\n# Service\n\nService {shown}\n", encoding="utf-8"
    )
    site = tmp_path / "site"
    built_ok(project, site)
    assert "Party {{ 6*7 }}" in parse_html(page_html(site, "catalogue/parties/all-staff/index.html")).find("article").text
    assert "Service {{ 6*7 }}" in parse_html(page_html(site, "catalogue/services/email/index.html")).find("article").text


JINJA_OPENERS = re.compile(r"\{[{%#]")


def test_no_generated_page_source_carries_template_syntax(tmp_path):
    """Escaped too, for a templating plugin that knows no `render_macros`: `render` shows the sources."""
    write_catalogue(tmp_path, hostile_templating_records())
    proc = run_cli(tmp_path, "render", "out", "--catalogue", "catalogue", "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    pages = sorted((tmp_path / "out").rglob("*.md"))
    assert len(pages) > 8
    for page in pages:
        source = page.read_text("utf-8")
        assert source.startswith("---\n") and "\nrender_macros: false\n" in source.split("\n---\n")[0] + "\n", page
        found = JINJA_OPENERS.findall(source)
        assert not found, f"{page.relative_to(tmp_path)}: {found}"


def test_every_filter_keeps_template_syntax_out():
    fields = text.MarkdownFields()
    value = f"{SUM} {BLOCK} {COMMENT} {{{{{{"
    outputs = {
        "plain": text.plain(value),
        "attribute": text.attribute(value),
        "tooltip": text.tooltip(value),
        "front_matter": text.front_matter(value),
        "mermaid": text.mermaid_label(value),
        "block": fields.block(f"{value}\n\n```\n{value}\n```\n\n![a](https://x.invalid/a.png \"{value}\")"),
        "inline": fields.inline(f"{value} `{value}` [x](https://x.invalid/{{{{x}}}} \"{value}\")"),
        "raw html": text.MarkdownFields(allow_raw_html=True).block(f"<p title=\"{value}\">{value}</p>"),
    }
    for name, output in outputs.items():
        assert not JINJA_OPENERS.search(output), (name, output)


def test_the_format_reference_keeps_template_syntax_out():
    from service_catalogue.site.reference import format_reference

    schemas = {
        "service.json": {
            "title": "Service",
            "description": "A {{ service }}",
            "properties": {"x": {"type": "string", "enum": ["{{ 6*7 }}", "{% x %}"], "description": "{# d #}"}},
        }
    }
    kinds = format_reference(schemas)
    assert not JINJA_OPENERS.search(kinds[0]["rows"][0].allowed), kinds[0]["rows"][0].allowed


# --------------------------------------------------------------------------
# 4. Control and bidi characters


CONTROLS = "\x00\x1b\x7f\x9b\u202e\u2066\u2069\ud800"


def _no_controls(output: str) -> bool:
    return not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]", output)


def test_every_filter_replaces_control_and_bidi_characters():
    fields = text.MarkdownFields()
    value = f"a{CONTROLS}b"
    outputs = {
        "plain": text.plain(value),
        "attribute": text.attribute(value),
        "tooltip": text.tooltip(value),
        "front_matter": text.front_matter(value),
        "block": fields.block(f"{value}\n\n`{value}`\n\n[x](https://x.invalid/ \"{value}\")"),
        "inline": fields.inline(f"{value} `{value}`"),
        "raw html": text.MarkdownFields(allow_raw_html=True).block(f"<p title=\"{value}\">{value}</p>"),
    }
    for name, output in outputs.items():
        assert _no_controls(output), (name, output)
        assert "a" in output and "b" in output and "\ufffd" in output, (name, output)
    # The front matter is still a YAML string whose value holds none of them.
    import yaml

    assert _no_controls(yaml.safe_load("title: " + text.front_matter(value))["title"])


def test_a_bidi_override_in_a_markdown_field_never_reaches_the_page(tmp_path):
    description = "Left \u202eto right\u202c and \u2067isolated\u2069, tab\there.\n"
    project = make_project(tmp_path, {"services/email.yaml": with_field(SERVICE, "status: live\n", "description", description)})
    site = tmp_path / "site"
    built_ok(project, site)
    page = page_html(site, "catalogue/services/email/index.html")
    assert _no_controls(page)
    assert "Left \ufffdto right\ufffd and \ufffdisolated\ufffd" in parse_html(page).find("article").text


# --------------------------------------------------------------------------
# 5. Paths stay where they belong


@pytest.mark.parametrize(
    "section", ["../../../x", "/tmp/abs", "a/../../b", "..", "a//b", "a\\b", "a\x1bb", ".", "a/./b", "c:x/../.."]
)
def test_render_refuses_a_section_outside_outdir(tmp_path, section):
    write_catalogue(tmp_path)
    proc = run_cli(tmp_path, "render", "out/pages", "--catalogue", "catalogue", "--section", section)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "--section" in proc.stderr and "inside OUTDIR" in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue"]


@pytest.mark.parametrize("section", ["catalogue", "docs/catalogue", "catalogue/", "", "ünï-côdé"])
def test_render_takes_a_section_inside_outdir(tmp_path, section):
    write_catalogue(tmp_path)
    proc = run_cli(tmp_path, "render", "out", "--catalogue", "catalogue", "--section", section)
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    assert (tmp_path / "out" / section.strip("/") / "services" / "email.md").is_file()


def test_two_pages_with_one_path_are_an_error_before_anything_is_rendered(tmp_path):
    """The schema refuses the id `index`; the renderer does not rely on it."""
    from service_catalogue.validation.folder import validate_folder
    from service_catalogue.model import Catalogue
    from service_catalogue.options import Options
    from service_catalogue.site import SiteRenderer
    from service_catalogue.site.pages import RenderError

    result = validate_folder(write_catalogue(tmp_path))
    assert result.ok
    records = []
    for record in result.records:
        if record.id == "email":
            record = copy.copy(record)
            record.data = {**record.data, "id": "index"}
            record.references = None
        records.append(record)
    catalogue = Catalogue(records)
    renderer = SiteRenderer(Options(section="catalogue"))
    rendered = []
    renderer.render_page = lambda *args, **kwargs: rendered.append(args) or ""
    with pytest.raises(RenderError) as raised:
        renderer.pages(catalogue)
    assert rendered == []
    message = str(raised.value)
    assert "catalogue/services/index.md" in message
    assert "the services index" in message and "Service `index`" in message and "services/email.yaml" in message


def test_the_section_option_must_stay_inside_docs_dir(tmp_path):
    project = make_project(tmp_path, options='      section: "../escaped"\n')
    result = build(project, tmp_path / "site")
    assert result.returncode == 1, describe(result)
    assert "section" in result.stderr and "inside the docs folder" in result.stderr, result.stderr
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------
# 7, 8, 18. Nothing is cleaned or written when rendering fails


# Fails at render time, on the page of `email` only: 1 // 0.
RAISING_TEMPLATE = "{% import \"_macros.md.j2\" as m with context %}\n---\ntitle: x\n---\n\n# {{ record.title | t }}\n\n{{ 1 // (record.id | length - 5) }}\n"
SYNTAX_ERROR = "---\ntitle: x\n---\n\n# Fine\n\n{% for x in %}\n"
PASSWD = "---\ntitle: x\n---\n\n{% include \"../../etc/passwd\" %}\n"


@pytest.fixture
def good_site(tmp_path):
    project = make_project(tmp_path)
    site = tmp_path / "site"
    built_ok(project, site)
    before = tree_digest(site)
    assert "catalogue/services/email/index.html" in before and "catalogue.json" in before
    return project, site, before


def _use_templates(project: Path, files: dict) -> None:
    folder = project / "overrides"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(PLUGIN, PLUGIN + "      templates: overrides\n"), encoding="utf-8")


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"service.md.j2": RAISING_TEMPLATE}, ["Service `email`", "services/email.yaml", "overrides/service.md.j2:8", "ZeroDivisionError"]),
        ({"service.md.j2": SYNTAX_ERROR}, ["overrides/service.md.j2:7", "Expected an expression"]),
        # Loaded only when a page is rendered (and refused by Jinja): still before the clean.
        ({"party.md.j2": PASSWD}, ["overrides/party.md.j2:5", "../../etc/passwd"]),
        ({"_macros.md.j2": "{% macro broken( %}\n"}, ["overrides/_macros.md.j2:1"]),
        ({"health.md.j2": b"# \xff\xfe not UTF-8\n"}, ["overrides/health.md.j2", "UTF-8"]),
    ],
    ids=["raises", "syntax error", "include outside", "broken include", "not utf-8"],
)
def test_a_template_that_fails_leaves_the_previous_site_as_it_was(good_site, files, expected):
    project, site, before = good_site
    _use_templates(project, files)
    result = build(project, site)
    assert result.returncode == 1, describe(result)
    for words in expected:
        assert words in result.stderr, (words, result.stderr)
    assert "Cleaning site directory" not in result.stderr
    assert tree_digest(site) == before


def test_render_writes_nothing_when_a_template_fails(tmp_path):
    write_catalogue(tmp_path)
    out = tmp_path / "out"
    assert run_cli(tmp_path, "render", "out", "--catalogue", "catalogue", "--as-of", AS_OF).returncode == 0
    before = tree_digest(out)
    (out / "catalogue" / "services" / "email.md").unlink()  # a page that a failed run must not write
    before.pop("catalogue/services/email.md")
    for name, template in [("service.md.j2", RAISING_TEMPLATE), ("service.md.j2", SYNTAX_ERROR), ("party.md.j2", PASSWD)]:
        overrides = tmp_path / "overrides"
        overrides.mkdir(exist_ok=True)
        for old in overrides.iterdir():
            old.unlink()
        (overrides / name).write_text(template, encoding="utf-8")
        proc = run_cli(tmp_path, "render", "out", "--catalogue", "catalogue", "--templates", "overrides", "--as-of", AS_OF)
        assert proc.returncode == 1, (name, proc.stdout, proc.stderr)
        assert f"overrides/{name}:" in proc.stderr, proc.stderr
        assert tree_digest(out) == before


def test_a_duration_too_large_to_render_leaves_the_previous_site(good_site):
    """`1` and 309 zeros days is inf: refused by the schema, or by the renderer; either way before the clean."""
    project, site, before = good_site
    agreement = project / "catalogue" / "agreements" / "sla-email.yaml"
    agreement.write_text(agreement.read_text("utf-8").replace("resolution: 1d", f"resolution: 1{'0' * 309}d"), encoding="utf-8")
    result = build(project, site)
    assert result.returncode == 1, describe(result)
    assert tree_digest(site) == before


def test_a_failing_export_fails_before_the_clean(good_site, monkeypatch, caplog):
    """In process, with an export that cannot be strict JSON (a derived figure made infinite)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from service_catalogue.site import exports

    project, site, before = good_site
    monkeypatch.setattr(exports, "derived_figures", lambda entity: {"ceiling": float("inf")} if entity.id == "email" else {})
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    try:
        with pytest.raises(Abort, match="BuildError"):
            mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    message = "\n".join(record.getMessage() for record in caplog.records if record.levelname == "ERROR")
    assert "catalogue.json" in message and "Service `email`" in message and "services/email.yaml" in message, message
    assert tree_digest(site) == before


def test_every_json_export_is_strict(tmp_path, monkeypatch):
    from service_catalogue.site import exports
    from service_catalogue.validation.folder import validate_folder
    from service_catalogue.site.exports import ExportError, catalogue_entries, catalogue_json_pieces, glossary_export
    from service_catalogue.model import Catalogue

    def catalogue_json(catalogue):
        return "".join(catalogue_json_pieces(catalogue))

    catalogue = Catalogue(validate_folder(write_catalogue(tmp_path)).records)
    json.loads(catalogue_json(catalogue))  # strict JSON when every figure is finite
    monkeypatch.setattr(exports, "derived_figures", lambda entity: {"x": float("nan")} if entity.id == "sla-email" else {})
    for export in (catalogue_json, catalogue_entries):
        with pytest.raises(ExportError, match="Agreement `sla-email`"):
            export(catalogue)
    term = catalogue.terms[0]
    monkeypatch.setattr(type(term), "short_definition", property(lambda self: float("inf")))
    with pytest.raises(ExportError, match="glossary.json"):
        glossary_export(catalogue, text.MarkdownFields(), "g/", {})


# --------------------------------------------------------------------------
# 10. Odd file names and an OUTDIR that is a file


def test_a_record_file_whose_name_is_not_utf8_builds(tmp_path):
    project = make_project(tmp_path)
    services = os.fsencode(project / "catalogue" / "services")
    os.rename(os.path.join(services, b"email.yaml"), os.path.join(services, b"caf\xe9.yaml"))
    site = tmp_path / "site"
    built_ok(project, site)
    page = parse_html(page_html(site, "catalogue/services/email/index.html"))
    edit = [a.attrs["href"] for a in page.find_all("a") if "edit/main" in a.attrs.get("href", "")]
    assert edit == ["https://example.invalid/org/repo/edit/main/catalogue/services/caf%E9.yaml"], edit
    assert "caf\\xe9.yaml" in page.find("p", cls="sc-source").text
    records = {r["id"]: r for r in json.loads(page_html(site, "catalogue.json"))["records"]}
    assert records["email"]["source"]["file"].endswith("caf\\xe9.yaml")


def test_render_into_a_file_is_a_usage_error(tmp_path):
    write_catalogue(tmp_path)
    (tmp_path / "out").write_text("keep me\n", encoding="utf-8")
    proc = run_cli(tmp_path, "render", "out", "--catalogue", "catalogue")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "out is a file, not a folder" in proc.stderr, proc.stderr
    assert (tmp_path / "out").read_text("utf-8") == "keep me\n"


def test_render_where_a_page_folder_is_a_file_writes_nothing(tmp_path):
    write_catalogue(tmp_path)
    (tmp_path / "out" / "catalogue").mkdir(parents=True)
    (tmp_path / "out" / "catalogue" / "services").write_text("a file\n", encoding="utf-8")
    proc = run_cli(tmp_path, "render", "out", "--catalogue", "catalogue")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "services is a file, not a folder" in proc.stderr, proc.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "out").rglob("*")) == ["out/catalogue", "out/catalogue/services"]


# --------------------------------------------------------------------------
# 11. [[id]] is for hand-written pages


def test_short_links_in_record_text_stay_text(tmp_path):
    description = "See [[sla-email]] and [[no-such-record]] for more."
    project = make_project(
        tmp_path, {"services/email.yaml": with_field(SERVICE, "status: live\n", "description", description)},
        docs={"links.md": "# Links\n\nSee [[email]].\n"},
    )
    site = tmp_path / "site"
    built_ok(project, site)  # --strict: an unknown id in a generated page would be a warning
    page = parse_html(page_html(site, "catalogue/services/email/index.html"))
    assert description in page.find("div", cls="sc-text").text
    links = parse_html(page_html(site, "links/index.html")).find("article").find_all("a")
    assert any(a.text == "Email" and a.attrs["href"].endswith("catalogue/services/email/") for a in links)


# --------------------------------------------------------------------------
# 12. A record that moved is not "unchanged"


def test_a_record_that_moved_is_rendered_again(tmp_path):
    from service_catalogue.validation.folder import validate_folder
    from service_catalogue.site.exports import catalogue_entries
    from service_catalogue.model import Catalogue
    from service_catalogue.site.rebuild import BuildMemory, findings_by_record, page_signature
    from service_catalogue.options import Options
    from service_catalogue.site import SiteRenderer

    options = Options(as_of=dt.date(2026, 6, 1))

    def render(records):
        catalogue = Catalogue(records)
        pages = SiteRenderer(options).pages(catalogue)
        markdown = {page.entity.id: page.markdown for page in pages if page.entity is not None}
        return catalogue, markdown, catalogue_entries(catalogue)

    records = validate_folder(write_catalogue(tmp_path)).records
    catalogue, pages, entries = render(records)
    memory = BuildMemory()
    memory.remember(catalogue, findings_by_record([]), page_signature(catalogue, options), pages, entries)

    def moved(change):
        result = []
        for record in records:
            if record.id == "email":
                record = change(copy.copy(record))  # a new Record object, as a re-read file gives
            result.append(record)
        return result

    for change in (
        lambda r: dataclasses.replace(r, file=r.file.replace("email.yaml", "mail.yaml")),
        lambda r: setattr(r, "root", dataclasses.replace(r.root, line=r.root.line + 3)) or r,
    ):
        after, fresh_pages, fresh_entries = render(moved(change))
        reused = memory.unchanged(after, findings_by_record([]), page_signature(after, options))
        assert "email" not in reused
        stale = sorted(i for i in reused if memory.exports.get(i) != fresh_entries[i] or (i in fresh_pages and memory.pages[i] != fresh_pages[i]))
        assert not stale, stale
        assert "sla-email" in reused, "a move re-renders only the moved record"


# --------------------------------------------------------------------------
# 17. Anchors that a record id could take


def test_a_term_id_never_shares_an_anchor_with_a_generated_one(tmp_path):
    terms = {
        f"glossary/{term_id}.yaml": TERM.replace("id: service-level-agreement", f"id: {term_id}").replace("title: Service level agreement", f"title: {title}").replace("abbreviation: SLA\n", "")
        for term_id, title in [("letter-s", "Sloth"), ("glossary", "Stuff"), ("letter-g", "Gadget")]
    }
    project = make_project(tmp_path, terms)
    site = tmp_path / "site"
    built_ok(project, site)
    page = parse_html(page_html(site, "catalogue/glossary/index.html"))
    for term_id in ("letter-s", "glossary", "letter-g", "service-level-agreement"):
        found = page.find_all(id=term_id)
        assert len(found) == 1 and "sc-term" in found[0].classes, (term_id, found)
    letters = page.find("p", cls="sc-letters").find_all("a")
    for a in letters:
        target = page.find_all(id=a.attrs["href"][1:])
        assert len(target) == 1 and target[0].tag == "h2", a.attrs
    # Every id in the page that a record id could take belongs to a term.
    record_like = {i for i in page.ids() if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", i)}
    assert record_like == {"letter-s", "glossary", "letter-g", "service-level-agreement"}, record_like


# --------------------------------------------------------------------------
# 18. Plugin options


BYTES = "option 'max_file_size': expected a number of bytes from 1 to 1,073,741,824"
DAYS = "option 'ending_days': expected a number of days from 0 to 36,500"
OUTSIDE = "option 'section': expected a folder inside the docs folder"


@pytest.mark.parametrize(
    "option, words",
    [
        ("max_file_size: 100000000000000000000000000000", [BYTES, "not a number of 30 digits"]),
        ("max_file_size: 0", [BYTES, "not 0"]),
        ("max_file_size: true", [BYTES, "not true"]),
        ("max_file_size: 2MiB", [BYTES, "not '2MiB'"]),
        ("ending_days: -1", [DAYS, "not -1"]),
        ("ending_days: 100000000000000000000000000000", [DAYS]),
        ("section: a/../../b", [OUTSIDE, "`..` leads outside it"]),
        ("section: ../escaped", [OUTSIDE, "not '../escaped'", "`..` leads outside it"]),
        ("section: 'a\\\\b'", [OUTSIDE, "backslash"]),
        ("section: a//b", [OUTSIDE, "empty part"]),
    ],
)
def test_bad_plugin_options_are_config_errors(tmp_path, option, words):
    project = make_project(tmp_path, options=f"      {option}\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1, describe(result)
    for expected in words:
        assert expected in result.stderr, (expected, result.stderr)
    assert not (tmp_path / "site").exists()
