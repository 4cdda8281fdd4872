"""The JSON Schemas of the format, compiled once, and their errors told in plain words."""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

try:  # a compiled validator for the fast path; jsonschema explains the failures
    import jsonschema_rs
except ImportError:  # pragma: no cover - without it, jsonschema does both
    jsonschema_rs = None
from referencing import Registry, Resource

from . import API_VERSION, KINDS
from .loader import Record
from .problems import Problem, format_path

SCHEMA_BASE_URL = "https://service-catalogue.dev/schema/v1/"
KIND_FILES = {kind: f"{kind.lower()}.json" for kind in KINDS}


def schema_dir() -> Path:
    packaged = Path(__file__).parent / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "schema"  # a source checkout


@lru_cache(maxsize=1)
def load_schemas() -> dict[str, dict]:
    """Every schema file by name: defs.json, service.json, ..."""
    return {path.name: json.loads(path.read_text("utf-8")) for path in sorted(schema_dir().glob("*.json"))}


# What a value of each shared definition looks like, for messages.
EXPECTED = {
    "duration": ("a duration such as `15m`, `4h` or `2d`", "write the number and the unit together: `m` minutes, `h` hours, `d` service days"),
    "recordId": ("an id of lower-case letters, digits and hyphens (at most 63, starting with a letter or digit)", ""),
    "localId": ("a short id of letters, digits, `-` or `_` (at most 32), such as `P1`", ""),
    "date": ("a date written YYYY-MM-DD", "for example 2026-01-31"),
    "time": ("a time written HH:MM, from 00:00 to 24:00", 'quote it: "08:00"'),
    "email": ("an email address such as `name@example.org`", ""),
    "url": ("an http, https or mailto address", "other schemes (javascript:, data:, ftp:, file:) are not allowed"),
    "tag": ("a tag of lower-case letters, digits and hyphens", "for example `teaching` or `research-data`"),
    "summary": ("one line of plain text", "move longer text into `description`"),
    "title": ("a title on one line", ""),
    "percent": ("a percentage from 0 to 100", "write 99.9, not 99.9% or 0.999"),
}
for _name in ("partyId", "serviceId", "agreementId", "calendarId", "termId"):
    EXPECTED[_name] = EXPECTED["recordId"]

TYPE_WORDS = {
    "object": "a mapping of fields",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "nothing",
}

NOT_ALLOWED_HINTS = {
    ("Calendar", "weekly"): "a calendar with `always: true` is 24x7 and has no weekly hours",
    ("Calendar", "holidays"): "a calendar with `always: true` is 24x7 and has no holidays",
}

YAML_11_BOOLEANS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}


def describe(value) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'the text "{shown}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def shown(value) -> str:
    """A value quoted for a message: "Servce" for text, described otherwise."""
    return f'"{value}"' if isinstance(value, str) else describe(value)


def did_you_mean(word: str, choices) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"did you mean `{close[0]}`?" if close else ""


