"""Service titles in dependency diagrams, drawn by the real Mermaid (issue 13, item 2).

A service page draws its dependencies as a Mermaid flowchart whose node labels
are service titles. Mermaid reads more than the flowchart in that source: a
`%%{init: ...}%%` directive anywhere in it changes the configuration (its
`themeCSS` restyles the diagram, and a `url(...)` in it makes every reader's
browser fetch the attacker's address), `%%` starts a comment, and its entity
handling rewrites `style ...:#...;` and `classDef ...:#...;`. So a title must
reach the diagram as text only.

The site is built with `mkdocs build` from a catalogue whose service titles are
such payloads, served on localhost and opened in Debian chromium with the real
Mermaid 12.3.0 from npm, the copy the plugin serves from the site (the same
bytes as node_modules/mermaid/dist/mermaid.min.js). Every request to a host
that is not localhost is blocked, and recorded. Material puts
each diagram in a closed shadow root; an init script opens it, so the test reads
the SVG that Mermaid drew. On each page: the diagram is drawn, every label shows
its title exactly, no request left localhost, and the diagram's style sheet is
the one a plain diagram gets.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from pathlib import Path

import pytest

from helpers.browser import offline_context
from helpers.catalogue_builder import write_catalogue
from helpers.site_build import describe, record_page, run_mkdocs_build

TIMEOUT = 20_000  # ms

# The payload: a directive whose theme CSS fetches an image from the attacker.
DIRECTIVE = (
    "%%{init: {'themeCSS': '* { background-image: url(https://evil.invalid/track.png) } "
    ".node rect { fill: #c0ffee }'}}%% Tracker"
)
PAYLOADS = {
    "directive": DIRECTIVE,
    "initialize-directive": "Relay %%{initialize: {'theme': 'dark', 'themeCSS': 'svg { background: url(https://evil.invalid/i) }'}}%%",
    "comment": "Mail %% relay ]] style self fill:#f00",
    "class-and-click": 'Relay:::evil"] click self call alert(1) ["x',
    "style-and-class-def": "style:a#quot;b classDef x fill:#f00; style x:#lt;y;",
    # Mermaid's own stand-ins for `&`, `&#` and `;` while it works: it turns them back at the end.
    "entity-markers": "\ufb02\u00b0lt\u00b6\u00df, \ufb02\u00b0\u00b060\u00b6\u00df, #lt;b#gt; & <b>bold</b> &amp; 100%",
    "front-matter": "--- config: {theme: dark, themeCSS: 'svg {background: red}'} ---",
    "braces-and-quotes": "{{ 7 * 7 }} {% if x %} \"quoted\" 'single' `code` |pipe| [box] (round)",
}
PLAIN_TITLE = "Plain service"


def service(record_id: str, title: str, depends_on: str | None = "backend") -> str:
    dependency = f"depends_on:\n  - service: {depends_on}\n    criticality: hard\n" if depends_on else ""
    return (
        "apiVersion: catalogue/v1\nkind: Service\n"
        f"id: {record_id}\ntitle: {json.dumps(title)}\n"
        "type: customer-facing\nstatus: live\nowner: it-services\n" + dependency
    )


MKDOCS_YML = textwrap.dedent(
    """\
    site_name: Mermaid labels
    theme:
      name: material
      font: false
    plugins:
      - search
      - tags
      - service-catalogue:
          catalogue: catalogue
          section: catalogue
          as_of: "2026-06-01"
    markdown_extensions:
      - attr_list
      - md_in_html
      - tables
      - pymdownx.superfences:
          custom_fences:
            - name: mermaid
              class: mermaid
              format: !!python/name:pymdownx.superfences.fence_code_format
    """
)

# Material attaches each drawn diagram to a closed shadow root; opened, the test can read it.
DIAGRAMS = """
() => [...document.querySelectorAll("div.mermaid")].map((host) => {
  const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
  if (!svg) return null;
  const style = [...svg.querySelectorAll("style")].map((s) => s.textContent).join("\\n");
  return {
    role: svg.getAttribute("aria-roledescription"),
    // A word joiner (U+2060, invisible) is how a label keeps Mermaid's stand-ins (see below) apart.
    labels: [...svg.querySelectorAll("g.node")].map((node) => node.textContent.replace(/\\s+/g, " ").replaceAll("\u2060", "").trim()),
    style: style.split(svg.id).join("#DIAGRAM"),
  };
})
"""


@pytest.fixture(scope="module")
def mermaid_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("mermaid") / "project"
    files = {f"services/{name}.yaml": service(name, title) for name, title in PAYLOADS.items()}
    files["services/plain.yaml"] = service("plain", PLAIN_TITLE)
    files["services/backend.yaml"] = service("backend", "Backend", depends_on=None)
    write_catalogue(project, files)
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Mermaid labels\n", encoding="utf-8")
    site = project.parent / "site"
    result = run_mkdocs_build(project, site, strict=True)
    assert result.returncode == 0, f"the catalogue did not build\n{describe(result)}"
    return site


@pytest.fixture
def diagrams_of(browser, mermaid_site, serve_site):
    """diagrams_of(record id) -> (the diagrams drawn on the service's page, requests that left localhost)."""
    base_url = serve_site(mermaid_site)
    context, external = offline_context(browser, base_url)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))

    def diagrams(record_id: str):
        external.clear()
        console.clear()
        page.goto(base_url + record_page("Service", record_id)[: -len("index.html")])
        try:
            page.wait_for_function(f"() => ({DIAGRAMS})().some(Boolean)")
        except Exception as error:
            raise AssertionError(f"Mermaid drew no diagram on the page of {record_id!r}: {error}\n" + "\n".join(console)) from None
        page.wait_for_load_state("networkidle")  # a style sheet's url() is fetched once the diagram is drawn
        return page.evaluate(DIAGRAMS), list(external), list(console)

    try:
        yield diagrams
    finally:
        context.close()


