"""Hardening of the loader, round two: what reading a catalogue must never get wrong.

- folders that cannot be listed or entered are located errors, never a silent gap
  (or a traceback); the catalogue folder itself likewise;
- numbers JSON cannot carry (an integer beyond 2**53 - 1 in any spelling, a float
  that overflows to infinity) are located errors, so no export ever holds `Infinity`;
- CR and the other YAML line breaks count as line breaks everywhere a line is counted;
- a YAML tag is refused wherever it is written: on keys, values, lists, mappings;
- the locations of all problems of one record cost work linear in its size.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers.catalogue_builder import (
    AGREEMENT,
    CALENDAR,
    CATALOGUE,
    TERM,
    Mistake,
    expect_invalid,
    expect_mistake,
    expect_problem,
    expect_valid,
    mistakes,
    replace,
    validate,
    write_catalogue,
)
from helpers.parser_events import PARSER
from service_catalogue.validation import folder as catalogue
from service_catalogue.validation import loader
from service_catalogue.validation.loader import read_bytes, read_text
from service_catalogue.validation.problems import Location

PARTY = "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\n"
HELPDESK = "catalogue/parties/helpdesk.yaml"
EXTRA_TERM = replace(TERM, "id: service-level-agreement", "id: operational-level-agreement")


def problems_of(text: str, name: str = "x.yaml"):
    result = read_text(text, name, Path(name))
    return [(p.code, p.location.line, p.location.column, p.message, p.hint) for p in result.problems]


# --------------------------------------------------------------------------
# 6. Folders that cannot be read
#
# Root reads any folder whatever its permission bits (CAP_DAC_OVERRIDE and
# CAP_DAC_READ_SEARCH), and CI runs as root: the check is run with those two
# capabilities dropped from the bounding set before exec, so the kernel checks the
# bits for it as for any user. The errors are then real ones, from the real CLI.

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _without_permission_override():
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def validate_as_a_user(tmp_path: Path, catalogue_path: str = CATALOGUE) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "service_catalogue", "validate", catalogue_path],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        preexec_fn=_without_permission_override,
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


@pytest.fixture
def closed(tmp_path):
    """chmod a folder for one test, and open it again after (so it can be deleted)."""
    changed = []

    def close(path: Path, mode: int) -> None:
        changed.append(path)
        path.chmod(mode)

    yield close
    for path in reversed(changed):
        path.chmod(0o755)


def test_a_sub_folder_that_cannot_be_listed_is_a_located_error(tmp_path, closed):
    root = write_catalogue(tmp_path, {"glossary/more/ola.yaml": EXTRA_TERM})
    closed(root / "glossary/more", 0o000)
    proc = validate_as_a_user(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        "catalogue/glossary/more:1:1: error: cannot read this folder (permission denied): its records are not checked [folder.unreadable]",
        "let the user who runs the check read and enter the folder (`chmod +rx` on it), or move it out of the catalogue",
    )


def test_a_reference_into_an_unreadable_folder_names_the_folder(tmp_path, closed):
    root = write_catalogue(tmp_path)
    closed(root / "services", 0o000)
    proc = validate_as_a_user(tmp_path)
    expect_invalid(proc, 2)
    expect_problem(
        proc,
        "catalogue/agreements/sla-email.yaml:9:12: error: Agreement sla-email: services[0]: `email` names no Service in the catalogue [ref.missing]",
        "`services` names a Service by its id; it may be in a file that could not be read (catalogue/services/)",
    )


def test_a_folder_that_can_be_listed_but_not_entered_is_located(tmp_path, closed):
    root = write_catalogue(tmp_path, {"glossary/more/ola.yaml": EXTRA_TERM, "glossary/more/deeper/x.yaml": TERM})
    closed(root / "glossary/more", 0o444)  # r--: names can be read, nothing behind them
    proc = validate_as_a_user(tmp_path)
    expect_invalid(proc, 2)
    expect_problem(
        proc,
        "catalogue/glossary/more/deeper:1:1: error: cannot read this folder (permission denied): its records are not checked [folder.unreadable]",
        "let the user who runs the check read and enter the folder (`chmod +rx` on it), or move it out of the catalogue",
    )
    expect_problem(proc, "catalogue/glossary/more/ola.yaml:1:1: error: cannot read the file: Permission denied [file.unreadable]")


def test_an_unreadable_catalogue_folder_is_a_located_error(tmp_path, closed):
    root = write_catalogue(tmp_path)
    closed(root, 0o000)
    proc = validate_as_a_user(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        "catalogue:1:1: error: cannot read the catalogue folder (permission denied) [catalogue.unreadable]",
        "let the user who runs the check read and enter the folder (`chmod +rx` on it)",
    )


def test_a_catalogue_folder_inside_a_closed_folder_is_a_located_error(tmp_path, closed):
    write_catalogue(tmp_path / "inner")
    closed(tmp_path / "inner", 0o600)  # rw-: the catalogue folder in it cannot be reached
    proc = validate_as_a_user(tmp_path, "inner/catalogue")
    expect_invalid(proc)
    expect_problem(
        proc,
        "inner/catalogue:1:1: error: cannot read the catalogue folder (permission denied) [catalogue.unreadable]",
        "let the user who runs the check read and enter the folder (`chmod +rx` on it)",
    )


def test_a_folder_error_other_than_permission_gets_no_chmod_hint(tmp_path):
    # A path longer than the system allows (PATH_MAX, 4,096 bytes) cannot be opened by
    # anyone, root included: made by steps relative to an open folder.
    root = write_catalogue(tmp_path)
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(20):
            os.mkdir("d" * 250, dir_fd=fd)
            inner = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    results, problems = loader.load_folder(root)
    assert [(p.code, p.message, p.hint) for p in problems] == [
        (
            "folder.unreadable",
            "cannot read this folder (file name too long): its records are not checked",
            "give the folder a shorter path, or move it out of the catalogue",
        )
    ]
    assert len(problems[0].location.file) > 4096 - 300


# --------------------------------------------------------------------------
# 8. Numbers JSON cannot carry

NUMBER_HINT = "write a smaller number; if the value is meant as text, put it in quotes"
LARGEST = 2**53 - 1


def test_a_4301_digit_integer_is_a_located_error(tmp_path):
    write_catalogue(tmp_path, {"parties/helpdesk.yaml": PARTY + "summary: " + "7" * 4301 + "\n"})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{HELPDESK}:6:10: error: summary: the number `777777777777...` (4,301 digits) is beyond what a catalogue can hold exactly "
        "(-9,007,199,254,740,991 to 9,007,199,254,740,991) [yaml.number-range]",
        NUMBER_HINT,
    )


METRICS = "metrics:\n  - id: rpo\n    title: Recovery point\n    target: {}\n    unit: h\n    direction: at-most\n"


@pytest.mark.parametrize("spelling", ["1e400", "-1e400", "1" * 400 + ".5", "1.0E+309"])
def test_a_float_that_overflows_to_infinity_is_a_located_error(tmp_path, spelling):
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": AGREEMENT + METRICS.format(spelling)})
    proc = validate(tmp_path)
    expect_invalid(proc, 2)  # and `sla-email`, in the file that could not be read, names no Agreement
    shown = spelling if len(spelling) <= 24 else spelling[:12] + "..."
    expect_problem(
        proc,
        f"catalogue/agreements/sla-email.yaml:26:13: error: metrics[0].target: the number `{shown}` is too large: "
        "it would read as infinity [yaml.number-range]",
        NUMBER_HINT,
    )


def test_a_large_finite_float_is_still_a_number(tmp_path):
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": AGREEMENT + METRICS.format("1e300")})
    expect_valid(validate(tmp_path))


@pytest.mark.parametrize(
    "spelling, value",
    [
        (str(LARGEST), LARGEST),
        (f"-{LARGEST}", -LARGEST),
        (f"+{LARGEST}", LARGEST),
        (hex(LARGEST), LARGEST),
        ("0o" + format(LARGEST, "o"), LARGEST),
        ("0" * 5000 + "12", 12),  # leading zeros do not make a number large
        ("0x" + "0" * 5000 + "ff", 255),
        ("1e-400", 0.0),  # too small rounds to zero: still finite
    ],
)
def test_numbers_within_range_are_read(spelling, value):
    result = read_text(f"n: {spelling}\n", "x.yaml", Path("x.yaml"))
    assert result.problems == []
    assert result.records[0].data["n"] == value and type(result.records[0].data["n"]) is type(value)


@pytest.mark.parametrize(
    "spelling",
    [
        str(LARGEST + 1),
        f"-{LARGEST + 1}",
        hex(LARGEST + 1),
        "0o" + format(LARGEST + 1, "o"),
        "0x" + "f" * 5000,  # hex and octal are not limited by Python's 4,300 digits
        "0o" + "7" * 5000,
        "9" * 19_990,  # a plain number cannot go on to the next line, nor past the line length limit
    ],
)
def test_integers_beyond_the_range_are_refused_in_every_spelling(spelling):
    shown = spelling if len(spelling) <= 24 else spelling[:12] + "..."
    [(code, line, column, message, hint)] = problems_of(f"kind: Party\nn: {spelling}\n")
    assert (code, line, column, hint) == ("yaml.number-range", 2, 4, NUMBER_HINT)
    assert message.startswith(f"the number `{shown}` ")


def test_a_quoted_long_number_is_text():
    result = read_text(f"n: '{'9' * 5000}'\n", "x.yaml", Path("x.yaml"))
    assert result.problems == [] and result.records[0].data["n"] == "9" * 5000


# --------------------------------------------------------------------------
# 13. Line breaks: CR, CRLF, LF (and NEL, LS, PS, which YAML parsers also break on)

LONG_SCOPE = "scope: |\n" + "".join(f"  Line {i} of the scope, written out at some length to fill it.\n" for i in range(500))


def test_a_file_with_cr_line_endings_is_read(tmp_path):
    content = (AGREEMENT + LONG_SCOPE).replace("\n", "\r")
    assert len(content) > 30_000
    write_catalogue(tmp_path, {"agreements/sla-email.yaml": content})
    expect_valid(validate(tmp_path))


def test_line_numbers_match_the_parser_for_every_line_break():
    breaks = ["\r", "\r\n", "\n", "\x85", "\u2028", "\u2029", "\r", "\r\n"]
    lines = ["kind: Party", "id: odd", "a: 1", "b: 2", "c: 3", "d: 4", "e: 5", "f: 6", "long: " + "x" * 20_001]
    content = "".join(line + brk for line, brk in zip(lines, breaks + [""])) + "\n"
    [(code, line, column, message, _)] = problems_of(content)
    parser_line = next(
        e.start_mark.line + 1 for e in yaml.parse(content, Loader=PARSER) if isinstance(e, yaml.ScalarEvent) and e.value == "long"
    )
    assert parser_line == 9
    assert (code, line, column, message) == (
        "limit.line-length", 9, 20_001, "line 9 is 20,007 characters long (the limit is 20,000)"
    )


def test_an_encoding_error_in_a_cr_file_is_located():
    data = PARTY.replace("title: Helpdesk", "title: \xc9quipe").replace("\n", "\r").encode("latin-1")
    result = read_bytes(data, "x.yaml", Path("x.yaml"))
    assert [(p.code, p.location) for p in result.problems] == [("file.encoding", Location("x.yaml", 4, 8))]


def test_an_encoding_error_after_a_byte_order_mark_counts_characters():
    data = b"\xef\xbb\xbf" + b"title: \xc9\n"
    result = read_bytes(data, "x.yaml", Path("x.yaml"))
    assert [(p.code, p.location) for p in result.problems] == [("file.encoding", Location("x.yaml", 1, 8))]


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"])
def test_a_control_character_is_located_by_characters_and_lines(newline):
    content = PARTY.replace("title: Helpdesk", "title: ééééé\x01").replace("\n", newline)
    assert [(c, line, col) for c, line, col, _, _ in problems_of(content)] == [("yaml.character", 4, 13)]


def test_a_syntax_hint_reads_the_right_line_of_a_cr_file():
    content = PARTY.replace("\n", "\r") + "contacts:\r\t- name: A\r"
    [(code, line, _, message, hint)] = problems_of(content)
    assert (code, line, message, hint) == (
        "yaml.syntax", 7, "a tab character is used for indentation", "YAML indents with spaces only; replace the tab with spaces"
    )


# --------------------------------------------------------------------------
# 16. YAML tags, anywhere

KEY_HINT = "remove the tag; a key is a plain field name"
TEXT_HINT = "remove the tag; to keep a value such as `123` or `true` as text, put it in quotes"
VALUE_HINT = "remove the tag; catalogue values are plain text, numbers, true/false, lists and mappings"


@mistakes(
    Mistake(
        "a_tag_on_a_key_is_refused",
        {"parties/helpdesk.yaml": PARTY.replace("title: Helpdesk\n", "!!python/object/apply:os.system id: p\n!custom title: T\n")},
        f"{HELPDESK}:4:1: error: the YAML tag `tag:yaml.org,2002:python/object/apply:os.system` is not supported [yaml.tag]",
        KEY_HINT,
    ),
    Mistake(
        "a_custom_tag_on_a_key_is_refused",
        {"parties/helpdesk.yaml": PARTY.replace("title: Helpdesk", "!custom title: T")},
        f"{HELPDESK}:4:1: error: the YAML tag `!custom` is not supported [yaml.tag]",
        KEY_HINT,
    ),
    Mistake(
        "a_core_tag_contradicting_its_value_is_refused",
        {"parties/helpdesk.yaml": PARTY.replace("title: Helpdesk", 'title: !!int "Business hours"')},
        f"{HELPDESK}:4:8: error: the YAML tag `tag:yaml.org,2002:int` is not supported [yaml.tag]",
        VALUE_HINT,
    ),
    Mistake(
        "a_bool_tag_on_a_quoted_value_is_refused",
        {"calendars/business-hours.yaml": replace(CALENDAR, 'weekly:\n  - days: [mon, tue, wed, thu, fri]\n    from: "08:00"\n    to: "18:00"\n', 'always: !!bool "true"\n')},
        "catalogue/calendars/business-hours.yaml:6:9: error: the YAML tag `tag:yaml.org,2002:bool` is not supported [yaml.tag]",
        VALUE_HINT,
        errors=2,
    ),
)
def test_a_tag_on_a_key_or_against_its_value_is_refused(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)


@pytest.mark.parametrize(
    "text, line, column, tag, hint",
    [
        ("title: !!str 123\n", 1, 8, "tag:yaml.org,2002:str", TEXT_HINT),
        ("title: ! 123\n", 1, 8, "!", TEXT_HINT),
        ("title: !<tag:yaml.org,2002:str> x\n", 1, 8, "tag:yaml.org,2002:str", TEXT_HINT),
        ("title: &t !!str x\n", 1, 8, "tag:yaml.org,2002:str", TEXT_HINT),
        ("tags: !!seq [a]\n", 1, 7, "tag:yaml.org,2002:seq", VALUE_HINT),
        ("links: !!map {}\n", 1, 8, "tag:yaml.org,2002:map", VALUE_HINT),
        ("tags:\n  - !!float 1\n", 2, 5, "tag:yaml.org,2002:float", VALUE_HINT),
        ("--- !!map\nkind: Party\n", 1, 5, "tag:yaml.org,2002:map", VALUE_HINT),
        ("%TAG !e! tag:example.com,2000:\n---\nkind: !e!x Party\n", 3, 7, "tag:example.com,2000:x", VALUE_HINT),
        ("! kind: Party\n", 1, 1, "!", KEY_HINT),
        ('!!str "kind": Party\n', 1, 1, "tag:yaml.org,2002:str", KEY_HINT),
        ("a: {!x b: c}\n", 1, 5, "!x", KEY_HINT),
    ],
)
def test_every_tag_is_refused(text, line, column, tag, hint):
    assert problems_of(text) == [("yaml.tag", line, column, f"the YAML tag `{tag}` is not supported", hint)]


def test_an_alias_to_an_anchored_key_is_its_text():
    result = read_text("kind: Party\n&k id: x\nsummary: *k\n", "x.yaml", Path("x.yaml"))
    assert result.problems == []
    assert result.records[0].data == {"kind": "Party", "id": "x", "summary": "id"}


# --------------------------------------------------------------------------
# 19. The locations of many problems in one record: linear work


def location_work(tmp_path: Path, items: int, monkeypatch) -> int:
    """Nodes visited to find where the problems are, in `validate` of one record
    holding `items` invalid tags: by the size walk of one lookup, and by building
    the record's positions."""
    tags = "tags:\n" + "".join(f"  - Bad_Tag_{i}\n" for i in range(items))
    root = write_catalogue(tmp_path / str(items), {"parties/helpdesk.yaml": PARTY + tags})
    visited = [0]
    size_walk, build_positions = loader._marks_size, loader._build_positions

    def counted_size_walk(value):
        # the node and those inside it, which the walk passes in one call: at most one
        # for every two numbers of marks
        size = size_walk(value)
        visited[0] += 1 + size // 2
        return size

    def counted_build_positions(value, *args):
        visited[0] += len(value)
        return build_positions(value, *args)

    with monkeypatch.context() as patch:
        patch.setattr(loader, "_marks_size", counted_size_walk)
        patch.setattr(loader, "_build_positions", counted_build_positions)
        result = catalogue.validate_folder(root)
    found = [p for p in result.problems if p.location.file.endswith("helpdesk.yaml")]
    assert [(p.field, p.location.line, p.location.column) for p in found] == [
        (f"tags[{i}]", 7 + i, 5) for i in range(items)
    ]
    return visited[0]


