"""The example site's service level performance pages say what `report --format json` says.

The example site is built as a user builds it (its mkdocs.yml names the exports in
catalogue/exports/); the report is run by the command line on the same inputs; every
figure of the pages' tables is checked against the JSON document.
"""

from __future__ import annotations

import json

import pytest

from helpers.catalogue_builder import run_cli
from helpers.site_build import REPO, SECTION, article

AS_OF = "2026-11-29"


@pytest.fixture(scope="module")
def report_json(built_site):
    result = run_cli(built_site.project, "report", "--inputs", "mkdocs.yml", "--catalogue", "catalogue",
                     "--as-of", AS_OF, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def tables(node):
    """Each table of the page as (header cells, rows of cells), in text."""
    found = []
    for table in node.find_all("table"):
        header = [th.text for th in table.find_all("th")]
        rows = [[td.text for td in tr.find_all("td")] for tr in table.find_all("tr") if tr.find_all("td")]
        found.append((header, rows))
    return found


def performance_page(site, agreement_id):
    return article(site.page(site.page_file(f"{SECTION}/performance/{agreement_id}.md")))


def test_every_measured_agreement_has_a_page_whose_tables_are_the_json(built_site, report_json):
    assert len(report_json["agreements"]) >= 10
    for agreement in report_json["agreements"]:
        page = performance_page(built_site, agreement["id"])
        found = tables(page)
        measured = [t for t in agreement["targets"] if any(w["met"] or w["breached"] or w["open"] for w in t["windows"])]
        if measured:
            header, rows = found.pop(0)
            assert header[3:] == [w["label"] + ("" if w["complete"] else " (to date)") for w in agreement["windows"]]
            assert len(rows) == len(measured)
            for row, target in zip(rows, measured):
                assert row[:2] == [target["priority"], target["measure"]]
                for cell, window in zip(row[3:], target["windows"]):
                    decided = window["met"] + window["breached"]
                    if decided:
                        assert cell.startswith(f"{window['met']} of {decided} ("), (agreement["id"], cell)
                        assert f"({round(window['percent_met'], 1):g}%)" in cell
                    if window["open"]:
                        assert cell.endswith(f"{window['open']} open")
            breached = [(t, w) for t in measured for w in t["windows"] if w["breached"]]
            if breached:
                _, rows = found.pop(0)
                assert [(r[0], r[1], r[2], int(r[4])) for r in rows] == [
                    (w["window"], t["priority"], t["measure"], w["breached"]) for t, w in
                    sorted(breached, key=lambda pair: [x["label"] for x in agreement["windows"]].index(pair[1]["window"]))]
                for r, (t, w) in zip(rows, sorted(breached, key=lambda pair: [x["label"] for x in agreement["windows"]].index(pair[1]["window"]))):
                    assert r[5].startswith(w["worst_breach_ticket"])
        availability = agreement["availability"]
        if availability and availability["windows"]:
            header, rows = found.pop(0)
            assert header[:3] == ["Window", "Achieved", "Target"]
            for row, window in zip(rows, availability["windows"]):
                assert row[0].startswith(window["window"])
                assert row[1] == f"{window['achieved_percent']:g}%"
                assert row[2] == f"{window['target_percent']:g}%"
                assert int(row[6]) == window["unplanned_outages"]


def test_the_planted_breaches_are_on_the_pages(built_site, report_json):
    by_id = {a["id"]: a for a in report_json["agreements"]}
    collaboration = by_id["sla-collaboration"]
    p1 = next(t for t in collaboration["targets"] if t["priority"] == "P1" and t["measure"] == "resolution")
    october = next(w for w in p1["windows"] if w["window"] == "2026-10")
    assert october["breached"] >= 2 and october["met"] == 0
    november = collaboration["availability"]["windows"][-1]
    assert not november["met"] and november["budget_left_minutes"] < 0
    kinds = {(n["agreement"], n["window"], n["kind"]) for n in report_json["chain"]}
    assert ("sla-collaboration", "2026-09", "met-over-breach") in kinds
    assert ("sla-collaboration", "2026-10", "missed-over-met") in kinds
    cloudmere = by_id["uc-cloudmere-workspace"]
    owed = [c for c in cloudmere["credits"] if c["tier"]]
    assert [(c["window"], c["percent"], c["claim_by"]) for c in owed] == [("2026-11", 10, "2026-12-30")]
    text = performance_page(built_site, "uc-cloudmere-workspace").text
    assert "10% of the monthly subscription fee for the affected workload" in text
    chain = performance_page(built_site, "sla-collaboration").text
    assert "while every agreement under it met its own" in chain


def test_section_7_links_the_performance_page_and_the_overview_lists_every_agreement(built_site, report_json):
    page = built_site.page(built_site.record_page("Agreement", "sla-collaboration"))
    links = [a.attrs.get("href") for a in page.find_all("a") if "service level performance" in a.text]
    assert links == ["../../performance/sla-collaboration/"] if built_site.directory_urls else links
    overview = article(built_site.page(built_site.page_file(f"{SECTION}/performance/index.md")))
    rows = {r[0]: r for _, body in tables(overview) for r in body if len(r) == 7}
    budgets = {r[0]: r for _, body in tables(overview) for r in body if len(r) == 6}
    for agreement in report_json["agreements"]:
        windows = [w for w in (agreement["availability"] or {"windows": []})["windows"] if w["budget_minutes"]]
        if windows:
            last = windows[-1]
            window, used = budgets[agreement["title"]][1:3]
            assert window == last["window"]
            assert abs(float(used.rstrip("%")) - 100 * last["downtime_minutes"] / last["budget_minutes"]) <= 0.06
        row = rows[agreement["title"]]
        assert int(row[2]) == agreement["tickets"]
        assert int(row[3]) == sum(w["breached"] for t in agreement["targets"] for w in t["windows"])
        assert row[6] == ("missed a target" if agreement["missed"] else "met")


def test_every_chart_is_inline_svg_with_a_text_alternative_and_no_script(built_site):
    page = built_site.page(built_site.page_file(f"{SECTION}/performance/sla-collaboration.md"))
    drawings = page.find_all("svg", cls="sc-chart__drawing")
    assert len(drawings) == 3  # attainment, availability, the budget's burn-down
    for svg in drawings:
        assert svg.attrs["role"] == "img" and svg.attrs["aria-label"]
        assert svg.find("title").text == svg.attrs["aria-label"]
        assert svg.find("desc").text
        assert not svg.find_all("script")
        # the page's colours, never a fixed black or white: they follow the colour scheme
        markup = (built_site.site / built_site.page_file(f"{SECTION}/performance/sla-collaboration.md")).read_text()
    assert "var(--sc-chart-1)" in markup and "#010101" not in markup and "<script" not in markup.split("sc-chart")[1]


def test_a_site_without_report_inputs_has_no_performance_page(tmp_path):
    """A build without report inputs looks exactly as it did: no page, no link, no nav entry."""
    import service_catalogue as sc
    from service_catalogue import pipeline

    options = sc.Options(catalogue=REPO / "catalogue", as_of=sc.Options().as_of.fromisoformat(AS_OF))
    run = pipeline.prepare(options)
    pages = pipeline.render(run.require_valid(), options, run.findings)
    assert run.performance is None
    assert not [p for p in pages if "/performance/" in p.path]
    agreement = next(p for p in pages if p.path.endswith("agreements/sla-collaboration.md"))
    assert "service level performance" not in agreement.markdown.split("## 7 Reporting")[1].split("## Appendix A")[0]


def test_the_example_exports_are_what_their_seeded_script_writes(tmp_path):
    from benchmarks.example_exports import write

    for path in write(tmp_path):
        assert path.read_bytes() == (REPO / "catalogue" / "exports" / path.name).read_bytes(), path.name
