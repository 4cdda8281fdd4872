"""The MkDocs adapter (mkdocs_plugin/): its options check themselves, its caches live on the
plugin object and only under `serve`, `enabled: false` turns it off, and the CLI
reference is a hook of this repository's docs, not something the plugin runs.

The builds here run in this process (tests/helpers/inprocess_build.py), on a small catalogue:
a few tenths of a second each, not a subprocess per case.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from helpers.catalogue_builder import write_catalogue
from helpers.inprocess_build import build_in_process
from service_catalogue.mkdocs_plugin.config import ServiceCatalogueConfig, to_options
from service_catalogue.validation.loader import Record

from helpers.site_build import MARKDOWN_EXTENSIONS_YML, docs_hooks

AS_OF = "2026-06-01"


def small_site(tmp_path, options: str = "", docs: dict | None = None):
    """A site of the base catalogue (catalogue_builder), a home page and mkdocs.yml."""
    project = tmp_path / "project"
    write_catalogue(project)
    (project / "docs").mkdir(parents=True, exist_ok=True)
    for name, content in {"index.md": "# Home\n", **(docs or {})}.items():
        (project / "docs" / name).write_text(content, encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Adapter\nplugins:\n  - service-catalogue:\n"
        f'      as_of: "{AS_OF}"\n{options}' + MARKDOWN_EXTENSIONS_YML,
        encoding="utf-8",
    )
    return project


def live_records() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if type(thing) is Record)


# --------------------------------------------------------------------------
# Caches: on the plugin, and only under `serve`


def test_a_plain_build_keeps_no_parsed_file_once_it_ends(tmp_path):
    """Before, every catalogue folder built in a process kept its parsed files in a
    module-level dict for the life of the process."""
    before = live_records()
    for number in range(3):
        project = small_site(tmp_path / f"site-{number}")
        built, errors = build_in_process(project, tmp_path / f"out-{number}")
        assert built, errors
        assert (tmp_path / f"out-{number}" / "catalogue" / "services" / "email" / "index.html").is_file()
    assert live_records() == before, "a finished build left its records alive"
    assert gc.get_freeze_count() == 0, "the build left the collector frozen"


def test_serve_keeps_one_cache_on_the_plugin_between_builds(tmp_path, caplog):
    project = small_site(tmp_path)
    site = tmp_path / "site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["service-catalogue"]
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        assert plugin.serve_cache is not None
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.service-catalogue"):
            mkdocs_build(config)
            for change in ("nothing", "the service's title"):
                if change != "nothing":
                    service = project / "catalogue" / "services" / "email.yaml"
                    service.write_text(service.read_text("utf-8").replace("title: Email\n", "title: Email for all\n"), "utf-8")
                again = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
                assert again.plugins["service-catalogue"] is plugin, "MkDocs made a new plugin object for the rebuild"
                mkdocs_build(again)
        counts = [r.getMessage().split("service-catalogue: ")[1] for r in caplog.records if "record pages re-rendered" in r.getMessage()]
        assert [count.split(" record pages")[0] for count in counts] == ["5 of 5", "0 of 5", "5 of 5"], counts
        assert "Email for all" in (site / "catalogue" / "services" / "email" / "index.html").read_text("utf-8")
        assert plugin.build is None, "the finished build is still held"
    finally:
        config.plugins.on_shutdown()
    assert plugin.serve_cache is None, "on_shutdown kept the serve cache"


# --------------------------------------------------------------------------
# enabled, and a hand-written catalogue.json


def test_enabled_false_builds_the_site_without_the_catalogue(tmp_path):
    project = small_site(tmp_path, options="      enabled: false\n")
    site = tmp_path / "site"
    built, errors = build_in_process(project, site)
    assert built, errors
    assert (site / "index.html").is_file()
    assert not (site / "catalogue").exists() and not (site / "catalogue.json").exists()
    assert "service-catalogue.css" not in (site / "index.html").read_text("utf-8")


def test_a_hand_written_catalogue_json_is_not_written_over(tmp_path):
    project = small_site(tmp_path, docs={"catalogue.json": '{"mine": true}\n'})
    site = tmp_path / "site"
    built, errors = build_in_process(project, site)
    assert built, errors
    assert (site / "catalogue.json").read_text("utf-8") == '{"mine": true}\n'
    assert (site / "glossary.json").is_file()


# --------------------------------------------------------------------------
# Options that check themselves


def plugin_options(tmp_path, **values) -> tuple[ServiceCatalogueConfig, dict[str, str]]:
    """The plugin's options validated as MkDocs does, for a mkdocs.yml in tmp_path; (config, errors)."""
    (tmp_path / "catalogue").mkdir(exist_ok=True)
    config = ServiceCatalogueConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict(values)
    failed, _ = config.validate()
    return config, {key: str(error) for key, error in failed}


