"""A catalogue written by an attacker: XSS payloads in every text field.

Every record is valid (the schema accepts it), so the whole catalogue is built
into a site; the payloads either run in the browser (a bug) or are shown as
text. Each payload, if it ran, would set `window.__xss`, change
`document.title` to "pwned", or both.

Records are written as JSON, which is YAML too: every payload reaches the
loader exactly as written here, whatever quotes and brackets it holds.
"""

from __future__ import annotations

import itertools
import json
import textwrap
from pathlib import Path

from helpers.site_build import MARKDOWN_EXTENSIONS_YML

# Plain-text payloads: one line each (titles and summaries allow no line break).
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '<svg onload="window.__xss=1">',
    '<iframe src="javascript:window.top.__xss=1"></iframe>',
    "[x](javascript:window.__xss=1)",
    "\"><script>document.title='pwned'</script>",
    "'><img src=x onerror=window.__xss=1>",
    "{: onclick=\"window.__xss=1\" } *[HTML]: <img src=x onerror=window.__xss=1>",
    "<a href=\"javascript:window.__xss=1\">click</a> | cell | break",
    "`<img src=x onerror=window.__xss=1>` #lt;img src=x onerror=window.__xss=1#gt;",
    '<details open ontoggle="window.__xss=1">',
    "&lt;script&gt;window.__xss=1&lt;/script&gt; &#60;img src=x onerror=window.__xss=1&#62;",
]

# Markdown fields get every payload above, plus tricks that only Markdown offers.
MARKDOWN_TRICKS = [
    "[click me](javascript:window.__xss=1) and [again](JaVaScRiPt:window.__xss=1 \"t\")",
    "<a href=\"data:text/html,<script>window.__xss=1</script>\">data</a>",
    # A title attribute that holds a tag: sanitisers keep `<` and `>` in attributes.
    "![Widget](https://invalid.invalid/x.png \"<img src=x onerror=window.__xss=1>\")",
    # The same, with a quote and a glossary term after a `>`: the term linker must
    # not mistake the rest of the attribute for text.
    "![a](https://invalid.invalid/y.png \"a > &quot; onerror=&quot;window.__xss=1&quot; x=&quot; Widget\")",
    # Escaped Markdown that becomes a link if the HTML is read as Markdown again.
    "\\[again\\](javascript:window.__xss=1) and \\<img src=x onerror=window.__xss=1\\>",
    "<style>body{background:url(javascript:window.__xss=1)}</style>",
    "<object data=\"javascript:window.__xss=1\"></object><embed src=\"javascript:window.__xss=1\">",
    "<form action=\"javascript:window.__xss=1\"><button>go</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "```\n</code></pre><img src=x onerror=window.__xss=1>\n```",
    "Widget <b onmouseover=\"window.__xss=1\">hover me</b>",
]

# The title of a service that is drawn in a Mermaid diagram (its dependant's page
# and its own): it tries to close the node label and open a new node with HTML.
MERMAID_TITLE = 'A"];B["<img src=x onerror=window.__xss=1>'
# A term whose summary is the tooltip of every link to it.
TOOLTIP_SUMMARY = "\"><img src=x onerror=\"window.__xss=1\"> ' onmouseover='window.__xss=1"
# The word that links to that term, used in many text fields.
TERM_WORD = "Widget"
# A term without a summary: its tooltip is the first sentence of its definition,
# which starts with raw HTML.
GADGET_WORD = "Gadgetry"
GADGET_DEFINITION = '<img src=x onerror="window.__xss=1"> first sentence. '

URL_PAYLOADS = [
    'https://invalid.invalid/"onmouseover="window.__xss=1',
    "https://invalid.invalid/'><script>window.__xss=1</script>",
    'mailto:x@invalid.invalid"onmouseover="window.__xss=1',
]


class _Cycle:
    """An endless supply of payloads, each one tagged so that it can be found."""

    def __init__(self):
        self._payloads = itertools.cycle(PAYLOADS)
        self.count = 0

    def __call__(self, prefix: str = "") -> str:
        self.count += 1
        return f"{prefix}{TERM_WORD} {self.count} {next(self._payloads)}"


def markdown_payload(prefix: str = "") -> str:
    parts = [prefix + f" {TERM_WORD} text, and a {GADGET_WORD}"] + PAYLOADS + MARKDOWN_TRICKS
    return "\n\n".join(parts) + "\n"


