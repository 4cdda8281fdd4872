"""The glossary in a real browser (Debian chromium): hover a term in an agreement page,
read Material's tooltip, follow the link to the term's anchor on the glossary page.

The example site is built once per session by the `built_site` fixture (conftest.py).
Requests that leave the local server (web fonts, the GitHub API for the repository
facts) are aborted: the test runs offline, and the "failed to load" messages those
produce are the only console errors it tolerates.
"""

from __future__ import annotations

import json

from helpers.site_build import REPO

AGREEMENT = "catalogue/agreements/sla-collaboration/"
GLOSSARY = "catalogue/glossary/"
ARTIFACTS = REPO / "test-artifacts"
CONTENT_LINKS = "article.md-content__inner a.sc-term-link"

# The tooltips Material shows now: present, not hidden, not transparent.
SHOWN_TOOLTIPS = """() => Array.from(document.querySelectorAll('[role="tooltip"]'))
    .filter(e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
                   return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0 && r.width > 0; })
    .map(e => e.id)"""


def test_hover_a_term_in_an_agreement_then_follow_it_to_the_glossary(built_site, browser, serve_site):
    base = serve_site(built_site.site)
    terms = {t["id"]: t for t in json.loads((built_site.site / "glossary.json").read_text("utf-8"))["terms"]}
    ARTIFACTS.mkdir(exist_ok=True)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []

    def on_console(message):
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and url and not url.startswith(base):
            return  # an off-site request, aborted below
        errors.append(f"{message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    try:
        response = page.goto(base + AGREEMENT)
        assert response is not None and response.ok, f"{AGREEMENT}: {response and response.status}"
        page.wait_for_load_state("load")

        link = page.locator(CONTENT_LINKS).first
        link.wait_for(state="visible", timeout=10_000)
        href = link.get_attribute("href")
        assert href and "#" in href, href
        term_id = href.split("#", 1)[1]
        assert term_id in terms, f"the link leads to #{term_id}, which glossary.json does not list"
        short_definition = terms[term_id]["summary"]
        word = link.inner_text()

        # Hover: Material (content.tooltips) moves the title into a tooltip of its own.
        link.scroll_into_view_if_needed()
        link.hover()
        page.wait_for_function(
            "link => link.getAttribute('aria-describedby')", arg=link.element_handle(), timeout=5_000
        )
        tooltip_id = link.get_attribute("aria-describedby")
        tooltip = page.locator(f"[id='{tooltip_id}']")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert tooltip.get_attribute("role") == "tooltip"
        page.wait_for_function(f"() => ({SHOWN_TOOLTIPS})().includes({json.dumps(tooltip_id)})", timeout=5_000)
        text = " ".join(tooltip.inner_text().split())
        assert short_definition in text, f"hovering {word!r}: tooltip says {text!r}, not {short_definition!r}"
        # One tooltip at a time: the term link is not inside another element with a tooltip.
        assert page.evaluate(SHOWN_TOOLTIPS) == [tooltip_id], "more than one tooltip is shown"
        # Screenshot once the fade-in has finished.
        page.wait_for_function(
            "id => getComputedStyle(document.getElementById(id)).opacity === '1'", arg=tooltip_id, timeout=5_000
        )
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "glossary-tooltip.png"))

        # Follow the link to the term's anchor on the glossary page.
        link.click()
        page.wait_for_url(f"**/{GLOSSARY}#{term_id}", timeout=10_000)
        assert page.url == f"{base}{GLOSSARY}#{term_id}", page.url
        target = page.locator(f"[id='{term_id}']")
        assert target.count() == 1, f"the glossary page has {target.count()} elements with id {term_id!r}"
        page.wait_for_function(
            """id => { const r = document.getElementById(id).getBoundingClientRect();
                       return r.top >= 0 && r.bottom <= window.innerHeight; }""",
            arg=term_id,
            timeout=5_000,
        )
        assert terms[term_id]["title"] in target.inner_text()
        page.screenshot(path=str(ARTIFACTS / "glossary-anchor.png"))
    finally:
        page.close()
    assert errors == [], "\n".join(errors)
