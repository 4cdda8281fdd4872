"""One root exception, ServiceCatalogueError, and each adapter translating it once: the
command line into a message and its exit code, the MkDocs plugin into a PluginError."""

from __future__ import annotations

import contextlib
import inspect
import io
import json

import pytest
from mkdocs.exceptions import PluginError

from helpers.catalogue_builder import SERVICE, replace, run_cli, write_catalogue
from helpers.inprocess_build import build_in_process
from service_catalogue import errors
from service_catalogue.cli.console import EXIT_BY_ERROR, EXIT_PROBLEMS, EXIT_USAGE, report_error
from service_catalogue.errors import (
    DiffSourceError,
    ExportError,
    FinishError,
    InvalidCatalogueError,
    RenderError,
    ReportInputError,
    ServiceCatalogueError,
    UnknownFormatError,
    UnknownRuleError,
)
from service_catalogue.mkdocs_plugin.plugin import core_errors
from service_catalogue.report import writer
from service_catalogue.validation.problems import Location, Problem

from helpers.site_build import MARKDOWN_EXTENSIONS_YML

AS_OF = "2026-11-29"
BROKEN = {"services/email.yaml": replace(SERVICE, "title: Email", "title: 42")}
PROBLEM = Problem(Location("catalogue/x.yaml", 3, 8), "schema.type", "expected text", field="title")

ERROR_CLASSES = [
    value for _name, value in inspect.getmembers(errors, inspect.isclass)
    if issubclass(value, Exception) and value.__module__ == errors.__name__
]
SUBCLASSES = [cls for cls in ERROR_CLASSES if cls is not ServiceCatalogueError]
EXAMPLES = {
    InvalidCatalogueError: InvalidCatalogueError([PROBLEM], 4),
    UnknownRuleError: UnknownRuleError("no.such-rule", "the rules are: a, b"),
    UnknownFormatError: UnknownFormatError("yaml", "problems", ["text", "json"]),
    DiffSourceError: DiffSourceError("'v9' is not a folder or a git revision"),
    RenderError: RenderError("the template pages/service.md.j2 is broken: x"),
    ExportError: ExportError("catalogue.json cannot be written as JSON: y"),
    FinishError: FinishError("site has no page of the catalogue: expected catalogue/health/index.html"),
    ReportInputError: ReportInputError(["reports.tickets[0].preset: unknown preset `jira`", "reports.outage: not an option"]),
}


def test_every_error_of_the_core_is_a_service_catalogue_error():
    assert set(SUBCLASSES) == set(EXAMPLES), "a new error needs an example here"
    for cls in SUBCLASSES:
        assert issubclass(cls, ServiceCatalogueError), cls
    assert ServiceCatalogueError.__bases__ == (Exception,)


def test_the_errors_that_were_value_errors_still_are():
    """Callers that caught ValueError (check_rule_ids, the exports) still catch them."""
    for cls in (UnknownRuleError, ExportError, UnknownFormatError):
        assert issubclass(cls, ValueError)


def test_the_core_raises_the_errors_of_errors_py():
    from service_catalogue.analysis import UnknownRuleError as from_analysis
    from service_catalogue.analysis.rules import check_rule_ids
    from service_catalogue.site.exports import ExportError as from_exports
    from service_catalogue.site.pages import RenderError as from_pages

    assert (from_analysis, from_exports, from_pages) == (UnknownRuleError, ExportError, RenderError)
    with pytest.raises(UnknownRuleError) as raised:
        check_rule_ids(["term.review-overdu"])
    assert raised.value.rule_id == "term.review-overdu"
    assert str(raised.value) == "unknown rule id `term.review-overdu`: did you mean `term.review-overdue`?"


def test_an_invalid_catalogue_is_raised_by_the_pipeline_with_every_problem(tmp_path):
    from service_catalogue import pipeline
    from service_catalogue.options import Options

    run = pipeline.prepare(Options(catalogue=write_catalogue(tmp_path, BROKEN)))
    with pytest.raises(InvalidCatalogueError) as raised:
        run.require_valid()
    assert raised.value.problems == run.validation.problems and raised.value.problems
    assert raised.value.records == run.validation.total == 6
    assert str(raised.value) == "the catalogue is invalid"


def test_a_valid_run_gives_its_catalogue(tmp_path):
    from service_catalogue import pipeline
    from service_catalogue.options import Options

    run = pipeline.prepare(Options(catalogue=write_catalogue(tmp_path)))
    assert run.require_valid() is run.catalogue is not None


# --------------------------------------------------------------------------
# The command line: console.report_error, for every command


def _reported(command: str, error: ServiceCatalogueError, output_format: str = "text") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = report_error(command, error, output_format)
    return code, out.getvalue(), err.getvalue()


def test_every_error_has_an_exit_code():
    assert set(EXIT_BY_ERROR) == set(SUBCLASSES)


@pytest.mark.parametrize("cls", [cls for cls in EXAMPLES if cls not in (InvalidCatalogueError, ReportInputError)],
                         ids=lambda cls: cls.__name__)
def test_the_command_line_shows_an_error_once_on_stderr_after_the_command(cls):
    code, out, err = _reported("check", EXAMPLES[cls])
    expected = EXIT_USAGE if cls in (UnknownRuleError, UnknownFormatError, DiffSourceError) else EXIT_PROBLEMS
    assert (code, out) == (expected, "")
    assert err == f"service-catalogue check: {EXAMPLES[cls]}\n"


def test_the_command_line_shows_each_mistake_of_the_report_inputs_on_a_line_of_its_own():
    code, out, err = _reported("report", EXAMPLES[ReportInputError])
    assert (code, out) == (EXIT_PROBLEMS, "")
    assert err == ("service-catalogue report: the report is not made:\n"
                   "  reports.tickets[0].preset: unknown preset `jira`\n  reports.outage: not an option\n")


