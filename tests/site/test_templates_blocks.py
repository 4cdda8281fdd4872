"""Template overrides by block and by whole file, rendered from the example catalogue.

Every page extends base.md.j2 (record pages through record.md.j2), so a file in
the templates folder can replace one block of a built-in page and leave the
rest of it byte for byte as it was; a file with the name of a whole template,
its current name or the one it had before pages/, indexes/ and partials/,
still replaces the whole template.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from service_catalogue import pipeline
from service_catalogue.options import Options
from service_catalogue.site.pages import FORMER_NAMES, GENERATED_MARK, RenderError, SiteRenderer
from service_catalogue.validation.schemas import load_schemas

REPO = Path(__file__).resolve().parents[2]


def example_counts() -> tuple[int, int]:
    """(agreements, pages) of the example catalogue: a page per record of a kind with pages
    of its own, and the index pages. Counted, so that a record added to the example does
    not break the tests that hold every page to its expected text."""
    from service_catalogue.kinds import KIND_BY_NAME
    from service_catalogue.site.pages import index_pages
    from service_catalogue.validation.folder import validate_folder

    records = validate_folder(REPO / "catalogue").records
    agreements = sum(1 for r in records if r.kind == "Agreement")
    own_pages = sum(1 for r in records if KIND_BY_NAME[r.kind].page_template)
    return agreements, own_pages + len(index_pages())
EXAMPLE = REPO / "catalogue"
AS_OF = dt.date(2026, 11, 29)


def render(tmp_path: Path | None = None, templates: dict[str, str] | None = None) -> dict[str, str]:
    """{page path: Markdown} of the example site, with `templates` as the templates folder."""
    folder = None
    if templates is not None:
        folder = tmp_path / "overrides"
        for name, content in templates.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(content, encoding="utf-8")
    options = Options(catalogue=EXAMPLE, as_of=AS_OF, templates=folder)
    run = pipeline.prepare(options)
    renderer = SiteRenderer(options)
    renderer.check_templates()
    return {page.path: page.markdown for page in renderer.pages(run.catalogue, load_schemas(), findings=run.findings)}


@pytest.fixture(scope="module")
def default_pages() -> dict[str, str]:
    return render()


def agreement_pages(pages: dict[str, str]) -> dict[str, str]:
    return {path: markdown for path, markdown in pages.items() if path.startswith("catalogue/agreements/") and not path.endswith("index.md")}


def split_at(markdown: str, start: str, end: str) -> tuple[str, str, str]:
    """(before, the section from the line `start` up to the line `end`, from `end` on)."""
    first, last = markdown.index(f"\n{start}") + 1, markdown.index(f"\n{end}") + 1
    return markdown[:first], markdown[first:last], markdown[last:]


AVAILABILITY = """\
{% extends "service-catalogue/pages/agreement.md.j2" %}
{% block availability %}
### 6.1 Availability { #availability }

