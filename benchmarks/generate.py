"""A deterministic synthetic catalogue of any size, every record valid.

`generate(n)` gives the records (plain dicts, in a stable order) of a catalogue
of about n records with realistic proportions: parties in an organisation tree,
a few dozen calendars, glossary terms, services with acyclic dependency chains,
and agreements (SLAs backed by OLAs and UCs, with priorities, metrics, credits,
escalation and sign-off). `write_catalogue` writes them as YAML the way real
catalogues are kept: one file per service, agreement and calendar; terms and
parties several to a file. With `single=True` every record gets its own file
(what check-jsonschema needs: it reads one document per file).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper

API = "catalogue/v1"
SEED = 20261129

# Share of the records of each kind (calendars and terms are counted apart).
SHARES = {"Party": 0.10, "Service": 0.38}  # agreements take the rest
CALENDARS_PER_10K = 50
TERMS_PER_10K = 300
PER_FILE = 50  # parties and terms per file

QUALIFIERS = (
    "Recovery", "Service", "Capacity", "Availability", "Incident", "Problem", "Change", "Release",
    "Continuity", "Security", "Access", "Demand", "Supplier", "Portfolio", "Request", "Event",
    "Knowledge", "Configuration", "Deployment", "Monitoring", "Escalation", "Backlog", "Outage",
    "Maintenance", "Resilience", "Throughput", "Latency", "Retention", "Archive", "Identity",
    "Network", "Storage", "Licence", "Budget", "Quality", "Compliance", "Audit", "Risk",
    "Vendor", "Workload", "Platform", "Customer", "Provider", "Baseline", "Threshold",
)
NOUNS = (
    "objective", "window", "budget", "target", "review", "register", "plan", "matrix", "model",
    "record", "credit", "owner", "manager", "board", "catalogue", "policy", "procedure", "metric",
    "indicator", "baseline", "schedule", "level", "report", "agreement", "contract", "queue",
    "workflow", "forecast", "profile", "runbook", "audit", "charter", "ledger", "roster",
    "dashboard", "inventory", "standard", "exception", "escalation", "handover", "checklist",
    "portfolio", "pipeline", "tier", "quota",
)
FIRST = ("Aoife", "Ben", "Chen", "Dara", "Elif", "Femi", "Grace", "Hamid", "Ines", "Jonas", "Kiri", "Lena",
         "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wei", "Yara")
LAST = ("Brennan", "Okafor", "Lindqvist", "Mehta", "Nakamura", "Oduya", "Petrov", "Ramos", "Schmidt",
        "Tanaka", "Umeh", "Varga", "Whitmore", "Xu", "Young", "Zimmer")
AREAS = ("Teaching", "Research", "Finance", "People", "Estates", "Library", "Student Services",
         "Communications", "Procurement", "Legal", "Admissions", "Health", "Engineering", "Sales",
         "Logistics", "Marketing", "Operations", "Data", "Analytics", "Workplace")
THINGS = ("Portal", "Gateway", "Platform", "Hub", "Vault", "Exchange", "Registry", "Console",
          "Scheduler", "Tracker", "Mailer", "Archive", "Directory", "Ledger", "Studio", "Broker")
CATEGORIES = ("Communication & Collaboration", "Teaching & Learning", "Research Computing",
              "Business Applications", "Infrastructure", "Security & Identity", "Workplace & Devices",
              "Data & Analytics")
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Singapore", "Australia/Sydney", "UTC")
FILLER = (
    "The service is run by a dedicated team and reviewed every quarter.",
    "Changes are announced at least five working days in advance.",
    "Users reach support through the portal, by phone or by chat.",
    "Data is kept in two data centres and copied every night.",
    "Access needs a valid university account.",
    "Planned work takes place on Tuesday evenings.",
    "The team publishes a monthly report for the customer.",
    "Costs are shown to each department once a year.",
)


@dataclass(frozen=True)
class Sizes:
    parties: int
    calendars: int
    terms: int
    services: int
    agreements: int

    @property
    def total(self) -> int:
        return self.parties + self.calendars + self.terms + self.services + self.agreements


def sizes(n: int) -> Sizes:
    """How many records of each kind a catalogue of n records has (n >= 30)."""
    n = max(int(n), 30)
    calendars = max(3, round(n * CALENDARS_PER_10K / 10_000))
    terms = max(10, round(n * TERMS_PER_10K / 10_000))
    parties = max(8, round(n * SHARES["Party"]))
    services = max(5, round(n * SHARES["Service"]))
    agreements = n - calendars - terms - parties - services
    return Sizes(parties, calendars, terms, services, agreements)


def term_titles(count: int) -> list[tuple[str, str]]:
    """(title, abbreviation) pairs: distinct two-word (then three-word) phrases."""
    pairs = [(q, n) for n in NOUNS for q in QUALIFIERS]
    titles = []
    for q, n in pairs:
        titles.append(f"{q} {n}")
    if count > len(titles):
        for q2 in QUALIFIERS:
            for q, n in pairs:
                if q2 != q:
                    titles.append(f"{q2} {q.lower()} {n}")
    if count > len(titles):
        raise ValueError(f"at most {len(titles)} terms can be generated")
    out, abbreviations = [], set()
    for title in titles[:count]:
        letters = "".join(word[0] for word in title.split()).upper()
        abbreviation, suffix = letters, 2
        while abbreviation in abbreviations:
            abbreviation, suffix = f"{letters}{suffix}", suffix + 1
        abbreviations.add(abbreviation)
        out.append((title, abbreviation))
    return out


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")[:50]


class _Generator:
    def __init__(self, n: int, seed: int, terms: int | None, mention: int | None = None):
        self.rng = random.Random(seed)
        self.mention = mention  # text uses only the first `mention` terms (all: None)
        self.size = sizes(n)
        if terms is not None:
            self.size = Sizes(self.size.parties, self.size.calendars, terms, self.size.services, self.size.agreements)
        self.records: list[dict] = []

    # -- helpers ----------------------------------------------------------

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def email(self, name: str) -> str:
        first, last = name.split(" ", 1)
        return f"{first[0].lower()}.{last.lower()}@example.org"

    def sentence_with_terms(self) -> str:
        """A sentence that uses glossary terms, as real agreements do."""
        names = self.term_names[: self.mention] if self.mention else self.term_names
        if not names:
            return self.rng.choice(FILLER)
        title, abbreviation = self.rng.choice(names)
        other, other_abbreviation = self.rng.choice(names)
        pattern = self.rng.randrange(4)
        if pattern == 0:
            return f"The {title.lower()} is agreed with the customer and checked in every review."
        if pattern == 1:
            return f"Each {abbreviation} is recorded, and the {other.lower()} is reported monthly."
        if pattern == 2:
            return f"Both {title.lower()}s and the {other_abbreviation} are kept up to date by the owner."
        return f"See the {other} before raising a change."

    def text(self, sentences: int) -> str:
        parts = [self.sentence_with_terms() if self.rng.random() < 0.6 else self.rng.choice(FILLER) for _ in range(sentences)]
        return " ".join(parts)

    def paragraphs(self) -> str:
        return "\n\n".join(self.text(self.rng.randint(2, 4)) for _ in range(self.rng.randint(1, 3))) + "\n"

    def date(self, year_from=2022, year_to=2027) -> str:
        return f"{self.rng.randint(year_from, year_to)}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    # -- kinds --------------------------------------------------------------

    def calendars(self):
        self.calendar_ids = []
        for i in range(self.size.calendars):
            zone = ZONES[i % len(ZONES)]
            cid = f"hours-{i:03d}"
            record = {"apiVersion": API, "kind": "Calendar", "id": cid}
            if i == 0:
                record.update(title="Always on", summary="Round the clock, every day of the year.", timezone="UTC", always=True)
            else:
                start = self.rng.choice(("07:00", "08:00", "08:30", "09:00"))
                end = self.rng.choice(("17:00", "17:30", "18:00", "20:00"))
                weekly = [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": start, "to": end}]
                if i % 3 == 0:
                    weekly.append({"days": ["sat"], "from": "09:00", "to": "13:00"})
                holidays = [{"date": f"2026-{m:02d}-{d:02d}", "title": t} for m, d, t in
                            ((1, 1, "New Year's Day"), (4, 3, "Good Friday"), (5, 25, "Spring holiday"), (12, 25, "Christmas Day"))]
                record.update(
                    title=f"{zone.split('/')[-1].replace('_', ' ')} business hours {i}",
                    summary=f"Weekdays {start}-{end}, {zone} time.",
                    timezone=zone,
                    weekly=weekly,
                    holidays=holidays,
                )
            self.calendar_ids.append(cid)
            self.records.append(record)

    def terms(self):
        self.term_names = term_titles(self.size.terms)
        self.term_ids = []
        for i, (title, abbreviation) in enumerate(self.term_names):
            tid = slug(title)
            record = {
                "apiVersion": API,
                "kind": "Term",
                "id": tid,
                "title": title,
                "abbreviation": abbreviation,
                "summary": f"The {title.lower()} as used in this catalogue.",
                "definition": f"A {title.lower()} records what is agreed about {title.split()[0].lower()} work. "
                f"It is owned by the service owner and reviewed with the customer.\n",
            }
            if i % 4 == 0:
                record["aliases"] = [f"{title.lower()} sheet"]
            if i > 0 and i % 3 == 0:
                record["see_also"] = [self.term_ids[self.rng.randrange(len(self.term_ids))]]
            record["source"] = "Synthetic benchmark catalogue"
            self.term_ids.append(tid)
            self.records.append(record)

    def parties(self):
        total = self.size.parties
        departments = max(2, total // 20)
        suppliers = max(2, total * 15 // 100)
        customers = max(2, total * 20 // 100)
        teams = max(2, total - departments - suppliers - customers)
        self.departments, self.teams, self.suppliers, self.customers = [], [], [], []
        for i in range(departments):
            pid = f"dept-{i:04d}"
            self.departments.append(pid)
            record = {"apiVersion": API, "kind": "Party", "id": pid, "title": f"{AREAS[i % len(AREAS)]} Department {i}",
                      "type": "department", "summary": f"The {AREAS[i % len(AREAS)].lower()} department."}
            if i:
                record["parent"] = "dept-0000"
            self.records.append(record)
        for i in range(teams):
            pid = f"team-{i:04d}"
            self.teams.append(pid)
            lead = self.person()
            self.records.append({
                "apiVersion": API, "kind": "Party", "id": pid,
                "title": f"{AREAS[i % len(AREAS)]} {THINGS[i % len(THINGS)]} Team {i}", "type": "team",
                "parent": self.departments[i % len(self.departments)],
                "summary": "A delivery team.",
                "contacts": [{"name": lead, "role": "Team lead", "email": self.email(lead)}],
                "email": f"team-{i}@example.org",
            })
        for i in range(suppliers):
            pid = f"supplier-{i:04d}"
            self.suppliers.append(pid)
            self.records.append({
                "apiVersion": API, "kind": "Party", "id": pid, "title": f"{THINGS[i % len(THINGS)]}works Ltd {i}",
                "type": "supplier", "summary": "An external supplier.", "url": f"https://supplier-{i}.example.com/",
            })
        for i in range(customers):
            pid = f"customer-{i:04d}"
            self.customers.append(pid)
            self.records.append({
                "apiVersion": API, "kind": "Party", "id": pid, "title": f"{AREAS[i % len(AREAS)]} users {i}",
                "type": "customer", "parent": self.departments[i % len(self.departments)],
            })

    def services(self):
        self.service_ids, self.owner_of = [], {}
        for i in range(self.size.services):
            sid = f"svc-{i:05d}-{slug(AREAS[i % len(AREAS)])}"
            self.service_ids.append(sid)
        self.service_records = []
        for i, sid in enumerate(self.service_ids):
            rng = self.rng
            owner = self.teams[i % len(self.teams)]
            self.owner_of[sid] = owner
            facing = i % 3 != 0
            name = self.person()
            record = {
                "apiVersion": API, "kind": "Service", "id": sid,
                "title": f"{AREAS[i % len(AREAS)]} {THINGS[(i // len(AREAS)) % len(THINGS)]} {i}",
                "summary": f"The {THINGS[i % len(THINGS)].lower()} for {AREAS[i % len(AREAS)].lower()}.",
                "description": self.paragraphs(),
                "type": "customer-facing" if facing else "supporting",
                "status": rng.choices(("live", "pipeline", "retired"), (85, 10, 5))[0],
                "category": CATEGORIES[i % len(CATEGORIES)],
                "owner": owner,
                "contacts": [{"name": name, "role": "Service owner", "email": self.email(name)}],
                "consumers": sorted(set(rng.sample(self.customers, min(len(self.customers), rng.randint(1, 3))))),
            }
            record["requests"] = [
                {"id": f"R{k}", "title": f"Request {k} for {record['title']}", "fulfilment": rng.choice(("4h", "1d", "2d", "3d")),
                 "approval": rng.random() < 0.3, "description": "Needs a named owner."}
                for k in range(1, rng.randint(1, 4))
            ]
            record["support"] = {
                "hours": self.calendar_ids[1 + i % (len(self.calendar_ids) - 1)] if len(self.calendar_ids) > 1 else self.calendar_ids[0],
                "channels": [{"type": "portal", "contact": "https://help.example.org/"},
                             {"type": "email", "contact": "servicedesk@example.org"}],
            }
            # Dependency chains: only on services with a lower index, so the graph is acyclic.
            if i:
                deps = set()
                for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                    deps.add(self.service_ids[max(0, i - rng.randint(1, 40))])
                if deps:
                    record["depends_on"] = [
                        {"service": d, "criticality": rng.choice(("hard", "soft")), "note": "Needed for sign-in and data."}
                        for d in sorted(deps)
                    ]
            record["cost"] = rng.choice(({"model": "included"}, {"model": "chargeback", "amount": 12.5, "currency": "GBP", "per": "user per month"}))
            record["available_from"] = self.date(2015, 2024)
            record["tags"] = sorted({slug(AREAS[i % len(AREAS)]), rng.choice(("cloud", "on-premises", "hybrid")), "synthetic"})
            record["links"] = [{"title": "User guide", "url": f"https://docs.example.org/{sid}/"}]
            self.service_records.append(record)
            self.records.append(record)

    def agreements(self):
        rng = self.rng
        total = self.size.agreements
        ucs = max(1, total * 15 // 100)
        olas = max(1, total * 30 // 100)
        slas = max(1, total - ucs - olas)
        self.uc_ids, self.ola_ids = [], []
        base = {"apiVersion": API, "kind": "Agreement"}

        def common(record, services, hours):
            owner = self.person()
            record.update(
                summary=f"What {record['type']} {record['id']} promises.",
                description=self.paragraphs(),
                services=services,
                period={"start": self.date(2022, 2025), "end": self.date(2027, 2029)},
                owner={"name": owner, "role": "Service level manager", "email": self.email(owner)},
                review={"frequency": rng.choice(("quarterly", "annual")), "last": self.date(2025, 2025), "next": self.date(2026, 2026)},
                objectives=[self.text(1), self.text(1)],
                scope=self.paragraphs(),
                hours=hours,
                availability={"target": rng.choice((99.0, 99.5, 99.9, 99.95)), "window": rng.choice(("month", "quarter"))},
                priorities=[
                    {"id": "P1", "description": "Service down for everyone.", "response": "15m", "resolution": "4h", "hours": self.calendar_ids[0]},
                    {"id": "P2", "description": "Service degraded for many users.", "response": "30m", "resolution": "8h"},
                    {"id": "P3", "description": "One user affected.", "response": "4h", "resolution": "2d"},
                    {"id": "P4", "description": "Question or minor issue.", "response": "1d", "resolution": "5d"},
                ],
                metrics=[{"id": "csat", "title": "Customer satisfaction", "target": 4.2, "unit": "points", "direction": "at-least", "window": "quarter"}],
                reporting={"frequency": "monthly", "recipients": [record["customer"]], "contents": ["Availability", "Incidents by priority"]},
                escalation=[{"level": 1, "contact": "Duty manager", "party": record["provider"]},
                            {"level": 2, "contact": "Head of service", "party": record["provider"], "after": "4h"}],
                approvals=[{"name": self.person(), "role": "Customer representative", "party": record["customer"], "date": self.date(2022, 2025)}],
                tags=["synthetic", record["type"].lower()],
            )
            return record

        for i in range(ucs):
            aid = f"uc-{i:05d}"
            service = self.service_ids[rng.randrange(len(self.service_ids))]
            record = dict(base, id=aid, title=f"Underpinning contract {i} with {self.suppliers[i % len(self.suppliers)]}",
                          type="UC", status="active", provider=self.suppliers[i % len(self.suppliers)], customer=self.departments[0])
            common(record, [service], self.calendar_ids[i % len(self.calendar_ids)])
            record["service_credits"] = [{"condition": "Availability below target in a month", "credit": "5% of the monthly fee"}]
            record["references"] = [{"title": "Master services agreement", "document": f"MSA-{i:05d}"}]
            self.uc_ids.append(aid)
            self.records.append(record)
        for i in range(olas):
            aid = f"ola-{i:05d}"
            service = self.service_ids[rng.randrange(len(self.service_ids))]
            provider = self.owner_of[service]
            customer = self.teams[(self.teams.index(provider) + 1 + i % 7) % len(self.teams)]
            record = dict(base, id=aid, title=f"Operational level agreement {i}", type="OLA", status="active",
                          provider=provider, customer=customer)
            common(record, [service], self.calendar_ids[i % len(self.calendar_ids)])
            record["stakeholders"] = [{"name": self.person(), "role": "Customer", "party": customer}]
            self.ola_ids.append(aid)
            self.records.append(record)
        facing = [r for r in self.service_records if r["type"] == "customer-facing"]
        sla_ids = []
        for i in range(slas):
            aid = f"sla-{i:05d}"
            service = facing[i % len(facing)]
            customer = service["consumers"][0]
            record = dict(base, id=aid, title=f"Service level agreement {i}: {service['title']}", type="SLA",
                          status="active", provider=self.departments[i % len(self.departments)], customer=customer)
            common(record, [service["id"]], self.calendar_ids[i % len(self.calendar_ids)])
            underpinning = sorted(set(rng.sample(self.ola_ids, min(2, len(self.ola_ids))) + rng.sample(self.uc_ids, 1)))
            record["underpinned_by"] = underpinning
            record["service_credits"] = [{"condition": "Availability below target", "credit": "Two percent of the quarterly charge"}]
            if i % 25 == 24 and sla_ids:  # a few renewals: the old one superseded
                old = sla_ids[-1]
                record["supersedes"] = old
                next(r for r in self.records if r.get("id") == old)["status"] = "superseded"
            sla_ids.append(aid)
            service.setdefault("offerings", [])
            if len(service["offerings"]) < 3:
                service["offerings"].append({"id": f"O{len(service['offerings']) + 1}", "title": f"Offering under {aid}",
                                             "description": "Standard package.", "agreement": aid})
            self.records.append(record)


def generate(n: int = 10_000, seed: int = SEED, terms: int | None = None, mention: int | None = None) -> list[dict]:
    """The records of a catalogue of n records (n >= 30), deterministic for a seed.

    terms: how many glossary terms instead of the usual share (then the total differs);
    mention: the text of services and agreements uses only the first `mention` terms.
    """
    g = _Generator(n, seed, terms, mention)
    g.calendars()
    g.terms()
    g.parties()
    g.services()
    g.agreements()
    return g.records


FOLDERS = {"Service": "services", "Agreement": "agreements", "Party": "parties", "Calendar": "calendars", "Term": "glossary"}


def dump(records: list[dict]) -> str:
    return yaml.dump_all(records, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def write_catalogue(records: list[dict], root: Path, single: bool = False) -> dict[str, list[Path]]:
    """Write records under root; returns the files written, by kind."""
    root = Path(root)
    by_kind: dict[str, list[dict]] = {}
    for record in records:
        by_kind.setdefault(record["kind"], []).append(record)
    written: dict[str, list[Path]] = {}
    for kind, items in by_kind.items():
        folder = root / FOLDERS[kind]
        folder.mkdir(parents=True, exist_ok=True)
        files = written.setdefault(kind, [])
        if single or kind not in ("Party", "Term"):
            for record in items:
                path = folder / f"{record['id']}.yaml"
                path.write_text(dump([record]), "utf-8")
                files.append(path)
        else:
            for start in range(0, len(items), PER_FILE):
                path = folder / f"{FOLDERS[kind]}-{start // PER_FILE:03d}.yaml"
                path.write_text(dump(items[start : start + PER_FILE]), "utf-8")
                files.append(path)
    return written


MKDOCS_YML = """\
site_name: Synthetic catalogue ({records} records)
site_url: https://catalogue.example.org/
theme:
  name: material
  features:
    - content.tooltips
    - navigation.sections
    - navigation.indexes
    - navigation.top
    - search.suggest
    - search.highlight
