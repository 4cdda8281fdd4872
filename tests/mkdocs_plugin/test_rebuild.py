"""A `mkdocs serve` rebuild re-renders only the pages a change can alter (rebuild.py).

The core tests change each record of the example catalogue in several ways and
check every page and catalogue.json entry the rebuild would reuse against a
full render of the changed catalogue. The site test edits a file between two
builds in one process, as `mkdocs serve` does, and reads the served HTML.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
import textwrap

import pytest

from service_catalogue.analysis import analyse
from service_catalogue.validation.folder import validate_folder
from service_catalogue.site.exports import catalogue_entries
from service_catalogue.model import Catalogue
from service_catalogue.site.rebuild import BuildMemory, findings_by_record, page_signature
from service_catalogue.options import Options
from service_catalogue.site import SiteRenderer
from helpers.site_build import REPO, copy_project

AS_OF = dt.date(2026, 11, 29)
OPTIONS = Options(as_of=AS_OF)


@pytest.fixture(scope="module")
def example_records():
    result = validate_folder(REPO / "catalogue")
    assert result.ok
    return result.records


@pytest.fixture(scope="module")
def first_build(example_records):
    """What the first build remembers; every test's rebuild starts from it."""
    catalogue, pages, findings, exports = render(example_records)
    memory = BuildMemory()
    memory.remember(catalogue, findings, page_signature(catalogue, OPTIONS), pages, exports)
    return example_records, memory


def render(records) -> tuple[Catalogue, dict, dict, dict]:
    catalogue = Catalogue(records)
    findings = analyse(catalogue, as_of=AS_OF)
    pages = SiteRenderer(OPTIONS).pages(catalogue, findings=findings)
    markdown = {page.entity.id: page.markdown for page in pages if page.entity is not None}
    return catalogue, markdown, findings_by_record(findings), catalogue_entries(catalogue, lambda e: e.page)


def changed(records, record_id: str, change) -> list:
    """The records with one record's data changed as `change(data)` says (None removes it)."""
    result = []
    for record in records:
        if record.id == record_id:
            data = change(copy.deepcopy(record.data))
            if data is None:
                continue
            record = copy.copy(record)  # a new Record object, as a re-read file gives
            record.data, record.references = data, None
        result.append(record)
    return result


def check_rebuild(first_build, record_id: str, change) -> tuple[set, int]:
    """Rebuild after one change; every reused page and export must equal a full render's.

    Returns (the reused ids, the number of pages)."""
    records, memory = first_build
    after, fresh_pages, fresh_findings, fresh_exports = render(changed(records, record_id, change))
    reused = memory.unchanged(after, fresh_findings, page_signature(after, OPTIONS))
    stale = sorted(i for i in reused if i in fresh_pages and memory.pages.get(i) != fresh_pages[i])
    assert not stale, f"changing {record_id}: these pages would be stale: {stale}"
    stale = sorted(i for i in reused if memory.exports.get(i) != fresh_exports[i])
    assert not stale, f"changing {record_id}: these catalogue.json entries would be stale: {stale}"
    return reused, len(fresh_pages)


def retitle(data):
    data["title"] += " (renamed)"
    return data


def test_a_changed_title_leaves_every_reused_page_as_a_full_render_makes_it(first_build, example_records):
    reused_somewhere = False
    for record in example_records:
        if record.kind == "Term":
            continue
        reused, pages = check_rebuild(first_build, record.id, retitle)
        reused_somewhere |= 0 < len(reused) < pages
    assert reused_somewhere, "no change reused any page: the rebuild would render everything"


def test_availability_targets_along_underpinning_chains(first_build, example_records):
    def lower(data):
        if "availability" not in data:
            return None
        data["availability"]["target"] = round(data["availability"]["target"] - 0.4, 3)
        return data

    for record in example_records:
        if record.kind == "Agreement" and "availability" in record.data:
            check_rebuild(first_build, record.id, lower)


