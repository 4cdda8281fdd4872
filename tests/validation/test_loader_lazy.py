"""Positions are found when first asked for, and are the ones a full parse gives."""

from __future__ import annotations

import copy
from pathlib import Path

from service_catalogue.validation.loader import FileCache, LoadLimits, Position, Record, parse_documents, read_bytes, read_text
from service_catalogue.validation.problems import Location

TEXT = """\
# a comment first
apiVersion: catalogue/v1
kind: Party
id: one
contacts:
  - {name: A, email: a@example.org}
  - name: B
    tags: [x, "y", 3]
---
kind: Party
id: two
tags: &tags [x, "y", 3]
again: *tags
nested:
  deeper:
    - - 1
      - [2, {k: v}]
"""


def full_positions(text: str) -> list[dict]:
    return [positions for _, positions, _ in parse_documents(text, "x.yaml", LoadLimits(), [])]


def test_lazy_positions_are_those_of_a_full_parse():
    records = read_text(TEXT, "x.yaml", Path("x.yaml")).records
    assert [r.positions for r in records] == full_positions(TEXT)
    assert records[0].location() == Location("x.yaml", 2, 1)
    assert records[0].location(("contacts", 1, "tags", 2), at_key=True) == Location("x.yaml", 8, 20)
    assert records[1].location(("nested", "deeper", 0, 1, 1, "k"), at_key=True) == Location("x.yaml", 17, 14)
    assert records[1].location(("nested", "missing", 3)) == Location("x.yaml", 15, 3)


def test_the_record_line_needs_no_positions():
    record = read_text(TEXT, "x.yaml", Path("x.yaml")).records[1]
    assert record.location() == Location("x.yaml", 10, 1)
    assert record._positions is None  # pages and exports ask every record for this


def test_records_from_bytes_find_positions_without_a_file():
    records = read_bytes(TEXT.encode(), "x.yaml", Path("/no/such/folder/x.yaml")).records
    assert records[1].location(("again", 1)) == Location("x.yaml", 13, 8)  # inside an alias: the alias
    assert records[0].location(("id",), at_key=True) == Location("x.yaml", 4, 1)


def test_a_record_built_with_positions_keeps_them():
    record = Record({"id": "a"}, "a.yaml", Path("a.yaml"), 0, {("id",): Position(3, 5, 3, 1)})
    assert record.location(("id",)) == Location("a.yaml", 3, 5)
    assert record.location(("id",), at_key=True) == Location("a.yaml", 3, 1)
    assert Record({"id": "a"}, "a.yaml", Path("a.yaml"), 0).location(("id",)) == Location("a.yaml", 1, 1)
    assert copy.copy(record).positions is record.positions


def test_a_file_with_a_problem_is_read_with_positions():
    text = TEXT.replace("id: two\n", "id: two\nid: three\n")
    result = read_text(text, "x.yaml", Path("x.yaml"))
    assert [(p.code, str(p.location), p.related) for p in result.problems] == [
        ("yaml.duplicate-key", "x.yaml:12:1", (Location("x.yaml", 11, 1),))
    ]
    assert [r.positions for r in result.records] == [p for p in full_positions(text) if p]


def test_the_cache_keeps_records_and_their_positions(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(TEXT, "utf-8")
    cache = FileCache()
    first = cache.read(path, "x.yaml", LoadLimits()).records
    positions = first[1].positions
    again = cache.read(path, "x.yaml", LoadLimits()).records
    assert again[1] is first[1] and again[1].positions is positions


ODD = """\
%YAML 1.2
---
kind: Party
id: "odd"
"quoted key": 1
'single: quoted': {a: [1, {b: c}], "d e": []}
key with spaces : value
"ünïcødé ✓": |
  block text
  on lines
? explicit
: value
flow: [a, [b, [c]], {}, {x: {y: z}}]
empty_map: {}
empty_list: []
nulls: [~, null, ]
folded: >-
  folded
  text
nested:
- - a
  - b: 1
    c:
    - d
-
  e: f
...
---
[not, a, record]
---
kind: Party
id: second
"": empty key
"1": one
"-": [dash]
"""


def all_records_match_a_full_parse(text: str, name: str = "x.yaml") -> list[Record]:
    """Every record's lazily found positions, and location() of every node asked before
    them, are exactly (and in the same order) those of a full parse."""
    full = full_positions(text)
    quick = read_text(text, name, Path(name)).records  # asked for location() first
    for record in quick:
        for path, position in full[record.document].items():
            assert record.location(path) == Location(name, position.line, position.column)
            key = (position.key_line or position.line, position.key_column or position.column)
            assert record.location(path, at_key=True) == Location(name, *key)
            assert record.location(path + ("missing", 0), at_key=True) == Location(name, position.line, position.column)
    records = read_text(text, name, Path(name)).records
    for record in records:
        assert list(record.positions.items()) == list(full[record.document].items())
    return records


def test_positions_from_marks_are_those_of_a_full_parse():
    records = all_records_match_a_full_parse(TEXT.replace("again: *tags\n", ""))
    assert records[0].source.marks is not None and records[0].source.text is None  # no alias: no text kept


def test_a_file_with_an_alias_keeps_its_text_for_positions():
    records = all_records_match_a_full_parse(TEXT)
    assert records[0].source.marks is None
    assert records[1].location(("again", 1)) == Location("x.yaml", 13, 8)


def test_positions_of_odd_keys_styles_and_documents():
    text = ODD.replace("---\n[not, a, record]\n", "")  # a problem would read it the full way
    records = all_records_match_a_full_parse(text)
    assert [r.document for r in records] == [0, 1] and records[0].source.marks is not None
    assert records[0].location(("nested", 0, 1, "c", 0)) == Location("x.yaml", 24, 7)
    all_records_match_a_full_parse(ODD)  # with the problem: read with positions


def test_every_record_of_the_example_catalogue_matches_a_full_parse():
    folder = Path(__file__).resolve().parents[2] / "catalogue"
    files = sorted(folder.rglob("*.yaml"))
    assert files
    for path in files:
        records = all_records_match_a_full_parse(path.read_text("utf-8"), path.name)
        assert all(r.source is None or r.source.marks is not None for r in records), path
