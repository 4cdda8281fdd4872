"""The built example site has a page for every record, agreements laid out as the
contract, and the derived figures (downtime budget, covered hours) right.

Everything expected is derived here from the catalogue's YAML, not taken from
the plugin: the figures are computed again in this file, independently.
"""

from __future__ import annotations

import re

import pytest

from helpers.site_build import (
    GLOSSARY_PAGE,
    KIND_FOLDERS,
    SECTION,
    article,
    heading_text,
    parse_duration_minutes,
    record_page,
)

# The SLA document's sections, in the contract's order.
CONTRACT_SECTIONS = [
    "1 Agreement overview",
    "2 Goals and objectives",
    "3 Stakeholders",
    "4 Periodic review",
    "5 Service agreement",
    "5.1 Scope",
    "5.2 Customer requirements",
    "5.3 Service provider requirements",
    "5.4 Assumptions",
    "6 Service management",
    "6.1 Service availability",
    # titled for what it holds (format 1.1): the example has agreements of each
    ("6.2 Incidents", "6.2 Service requests", "6.2 Incidents and service requests"),
    "7 Reporting",
    "Appendix A References",
    "Appendix B Glossary",
]

DAYS_PER_YEAR = 365.2425
WEEKS_PER_WINDOW = {
    "day": 1 / 7,
    "week": 1.0,
    "month": DAYS_PER_YEAR / 12 / 7,
    "quarter": DAYS_PER_YEAR / 4 / 7,
    "year": DAYS_PER_YEAR / 7,
}


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def covered_hours_per_week(calendar: dict) -> float:
    """Sum of the weekly windows (overlaps on a day merged); 168 for always: true."""
    if calendar.get("always") is True:
        return 168.0
    by_day: dict[str, list[tuple[int, int]]] = {}
    for window in calendar.get("weekly") or []:
        for day in window["days"]:
            by_day.setdefault(day, []).append((_minutes(window["from"]), _minutes(window["to"])))
    total = 0
    for intervals in by_day.values():
        end_so_far = -1
        for start, end in sorted(intervals):
            start = max(start, end_so_far)
            if end > start:
                total += end - start
            end_so_far = max(end_so_far, end)
    return total / 60


def _merged(intervals):
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif end > start:
            merged.append([start, end])
    return merged


def maintenance_hours_per_week(calendar: dict, windows: list[dict]) -> float:
    """The hours of maintenance windows inside the calendar's covered time, by intervals:
    each day's windows merged, then cut to each merged covered interval."""
    total = 0
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        if calendar.get("always") is True:
            covered = [[0, 24 * 60]]
        else:
            covered = _merged((_minutes(w["from"]), _minutes(w["to"])) for w in calendar.get("weekly") or [] if day in w["days"])
        for start, end in _merged((_minutes(w["from"]), _minutes(w["to"])) for w in windows if day in w["days"]):
            total += sum(max(0, min(end, c_end) - max(start, c_start)) for c_start, c_end in covered)
    return total / 60


def downtime_budget_minutes(target: float, window: str, hours_per_week: float) -> float:
    return (100 - target) / 100 * hours_per_week * 60 * WEEKS_PER_WINDOW[window]


def _normalise(text: str) -> str:
    return " ".join(text.replace(":", " ").split()).casefold()


def _by_kind(records, kind):
    return [r for r in records if r.kind == kind]


def _by_id(records):
    return {r.id: r for r in records}


# --------------------------------------------------------------------------
# A page per record


@pytest.mark.parametrize("kind", sorted(KIND_FOLDERS))
def test_every_record_has_a_page_with_its_title(built_site, catalogue_records, kind):
    records = _by_kind(catalogue_records, kind)
    assert records, f"the example catalogue has no {kind} record"
    missing, wrong_title = [], []
    for record in records:
        relative = record_page(kind, record.id)
        if not built_site.path(relative).is_file():
            missing.append(relative)
            continue
        h1 = article(built_site.page(relative)).find("h1")
        shown = heading_text(h1) if h1 is not None else "(no <h1>)"
        if " ".join(record.data["title"].split()) not in shown:
            wrong_title.append(f"{relative}: <h1> is {shown!r}, expected it to contain {record.data['title']!r}")
    assert not missing, f"{len(missing)} {kind} records have no page:\n" + "\n".join(missing)
    assert not wrong_title, "\n".join(wrong_title)


@pytest.mark.parametrize("kind", sorted(KIND_FOLDERS))
def test_no_record_page_without_a_record(built_site, catalogue_records, kind):
    """Each page folder of the section is a record's page (or the index): nothing stale or invented."""
    folder = built_site.path(f"{SECTION}/{KIND_FOLDERS[kind]}")
    pages = {p.parent.name for p in folder.glob("*/index.html")}
    assert pages == {r.id for r in _by_kind(catalogue_records, kind)}


def test_every_term_has_an_entry_in_the_glossary(built_site, catalogue_records):
    terms = _by_kind(catalogue_records, "Term")
    assert terms, "the example catalogue has no Term record"
    glossary = built_site.page(GLOSSARY_PAGE)
    problems = []
    for term in terms:
        entry = glossary.find(id=term.id)
        if entry is None:
            problems.append(f"no element with id={term.id!r}")
        elif " ".join(term.data["title"].split()) not in entry.text:
            problems.append(f"#{term.id} shows {entry.text!r}, not the title {term.data['title']!r}")
    assert not problems, f"{GLOSSARY_PAGE}:\n" + "\n".join(problems)


# --------------------------------------------------------------------------
# Agreements laid out as the contract


def test_every_agreement_page_has_the_contract_sections_in_order(built_site, catalogue_records):
    agreements = _by_kind(catalogue_records, "Agreement")
    assert agreements
    problems = []
    for agreement in agreements:
        relative = record_page("Agreement", agreement.id)
        headings = [h for h in article(built_site.page(relative)).iter() if h.tag in ("h2", "h3")]
        texts = [_normalise(heading_text(h)) for h in headings]
        positions = []
        for choices in CONTRACT_SECTIONS:
            section = next((c for c in choices if _normalise(c) in texts), choices[0]) if isinstance(choices, tuple) else choices
            wanted = _normalise(section)
            if wanted not in texts:
                problems.append(f"{agreement.id}: no heading {section!r} (headings: {[heading_text(h) for h in headings]})")
                continue
            heading = headings[texts.index(wanted)]
            if not heading.attrs.get("id"):
                problems.append(f"{agreement.id}: heading {section!r} has no id to link to")
            # numbered sub-sections sit one level below their section
            expected_tag = "h3" if re.match(r"^\d+\.\d+ ", section) else "h2"
            if heading.tag != expected_tag:
                problems.append(f"{agreement.id}: {section!r} is an <{heading.tag}>, expected <{expected_tag}>")
            positions.append((texts.index(wanted), section))
        order = [section for _, section in sorted(positions)]
        if order != [section for _, section in positions]:
            problems.append(f"{agreement.id}: sections out of order: {order}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# Derived figures


def test_downtime_budget_of_every_agreement_with_a_target(built_site, catalogue_records):
    calendars = _by_id(_by_kind(catalogue_records, "Calendar"))
    checked, problems = 0, []
    for agreement in _by_kind(catalogue_records, "Agreement"):
        availability = agreement.data.get("availability")
        if not availability:
            continue
        calendar = calendars[agreement.data["hours"]].data
        # Planned maintenance inside the service hours is not downtime: the budget is on the rest.
        hours = covered_hours_per_week(calendar) - maintenance_hours_per_week(
            calendar, availability.get("maintenance_windows") or []
        )
        expected = downtime_budget_minutes(availability["target"], availability["window"], hours)
        relative = record_page("Agreement", agreement.id)
        shown = article(built_site.page(relative)).find_all(cls="sc-downtime-budget")
        if len(shown) != 1:
            problems.append(f"{agreement.id}: {len(shown)} .sc-downtime-budget elements, expected 1")
            continue
        value, tolerance = parse_duration_minutes(shown[0].text)
        if abs(value - expected) > tolerance + 1e-9:
            problems.append(
                f"{agreement.id}: {availability['target']}% per {availability['window']} of {hours:g} h/week "
                f"allows {expected:.3f} minutes; the page shows {shown[0].text!r}"
            )
        checked += 1
    assert checked, "no agreement in the example catalogue has an availability target"
    assert not problems, "\n".join(problems)


def test_agreements_without_a_target_show_no_budget(built_site, catalogue_records):
    for agreement in _by_kind(catalogue_records, "Agreement"):
        if agreement.data.get("availability"):
            continue
        page = article(built_site.page(record_page("Agreement", agreement.id)))
        assert page.find_all(cls="sc-downtime-budget") == [], agreement.id


def test_99_9_percent_per_month_of_24x7_is_about_43_8_minutes(built_site, catalogue_records):
    """Worked by hand: 0.1% of 168 h x 60 x 365.2425/12/7 weeks = 43.83 minutes."""
    calendars = _by_id(_by_kind(catalogue_records, "Calendar"))
    chosen = [
        a
        for a in _by_kind(catalogue_records, "Agreement")
        if (a.data.get("availability") or {}).get("target") == 99.9
        and a.data["availability"]["window"] == "month"
        and calendars[a.data["hours"]].data.get("always") is True
        and not a.data["availability"].get("maintenance_windows")  # they take time off the 168 hours
    ]
    assert chosen, "the example catalogue should show a 99.9%-per-month agreement on 24x7 hours"
    for agreement in chosen:
        page = article(built_site.page(record_page("Agreement", agreement.id)))
        assert page.find(cls="sc-downtime-budget").text == "43.8 minutes", agreement.id


def test_covered_hours_on_every_calendar_page(built_site, catalogue_records):
    calendars = _by_kind(catalogue_records, "Calendar")
    assert calendars
    problems = []
    for calendar in calendars:
        expected = covered_hours_per_week(calendar.data)
        page = article(built_site.page(record_page("Calendar", calendar.id)))
        shown = page.find_all(cls="sc-covered-hours")
        if len(shown) != 1:
            problems.append(f"{calendar.id}: {len(shown)} .sc-covered-hours elements, expected 1")
            continue
        try:
            value = float(shown[0].text)
        except ValueError:
            problems.append(f"{calendar.id}: .sc-covered-hours is {shown[0].text!r}, not a number")
            continue
        if abs(value - expected) > 0.05 + 1e-9:
            problems.append(f"{calendar.id}: {expected:g} covered hours per week; the page shows {shown[0].text!r}")
    assert not problems, "\n".join(problems)


def test_agreement_pages_state_the_covered_hours_of_their_calendar(built_site, catalogue_records):
    calendars = _by_id(_by_kind(catalogue_records, "Calendar"))
    problems = []
    for agreement in _by_kind(catalogue_records, "Agreement"):
        text = article(built_site.page(record_page("Agreement", agreement.id))).text
        if "hours" not in agreement.data:  # states no service hours (format 1.1): no figure from them
            if "covered hours per week" in text or "Service hours: not stated." not in text:
                problems.append(f"{agreement.id}: states no hours, but the page does not say 'not stated'")
            continue
        expected = covered_hours_per_week(calendars[agreement.data["hours"]].data)
        shown = re.findall(r"([0-9]+(?:\.[0-9]+)?) covered hours per week", text)
        if not shown:
            problems.append(f"{agreement.id}: no 'N covered hours per week' on the page")
        for value in shown:
            if abs(float(value) - expected) > 0.05 + 1e-9:
                problems.append(f"{agreement.id}: shows {value} covered hours per week, expected {expected:g}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# The independent arithmetic above, checked on its own


def test_independent_arithmetic():
    assert covered_hours_per_week({"always": True}) == 168
    assert covered_hours_per_week({"weekly": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:00"}]}) == 50
    overlapping = [{"days": ["mon"], "from": "08:00", "to": "12:00"}, {"days": ["mon"], "from": "10:00", "to": "24:00"}]
    assert covered_hours_per_week({"weekly": overlapping}) == 16
    assert downtime_budget_minutes(99.9, "month", 168) == pytest.approx(43.83, abs=0.01)
    assert downtime_budget_minutes(99.9, "year", 168) == pytest.approx(525.95, abs=0.01)
    office = {"weekly": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:00"}]}
    release = [{"days": ["wed"], "from": "17:00", "to": "19:00"}, {"days": ["wed"], "from": "17:30", "to": "18:00"}]
    assert maintenance_hours_per_week(office, release) == 1  # only 17:00-18:00 is covered, once
    assert maintenance_hours_per_week({"always": True}, [{"days": ["sun"], "from": "01:00", "to": "05:00"}]) == 4
    assert parse_duration_minutes("8.8 hours") == (pytest.approx(528.0), pytest.approx(3.0))
    assert parse_duration_minutes("21.9 minutes") == (pytest.approx(21.9), pytest.approx(0.05))


# --------------------------------------------------------------------------
# The offerings column (defect, issue 15): named by the first priority, in words


def test_offerings_name_the_first_priority_and_word_its_times(tmp_path):
    from helpers.catalogue_builder import AGREEMENT, CATALOGUE, replace, run_cli, write_catalogue

    # The first priority is called "Sev1" here, and resolves in a service day (10 hours of business hours).
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": replace(replace(AGREEMENT, "id: P1", "id: Sev1"), "resolution: 4h", "resolution: 1d")})
    proc = run_cli(tmp_path, "render", "out", "--catalogue", CATALOGUE, "--as-of", "2026-06-01")
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "out" / "catalogue" / "services" / "email.md").read_text("utf-8")
    table = page.split("## Offerings", 1)[1].split("##", 1)[0]
    assert "P1 response" not in table and "15m / " not in table
    assert "| First priority: response / resolution |" in table
    assert "| **Sev1**: 15 minutes / 1 service day (10 hours) |" in table
