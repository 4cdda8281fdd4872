"""Breach windows on the site: a section per window on the agreement page of its target,
with the picture of the week, and the list of every window on the health page.

Read from the built example site (the session's built_site), except the check that a
page without windows is what it was, which compares rendered Markdown byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from helpers.site_build import BuiltSite, article, copy_project, heading_text, parse_html, resolve_link, run_mkdocs_build, describe
from service_catalogue import pipeline
from service_catalogue.analysis.timeline import chain_breaches
from service_catalogue.options import Options
from service_catalogue.site.pages import SiteRenderer
from service_catalogue.validation.schemas import load_schemas

REPO = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 29)  # the example mkdocs.yml's as_of
VLE_WINDOW = "breach-P1-resolution_uc-aulario-vle-hosting"
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} *em*"


def as_of_of(project: Path) -> dt.date:
    found = re.search(r'^\s*as_of:\s*"?(\d{4}-\d\d-\d\d)"?', (project / "mkdocs.yml").read_text("utf-8"), re.M)
    assert found, "the example mkdocs.yml sets no as_of"
    return dt.date.fromisoformat(found.group(1))


def window_section(page, anchor: str) -> list:
    """The elements of one window's section: its heading and what follows, up to the next heading."""
    content = article(page)
    heading = content.find("h4", id=anchor)
    assert heading is not None, f"no heading with id {anchor}"
    siblings = [c for c in heading.parent.children if not isinstance(c, str)]
    start = siblings.index(heading)
    section = [heading]
    for node in siblings[start + 1 :]:
        if re.fullmatch(r"h[1-6]", node.tag):
            break
        section.append(node)
    return section


def test_the_vle_sla_page_pictures_its_p1_resolution_against_aulario(built_site: BuiltSite):
    page = built_site.page(built_site.record_page("Agreement", "sla-vle"))
    heading, *rest = window_section(page, VLE_WINDOW)
    assert heading_text(heading) == "P1 resolution, against Aulario managed VLE hosting (UC)"
    (lower_link,) = [a for a in heading.find_all("a") if "headerlink" not in a.classes]
    target, _fragment, reason = resolve_link(built_site, built_site.record_page("Agreement", "sla-vle"), lower_link.attrs["href"])
    assert target == built_site.record_page("Agreement", "uc-aulario-vle-hosting"), reason
    words = " ".join(node.text for node in rest if node.tag == "p")
    assert "would miss the P1 resolution target of Northbridge Learn (VLE) SLA, 4h" in words
    assert "Worst case: raised" in words and "4 hours late" in words
    assert "A P1 resolution target of 8h in Always on (24x7) would be safe" in words
    (picture,) = [node for node in rest if "sc-week" in node.classes]
    svg = picture.find("svg")
    assert svg is not None and svg.attrs["role"] == "img"
    assert "P1 resolution of Northbridge Learn (VLE) SLA against Aulario managed VLE hosting (UC)" in svg.find("title").text
    # 4h against 8h around the clock: every hour of every week breaches.
    every = svg.find("path", cls="sc-week__every")
    assert every is not None and every.attrs["d"].count("h12v12h-12z") == 168  # the grid (the key is in a <g> of its own)
    assert svg.find("path", cls="sc-week__never") is None


def test_the_picture_has_a_text_alternative(built_site: BuiltSite):
    page = built_site.page(built_site.record_page("Agreement", "sla-vle"))
    (picture,) = [node for node in window_section(page, VLE_WINDOW) if "sc-week" in node.classes]
    svg = picture.find("svg")
    ids = page.ids()
    labelled, described = svg.attrs["aria-labelledby"], svg.attrs["aria-describedby"]
    assert svg.find("title", id=labelled) is not None and svg.find("desc", id=described) is not None
    assert labelled in ids and described in ids
    sentence = svg.find("desc").text
    assert sentence == "Breaches if raised: every hour of the week (Europe/London)."
    details = picture.find("details")
    assert details is not None and details.find("summary").text == "In words"
    assert details.find("p").text == sentence
    assert picture.find("script") is None and picture.find("a") is None  # no script, no link out


