"""Reading files: YAML 1.2 scalars, duplicate keys, encodings, limits and syntax errors in plain words."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import yaml

from helpers.catalogue_builder import (
    PARTIES,
    SERVICE,
    Mistake,
    dedent,
    expect_invalid,
    expect_mistake,
    expect_problem,
    expect_valid,
    mistakes,
    replace,
    validate,
    write_catalogue,
)
from helpers.parser_events import counted_events
from service_catalogue.validation import loader
from service_catalogue.validation.loader import read_text

SVC = "catalogue/services/email.yaml"
HELPDESK = "catalogue/parties/helpdesk.yaml"


def billion_laughs() -> str:
    """The classic alias bomb: ten levels of ten aliases, 10**9 strings once expanded."""
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


@mistakes(
    Mistake(
        "duplicate_yaml_keys",
        {"services/email.yaml": replace(SERVICE, "status: live\n", "status: live\nstatus: retired\n")},
        f"{SVC}:7:1: error: status: the key `status` appears twice in the same mapping [yaml.duplicate-key]",
        "YAML keeps only one of them; remove or rename one",
        see_also=f"{SVC}:6:1",
    ),
    Mistake(
        "duplicate_keys_inside_a_list_item",
        {"services/email.yaml": replace(SERVICE, "    approval: false\n", "    approval: false\n    title: Another\n")},
        f"{SVC}:17:5: error: requests[0].title: the key `title` appears twice in the same mapping [yaml.duplicate-key]",
        "YAML keeps only one of them; remove or rename one",
        see_also=f"{SVC}:14:5",
    ),
    Mistake(
        "non_utf8_file_points_at_the_bad_byte",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: \xc9quipe\ntype: team\n".encode("latin-1")},
        f"{HELPDESK}:4:8: error: the file is not valid UTF-8 (byte 0xc9 cannot start a character here) [file.encoding]",
        "save the file as UTF-8; editors call it 'UTF-8' or 'Unicode (UTF-8)'",
    ),
    # "Équipe d" is valid UTF-8 (É takes two bytes); the Latin-1 é after it is the 16th character.
    Mistake(
        "non_utf8_column_counts_characters_not_bytes",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Équipe d".encode() + b"\xe9veloppement\ntype: team\n"},
        f"{HELPDESK}:4:16: error: the file is not valid UTF-8 (byte 0xe9 cannot start a character here) [file.encoding]",
        "save the file as UTF-8; editors call it 'UTF-8' or 'Unicode (UTF-8)'",
    ),
    # Reported at the alias that crosses the limit: lol5's 8th alias (each adds 11,111 values).
    Mistake(
        "alias_bomb_on_the_command_line",
        {"parties/bomb.yaml": billion_laughs()},
        "catalogue/parties/bomb.yaml:6:63: error: aliases expand this file to more than 100,000 values [limit.alias]",
        "this looks like an alias bomb; write the values out instead of nesting aliases",
    ),
    Mistake(
        "recursive_alias",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\ntags: &a [*a]\n"},
        f"{HELPDESK}:6:11: error: the alias `*a` refers to a node that contains it [limit.alias]",
        "a recursive alias would never end; copy the value instead",
    ),
    Mistake(
        "empty_file",
        {"parties/helpdesk.yaml": ""},
        f"{HELPDESK}:1:1: error: the file holds no record (it is empty or only comments) [file.empty]",
        "write a record, or delete the file",
    ),
    Mistake(
        "comments_only_file",
        {"parties/helpdesk.yaml": "# the helpdesk, to be written\n\n# later\n"},
        f"{HELPDESK}:1:1: error: the file holds no record (it is empty or only comments) [file.empty]",
        "write a record, or delete the file",
    ),
    # A leading `---` only opens the first document; two in a row leave an empty one.
    Mistake(
        "empty_document_between_separators",
        {"parties/parties.yaml": "---\n---\n" + PARTIES},
        "catalogue/parties/parties.yaml:1:1: error: document 1 of this file is empty [record.empty]",
        "remove the extra `---` separator, or write the record",
    ),
    Mistake(
        "a_list_instead_of_a_mapping",
        {"parties/helpdesk.yaml": "- apiVersion: catalogue/v1\n  kind: Party\n  id: helpdesk\n  title: Helpdesk\n  type: team\n"},
        f"{HELPDESK}:1:1: error: a record must be a mapping of fields, but document 1 is a list [record.not-mapping]",
        "write `kind: ...`, `id: ...` as keys at the start of the line, without a leading `- `",
    ),
    Mistake(
        "tab_used_for_indentation",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\ncontacts:\n\t- name: Jo\n"},
        f"{HELPDESK}:7:1: error: a tab character is used for indentation [yaml.syntax]",
        "YAML indents with spaces only; replace the tab with spaces",
    ),
    Mistake(
        "unclosed_bracket",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\ntags: [a, b\nsummary: x\n"},
        f"{HELPDESK}:7:8: error: a `[...]` or `{{...}}` list is not closed properly [yaml.syntax]",
        "check the brackets and the commas between items",
    ),
    Mistake(
        "unsupported_tag",
        {"parties/helpdesk.yaml": "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\nparent: !!python/object foo\n"},
        f"{HELPDESK}:6:9: error: the YAML tag `tag:yaml.org,2002:python/object` is not supported [yaml.tag]",
        "remove the tag; catalogue values are plain text, numbers, true/false, lists and mappings",
    ),
)
def test_validate_explains_files_it_cannot_read(tmp_path, mistake):
    expect_mistake(tmp_path, mistake)


def test_yaml_12_scalars():
    text = dedent(
        """
        a: no
        b: yes
        c: off
        d: true
        e: false
        f: ~
        g: 0o17
        h: 1.5
        i: "true"
        j: 2026-01-01
        k: .inf
        """
    )
    result = read_text(text, "x.yaml", Path("x.yaml"))
    assert result.records[0].data == {
        "a": "no",
        "b": "yes",
        "c": "off",
        "d": True,
        "e": False,
        "f": None,
        "g": 15,
        "h": 1.5,
        "i": "true",
        "j": "2026-01-01",
        "k": ".inf",
    }


def test_a_byte_order_mark_is_accepted(tmp_path):
    write_catalogue(tmp_path, {"parties/parties.yaml": ("\ufeff" + PARTIES).encode("utf-8")})
    expect_valid(validate(tmp_path))


def test_alias_bomb_fails_fast_and_small():
    """Fast in work, not in seconds: the parser is stopped at the alias that crosses the limit."""
    text = billion_laughs()
    with counted_events() as passes:  # the YAML events the loader pulls, for each parse of the text
        tracemalloc.start()
        try:
            result = read_text(text, "bomb.yaml", Path("bomb.yaml"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert [p.code for p in result.problems] == ["limit.alias"]
    # lol5's aliases cross 100,000 values; lol6 to lol9 (10**9 values) are never even parsed.
    # A text with a problem is parsed at most twice: fast, then again for positions.
    up_to_lol5 = sum(1 for _ in yaml.parse("\n".join(text.splitlines()[:6]), Loader=loader._Parser))
    assert 1 <= len(passes) <= 2 and all(0 < events <= up_to_lol5 for events in passes), (passes, up_to_lol5)
    assert result.records == []  # last: had the bomb loaded, showing its record would never end


def test_oversized_file_default_limit(tmp_path):
    limit = 1024 * 1024
    head = "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\n"
    padding = ("# " + "x" * 97 + "\n") * (limit // 100 + 1)
    data = (head + padding)[: limit + 1]
    write_catalogue(tmp_path, {"parties/helpdesk.yaml": data})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{HELPDESK}:1:1: error: the file is 1,048,577 bytes, over the limit of 1,048,576 [limit.file-size]",
        "split it into several files, or raise the limit (max_file_size in mkdocs.yml, --max-file-size on the command line)",
    )
    # One byte less is within the limit.
    (tmp_path / "catalogue/parties/helpdesk.yaml").write_text(data[:limit])
    expect_valid(validate(tmp_path), records=7)


def test_max_file_size_option(tmp_path):
    description = "description: |\n" + ("  A line of description that makes the file larger than a kibibyte.\n" * 20)
    party = "apiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Helpdesk\ntype: team\n" + description
    size = len(party.encode())
    assert 1024 < size < 4096
    write_catalogue(tmp_path, {"parties/helpdesk.yaml": party})
    expect_valid(validate(tmp_path), records=7)  # under the default limit
    proc = validate(tmp_path, "--max-file-size", "1KiB")
    expect_invalid(proc)
    expect_problem(
        proc,
        f"{HELPDESK}:1:1: error: the file is {size:,} bytes, over the limit of 1,024 [limit.file-size]",
        "split it into several files, or raise the limit (max_file_size in mkdocs.yml, --max-file-size on the command line)",
    )
    expect_valid(validate(tmp_path, "--max-file-size", "4KiB"), records=7)


def test_unquoted_colon_in_a_value(tmp_path):
    service = replace(replace(SERVICE, "id: email", "id: staff-email"), "title: Email\n", "title: Email: staff\n")
    service = service.split("offerings:")[0]
    write_catalogue(tmp_path, {"services/staff-email.yaml": service})
    proc = validate(tmp_path)
    expect_invalid(proc)
    expect_problem(
        proc,
        "catalogue/services/staff-email.yaml:4:13: error: a colon (`:`) appears where YAML does not expect a new key [yaml.syntax]",
        'if the value itself contains `: `, put it in quotes (title: "Email: staff"); otherwise check the indentation of this line',
    )


def test_records_before_a_syntax_error_are_kept(tmp_path):
    # The second document is broken; the first (the Party that the Service names as owner) still counts.
    parties = PARTIES + "---\napiVersion: catalogue/v1\nkind: Party\nid: helpdesk\ntitle: Help: desk\ntype: team\n"
    write_catalogue(tmp_path, {"parties/parties.yaml": parties})
    proc = validate(tmp_path)
    expect_invalid(proc, errors=1)
    expect_problem(
        proc,
        "catalogue/parties/parties.yaml:16:12: error: a colon (`:`) appears where YAML does not expect a new key [yaml.syntax]",
        'if the value itself contains `: `, put it in quotes (title: "Email: staff"); otherwise check the indentation of this line',
    )
    assert proc.stdout.rstrip().endswith("1 error in 6 records")


def test_a_reference_into_an_unreadable_file_says_so(tmp_path):
    # The Service's file cannot be read, so the SLA's `services: [email]` finds nothing;
    # the hint points at the real cause.
    broken = SERVICE.replace("title: Email", "title: \xc9mail").encode("latin-1")
    write_catalogue(tmp_path, {"services/email.yaml": broken})
    proc = validate(tmp_path)
    expect_invalid(proc, errors=2)
    expect_problem(
        proc,
        "catalogue/agreements/sla-email.yaml:9:12: error: Agreement sla-email: services[0]: "
        "`email` names no Service in the catalogue [ref.missing]",
        "`services` names a Service by its id; it may be in a file that could not be read (catalogue/services/email.yaml)",
    )
    expect_problem(
        proc,
        f"{SVC}:4:8: error: the file is not valid UTF-8 (byte 0xc9 cannot start a character here) [file.encoding]",
    )