def test_the_command_line_escapes_control_characters_of_what_was_typed():
    code, _out, err = _reported("diff", DiffSourceError("'a\x1b[2Jb' is not a folder or a git revision"))
    assert code == EXIT_USAGE
    assert err == "service-catalogue diff: 'a\\x1b[2Jb' is not a folder or a git revision\n"


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_the_command_line_writes_an_invalid_catalogue_as_validate_in_the_format(output_format):
    code, out, err = _reported("check", EXAMPLES[InvalidCatalogueError], output_format)
    assert (code, err) == (EXIT_PROBLEMS, "")
    assert out == writer(output_format, "problems").problems([PROBLEM], 4) + "\n"


def test_a_format_that_writes_no_problems_gets_them_as_text():
    code, out, _err = _reported("diff", EXAMPLES[InvalidCatalogueError], "markdown")
    assert code == EXIT_PROBLEMS
    assert out == writer("text", "problems").problems([PROBLEM], 4) + "\n"


@pytest.mark.parametrize("command", ["check", "render"])
def test_an_unknown_rule_ends_check_and_render_with_a_usage_error(tmp_path, command):
    write_catalogue(tmp_path)
    args = ["check", "catalogue"] if command == "check" else ["render", "out", "--catalogue", "catalogue"]
    result = run_cli(tmp_path, *args, "--as-of", AS_OF, "--disable", "no.such-rule")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"service-catalogue {command}: unknown rule id `no.such-rule`: ")
    assert result.stderr.count("unknown rule id") == 1 and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "output_format"), [
    (["check", "catalogue", "--as-of", AS_OF], "text"),
    (["check", "catalogue", "--as-of", AS_OF, "--format", "json"], "json"),
    (["check", "catalogue", "--as-of", AS_OF, "--format", "github"], "github"),
    (["render", "out", "--catalogue", "catalogue", "--as-of", AS_OF], "text"),
])
def test_an_invalid_catalogue_ends_check_and_render_with_its_problems(tmp_path, args, output_format):
    write_catalogue(tmp_path, BROKEN)
    result = run_cli(tmp_path, *args)
    assert (result.returncode, result.stderr) == (1, "")
    validate = run_cli(tmp_path, "validate", "catalogue", "--format", output_format)
    assert result.stdout == validate.stdout
    if output_format == "json":
        assert json.loads(result.stdout)["valid"] is False
    assert not (tmp_path / "out").exists()


def test_a_diff_source_that_is_nothing_is_a_usage_error(tmp_path):
    write_catalogue(tmp_path)
    result = run_cli(tmp_path, "diff", "no-such-folder", "catalogue")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("service-catalogue diff: ") and result.stderr.count("service-catalogue diff:") == 1


def test_a_broken_template_ends_render_with_its_message(tmp_path):
    write_catalogue(tmp_path)
    (tmp_path / "templates" / "pages").mkdir(parents=True)
    (tmp_path / "templates" / "pages" / "service.md.j2").write_text("{% if %}\n", "utf-8")
    result = run_cli(tmp_path, "render", "out", "--catalogue", "catalogue", "--templates", "templates", "--as-of", AS_OF)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("service-catalogue render: the template pages/service.md.j2 is broken: ")
    assert result.stderr.count("service-catalogue render:") == 1
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------
# The MkDocs plugin: plugin.core_errors, for every event


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda cls: cls.__name__)
def test_the_plugin_turns_each_error_into_one_plugin_error(cls):
    error = EXAMPLES[cls]
    with pytest.raises(PluginError) as raised:
        with core_errors():
            raise error
    if cls is InvalidCatalogueError:
        assert str(raised.value) == "service-catalogue: the catalogue is invalid\n" + writer("text", "problems").problems([PROBLEM], 4)
    else:
        assert str(raised.value) == f"service-catalogue: {error}"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_the_plugin_lets_other_errors_through():
    with pytest.raises(KeyError):
        with core_errors():
            raise KeyError("not the core's")


def _site(tmp_path, catalogue_files: dict | None = None, options: str = ""):
    project = tmp_path / "project"
    write_catalogue(project, catalogue_files)
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n", "utf-8")
    (project / "mkdocs.yml").write_text(
        f'site_name: Errors\nplugins:\n  - service-catalogue:\n      as_of: "{AS_OF}"\n{options}' + MARKDOWN_EXTENSIONS_YML,
        encoding="utf-8",
    )
    return project


def test_an_invalid_catalogue_fails_the_build_once_with_every_problem(tmp_path, monkeypatch):
    project = _site(tmp_path, BROKEN)
    monkeypatch.chdir(project)
    built, messages = build_in_process(project, tmp_path / "site")
    assert not built
    validate = run_cli(project, "validate", "catalogue")
    failures = [m for m in messages if "the catalogue is invalid" in m]
    assert len(failures) == 1, messages
    for line in validate.stdout.splitlines():
        assert line in failures[0].splitlines()
    assert not (tmp_path / "site").exists()


def test_a_broken_template_fails_the_build_once(tmp_path, monkeypatch):
    project = _site(tmp_path, options="      templates: templates\n")
    (project / "templates" / "pages").mkdir(parents=True)
    (project / "templates" / "pages" / "service.md.j2").write_text("{% if %}\n", "utf-8")
    monkeypatch.chdir(project)
    built, messages = build_in_process(project, tmp_path / "site")
    assert not built
    failures = [m for m in messages if "service-catalogue: the template pages/service.md.j2 is broken: " in m]
    assert len(failures) == 1, messages
