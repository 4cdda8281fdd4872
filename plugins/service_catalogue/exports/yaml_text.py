"""Multi-document YAML that every reader takes as the same data.

Backstage reads catalog-info.yaml with the npm `yaml` package (YAML 1.2); OpenSLO
tools with Go's yaml.v3 (1.2, and 1.1's booleans); Python tools with PyYAML (1.1).
Record text is data, whatever it holds, so a string is written plain only when it
cannot be read as anything else by any of them: it starts with a letter, holds only
letters, digits, spaces and a few marks, and is no word that one of them takes for a
boolean or null (`no`, `On`, `NULL`, `y`). Everything else is double-quoted, with
PyYAML's escapes (which YAML 1.2 has too); text of several lines is a literal block
where YAML allows one and
no reader's line breaks differ from another's. A date-like `2026-01-01` is quoted, so it stays a string.
"""

from __future__ import annotations

import re

import yaml

# Words some YAML reader takes for a boolean or null (YAML 1.1 has y/n, yes/no, on/off).
_SPECIAL_WORDS = frozenset("y n yes no true false on off null".split())
# Line breaks in YAML 1.1 (PyYAML writes them as breaks in a block) but not in 1.2, where a
# block would then read differently: text holding one is double-quoted, with \N, \L, \P.
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()&,+-]*[A-Za-z0-9)]|[A-Za-z]")


def _plain_is_safe(text: str) -> bool:
    return (bool(_PLAIN.fullmatch(text)) and text.casefold() not in _SPECIAL_WORDS
            and ": " not in text and " #" not in text and "  " not in text)


class _Dumper(yaml.SafeDumper):
    """Sequences indented under their key, as Backstage's and OpenSLO's examples write them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str):
    if "\n" in text.rstrip("\n") and not _OTHER_BREAKS.search(text):
        style = "|"  # PyYAML falls back to double quotes where a block cannot hold the text
    elif _plain_is_safe(text):
        style = None
    else:
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def documents(items: list[dict], header: str) -> str:
    """The items as one YAML document each, after a comment header (lines without `#`)."""
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    body = yaml.dump_all(items, Dumper=_Dumper, explicit_start=True, sort_keys=False, allow_unicode=True,
                         width=1_000_000, default_flow_style=False)
    return comment + body
