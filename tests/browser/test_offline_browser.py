"""The example site with no network (issue 18, item 2): every request that would leave the
local server is aborted, and the diagrams are still drawn, by the site's own Mermaid (the
npm package's, pinned, which the plugin serves), and the glossary tooltips still work on
the same pages. Before, Material fetched Mermaid from unpkg.com: offline, a service page
showed the diagram's source and, with the script's error, lost its tooltips.

Material draws each diagram in a closed shadow root; an init script opens them, so that
the test can read the SVG that Mermaid drew.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from helpers.browser import offline_context
from helpers.site_build import record_page


def test_diagrams_and_tooltips_work_with_every_request_off_the_site_aborted(built_site, browser, serve_site):
    base = serve_site(built_site.site)
    context, left = offline_context(browser, base)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(base + record_page("Service", "email-calendar"))
        assert response is not None and response.ok
        page.wait_for_function(
            "() => { const d = [...document.querySelectorAll('div.mermaid')]; return d.length > 0 && d.every(e => e.shadowRoot && e.shadowRoot.querySelector('svg g.node')); }",
            timeout=20_000)
        labels = page.evaluate(
            "() => [...document.querySelector('div.mermaid').shadowRoot.querySelectorAll('g.node')].map(n => n.textContent.trim())")
        assert "Email & Calendar" in labels and len(labels) >= 2, labels
        scripts = page.evaluate("() => [...document.scripts].map(s => s.src).filter(Boolean)")
        assert any(s.endswith("/assets/service-catalogue/mermaid.min.js") for s in scripts), scripts

        link = page.locator("article.md-content__inner a.sc-term-link").first
        link.scroll_into_view_if_needed()
        link.hover()
        page.wait_for_function("link => link.getAttribute('aria-describedby')", arg=link.element_handle(), timeout=5_000)
        tooltip = page.locator(f"[id='{link.get_attribute('aria-describedby')}']")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert tooltip.inner_text().strip()
    finally:
        context.close()
    assert errors == [], errors
    # Only what a site may fetch from elsewhere by choice (web fonts, the repository's facts):
    # never a script.
    hosts = {urlsplit(url).hostname for url in left}
    assert "unpkg.com" not in hosts and not any(url.endswith(".js") for url in left), left
