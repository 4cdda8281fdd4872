"""XSS in a real browser: a site built from records full of payloads runs none of them.

The hostile catalogue (hostile_catalogue.py) carries script tags, `<img onerror>`,
`<svg onload>`, an `<iframe>`, `javascript:` links, attribute break-outs and
Markdown tricks in every text field, a service title made to break out of its
Mermaid node, and a glossary term whose summary (the tooltip of every link to
the term) is a payload. The site is built with `mkdocs build`, served on
localhost and opened in headless Debian chromium. On every page, after load
and after hovering every term link, badge and titled element (Material's
tooltips), nothing may have run: `window.__xss` is unset, `document.title`
is not "pwned", no script holds payload text, no element carries an event
handler or a `javascript:` address from our content.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from helpers.hostile_catalogue import GADGET_WORD, MERMAID_TITLE, TERM_WORD, TOOLTIP_SUMMARY, write_hostile_project
from helpers.markup import markup_of
from helpers.site_build import describe, run_mkdocs_build

TIMEOUT = 15_000  # ms

# The diagram source as the page hands it to Mermaid (the site's own, which draws it for real).
_DIAGRAM_SOURCE = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.S)

PAGES = [
    "",  # the hand-written home page, with [[id|label]] short links
    "catalogue/",
    "catalogue/services/",
    "catalogue/services/evil-service/",
    "catalogue/services/evil-backend/",
    "catalogue/agreements/",
    "catalogue/agreements/evil-sla/",
    "catalogue/agreements/evil-ola/",
    "catalogue/parties/",
    "catalogue/parties/evil-provider/",
    "catalogue/parties/evil-customer/",
    "catalogue/service-hours/",
    "catalogue/service-hours/evil-hours/",
    "catalogue/glossary/",
    "catalogue/health/",
]

# Everything a payload could leave behind in the DOM.
FIND_PAYLOAD_EFFECTS = r"""
() => {
  const found = [];
  const payload = /__xss|pwned/;
  if (window.__xss !== undefined) found.push("window.__xss is set to " + String(window.__xss));
  if (document.title === "pwned") found.push("document.title is 'pwned'");
  for (const script of document.querySelectorAll("script")) {
    if (payload.test(script.textContent) || payload.test(script.src)) found.push("script: " + script.outerHTML.slice(0, 200));
  }
  for (const el of document.querySelectorAll("*")) {
    if (["IFRAME", "FRAME", "OBJECT", "EMBED", "FORM"].includes(el.tagName) && !el.closest(".md-header, .md-search")) {
      found.push("element " + el.outerHTML.slice(0, 200));
    }
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") && payload.test(attr.value)) found.push(`${el.tagName} ${name}="${attr.value}"`);
      if (["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"].includes(name)
          && /^\s*(javascript|data|vbscript):/i.test(attr.value)) {
        found.push(`${el.tagName} ${name}="${attr.value.slice(0, 120)}"`);
      }
    }
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = write_hostile_project(tmp_path_factory.mktemp("hostile") / "project")
    site = project.parent / "site"
    result = run_mkdocs_build(project, site, strict=False)
    assert result.returncode == 0, f"the hostile catalogue did not build\n{describe(result)}"
    return site


@pytest.fixture
def open_page(browser, hostile_site, serve_site):
    """open_page(path) -> a Playwright page on the served hostile site (external hosts stubbed)."""
    base_url = serve_site(hostile_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(route):
        url = route.request.url
        if url.startswith(base_url):
            return route.continue_()
        kind = route.request.resource_type
        if kind == "script":
            return route.fulfill(status=200, content_type="text/javascript", body="")
        if kind == "stylesheet":
            return route.fulfill(status=200, content_type="text/css", body="")
        if kind == "font":
            return route.fulfill(status=200, content_type="font/woff2", body=b"")
        return route.fulfill(status=200, content_type="application/json", body="{}")

    context.route("**/*", route)
    dialogs: list[str] = []

    def opener(path: str):
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        response = page.goto(base_url + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        return page

    opener.base_url = base_url
    opener.dialogs = dialogs
    try:
        yield opener
    finally:
        context.close()
    assert dialogs == [], f"a payload opened a dialog: {dialogs}"


def shown(text: str) -> str:
    """Text as a reader sees it: a `<` that could open a tag is followed by a zero-width
    space (Material shows tooltips and truncated titles as HTML)."""
    return (text or "").replace("\u200b", "")


def assert_no_payload_ran(page, where: str) -> None:
    found = page.evaluate(FIND_PAYLOAD_EFFECTS)
    assert found == [], f"{where}: a payload ran or left markup:\n" + "\n".join(found)


def hover_everything(page) -> int:
    """Hover every term link, badge and titled element of the content; return how many."""
    targets = page.locator("article .sc-term-link, article .sc-badge, article [title], .md-nav [title]")
    count = min(targets.count(), 80)
    hovered = 0
    for index in range(count):
        target = targets.nth(index)
        if not target.is_visible():
            continue
        target.scroll_into_view_if_needed()
        target.hover()
        hovered += 1
    page.mouse.move(0, 0)
    return hovered


@pytest.mark.parametrize("path", PAGES)
def test_no_payload_runs_on_load_or_hover(open_page, path):
    page = open_page(path)
    assert page.locator("article h1").count() >= 1, f"{path}: no heading; the page did not render"
    assert_no_payload_ran(page, f"{path} after load")
    hovered = hover_everything(page)
    page.wait_for_timeout(200)  # tooltips appear after a short delay
    assert_no_payload_ran(page, f"{path} after hovering {hovered} elements")
    page.close()


def test_titles_are_shown_as_text_in_the_heading_and_the_window_title(open_page):
    page = open_page("catalogue/services/evil-backend/")
    assert shown(page.locator("article h1").first.inner_text()).replace("\u00b6", "").strip() == MERMAID_TITLE
    assert shown(page.title()).startswith(MERMAID_TITLE + " - "), page.title()
    assert shown(page.locator(".md-header__topic .md-ellipsis").last.inner_text()).strip() == MERMAID_TITLE
    assert_no_payload_ran(page, "evil-backend")


def test_term_tooltip_shows_the_payload_as_text(open_page):
    page = open_page("catalogue/services/evil-service/")
    link = page.locator("article a.sc-term-link").first
    link.scroll_into_view_if_needed()
    assert shown(link.get_attribute("title")) == TOOLTIP_SUMMARY
    link.hover()
    tooltip = page.locator('[role="tooltip"]', has_text="onmouseover")
    tooltip.first.wait_for(state="visible")
    assert shown(tooltip.first.inner_text()).strip() == TOOLTIP_SUMMARY
    assert tooltip.first.locator("img, script, svg, iframe").count() == 0
    page.wait_for_timeout(200)
    assert_no_payload_ran(page, "after the term tooltip showed")


def test_a_tooltip_taken_from_a_definition_shows_its_html_as_text(open_page):
    """A term without a summary: the tooltip is its definition's first sentence, raw HTML and all."""
    page = open_page("catalogue/parties/evil-provider/")
    link = page.locator("article a.sc-term-link", has_text=GADGET_WORD).first
    link.scroll_into_view_if_needed()
    expected = '<img src=x onerror="window.__xss=1"> first sentence.'
    assert shown(link.get_attribute("title")) == expected
    link.hover()
    tooltip = page.locator('[role="tooltip"]', has_text="first sentence")
    tooltip.first.wait_for(state="visible")
    assert shown(tooltip.first.inner_text()).strip() == expected
    assert tooltip.first.locator("img").count() == 0
    page.wait_for_timeout(200)
    assert_no_payload_ran(page, "after the definition tooltip showed")


def test_mermaid_node_labels_hold_the_titles_as_data(open_page):
    """The diagram source Mermaid gets: one node per service, the label never closed early;
    and the site's Mermaid, drawing it, runs none of it."""
    for path, expected in (
        ("catalogue/services/evil-service/", MERMAID_TITLE),
        ("catalogue/services/evil-backend/", MERMAID_TITLE),
    ):
        page = open_page(path)
        served = page.evaluate("() => fetch(location.href).then(response => response.text())")
        source = html.unescape(_DIAGRAM_SOURCE.search(served).group(1))
        page.wait_for_function("() => document.querySelector('div.mermaid')")  # drawn: Material swapped the source out
        lines = [line.strip() for line in source.strip().splitlines()]
        assert lines[0] == "graph LR", source
        labels = []
        for line in lines[1:]:
            node = re.fullmatch(r'(\w+)\["([^"]*)"\]', line)
            edge = re.fullmatch(r"\w+ (==>|-\.->) \w+", line)
            assert node or edge, f"{path}: unexpected diagram line {line!r}\n{source}"
            if node:
                assert "<" not in node.group(2) and ">" not in node.group(2) and "`" not in node.group(2), line
                labels.append(node.group(2))
        # Mermaid reads #name; and #123; as entities, once: decoded, the labels are the titles.
        decoded = [html.unescape(re.sub(r"#(\d+);", r"&#\1;", re.sub(r"#([A-Za-z]\w*);", r"&\1;", label))) for label in labels]
        assert expected in decoded, (decoded, source)
        assert_no_payload_ran(page, path)
        page.close()


def test_search_results_show_payloads_as_text(open_page):
    page = open_page("")
    search = page.locator(".md-search__input")
    search.click()
    results = page.locator(".md-search-result__item")
    search.press_sequentially(TERM_WORD, delay=50)  # keystrokes: Material searches on key events
    results.first.wait_for(state="visible")
    page.wait_for_timeout(300)
    for index in range(min(results.count(), 20)):
        item = results.nth(index)
        if item.is_visible():
            item.hover()
    more = page.locator(".md-search-result__more summary")
    for index in range(more.count()):
        if more.nth(index).is_visible():
            more.nth(index).click()
    assert_no_payload_ran(page, "search results")


def test_short_link_labels_are_text(open_page):
    page = open_page("")
    links = page.locator('article a[href*="evil-provider"]')
    assert links.count() >= 1
    assert "<img src=x onerror=window.__xss=1> (x) *y*" in shown(links.first.inner_text())
    assert_no_payload_ran(page, "home")


def test_javascript_links_from_records_are_text_not_links(open_page):
    page = open_page("catalogue/services/evil-service/")
    support = page.locator("article li", has_text="javascript:window.__xss=1")
    assert support.count() >= 1, "the javascript: support contact is not shown at all"
    for index in range(support.count()):
        assert support.nth(index).locator("a[href^='javascript' i]").count() == 0
    # The crafted https address is a link whose href keeps the quote inside.
    crafted = page.locator('article a[href^="https://invalid.invalid/"]')
    assert crafted.count() >= 1
    for index in range(crafted.count()):
        assert crafted.nth(index).get_attribute("onmouseover") is None
    assert_no_payload_ran(page, "evil-service")


def test_exports_are_json_with_the_payloads_as_data(hostile_site):
    catalogue = json.loads((hostile_site / "catalogue.json").read_text("utf-8"))
    titles = {record["id"]: record["title"] for record in catalogue["records"]}
    assert titles["evil-backend"] == MERMAID_TITLE  # data, exactly as written
    glossary = json.loads((hostile_site / "glossary.json").read_text("utf-8"))
    for term in glossary["terms"]:
        markup = markup_of(term["definition_html"])
        assert markup, term["definition_html"]
        for tag, attrs in markup:
            assert tag not in ("script", "iframe", "svg", "object", "embed", "style", "form", "math"), (tag, attrs)
            for name, value in attrs:
                assert not name.startswith("on"), (tag, name, value)
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I), (tag, name, value)
