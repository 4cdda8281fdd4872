"""Material's navigation.tabs and navigation.instant in a real browser (issue 18, item 3): from
the services index, a click on a record opens its page without reloading the document, the
Catalogue tab stays active, the sidebar shows the Catalogue section with the record's index
marked, and the glossary tooltips work on the page that came in.

Instant navigation follows only the links that the site's sitemap.xml lists, and MkDocs writes
that from site_url: the site is built after its server has started, with site_url set to the
server's address. Every request off the site is aborted.
"""

from __future__ import annotations

import json

from helpers.browser import offline_context
from helpers.catalogue_builder import write_catalogue
from helpers.site_build import MARKDOWN_EXTENSIONS_YML, describe, run_mkdocs_build

TIMEOUT = 15_000  # ms, for each wait
ACTIVE_TAB = "() => [...document.querySelectorAll('.md-tabs__item--active')].map(e => e.textContent.trim())"
# The primary sidebar's links that are shown (Material hides the sections of the other tabs).
SHOWN_SIDEBAR_LINKS = """() => [...document.querySelectorAll('.md-sidebar--primary .md-nav__link')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0)
    .map(e => e.textContent.trim()).filter(Boolean)"""
ACTIVE_SIDEBAR_ITEMS = """() => [...document.querySelectorAll('.md-sidebar--primary li.md-nav__item--active')]
    .map(li => li.querySelector('.md-ellipsis').textContent.trim())"""


def build_served_site(tmp_path, serve_site) -> tuple[str, object]:
    project = tmp_path / "project"
    write_catalogue(project)
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n", "utf-8")
    site = tmp_path / "site"
    site.mkdir()
    base = serve_site(site)
    (project / "mkdocs.yml").write_text(
        f"site_name: Instant\nsite_url: {base}\n"
        "theme:\n  name: material\n  features:\n"
        "    - navigation.tabs\n    - navigation.instant\n    - content.tooltips\n"
        'plugins:\n  - search\n  - service-catalogue:\n      as_of: "2026-06-01"\n'
        "nav:\n  - Home: index.md\n" + MARKDOWN_EXTENSIONS_YML,
        "utf-8",
    )
    result = run_mkdocs_build(project, site, strict=True)
    assert result.returncode == 0, describe(result)
    return base, site


def test_instant_navigation_to_a_record_keeps_the_catalogue_tab_and_the_tooltips(tmp_path, browser, serve_site):
    base, site = build_served_site(tmp_path, serve_site)
    term = json.loads((site / "glossary.json").read_text("utf-8"))["terms"][0]
    context, _ = offline_context(browser, base)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(base + "catalogue/services/")
        assert response is not None and response.ok
        assert page.evaluate(ACTIVE_TAB) == ["Catalogue"]
        # A mark on the document: a full page load would lose it.
        page.evaluate("() => { window.__sameDocument = true; }")

        page.locator("article.md-content__inner a[href$='email/']").first.click()
        page.wait_for_url(base + "catalogue/services/email/", timeout=TIMEOUT)
        page.wait_for_function("() => document.querySelector('article h1')?.textContent.includes('Email')", timeout=TIMEOUT)
        assert page.evaluate("() => window.__sameDocument === true"), "the record page was loaded in full, not instantly"

        assert page.evaluate(ACTIVE_TAB) == ["Catalogue"]
        shown = page.evaluate(SHOWN_SIDEBAR_LINKS)
        for title in ("Services", "Agreements", "Parties", "Service hours", "Glossary"):
            assert title in shown, f"the sidebar of the record page shows {shown}"
        assert "Home" not in shown, shown  # the other tab's pages are not in this tab's sidebar
        assert page.evaluate(ACTIVE_SIDEBAR_ITEMS) == ["Catalogue", "Services"]

        # The glossary's tooltip, on the page that instant navigation brought in.
        link = page.locator("article.md-content__inner a.sc-term-link").first
        link.scroll_into_view_if_needed()
        link.hover()
        page.wait_for_function("link => link.getAttribute('aria-describedby')", arg=link.element_handle(), timeout=TIMEOUT)
        tooltip = page.locator(f"[id='{link.get_attribute('aria-describedby')}']")
        tooltip.wait_for(state="visible", timeout=TIMEOUT)
        assert term["summary"] in " ".join(tooltip.inner_text().split())

        # And on to the agreement, instantly too: its tab and its index.
        page.locator("article.md-content__inner a[href$='sla-email/']").first.click()
        page.wait_for_url(base + "catalogue/agreements/sla-email/", timeout=TIMEOUT)
        page.wait_for_function("() => document.querySelector('article h1')?.textContent.includes('Email for staff')", timeout=TIMEOUT)
        assert page.evaluate("() => window.__sameDocument === true")
        assert page.evaluate(ACTIVE_TAB) == ["Catalogue"]
        assert page.evaluate(ACTIVE_SIDEBAR_ITEMS) == ["Catalogue", "Agreements"]
    finally:
        context.close()
    assert errors == [], errors