{{ record.title | t }} aims at {{ record.availability.target or "no target" }}, on {{ link(calendar) }}.
{% endblock %}
"""


def test_one_block_of_the_agreement_page_changes_that_section_only(tmp_path, default_pages):
    pages = render(tmp_path, {"pages/agreement.md.j2": AVAILABILITY})
    agreements = agreement_pages(pages)
    assert len(agreements) == example_counts()[0]
    for path, markdown in agreements.items():
        before, section, after = split_at(markdown, "### 6.1 ", "### 6.2 ")
        old_before, old_section, old_after = split_at(default_pages[path], "### 6.1 ", "### 6.2 ")
        assert (before, after) == (old_before, old_after), path
        assert old_section.startswith("### 6.1 Service availability { #availability }\n\nService hours: ")
        # An agreement that states no hours (format 1.1) has no calendar to link.
        assert re.fullmatch(r"### 6\.1 Availability \{ #availability \}\n\n.+ aims at (\d+(\.\d+)?|no target), on (\[.+\]\(\.\./service-hours/.+\.md\))?\.\n\n", section), section
    # The calendar is looked up by the page for all its blocks; the override uses it too.
    assert "aims at 99.9, on [Always on \\(24x7\\)](../service-hours/always-on.md)." in pages["catalogue/agreements/ola-identity-network.md"]
    # Every other page is as it was.
    assert {p: m for p, m in pages.items() if p not in agreements} == {p: m for p, m in default_pages.items() if p not in agreements}


def test_a_block_that_holds_blocks_replaces_them_all(tmp_path, default_pages):
    override = '{% extends "service-catalogue/pages/agreement.md.j2" %}\n{% block service_management %}\n## 6 Service management { #service-management }\n\nAsk us.\n{% endblock %}\n'
    pages = render(tmp_path, {"pages/agreement.md.j2": override})
    for path, markdown in agreement_pages(pages).items():
        before, section, after = split_at(markdown, "## 6 ", "## 7 ")
        old_before, _, old_after = split_at(default_pages[path], "## 6 ", "## 7 ")
        assert (before, section, after) == (old_before, "## 6 Service management { #service-management }\n\nAsk us.\n\n", old_after)


def test_a_block_of_record_md_changes_every_record_page(tmp_path, default_pages):
    override = '{% extends "service-catalogue/record.md.j2" %}\n{% block source %}\nKept in `{{ record.record.file }}`.\n{% endblock %}\n'
    pages = render(tmp_path, {"record.md.j2": override})
    record_pages = [p for p in pages if re.match(r"catalogue/(services|agreements|parties|service-hours)/(?!index\.md)", p)]
    assert len(record_pages) > 60
    for path in record_pages:
        old = default_pages[path]
        kept = old[: old.index('<p class="sc-source">')]
        assert pages[path].startswith(kept) and re.fullmatch(r"Kept in `[^`]+\.yaml`\.\n\n" + re.escape(GENERATED_MARK), pages[path][len(kept) :]), path
    assert {p: pages[p] for p in pages if p not in record_pages} == {p: default_pages[p] for p in pages if p not in record_pages}


def test_every_page_extends_base(tmp_path, default_pages):
    built_in = (REPO / "plugins/service_catalogue/site/templates/base.md.j2").read_text("utf-8")
    pages = render(tmp_path, {"base.md.j2": built_in + "<!-- every page -->\n"})
    assert len(pages) == len(default_pages) == example_counts()[1]
    for path, markdown in pages.items():
        # The mark of a generated page follows whatever the template wrote last.
        body, mark = markdown.split("<!-- every page -->\n")
        assert mark == "\n" + GENERATED_MARK, path
        assert body.rstrip("\n") == default_pages[path].removesuffix(GENERATED_MARK).rstrip("\n"), path


def test_the_whole_page_file_still_replaces_the_whole_page(tmp_path, default_pages):
    whole = "---\ntitle: {{ record.title | yaml }}\n---\n\n# {{ record.title | t }}\n\nOnly this.\n"
    for name in ("agreement.md.j2", "pages/agreement.md.j2"):  # the former name and the current one
        pages = render(tmp_path / name.replace("/", "-"), {name: whole})
        for path, markdown in agreement_pages(pages).items():
            assert markdown.endswith("\n\nOnly this.\n\n" + GENERATED_MARK) and "## 1 Agreement overview" not in markdown, (name, path)
        assert pages["catalogue/services/email-calendar.md"] == default_pages["catalogue/services/email-calendar.md"]


@pytest.mark.parametrize("former, current", sorted(FORMER_NAMES.items()))
def test_every_former_name_still_reaches_its_template(tmp_path, former, current):
    renderer = SiteRenderer(Options(templates=tmp_path))
    (tmp_path / former).write_text("replaced\n", encoding="utf-8")
    assert renderer.env.get_template(current).render() == "replaced\n"
    assert renderer.env.get_template(former).render() == "replaced\n"
    built_in = renderer.env.get_template(f"service-catalogue/{current}")
    assert built_in.filename == str(REPO / "plugins/service_catalogue/site/templates" / current)
    assert renderer.env.get_template(f"service-catalogue/{former}").filename == built_in.filename


# The party page as the previous release shipped it, copied into a templates folder to
# change one line: it imports _macros.md.j2 and includes _findings.md.j2 by their old names.
FORMER_PARTY_PAGE = """\
{% import "_macros.md.j2" as m with context %}
---
title: {{ record.title | yaml }}
---

