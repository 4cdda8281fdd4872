"""The compiled fast path of schema validation (jsonschema-rs) never changes a verdict.

Records that jsonschema-rs accepts are valid without more ado; records it
rejects are checked again by jsonschema, which decides and explains. So the
fast path may be stricter than jsonschema, never more lenient: these tests
hold it to that on the patterns of our schemas.
"""

from __future__ import annotations

import re

import pytest

from service_catalogue.validation.schemas import _widen_spaces, load_schemas, schema_set

jsonschema_rs = pytest.importorskip("jsonschema_rs")


def _patterns() -> list[str]:
    found = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_schemas())
    return sorted(found)


def test_there_is_a_fast_validator_for_every_kind():
    assert set(schema_set().fast) == {"Service", "Agreement", "Party", "Calendar", "Term"}


@pytest.mark.parametrize("pattern", _patterns())
def test_no_character_passes_a_pattern_in_rust_that_python_refuses(pattern):
    rust = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": _widen_spaces(pattern)})
    python = re.compile(pattern)
    # Valid text with one code point spliced in.
    base = {"^[A-Z]{3}$": "GB{}", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "2026-01-0{}", "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$": "08:0{}"}
    template = base.get(pattern, "a{}b@example.org" if "@" in pattern else "https://a{}b" if "https" in pattern else "a{}b")
    lenient = []
    # Every code point of the Basic Multilingual Plane, and a sample of the others.
    for code in [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 97)]:
        text = template.format(chr(code))
        if rust.is_valid(text) and not python.search(text):
            lenient.append(hex(code))
    assert not lenient, f"{pattern}: jsonschema-rs accepts what jsonschema refuses: {lenient[:10]}"


def _party(**fields):
    from service_catalogue.validation.loader import Record
    from pathlib import Path

    data = {"apiVersion": "catalogue/v1", "kind": "Party", "id": "team", "title": "Team", "type": "team", **fields}
    return Record(data, "parties.yaml", Path("parties.yaml"), 0, {})


def test_a_final_line_break_is_refused_by_both_validators():
    # Python's `$` also matches before a final newline, Rust's does not: the patterns end
    # in `$(?!\n)`, so that both refuse it (a title is one line).
    record = _party(title="Team\n")
    assert not schema_set().fast["Party"].is_valid(record.data)
    assert [p.code for p in schema_set().problems(record)] == ["schema.control-character"]


def test_a_control_character_in_an_email_is_still_refused():
    record = _party(email="a\x1cb@example.org")
    problems = schema_set().problems(record)
    assert [p.field for p in problems] == ["email"]


def test_a_value_rust_cannot_take_falls_back_to_jsonschema():
    from service_catalogue.validation.loader import Record
    from pathlib import Path

    data = {"apiVersion": "catalogue/v1", "kind": "Agreement", "id": "a", "title": "A", "type": "SLA", "status": "active",
            "provider": "p", "customer": "c", "services": ["s"], "period": {"start": "2026-01-01"}, "hours": "h",
            "escalation": [{"level": 10**40, "contact": "Duty manager"}]}
    assert schema_set().problems(Record(data, "a.yaml", Path("a.yaml"), 0, {})) == []
