"""Format 1.1 agreement extras on the built site and in catalogue.json: maintenance
windows with the budget on covered time less them, clock stops, `revised`, review
triggers and reports on request. One small site, built in this process; the figures
expected are worked out here, not taken from the plugin."""

from __future__ import annotations

import json

import pytest

from helpers.catalogue_builder import AGREEMENT, write_catalogue
from helpers.inprocess_build import build_in_process
from helpers.site_build import MARKDOWN_EXTENSIONS_YML, article, parse_html

EXTRAS = """\
revised: 2026-02-01
review:
  frequency: annual
  last: 2026-01-15
  next: 2027-01-15
  triggers:
    - A new mail platform is chosen
    - Staff numbers double
availability:
  target: 99.9
  window: month
  maintenance_windows:
    - {title: Release <b>window</b>, days: [wed], from: "17:00", to: "19:00", notice: 2d}
    - {title: Weekly patching, days: [sat, sun], from: "02:00", to: "06:00"}
clock_stops:
  - id: customer
    when: awaiting the customer's reply
  - id: supplier
    when: awaiting a third-party supplier
    applies_to: [resolution]
reporting:
  frequency: on-request
  recipients: [all-staff]
  contents: [Availability]
"""
# The base calendar is Monday to Friday 08:00-18:00 (50 hours a week): of the windows,
# only Wednesday 17:00-18:00 is covered time.
COVERED_HOURS, MAINTENANCE_HOURS = 50, 1
WEEKS_PER_MONTH = 365.2425 / 12 / 7


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("extras")
    project = root / "project"
    write_catalogue(project, {"agreements/sla-email.yaml": AGREEMENT + EXTRAS})
    (project / "docs").mkdir(parents=True, exist_ok=True)
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        'site_name: Extras\ntheme:\n  name: material\nplugins:\n  - service-catalogue:\n      as_of: "2026-06-01"\n' + MARKDOWN_EXTENSIONS_YML,
        encoding="utf-8",
    )
    built, errors = build_in_process(project, root / "site")
    assert built, errors
    return root / "site"


@pytest.fixture(scope="module")
def page(site):
    html = (site / "catalogue" / "agreements" / "sla-email" / "index.html").read_text("utf-8")
    return article(parse_html(html))


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.find_all("td")] for row in table.find_all("tr") if row.find_all("td")]


def table_after(page, heading_text: str):
    """The first table whose header row starts with heading_text."""
    for table in page.find_all("table"):
        header = [cell.text for cell in table.find_all("th")]
        if header and header[0] == heading_text:
            return table
    raise AssertionError(f"no table headed {heading_text!r}")


def test_the_windows_are_a_table_in_words(page):
    table = table_after(page, "Window")
    assert table.find("b") is None, "a title is text, never markup"
    # The text filter breaks `<` with a zero-width space, so no reader takes it for a tag.
    assert [[cell.replace("\u200b", "") for cell in row] for row in rows(table)] == [
        ["Release <b>window</b>", "Wednesday, 17:00 to 19:00", "2 service days (20 hours)"],
        ["Weekly patching", "Saturday and Sunday, 02:00 to 06:00", "not stated"],
    ]
    assert "Planned maintenance windows (Europe/London): time in them is not counted as downtime." in page.text


def test_the_budget_is_on_covered_hours_less_maintenance(page):
    expected = (COVERED_HOURS - MAINTENANCE_HOURS) * 60 * WEEKS_PER_MONTH * 0.1 / 100
    budget = page.find("span", cls="sc-downtime-budget").text
    assert budget == f"{expected:.1f} minutes" == "12.8 minutes"
    assert (
        "0.1% of 49 hours per week (50 covered hours less 1 hour of maintenance windows)" in page.text
    )


def test_the_clock_stops_follow_the_priorities(page):
    text = page.text
    clock = text.index("The clock stops while:")
    assert text.index("6.2") < clock < text.index("7 Reporting")
    lists = [item.text for item in page.find_all("li")]
    assert "awaiting the customer's reply (for response and resolution)" in lists
    assert "awaiting a third-party supplier (for resolution only)" in lists


def test_revised_triggers_and_reporting_on_request(page):
    overview = rows(table_after(page, ""))  # the overview table has an empty header row
    assert ["Last revised", "2026-02-01"] in overview
    text = page.text
    assert "A review is also held when: A new mail platform is chosen Staff numbers double" in text
    assert "Reports are produced on request for All staff." in text
    assert "on request" in [strong.text for strong in page.find_all("strong")]


def test_catalogue_json_has_the_data_as_written_and_the_maintenance_figure(site):
    records = json.loads((site / "catalogue.json").read_text("utf-8"))["records"]
    sla = next(r for r in records if r["id"] == "sla-email")
    assert sla["data"]["revised"] == "2026-02-01"
    assert sla["data"]["review"]["triggers"] == ["A new mail platform is chosen", "Staff numbers double"]
    assert sla["data"]["reporting"]["frequency"] == "on-request"
    assert sla["data"]["clock_stops"][1] == {
        "id": "supplier", "when": "awaiting a third-party supplier", "applies_to": ["resolution"],
    }
    assert sla["data"]["availability"]["maintenance_windows"][1] == {
        "title": "Weekly patching", "days": ["sat", "sun"], "from": "02:00", "to": "06:00",
    }
    derived = sla["derived"]
    assert derived["covered_hours_per_week"] == COVERED_HOURS
    assert derived["maintenance_hours_per_week"] == MAINTENANCE_HOURS
    expected = (COVERED_HOURS - MAINTENANCE_HOURS) * 60 * WEEKS_PER_MONTH * 0.1 / 100
    assert derived["downtime_budget_minutes"] == round(expected, 2)
