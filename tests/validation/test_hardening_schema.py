"""Hardening, round two: what the schemas and the cross-record checks refuse.

- control characters: every single-line field (ids, titles, names, tags, emails,
  addresses, ...) refuses the Cc characters, the line and paragraph separators and
  the bidi controls; Markdown fields refuse the Cc characters but TAB, LF and CR.
  The message names the character and its place in the value;
- a final line break passes no pattern: Python (jsonschema), Rust (jsonschema-rs,
  the fast path) and ECMA-262 (editors, check-jsonschema) agree on every pattern;
- reserved ids: `index` (a section's index page) and the Windows device names;
- durations: at most six digits before the point in the schema (nothing becomes
  infinite), and at most a year in the checks;
- the fast path never says "valid" where the reference validator does not
  (a differential test over generated values, dates and formats included);
- cycles of `underpinned_by` and `supersedes` are errors; a cycle is reported
  once per group of records that depend on each other, in bounded words;
- a calendar that covers no time is an error;
- "did you mean" for N missing references compares each with a few candidates,
  not with every id of its kind (counted, at two sizes).
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
import regress
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError
from jsonschema import validators as jsonschema_validators
from referencing import Registry, Resource

from helpers.catalogue_builder import (
    AGREEMENT,
    CALENDAR,
    SERVICE,
    Mistake,
    dedent,
    expect_invalid,
    expect_mistake,
    expect_problem,
    json_report,
    mistakes,
    problem_lines,
    replace,
    validate,
    write_catalogue,
)
from service_catalogue.validation import checks
from service_catalogue.validation.folder import validate_folder
from service_catalogue.validation.loader import Record
from service_catalogue.fields import format_path
from service_catalogue.validation.references import walk
from service_catalogue.validation.schemas import KIND_FILES, _python_patterns, load_schemas, schema_set
from service_catalogue.timeplan import Duration

jsonschema_rs = pytest.importorskip("jsonschema_rs")

SVC = "catalogue/services/email.yaml"
SLA = "catalogue/agreements/sla-email.yaml"
CAL = "catalogue/calendars/business-hours.yaml"

# Decision 1: what a single-line field refuses, and what a Markdown field refuses.
SINGLE_LINE_REFUSED = (
    {chr(c) for c in range(0x20)}
    | {chr(c) for c in range(0x7F, 0xA0)}
    | {"\u2028", "\u2029"}
    | {chr(c) for c in range(0x202A, 0x202F)}
    | {chr(c) for c in range(0x2066, 0x206A)}
)
MARKDOWN_REFUSED = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {chr(c) for c in range(0x7F, 0xA0)}
# Plain text that may span lines (a sentence of a list): what Markdown refuses, and the bidi controls.
TEXT_REFUSED = MARKDOWN_REFUSED | {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)}

# The Unicode names (or, for controls, their name aliases) the messages use.
NAMES = {
    "\x00": "NULL",
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE",
    "\x9b": "CONTROL SEQUENCE INTRODUCER",
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


# --------------------------------------------------------------------------
# A record of each kind with every field the schema knows, valid as it stands.

COMMON = {
    "summary": "One line.",
    "description": "Some *Markdown*.\n\nA second paragraph.\n",
    "tags": ["email", "end-user"],
    "links": [{"title": "Help", "url": "https://help.example.org/email"}],
}
CONTACT = {"name": "Jo Bloggs", "role": "Service owner", "email": "jo@example.org", "phone": "+44 1234 567890"}
RICH = {
    "Service": {
        "apiVersion": "catalogue/v1", "kind": "Service", "id": "email", "title": "Email", **COMMON,
        "type": "customer-facing", "status": "live", "criticality": "high", "category": "Workplace", "owner": "it-services",
        "contacts": [CONTACT], "consumers": ["all-staff"],
        "offerings": [{"id": "standard", "title": "Standard mailbox", "description": "A *mailbox*.", "agreement": "sla-email"}],
        "requests": [{"id": "mailbox", "title": "New mailbox", "description": "Ask for one.", "fulfilment": "1d", "approval": False}],
        "support": {"hours": "business-hours", "channels": [{"type": "email", "contact": "help@example.org"}]},
        "depends_on": [{"service": "storage", "criticality": "hard", "note": "Mailboxes live there."}],
        "cost": {"model": "chargeback", "amount": 2.5, "currency": "GBP", "per": "user per month"},
        "available_from": "2020-01-01", "retired_on": "2030-12-31",
    },
    "Agreement": {
        "apiVersion": "catalogue/v1", "kind": "Agreement", "id": "sla-email", "title": "Email for staff", **COMMON,
        "type": "SLA", "status": "active", "version": "1.2", "revised": "2026-01-05", "provider": "it-services", "customer": "all-staff",
        "services": ["email"], "period": {"start": "2026-01-01", "end": "2026-12-31"},
        "owner": {"name": "Jo Bloggs", "role": "Service level manager", "email": "jo@example.org"},
        "review": {"frequency": "annual", "last": "2026-01-10", "next": "2027-01-10", "triggers": ["A new mail platform."]},
        "objectives": ["Keep mail flowing."], "scope": "All *staff* mailboxes.",
        "stakeholders": [{"name": "Jo Bloggs", "role": "Customer", "party": "all-staff"}],
        "requirements": {"customer": ["Report problems."], "provider": ["Answer quickly."]},
        "assumptions": ["The network works."], "exclusions": ["Personal devices."],
        "definitions": [{"term": "Business day", "definition": "Monday to *Friday*."}],
        "hours": "business-hours",
        "availability": {"target": 99.9, "window": "month", "maintenance": "Sundays 06:00 to 08:00.", "maintenance_windows": [
            {"title": "Patching", "days": ["sun"], "from": "06:00", "to": "08:00", "notice": "5d"}]},
        "priorities": [{"id": "P1", "title": "Critical", "description": "Nobody can send mail.", "examples": ["The mail server is down."],
                        "response": "15m", "resolution": "4h", "hours": "always-on", "applies_to": "incidents"}],
        "metrics": [{"id": "RPO", "title": "Recovery point objective", "target": 4, "unit": "h", "direction": "at-most", "window": "month"},
                    {"id": "restore", "title": "Mailbox restore", "target": "2d", "direction": "at-most", "hours": "business-hours",
                     "description": "From the *request* to the restored mailbox."},
                    {"id": "api", "title": "API success rate", "target": 99.5, "unit": "%", "direction": "at-least"}],
        "reporting": {"frequency": "monthly", "recipients": ["all-staff"], "contents": ["Availability per month."]},
        "clock_stops": [{"id": "reply", "when": "Awaiting the customer's reply.", "applies_to": ["resolution"]}],
        "escalation": [{"level": 1, "contact": "Duty manager", "party": "it-services", "after": "4h"}],
        "service_credits": [{"condition": "Availability below 99.5% in a month.", "credit": "5% of the monthly fee."},
                            {"below": 99, "metric": "api", "percent": 10}],
        "service_credit_terms": {"of": "the monthly fee", "cap_percent": 50, "claim_within_days": 30,
                                 "remedy": "Credit, not cash.", "notes": ["Claim in writing."]},
        "underpinned_by": ["ola-mail-platform"], "supersedes": "sla-email-2025",
        "references": [{"title": "Policy", "url": "https://example.org/policy", "agreement": "ola-mail-platform", "document": "POL-1"}],
        "approvals": [{"name": "Jo Bloggs", "role": "Director", "party": "it-services", "date": "2026-01-02"}],
    },
    "Party": {
        "apiVersion": "catalogue/v1", "kind": "Party", "id": "it-services", "title": "IT Services", **COMMON,
        "type": "department", "parent": "university", "contacts": [CONTACT], "email": "it@example.org",
        "url": "mailto:it@example.org",
    },
    "Calendar": {
        "apiVersion": "catalogue/v1", "kind": "Calendar", "id": "business-hours", "title": "Business hours", **COMMON,
        "timezone": "Europe/London", "weekly": [{"days": ["mon", "tue"], "from": "08:00", "to": "18:00"}],
        "holidays": [{"date": "2026-12-25", "title": "Christmas Day", "recurring": True}],
        "holidays_from": ["bank-holidays"],
    },
    "Term": {
        "apiVersion": "catalogue/v1", "kind": "Term", "id": "service-level-agreement", "title": "Service level agreement",
        **COMMON, "abbreviation": "SLA", "aliases": ["SLAs"], "definition": "An *agreement*.",
        "see_also": ["operational-level-agreement"], "source": "ITIL 4",
    },
}


def record_of(data: dict, name: str = "r.yaml") -> Record:
    return Record(data, name, Path(name), 0, {})


def _resolve(node: dict, base: str = "defs.json") -> tuple[dict, str]:
    """A schema node with its $refs followed (into defs.json), and the outermost def's name."""
    schemas = load_schemas()
    name = ""
    while isinstance(node, dict) and "$ref" in node:
        file, _, pointer = node["$ref"].partition("#")
        file = file or base
        target = schemas[file]
        for part in pointer.strip("/").split("/"):
            target = target[part]
        name = name or pointer.rsplit("/", 1)[-1]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        base = file
    return node, name


