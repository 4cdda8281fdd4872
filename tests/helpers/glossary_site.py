"""A small site for the glossary tests, written into a temporary folder and built.

Every word that is a glossary term is placed on purpose, so the tests know
exactly which pages use which term (see EXPECTED_USED_IN).  The site is built
the way a user builds it: `python -m mkdocs build --strict -d site`.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

from helpers.site_build import run_mkdocs_build


# --------------------------------------------------------------------------
# The catalogue

PARTIES = """\
apiVersion: catalogue/v1
kind: Party
id: it-services
title: IT Services
type: department
description: The team that answers every incident.
---
apiVersion: catalogue/v1
kind: Party
id: all-staff
title: All staff
type: customer
"""

CALENDAR = """\
apiVersion: catalogue/v1
kind: Calendar
id: business-hours
title: Business hours
timezone: Europe/London
weekly:
  - days: [mon, tue, wed, thu, fri]
    from: "08:00"
    to: "18:00"
"""

# "service level agreement" twice (second occurrence test), one incident, one RPO.
# The Agreements table of the page adds the agreement's type, "SLA", as text.
SERVICE = """\
apiVersion: catalogue/v1
kind: Service
id: email
title: Email
type: customer-facing
status: live
owner: it-services
description: |
  Mail for every member of staff. A service level agreement sets its targets,
  and the service level agreement is reviewed every year.

  Every incident is logged, and the RPO of a mailbox is one hour.
offerings:
  - id: standard
    title: Standard mailbox
    agreement: sla-email
"""

# The agreement's own text uses "service level agreement" and "incident" only.
# (Its page also shows the type, SLA, in the badge and the overview table.)
AGREEMENT = """\
apiVersion: catalogue/v1
kind: Agreement
id: sla-email
title: Email for staff
type: SLA
status: active
provider: it-services
customer: all-staff
services: [email]
period:
  start: 2026-01-01
  end: 2026-12-31
hours: business-hours
description: |
  This service level agreement covers mail for all staff. A major incident is
  handled before anything else.
priorities:
  - id: P1
    description: No one can send or receive mail
    response: 15m
    resolution: 4h
"""

# Summaries never use another term's words, so Appendix B adds no usage.
TERMS = """\
apiVersion: catalogue/v1
kind: Term
id: service-level-agreement
title: Service level agreement
abbreviation: SLA
aliases: [service level agreements]
summary: A written promise on what a service delivers and how well.
definition: |
  An agreement between a service provider and a customer. Every SLA names
  the hours in which its clock runs. An incident is measured against it.
---
apiVersion: catalogue/v1
kind: Term
id: incident
title: Incident
summary: An unplanned interruption to a service or a drop in its quality.
definition: |
  An unplanned interruption to a service. Each incident is logged.
see_also: [service-level-agreement]
source: ITIL 4 glossary
---
apiVersion: catalogue/v1
kind: Term
id: rpo
title: Recovery point objective
abbreviation: RPO
definition: |
  The most data, measured in time, that may be lost after a failure. Restores are tested twice a year.
---
apiVersion: catalogue/v1
kind: Term
id: policy
title: Policy
summary: A rule that IT Services has agreed to follow.
definition: A rule that IT Services has agreed to follow.
---
apiVersion: catalogue/v1
kind: Term
id: change-freeze
title: Change freeze
summary: A period in which no change is made to live systems.
definition: A period in which no change is made to live systems.
"""

CATALOGUE = {
    "parties/parties.yaml": PARTIES,
    "calendars/business-hours.yaml": CALENDAR,
    "services/email.yaml": SERVICE,
    "agreements/sla-email.yaml": AGREEMENT,
    "glossary/terms.yaml": TERMS,
}

# The short definitions (the tooltips): the summary, or the first sentence of the definition.
SHORT_DEFINITIONS = {
    "service-level-agreement": "A written promise on what a service delivers and how well.",
    "incident": "An unplanned interruption to a service or a drop in its quality.",
    "rpo": "The most data, measured in time, that may be lost after a failure.",
    "policy": "A rule that IT Services has agreed to follow.",
    "change-freeze": "A period in which no change is made to live systems.",
}

# --------------------------------------------------------------------------
# Hand-written pages

INDEX = """\
# Home

