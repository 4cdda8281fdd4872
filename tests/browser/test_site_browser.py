"""A person's walk through the built example site in a real browser (Debian's
chromium, headless, driven by Playwright), served on localhost:

search for a service by a word of its summary, open it, follow the link to its
SLA, see the downtime budget, hover a status badge and see Material's tooltip,
and no page logs a console error. Screenshots go to test-artifacts/.

The machine has no network, so requests to other hosts (Google Fonts, the
GitHub API for the repository facts) are answered by small local stubs: an
empty style sheet and empty JSON. Mermaid is the site's own (the plugin serves
the npm package's copy), and draws the diagrams for real. Nothing leaves the
machine, and a console error can only come from the site itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.browser import offline_context
from helpers.site_build import REPO, parse_duration_minutes, record_page

ARTIFACTS = REPO / "test-artifacts"
TIMEOUT = 15_000  # ms, for each wait


_WORD = re.compile(r"[A-Za-z]{6,}")


def _search_documents(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]


def choose_service(catalogue_records, site: Path):
    """A service with an offering backed by an SLA that has an availability target,
    and the word of its summary that the fewest search documents contain."""
    by_id = {r.id: r for r in catalogue_records}
    documents = _search_documents(site)
    texts = [(doc["location"], f"{doc.get('title', '')} {doc.get('text', '')}".casefold()) for doc in documents]
    best = None
    for service in (r for r in catalogue_records if r.kind == "Service"):
        agreements = [
            by_id[o["agreement"]]
            for o in service.data.get("offerings") or []
            if o.get("agreement") in by_id and by_id[o["agreement"]].data.get("availability")
        ]
        if not agreements:
            continue
        folder = record_page("Service", service.id)[: -len("index.html")]
        for word in set(_WORD.findall(service.data.get("summary", ""))):
            pattern = re.compile(rf"\b{re.escape(word.casefold())}\b")
            hits = [location for location, text in texts if pattern.search(text)]
            if not any(location.split("#")[0] == folder for location in hits):
                continue
            pages = {location.split("#")[0] for location in hits}
            score = (len(pages), word)
            if best is None or score < best[0]:
                best = (score, service, word, agreements[0])
    assert best, "no service of the example has an SLA with an availability target and a searchable summary"
    return best[1], best[2], best[3]


@pytest.fixture
def site_page(browser, built_site, serve_site):
    """A new browser page on the served site, external hosts stubbed, errors collected."""
    base_url = serve_site(built_site.site)
    def stub(route):
        kind = route.request.resource_type
        if kind == "script":
            return route.fulfill(status=200, content_type="text/javascript", body="")
        if kind == "stylesheet":
            return route.fulfill(status=200, content_type="text/css", body="")
        if kind == "font":
            return route.fulfill(status=200, content_type="font/woff2", body=b"")
        return route.fulfill(status=200, content_type="application/json", body="{}")

    context, _stubbed = offline_context(browser, base_url, answer=stub)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console {msg.type} at {page.url}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error at {page.url}: {exc}"))
    page.on("requestfailed", lambda request: errors.append(f"request failed at {page.url}: {request.url} {request.failure}"))
    page.on("response", lambda response: errors.append(f"HTTP {response.status} for {response.url}") if response.status >= 400 else None)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield page, base_url, errors
    finally:
        context.close()


def test_search_open_service_follow_sla_see_budget_and_tooltip(site_page, built_site, catalogue_records):
    page, base_url, errors = site_page
    service, word, agreement = choose_service(catalogue_records, built_site.site)

    # 1. The home page, and Material's search
    response = page.goto(base_url)
    assert response is not None and response.ok
    page.locator(".md-search__input").click()
    # Material's search worker builds its index first ("Initializing search");
    # a query typed before it is ready can be lost.
    page.wait_for_function(
        "() => { const meta = document.querySelector('.md-search-result__meta');"
        " return meta && meta.textContent.trim() && !/initializ/i.test(meta.textContent); }"
    )
    page.locator(".md-search__input").press_sequentially(word, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible")
    service_url = base_url + record_page("Service", service.id)[: -len("index.html")]
    hit = page.locator(f'.md-search-result__link[href^="{service_url}"]').first
    hit.wait_for(state="visible")
    page.screenshot(path=str(ARTIFACTS / "site-search.png"))

    # 2. The service, opened from the results
    hit.click()
    # search.highlight adds ?h=WORD to the address
    page.wait_for_url(re.compile(re.escape(service_url) + r"(\?[^#]*)?(#.*)?$"))
    heading = page.locator("article h1")
    assert service.data["title"] in heading.inner_text()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "site-service.png"), full_page=True)

    # 3. Its SLA, from the Offerings (or Agreements) table
    sla_path = record_page("Agreement", agreement.id)[: -len("index.html")]
    link = page.locator(f'article a[href$="{sla_path.split("/", 1)[1]}"]').first
    link.wait_for(state="visible")
    link.click()
    page.wait_for_url(re.compile(re.escape(base_url + sla_path) + r"(\?[^#]*)?(#.*)?$"))
    assert agreement.data["title"] in page.locator("article h1").inner_text()

    # 4. The downtime budget
    budget = page.locator("article .sc-downtime-budget")
    budget.scroll_into_view_if_needed()
    assert budget.is_visible()
    shown = budget.inner_text().strip()
    assert shown, "the downtime budget is empty"
    parse_duration_minutes(shown)  # a duration such as "21.9 minutes"
    page.screenshot(path=str(ARTIFACTS / "site-sla-budget.png"))

    # 5. A status badge and Material's tooltip
    status = agreement.data["status"]
    badge = page.locator("article .sc-badge", has_text=re.compile(rf"^\s*{re.escape(status)}\s*$")).first
    badge.scroll_into_view_if_needed()
    title = badge.get_attribute("title") or ""
    assert title, f"the status badge {status!r} has no title for a tooltip"
    badge.hover()
    tooltip = page.locator('[role="tooltip"]', has_text=title)
    tooltip.wait_for(state="visible")
    described_by = badge.get_attribute("aria-describedby")
    assert described_by, "Material did not attach the tooltip to the badge"
    assert page.locator(f"#{described_by}").inner_text().strip() == title
    # the tooltip fades in: take the picture once it is fully shown
    page.wait_for_function(
        "id => { const tip = document.getElementById(id);"
        " return tip && getComputedStyle(tip).opacity === '1' && getComputedStyle(tip).visibility === 'visible'; }",
        arg=described_by,
    )
    page.screenshot(path=str(ARTIFACTS / "site-sla-tooltip.png"))

    # 6. The walk logged no error
    page.wait_for_load_state("networkidle")
    assert errors == [], "\n".join(errors)


def test_service_page_draws_its_diagram_with_the_sites_own_mermaid(site_page, built_site, catalogue_records):
    """The dependency diagram is drawn by the Mermaid the site serves: its nodes name the
    service and what it depends on, and no script was asked of another host."""
    page, base_url, errors = site_page
    by_id = {r.id: r for r in catalogue_records}
    services = [r for r in catalogue_records if r.kind == "Service" and (r.data.get("depends_on"))]
    assert services, "no service of the example has dependencies"
    service = services[0]
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    page.goto(base_url + record_page("Service", service.id)[: -len("index.html")])
    page.wait_for_function("() => { const d = document.querySelector('div.mermaid');"
                           " return d && d.shadowRoot && d.shadowRoot.querySelector('svg g.node'); }")
    labels = page.evaluate("() => [...document.querySelector('div.mermaid').shadowRoot.querySelectorAll('g.node')]"
                           ".map(n => n.textContent.trim())")
    assert service.data["title"] in labels, labels
    assert by_id[service.data["depends_on"][0]["service"]].data["title"] in labels, labels
    assert all(url.startswith(base_url) for url in scripts), scripts
    page.wait_for_load_state("networkidle")
    assert errors == [], "\n".join(errors)
