"""The public Python API: exactly what `__all__` names, each name documented on
the guide's Python API page, and each one working as the page says.

As mkdocstrings' tests/test_api.py does: the inventory of public names is
checked against the docs, so that a name cannot be added, renamed or dropped
without the page (and so the users) hearing of it.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

import service_catalogue as sc
from helpers.catalogue_builder import SERVICE, replace, write_catalogue

REPO = Path(__file__).resolve().parents[1]
API_PAGE = REPO / "docs" / "guide" / "api.md"
AS_OF = dt.date(2026, 11, 29)


def documented_names() -> set[str]:
    """The names of the reference table of the API page: `| `name` | ... |` rows."""
    text = API_PAGE.read_text("utf-8")
    return set(re.findall(r"^\| `([A-Za-z_]+)(?:\(.*?\))?` \|", text, re.M))


def test_all_is_the_documented_api():
    assert sorted(sc.__all__) == sorted(set(sc.__all__)), "a name twice in __all__"
    assert set(sc.__all__) == documented_names()


def test_every_name_of_all_is_importable_and_public():
    for name in sc.__all__:
        value = getattr(sc, name)
        assert value is not None, name
        if callable(value) and not isinstance(value, type):
            assert value.__doc__, f"{name} has no docstring"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'validator'"):
        sc.validator  # noqa: B018


def test_importing_the_package_does_not_load_the_templates():
    # The pre-commit hook runs `validate`: it needs no Jinja (the API's names load on first use).
    code = "import sys, service_catalogue, service_catalogue.cli; print(sorted(m for m in ('jinja2', 'service_catalogue.site.pages') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_the_functions_names_do_not_clash_with_the_modules():
    # A submodule that is imported becomes an attribute of the package: `model` or
    # `diff` as a function would be replaced by the module once anything imported it.
    import service_catalogue.diff  # noqa: F401
    import service_catalogue.model  # noqa: F401

    for name in ("validate", "link", "analyse", "compare", "render"):
        assert callable(getattr(sc, name)) and not isinstance(getattr(sc, name), type(sc)), name


def test_the_errors_share_one_root():
    errors = [getattr(sc, name) for name in sc.__all__ if name.endswith("Error")]
    assert len(errors) == 9 and all(issubclass(error, sc.ServiceCatalogueError) for error in errors)


def test_the_api_runs_the_stages_as_the_page_shows(tmp_path):
    root = write_catalogue(tmp_path)
    options = sc.Options(catalogue=root, as_of=AS_OF)
    result = sc.validate(options)
    assert result.ok and len(result.records) == 6 and result.problems == []
    catalogue = sc.link(result)
    assert isinstance(catalogue, sc.Catalogue) and catalogue.by_id["email"].title == "Email"
    findings = sc.analyse(catalogue, options)
    assert sorted(f.rule for f in findings) == ["coverage.sla-not-underpinned", "term.ending-soon"]
    assert all(isinstance(f, sc.Finding) for f in findings)
    pages = {page.path: page for page in sc.render(catalogue, options, findings)}
    assert all(isinstance(page, sc.RenderedPage) for page in pages.values())
    assert pages["catalogue/services/email.md"].markdown.startswith('---\ntitle: "Email"\n')
    assert "term.ending-soon" in pages["catalogue/agreements/sla-email.md"].markdown


def test_link_refuses_an_invalid_catalogue_with_every_problem(tmp_path):
    root = write_catalogue(tmp_path, {"services/email.yaml": replace(SERVICE, "title: Email", "title: 42")})
    result = sc.validate(sc.Options(catalogue=root, as_of=AS_OF))
    assert not result.ok
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert isinstance(problem, sc.Problem) and isinstance(problem.location, sc.Location)
    assert (problem.location.file.endswith("services/email.yaml"), problem.field) == (True, "title")
    with pytest.raises(sc.InvalidCatalogueError) as raised:
        sc.link(result)
    assert raised.value.problems == result.problems


def test_compare_judges_a_change(tmp_path):
    base = write_catalogue(tmp_path / "base")
    head = write_catalogue(tmp_path / "head")
    agreement = (head / "agreements/sla-email.yaml")
    text = agreement.read_text("utf-8")
    assert "resolution: 4h" in text
    agreement.write_text(text.replace("resolution: 4h", "resolution: 8h", 1), "utf-8")
    changes = sc.compare(sc.validate(sc.Options(catalogue=base)), sc.validate(sc.Options(catalogue=head)))
    [record] = changes
    assert isinstance(record, sc.RecordChange) and record.verdict == "weakened"
    [change] = record.fields
    assert isinstance(change, sc.FieldChange) and change.verdict == "weakened"


def test_an_unknown_rule_is_an_unknown_rule_error(tmp_path):
    root = write_catalogue(tmp_path)
    options = sc.Options(catalogue=root, as_of=AS_OF, disabled_rules=frozenset({"term.ending-sooon"}))
    catalogue = sc.link(sc.validate(options))
    with pytest.raises(sc.UnknownRuleError, match="did you mean `term.ending-soon`"):
        sc.analyse(catalogue, options)


def test_the_analysis_holds_the_collector_off_and_puts_it_back(tmp_path, monkeypatch):
    # The timeline's many small objects are not walked by the cyclic collector while the
    # analysis runs (pipeline._collector_paused); the caller's setting comes back after,
    # when the analysis fails too.
    import gc

    from service_catalogue import pipeline

    root = write_catalogue(tmp_path)
    options = sc.Options(catalogue=root, as_of=AS_OF)
    catalogue = sc.link(sc.validate(options))
    seen = []
    real_rules = pipeline.run_rules

    def watched(*args):
        seen.append(gc.isenabled())
        return real_rules(*args)

    monkeypatch.setattr(pipeline, "run_rules", watched)
    assert gc.isenabled()
    assert sc.analyse(catalogue, options) and gc.isenabled()
    gc.disable()
    try:
        sc.analyse(catalogue, options)
        assert not gc.isenabled(), "a caller that held the collector off finds it still off"
    finally:
        gc.enable()
    bad = sc.Options(catalogue=root, as_of=AS_OF, disabled_rules=frozenset({"no.such-rule"}))
    with pytest.raises(sc.UnknownRuleError):
        sc.analyse(catalogue, bad)
    assert gc.isenabled()
    assert seen == [False, False, False]


def test_what_the_analysis_keeps_goes_to_the_oldest_generation():
    # What the analysis made and kept lives as long as the catalogue: the young collections
    # after it would walk all of it again to free nothing, so it goes straight to the
    # oldest generation. Someone else's frozen objects stay frozen. The example catalogue:
    # its timeline keeps thousands of objects.
    import gc

    options = sc.Options(catalogue=REPO / "catalogue", as_of=AS_OF)
    catalogue = sc.link(sc.validate(options))
    gc.collect()
    before = len(gc.get_objects())
    findings = sc.analyse(catalogue, options)
    young = len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
    kept = len(gc.get_objects()) - before
    assert findings and kept > 1000
    assert young < kept / 10, f"{young} objects in the young generations, of {kept} the analysis kept"
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        sc.analyse(catalogue, options)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_check_lets_the_timeline_go_once_the_findings_are_made():
    # `check` writes the findings alone: what the timeline kept for the pages is freed
    # as soon as they are made (by reference counting, no collection), not at exit.
    import gc

    from service_catalogue import pipeline
    from service_catalogue.analysis.timeline import ChainBreach

    def breaches_alive() -> int:
        return sum(isinstance(o, ChainBreach) for o in gc.get_objects())

    options = sc.Options(catalogue=REPO / "catalogue", as_of=AS_OF)
    before = breaches_alive()
    for_pages = pipeline.prepare(options)
    assert "_timeline" in for_pages.catalogue.__dict__ and breaches_alive() > before
    del for_pages
    gc.collect()
    before = breaches_alive()
    run = pipeline.prepare(options, for_pages=False)
    assert any(f.rule == "chain.resolution-faster-than-underpinning" for f in run.findings)
    assert breaches_alive() == before
    assert not [o for o in (run.catalogue, *run.catalogue.agreements, *run.catalogue.calendars) if "_timeline" in o.__dict__]


def test_the_page_example_runs(tmp_path, monkeypatch):
    # The example on the page, as written, against a copy of the example catalogue.
    [example] = re.findall(r"```python\n(.*?)```", API_PAGE.read_text("utf-8"), re.S)[:1]
    ast.parse(example)
    import shutil

    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(example, str(API_PAGE), "exec"), namespace)  # noqa: S102 - our own page
    assert (tmp_path / "out" / "catalogue" / "services" / "email-calendar.md").read_text("utf-8").startswith("---\ntitle: ")