def test_valid_options_fill_one_options_object(tmp_path):
    (tmp_path / "overrides").mkdir()
    config, errors = plugin_options(
        tmp_path, as_of="2026-11-29", templates="overrides", disabled_rules=["term.ending-soon"], section="/ref/catalogue/"
    )
    assert errors == {}
    options = to_options(config)
    assert options.catalogue == (tmp_path / "catalogue").resolve()
    assert options.templates == (tmp_path / "overrides").resolve()
    assert options.as_of == dt.date(2026, 11, 29)
    assert options.disabled_rules == frozenset({"term.ending-soon"})
    assert options.section == "ref/catalogue"
    assert to_options(plugin_options(tmp_path)[0]).as_of == dt.date.today()


@pytest.mark.parametrize(
    "option, value, words",
    [
        ("catalogue", "nowhere", ["expected the folder of YAML records, relative to mkdocs.yml", "nowhere' isn't an existing directory"]),
        ("catalogue", "mkdocs.yml", ["expected the folder of YAML records", "isn't an existing directory"]),
        ("templates", "overrides", ["expected a folder of templates, relative to mkdocs.yml", "overrides' isn't an existing directory"]),
        ("as_of", "2026-13-01", ['expected a date written "YYYY-MM-DD" (in quotes), not \'2026-13-01\'']),
        ("as_of", dt.date(2026, 11, 29), ["not 2026-11-29 (unquoted, so YAML read it as a date: quote it)"]),
        ("as_of", 20261129, ['expected a date written "YYYY-MM-DD" (in quotes), not 20261129']),
        ("disabled_rules", ["term.ending-sooon"], ["unknown rule id `term.ending-sooon`", "did you mean `term.ending-soon`?"]),
        ("disabled_rules", "term.ending-soon", ["Expected a list of items"]),
        ("enabled", "yes", ["Expected type: <class 'bool'>"]),
    ],
)
def test_a_bad_option_is_an_error_that_names_what_it_expects(tmp_path, option, value, words):
    _, errors = plugin_options(tmp_path, **{option: value})
    assert list(errors) == [option]
    for expected in words:
        assert expected in errors[option], (expected, errors[option])


def test_a_bad_option_fails_the_configuration_before_anything_is_built(tmp_path, caplog):
    project = small_site(tmp_path, options="      disabled_rules: [no.such-rule]\n")
    with pytest.raises(Abort, match="configuration error"):
        load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    message = "\n".join(record.getMessage() for record in caplog.records)
    assert "Plugin 'service-catalogue' option 'disabled_rules': unknown rule id `no.such-rule`: the rules are: " in message
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------
# The CLI reference: this repository's hook, not the plugin's


def test_the_plugin_leaves_the_cli_reference_marker_of_a_user_page_alone(tmp_path):
    marker = docs_hooks().MARKER
    project = small_site(tmp_path, docs={"index.md": f"# Home\n\n{marker}\n"})
    site = tmp_path / "site"
    built, errors = build_in_process(project, site)
    assert built, errors
    page = (site / "index.html").read_text("utf-8")
    assert marker in page and "service-catalogue validate" not in page


def test_the_example_site_runs_its_hook_and_does_not_publish_it(built_site):
    assert not built_site.path("hooks.py").exists(), "docs/hooks.py was copied into the site"
    page = built_site.path("guide/cli/index.html").read_text("utf-8")
    assert docs_hooks().MARKER not in page and 'id="service-catalogue-validate"' in page