def the_diagram(diagrams_of, record_id: str):
    drawn, external, console = diagrams_of(record_id)
    assert len(drawn) == 1 and drawn[0], f"expected one drawn diagram, found {drawn}\n" + "\n".join(console)
    diagram = drawn[0]
    assert diagram["role"] == "flowchart-v2", diagram  # drawn by the real Mermaid, as a flowchart
    assert external == [], f"requests left localhost: {external}"  # Material's unpkg copy among them, once
    return diagram


@pytest.fixture
def plain_style(diagrams_of) -> str:
    diagram = the_diagram(diagrams_of, "plain")
    assert sorted(diagram["labels"]) == ["Backend", PLAIN_TITLE]
    return diagram["style"]


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_a_title_is_only_text_in_its_diagram(diagrams_of, plain_style, name):
    diagram = the_diagram(diagrams_of, name)
    assert sorted(diagram["labels"]) == sorted(["Backend", " ".join(PAYLOADS[name].split())]), diagram["labels"]
    assert "evil.invalid" not in diagram["style"] and "c0ffee" not in diagram["style"]
    assert diagram["style"] == plain_style, "the title changed the diagram's style"


def test_every_title_in_one_diagram(diagrams_of, plain_style):
    """The backend's page: every payload is a dependant, in one diagram."""
    diagram = the_diagram(diagrams_of, "backend")
    expected = ["Backend", PLAIN_TITLE, *(" ".join(title.split()) for title in PAYLOADS.values())]
    assert sorted(diagram["labels"]) == sorted(expected)
    assert diagram["style"] == plain_style


def test_labels_hold_nothing_mermaid_reads():
    """Without a browser: what the diagram source holds for each title, as Mermaid decodes it."""
    from service_catalogue.site.text import mermaid_label

    for title in [*PAYLOADS.values(), "tab\there\x1b[31m red \u202eevil"]:
        label = mermaid_label(title)
        for read in ('"', "%", "{", "}", ":", "`", "<", ">", "\n", "\ufb02\u00b0", "\u00b6\u00df", "\x1b", "\u202e"):
            assert read not in label, (read, label)
    # Mermaid reads #123; and #name; once, as character references.
    once = lambda m: chr(int(m.group(1))) if m.group(1).isdigit() else html.unescape(f"&{m.group(1)};")  # noqa: E731
    title = '50% {x}: #1 #lt;b#gt; &amp; "q" ﬂ°¶ß'
    assert re.sub(r"#(\w+);", once, mermaid_label(title)).replace("\u2060", "") == title
