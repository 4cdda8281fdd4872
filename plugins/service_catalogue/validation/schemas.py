"""The JSON Schemas of the format, compiled once, and their errors told in plain words."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from importlib import resources
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, cast

from jsonschema import Draft202012Validator, ValidationError

try:  # a compiled validator for the fast path; jsonschema explains the failures
    import jsonschema_rs
except ImportError:  # pragma: no cover - without it, jsonschema does both
    # mypy's idiom for an optional module: the name is the module or None, and
    # _compiled_validators tests which before it uses the module.
    jsonschema_rs = None  # type: ignore[assignment]
from referencing import Registry, Resource

from service_catalogue.version import API_VERSION
from service_catalogue.kinds import KIND_NAMES, KINDS
from service_catalogue.validation.loader import Record
from service_catalogue.fields import format_path, join_path
from service_catalogue.validation.problems import Problem
from service_catalogue.validation.references import REFERENCE_FIELDS

SCHEMA_BASE_URL = "https://service-catalogue.dev/schema/v1/"
KIND_FILES = {kind.name: kind.schema_file for kind in KINDS}  # a view of the table, for tests and tools


def schema_files() -> dict[str, str]:
    """The text of every schema file by name (defs.json, service.json, ...), from the
    data package the JSON Schemas ship in (schema/ of a source checkout)."""
    package = resources.files("service_catalogue.json_schemas")
    return {
        entry.name: entry.read_text("utf-8")
        for entry in sorted(package.iterdir(), key=lambda entry: entry.name)
        if entry.name.endswith(".json")
    }


@lru_cache(maxsize=1)
def load_schemas() -> dict[str, dict]:
    """Every schema file by name: defs.json, service.json, ..."""
    return {name: json.loads(text) for name, text in schema_files().items()}


# What a value of each shared definition looks like, for messages.
EXPECTED = {
    "duration": ("a duration such as `15m`, `4h` or `2d`", "write the number and the unit together: `m` minutes, `h` hours, `d` service days, `w` service weeks"),
    "metricTarget": ("a number, or a duration such as `30m`, `4h` or `3d`", "a number target takes its `unit` from `unit`; a duration writes the number and the unit together"),
    "recordId": ("an id of lower-case letters, digits and hyphens (at most 63, starting with a letter or digit)", ""),
    "localId": ("a short id of letters, digits, `-` or `_` (at most 32), such as `P1`", ""),
    "date": ("a date written YYYY-MM-DD", "for example 2026-01-31"),
    "time": ("a time written HH:MM, from 00:00 to 24:00", 'write the hour and the minutes with two digits each, on the 24-hour clock: "08:00", "17:30"'),
    "email": ("an email address such as `name@example.org`", ""),
    "url": ("an http, https or mailto address", "other schemes (javascript:, data:, ftp:, file:) are not allowed"),
    "tag": ("a tag of lower-case letters, digits and hyphens", "for example `teaching` or `research-data`"),
    "summary": ("one line of plain text", "move longer text into `description`"),
    "title": ("a title on one line", ""),
    "percent": ("a percentage from 0 to 100", "write 99.9, not 99.9% or 0.999"),
}
ID_NAMES = ("recordId", "partyId", "serviceId", "agreementId", "calendarId", "termId")  # the record ids
for _name in ID_NAMES[1:]:
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
    ("Agreement", "unit"): "a duration target (`3d`, `30m`) carries its unit; remove `unit`, or write the target as a number",
    ("Agreement", "at_or_below"): "a credit tier has one threshold: keep `below` (it applies under the number) "
    "or `at_or_below` (at or under it), not both",
    ("Calendar", "holidays_from"): "a calendar with `always: true` is 24x7 and has no holidays, so it inherits "
    "none; remove `holidays_from`, or give the calendar `weekly` hours in place of `always: true`",
}

# An empty list where one item is the least that means anything: (message, hint).
MIN_ITEMS_WORDS = {
    ("Calendar", "weekly"): (
        "the calendar covers no time: `weekly` lists no window",
        'add a window such as `{days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00"}`, '
        "or write `always: true` for round-the-clock coverage",
    ),
}

# Ids that cannot be page names, and why (the recordId pattern refuses them too).
RESERVED_IDS = {
    "index": "it is the name of a section's index page",
    **{
        name: "it is a device name on Windows, where no file can have it"
        for name in ("con", "prn", "aux", "nul", *(f"com{d}" for d in range(10)), *(f"lpt{d}" for d in range(10)))
    },
}

URL_SCHEMES = ("http://", "https://", "mailto:")  # as the url pattern has them

# A duration has at most this many digits before the point (the pattern says so too):
# every duration is then a finite number, whatever reads it.
DURATION_DIGITS = 6
YEAR_OF_DURATIONS = "527040m, 8784h, 366d or 52w"
_DURATION_SHAPE = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?[mhdw]")

# Single-line fields refuse every Cc character (TAB included), the line and paragraph
# separators and the bidi embeddings, overrides and isolates; Markdown fields refuse the
# Cc characters but TAB, LF and CR; plain text that may span lines (a sentence of a list,
# shown folded onto one line) refuses what Markdown does and the bidi controls too. The
# schema patterns say the same.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_CONTROL_CODES = (*range(0x20), *range(0x7F, 0xA0))  # Unicode's Cc
_CONTROLS = frozenset(map(chr, _CONTROL_CODES))
SINGLE_LINE_REFUSED = _CONTROLS | {"\u2028", "\u2029"} | BIDI_CONTROLS
MARKDOWN_REFUSED = _CONTROLS - set("\t\n\r")
TEXT_REFUSED = MARKDOWN_REFUSED | BIDI_CONTROLS
# The definitions whose values may span lines, and what each refuses; every other refuses SINGLE_LINE_REFUSED.
MULTI_LINE_REFUSED = {"markdown": MARKDOWN_REFUSED, "plainText": TEXT_REFUSED}
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")

# The Unicode name aliases of the controls, which have no name of their own (U+0000-U+001F, U+007F-U+009F).
_CONTROL_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY", "ACKNOWLEDGE",
    "ALERT", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN",
    "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL",
    "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE",
) + ("DELETE",) + (
    "PADDING CHARACTER", "HIGH OCTET PRESET", "BREAK PERMITTED HERE", "NO BREAK HERE", "INDEX", "NEXT LINE",
    "START OF SELECTED AREA", "END OF SELECTED AREA", "CHARACTER TABULATION SET",
    "CHARACTER TABULATION WITH JUSTIFICATION", "LINE TABULATION SET", "PARTIAL LINE FORWARD", "PARTIAL LINE BACKWARD",
    "REVERSE LINE FEED", "SINGLE SHIFT TWO", "SINGLE SHIFT THREE", "DEVICE CONTROL STRING", "PRIVATE USE ONE",
    "PRIVATE USE TWO", "SET TRANSMIT STATE", "CANCEL CHARACTER", "MESSAGE WAITING", "START OF GUARDED AREA",
    "END OF GUARDED AREA", "START OF STRING", "SINGLE GRAPHIC CHARACTER INTRODUCER", "SINGLE CHARACTER INTRODUCER",
    "CONTROL SEQUENCE INTRODUCER", "STRING TERMINATOR", "OPERATING SYSTEM COMMAND", "PRIVACY MESSAGE",
    "APPLICATION PROGRAM COMMAND",
)
CONTROL_NAMES = dict(zip(map(chr, _CONTROL_CODES), _CONTROL_NAMES))

# What a value of a shared definition is called in a message about one of its characters.
VALUE_NOUNS = {
    "localId": "id", "title": "title", "summary": "summary", "tag": "tag", "email": "email address",
    "url": "address", "duration": "duration", "date": "date", "time": "time", "timezone": "time zone name",
    "plainText": "text", "plainLine": "text", "markdown": "text",
}
for _name in ID_NAMES:
    VALUE_NOUNS[_name] = "id"


def character_name(character: str) -> str:
    """`U+001B ESCAPE`: the code point and its Unicode name (for a control, its name alias)."""
    name = CONTROL_NAMES.get(character) or unicodedata.name(character, "")
    return f"U+{ord(character):04X} {name}".rstrip()


def refused_characters(value: str, definition: str = "") -> list[int]:
    """The positions (0-based) of the characters a field of this shared definition refuses."""
    if value.isprintable():  # the common case; every refused character is unprintable
        return []
    refused = MULTI_LINE_REFUSED.get(definition, SINGLE_LINE_REFUSED)
    return [index for index, character in enumerate(value) if character in refused]


def _character_words(value: str, positions: list[int], noun: str, multi_line: bool) -> tuple[str, str]:
    """The message and the hint for a value holding characters its field refuses."""
    index = positions[0]
    character = value[index]
    what = (
        "the bidirectional control" if character in BIDI_CONTROLS
        else "the line break" if character in ("\u2028", "\u2029")
        else "the control character"
    )
    message = f"the {noun} holds {what} {character_name(character)} (character {index + 1})"
    if len(positions) > 1:
        message += f", and {len(positions) - 1} more such character{'s' * (len(positions) > 2)}"
    subject = "this text" if noun == "text" else f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
    if character in BIDI_CONTROLS:
        hint = "remove it: it changes the order in which the text around it is shown, so readers would not see what is written"
    elif character in LINE_BREAKS and multi_line:
        hint = "write an ordinary line break instead"
    elif character in LINE_BREAKS and all(c in LINE_BREAKS for c in value[index:]):
        hint = f"{subject} is one line: remove the line break at its end (a YAML block scalar keeps one: write `|-` or `>-`)"
    elif character in LINE_BREAKS:
        hint = f"{subject} is one line: join the lines"
    elif character == "\t" and noun in ("title", "summary", "text"):
        hint = "write a space instead of the tab"
    else:
        hint = "remove it: a control character is invisible, and a terminal or a browser may act on it"
    return message, hint


# What each duration unit counts; a hint lists the units the schema's pattern allows, in
# its order, so it stays right when the format gains one.
DURATION_UNIT_WORDS = {"m": "minutes", "h": "hours", "d": "service days", "w": "service weeks"}
# Values whose type is wrong but that quotes do not mend (`from: 8`, `response: 15`):
# their type error says what a value looks like, and how to write this one.
UNQUOTABLE = ("duration", "time", "date")


def duration_units() -> str:
    """The unit letters the schema's duration pattern ends with (`mhd`)."""
    pattern = load_schemas()["defs.json"]["$defs"]["duration"]["pattern"]
    match = re.search(r"\[([a-z]+)\]\$", pattern)
    return match.group(1) if match else "mhd"