def hostile_records() -> dict[str, list[dict]]:
    """{relative file name: [record, ...]}."""
    p = _Cycle()
    md = markdown_payload
    links = [{"title": p("link "), "url": url} for url in URL_PAYLOADS]
    contacts = [
        {"name": p(), "role": p(), "email": "x@invalid.invalid", "phone": p()},
        {"name": p(), "role": p(), "phone": "+44 <script>window.__xss=1</script>"},
    ]
    base = {"apiVersion": "catalogue/v1"}
    parties = [
        {
            **base,
            "kind": "Party",
            "id": "evil-provider",
            "title": p("Provider "),
            "summary": p(),
            "description": md("Provider"),
            "type": "department",
            "contacts": contacts,
            "email": "x@invalid.invalid",
            "url": URL_PAYLOADS[0],
            "links": links,
            "tags": ["evil"],
        },
        {
            **base,
            "kind": "Party",
            "id": "evil-customer",
            "title": p("Customer "),
            "summary": p(),
            "description": md("Customer"),
            "type": "customer",
            "parent": "evil-provider",
            "url": URL_PAYLOADS[1],
        },
    ]
    calendar = {
        **base,
        "kind": "Calendar",
        "id": "evil-hours",
        "title": p("Hours "),
        "summary": p(),
        "description": md("Hours"),
        "timezone": "Europe/London",
        "weekly": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:00"}],
        "holidays": [{"date": "2026-12-25", "title": p()}, {"date": "2026-12-26", "title": p()}],
        "links": links,
    }
    services = [
        {
            **base,
            "kind": "Service",
            "id": "evil-service",
            "title": p("Service "),
            "summary": p(),
            "description": md("Service"),
            "type": "customer-facing",
            "status": "live",
            "category": p("Category "),
            "owner": "evil-provider",
            "contacts": contacts,
            "consumers": ["evil-customer"],
            "offerings": [
                {"id": "standard", "title": p(), "description": md("Offering"), "agreement": "evil-sla"},
                {"id": "inline", "title": p(), "description": MARKDOWN_TRICKS[3], "agreement": "evil-sla"},
            ],
            "requests": [
                {"id": "ask", "title": p(), "description": md("Request"), "fulfilment": "1d", "approval": True},
                {"id": "ask-2", "title": p(), "description": MARKDOWN_TRICKS[2], "fulfilment": "2h"},
            ],
            "support": {
                "hours": "evil-hours",
                "channels": [
                    {"type": "portal", "contact": "javascript:window.__xss=1"},
                    {"type": "chat", "contact": " JaVaScRiPt:window.__xss=1"},
                    {"type": "portal", "contact": URL_PAYLOADS[0]},
                    {"type": "email", "contact": '"><img src=x onerror=window.__xss=1>@x.invalid'},
                    {"type": "phone", "contact": p()},
                ],
            },
            "depends_on": [{"service": "evil-backend", "criticality": "hard", "note": p()}],
            "cost": {"model": "chargeback", "amount": 5, "currency": "EUR", "per": p()},
            "available_from": "2020-01-01",
            "tags": ["evil", "payload"],
            "links": links,
        },
        {
            **base,
            "kind": "Service",
            "id": "evil-backend",
            "title": MERMAID_TITLE,
            "summary": p(),
            "description": md("Backend"),
            "type": "supporting",
            "status": "live",
            "category": p("Category "),
            "owner": "evil-provider",
        },
    ]
    agreement_common = {
        "provider": "evil-provider",
        "customer": "evil-customer",
        "period": {"start": "2026-01-01", "end": "2026-12-31"},
        "hours": "evil-hours",
    }
    agreements = [
        {
            **base,
            "kind": "Agreement",
            "id": "evil-sla",
            "title": p("SLA "),
            "summary": p(),
            "description": md("Agreement"),
            "type": "SLA",
            "status": "active",
            "version": p(),
            "services": ["evil-service", "evil-backend"],
            **agreement_common,
            "owner": {"name": p(), "role": p(), "email": "x@invalid.invalid"},
            "review": {"frequency": "annual", "last": "2026-01-01", "next": "2026-02-01"},
            "objectives": [p(), p()],
            "scope": md("Scope"),
            "stakeholders": [{"name": p(), "role": p(), "party": "evil-customer"}, {"name": p(), "role": p()}],
            "requirements": {"customer": [p(), p()], "provider": [p()]},
            "assumptions": [p()],
            "exclusions": [p()],
            "availability": {"target": 99.9, "window": "month", "maintenance": p()},
            "priorities": [
                {"id": "P1", "description": p(), "response": "15m", "resolution": "4h"},
                {"id": "P2", "description": p(), "response": "1h", "resolution": "1d", "hours": "evil-hours"},
            ],
            "metrics": [{"id": "m1", "title": p(), "target": 5, "unit": p(), "direction": "at-most", "window": "month"}],
            "reporting": {"frequency": "monthly", "recipients": ["evil-customer"], "contents": [p(), p()]},
            "escalation": [
                {"level": 1, "contact": p(), "party": "evil-provider", "after": "1h"},
                {"level": 2, "contact": p()},
            ],
            "service_credits": [{"condition": p(), "credit": p()}],
            "underpinned_by": ["evil-ola"],
            "references": [
                {"title": p(), "url": URL_PAYLOADS[1], "document": p()},
                {"title": p(), "agreement": "evil-ola"},
                {"title": p(), "url": URL_PAYLOADS[2]},
            ],
            "approvals": [{"name": p(), "role": p(), "party": "evil-provider", "date": "2026-01-01"}],
            "links": links,
            "tags": ["evil"],
        },
        {
            **base,
            "kind": "Agreement",
            "id": "evil-ola",
            "title": p("OLA "),
            "summary": p(),
            "description": md("OLA"),
            "type": "OLA",
            "status": "active",
            "services": ["evil-backend"],
            **agreement_common,
            "customer": "evil-provider",
            "priorities": [{"id": "P1", "description": p(), "response": "10m", "resolution": "2h"}],
        },
    ]
    terms = [
        {
            **base,
            "kind": "Term",
            "id": "widget",
            "title": TERM_WORD,
            "summary": TOOLTIP_SUMMARY,
            "definition": md("Definition"),
            "abbreviation": "WGT",
            "aliases": ["gizmo <b>"],
            "see_also": ["gadget"],
            "source": p(),
            "links": links,
        },
        {
            **base,
            "kind": "Term",
            "id": "gadget",
            "title": p("Gadget ")[:200],
            "aliases": [GADGET_WORD],
            "definition": GADGET_DEFINITION + md("Gadget"),
            "source": p(),
        },
    ]
    return {
        "parties/evil.yaml": parties,
        "calendars/evil-hours.yaml": [calendar],
        "services/evil.yaml": services,
        "agreements/evil.yaml": agreements,
        "glossary/evil.yaml": terms,
    }


