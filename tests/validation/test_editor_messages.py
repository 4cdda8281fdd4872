"""What an editor says of a value of the wrong form: every `pattern` of the schemas has a
`patternErrorMessage`, the keyword the YAML and JSON language servers show in place of the
regular expression ("A duration is a number and a unit ...: 30m, 4h, 2d or 1w", not
`String does not match the pattern of "^(0|[1-9]...`); a duration, a date and a time carry
the same words as `errorMessage`, which the servers show for a value of the wrong type too.

A wrong hint is a bug, so each message is held to its pattern: the examples it names
(the list after its last ": ") match, and the near misses a service manager writes do
not. The validators ignore the keyword (Draft 2020-12 lets a schema carry keywords of its
own), and yaml-language-server itself, from npm, shows the message on a record.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

from helpers.browser import serve_directory
from helpers.yaml_language_server import LanguageServer
from service_catalogue import pipeline
from service_catalogue.kinds import KIND_NAMES
from service_catalogue.validation.loader import read_text
from service_catalogue.validation.schemas import (
    DURATION_UNIT_WORDS, EXPECTED, duration_units, load_schemas, schema_set,
)

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"


def _patterns(node, where: str):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield where, node
        for key, sub in node.items():
            yield from _patterns(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            yield from _patterns(sub, f"{where}/{index}")


# Every schema with a `pattern`, read from the files themselves: {"defs.json#/$defs/duration": schema}.
PATTERNED = {
    f"{path.name}#{where}": node
    for path in sorted(SCHEMA_DIR.glob("*.json"))
    for where, node in _patterns(json.loads(path.read_text("utf-8")), "")
}

SINGLE_LINE_MISSES = ["two\tcolumns", "two\nlines", "line\r", "esc\x1b[31m", "bell\x07", "left\u202eright", "isolate\u2066x", "para\u2029graph", "c1\x85"]
MULTI_LINE_MISSES = ["esc\x1b[31m", "bell\x07", "nul\x00", "c1\x9b"]
DURATION_MISSES = ["4 hours", "4", "4H", "4 h", "-1h", "1.5", "05m", "1,5h", "1234567m", "4hr", "h", ".5h", "1.h"]

# The values a service manager gets wrong, by schema: each must fail its pattern, and so
# be told the message. A pattern added without its near misses fails the test below.
NEAR_MISSES = {
    "defs.json#/$defs/recordId": ["Email", "-email", "email_service", "e-mail service", "index", "con", "lpt1", "a" * 64, "email\n", ""],
    "defs.json#/$defs/localId": ["-P1", "_P1", "P 1", "P1.", "a" * 33, ""],
    "defs.json#/$defs/title": SINGLE_LINE_MISSES,
    "defs.json#/$defs/summary": SINGLE_LINE_MISSES,
    "defs.json#/$defs/plainLine": SINGLE_LINE_MISSES,
    "defs.json#/$defs/markdown": MULTI_LINE_MISSES,
    "defs.json#/$defs/plainText": [*MULTI_LINE_MISSES, "left\u202eright", "isolate\u2066x"],
    "defs.json#/$defs/tag": ["Teaching", "-teaching", "research data", "research_data", ""],
    "defs.json#/$defs/duration": DURATION_MISSES,
    "defs.json#/$defs/metricTarget": [*DURATION_MISSES, "99%", "99", "4.5"],
    "defs.json#/$defs/date": ["31/01/2026", "2026-1-31", "26-01-31", "0000-01-01", "2026-01-31T09:00", "2026/01/31"],
    "defs.json#/$defs/time": ["8:00", "8am", "0800", "24:30", "12:60", "08.00", "25:00", "8:00 pm"],
    "defs.json#/$defs/email": ["service desk@example.org", "help@localhost", "help", "help@@example.org", "@example.org", "help@example.org\t"],
    "defs.json#/$defs/url": ["www.example.org", "ftp://example.org", "javascript:alert(1)", "https://exa mple.org", "file:///etc/passwd", "example.org/help"],
    "defs.json#/$defs/timezone": ["Europe/Berlin\n", "Europe/\tBerlin", ""],
    "agreement.json#/properties/metrics/items/if/properties/target": DURATION_MISSES,
    "service.json#/properties/cost/properties/currency": ["eur", "EURO", "\u20ac", "E U", "US$"],
}

# What a message says is allowed, beyond the examples it lists.
ALSO_ALLOWED = {
    "defs.json#/$defs/markdown": ["line one\nline two", "a\tb", "windows\r\nline", "left\u202eright"],
    "defs.json#/$defs/plainText": ["line one\nline two", "a\tb", "windows\r\nline"],
    "defs.json#/$defs/recordId": ["a" * 63, "indexes", "con-room", "7"],
    "defs.json#/$defs/localId": ["a" * 32],
    "defs.json#/$defs/duration": ["0m", "1.5d", "999999m"],
    "defs.json#/$defs/time": ["00:00", "23:59"],
}


def message_examples(message: str) -> list[str]:
    """The values a message names as examples: the list after its last ": ", "a, b or c"."""
    _, colon, listed = message.rpartition(": ")
    if not colon:
        return []
    return re.split(r", | or ", listed)


def matches(schema: dict, value: str) -> bool:
    """The pattern's verdict as jsonschema reads it (Python's re.search)."""
    return re.search(schema["pattern"], value) is not None


@pytest.mark.parametrize("where", sorted(PATTERNED))
def test_every_pattern_has_a_message_for_editors(where):
    message = PATTERNED[where].get("patternErrorMessage")
    assert isinstance(message, str) and message.strip(), f"{where} has a pattern and no patternErrorMessage"
    assert "\\" not in message and "^" not in message, "the message is for people, not a regular expression"
    assert "`" not in message, "editors show the message as plain text: no Markdown"
    assert message[0].isupper() and not message.endswith("."), message


@pytest.mark.parametrize("where", sorted(PATTERNED))
def test_each_message_is_right_for_its_pattern(where):
    schema = PATTERNED[where]
    message = schema["patternErrorMessage"]
    for example in message_examples(message):
        assert matches(schema, example), f"{where}: the message names {example!r}, which its pattern refuses"
    for value in ALSO_ALLOWED.get(where, []):
        assert matches(schema, value), f"{where}: {value!r} is allowed by the message, not by the pattern"
    assert where in NEAR_MISSES, f"{where}: list the near misses its message is told for"
    for value in NEAR_MISSES[where]:
        assert not matches(schema, value), f"{where}: {value!r} passes the pattern, so its message is never told for it"


# The forms whose every mistake the message fits, a value of another type too (`response: 30`,
# `from: 8`, `start: 2026` are numbers in YAML): they carry the same words as `errorMessage`,
# which the language servers show for any error of the schema. Not an id: `id: 2026` is a
# number, and "an id is lower-case letters, digits ..." would not tell the author to quote it.
WHOLE_FORM = ("date", "duration", "time")


def test_the_forms_whose_every_mistake_the_message_fits_carry_it_as_error_message_too():
    definitions = load_schemas()["defs.json"]["$defs"]
    carried = sorted(name for name, schema in definitions.items() if "errorMessage" in schema)
    assert carried == sorted(WHOLE_FORM)
    for name in WHOLE_FORM:
        schema = definitions[name]
        assert schema["errorMessage"] == schema["patternErrorMessage"]
        # Its only other keywords are its type and format, whose errors the same words fit.
        assert set(schema) <= {"description", "type", "pattern", "format", "patternErrorMessage", "errorMessage"}
    others = [where for where, schema in PATTERNED.items() if "errorMessage" in schema and not where.endswith(WHOLE_FORM)]
    assert others == []


def test_the_messages_that_list_values_list_some():
    """Most forms are best shown by example; only the control-character rules have none."""
    without = sorted(where for where, schema in PATTERNED.items() if not message_examples(schema["patternErrorMessage"]))
    assert without == [f"defs.json#/$defs/{name}" for name in ("markdown", "plainLine", "plainText", "summary", "title")]


@pytest.mark.parametrize("where", [w for w, s in PATTERNED.items() if "[mhdw]" in s["pattern"]])
def test_a_duration_message_names_the_units_its_pattern_allows_as_the_cli_does(where):
    message = PATTERNED[where]["patternErrorMessage"]
    named = dict(re.findall(r"\b([a-z]) (minutes|hours|service days|service weeks)\b", message))
    assert "".join(named) == duration_units()
    assert named == DURATION_UNIT_WORDS  # the words `validate` uses in its hints


def test_the_cli_and_the_editor_give_examples_of_the_same_forms():
    """`validate` says "expected a duration such as `15m` ...": its examples match the same pattern."""
    definitions = load_schemas()["defs.json"]["$defs"]
    checked = 0
    for name, (expected, hint) in EXPECTED.items():
        schema = definitions.get(name, {})
        if "pattern" not in schema:
            continue
        # The values after "such as" or "for example" (not a character named in passing: `-`, `_`).
        examples = [value for text in (expected, hint) for lead in ("such as ", "for example ")
                    for value in re.findall(r"`([^`]+)`", text.partition(lead)[2])]
        for example in examples:
            assert matches(schema, example), f"validate's words for {name} name {example!r}, which its pattern refuses"
            checked += 1
    assert checked >= 8


# --------------------------------------------------------------------------
# The validators ignore the keyword


@pytest.mark.parametrize("where", sorted(PATTERNED))
def test_jsonschema_and_jsonschema_rs_ignore_the_keyword(where):
    schema = {"type": "string", **{k: v for k, v in PATTERNED[where].items() if k in ("pattern", "patternErrorMessage")}}
    bare = {k: v for k, v in schema.items() if k != "patternErrorMessage"}
    rust_pattern = {**schema, "pattern": schema["pattern"].removesuffix("(?!\\n)")}  # as the fast path compiles it
    Draft202012Validator.check_schema(schema)
    values = [*message_examples(schema["patternErrorMessage"]), *NEAR_MISSES[where], *ALSO_ALLOWED.get(where, [])]
    for value in values:
        verdict = Draft202012Validator(bare).is_valid(value)
        assert Draft202012Validator(schema).is_valid(value) == verdict, value
        assert jsonschema_rs.Draft202012Validator(rust_pattern).is_valid(value) == verdict, value


def test_the_fast_path_still_compiles_every_kind():
    """jsonschema-rs takes the real schemas, keyword and all (it falls back to jsonschema alone if not)."""
    assert set(schema_set().fast) == set(KIND_NAMES)


def test_a_pattern_validate_has_no_words_for_is_told_in_the_editors_words():
    """One home for the words of a form `validate` does not word itself: the schema's message."""
    text = ("apiVersion: catalogue/v1\nkind: Service\nid: vpn\ntitle: VPN\ntype: customer-facing\nstatus: live\n"
            "owner: it\nsummary: Remote access.\ncost: {model: chargeback, amount: 2, currency: eur, per: user}\n")
    [record] = read_text(text, "services/vpn.yaml", Path("services/vpn.yaml")).records
    [problem] = schema_set().problems(record)
    assert problem.field == "cost.currency"
    assert problem.hint == "a currency is a three-letter ISO 4217 code in capitals: EUR, USD or GBP"
    assert PATTERNED["service.json#/properties/cost/properties/currency"]["patternErrorMessage"] == "A" + problem.hint[1:]


