"""The options the commands share: one spelling of the catalogue folder, and the same
Options for `render`, `check` and the MkDocs plugin.

Before, `render` could not switch rules off, pass raw HTML or change the ending
window, and neither `render` nor `check` (nor `diff`) took --max-file-size;
`validate` and `check` took the catalogue folder only as a positional, `new` and
`render` only as --catalogue.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import datetime as dt
from pathlib import Path

import pytest

from helpers.catalogue_builder import CATALOGUE, SERVICE, replace, run_cli, write_catalogue
from service_catalogue import cli
from service_catalogue.cli import arguments
from service_catalogue.options import Options

RENDER = ("render", "out", "--catalogue", CATALOGUE, "--as-of", "2026-11-29")


def subparsers() -> dict[str, argparse.ArgumentParser]:
    [commands] = [a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return commands.choices


def parse(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(list(argv))


def dests(parser: argparse.ArgumentParser) -> set[str]:
    return {action.dest for action in parser._actions}


# --------------------------------------------------------------------------
# The catalogue folder


@pytest.mark.parametrize("command", ["validate", "check", "new", "render", "diff"])
def test_every_command_that_reads_a_catalogue_takes_catalogue_dir(command):
    parser = subparsers()[command]
    [option] = [a for a in parser._actions if "--catalogue" in a.option_strings]
    assert option.metavar == "DIR" and option.dest == "catalogue"


@pytest.mark.parametrize("command", ["validate", "check"])
def test_validate_and_check_take_the_folder_either_way(tmp_path, command):
    write_catalogue(tmp_path)
    tail = ("--as-of", "2026-11-29") if command == "check" else ()
    positional = run_cli(tmp_path, command, CATALOGUE, *tail)
    # check finds two warnings in this catalogue (exit 1); what matters is that all three agree
    assert positional.returncode == (1 if command == "check" else 0) and positional.stdout, positional.stderr
    for argv in ([command, "--catalogue", CATALOGUE, *tail], [command, CATALOGUE, "--catalogue", CATALOGUE, *tail]):
        proc = run_cli(tmp_path, *argv)
        assert (proc.returncode, proc.stdout, proc.stderr) == (positional.returncode, positional.stdout, "")


@pytest.mark.parametrize("command", ["validate", "check"])
def test_two_different_folders_are_a_usage_error(tmp_path, command):
    proc = run_cli(tmp_path, command, "one", "--catalogue", "two")
    assert proc.returncode == 2 and proc.stdout == ""
    assert (
        f"service-catalogue {command}: error: argument --catalogue: the catalogue folder is given twice, "
        "as 'one' and 'two': give it once"
    ) in proc.stderr
    assert proc.stderr.startswith(f"usage: service-catalogue {command}")


def test_the_default_folder_is_catalogue_for_every_command():
    for argv in (["validate"], ["check"], ["new", "Service", "x"], ["render", "out"]):
        assert arguments.options(parse(*argv)).catalogue == Path("catalogue")
    assert parse("diff", "main").catalogue == "catalogue"


# --------------------------------------------------------------------------
# One Options, filled the same way by render, check and the plugin


def test_render_fills_every_option_it_is_given():
    args = parse("render", "out", "--catalogue", "records", "--section", "docs/catalogue", "--as-of", "2026-01-02",
                 "--templates", "mine", "--disable", "term.ending-soon,term.review-overdue",
                 "--disable", "orphan.party-unreferenced", "--ending-days", "30", "--allow-raw-html",
                 "--max-file-size", "2MiB")
    assert arguments.options(args) == Options(
        catalogue=Path("records"),
        as_of=dt.date(2026, 1, 2),
        section="docs/catalogue",
        templates=Path("mine"),
        ending_days=30,
        disabled_rules=frozenset({"term.ending-soon", "term.review-overdue", "orphan.party-unreferenced"}),
        allow_raw_html=True,
        max_file_size=2 * 1024 * 1024,
    )


def test_check_fills_the_options_it_shares_with_render():
    args = parse("check", "--catalogue", "records", "--as-of", "2026-01-02", "--disable", "term.ending-soon",
                 "--ending-days", "30", "--max-file-size", "2MiB")
    assert arguments.options(args) == Options(
        catalogue=Path("records"), as_of=dt.date(2026, 1, 2), ending_days=30,
        disabled_rules=frozenset({"term.ending-soon"}), max_file_size=2 * 1024 * 1024,
    )


def test_render_takes_every_option_of_the_plugin_that_makes_pages():
    from service_catalogue.mkdocs_plugin.config import ServiceCatalogueConfig

    fields = {field.name for field in dataclasses.fields(Options)}
    plugin = {name for name, _ in ServiceCatalogueConfig._schema} & fields
    # glossary_links is applied by the plugin to the HTML that MkDocs makes; render writes Markdown.
    assert plugin - {"glossary_links"} == dests(subparsers()["render"]) & fields
    # check reads what the service level checks read.
    assert dests(subparsers()["check"]) & fields == {"catalogue", "as_of", "disabled_rules", "ending_days", "max_file_size"}


# --------------------------------------------------------------------------
# render's new options


def test_render_disable_switches_a_rule_off_on_the_health_page(tmp_path):
    write_catalogue(tmp_path)
    assert run_cli(tmp_path, *RENDER).returncode == 0
    health = (tmp_path / "out/catalogue/health.md").read_text("utf-8")
    assert "| <code>term.ending-soon</code> | Agreement ending soon | switched off |" not in health
    proc = run_cli(tmp_path, *RENDER, "--disable", "term.ending-soon", "--disable", "orphan.party-unreferenced,term.review-overdue")
    assert proc.returncode == 0, proc.stderr
    health = (tmp_path / "out/catalogue/health.md").read_text("utf-8")
    switched_off = [line.split("</code>")[0].split("<code>")[1] for line in health.splitlines() if line.endswith("| switched off |")]
    assert switched_off and sorted(switched_off) == ["orphan.party-unreferenced", "term.ending-soon", "term.review-overdue"]


def test_render_refuses_an_unknown_rule_and_writes_nothing(tmp_path):
    write_catalogue(tmp_path)
    proc = run_cli(tmp_path, *RENDER, "--disable", "term.ending-sooon")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("service-catalogue render: unknown rule id `term.ending-sooon`: did you mean `term.ending-soon`?")
    assert not (tmp_path / "out").exists()


def test_render_ending_days_sets_the_window(tmp_path):
    write_catalogue(tmp_path)  # the SLA ends on 2026-12-31: 32 days after 2026-11-29
    index = tmp_path / "out/catalogue/agreements/index.md"
    assert run_cli(tmp_path, *RENDER).returncode == 0
    assert "ending within 90 days of 2026-11-29" in index.read_text("utf-8")
    page = tmp_path / "out/catalogue/agreements/sla-email.md"
    assert "sc-badge--ending" in page.read_text("utf-8")
    assert run_cli(tmp_path, *RENDER, "--ending-days", "10").returncode == 0
    assert "ending within 10 days of 2026-11-29" in index.read_text("utf-8")
    assert "sc-badge--ending" not in page.read_text("utf-8")
    proc = run_cli(tmp_path, *RENDER, "--ending-days", "soon")
    assert proc.returncode == 2 and "argument --ending-days: expected a whole number of days" in proc.stderr


def test_render_allow_raw_html_passes_html_through(tmp_path):
    service = replace(SERVICE, "owner: it-services\n", 'owner: it-services\ndescription: Press <span onclick="go()">here</span>.\n')
    write_catalogue(tmp_path, {"services/email.yaml": service})
    page = tmp_path / "out/catalogue/services/email.md"
    assert run_cli(tmp_path, *RENDER).returncode == 0
    assert "here" in page.read_text("utf-8") and "onclick" not in page.read_text("utf-8")
    assert run_cli(tmp_path, *RENDER, "--allow-raw-html").returncode == 0
    assert '<span onclick="go()">here</span>' in page.read_text("utf-8")


# --------------------------------------------------------------------------
# --max-file-size in render, check and diff, as in validate


def _limit_line(size: int) -> str:
    return f"catalogue/services/email.yaml:1:1: error: the file is {size:,} bytes, over the limit of 200 [limit.file-size]"


@pytest.mark.parametrize("command", [
    ("validate", CATALOGUE),
    ("check", CATALOGUE, "--as-of", "2026-11-29"),
    ("render", "out", "--catalogue", CATALOGUE),
    ("diff", CATALOGUE, CATALOGUE),
], ids=lambda command: command[0])
def test_max_file_size(tmp_path, command):
    root = write_catalogue(tmp_path)
    size = (root / "services/email.yaml").stat().st_size
    assert size > 200 and all(path.stat().st_size <= 1024 for path in root.rglob("*.yaml"))
    accepted = run_cli(tmp_path, *command, "--max-file-size", "1KiB")
    # check reports two warnings of this catalogue (exit 1), but no file is refused
    assert accepted.returncode == (1 if command[0] == "check" else 0) and "limit.file-size" not in accepted.stdout
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    proc = run_cli(tmp_path, *command, "--max-file-size", "200")
    assert proc.returncode == 1
    assert _limit_line(size) in proc.stdout.splitlines()
    assert not (tmp_path / "out").exists()