def write_hostile_catalogue(folder: Path) -> Path:
    """Write the hostile records into folder (created); return it."""
    for name, records in hostile_records().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        documents = [json.dumps(record, indent=1, ensure_ascii=False) for record in records]
        path.write_text("\n---\n".join(documents) + "\n", encoding="utf-8")
    return folder


MKDOCS_YML = textwrap.dedent(
    """\
    site_name: Hostile catalogue
    site_url: https://example.invalid/
    theme:
      name: material
      features:
        - content.tooltips
    plugins:
      - search
      - tags
      - service-catalogue:
          catalogue: catalogue
          section: catalogue
          as_of: "2026-06-01"
    """
) + MARKDOWN_EXTENSIONS_YML

HOME = f"""# Home

A hand-written page: [[evil-service]], [[evil-sla|<img src=x onerror=window.__xss=1>]] and
[[evil-provider|<img src=x onerror=window.__xss=1> (x) *y*]]. The {TERM_WORD} word links to the glossary.
"""


def write_hostile_project(project: Path, extra_plugin_options: str = "") -> Path:
    """mkdocs.yml, docs/index.md and the hostile catalogue under project."""
    project.mkdir(parents=True, exist_ok=True)
    config = MKDOCS_YML
    if extra_plugin_options:
        config = config.replace('as_of: "2026-06-01"\n', 'as_of: "2026-06-01"\n' + extra_plugin_options)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    (project / "docs").mkdir(exist_ok=True)
    (project / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    write_hostile_catalogue(project / "catalogue")
    return project