# --------------------------------------------------------------------------
# yaml-language-server, the language server of VS Code's YAML extension and of yamlls


@pytest.fixture(scope="module")
def schema_address(tmp_path_factory):
    """The schemas as a site without site_url publishes them, served over HTTP: their folder's URL."""
    root = tmp_path_factory.mktemp("published")
    for path, text in pipeline.schema_files().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, "utf-8")
    with serve_directory(root) as base:
        yield f"{base}schema/v1/"


@pytest.fixture(scope="module")
def language_server():
    with LanguageServer() as server:
        yield server


AGREEMENT = """\
apiVersion: catalogue/v1
kind: Agreement
id: sla-vpn
title: VPN SLA
type: SLA
status: draft
provider: {provider}
customer: students
services: [vpn]
period: {{start: 2026-01-15}}
priorities:
  - {{id: P1, description: Nobody can connect, response: {response}, resolution: 4h}}
"""

# (the name of the schema in defs.json, or "currency" for service.json's, the record, the line of the bad value)
WRONG_VALUES = [
    ("duration", AGREEMENT.format(provider="it", response="4 hours"), 11),
    ("duration", AGREEMENT.format(provider="it", response="30"), 11),
    ("recordId", AGREEMENT.format(provider="IT Services", response="30m"), 6),
    ("time", "apiVersion: catalogue/v1\nkind: Calendar\nid: hours\ntitle: Hours\ntimezone: Europe/London\n"
             "weekly:\n  - {days: [mon], from: \"8:00\", to: \"17:00\"}\n", 6),
    ("time", "apiVersion: catalogue/v1\nkind: Calendar\nid: hours\ntitle: Hours\ntimezone: Europe/London\n"
             "weekly:\n  - {days: [mon], from: 8, to: \"17:00\"}\n", 6),
    ("email", "apiVersion: catalogue/v1\nkind: Party\nid: it\ntitle: IT\ntype: team\nemail: service desk@example.org\n", 5),
    ("currency", "apiVersion: catalogue/v1\nkind: Service\nid: vpn\ntitle: VPN\ntype: customer-facing\nstatus: live\n"
                 "owner: it\nsummary: Remote access.\ncost: {model: chargeback, amount: 2, currency: eur, per: user}\n", 8),
    ("tag", "apiVersion: catalogue/v1\nkind: Term\nid: rto\ntitle: RTO\ndefinition: Recovery time objective.\ntags: [Continuity]\n", 5),
]