def string_fields(kind: str, also: str = ""):
    """(path pattern such as `offerings[].title`, resolved schema, def name) of every text field,
    and of every field of the definition `also` (which may be text or something else)."""

    def fields(node, prefix):
        for key, sub in (node.get("properties") or {}).items():
            if not isinstance(sub, dict):
                continue  # `false`: a field that may not appear there
            resolved, name = _resolve(sub)
            path = f"{prefix}{key}"
            if resolved.get("type") == "array":
                items, item_name = _resolve(resolved.get("items", {}))
                if items.get("type") == "string":
                    yield f"{path}[]", items, item_name
                elif items.get("type") == "object":
                    yield from fields(items, f"{path}[].")
            elif resolved.get("type") == "object":
                yield from fields(resolved, f"{path}.")
            elif resolved.get("type") == "string" or (also and name == also):
                yield path, resolved, name

    yield from fields(load_schemas()[KIND_FILES[kind]], "")


def free_text_fields():
    """Every text field that is not one of a fixed set of words (an enum or a constant)."""
    return [
        (kind, path, name)
        for kind in RICH
        for path, schema, name in string_fields(kind)
        if "enum" not in schema and "const" not in schema
    ]


FREE_TEXT = free_text_fields()
SINGLE_LINE = [(kind, path, name) for kind, path, name in FREE_TEXT if name not in ("markdown", "plainText")]
MARKDOWN = [(kind, path, name) for kind, path, name in FREE_TEXT if name == "markdown"]
TEXT = [(kind, path, name) for kind, path, name in FREE_TEXT if name == "plainText"]


def _steps(pattern: str) -> list[str]:
    return pattern.replace("[]", ".[]").split(".")


def with_value(kind: str, pattern: str, make) -> tuple[dict, tuple]:
    """The rich record of a kind with the first value at `pattern` replaced by make(old)."""
    data = copy.deepcopy(RICH[kind])
    path, old = next(iter(walk(data, _steps(pattern))))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = make(old)
    return data, path


def verdicts(kind: str, data: dict) -> tuple[bool, bool]:
    """(fast path says valid, reference validator says valid)."""
    schemas = schema_set()
    return schemas.fast[kind].is_valid(data), schemas.validators[kind].is_valid(data)


def test_the_rich_records_are_valid_and_hold_every_text_field():
    for kind, data in RICH.items():
        assert schema_set().problems(record_of(data)) == [], kind
        assert verdicts(kind, data) == (True, True), kind
    # Every text field of every schema is in a rich record: the tests below reach them all.
    missing = [(kind, path) for kind, path, _ in FREE_TEXT if not list(walk(RICH[kind], _steps(path)))]
    assert missing == []
    assert len(SINGLE_LINE) > 80 and len(MARKDOWN) == 11 and len(TEXT) > 10


