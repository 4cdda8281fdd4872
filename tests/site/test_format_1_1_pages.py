"""Format 1.1 on the agreement page and in catalogue.json: an agreement that states no
service hours shows no figure derived from them; priorities with only a response, only a
resolution or neither, titles, examples and request tables; metrics with duration targets.

One small site is built in this process (the real MkDocs build with the plugin), and
every assertion reads its HTML or its export.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers.catalogue_builder import BASE, dedent
from helpers.glossary_site import mkdocs_yml
from helpers.inprocess_build import build_in_process
from helpers.site_build import Node, article, heading_text, parse_html

NO_HOURS = """\
apiVersion: catalogue/v1
kind: Agreement
id: ola-city-desk
title: City desk OLA
type: OLA
status: active
provider: it-services
customer: all-staff
services: [email]
period: {start: 2026-01-01}
availability: {target: 99.5, window: month}
priorities:
  - {id: P1, title: Emergency, description: A city service is down, response: 30m}
  - {id: P2, title: Routine, response: 4h}
"""

MIXED = """\
apiVersion: catalogue/v1
kind: Agreement
id: sla-mixed
title: Mixed priorities SLA
type: SLA
status: active
provider: it-services
customer: all-staff
services: [email]
period: {start: 2026-01-01}
hours: business-hours
priorities:
  - id: P1
    title: Critical
    description: No one can work
    examples: [The mail server is down, "Nobody can <b>log in</b>"]
    response: 15m
    resolution: 4h
  - {id: P4, title: Planning, description: A question about the future}
  - {id: R1, title: Standard request, applies_to: requests, resolution: 1w}
metrics:
  - id: restore
    title: Time to restore a mailbox
    target: 3d
    direction: at-most
    description: Counted from the *request* to the mailbox's return.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("format-1-1")
    (root / "mkdocs.yml").write_text(mkdocs_yml(), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    files = {**BASE, "agreements/ola-city-desk.yaml": NO_HOURS, "agreements/sla-mixed.yaml": MIXED}
    for name, text in files.items():
        path = root / "catalogue" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    built, messages = build_in_process(root, root / "site")
    assert built and not messages, messages
    return root / "site"


def page_text(site, record_id: str) -> str:
    html = (site / "catalogue" / "agreements" / record_id / "index.html").read_text("utf-8")
    return article(parse_html(html)).text


def section(site, record_id: str, heading_start: str) -> str:
    """The text of one h2/h3 section of the page, up to the next heading."""
    html = (site / "catalogue" / "agreements" / record_id / "index.html").read_text("utf-8")
    out, inside = [], False
    for child in article(parse_html(html)).children:
        if isinstance(child, Node) and child.tag in ("h2", "h3"):
            if inside:
                break
            inside = heading_text(child).startswith(heading_start)
            continue
        if inside:
            out.append(child if isinstance(child, str) else child.text)
    return " ".join(" ".join(out).split())


def test_an_agreement_without_hours_says_not_stated_and_derives_nothing(site):
    text = page_text(site, "ola-city-desk")
    assert "Service hours not stated" in text  # the overview table's row
    assert "Service hours: not stated." in text
    # no covered hours, service day or downtime budget anywhere on the page
    for derived in ("covered hours per week", "service day is", "hours per week"):
        assert derived not in text, derived
    assert "The downtime budget is not stated" in text
    html = (site / "catalogue" / "agreements" / "ola-city-desk" / "index.html").read_text("utf-8")
    assert "sc-downtime-budget" not in html
    assert "elapsed time" in text


def test_catalogue_json_has_no_figure_that_rests_on_hours_nobody_wrote(site):
    export = json.loads((site / "catalogue.json").read_text("utf-8"))
    entry = next(r for r in export["records"] if r["id"] == "ola-city-desk")
    derived = entry["derived"]
    assert "covered_hours_per_week" not in derived and "downtime_budget_minutes" not in derived, derived
    # the minutes written as minutes are no derivation; the hours that apply are none
    assert derived["priorities"]["P1"] == {"response_minutes": 30.0, "resolution_minutes": None, "hours": None}


def test_a_response_only_document_shows_no_resolution_column(site):
    text = section(site, "ola-city-desk", "6.2")
    html = (site / "catalogue" / "agreements" / "ola-city-desk" / "index.html").read_text("utf-8")
    table = re.search(r'id="priorities".*?<table>(.*?)</table>', html, re.S).group(1)
    assert [re.sub("<.*?>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table)] == [
        "Priority", "Description", "Response", "Hours"]
    assert "No resolution targets are stated." in text
    assert "P1: Emergency" in text and "30 minutes" in text
    assert "No response and resolution targets" not in page_text(site, "ola-city-desk")


def test_incident_and_request_tables_are_titled_for_what_they_hold(site):
    html = (site / "catalogue" / "agreements" / "sla-mixed" / "index.html").read_text("utf-8")
    headings = [heading_text(h) for h in article(parse_html(html)).iter() if h.tag in ("h2", "h3")]
    assert "6.2 Incidents and service requests" in headings
    text = section(site, "sla-mixed", "6.2")
    assert text.index("Incidents") < text.index("P1: Critical") < text.index("Service requests") < text.index("R1")
    assert "1 service week (50 hours)" in text and "a service week 50 hours" in text
    assert "no target (best effort)" in text  # P4, with neither target
    # data, not markup: the text filter breaks the tag with a zero-width space
    assert "For example: The mail server is down; Nobody can <b>log in</b>." in text.replace("\u200b", "")
    assert "<b>log in" not in html


def test_a_duration_metric_shows_covered_time_and_its_description(site):
    text = section(site, "sla-mixed", "6.3")
    assert "3 service days (30 hours) of Business hours" in text
    html = (site / "catalogue" / "agreements" / "sla-mixed" / "index.html").read_text("utf-8")
    assert "<em>request</em>" in html