The catalogue of the desk: what it offers and on what terms.
"""

# incidents / policies: plurals; "sla" in the wrong case comes before the first "SLA".
GUIDE = """\
# Working with the desk

Lower case sla is only three letters here.

Several incidents were recorded under two policies last term.

The SLA for mail names its hours. The SLA is reviewed.
"""

# Terms only where they must be left alone: inline code, a fenced block, a heading, a link.
SKIPS = """\
# Left alone

## Incident handling

Write `Incident` or `RPO` in code.

```text
A Policy in a fenced block, and an SLA too.
```

Read [the Policy page](https://example.org/policy) and [an SLA](https://example.org/sla).
"""

# RPO inside an existing abbreviation (the abbr extension) is left alone.
ABBREVIATIONS = """\
# Abbreviations

The RPO is agreed per service.

*[RPO]: Recovery point objective
"""

# An admonition's title and a details summary are headings: left alone; their bodies are text.
NOTES = """\
# Notes

!!! note "Incident review"
    Every policy is read again after an incident.

??? note "Policy reading"
    Read each policy once a year.
"""

OPTED_OUT = """\
---
glossary_links: false
---

# Opted out

An incident under the policy, and the SLA behind it.
"""

DOCS = {
    "index.md": INDEX,
    "guide.md": GUIDE,
    "skips.md": SKIPS,
    "abbreviations.md": ABBREVIATIONS,
    "opted-out.md": OPTED_OUT,
    "notes.md": NOTES,
}

# Page titles and URLs (use_directory_urls) of the pages that count for "used in".
PAGES = {
    "guide": ("Working with the desk", "guide/"),
    "opted-out": ("Opted out", "opted-out/"),
    "notes": ("Notes", "notes/"),
    "email": ("Email", "catalogue/services/email/"),
    "sla-email": ("Email for staff", "catalogue/agreements/sla-email/"),
}

# Which pages use which term, from where the words were written above.
# The party page mentions "incident" but only services, agreements and
# hand-written pages count; the opted-out page is not linked but still uses terms.
EXPECTED_USED_IN = {
    "service-level-agreement": {"guide", "opted-out", "email", "sla-email"},
    "incident": {"guide", "opted-out", "notes", "email", "sla-email"},
    "rpo": {"email"},
    "policy": {"guide", "opted-out", "notes"},
    "change-freeze": set(),
}

# Appendix B of sla-email: the terms in the agreement's own text.
EXPECTED_APPENDIX_B = {"service-level-agreement", "incident"}

GLOSSARY_PAGE = "catalogue/glossary/index.html"


def mkdocs_yml(glossary_links: str | None = None) -> str:
    option = f"\n      glossary_links: {glossary_links}" if glossary_links else ""
    return f"""\
site_name: Glossary test site
site_url: https://example.org/
theme:
  name: material
  features:
    - content.tooltips
plugins:
  - search
  - service-catalogue:
      catalogue: catalogue
      as_of: "2026-11-29"{option}
markdown_extensions:
  - abbr
  - pymdownx.details
"""


def write_site(root: Path, glossary_links: str | None = None, catalogue: dict | None = None, docs: dict | None = None) -> Path:
    """Write mkdocs.yml, docs/ and catalogue/ into root; return root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(mkdocs_yml(glossary_links), encoding="utf-8")
    for folder, files in (("catalogue", catalogue or CATALOGUE), ("docs", docs or DOCS)):
        for name, content in files.items():
            path = root / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def build_site(root: Path) -> tuple[Path, subprocess.CompletedProcess]:
    """`python -m mkdocs build --strict -d site` in root; returns (site dir, process)."""
    site = root / "site"
    return site, run_mkdocs_build(root, site, strict=True)