# --------------------------------------------------------------------------
# 4. Control characters, named and located


def test_control_characters_in_titles_and_headings_are_located_errors(tmp_path):
    service = replace(SERVICE, "title: Email\n", 'title: "Email\\e[31m"\nsummary: "Mail \\u202Eevil"\n')
    service = replace(service, "title: Standard mailbox", 'title: "Standard\\0mailbox"')
    write_catalogue(tmp_path, {"services/email.yaml": service})
    proc = validate(tmp_path)
    expect_invalid(proc, errors=3)
    expect_problem(
        proc,
        f"{SVC}:4:8: error: Service email: title: the title holds the control character U+001B ESCAPE "
        "(character 6) [schema.control-character]",
        "remove it: a control character is invisible, and a terminal or a browser may act on it",
    )
    expect_problem(
        proc,
        f"{SVC}:5:10: error: Service email: summary: the summary holds the bidirectional control "
        "U+202E RIGHT-TO-LEFT OVERRIDE (character 6) [schema.control-character]",
        "remove it: it changes the order in which the text around it is shown, so readers would not see what is written",
    )
    expect_problem(
        proc,
        f"{SVC}:11:12: error: Service email: offerings[0].title: the title holds the control character "
        "U+0000 NULL (character 9) [schema.control-character]",
        "remove it: a control character is invisible, and a terminal or a browser may act on it",
    )


@pytest.mark.parametrize("kind,path,name", SINGLE_LINE, ids=lambda v: str(v))
def test_every_single_line_field_refuses_control_characters_by_name(kind, path, name):
    # In an address, after the scheme: `java\tscript:` is told as a scheme that is not allowed.
    at = len(re.match(r"(https?://|mailto:)?", next(iter(walk(RICH[kind], _steps(path))))[1]).group()) or 1
    for character in ("\x1b", "\t", "\u202e", "\u2028", "\x9b", "\x00"):
        data, where = with_value(kind, path, lambda old: old[:at] + character + old[at:])
        assert verdicts(kind, data) == (False, False), (path, character)
        problems = schema_set().problems(record_of(data))
        assert [p.field for p in problems] == [format_path(where)], (path, character, problems)
        (problem,) = problems
        assert problem.code == "schema.control-character", problem
        assert f"U+{ord(character):04X} {NAMES[character]} (character {at + 1})" in problem.message, problem
        assert problem.hint, problem


END_HINT = "is one line: remove the line break at its end (a YAML block scalar keeps one: write `|-` or `>-`)"
CONTROL_HINT = "remove it: a control character is invisible, and a terminal or a browser may act on it"


@pytest.mark.parametrize(
    "kind,path,value,message,hint",
    [
        ("Party", "title", "IT\tServices", "the title holds the control character U+0009 CHARACTER TABULATION (character 3)",
         "write a space instead of the tab"),
        ("Party", "id", "it\tservices", "the id holds the control character U+0009 CHARACTER TABULATION (character 3)",
         CONTROL_HINT),
        ("Party", "title", "IT\nServices", "the title holds the control character U+000A LINE FEED (character 3)",
         "a title is one line: join the lines"),
        ("Party", "title", "IT Services\n", "the title holds the control character U+000A LINE FEED (character 12)",
         f"a title {END_HINT}"),
        ("Party", "contacts[].name", "Jo\r\n", "the text holds the control character U+000D CARRIAGE RETURN (character 3), and 1 more such character",
         f"this text {END_HINT}"),
        ("Party", "email", "it@exam\u202eple.org",
         "the email address holds the bidirectional control U+202E RIGHT-TO-LEFT OVERRIDE (character 8)",
         "remove it: it changes the order in which the text around it is shown, so readers would not see what is written"),
        ("Party", "description", "a\x0bb", "the text holds the control character U+000B LINE TABULATION (character 2)",
         "write an ordinary line break instead"),
        ("Party", "summary", "a\x1bb\x1bc\x9b", "the summary holds the control character U+001B ESCAPE (character 2), "
         "and 2 more such characters", CONTROL_HINT),
        ("Party", "summary", "a\u2029b", "the summary holds the line break U+2029 PARAGRAPH SEPARATOR (character 2)",
         "a summary is one line: join the lines"),
        ("Party", "url", "java\tscript:alert(1)", 'expected an http, https or mailto address, found the text "java\tscript:alert(1)"',
         "other schemes (javascript:, data:, ftp:, file:) are not allowed"),
    ],
)
def test_the_hint_fits_the_character_and_the_field(kind, path, value, message, hint):
    data, _ = with_value(kind, path, lambda old: value)
    (problem,) = schema_set().problems(record_of(data))
    assert (problem.message, problem.hint) == (message, hint)


@pytest.mark.parametrize("character", sorted(SINGLE_LINE_REFUSED))
def test_a_title_refuses_exactly_decision_1_characters(character):
    data, _ = with_value("Party", "title", lambda old: f"IT{character}Services")
    problems = schema_set().problems(record_of(data))
    assert [p.code for p in problems] == ["schema.control-character"], problems
    name = NAMES.get(character) or unicodedata.name(character, "")
    if name:
        assert f"U+{ord(character):04X} {name} (character 3)" in problems[0].message
    assert unicodedata.lookup(problems[0].message.split(f"U+{ord(character):04X} ")[1].split(" (")[0]) == character


def test_a_title_keeps_every_other_character():
    # Every code point of the Basic Multilingual Plane but decision 1's set and the
    # surrogates passes, in all three engines: no engine refuses more than the others.
    pattern = load_schemas()["defs.json"]["$defs"]["title"]["pattern"]
    rust = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": _python_patterns({"pattern": pattern})["pattern"]})
    ecma = regress.Regex(pattern, flags="u")
    python = re.compile(pattern)
    disagree = []
    for code in [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 257)]:
        character = chr(code)
        text = f"a{character}b"
        expected = character not in SINGLE_LINE_REFUSED
        found = (bool(python.search(text)), rust.is_valid(text), ecma.find(text) is not None)
        if found != (expected,) * 3:
            disagree.append((hex(code), found))
    assert disagree == []