@pytest.mark.parametrize(("definition", "record", "line"), WRONG_VALUES, ids=[f"{d}-{i}" for i, (d, _, _) in enumerate(WRONG_VALUES)])
def test_yaml_language_server_shows_the_message_on_the_bad_value(language_server, schema_address, definition, record, line):
    kind = re.search(r"^kind: (\w+)$", record, re.M).group(1)
    text = f"# yaml-language-server: $schema={schema_address}{kind.lower()}.json\n{record}"
    diagnostics = language_server.diagnostics(f"file:///catalogue/{definition}-{line}-{len(text)}.yaml", text)
    expected = (PATTERNED["service.json#/properties/cost/properties/currency"] if definition == "currency"
                else load_schemas()["defs.json"]["$defs"][definition])["patternErrorMessage"]
    assert [(d["message"], d["range"]["start"]["line"]) for d in diagnostics] == [(expected, line + 1)], diagnostics


def test_yaml_language_server_shows_the_message_through_the_schema_that_chooses_by_kind(language_server, schema_address):
    """record.json, which .vscode/settings.json maps to every record: the same message."""
    text = f"# yaml-language-server: $schema={schema_address}record.json\n" + AGREEMENT.format(provider="it", response="4 hours")
    diagnostics = language_server.diagnostics("file:///catalogue/through-record.yaml", text)
    assert [d["message"] for d in diagnostics] == [load_schemas()["defs.json"]["$defs"]["duration"]["patternErrorMessage"]]