class SchemaSet:
    """One compiled validator per kind; the slow explanation runs only for records that fail."""

    def __init__(self):
        schemas = load_schemas()
        registry = Registry().with_resources(
            (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
        )
        self.schemas = schemas
        self.validators = {
            kind: Draft202012Validator(
                schemas[file], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
            for kind, file in KIND_FILES.items()
        }
        self._def_names = {id(sub): name for name, sub in schemas["defs.json"]["$defs"].items()}
        self.fast = _compiled_validators(schemas)

    def problems(self, record: Record) -> list[Problem]:
        """Everything wrong with one record's shape; [] when valid."""
        kind = record.data.get("kind")
        if "kind" not in record.data:
            return [
                Problem(
                    record.location(),
                    "record.no-kind",
                    "the record has no `kind`",
                    record=record.label if record.id else "",
                    hint=f"add `kind:` with one of {', '.join(KINDS)}",
                )
            ]
        if kind not in KINDS:
            hint = did_you_mean(kind, KINDS) or f"use one of {', '.join(KINDS)}"
            return [
                Problem(
                    record.location(("kind",)),
                    "record.unknown-kind",
                    f"unknown kind {shown(kind)}",
                    field="kind",
                    hint=hint,
                )
            ]
        version = record.data.get("apiVersion")
        if "apiVersion" in record.data and version != API_VERSION:
            return [
                Problem(
                    record.location(("apiVersion",)),
                    "record.api-version",
                    f"unknown format version {shown(version)}; this tool reads `{API_VERSION}`",
                    record=record.label,
                    field="apiVersion",
                    hint=f"write `apiVersion: {API_VERSION}`, or upgrade service-catalogue",
                )
            ]
        fast = self.fast.get(kind)
        if fast is not None:
            try:
                if fast.is_valid(record.data):
                    return []
            except Exception:  # a value it cannot take (a huge integer, say): jsonschema decides
                pass
        # Failed the fast path (or there is none): jsonschema is the reference, and
        # gives the errors that the messages are made of.
        validator = self.validators[kind]
        if validator.is_valid(record.data):
            return []
        problems: list[Problem] = []
        for error in sorted(validator.iter_errors(record.data), key=lambda e: [str(p) for p in e.absolute_path]):
            problems.extend(self._explain(record, error))
        return _without_echoes(problems)

    def _explain(self, record: Record, error) -> list[Problem]:
        path = tuple(error.absolute_path)
        value = error.instance
        rule = error.validator
        if rule is None and error.schema_path and error.schema_path[-1] == "properties":
            # jsonschema (4.x) does not add the property to the path of an error from a
            # `false` subschema ("weekly": false); find it by the value it holds.
            parent = record.data
            for step in path:
                parent = parent[step]
            if isinstance(parent, dict):
                key = next((k for k, v in parent.items() if v is value), None)
                if key is not None:
                    path = path + (key,)
        schema = error.schema if isinstance(error.schema, dict) else {}
        label = record.label

        def problem(message, hint="", at=path, code=None, at_key=False):
            return Problem(
                record.location(at, at_key=at_key),
                code or f"schema.{rule}",
                message,
                field=format_path(at),
                record=label,
                hint=hint,
            )

        if rule == "required":
            missing = [name for name in error.validator_value if name not in value]
            return [
                Problem(
                    record.location(path),
                    "schema.required",
                    f"missing required field `{name}`",
                    field=format_path(path + (name,)),
                    record=label,
                    hint=_property_hint(schema, name),
                )
                for name in missing
            ]
        if rule == "additionalProperties":
            known = list(schema.get("properties", {}))
            extras = [key for key in value if key not in schema.get("properties", {})]
            return [
                problem(
                    f"unknown field `{key}`",
                    did_you_mean(key, known) or f"fields allowed here: {', '.join(known)}",
                    at=path + (key,),
                    code="schema.unknown-field",
                    at_key=True,
                )
                for key in extras
            ]
        if rule is None or rule == "false":  # a `false` subschema: the field may not appear here
            name = path[-1] if path else ""
            return [
                problem(
                    f"`{name}` is not allowed here",
                    NOT_ALLOWED_HINTS.get((record.kind, name), ""),
                    code="schema.not-allowed",
                    at_key=True,
                )
            ]
        if rule == "type":
            wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
            expected = " or ".join(TYPE_WORDS.get(t, t) for t in wanted)
            hint = ""
            if "boolean" in wanted and value in YAML_11_BOOLEANS:
                hint = "`yes`, `no`, `on` and `off` are text in YAML 1.2; write `true` or `false`"
            elif "string" in wanted and isinstance(value, (int, float, bool)):
                hint = "put the value in quotes to make it text"
            elif "array" in wanted and not isinstance(value, list):
                hint = "write a list: `[a, b]`, or one `- item` per line"
            elif value is None:
                hint = "give the field a value, or remove it"
            return [problem(f"expected {expected}, found {describe(value)}", hint)]
        if rule == "enum":
            choices = error.validator_value
            listed = ", ".join(f"`{c}`" for c in choices)
            return [problem(f"expected one of {listed}, found {describe(value)}", did_you_mean(value, [str(c) for c in choices]))]
        if rule == "const":
            return [problem(f"expected `{error.validator_value}`, found {describe(value)}")]
        if rule in ("pattern", "format"):
            name = self._def_names.get(id(schema), "")
            expected, hint = EXPECTED.get(name, ("", ""))
            if rule == "format" and error.validator_value == "date":
                return [problem(f"{describe(value)} is not a real date", "check the day and the month", code="schema.date")]
            if not expected:
                expected = (schema.get("description") or "a value of the right form").rstrip(".")
                expected = expected[0].lower() + expected[1:]
            if name.endswith("Id") and name != "localId":
                slug = _slugify(value)
                hint = f"for example `{slug}`" if slug and slug != value else hint
            return [problem(f"expected {expected}, found {describe(value)}", hint, code=f"schema.{name or rule}")]
        if rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            name = self._def_names.get(id(schema), "")
            if name == "percent":
                return [problem(f"expected {EXPECTED['percent'][0]}, found {describe(value)}", EXPECTED["percent"][1])]
            bound = "at least" if "inimum" in rule else "at most"
            return [problem(f"expected a number {bound} {error.validator_value}, found {describe(value)}")]
        if rule == "minItems":
            count = error.validator_value
            return [problem(f"needs at least {count} item{'s' * (count != 1)}", "add an item, or remove the field")]
        if rule == "minLength":
            return [problem("must not be empty", "write a value, or remove the field")]
        if rule == "maxLength":
            return [problem(f"is longer than {error.validator_value} characters", "shorten it; longer text belongs in `description`")]
        if rule == "uniqueItems":
            seen, repeated = [], None
            for item in value:
                if item in seen:
                    repeated = item
                    break
                seen.append(item)
            return [problem(f"lists {describe(repeated)} more than once", "remove the repeated item")]
        return [problem(error.message)]


def _compiled_validators(schemas: dict[str, dict]) -> dict:
    """One jsonschema-rs validator per kind, or {} when it is not installed or refuses a schema.

    Only its "valid" counts: a record it rejects is checked again by jsonschema, which
    decides and explains. So it may be stricter than jsonschema, never more lenient:
    `$` ends a pattern at the very end of the text in Rust (Python's `re` also allows a
    final newline: stricter, fine), and Python's `\\s` also matches the controls
    \\x1c-\\x1f and \\x85, which Rust's does not (more lenient: _python_patterns adds them).
    """
    if jsonschema_rs is None:
        return {}
    try:
        schemas = {name: _python_patterns(schema) for name, schema in schemas.items()}
        registry = jsonschema_rs.Registry([(schema["$id"], schema) for schema in schemas.values()])
        return {
            kind: jsonschema_rs.Draft202012Validator(schemas[file], registry=registry, validate_formats=True)
            for kind, file in KIND_FILES.items()
        }
    except Exception:  # pragma: no cover - an older jsonschema-rs: jsonschema alone is slower, not wrong
        return {}


_PY_SPACE = r"\s\x1c-\x1f\x85"  # what Python's \s matches beyond Rust's


def _python_patterns(node):
    """A copy of a schema whose `pattern`s match in Rust what they match in Python."""
    if isinstance(node, list):
        return [_python_patterns(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: _python_patterns(value) for key, value in node.items()}
    if isinstance(node.get("pattern"), str):
        copy["pattern"] = _widen_spaces(node["pattern"])
    return copy


def _widen_spaces(pattern: str) -> str:
    out, in_class, index = [], False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            pair = pattern[index : index + 2]
            out.append((_PY_SPACE if in_class else f"[{_PY_SPACE}]") if pair == r"\s" else pair)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """One mistake, one problem.

    A value of the wrong type also fails the enum or pattern at the same place:
    only the type is reported. A misspelt key (`resolutoin`) also leaves a required
    field missing: the unknown key's "did you mean `resolution`?" says it all.
    """
    typed = {(p.location, p.field) for p in problems if p.code == "schema.type"}
    suggested = set()
    for p in problems:
        if p.code == "schema.unknown-field" and p.hint.startswith("did you mean `"):
            parent = p.field.rpartition(".")[0] if "." in p.field else ""
            name = p.hint[len("did you mean `") :].split("`")[0]
            suggested.add(f"{parent}.{name}" if parent else name)
    return [
        p
        for p in problems
        if not (p.code != "schema.type" and (p.location, p.field) in typed)
        and not (p.code == "schema.required" and p.field in suggested)
    ]


def _property_hint(schema: dict, name: str) -> str:
    description = schema.get("properties", {}).get(name, {}).get("description", "")
    if not description:
        return f"add `{name}:`"
    first = description.split(". ")[0].rstrip(".")
    return f"add `{name}:` ({first[0].lower() + first[1:]})"


def _slugify(value) -> str:
    if not isinstance(value, str):
        return ""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug[:63]


@lru_cache(maxsize=1)
def schema_set() -> SchemaSet:
    return SchemaSet()