def either(words: list[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _number_words(value) -> str | None:
    """A plain number as it would be written before a unit (`15`, `1.5`), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return str(value)
    if isinstance(value, float) and value >= 0 and value == value and value != float("inf"):
        return f"{value:g}" if "e" not in f"{value:g}" else None
    if isinstance(value, str) and re.fullmatch(r"(0|[1-9][0-9]*)(\.[0-9]+)?", value.strip()):
        return value.strip()
    return None


def _unit_hint(number: str) -> str:
    """A number written without its unit: every unit it could take, since only the author knows which."""
    units = duration_units()
    written = either([f"`{number}{unit}`" for unit in units])
    meanings = ", ".join(f"`{unit}` {DURATION_UNIT_WORDS.get(unit, unit)}" for unit in units)
    return f"a duration needs its unit: {written} ({meanings})"


_CLOCK = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:(?:[:.h]|(?<=[0-9]{2})(?=[0-9]{2}$)|(?<=^[0-9])(?=[0-9]{2}$))(?P<minute>[0-9]{2}))?"
    r"\s*(?P<half>[ap]\.?m\.?)?",
    re.I,
)


def time_fix(value) -> str | None:
    """The HH:MM a time written another way means: "07:30" for 7:30, 7.30, 730 or 7:30am; None if unsure."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    match = _CLOCK.fullmatch(str(value).strip())
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"][0].lower() == "p" else 0)
    if (hour, minute) == (24, 0):
        return "24:00"
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _time_hint(value) -> tuple[str, str | None]:
    fix = time_fix(value)
    if fix is None:
        return EXPECTED["time"][1], None
    return f'write "{fix}": the hour and the minutes with two digits each, on the 24-hour clock', fix


def date_readings(value) -> list[str]:
    """The YYYY-MM-DD dates a date written another way can mean: both readings of 10/01/2025
    (month first, then day first), one of 13/01/2025; [] if none is a real date."""
    if not isinstance(value, str):
        return []
    text = value.strip()
    year_last = re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", text)
    year_first = re.fullmatch(r"([0-9]{4})[/.-]([0-9]{1,2})[/.-]([0-9]{1,2})", text)
    if year_last:
        first, second, year = (int(part) for part in year_last.groups())
        candidates = [(year, first, second), (year, second, first)]
    elif year_first:
        year, month, day = (int(part) for part in year_first.groups())
        candidates = [(year, month, day)]
    else:
        return []
    readings = []
    for year, month, day in candidates:
        try:
            reading = dt.date(year, month, day).isoformat()
        except ValueError:
            continue
        if year > 0 and reading not in readings:
            readings.append(reading)
    return readings


def _date_hint(value) -> tuple[str, str | None]:
    readings = date_readings(value)
    if len(readings) == 2:
        return (
            f"dates are written YYYY-MM-DD; {value} reads two ways: `{readings[0]}` (month first) or "
            f"`{readings[1]}` (day first): write the one the document means",
            None,
        )
    if readings:
        return f"dates are written YYYY-MM-DD: write `{readings[0]}`", readings[0]
    return EXPECTED["date"][1], None


def reference_kind(kind: str | None, path: tuple) -> str | None:
    """The kind of record the field at path names, when it holds a reference."""
    steps = ["[]" if isinstance(step, int) else step for step in path]
    return next((field.kind for field in REFERENCE_FIELDS.get(kind or "", ()) if field.steps == steps), None)


# What a reference that is not an id is told, by the kind it names (a `hours: Mon-Fri 8-5`
# is not a misspelt id: the hours belong in a record of their own).
REFERENCE_HINTS = {
    "Calendar": "`{field}` names a Calendar record by its id, not the hours themselves: write the hours in a "
    "Calendar record (`service-catalogue new Calendar ID`: a `timezone` and `weekly` windows, or `always: true`) "
    "and give its id here",
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


def closest(word, choices) -> str | None:
    """The choice a misspelt word most likely meant (difflib's closest, or the same word in
    another case), or None: a Problem's suggestion."""
    if not isinstance(word, str):
        return None
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        # People misspell the end of a word more than its start: a choice nearly as close
        # that shares a longer start wins ("resolve" -> "resolution", not "response").
        nearly = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
        best = max(nearly, key=lambda choice: _shared_start(word, choice))
        if _shared_start(word, best) >= max(4, _shared_start(word, close[0]) + 2):
            close = [best]
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return close[0] if close else None


def _shared_start(a: str, b: str) -> int:
    """How many characters two words start with in common, in any case."""
    return len(os.path.commonprefix([a.lower(), b.lower()]))


def did_you_mean_words(suggestion: str | None) -> str:
    return f"did you mean `{suggestion}`?" if suggestion else ""


def did_you_mean(word, choices) -> str:
    """`did you mean `Service`?`, or "" when no choice is close."""
    return did_you_mean_words(closest(word, choices))


class SchemaSet:
    """One compiled validator per kind; the slow explanation runs only for records that fail."""

    def __init__(self):
        schemas = load_schemas()
        registry = Registry().with_resources(
            (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
        )
        self.schemas = schemas
        self.validators = {
            kind.name: Draft202012Validator(
                schemas[kind.schema_file], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
            for kind in KINDS
        }
        self._def_names = {id(sub): name for name, sub in schemas["defs.json"]["$defs"].items()}
        self._forbidden_keys = _false_properties(schemas)
        self._conditions = _condition_fields(schemas)
        self.fast = _compiled_validators(schemas)
        self.registry = registry
        self._required: dict[tuple, frozenset[str]] = {}

    def required_at(self, kind: str | None, path: tuple) -> frozenset[str]:
        """The fields the schema requires of the mapping at path in a record of this kind: those of its
        schema, of what that pulls in (`$ref`, `allOf`) and of either branch of a condition (a
        `weekly` required unless `always: true`), but not of the alternatives of an `anyOf` or a
        `oneOf`, none of which is required alone. Worked out once per place in the schema."""
        steps = tuple("[]" if isinstance(step, int) else step for step in path)
        key = (kind, steps)
        found = self._required.get(key)
        if found is None:
            found = self._required[key] = self._find_required(kind, steps)
        return found

    def _find_required(self, kind: str | None, steps: tuple) -> frozenset[str]:
        spec = next((k for k in KINDS if k.name == kind), None)
        if spec is None:
            return frozenset()
        root = self.schemas[spec.schema_file]
        nodes = list(self._expand(root, self.registry.resolver(base_uri=root["$id"])))
        for step in steps:
            children = []
            for node, resolver in nodes:
                if step == "[]":
                    child = node.get("items")
                else:
                    child = (node.get("properties") or {}).get(step)
                if isinstance(child, dict):
                    children.extend(self._expand(child, resolver))
            nodes = children
        return frozenset(name for node, _ in nodes for name in node.get("required") or ())

    def _expand(self, node: dict, resolver, depth: int = 0):
        """node, and every schema whose keywords apply wherever it does: $ref, allOf, then, else."""
        yield node, resolver
        if depth > 16:  # the format's schemas nest a few levels; a runaway $ref stops here
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            resolved = resolver.lookup(ref)
            if isinstance(resolved.contents, dict):
                yield from self._expand(resolved.contents, resolved.resolver, depth + 1)
        for sub in [*(node.get("allOf") or ()), node.get("then"), node.get("else")]:
            if isinstance(sub, dict):
                yield from self._expand(sub, resolver, depth + 1)

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
                    hint=f"add `kind:` with one of {', '.join(KIND_NAMES)}",
                )
            ]
        if kind not in KIND_NAMES:
            close = closest(kind, KIND_NAMES)
            hint = did_you_mean_words(close) or f"use one of {', '.join(KIND_NAMES)}"
            return [
                Problem(
                    record.location(("kind",)),
                    "record.unknown-kind",
                    f"unknown kind {shown(kind)}",
                    field="kind",
                    hint=hint,
                    suggestion=close,
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
        named: set = set()  # the fields `false` subschemas have been found at, so far
        errors = _without_conditional_echoes(list(validator.iter_errors(record.data)), self._conditions)
        for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
            problems.extend(self._explain(record, error, named))
        return _without_echoes(problems)

    def _explain(self, record: Record, error: ValidationError, named: set | None = None) -> list[Problem]:
        path = tuple(error.absolute_path)
        value = error.instance
        if error.validator is None and error.schema_path and error.schema_path[-1] == "properties":
            # jsonschema (4.x) does not add the property to the path of an error from a
            # `false` subschema ("weekly": false); find it by the value it holds: among
            # the fields some `false` forbids, one not named yet (`weekly:` and
            # `holidays:` may both hold the same None).
            parent = record.data
            for step in path:
                parent = parent[step]
            named = set() if named is None else named
            if isinstance(parent, dict):
                key = next(
                    (k for k, v in parent.items() if v is value and k in self._forbidden_keys and path + (k,) not in named),
                    None,
                )
                if key is not None:
                    path = path + (key,)
                    named.add(path)
        failure = Failure(record, error, path, self._def_names.get(id(error.schema), ""), self)
        return EXPLAINERS.get(failure.keyword, _in_jsonschemas_words)(failure)


@dataclass(frozen=True)
class Failure:
    """One jsonschema error as an explainer reads it: the record, the place, the shared definition."""

    record: Record
    error: ValidationError
    path: tuple  # where the value is; for a `false` subschema, the field jsonschema leaves out
    definition: str  # the name in defs.json of the schema that failed (`duration`, `url`), or ""
    schema_set: SchemaSet | None = None  # what asks the schema about the fields around the value

    @property
    def value(self):
        return self.error.instance

    @property
    def keyword(self) -> str | None:
        return cast("str | None", self.error.validator)

    @property
    def keyword_value(self) -> Any:
        """What the schema gives the keyword: the required names, the choices, the bound."""
        return self.error.validator_value

    @property
    def schema(self) -> dict:
        return self.error.schema if isinstance(self.error.schema, dict) else {}

    @property
    def required(self) -> bool:
        """The value's field is one its mapping must have (under a condition, too): removing it would not do."""
        if not self.path or not isinstance(self.path[-1], str) or self.schema_set is None:
            return False
        return self.path[-1] in self.schema_set.required_at(self.record.kind, self.path[:-1])

    @property
    def kind_word(self) -> str:
        """The record's kind in lower case, for a proposed id (`index-service`)."""
        return (self.record.kind or "record").lower()

    def problem(self, message: str, hint: str = "", at: tuple | None = None, code: str | None = None,
                at_key: bool = False, suggestion: str | None = None) -> Problem:
        at = self.path if at is None else at
        return Problem(
            self.record.location(at, at_key=at_key),
            code or f"schema.{self.keyword}",
            message,
            field=format_path(at),
            record=self.record.label,
            hint=hint,
            suggestion=suggestion,
        )


Explainer = Callable[[Failure], list[Problem]]


def _missing_field(failure: Failure, name: str, schema: dict) -> Problem:
    """A required field that is not there, with the hint its description in schema gives."""
    return Problem(
        failure.record.location(failure.path),
        "schema.required",
        f"missing required field `{name}`",
        field=format_path(failure.path + (name,)),
        record=failure.record.label,
        hint=_property_hint(schema, name),
    )


def _required(failure: Failure) -> list[Problem]:
    missing = [name for name in failure.keyword_value if name not in failure.value]
    special = REQUIRED_WORDS.get((failure.record.kind, _pattern(failure.path)))
    if special is not None:
        return special(failure, missing)
    return [_missing_field(failure, name, failure.schema) for name in missing
    ]


def _pattern(path: tuple) -> str:
    """('service_credits', 1) -> 'service_credits[]': a place in any item of its lists."""
    return join_path(("" if isinstance(step, int) else step, isinstance(step, int)) for step in path)


def _credit_required(failure: Failure, missing: list[str]) -> list[Problem]:
    """`condition` and `credit` are required of a service credit unless it is a tier with a
    threshold and a percent: the problem says which half of a tier is missing."""
    item = failure.value
    threshold = any(key in item for key in ("below", "at_or_below"))
    if "percent" in item and not threshold:
        # One mistake, one problem: the percent is what was meant, its threshold is missing.
        at = failure.path + ("percent",)
        return [
            failure.problem(
                "the credit has a `percent` but no threshold: it does not say when it applies",
                "add `below:` or `at_or_below:` with the availability (or the `metric`'s value) under which it "
                "applies, for example `below: 99.9`; or write the credit in words with `condition` and `credit`",
                at=at,
                code="schema.required",
                at_key=True,
            )
        ]
    if threshold and "percent" not in item and missing == ["condition"]:
        return [
            failure.problem(
                "missing required field `condition`",
                "a tier whose credit is in words needs its `condition` in words too; or write the credit as "
                "`percent:` (a percentage of `service_credit_terms.of`), and the page writes both",
                at=failure.path + ("condition",),
            )
        ]
    if threshold and "percent" not in item:
        return [
            failure.problem(
                "the credit tier has a threshold but no credit",
                "add `percent:` (the credit as a percentage of `service_credit_terms.of`, for example `percent: 10`), "
                "or write the credit in words with `condition` and `credit`",
                code="schema.required",
            )
        ]
    item_schema = _service_credit_item()
    return [_missing_field(failure, name, item_schema) for name in missing]


def _service_credit_item() -> dict:
    """The schema of one service credit, whose descriptions the hints quote (the rule that
    requires `condition` and `credit` sits in a subschema without them)."""
    return load_schemas()[KIND_FILES["Agreement"]]["properties"]["service_credits"]["items"]


# A required field whose hint depends on the rest of its mapping: (kind, place) -> the
# problems, given the failure and the names missing.
REQUIRED_WORDS: dict[tuple[str, str], Callable[[Failure, list[str]], list[Problem]]] = {
    ("Agreement", "service_credits[]"): _credit_required,
}


def _unknown_fields(failure: Failure) -> list[Problem]:
    known = list(failure.schema.get("properties", {}))
    problems = []
    for key in failure.value:
        if key in known:
            continue
        close = closest(key, known)
        problems.append(
            failure.problem(
                f"unknown field `{key}`",
                did_you_mean_words(close) or f"fields allowed here: {', '.join(known)}",
                at=failure.path + (key,),
                code="schema.unknown-field",
                at_key=True,
                suggestion=close,
            )
        )
    return problems


def _not_allowed(failure: Failure) -> list[Problem]:
    """A `false` subschema: the field may not appear here at all."""
    name = failure.path[-1] if failure.path else ""
    return [
        failure.problem(
            f"`{name}` is not allowed here",
            NOT_ALLOWED_HINTS.get((failure.record.kind, name), ""),
            code="schema.not-allowed",
            at_key=True,
        )
    ]


def _wrong_type(failure: Failure) -> list[Problem]:
    value, keyword_value = failure.value, failure.keyword_value
    wanted: list[str] = keyword_value if isinstance(keyword_value, list) else [keyword_value]
    expected = " or ".join(TYPE_WORDS.get(t, t) for t in wanted)
    hint, suggestion, name = "", None, failure.definition
    if wanted == ["string"] and name in UNQUOTABLE and value is not None:
        expected = EXPECTED[name][0]
    number = _number_words(value)
    if "boolean" in wanted and value in YAML_11_BOOLEANS:
        hint = "`yes`, `no`, `on` and `off` are text in YAML 1.2; write `true` or `false`"
    elif name == "duration" and number is not None:
        hint = _unit_hint(number)
    elif name == "time" and value is not None:
        hint, suggestion = _time_hint(value)
    elif name == "duration" and isinstance(value, (int, float)) and not isinstance(value, bool):
        hint = "a duration is never negative: write a number and its unit, such as `15m`"
    elif name == "date" and value is not None:
        hint = EXPECTED["date"][1]
    elif "string" in wanted and isinstance(value, (int, float, bool)):
        hint = "put the value in quotes to make it text"
    elif "array" in wanted and not isinstance(value, list):
        hint = "write a list: `[a, b]`, or one `- item` per line"
    elif value is None and failure.required:
        hint = f"`{failure.path[-1]}` is required: write its value after the colon"
    elif value is None:
        hint = "give the field a value, or remove it"
    elif "integer" in wanted and isinstance(value, float):
        hint = f"write a whole number, such as `{round(value)}`"
    elif {"number", "integer"} & set(wanted) and isinstance(value, str) and (leading := _LEADING_NUMBER.match(value)):
        hint = f"write the number alone, without a unit or quotes: `{leading.group(1)}`"
    return [failure.problem(f"expected {expected}, found {describe(value)}", hint, suggestion=suggestion)]


_LEADING_NUMBER = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)")  # "30 days", "99.9%"


def _not_a_choice(failure: Failure) -> list[Problem]:
    choices = failure.keyword_value
    listed = ", ".join(f"`{c}`" for c in choices)
    close = closest(failure.value, [str(c) for c in choices])
    return [failure.problem(f"expected one of {listed}, found {describe(failure.value)}", did_you_mean_words(close), suggestion=close)]


def _not_the_constant(failure: Failure) -> list[Problem]:
    return [failure.problem(f"expected `{failure.keyword_value}`, found {describe(failure.value)}")]


def _wrong_form(failure: Failure) -> list[Problem]:
    """A `pattern` or a `format`: said for the shared definition the value is of."""
    value, name, path = failure.value, failure.definition, failure.path
    expected, hint = EXPECTED.get(name, ("", ""))
    refused = refused_characters(value, name) if isinstance(value, str) else []
    if name == "url" and refused and not value.startswith(URL_SCHEMES):
        refused = []  # `java\tscript:` is a scheme that is not allowed, before anything else
    if refused:
        # Said for the pattern and the format alike: the two make one problem.
        message, hint = _character_words(value, refused, VALUE_NOUNS.get(name, "value"), name in MULTI_LINE_REFUSED)
        return [failure.problem(message, hint, code="schema.control-character")]
    # A date of the right shape that fails the pattern is year 0000: a day that does not exist.
    dated = isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)
    if failure.keyword == "format" and failure.keyword_value == "date" and not dated:
        return []  # not written YYYY-MM-DD: the date's pattern fails too, and its problem says so
    if (name == "date" and dated) or (failure.keyword == "format" and failure.keyword_value == "date"):
        return [failure.problem(f"{describe(value)} is not a real date", "check the day and the month", code="schema.date")]
    if name in ID_NAMES and value in RESERVED_IDS:
        suggestion = None
        if path == ("id",):
            suggestion = f"{value}-{failure.kind_word}"
            hint = f"choose another id, for example `{suggestion}`"
        else:
            hint = "no record can have this id, so no field can name one by it"
        return [failure.problem(f"the id `{value}` is reserved: {RESERVED_IDS[value]}", hint, code="schema.recordId", suggestion=suggestion)]
    shape = _DURATION_SHAPE.fullmatch(value) if name == "duration" and isinstance(value, str) else None
    if shape and len(shape.group(1)) > DURATION_DIGITS:
        return [
            failure.problem(
                f"the duration has {len(shape.group(1))} digits in its whole number; "
                f"the format takes at most {DURATION_DIGITS}",
                f"a target is at most a year: {YEAR_OF_DURATIONS}",
                code="schema.duration",
            )
        ]
    if not expected:
        expected = (failure.schema.get("description") or "a value of the right form").rstrip(".")
        expected = expected[0].lower() + expected[1:]
        # A form with no words of its own here is told in the editors' words (the schema's
        # patternErrorMessage), so that a new pattern is worded in one place and reads alike in both.
        editor_words = failure.schema.get("patternErrorMessage") if failure.keyword == "pattern" else None
        if isinstance(editor_words, str) and editor_words:
            hint = editor_words[0].lower() + editor_words[1:]
    suggestion = None
    number = _number_words(value)
    if name == "duration" and number is not None:
        hint = _unit_hint(number)
    elif name == "time":
        hint, suggestion = _time_hint(value)
    elif name == "date":
        hint, suggestion = _date_hint(value)
    named = reference_kind(failure.record.kind, path) if name in ID_NAMES and path != ("id",) else None
    if named in REFERENCE_HINTS:
        hint = REFERENCE_HINTS[named].format(field=path[-1])
    elif name in ID_NAMES:
        slug = slugify(value)
        if slug in RESERVED_IDS:  # the record's own id can take its kind; a reference has no right guess
            slug = f"{slug}-{failure.kind_word}" if path == ("id",) else ""
        if slug and slug != value:
            hint, suggestion = f"for example `{slug}`", slug
    return [failure.problem(f"expected {expected}, found {describe(value)}", hint, code=f"schema.{name or failure.keyword}", suggestion=suggestion)]


def _out_of_bounds(failure: Failure) -> list[Problem]:
    """minimum, maximum and their exclusive forms."""
    if failure.definition == "percent":
        return [failure.problem(f"expected {EXPECTED['percent'][0]}, found {describe(failure.value)}", EXPECTED["percent"][1])]
    bound = "at least" if "inimum" in (failure.keyword or "") else "at most"
    return [failure.problem(f"expected a number {bound} {failure.keyword_value}, found {describe(failure.value)}")]


def _too_few_items(failure: Failure) -> list[Problem]:
    count = failure.keyword_value
    words = MIN_ITEMS_WORDS.get((failure.record.kind, format_path(failure.path)))
    if words:
        return [failure.problem(*words)]
    return [failure.problem(f"needs at least {count} item{'s' * (count != 1)}", "add an item, or remove the field")]


def _empty(failure: Failure) -> list[Problem]:
    return [failure.problem("must not be empty", "write a value, or remove the field")]


def _too_long(failure: Failure) -> list[Problem]:
    return [failure.problem(f"is longer than {failure.keyword_value} characters", "shorten it; longer text belongs in `description`")]


def _repeated_item(failure: Failure) -> list[Problem]:
    seen: list = []
    repeated = None
    for item in failure.value:
        if item in seen:
            repeated = item
            break
        seen.append(item)
    return [failure.problem(f"lists {describe(repeated)} more than once", "remove the repeated item")]


def _in_jsonschemas_words(failure: Failure) -> list[Problem]:
    """A keyword no explainer knows: jsonschema's own message, at the right place."""
    return [failure.problem(failure.error.message)]


# Each keyword that can fail, and the explainer of its errors: the table jsonschema keeps
# of the function that checks each keyword (`validators.py`), read the other way. None is
# a `false` subschema's error, which jsonschema 4.x gives without a keyword. The keywords
# that only pass on the errors of their subschemas ($ref, allOf, if/then/else, items,
# properties) have no row: the error is the subschema's keyword's.
EXPLAINERS: dict[str | None, Explainer] = {
    None: _not_allowed,
    "false": _not_allowed,
    "additionalProperties": _unknown_fields,
    "const": _not_the_constant,
    "enum": _not_a_choice,
    "exclusiveMaximum": _out_of_bounds,
    "exclusiveMinimum": _out_of_bounds,
    "format": _wrong_form,
    "maxLength": _too_long,
    "maximum": _out_of_bounds,
    "minItems": _too_few_items,
    "minLength": _empty,
    "minimum": _out_of_bounds,
    "pattern": _wrong_form,
    "required": _required,
    "type": _wrong_type,
    "uniqueItems": _repeated_item,
}


def _compiled_validators(schemas: dict[str, dict]) -> dict:
    """One jsonschema-rs validator per kind, or {} when it is not installed or refuses a schema.

    Only its "valid" counts: a record it rejects is checked again by jsonschema, which
    decides and explains. So it must never be more lenient than jsonschema. The
    patterns are written so that Python, Rust and ECMA-262 read them alike: each ends
    with `$(?!\\n)` (Python's `$` also matches before a final newline, Rust's and
    ECMA's do not), and none uses `\\s` (the three disagree on what it matches); the
    date pattern refuses year 0000, which jsonschema-rs's `date` format takes and
    Python's does not. tests/test_hardening_schema.py compares the verdicts on
    generated records. _python_patterns drops the final lookahead, which Rust does not
    need, and widens a `\\s` a later pattern might use.
    """
    if jsonschema_rs is None:
        return {}
    try:
        schemas = {name: _python_patterns(schema) for name, schema in schemas.items()}
        registry = jsonschema_rs.Registry([(schema["$id"], schema) for schema in schemas.values()])
        return {
            kind.name: jsonschema_rs.Draft202012Validator(schemas[kind.schema_file], registry=registry, validate_formats=True)
            for kind in KINDS
        }
    except Exception:  # pragma: no cover - an older jsonschema-rs: jsonschema alone is slower, not wrong
        return {}


_PY_SPACE = r"\s\x1c-\x1f\x85"  # what Python's \s matches beyond Rust's
_VERY_END = r"$(?!\n)"  # how a pattern ends: at the end of the text, in Python too


def _python_patterns(node):
    """A copy of a schema whose `pattern`s match in Rust what they match in Python."""
    if isinstance(node, list):
        return [_python_patterns(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: _python_patterns(value) for key, value in node.items()}
    if isinstance(node.get("pattern"), str):
        copy["pattern"] = _rust_end(_widen_spaces(node["pattern"]))
    return copy


def _rust_end(pattern: str) -> str:
    """In Rust `$` alone is the end of the text: the lookahead Python needs only slows
    jsonschema-rs down (its regex engine leaves its fast path for any lookaround)."""
    return pattern[: -len(_VERY_END)] + "$" if pattern.endswith(_VERY_END) else pattern


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
    field missing: the unknown key's "did you mean `resolution`?" says it all. A
    field that may not appear at all (`weekly` in a 24x7 calendar) is that one
    problem, whatever it holds. A value that fails its pattern and its format for
    the same reason (a control character in a date) is said once.
    """
    problems = list(dict.fromkeys(problems))
    forbidden = [p.field for p in problems if p.code == "schema.not-allowed" and p.field]
    if forbidden:
        problems = [
            p for p in problems
            if p.code == "schema.not-allowed"
            or not any(p.field == f or p.field.startswith((f"{f}.", f"{f}[")) for f in forbidden)
        ]
    typed = {(p.location, p.field) for p in problems if p.code == "schema.type"}
    suggested = set()
    for p in problems:
        if p.code == "schema.unknown-field" and p.suggestion:
            parent = p.field.rpartition(".")[0] if "." in p.field else ""
            suggested.add(f"{parent}.{p.suggestion}" if parent else p.suggestion)
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


def slugify(value) -> str:
    if not isinstance(value, str):
        return ""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:63].rstrip("-")


def _condition_fields(schemas: dict[str, dict]) -> dict[int, frozenset[str]]:
    """The fields the `if` of each condition tests, by the id() of its `then` and its `else`."""
    found: dict[int, frozenset[str]] = {}

    def visit(node):
        if isinstance(node, dict):
            test = node.get("if")
            if isinstance(test, dict):
                names = frozenset([*(test.get("properties") or {}), *(test.get("required") or ())])
                for branch in (node.get("then"), node.get("else")):
                    if isinstance(branch, dict):
                        found[id(branch)] = names
            for sub in node.values():
                visit(sub)
        elif isinstance(node, list):
            for sub in node:
                visit(sub)

    visit(schemas)
    return found


def _without_conditional_echoes(errors: list[ValidationError], conditions: dict[int, frozenset[str]]) -> list[ValidationError]:
    """A condition's branch was chosen by a field that is itself wrong (`always: yes`, text in YAML
    1.2, picks the branch of a calendar with weekly hours): what that branch asks for is the wrong
    field's echo, so only the field is reported, not "missing required field `weekly`"."""
    wrong = {tuple(error.absolute_path) for error in errors}
    return [
        error
        for error in errors
        if not (
            error.validator == "required"
            and id(error.schema) in conditions
            and any(tuple(error.absolute_path) + (name,) in wrong for name in conditions[id(error.schema)])
        )
    ]


def _false_properties(schemas: dict[str, dict]) -> frozenset:
    """The names of the fields that a `false` subschema forbids somewhere (`weekly`, `holidays`)."""
    found = set()

    def visit(node):
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                if sub is False:
                    found.add(key)
            for sub in node.values():
                visit(sub)
        elif isinstance(node, list):
            for sub in node:
                visit(sub)

    visit(schemas)
    return frozenset(found)


@lru_cache(maxsize=1)
def schema_set() -> SchemaSet:
    return SchemaSet()