@pytest.mark.parametrize("kind,path,name", MARKDOWN, ids=lambda v: str(v))
def test_markdown_fields_refuse_controls_but_keep_tabs_line_breaks_and_bidi_text(kind, path, name):
    for character in ("\t", "\n", "\r", "\u202e", "\u2028"):
        data, _ = with_value(kind, path, lambda old: old + character + "more" + character)
        assert verdicts(kind, data) == (True, True), (path, character)
        assert schema_set().problems(record_of(data)) == []
    for character in ("\x00", "\x1b", "\x7f", "\x9b", "\x0b"):
        data, where = with_value(kind, path, lambda old: "ab" + character + old)
        assert verdicts(kind, data) == (False, False), (path, character)
        (problem,) = schema_set().problems(record_of(data))
        assert problem.field == format_path(where)
        assert problem.code == "schema.control-character"
        assert f"U+{ord(character):04X} " in problem.message and "(character 3)" in problem.message


@pytest.mark.parametrize("kind,path,name", TEXT, ids=lambda v: str(v))
def test_plain_text_that_may_span_lines_keeps_line_breaks_and_refuses_controls(kind, path, name):
    # A sentence of a list written as a folded block (`>`) keeps a final line break: v1
    # catalogues write them so, and the page folds the lines into one.
    for character in ("\t", "\n", "\r", "\u2028"):
        data, _ = with_value(kind, path, lambda old: old + character + "more" + character)
        assert verdicts(kind, data) == (True, True), (path, character)
        assert schema_set().problems(record_of(data)) == []
    for character in ("\x00", "\x1b", "\x7f", "\x9b", "\x0b", "\u202e", "\u2066"):
        data, where = with_value(kind, path, lambda old: "ab" + character + old)
        assert verdicts(kind, data) == (False, False), (path, character)
        (problem,) = schema_set().problems(record_of(data))
        assert problem.field == format_path(where)
        assert problem.code == "schema.control-character"
        assert f"U+{ord(character):04X} " in problem.message and "(character 3)" in problem.message


def test_plain_text_refuses_exactly_its_characters():
    pattern = load_schemas()["defs.json"]["$defs"]["plainText"]["pattern"]
    rust = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": _python_patterns({"pattern": pattern})["pattern"]})
    ecma = regress.Regex(pattern, flags="u")
    disagree = []
    for code in [*range(0x3000), *range(0xE000, 0x10000, 7)]:
        text = f"a{chr(code)}b\n"
        expected = chr(code) not in TEXT_REFUSED
        found = (bool(re.search(pattern, text)), rust.is_valid(text), ecma.find(text) is not None)
        if found != (expected,) * 3:
            disagree.append((hex(code), found))
    assert disagree == []


def test_markdown_refuses_exactly_the_controls_but_tab_lf_and_cr():
    pattern = load_schemas()["defs.json"]["$defs"]["markdown"]["pattern"]
    rust = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": pattern})
    ecma = regress.Regex(pattern, flags="u")
    disagree = []
    for code in [*range(0x3000), *range(0xE000, 0x10000, 7)]:
        text = f"a{chr(code)}b\n"
        expected = chr(code) not in MARKDOWN_REFUSED
        found = (bool(re.search(pattern, text)), rust.is_valid(text), ecma.find(text) is not None)
        if found != (expected,) * 3:
            disagree.append((hex(code), found))
    assert disagree == []


# --------------------------------------------------------------------------
# 5. A final line break, and the reserved id


def _patterns():
    found = {}

    def visit(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found[node["pattern"]] = where
            for key, value in node.items():
                visit(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, f"{where}/{index}")

    for name, schema in load_schemas().items():
        visit(schema, name)
    return found


@pytest.mark.parametrize("kind,path,name", SINGLE_LINE, ids=lambda v: str(v))
def test_no_single_line_field_takes_a_final_line_break(kind, path, name):
    for ending in ("\n", "\r\n", "\r"):
        data, where = with_value(kind, path, lambda old: old + ending)
        assert verdicts(kind, data) == (False, False), (path, repr(ending))
        problems = schema_set().problems(record_of(data))
        assert [p.field for p in problems] == [format_path(where)], problems
        assert problems[0].code == "schema.control-character"
        assert "LINE FEED" in problems[0].message or "CARRIAGE RETURN" in problems[0].message
        assert "line break at its end" in problems[0].hint and "`|-`" in problems[0].hint, problems[0].hint


@pytest.mark.parametrize("pattern", sorted(_patterns()))
def test_every_pattern_ends_at_the_very_end_in_python_rust_and_ecma(pattern):
    assert pattern.endswith("$(?!\\n)"), f"{_patterns()[pattern]}: `$` also matches before a final newline in Python"
    rust = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": pattern})
    # The fast path's copy of the pattern (without the final lookahead Rust does not need).
    fast = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": _python_patterns({"pattern": pattern})["pattern"]})
    ecma = regress.Regex(pattern, flags="u")
    assert r"\s" not in pattern, "Python, Rust and ECMA-262 differ on what \\s matches"
    samples = ["email", "P1", "15m", "1.5d", "2026-01-31", "08:00", "24:00", "GBP", "a@b.org", "https://a.org/x",
               "mailto:a@b.org", "Europe/London", "Some *text*."]
    for sample in samples:
        for text in (sample, sample + "\n", sample + "\n\n", "\n" + sample, sample + "\r\n"):
            python = bool(re.search(pattern, text))
            assert python == rust.is_valid(text) == fast.is_valid(text) == (ecma.find(text) is not None), (pattern, text)
            if text.endswith("\n") and not _patterns()[pattern].endswith(("/markdown", "/plainText")):
                assert not python, (pattern, text)


def test_an_id_with_a_final_line_break_is_a_located_error(tmp_path):
    party = 'apiVersion: catalogue/v1\nkind: Party\nid: "evil\\n"\ntitle: Evil\ntype: team\n'
    write_catalogue(tmp_path, {"parties/evil.yaml": party})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        'catalogue/parties/evil.yaml:3:5: error: Party evil\\n: id: the id holds the control character '
        "U+000A LINE FEED (character 5) [schema.control-character]",
        "an id is one line: remove the line break at its end (a YAML block scalar keeps one: write `|-` or `>-`)",
    )