def test_every_window_has_its_section_and_ids_stay_unique(built_site: BuiltSite):
    breaches = chain_breaches(pipeline.link(pipeline.validate(Options(catalogue=built_site.project / "catalogue"))), as_of_of(built_site.project))
    assert len(breaches) >= 4, "the example catalogue has fewer breach windows than these tests assume"
    by_page: dict[str, list] = {}
    for breach in breaches:
        by_page.setdefault(breach.upper.agreement.id, []).append(breach)
    for agreement_id, found in by_page.items():
        page = built_site.page(built_site.record_page("Agreement", agreement_id))
        content = article(page)
        headings = [h for h in content.find_all("h4") if h.attrs.get("id", "").startswith("breach-")]
        assert len(headings) == len(found), agreement_id
        assert len(content.find_all("div", cls="sc-week")) == len(found), agreement_id
        every_id = [node.attrs["id"] for node in page.iter() if node.attrs.get("id")]
        assert len(every_id) == len(set(every_id)), f"{agreement_id}: ids repeated {sorted({i for i in every_id if every_id.count(i) > 1})}"


def test_the_health_page_lists_every_window_with_links_to_its_section(built_site: BuiltSite):
    health = built_site.page_file("catalogue/health.md")
    page = built_site.page(health)
    content = article(page)
    heading = content.find("h3", id="breach-windows")
    assert heading is not None and heading_text(heading) == "Breach windows"
    siblings = [c for c in heading.parent.children if not isinstance(c, str)]
    table = next(node for node in siblings[siblings.index(heading) :] if node.tag == "table")
    rows = table.find("tbody").find_all("tr")
    breaches = chain_breaches(pipeline.link(pipeline.validate(Options(catalogue=built_site.project / "catalogue"))), as_of_of(built_site.project))
    assert len(rows) == len(breaches)
    for row in rows:
        target_link = row.find_all("td")[1].find("a")
        target, fragment, reason = resolve_link(built_site, health, target_link.attrs["href"])
        assert target is not None, reason
        assert fragment.startswith("breach-") and fragment in built_site.page(target).ids(), target_link.attrs["href"]
        assert heading_text(built_site.page(target).find("h4", id=fragment)).startswith(target_link.text + ", against ")
    vle = [[cell.text for cell in row.find_all("td")] for row in rows if VLE_WINDOW in row.find_all("td")[1].find("a").attrs["href"]]
    assert vle == [["Northbridge Learn (VLE) SLA", "P1 resolution", "Aulario managed VLE hosting (UC)", "100%", "4 hours"]]
    figures = {cells[0].text: cells[1].text for cells in (r.find_all("td") for r in content.find("table").find("tbody").find_all("tr"))}
    assert figures["Breach windows: targets an agreement underneath can run past"] == str(len(breaches))


# -- a page without breach windows ---------------------------------------------------


def render(templates: Path | None = None, disabled: frozenset[str] = frozenset(), analyse: bool = True) -> dict[str, str]:
    options = Options(catalogue=REPO / "catalogue", as_of=AS_OF, templates=templates, disabled_rules=disabled)
    run = pipeline.prepare(options)
    renderer = SiteRenderer(options)
    renderer.check_templates()
    pages = renderer.pages(run.catalogue, load_schemas(), findings=run.findings if analyse else None,
                           disabled_rules=disabled)
    return {page.path: page.markdown for page in pages}


def test_a_window_is_shown_only_where_its_rule_is_on():
    # The windows are what the chain rules find: switched off, the pages do not show them.
    vle, health = "catalogue/agreements/sla-vle.md", "catalogue/health.md"
    shown = render()
    assert "P1 resolution, against" in shown[vle] and VLE_WINDOW in shown[health]
    off = render(disabled=frozenset({"chain.resolution-faster-than-underpinning"}))
    assert "### Breach windows" not in off[vle] and VLE_WINDOW not in off[health]
    # response windows stay (the Singapore SLA's), as their rule is still on
    assert "P1 response, against" in off["catalogue/agreements/sla-singapore-campus-support.md"]
    unanalysed = render(analyse=False)
    assert "### Breach windows" not in unanalysed[vle]
    assert "Not searched: the service level checks were not run for this build." in unanalysed[health]