def test_locating_every_problem_of_a_record_is_linear(tmp_path, monkeypatch):
    small = location_work(tmp_path, 300, monkeypatch)
    large = location_work(tmp_path, 1200, monkeypatch)
    # Four times the problems: four times the work if linear, sixteen if quadratic (as it
    # was: 46,350 nodes, then 725,400). Which lookups come first (the problems are sorted
    # by path as text: tags[0], [1], [10], [100]...) moves the ratio a little either way.
    assert large <= 8 * small, f"{small} nodes visited for 300 problems, {large} for 1,200"
    assert small <= 4 * 300 and large <= 4 * 1200, (small, large)  # a few nodes per problem


def test_a_record_with_few_problems_keeps_its_positions_unbuilt(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_catalogue(tmp_path, {"parties/helpdesk.yaml": PARTY + "tags: [Bad]\n"})
    results, folder_problems = loader.load_folder(Path(CATALOGUE))
    [problem] = catalogue.validate_files(results, folder_problems).problems
    assert str(problem.location) == "catalogue/parties/helpdesk.yaml:6:8"
    [record] = [r for file in results for r in file.records if r.id == "helpdesk"]
    assert record._positions is None  # one lookup reads its marks, and builds nothing


def test_the_lookups_of_every_item_of_one_list_build_no_positions():
    # The timeline locates each clock of an agreement: two or three paths into each of its
    # priorities. Each lookup starts where an earlier one reached (the signposts keep it),
    # so looking up every item passes each item before it once, and the record's walk
    # budget is not spent: before, the lookups passed the items before their own again
    # and again, and the record's whole position map was built.
    items = "".join(f"  - id: P{i}\n    response: {i + 1}h\n    resolution: {i + 2}h\n" for i in range(12))
    result = read_text(f"kind: Agreement\nid: sla\npriorities:\n{items}", "x.yaml", Path("x.yaml"))
    [record] = result.records
    for i in range(12):
        for which, column in (("response", 15), ("resolution", 17)):
            location = record.location(("priorities", i, which))
            assert (location.line, location.column) == (5 + 3 * i + (which == "resolution"), column)
    assert record.location(("priorities", 11)).line == 37
    assert record._positions is None