def test_a_local_id_and_the_same_with_a_line_break_do_not_both_pass(tmp_path):
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": replace(AGREEMENT, "id: P2", 'id: "P1\\n"')})
    proc = validate(tmp_path)
    expect_invalid(proc)
    assert "priorities[1].id: the id holds the control character U+000A LINE FEED (character 3)" in proc.stdout


@mistakes(
    Mistake(
        "a_window_ending_with_a_line_break_is_refused",
        {"calendars/business-hours.yaml": replace(CALENDAR, 'to: "18:00"', 'to: "10:00\\n"')},
        f"{CAL}:9:9: error: Calendar business-hours: weekly[0].to: the time holds the control character "
        "U+000A LINE FEED (character 6) [schema.control-character]",
        "a time is one line: remove the line break at its end (a YAML block scalar keeps one: write `|-` or `>-`)",
    ),
    Mistake(
        "the_record_id_index_is_refused",
        {"parties/index.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: index\ntitle: Index\ntype: team\n"},
        "catalogue/parties/index.yaml:3:5: error: Party index: id: the id `index` is reserved: "
        "it is the name of a section's index page [schema.recordId]",
        "choose another id, for example `index-party`",
    ),
)
def test_a_line_break_in_a_time_or_the_id_index_is_refused(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)


@pytest.mark.parametrize("device", ["con", "nul", "aux", "prn", "com1", "com9", "lpt1", "lpt0"])
def test_windows_device_names_are_refused_in_lower_case(device):
    data = {**RICH["Party"], "id": device}
    assert verdicts("Party", data) == (False, False)
    (problem,) = schema_set().problems(record_of(data))
    assert (problem.field, problem.code) == ("id", "schema.recordId")
    assert problem.message == f"the id `{device}` is reserved: it is a device name on Windows, where no file can have it"
    assert problem.hint == f"choose another id, for example `{device}-party`"
    for fine in (f"{device}-team", f"{device}x", f"x{device}"):
        assert schema_set().problems(record_of({**RICH["Party"], "id": fine})) == [], fine


def test_the_hint_for_an_upper_case_device_name_is_not_a_reserved_id():
    (problem,) = schema_set().problems(record_of({**RICH["Party"], "id": "CON"}))
    assert problem.hint == "for example `con-party`"
    assert schema_set().problems(record_of({**RICH["Party"], "id": "con-party"})) == []
    # A reference to `Index` has no right guess: `index` is no record's id, and `index-service` is made up.
    (problem,) = schema_set().problems(record_of({**RICH["Service"], "owner": "Index"}))
    assert (problem.field, problem.hint) == ("owner", "")


def test_a_reference_naming_index_is_refused_too():
    data = {**RICH["Service"], "owner": "index"}
    (problem,) = schema_set().problems(record_of(data))
    assert (problem.field, problem.code) == ("owner", "schema.recordId")
    assert problem.message == "the id `index` is reserved: it is the name of a section's index page"
    assert problem.hint == "no record can have this id, so no field can name one by it"


# --------------------------------------------------------------------------
# 8. Durations: finite, and meaningful


def test_a_duration_that_would_be_infinite_is_a_located_error(tmp_path):
    huge = "1" + "0" * 309 + "d"
    assert float(huge[:-1]) == float("inf")
    write_catalogue(tmp_path, {"services/email.yaml": replace(SERVICE, "fulfilment: 1d", f"fulfilment: {huge}")})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SVC}:15:17: error: Service email: requests[0].fulfilment: the duration has 310 digits in its whole number; "
        "the format takes at most 6 [schema.duration]",
        "a target is at most a year: 527040m, 8784h, 366d or 52w",
    )


@pytest.mark.parametrize(
    "text,line,column,field",
    [("9000h", 18, 17, "priorities[0].resolution"), ("367d", 21, 15, "priorities[1].response"),
     ("527041m", 17, 15, "priorities[0].response"), ("366.5d", 22, 17, "priorities[1].resolution")],
)
def test_a_duration_longer_than_a_year_is_a_located_error(tmp_path, text, line, column, field):
    old = {"priorities[0].resolution": "resolution: 4h", "priorities[1].response": "response: 1h",
           "priorities[0].response": "response: 15m", "priorities[1].resolution": "resolution: 1d"}[field]
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": replace(AGREEMENT, old, f"{old.split(':')[0]}: {text}")})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SLA}:{line}:{column}: error: Agreement sla-email: {field}: the duration `{text}` is longer than a year "
        "[duration.too-long]",
        "a target is at most a year (527040m, 8784h, 366d or 52w): service levels are reviewed and reported at least "
        "once a year, so a longer target could never be measured; check the number and the unit",
    )


def test_a_year_is_still_a_duration():
    for text in ("527040m", "8784h", "366d", "366.0d", "0m"):
        data = copy.deepcopy(RICH["Agreement"])
        data["escalation"][0]["after"] = text
        record = record_of(data)
        assert schema_set().problems(record) == [] and checks.check_durations(record) == [], text


def test_the_duration_checks_know_every_duration_field():
    # Every field whose schema is a duration is in the table the year bound reads.
    found = {(kind, path) for kind in RICH for path, _, name in string_fields(kind) if name == "duration"}
    table = {(kind, path) for kind, paths in checks.DURATION_FIELDS.items() for path in paths}
    # A metric's target is a number or a duration (format 1.1): a field of its own definition.
    found |= {(kind, path) for kind in RICH for path, _, name in string_fields(kind, "metricTarget") if name == "metricTarget"}
    assert found == table


