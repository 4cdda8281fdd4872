"""The report's work grows with its input as it should: linearly in the tickets, and with no
Python step per ticket. Counted, not timed: the function calls the interpreter makes (a
loop over rows in Python would multiply them) and the instants handed to the engine's
searches, for the same catalogue with four times the tickets."""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats

import pytest

import service_catalogue as sc
from benchmarks import generate as gen
from benchmarks.exports import write_exports
from service_catalogue import pipeline, servicetime
from service_catalogue.performance import clocks
from service_catalogue.performance.inputs import read_inputs
from service_catalogue.performance.measure import measure

AS_OF = dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    root = tmp_path_factory.mktemp("growth")
    project = gen.write_project(root / "project", gen.generate(300))
    run = pipeline.prepare(sc.Options(catalogue=project / "catalogue", as_of=AS_OF), with_findings=False)
    return root, project / "catalogue", run.require_valid()


def counted(root, folder, catalogue, tickets: int, monkeypatch) -> tuple[int, int, int]:
    out = root / f"exports-{tickets}"
    write_exports(folder, out, tickets, tickets // 100)
    inputs = read_inputs({"tickets": [str(out / "tickets.csv")], "clock_stops": [str(out / "clock-stops.csv")],
                          "outages": [str(out / "outages.csv")]}, root)
    searched = {"calls": 0, "instants": 0}
    original = servicetime.covered_before_many

    def counting(engine, minutes, index=None):
        searched["calls"] += 1
        searched["instants"] += len(minutes)
        return original(engine, minutes, index)

    monkeypatch.setattr(clocks, "covered_before_many", counting)
    profile = cProfile.Profile()
    profile.enable()
    report = measure(catalogue, inputs, AS_OF)
    profile.disable()
    assert not report.errors, [p.message for p in report.errors[:3]]
    assert sum(a.tickets for a in report.agreements) == tickets
    return pstats.Stats(profile).total_calls, searched["calls"], searched["instants"]


def test_four_times_the_tickets_is_four_times_the_instants_and_no_more_python_calls(catalogue, monkeypatch):
    root, folder, model = catalogue
    counted(root, folder, model, 12_000, monkeypatch)  # the caches of what does not grow: zones, calendars
    small = counted(root, folder, model, 12_000, monkeypatch)
    large = counted(root, folder, model, 48_000, monkeypatch)
    calls_small, searches_small, instants_small = small
    calls_large, searches_large, instants_large = large
    # The same agreements and targets: the same searches, each over four times the instants.
    assert searches_large <= searches_small * 1.05
    assert 3.6 <= instants_large / instants_small <= 4.4
    # Python's own calls follow the agreements, targets and windows, not the rows: they grow
    # by some 3% (the targets and windows that meet their first breach); a step per ticket
    # would add 36,000 calls, 12%.
    assert calls_large - calls_small < 0.06 * calls_small, (calls_small, calls_large)
