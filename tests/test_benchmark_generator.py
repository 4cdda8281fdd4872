"""The benchmark's synthetic catalogue (benchmarks/generate.py): valid, and a site builds from it.

Not timed: the benchmark itself (`make bench`) measures; this only keeps its
generator honest, so that the figures are about a catalogue our own checks accept.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import pytest
from helpers.site_build import describe, run_mkdocs_build

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import generate as gen  # noqa: E402
from service_catalogue.validation.folder import validate_folder  # noqa: E402


def test_sizes_add_up_and_keep_proportions():
    sizes = gen.sizes(10_000)
    assert sizes.total == 10_000
    assert sizes.services > sizes.parties > sizes.terms > sizes.calendars
    assert len(gen.generate(60)) == gen.sizes(60).total == 60


def test_the_generator_is_deterministic():
    assert gen.generate(120) == gen.generate(120)
    assert gen.generate(120) != gen.generate(120, seed=1)


def test_a_generated_catalogue_validates(tmp_path):
    records = gen.generate(60)
    kinds = collections.Counter(r["kind"] for r in records)
    assert set(kinds) == {"Service", "Agreement", "Party", "Calendar", "Term"}
    written = gen.write_catalogue(records, tmp_path / "catalogue")
    # Several records to a file for parties and terms, one for the others, as real catalogues keep them.
    assert len(written["Term"]) < kinds["Term"] and len(written["Service"]) == kinds["Service"]
    result = validate_folder(tmp_path / "catalogue")
    assert result.ok, [str(p) for p in result.problems]
    assert not result.problems
    assert result.total == 60


def test_agreements_underpin_and_services_depend_acyclically(tmp_path):
    records = gen.generate(300)
    by_id = {r["id"]: r for r in records}
    slas = [r for r in records if r["kind"] == "Agreement" and r["type"] == "SLA"]
    assert slas and all(by_id[a]["type"] in ("OLA", "UC") for r in slas for a in r.get("underpinned_by", ()))
    assert all(len(r["priorities"]) >= 3 for r in records if r["kind"] == "Agreement")
    services = [r["id"] for r in records if r["kind"] == "Service"]
    order = {sid: i for i, sid in enumerate(services)}
    deps = [(r["id"], d["service"]) for r in records if r["kind"] == "Service" for d in r.get("depends_on", ())]
    assert deps and all(order[target] < order[source] for source, target in deps)  # chains, never cycles
    assert any(r.get("supersedes") for r in slas)


def test_single_record_files_for_check_jsonschema(tmp_path):
    records = gen.generate(60)
    written = gen.write_catalogue(records, tmp_path / "catalogue", single=True)
    assert sum(len(files) for files in written.values()) == 60
    assert validate_folder(tmp_path / "catalogue").ok


def test_a_small_generated_site_builds_strict(tmp_path):
    project = gen.write_project(tmp_path / "project", gen.generate(60))
    result = run_mkdocs_build(project, tmp_path / "site", strict=True)
    assert result.returncode == 0, describe(result)
    site = tmp_path / "site"
    service = next(r["id"] for r in gen.generate(60) if r["kind"] == "Service")
    assert (site / "catalogue" / "services" / service / "index.html").is_file()
    assert (site / "catalogue" / "glossary" / "index.html").is_file()
    # Record pages stay out of the nav: the home page does not link every service.
    home = (site / "index.html").read_text("utf-8")
    assert home.count("catalogue/services/svc-") <= 2


@pytest.mark.parametrize("terms", [50, 2000])
def test_the_glossary_figure_can_make_its_terms(terms):
    records = gen.generate(300, terms=terms)
    titles = [r["title"].casefold() for r in records if r["kind"] == "Term"]
    assert len(titles) == len(set(titles)) == terms


def test_the_benchmark_runs_end_to_end_at_a_small_size(tmp_path):
    # `make bench` imports the package's modules by name (the nav section, the style
    # sheet, the diff): this runs it at 100 records, without check-jsonschema, so that a
    # module that moves breaks a test, not the next person's benchmark.
    import json
    import subprocess

    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--records", "100", "--skip-external", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    report = json.loads(out.read_text("utf-8"))
    assert report["records"] == 100
    assert "| (d) build with plugin / plain MkDocs on rendered Markdown |" in proc.stdout
    assert "| (h) diff of 20 changed records" in proc.stdout