@given(st.text("0123456789", min_size=1, max_size=400), st.sampled_from("mhdw"))
@settings(max_examples=200, deadline=None)
def test_no_duration_the_schema_takes_is_infinite(digits, unit):
    text = digits + unit
    pattern = load_schemas()["defs.json"]["$defs"]["duration"]["pattern"]
    parsed = Duration.parse(text)
    if re.search(pattern, text):
        assert parsed is not None and parsed.amount < 10**6
    else:
        assert parsed is None  # the site and the diff never compute with what the schema refuses


def test_a_metric_target_is_never_infinite(tmp_path):
    metric = "metrics:\n  - {id: RPO, title: RPO, target: .inf, unit: h, direction: at-most}\n"
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": AGREEMENT + metric})
    proc = validate(tmp_path, "--format", "json")
    assert proc.returncode == 1
    (problem,) = json_report(proc)["problems"]
    assert problem["line"] == 24, problem


# --------------------------------------------------------------------------
# 9. The fast path and the reference agree: a differential test


@functools.lru_cache(maxsize=None)
def _ecma_regex(pattern: str):
    return regress.Regex(pattern, flags="u")


def _ecma_validators() -> dict:
    """The reference validator with ECMA-262 patterns (regress, as check-jsonschema uses)."""

    def ecma_pattern(validator, pattern, instance, schema):
        if validator.is_type(instance, "string") and _ecma_regex(pattern).find(instance) is None:
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    Ecma = jsonschema_validators.extend(Draft202012Validator, {"pattern": ecma_pattern})
    schemas = load_schemas()
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    return {
        kind: Ecma(schemas[file], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for kind, file in KIND_FILES.items()
    }


ECMA = _ecma_validators()

HOSTILE = ["\x00", "\t", "\n", "\r", "\x0b", "\x1b", "\x1c", "\x7f", "\x85", "\x9b", "\xa0", "\u2028", "\u2029",
           "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff", "\u3000", " ", "@", ".", "-", "_", ":", "/", "\U0001f600"]


def _mutated(valid: str):
    """A valid value as it is, or spliced with hostile characters, a line break, or cut."""
    return st.one_of(
        st.just(valid),
        st.builds(lambda i, c: valid[:i] + c + valid[i:], st.integers(0, len(valid)), st.sampled_from(HOSTILE)),
        st.builds(lambda e: valid + e, st.sampled_from(["\n", "\r\n", "\n\n", " ", "\t"])),
        st.builds(lambda i: valid[:i], st.integers(0, len(valid))),
        st.text(st.sampled_from(HOSTILE + list("aZ09")), max_size=6),
    )


DATES = st.builds(
    lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
    st.one_of(st.integers(0, 3), st.integers(1999, 2030), st.integers(9997, 9999)),
    st.integers(0, 13),
    st.integers(0, 32),
)
TIMES = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 25), st.integers(0, 61))
DURATIONS = st.builds(
    lambda digits, point, unit: digits + point + unit,
    st.one_of(st.text("0123456789", min_size=1, max_size=8), st.just("1" + "0" * 309)),
    st.one_of(st.just(""), st.text("0123456789", min_size=0, max_size=3).map(lambda d: "." + d)),
    st.sampled_from(["m", "h", "d", "w", "s", ""]),
)
IDS = st.one_of(
    st.sampled_from(["index", "con", "nul", "aux", "prn", "com1", "lpt9", "com", "lpt10", "CON", "Index", "a" * 63, "a" * 64]),
    st.text(st.sampled_from("az09-_AZ.\n"), min_size=0, max_size=12),
)
NUMBERS = st.one_of(
    st.integers(-5, 105), st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0, 100, 100.0000001, -0.0])
)


def _value_for(name: str, old):
    if name == "date":
        return st.one_of(DATES, _mutated(old))
    if name == "time":
        return st.one_of(TIMES, st.just("24:00"), st.just("24:01"), _mutated(old))
    if name == "duration":
        return st.one_of(DURATIONS, _mutated(old))
    if name.endswith("Id") or name == "tag":
        return st.one_of(IDS, _mutated(old))
    if isinstance(old, str) and len(old) > 60:
        old = old[:60]
    return _mutated(old)


def _field_changes():
    """(kind, path pattern, def name) of every field a generated record may change."""
    changes = list(FREE_TEXT)
    changes += [("Agreement", "availability.target", "percent"), ("Agreement", "metrics[].target", "number"),
                ("Service", "cost.amount", "number"), ("Agreement", "escalation[].level", "integer")]
    return changes


CHANGES = _field_changes()


@st.composite
def generated_records(draw):
    kind = draw(st.sampled_from(sorted(RICH)))
    data = copy.deepcopy(RICH[kind])
    candidates = [c for c in CHANGES if c[0] == kind]
    for _, pattern, name in draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=4, unique=True)):
        path, old = next(iter(walk(data, _steps(pattern))))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = draw(NUMBERS if name in ("percent", "number", "integer") else _value_for(name, old))
    return kind, data


# SC_FUZZ_EXAMPLES runs it longer, as the other property tests.
EXAMPLES = int(os.environ.get("SC_FUZZ_EXAMPLES", "0") or 0) or 600


@given(generated_records())
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@example(("Service", {**RICH["Service"], "available_from": "0000-01-01"}))
@example(("Service", {**RICH["Service"], "retired_on": "2023-02-29"}))
@example(("Party", {**RICH["Party"], "id": "index"}))
@example(("Party", {**RICH["Party"], "title": "Team\n"}))
def test_the_fast_path_python_and_ecma_agree_on_every_record(case):
    kind, data = case
    fast = schema_set().fast[kind].is_valid(data)
    reference = schema_set().validators[kind].is_valid(data)
    ecma = ECMA[kind].is_valid(data)
    assert fast == reference == ecma, (fast, reference, ecma, json.dumps(data, ensure_ascii=True)[:2000])
    # And `validate` says the same: no problem when valid, a located one when not.
    assert (schema_set().problems(record_of(data)) == []) == reference


