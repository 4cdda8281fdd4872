"""The tables that replace if-chains: schema keyword explainers, YAML hints, the registry
of consistency checks, the analysis rules registered with their ids, and the one Rule
vocabulary both rule engines share; and the Problem's structured suggestion."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from helpers.catalogue_builder import run_cli
from service_catalogue import rulebook
from service_catalogue.analysis import rules as analysis_rules
from service_catalogue.diff import rules as diff_rules
from service_catalogue.model import Catalogue
from service_catalogue.options import Options
from service_catalogue.site import SiteRenderer
from service_catalogue.validation import checks, yaml_hints
from service_catalogue.validation.folder import validate_folder
from service_catalogue.validation.loader import read_text
from service_catalogue.report import writer
from service_catalogue.validation.problems import Location, Problem
from service_catalogue.validation.schemas import EXPLAINERS, _without_echoes, load_schemas, schema_set

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 29)

# Keywords of our schemas that never fail themselves: annotations (the language servers'
# patternErrorMessage and errorMessage among them), and applicators that
# only pass on the errors of their subschemas (the error names the subschema's keyword).
ANNOTATIONS = {"$id", "$schema", "$defs", "description", "title", "patternErrorMessage", "errorMessage"}
PASS_THROUGH = {"$ref", "allOf", "if", "then", "else", "items", "properties"}


def _keywords(node, found: set) -> set:
    if isinstance(node, dict):
        for key, sub in node.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for schema in sub.values():
                    _keywords(schema, found)
            else:
                _keywords(sub, found)
    elif isinstance(node, list):
        for sub in node:
            _keywords(sub, found)
    return found


# ---------------------------------------------------------------------------
# Schema keywords


def test_every_keyword_our_schemas_can_fail_on_has_an_explainer():
    used = _keywords(list(load_schemas().values()), set())
    failing = used - ANNOTATIONS - PASS_THROUGH
    assert failing, used
    assert failing <= set(EXPLAINERS), sorted(failing - set(EXPLAINERS))
    # The lists above name real keywords, and so does the table (`if` applies then and else).
    known = set(Draft202012Validator.VALIDATORS) | ANNOTATIONS | {"then", "else"}
    assert PASS_THROUGH <= known
    assert {k for k in EXPLAINERS if k not in (None, "false")} <= known


def _record(text: str):
    result = read_text(text, "services/x.yaml", Path("services/x.yaml"))
    assert not result.problems, result.problems
    return result.records[0]


def test_a_keyword_without_a_row_is_said_in_jsonschemas_words(monkeypatch):
    record = _record("apiVersion: catalogue/v1\nkind: Party\nid: it\ntitle: IT\ntype: departmnt\n")
    monkeypatch.delitem(EXPLAINERS, "enum")
    [problem] = schema_set().problems(record)
    assert (problem.code, problem.field) == ("schema.enum", "type")
    assert problem.message.startswith("'departmnt' is not one of [")


# ---------------------------------------------------------------------------
# The structured suggestion


def test_a_did_you_mean_sets_the_suggestion():
    record = _record("apiVersion: catalogue/v1\nkind: Party\nid: it\ntitle: IT\ntype: departmnt\n")
    [problem] = schema_set().problems(record)
    assert (problem.hint, problem.suggestion) == ("did you mean `department`?", "department")
    record = _record("apiVersion: catalogue/v1\nkind: Party\nid: it\ntitl: IT\ntype: department\n")
    [problem] = schema_set().problems(record)  # the missing `title` is the unknown key's echo
    assert (problem.code, problem.suggestion) == ("schema.unknown-field", "title")
    record = _record("apiVersion: catalogue/v1\nkind: Party\nid: IT Services\ntitle: IT\ntype: department\n")
    [problem] = schema_set().problems(record)
    assert (problem.hint, problem.suggestion) == ("for example `it-services`", "it-services")


def test_echoes_are_found_by_the_suggestion_not_the_hint_words():
    at = Location("x.yaml", 3, 1)
    unknown = Problem(at, "schema.unknown-field", "unknown field `resolutoin`", field="priorities[0].resolutoin",
                      hint="any words at all", suggestion="resolution")
    missing = Problem(at, "schema.required", "missing required field `resolution`", field="priorities[0].resolution")
    assert _without_echoes([unknown, missing]) == [unknown]
    worded = Problem(at, "schema.unknown-field", "unknown field `resolutoin`", field="priorities[0].resolutoin",
                     hint="did you mean `resolution`?")  # no suggestion: the words are not read back
    assert _without_echoes([worded, missing]) == [worded, missing]


def test_the_json_report_keeps_its_fields():
    problem = Problem(Location("x.yaml"), "schema.enum", "m", hint="did you mean `a`?", suggestion="a")
    [reported] = json.loads(writer("json", "problems").problems([problem]))["problems"]
    assert sorted(reported) == ["code", "column", "field", "file", "hint", "line", "message", "record", "related", "severity"]


# ---------------------------------------------------------------------------
# YAML hints

# (YAML text, the parser, the row that explains it): libyaml's, as the loader reads,
# and PyYAML's own, whose words for some mistakes are its own.
YAML_CASES = [
    ("kind: Service\n\tid: x\n", yaml.CSafeLoader, 0),
    ("kind: Service\ntitle: Email: staff\n", yaml.CSafeLoader, 1),
    ("kind: Service\ntitle\nid: x\n", yaml.CSafeLoader, 2),
    ("? a\n: b\n: c\n", yaml.CSafeLoader, 3),
    ("? a\n: b\n: c\n", yaml.SafeLoader, 3),
    ("a:\n  - 1\n  b: 2\n", yaml.CSafeLoader, 4),
    ("title: @home\n", yaml.SafeLoader, 5),
    ("title: *nothing\n", yaml.SafeLoader, 6),
    ("a: 'x\n", yaml.CSafeLoader, 7),
    ("a: [1, 2\nb: 3\n", yaml.CSafeLoader, 10),
]


@pytest.mark.parametrize(("text", "loader", "row"), YAML_CASES)
def test_yaml_hint_rows(text, loader, row):
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.load(text, Loader=loader)
    problem = yaml_hints.syntax_problem(caught.value, "x.yaml", text)
    hint = yaml_hints.SYNTAX_HINTS[row]
    assert problem.hint == hint.hint
    assert problem.message == hint.message.replace("{character}", "@")


def test_the_first_matching_row_speaks():
    # A tab in the indentation is said even when the parser's words fit a later row.
    message, _hint = yaml_hints._explain("mapping values are not allowed here", "", "\tid: x", 1)
    assert message == "a tab character is used for indentation"
    message, hint = yaml_hints._explain("found nothing we know", "while doing a thing", "x", 1)
    assert (message, hint) == (
        "YAML syntax error: found nothing we know (while doing a thing)",
        "check the indentation and quoting near this place",
    )


# ---------------------------------------------------------------------------
# The registry of consistency checks


def test_every_check_is_registered_once():
    registered = checks.RECORD_CHECKS + checks.CATALOGUE_CHECKS
    assert len(registered) == len(set(registered))
    defined = {
        function for name, function in inspect.getmembers(checks, inspect.isfunction)
        if name.startswith("check_") and function.__module__ == checks.__name__ and name != "check_records"
    }
    assert defined == set(registered)


def test_check_records_runs_the_registry(monkeypatch):
    result = validate_folder(REPO / "catalogue")
    seen = []

    def spy(record, scope):
        seen.append(record.id)
        return [Problem(record.location(), "test.spy", "seen")]

    monkeypatch.setattr(checks, "RECORD_CHECKS", [*checks.RECORD_CHECKS, spy])
    problems = checks.check_records(result.records, result.records)
    assert seen == [r.id for r in result.records]
    assert sum(p.code == "test.spy" for p in problems) == len(result.records)


# ---------------------------------------------------------------------------
# Analysis rules, registered with their ids


def test_rule_ids_are_unique_and_registering_one_twice_fails():
    ids = list(analysis_rules.RULES)
    assert len(ids) == len(set(ids)) == 18
    with pytest.raises(ValueError, match="registered twice"):
        analysis_rules.rule("term.ending-soon", "Again", "Why.")(lambda catalogue, options, finding: ())
    assert analysis_rules.RULES["term.ending-soon"].summary == "Ending soon"


def test_no_check_spells_its_rule_id():
    tree = ast.parse(inspect.getsource(analysis_rules))
    calls = [node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    assert "finding" in calls and "Finding" not in calls
    literals = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    for rule_id in analysis_rules.RULES:  # each id appears once: in its registration
        assert sum(rule_id == text for text in literals) == 1, rule_id
        assert inspect.getsource(analysis_rules).count(f'"{rule_id}"') == 1, rule_id


@pytest.fixture(scope="module")
def example():
    result = validate_folder(REPO / "catalogue")
    assert result.ok
    return Catalogue(result.records)


def test_a_findings_rule_is_its_registration(example):
    options = Options(as_of=AS_OF)
    fired = set()
    for rule_id, rule in analysis_rules.RULES.items():
        for finding in rule.findings(example, options):
            assert finding.rule == rule_id
            fired.add(rule_id)
    assert len(fired) >= 4, fired  # the example catalogue triggers rules on purpose
    assert sorted(analysis_rules.run_rules(example, options), key=lambda f: f.rule) == sorted(
        analysis_rules.analyse(example, as_of=AS_OF), key=lambda f: f.rule
    )


def test_every_rule_is_on_the_health_page(example):
    findings = analysis_rules.run_rules(example, Options(as_of=AS_OF))
    pages = {p.path: p.markdown for p in SiteRenderer(Options(as_of=AS_OF)).pages(example, findings=findings)}
    health = pages["catalogue/health.md"]
    for rule in analysis_rules.RULES.values():
        assert f"<code>{rule.id}</code> | {rule.summary} |" in health, rule.id
    for rule_id in {f.rule for f in findings}:
        assert f"{{ #{analysis_rules.RULES[rule_id].anchor} }}" in health


# ---------------------------------------------------------------------------
# One Rule vocabulary


def test_both_engines_rules_are_one_kind_of_rule():
    every = [*analysis_rules.RULES.values(), *diff_rules.RULES]
    assert all(isinstance(rule, rulebook.Rule) for rule in every)
    assert all(rule.id and rule.summary for rule in every)
    assert analysis_rules.RULES["term.ending-soon"].anchor == "term-ending-soon"
    assert diff_rules.RULES[0].anchor == "availability-target"


def test_the_command_line_lists_rules_by_id_and_summary(tmp_path):
    listed = run_cli(tmp_path, "check", "--list-rules").stdout
    for rule in analysis_rules.RULES.values():
        assert f"{rule.id}\n    {rule.summary}. {rule.why}\n" in listed
    helped = run_cli(tmp_path, "diff", "--help", env={"COLUMNS": "200"}).stdout
    for rule in diff_rules.RULES:
        assert rule.id in helped and rule.summary in " ".join(helped.split()), rule.id