def test_calendar_hours(first_build, example_records):
    def shorter(data):
        if data.get("weekly"):
            window = data["weekly"][0]
            window["to"] = "12:00" if window["from"] < "12:00" else window["to"]
        else:
            data.pop("always", None)
            data["weekly"] = [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "17:00"}]
        return data

    for record in example_records:
        if record.kind == "Calendar":
            check_rebuild(first_build, record.id, shorter)


def test_links_removed_and_statuses_changed(first_build, example_records):
    def drop_dependency(data):
        data["depends_on"] = data["depends_on"][1:]
        if not data["depends_on"]:
            del data["depends_on"]
        return data

    def terminate(data):
        data["status"] = "terminated"
        return data

    for record in example_records:
        if record.kind == "Service" and record.data.get("depends_on"):
            check_rebuild(first_build, record.id, drop_dependency)
        if record.kind == "Agreement" and record.data.get("status") == "active":
            check_rebuild(first_build, record.id, terminate)


def test_a_record_nothing_names_can_be_removed(first_build, example_records):
    catalogue = Catalogue(example_records)
    removable = [e.id for e in catalogue.by_id.values() if not e.incoming and e.kind != "Term"]
    assert removable
    for record_id in removable:
        check_rebuild(first_build, record_id, lambda data: None)


def test_a_changed_term_renders_everything_again(first_build, example_records):
    term = next(r for r in example_records if r.kind == "Term")
    reused, _ = check_rebuild(first_build, term.id, retitle)
    assert reused == set()


# -- the site, rebuilt in one process as `mkdocs serve` does ------------------------

SERVE_TWICE = textwrap.dedent(
    """
    import json, logging, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project, site, record, old, new = sys.argv[1:6]
    messages = []
    handler = logging.Handler()
    handler.emit = lambda r: messages.append(r.getMessage())
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    config = load_config(str(Path(project) / "mkdocs.yml"), site_dir=site)
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    path = Path(record)
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    build(load_config(str(Path(project) / "mkdocs.yml"), site_dir=site))
    config.plugins.on_shutdown()
    print(json.dumps(messages))
    """
)


def test_serve_rebuild_shows_a_renamed_party_on_the_pages_that_name_it(tmp_path):
    project = copy_project(tmp_path / "project")
    catalogue = Catalogue(validate_folder(project / "catalogue").records)
    party = next(
        e for e in catalogue.parties
        if len(e.incoming) > 2 and f"title: {e.title}\n" in e.record.path.read_text("utf-8")
    )
    party_file, old = party.record.path, f"title: {party.title}\n"
    new = "title: Renamed Party Office\n"
    site = tmp_path / "site"
    run = subprocess.run(
        [sys.executable, "-c", SERVE_TWICE, str(project), str(site), str(party_file), old, new],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    messages = json.loads(run.stdout.strip().splitlines()[-1])
    counts = [m for m in messages if "record pages re-rendered" in m]
    assert len(counts) == 2, messages
    first, second = (int(m.split("service-catalogue: ")[1].split()[0]) for m in counts)
    total = int(counts[1].split(" of ")[1].split()[0])
    assert first == total  # the first build renders every page
    assert 0 < second < total  # the rebuild only those the change can alter
    # Every page that names the party shows its new name; no page shows the old one.
    for link in party.incoming:
        source = link.source
        if source.kind == "Term":
            continue
        page = site / "catalogue" / source.page.replace(".md", "") / "index.html"
        assert "Renamed Party Office" in page.read_text("utf-8"), f"{source.id}'s page still shows the old name"


def test_a_new_performance_page_starts_the_record_pages_afresh(first_build):
    """An export written anew under serve can add an agreement to the report: its section 7
    then links a page that was not there, so no record page is reused."""
    records, memory = first_build
    catalogue = Catalogue(records)
    assert memory.unchanged(catalogue, findings_by_record(analyse(catalogue, as_of=AS_OF)), page_signature(catalogue, OPTIONS))
    with_report = page_signature(catalogue, OPTIONS, frozenset({"sla-collaboration"}))
    assert memory.unchanged(catalogue, findings_by_record(analyse(catalogue, as_of=AS_OF)), with_report) == set()