def test_year_zero_is_a_located_error(tmp_path):
    write_catalogue(tmp_path, {"services/email.yaml": SERVICE + "available_from: 0000-01-01\n"})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{SVC}:17:17: error: Service email: available_from: the text \"0000-01-01\" is not a real date "
        "[schema.date]",
        "check the day and the month",
    )


# --------------------------------------------------------------------------
# 14. Cycles of underpinning and of superseding

def _ola(rid: str, **extra) -> str:
    text = dedent(
        f"""
        apiVersion: catalogue/v1
        kind: Agreement
        id: {rid}
        title: {rid}
        type: OLA
        status: active
        provider: it-services
        customer: it-services
        services: [email]
        period: {{start: 2026-01-01}}
        hours: business-hours
        """
    )
    for key, value in extra.items():
        text += f"{key}: {value}\n"
    return text


@mistakes(
    Mistake(
        "an_underpinning_cycle_is_a_located_error",
        {"agreements/olas.yaml": "---\n".join(
            [_ola("ola-a", underpinned_by="[ola-b]"), _ola("ola-b", underpinned_by="[ola-c]"), _ola("ola-c", underpinned_by="[ola-a]")]
        )},
        "catalogue/agreements/olas.yaml:12:18: error: Agreement ola-a: underpinned_by[0]: "
        "underpinning cycle: ola-a -> ola-b -> ola-c -> ola-a [cycle.underpinned-by]",
        "an agreement cannot rely on itself, even through others; remove one link of the cycle",
        see_also="catalogue/agreements/olas.yaml:14:1",
    ),
    Mistake(
        "a_supersedes_cycle_is_a_located_error",
        {"agreements/olas.yaml": "---\n".join([_ola("ola-a", supersedes="ola-b"), _ola("ola-b", supersedes="ola-a")])},
        "catalogue/agreements/olas.yaml:12:13: error: Agreement ola-a: supersedes: "
        "supersedes cycle: ola-a -> ola-b -> ola-a [cycle.supersedes]",
        "an agreement cannot replace one that replaces it, even through others; the older agreement does not "
        "name the newer one",
        see_also="catalogue/agreements/olas.yaml:14:1",
    ),
)
def test_a_cycle_of_agreements_is_a_located_error(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)


def test_naming_itself_is_reported_once(tmp_path):
    party = "apiVersion: catalogue/v1\nkind: Party\nid: team\ntitle: Team\ntype: team\nparent: team\n"
    agreements = "---\n".join([_ola("ola-a", underpinned_by="[ola-a]"), _ola("ola-b", supersedes="ola-b")])
    write_catalogue(tmp_path, {"parties/team.yaml": party, "agreements/olas.yaml": agreements})
    proc = validate(tmp_path, "--format", "json")
    codes = sorted(p["code"] for p in json_report(proc)["problems"])
    assert codes == ["ref.self"] * 3


# --------------------------------------------------------------------------
# 15. A calendar that covers no time


@mistakes(
    Mistake(
        "a_calendar_with_no_weekly_window_is_a_located_error",
        {"calendars/business-hours.yaml": replace(CALENDAR, 'weekly:\n  - days: [mon, tue, wed, thu, fri]\n    from: "08:00"\n    to: "18:00"\n', "weekly: []\n")},
        f"{CAL}:6:9: error: Calendar business-hours: weekly: the calendar covers no time: `weekly` lists no window "
        "[schema.minItems]",
        'add a window such as `{days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00"}`, or write '
        "`always: true` for round-the-clock coverage",
    ),
    Mistake(
        "a_calendar_whose_windows_have_no_length_is_a_located_error",
        {"calendars/business-hours.yaml": replace(CALENDAR, 'to: "18:00"', 'to: "08:00"')},
        f"{CAL}:9:9: error: Calendar business-hours: weekly[0].to: the window ends (08:00) before or when it starts "
        "(08:00) [calendar.window]",
        'a window crossing midnight is two windows: "22:00" to "24:00" and "00:00" to "06:00"',
    ),
)
def test_a_calendar_that_covers_no_time_is_a_located_error(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)


# --------------------------------------------------------------------------
# 17. `always: true` with `weekly` and `holidays` both empty


def test_not_allowed_names_each_field_once(tmp_path):
    calendar = replace(CALENDAR, 'weekly:\n  - days: [mon, tue, wed, thu, fri]\n    from: "08:00"\n    to: "18:00"\n',
                       "always: true\nweekly:\nholidays:\n")
    write_catalogue(tmp_path, {"calendars/business-hours.yaml": calendar})
    proc = validate(tmp_path)
    expect_invalid(proc, errors=2)
    expect_problem(
        proc,
        f"{CAL}:7:1: error: Calendar business-hours: weekly: `weekly` is not allowed here [schema.not-allowed]",
        "a calendar with `always: true` is 24x7 and has no weekly hours",
    )
    expect_problem(
        proc,
        f"{CAL}:8:1: error: Calendar business-hours: holidays: `holidays` is not allowed here [schema.not-allowed]",
        "a calendar with `always: true` is 24x7 and has no holidays",
    )


def test_not_allowed_is_not_confused_by_another_empty_field():
    data = {**RICH["Calendar"], "summary": None, "always": True, "weekly": None}
    del data["holidays"], data["holidays_from"]  # not allowed with always either: not what this test is about
    problems = schema_set().problems(record_of(data))
    assert sorted((p.field, p.code) for p in problems) == [("summary", "schema.type"), ("weekly", "schema.not-allowed")]


# --------------------------------------------------------------------------
# 20. "Did you mean" for many missing references: linear, and right