def test_yaml_language_server_finds_nothing_wrong_with_a_good_record(language_server, schema_address):
    """The messages come from the schemas, not from a schema the server could not load:
    a good record, checked through the same $refs, has no diagnostic at all."""
    text = f"# yaml-language-server: $schema={schema_address}agreement.json\n" + AGREEMENT.format(provider="it", response="30m")
    assert language_server.diagnostics("file:///catalogue/good.yaml", text) == []


def test_yaml_language_server_checks_the_records_of_a_new_repository_against_its_local_copy(language_server, tmp_path, capsys):
    """`init`'s records name .service-catalogue/schema/ by a relative path (option 1 of the
    guide): the server loads the copy from the disk, with no network, and says the same."""
    from service_catalogue import cli

    assert cli.main(["init", str(tmp_path)]) == 0
    capsys.readouterr()
    records = sorted((tmp_path / "catalogue").rglob("*.yaml"))
    assert len(records) == 5
    for path in records:
        text = path.read_text("utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../.service-catalogue/schema/")
        assert language_server.diagnostics(path.as_uri(), text) == [], path.name
    agreement = tmp_path / "catalogue" / "agreements" / "sla-email.yaml"
    broken = agreement.read_text("utf-8").replace("resolution: 4h", "resolution: 4 hours", 1)
    assert "4 hours" in broken
    diagnostics = language_server.diagnostics(agreement.as_uri() + "?broken", broken)
    assert [d["message"] for d in diagnostics] == [load_schemas()["defs.json"]["$defs"]["duration"]["patternErrorMessage"]]
