"""axe-core (the npm package, pinned in package.json) on the example site, in light and
dark mode (issue 18, item 5): no violation from the plugin's own markup.

What axe finds in Material's own markup is allowed by rule and by the element it is on
(MATERIAL_OWN), and only there: a violation of the same rule anywhere else fails. The
user guide lists each of them (docs/guide/publishing.md, "Accessibility"), and a test here
holds the list and the guide together.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service_catalogue.site.pages import STATUS_TIPS, _badge

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

# (rule, the element of Material's that it is on: a CSS selector matched with closest()).
MATERIAL_OWN = {
    # The search box is a role=dialog with no name.
    ("aria-dialog-name", ".md-search"),
    # "Made with Material for MkDocs" in the footer, light scheme: #0000008a-ish on the footer.
    ("color-contrast", ".md-copyright"),
    # The navigation's nested <nav> elements share their labels with their parents'.
    ("landmark-unique", "nav.md-nav"),
}

# The pages the issue names (home, index, service, agreement, glossary, health), and the
# generated pages with tables and charts of their own.
PAGES = [
    "index.md",
    "catalogue/index.md",
    "catalogue/services/email-calendar.md",
    "catalogue/agreements/sla-collaboration.md",
    "catalogue/parties/cloudmere.md",
    "catalogue/service-hours/business-hours-uk.md",
    "catalogue/glossary.md",
    "catalogue/health.md",
    "catalogue/performance/index.md",
    "catalogue/performance/sla-collaboration.md",
]
SCHEMES = {"light": "default", "dark": "slate"}


def palette(scheme: str) -> str:
    """An init script that chooses Material's palette as its toggle does (localStorage),
    before the page's own script reads it."""
    index = list(SCHEMES.values()).index(scheme)
    value = json.dumps({"index": index, "color": {"scheme": scheme, "primary": "indigo", "accent": "indigo"}})
    return f"localStorage.setItem('/.__palette', {json.dumps(value)})"


def run_axe(page, context: str = "document", rules: list[str] | None = None) -> list[dict]:
    """axe's violations on the page, each node with whether it is in an element of MATERIAL_OWN's
    for its rule, and whether it is a link of the site's own hand-written text."""
    page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate(
        """async ([context, options, own]) => {
            const result = await axe.run(context === "document" ? document : document.querySelector(context), options);
            const inside = (target, selector) => {
                const element = typeof target === "string" ? document.querySelector(target) : null;
                return !!(element && element.closest(selector));
            };
            return result.violations.flatMap(v => v.nodes.map(n => ({
                rule: v.id, target: JSON.stringify(n.target), html: n.html.slice(0, 160),
                material: own.some(([rule, selector]) => rule === v.id && n.target.length === 1 && inside(n.target[0], selector)),
                handWrittenLink: v.id === "link-in-text-block" && n.target.length === 1
                    && !document.querySelector(n.target[0]).matches("[class*='sc-']")
                    && !document.querySelector(".md-typeset > .sc-page"),
            })));
        }""",
        [context, options, sorted(MATERIAL_OWN)],
    )


@pytest.fixture(scope="module", params=list(SCHEMES), ids=list(SCHEMES))
def scheme_page(request, browser, built_site):
    from helpers.browser import serve_directory

    with serve_directory(built_site.site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(palette(SCHEMES[request.param]))
        page = context.new_page()
        try:
            yield page, base, SCHEMES[request.param]
        finally:
            context.close()


def test_axe_finds_nothing_in_our_markup_on_any_listed_page(scheme_page, built_site):
    page, base, scheme = scheme_page
    ours, allowed = [], set()
    for source in PAGES:
        path = built_site.page_file(source)
        assert built_site.path(path).is_file(), path
        response = page.goto(base + path)
        assert response is not None and response.ok, path
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
        for node in run_axe(page):
            if node["material"]:
                allowed.add(node["rule"])
            elif node["handWrittenLink"] and source == "index.md":
                allowed.add("link-in-text-block (hand-written text)")
            else:
                ours.append(f"{path}: {node['rule']} on {node['target']}: {node['html']}")
    assert ours == [], "\n".join(ours)
    # The allowance is not dead weight: Material's markup still has each of these.
    assert {"aria-dialog-name", "landmark-unique"} <= allowed, allowed


def test_every_badge_reads_in_light_and_dark(scheme_page, built_site):
    """The badges of every status and type word, as the pages write them, against the page:
    axe's color-contrast (4.5:1 for their small bold text). `ending` was 3.04:1."""
    page, base, scheme = scheme_page
    page.goto(base + built_site.page_file("catalogue/agreements/sla-collaboration.md"))
    badges = "".join(_badge(word) for word in STATUS_TIPS)
    page.evaluate("html => { const p = document.createElement('p'); p.id = 'sc-badges'; p.innerHTML = html; document.querySelector('article').append(p); }", badges)
    assert page.locator("#sc-badges .sc-badge").count() == len(STATUS_TIPS)
    assert run_axe(page, "#sc-badges", ["color-contrast"]) == []


def test_the_badge_check_fails_at_the_old_contrast(browser, built_site):
    """The check above can fail: the `ending` badge's former colours (3.04:1 in light mode)."""
    from helpers.browser import serve_directory

    with serve_directory(built_site.site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(palette("default"))
        page = context.new_page()
        try:
            page.goto(base + built_site.page_file("catalogue/agreements/sla-collaboration.md"))
            page.evaluate("html => { const p = document.createElement('p'); p.id = 'sc-badges'; p.innerHTML = html; document.querySelector('article').append(p); }", _badge("ending"))
            page.add_style_tag(content=".sc-badge--ending { background: #ef6c0033; color: #e65100; }")
            found = run_axe(page, "#sc-badges", ["color-contrast"])
        finally:
            context.close()
    assert [node["rule"] for node in found] == ["color-contrast"], found


def test_links_in_generated_text_are_underlined_and_wide_tables_focusable(scheme_page, built_site):
    """What the two fixes do, read in the browser: links in a generated page's text and [[id]]
    links on a hand-written one are underlined; the wide tables scroll in a named region
    that takes focus."""
    page, base, scheme = scheme_page
    page.goto(base + built_site.page_file("catalogue/services/email-calendar.md"))
    decorations = page.evaluate(
        "() => [...document.querySelectorAll('article p a:not(.sc-term-link):not(.headerlink), article li a:not(.sc-term-link)')].map(a => getComputedStyle(a).textDecorationLine)")
    assert decorations and set(decorations) == {"underline"}, decorations
    page.goto(base + built_site.page_file("index.md"))
    record_link = page.locator("article a.sc-record-link").first
    assert record_link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
    page.goto(base + built_site.page_file("catalogue/performance/sla-collaboration.md"))
    region = page.locator(".sc-scroll[role=region]").first
    assert region.get_attribute("aria-label")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('sc-scroll')")


def test_the_guide_lists_what_axe_finds_in_materials_markup():
    guide = (REPO / "docs/guide/publishing.md").read_text("utf-8")
    section = guide[guide.index("## Accessibility"):]
    for rule, selector in MATERIAL_OWN:
        assert f"`{rule}`" in section and f"`{selector}`" in section, (rule, selector)
    assert "`link-in-text-block`" in section