def _services_with_typos(tmp_path: Path, count: int) -> Path:
    parties = "---\n".join(
        f"apiVersion: catalogue/v1\nkind: Party\nid: team-{i:05d}\ntitle: Team {i}\ntype: team\n" for i in range(count)
    )
    services = "---\n".join(
        replace(replace(SERVICE, "id: email", f"id: svc-{i:05d}"), "owner: it-services", f"owner: team-{i:05d}x")
        for i in range(count)
    )
    return write_catalogue(tmp_path, {"parties/teams.yaml": parties, "services/many.yaml": services})


def _comparisons(monkeypatch, root: Path) -> tuple[int, list]:
    count = 0
    original = difflib.SequenceMatcher.set_seq1

    def counted(self, a):
        nonlocal count
        count += 1
        return original(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counted)
    result = validate_folder(root)
    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", original)
    return count, [p for p in result.problems if p.code == "ref.missing" and p.field == "owner"]


def test_did_you_mean_for_many_missing_references_is_linear(tmp_path, monkeypatch):
    small, small_problems = _comparisons(monkeypatch, _services_with_typos(tmp_path / "small", 150))
    large, large_problems = _comparisons(monkeypatch, _services_with_typos(tmp_path / "large", 300))
    assert len(small_problems) == 150 and len(large_problems) == 300
    for problem in small_problems + large_problems:
        wanted = problem.message.split("`")[1][:-1]  # team-00042x -> team-00042
        assert problem.hint == f"did you mean `{wanted}`?", problem
    # Twice the catalogue, twice the references: about twice the comparisons (a scan of
    # every id for each missing reference would be four times as many).
    assert large <= 2.5 * small, (small, large)
    assert large <= 64 * 300, large


ALPHABET = "abcdefgh-0123"


def _close(word: str, rid: str) -> bool:
    """Close as difflib.get_close_matches measures it (the ratio is not symmetric)."""
    return difflib.SequenceMatcher(None, rid, word).ratio() >= 0.6


@given(
    st.lists(st.text(ALPHABET, min_size=1, max_size=12), min_size=1, max_size=40, unique=True),
    st.text(ALPHABET, min_size=1, max_size=14),
)
@settings(max_examples=300, deadline=None)
def test_the_suggestion_is_a_real_close_id(ids, word):
    suggestions = checks.CloseIds(ids)
    found = suggestions.closest(word)
    if found is not None:
        assert found in ids and _close(word, found)
    # One typo away (a letter more, less, changed or swapped) is always found.
    for known in ids[:3]:
        for typo in {known + "x", known[1:], "x" + known[1:], known[1:2] + known[:1] + known[2:]} - set(ids):
            if typo and _close(typo, known):
                close = suggestions.closest(typo)
                assert close is not None and _close(typo, close), (typo, known)


# --------------------------------------------------------------------------
# 21. Cycles: once per group, in bounded words


def _chain(tmp_path: Path, count: int) -> Path:
    """s0 needs s1 (hard), s1 needs s2, ...; and every service soft-needs s0 back."""
    services = []
    for i in range(count):
        deps = [f"  - service: s{i + 1:05d}\n    criticality: hard\n"] if i + 1 < count else []
        if i:
            deps.append("  - service: s00000\n    criticality: soft\n")
        services.append(
            replace(SERVICE, "id: email", f"id: s{i:05d}") + "depends_on:\n" + "".join(deps)
        )
    return write_catalogue(tmp_path, {"services/chain.yaml": "---\n".join(services)})


def test_a_dependency_tangle_is_reported_once_and_bounded(tmp_path):
    small = validate(_chain(tmp_path / "small", 60).parent)
    large = validate(_chain(tmp_path / "large", 120).parent)
    for proc, count in ((small, 60), (large, 120)):
        lines = [line for line in problem_lines(proc.stdout) if "[cycle.depends-on]" in line]
        assert len(lines) == 1, lines
        assert lines[0].endswith(
            f"depends_on[0].service: dependency cycle: s00000 -> s00001 -> s00000; {count} services depend on "
            f"each other through cycles (s00000, s00001, s00002, s00003, s00004, s00005, s00006, s00007, s00008, "
            f"s00009 and {count - 10} more) [cycle.depends-on]"
        ), lines[0]
    # Twice the services: the same few lines, not four times the bytes.
    assert len(large.stdout) <= 1.1 * len(small.stdout), (len(small.stdout), len(large.stdout))


def test_a_long_cycle_is_shown_in_bounded_words(tmp_path):
    services = []
    for i in range(40):
        services.append(
            replace(SERVICE, "id: email", f"id: r{i:02d}")
            + f"depends_on:\n  - service: r{(i + 1) % 40:02d}\n    criticality: hard\n"
        )
    write_catalogue(tmp_path, {"services/ring.yaml": "---\n".join(services)})
    proc = validate(tmp_path, "--format", "json")
    (problem,) = [p for p in json_report(proc)["problems"] if p["code"] == "cycle.depends-on"]
    assert problem["message"] == (
        "dependency cycle: r00 -> r01 -> r02 -> r03 -> r04 -> r05 -> r06 -> r07 -> r08 -> ... 30 more ... -> r39 -> r00"
    )
    assert len(problem["related"]) <= 10


def test_separate_cycles_are_each_reported_once(tmp_path):
    services = []
    for i in range(0, 20, 2):
        for me, other in ((i, i + 1), (i + 1, i)):
            services.append(
                replace(SERVICE, "id: email", f"id: p{me:02d}")
                + f"depends_on:\n  - service: p{other:02d}\n    criticality: soft\n"
                + f"  - service: p{other:02d}\n    criticality: hard\n"
            )
    write_catalogue(tmp_path, {"services/pairs.yaml": "---\n".join(services)})
    proc = validate(tmp_path, "--format", "json")
    messages = sorted(p["message"] for p in json_report(proc)["problems"] if p["code"] == "cycle.depends-on")
    assert messages == [f"dependency cycle: p{i:02d} -> p{i + 1:02d} -> p{i:02d}" for i in range(0, 20, 2)]