plugins:
  - search
  - tags
{plugin}markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
{extra}validation:
  omitted_files: info
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
nav:
  - Home: index.md
  - Tags: tags.md
{nav}"""

PLUGIN_YML = """\
  - service-catalogue:
      catalogue: catalogue
      section: catalogue
      as_of: "2026-11-29"
"""

# The nav the plugin adds, written out for a build without the plugin.
PLAIN_NAV = """\
  - Catalogue:
      - Overview: catalogue/index.md
      - Services: catalogue/services/index.md
      - Agreements: catalogue/agreements/index.md
      - Parties: catalogue/parties/index.md
      - Service hours: catalogue/service-hours/index.md
      - Glossary: catalogue/glossary.md
      - Format reference: catalogue/reference.md
"""

INDEX_MD = """\
# Synthetic catalogue

A generated catalogue for the benchmarks: {records} records.
Start with the [services](catalogue/services/index.md) or the [glossary](catalogue/glossary.md).
{link}
"""

TAGS_MD = "# Tags\n\n<!-- material/tags -->\n"


def write_project(root: Path, records: list[dict], plugin: bool = True) -> Path:
    """A MkDocs project around the records: mkdocs.yml, docs/ and (with the plugin) catalogue/.

    Without the plugin only mkdocs.yml and docs/ are written: the caller fills
    docs/ with what `service-catalogue render` writes.
    """
    root = Path(root)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    count = len(records)
    first_service = next(r["id"] for r in records if r["kind"] == "Service")
    if plugin:
        write_catalogue(records, root / "catalogue")
        link = f"The first service is [[{first_service}]]."
        yml = MKDOCS_YML.format(records=count, plugin=PLUGIN_YML, extra="", nav="")
    else:
        link = f"The first service is [its page](catalogue/services/{first_service}.md)."
        extra = "extra_css:\n  - assets/stylesheets/service-catalogue.css\n"
        yml = MKDOCS_YML.format(records=count, plugin="", extra=extra, nav=PLAIN_NAV)
    (root / "mkdocs.yml").write_text(yml, "utf-8")
    (root / "docs" / "index.md").write_text(INDEX_MD.format(records=count, link=link), "utf-8")
    (root / "docs" / "tags.md").write_text(TAGS_MD, "utf-8")
    return root
