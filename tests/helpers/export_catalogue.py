"""A valid catalogue whose records try to break the exports: text with YAML, HTML and
CSV specials, non-ASCII, ids at the length limit or ending with a hyphen, ids that
YAML readers take for other things (`yes`, `off`, `null`, `0o17`), tags Backstage refuses,
links a browser cannot parse, local ids that differ only in case.

Records are written as JSON, which is YAML too, so every value reaches the loader
exactly as written here.
"""

from __future__ import annotations

import json
from pathlib import Path

LONG_ID = "a" * 62 + "-"  # 63 characters, the limit, ending with a hyphen
SHORT_HYPHEN_ID = "x-"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/","click")'
SPECIALS_TITLE = "Team \"A\" <script>alert(1)</script> & Co: #1 'quoted' | pipe; semi"
UNICODE_TITLE = "Ünïcødé 团队 — ☃"
MULTILINE = "key: value\n- not a list\n  indented\n# not a comment\n\u2028after a line separator\n<b>bold</b> &amp;"
BAD_URLS = ["https://[", "https://host.example:99999/", "https://example.123/"]
GOOD_URLS = ["https://[::1]/status", "https://bücher.example/", "mailto:desk@example.org"]


def _record(kind: str, record_id: str, title: str, **fields) -> dict:
    return {"apiVersion": "catalogue/v1", "kind": kind, "id": record_id, "title": title, **fields}


RECORDS = [
    _record("Party", "yes", "yes", type="department", summary=SPECIALS_TITLE,
            tags=["a--b", "c" * 70, "ok-"]),
    _record("Party", LONG_ID, UNICODE_TITLE, type="team", parent="yes", description=MULTILINE),
    _record("Party", SHORT_HYPHEN_ID, SPECIALS_TITLE, type="customer", parent="yes",
            links=[{"title": "  ", "url": url} for url in BAD_URLS + GOOD_URLS]),
    _record("Party", "off", FORMULA_TITLE, type="supplier"),
    _record("Calendar", "hours-eu", "Hours \"EU\" : CET", timezone="Europe/Berlin",
            weekly=[{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:00"}]),
    _record("Service", "0o17", FORMULA_TITLE, type="customer-facing", status="pipeline", owner=LONG_ID,
            criticality="high", summary="- starts like a list: and has a colon", description=MULTILINE,
            consumers=[SHORT_HYPHEN_ID], tags=["octal", "x--y"],
            offerings=[{"id": "Std_1", "title": "=1+1", "agreement": "sla-" + "b" * 59}],
            contacts=[{"name": "Zoë O'Brien", "role": "Service owner"}],
            links=[{"title": "Status", "url": url} for url in BAD_URLS + GOOD_URLS],
            depends_on=[{"service": "null", "criticality": "hard"}]),
    _record("Service", "null", "null", type="supporting", status="retired", owner=SHORT_HYPHEN_ID),
    _record("Service", "on", SPECIALS_TITLE, type="supporting", status="live", owner="off",
            depends_on=[{"service": "0o17", "criticality": "soft"}]),
    _record("Agreement", "sla-" + "b" * 59, SPECIALS_TITLE, type="SLA", status="active", provider=LONG_ID,
            customer=SHORT_HYPHEN_ID, services=["0o17", "on"], period={"start": "2026-02-11"}, hours="hours-eu",
            availability={"target": 99.9, "window": "quarter"},
            priorities=[{"id": "P1", "description": "<img src=x onerror=alert(1)>", "response": "0.5m", "resolution": "4h"},
                        {"id": "Sev-1", "description": "a priority iTop cannot number", "response": "1h"},
                        {"id": "P2", "title": "=SUM(A1)", "applies_to": "requests", "resolution": "1.5d"}],
            metrics=[{"id": "RPO", "title": "Share \"good\": <ok>", "target": 99.5, "unit": "%", "direction": "at-least", "window": "week"},
                     {"id": "rpo", "title": "Bad share", "target": 2, "unit": "%", "direction": "at-most", "window": "day"},
                     {"id": "latency", "title": "Latency", "target": "4h", "direction": "at-most", "window": "month"}]),
    _record("Agreement", "ola-null", UNICODE_TITLE, type="OLA", status="draft", provider="yes", customer=LONG_ID,
            services=["null"], period={"start": "2026-01-01"}),
]


def write_export_catalogue(root: Path) -> Path:
    folder = root / "catalogue"
    for index, record in enumerate(RECORDS):
        path = folder / record["kind"].lower() / f"{index:02d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder
