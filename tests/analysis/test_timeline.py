"""The timeline search on the example catalogue (not yet a check rule: see issue 16)."""

import datetime as dt
from pathlib import Path

from service_catalogue.analysis.timeline import chain_breaches
from service_catalogue.options import Options
from service_catalogue.pipeline import link, validate

ROOT = Path(__file__).resolve().parents[2]


def example_breaches():
    options = Options(catalogue=ROOT / "catalogue", as_of=dt.date(2026, 12, 2))
    catalogue = link(validate(options))
    return catalogue, chain_breaches(catalogue, options.as_of)


def test_the_vle_sla_is_faster_than_its_hosting_contract_at_every_start():
    _, breaches = example_breaches()
    vle = [b for b in breaches if b.upper.agreement.id == "sla-vle" and b.upper.label == "P1 resolution"]
    assert len(vle) == 1 and vle[0].lower.agreement.id == "uc-aulario-vle-hosting"
    assert vle[0].share == 1.0 and vle[0].window.worst_gap == 4 * 60
    assert vle[0].safe_minutes == 8 * 60
    assert "A P1 resolution target of 8h in Always on (24x7) would be safe" in vle[0].message


def test_a_cross_zone_breach_names_the_worst_case_in_both_zones():
    _, breaches = example_breaches()
    singapore = next(b for b in breaches if b.upper.agreement.id == "sla-singapore-campus-support"
                     and b.upper.label == "P1 response")
    words = singapore.counterexample
    assert "Asia/Singapore" in words and "Europe/London" in words
    assert singapore.due_lower > singapore.due_upper
    assert 0 < singapore.share < 1


def test_the_search_is_worked_out_once_per_catalogue_and_date():
    catalogue, breaches = example_breaches()
    assert chain_breaches(catalogue, dt.date(2026, 12, 2)) is breaches


def test_a_supplier_holiday_on_a_covered_day_opens_a_breach_and_a_shared_one_does_not():
    from service_catalogue.analysis.timeline import holiday_mismatches

    catalogue, _ = example_breaches()
    found = {(m.breach.upper.agreement.id, m.breach.lower.agreement.id, m.day, m.title)
             for m in holiday_mismatches(catalogue, dt.date(2026, 12, 2))}
    # Singapore's National Day is no holiday in the UK hours the campus network SLA runs in
    assert ("sla-campus-network", "uc-straits-fibre-sg", dt.date(2027, 8, 9), "National Day") in found
    # Christmas Day is a holiday of both calendars: not a mismatch
    assert not any(day == dt.date(2026, 12, 25) for _, _, day, _ in found)


def test_the_guide_shows_the_example_catalogues_findings_and_pictures_as_they_are():
    # docs/health-checks.md quotes two findings of the example catalogue and pastes their
    # pictures: they must be what the code says and draws today, not what it once did.
    from service_catalogue.site.week_picture import week_picture

    guide = (ROOT / "docs" / "health-checks.md").read_text("utf-8")
    _, breaches = example_breaches()
    wanted = {("sla-singapore-campus-support", "P1 response"), ("sla-managed-print", "P1 resolution")}
    shown = [b for b in breaches if (b.upper.agreement.id, b.upper.label) in wanted]
    assert len(shown) == 2
    for breach in shown:
        assert f"> {breach.message}\n" in guide
        picture = week_picture(breach.week_shares, breach.upper.zone,
                               f"{breach.upper.label} of {breach.upper.agreement.title} against {breach.lower.agreement.title}",
                               ident=f"guide-{breach.upper.agreement.id}-{breach.upper.kind}")
        assert f"\n\n{picture}\n\n" in guide


def _chains(root: Path, pairs: int) -> Path:
    """pairs SLAs on office hours, each underpinned by its own UC on 24x7: the same two
    calendars and targets however many pairs there are."""
    import yaml

    def record(kind, rid, title, **fields):
        return {"apiVersion": "catalogue/v1", "kind": kind, "id": rid, "title": title, **fields}

    p1 = {"id": "P1", "description": "Down", "response": "10m", "resolution": "2h"}
    u1 = {"id": "P1", "description": "Down", "response": "15m", "resolution": "4h"}
    records = [
        record("Party", "it", "IT Services", type="department"),
        record("Party", "staff", "All staff", type="customer"),
        record("Party", "vendor", "Hostco", type="supplier"),
        record("Calendar", "always", "Always on", timezone="Europe/London", always=True),
        record("Calendar", "office", "Office hours", timezone="Europe/London",
               weekly=[{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:00"}]),
        record("Service", "app", "Staff app", type="customer-facing", status="live", owner="it", consumers=["staff"]),
    ]
    for i in range(pairs):
        records.append(record("Agreement", f"uc-{i}", f"Hosting contract {i}", type="UC", status="active", provider="vendor",
                              customer="it", services=["app"], period={"start": "2026-01-01"}, hours="always", priorities=[u1]))
        records.append(record("Agreement", f"sla-{i}", f"Staff app SLA {i}", type="SLA", status="active", provider="it",
                              customer="staff", services=["app"], period={"start": "2026-01-01"}, hours="office",
                              priorities=[p1], underpinned_by=[f"uc-{i}"]))
    folder = root / "catalogue"
    for data in records:
        kind_folder = {"Party": "parties", "Calendar": "calendars", "Service": "services", "Agreement": "agreements"}[data["kind"]]
        path = folder / kind_folder / f"{data['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def test_the_search_grows_with_the_calendars_and_targets_not_with_the_agreements(tmp_path, monkeypatch):
    # Four times the agreements on the same calendars and targets: four times the windows,
    # and the same searches (each pair of calendars and targets is searched once).
    import service_catalogue.analysis.timeline as timeline

    calls = {"n": 0}
    real_one, real_many = timeline.breach_window, timeline.breach_windows_and_waits

    def counting_one(*args, **kwargs):
        calls["n"] += 1
        return real_one(*args, **kwargs)

    def counting_many(searches, *args, **kwargs):
        calls["n"] += len(searches)  # one search for each pair of calendars and targets, however they are asked for
        return real_many(searches, *args, **kwargs)

    monkeypatch.setattr(timeline, "breach_window", counting_one)
    monkeypatch.setattr(timeline, "breach_windows_and_waits", counting_many)
    found, searches = [], []
    for pairs in (5, 20):
        calls["n"] = 0
        options = Options(catalogue=_chains(tmp_path / str(pairs), pairs), as_of=dt.date(2026, 12, 2))
        found.append(len(chain_breaches(link(validate(options)), options.as_of)))
        searches.append(calls["n"])
    assert found == [2 * 5, 2 * 20]  # response and resolution of each SLA
    assert searches[0] == searches[1] == 2


def test_what_the_search_keeps_goes_with_its_catalogue():
    # mkdocs serve builds a new model each time: the windows, engines and clocks worked
    # out for the last one must not keep it alive.
    import gc
    import weakref

    catalogue, breaches = example_breaches()
    assert breaches
    gone = weakref.ref(catalogue)
    del catalogue, breaches
    gc.collect()
    assert gone() is None