def test_a_page_without_breach_windows_is_as_it_was(tmp_path):
    """Without the block, every agreement page is what it was before there was one: so a
    page on which the block adds not one byte is unchanged."""
    folder = tmp_path / "overrides"
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "agreement.md.j2").write_text(
        '{% extends "service-catalogue/pages/agreement.md.j2" %}\n{% block breach_windows %}{% endblock %}\n', "utf-8"
    )
    with_block, without_block = render(), render(folder)
    agreements = sorted(p for p in with_block if p.startswith("catalogue/agreements/") and not p.endswith("/index.md"))
    changed = {Path(p).stem for p in agreements if with_block[p] != without_block[p]}
    assert changed == {"sla-campus-network", "sla-managed-print", "sla-singapore-campus-support", "sla-vle"}
    unchanged = [p for p in agreements if Path(p).stem not in changed]
    assert len(unchanged) >= 10
    for path in unchanged:
        assert "sc-week" not in with_block[path] and "Breach windows" not in with_block[path]
    # Where there are windows, the block is a section of its own between the metrics and escalation.
    vle = with_block["catalogue/agreements/sla-vle.md"]
    assert vle.replace(vle[vle.index("### Breach windows") : vle.index("### 6.4 Escalation")], "") == without_block["catalogue/agreements/sla-vle.md"]


# -- record text in the windows ------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> BuiltSite:
    """The example with the VLE SLA's and the Aulario UC's titles holding markup and template syntax."""
    root = tmp_path_factory.mktemp("hostile-breach")
    project = copy_project(root / "project")
    for name, title in (("sla-vle", "Northbridge Learn (VLE) SLA"), ("uc-aulario-vle-hosting", "Aulario managed VLE hosting (UC)")):
        record = project / "catalogue" / "agreements" / f"{name}.yaml"
        text = record.read_text("utf-8")
        assert f"\ntitle: {title}\n" in text
        record.write_text(text.replace(f"\ntitle: {title}\n", f"\ntitle: '{title} {HOSTILE}'\n"), "utf-8")
    site = root / "site"
    result = run_mkdocs_build(project, site, strict=True)
    assert result.returncode == 0, describe(result)
    return BuiltSite(project, site, result)


def test_record_titles_stay_text_in_the_windows_and_the_picture(hostile_site: BuiltSite):
    html = hostile_site.path(hostile_site.record_page("Agreement", "sla-vle")).read_text("utf-8")
    page = parse_html(html)
    section = window_section(page, VLE_WINDOW)
    assert all(node.find("script") is None and node.find("em") is None for node in section)
    heading, *rest = section

    def shown(text: str) -> str:  # the page's text as read: a zero-width space after a `<` keeps it text (text.defuse)
        return text.replace("<\u200b", "<")

    assert f"Aulario managed VLE hosting (UC) {HOSTILE}" in shown(heading_text(heading))
    words = shown(" ".join(node.text for node in rest if node.tag == "p"))
    assert f"Northbridge Learn (VLE) SLA {HOSTILE}, 4h" in words
    assert "49" not in words
    svg = next(node for node in rest if "sc-week" in node.classes).find("svg")
    assert f"Northbridge Learn (VLE) SLA {HOSTILE} against Aulario managed VLE hosting (UC) {HOSTILE}" in svg.find("title").text
    # The picture is raw HTML in the Markdown: neither a tag nor what a templating plugin
    # would read is left in its source (the text around it is escaped Markdown, checked below).
    picture = html[html.index('<div class="sc-week">', html.index(f'id="{VLE_WINDOW}"')) :]
    picture = picture[: picture.index("</div>") + len("</div>")]
    assert "{{" not in picture and "<script" not in picture and "&lt;script&gt;alert(1)" in picture and "&#123;{ 7*7 }}" in picture
    health = parse_html(hostile_site.path(hostile_site.page_file("catalogue/health.md")).read_text("utf-8"))
    (row,) = [r for r in health.find_all("tr") if any(VLE_WINDOW in a.attrs.get("href", "") for a in r.find_all("a"))]
    assert row.find("script") is None and row.find("em") is None
    assert shown(row.find_all("td")[0].text) == f"Northbridge Learn (VLE) SLA {HOSTILE}"


def test_no_template_syntax_reaches_the_markdown_of_the_windows(hostile_site: BuiltSite):
    options = Options(catalogue=hostile_site.project / "catalogue", as_of=as_of_of(hostile_site.project))
    run = pipeline.prepare(options)
    renderer = SiteRenderer(options)
    pages = {page.path: page.markdown for page in renderer.pages(run.catalogue, load_schemas(), findings=run.findings)}
    vle, health = pages["catalogue/agreements/sla-vle.md"], pages["catalogue/health.md"]
    window = vle[vle.index("### Breach windows") : vle.index("### 6.4 Escalation")]
    listed = health[health.index("### Breach windows") : health.index("### Findings per rule")]
    for markdown in (window, listed):
        assert "7\\*7" in markdown  # the titles are there (with Markdown's escapes)
        assert "{{" not in markdown and "{%" not in markdown and "<script" not in markdown