# {{ record.title | t }}

{% include "_findings.md.j2" %}
{{ record.type | badge }}{% if record.parent %} · part of {{ link(record.parent) }}{% endif %}


{% if record.summary %}
**{{ record.summary | t }}**
{% endif %}

{{ record.description | md }}

{% if record.get("email") or record.get("url") %}
{% if record.get("email") %}Email: {{ record.email | email_link }}{% endif %}
{% if record.get("url") %} · Web: {{ record.url | url_link }}{% endif %}

{% endif %}
## Contacts { #contacts }

{{ m.contacts_table(record.get("contacts", [])) }}

## Services owned { #services-owned }

{{ m.entity_list(record.services_owned) }}

## Services used { #services-used }

{{ m.entity_list(record.services_consumed) }}

## Agreements as provider { #provider }

{{ m.entity_list(record.agreements_as_provider) }}

## Agreements as customer { #customer }

{{ m.entity_list(record.agreements_as_customer) }}

{% if record.other_roles %}
## Other roles { #roles }

{% for entity, role in record.other_roles %}
- {{ role | capitalize }} {{ link(entity) }}
{% endfor %}

{% endif %}
## Organisation { #organisation }

{% if record.parent %}Part of {{ link(record.parent) }}.{% else %}Top of the organisation tree.{% endif %}


{% if record.children %}
Includes:

{{ m.entity_list(record.children) }}
{% endif %}

{{ m.record_links(record) }}

{{ m.source_note(record) }}
"""


def test_a_copy_of_a_former_template_renders_as_it_did(tmp_path, default_pages):
    pages = render(tmp_path, {"party.md.j2": FORMER_PARTY_PAGE})
    assert pages == default_pages


def test_a_former_partial_replaces_it_on_every_built_in_page(tmp_path, default_pages):
    macros = (REPO / "plugins/service_catalogue/site/templates/partials/macros.md.j2").read_text("utf-8")
    changed = re.sub(r"{% macro source_note\(record\) %}\n.*?{% endmacro %}", "{% macro source_note(record) %}\nFrom {{ record.id }}.\n{% endmacro %}", macros, flags=re.S)
    assert changed != macros
    pages = render(tmp_path, {"_macros.md.j2": changed})
    email = pages["catalogue/services/email-calendar.md"]
    assert email.endswith("\nFrom email-calendar.\n\n" + GENERATED_MARK) and "sc-source" not in email
    assert email[: -len("From email-calendar.\n\n" + GENERATED_MARK)] == default_pages["catalogue/services/email-calendar.md"].split('<p class="sc-source">')[0]
    assert sum("sc-source" in markdown for markdown in pages.values()) == 0


def test_a_folder_with_both_names_of_one_template_is_refused(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "agreement.md.j2").write_text("new\n", encoding="utf-8")
    (tmp_path / "agreement.md.j2").write_text("old\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"has both pages/agreement\.md\.j2 and agreement\.md\.j2, its former name.*keep one"):
        SiteRenderer(Options(templates=tmp_path)).check_templates()


def test_an_override_that_extends_itself_says_how_to_reach_the_built_in_one(tmp_path):
    with pytest.raises(RenderError) as raised:
        render(tmp_path, {"pages/party.md.j2": '{% extends "pages/party.md.j2" %}\n'})
    message = str(raised.value)
    assert "overrides/pages/party.md.j2:1" in message and "`service-catalogue/pages/agreement.md.j2`" in message and "itself" in message


def test_check_templates_compiles_the_subfolders_of_the_templates_folder(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "macros.md.j2").write_text("ok\n{% for x in %}\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"the template partials/macros\.md\.j2 is broken: .*partials/macros\.md\.j2:2: "):
        SiteRenderer(Options(templates=tmp_path)).check_templates()
