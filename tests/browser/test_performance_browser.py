"""A performance page in Chromium: its charts are drawn, named for assistive technology, and
take the page's colours in light and in dark mode."""

from __future__ import annotations

from helpers.site_build import SECTION


def test_the_charts_are_drawn_with_text_alternatives_in_both_schemes(built_site, browser, serve_site):
    base_url = serve_site(built_site.site)
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        response = page.goto(base_url + built_site.page_file(f"{SECTION}/performance/sla-collaboration.md"))
        assert response is not None and response.ok
        charts = page.get_by_role("img", name="Availability per window: Email, Calendar & Video Conferencing SLA")
        assert charts.count() == 1
        chart = charts.first
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        # what a screen reader reads: the name, and the description with every figure
        description = chart.locator("desc").text_content()
        assert "99.95" in (chart.locator("title").text_content() or "") or "Percent" in description
        assert "2026-11" in description
        names = page.locator("svg.sc-chart__drawing").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        assert len(names) == 3 and all(names)

        def line_colour() -> str:
            return page.evaluate("""() => {
                const path = [...document.querySelectorAll('svg.sc-chart__drawing path')]
                    .find(p => (p.getAttribute('style') || '').includes('--sc-chart-1'));
                return getComputedStyle(path).stroke;
            }""")

        def text_colour() -> str:
            return page.evaluate("() => getComputedStyle(document.querySelector('svg.sc-chart__drawing text')).fill")

        light = (line_colour(), text_colour())
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        dark = (line_colour(), text_colour())
        assert light[0] != dark[0] and light[1] != dark[1]
        assert "rgba(0, 0, 0, 0)" not in light + dark
    finally:
        page.close()
    assert errors == []
