"""Read catalogue files into records, and find the source position of any node.

PyYAML's event stream is turned into plain JSON-like values by our own small
constructor, because we need things no stock loader gives together: YAML 1.2
scalars (``no`` stays a string), duplicate keys as errors, a position for
every key and value, and hard limits on aliases and nesting that hold before
any memory is spent.

Positions are only wanted when something is reported, which a sound catalogue
never needs: a file is read without them, keeping only the line and column of
each node as plain numbers, in the order of the parse (`_Source.marks`). A
record builds its positions from them when first asked, walking its data in
the same order; a file with an alias, whose data repeats a node the parse
met once, keeps its text instead and reads it again then. A file with any
problem is read the full way.
"""

from __future__ import annotations

import errno
import math
import os
import re
from array import array
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from service_catalogue.fields import format_path
from service_catalogue.validation.problems import Location, Problem
from service_catalogue.validation.yaml_hints import LINE_BREAK, line_and_column, syntax_problem

_Parser: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # the C parser is several times faster; fall back when libyaml is absent
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - depends on the platform's PyYAML
    from yaml import SafeLoader as _Parser

DEFAULT_MAX_FILE_BYTES = 1024 * 1024
# The largest file size limit anyone may set: a record file is kilobytes, and a file is
# held whole, with its parse, in memory. Far larger numbers would overflow a C size too.
MAX_FILE_SIZE_LIMIT = 1024**3
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadLimits:
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_nodes: int = 100_000  # per file, counting what aliases expand to
    max_depth: int = 64
    max_line_length: int = 20_000


@dataclass(frozen=True, slots=True)  # one per node: slots keep 10,000 records small
class Position:
    line: int  # 1-based
    column: int
    key_line: int | None = None
    key_column: int | None = None


class _Source:
    """What a file's records need to find their positions when first asked.

    Either `marks`: the 0-based line and column of every key and every node
    but a document's root, in the order the parse meets them (a mapping's
    value takes four numbers, its key's then its own; an item of a list two:
    the record's data tells which), with `starts` giving where each document
    begins. Or, for a file with an alias, `text`, to parse again.
    """

    __slots__ = ("text", "file", "limits", "_positions", "marks", "starts")
    text: str | None  # None once the marks, or the positions parsed from it, stand for it
    _positions: list[dict] | None  # each document's, once parsed again from text

    def __init__(self, text: str, file: str, limits: LoadLimits):
        self.text, self.file, self.limits = text, file, limits
        self._positions = None
        self.marks: array | None = None
        self.starts: list[int] = []

    def positions(self, document: int, data, root: Position | None) -> dict:
        if self.marks is not None:
            positions: dict = {}
            _build_positions(data, (), self.marks, self.starts[document], positions)
            positions[()] = root  # last, as a full parse adds it
            return positions
        if self._positions is None:  # one parse serves every record of the file
            # The text parsed once without a problem, so it parses the same again.
            assert self.text is not None  # dropped only when marks or these positions stand for it
            self._positions = [p for _, p, _ in parse_documents(self.text, self.file, self.limits, [])]
            self.text = None
        return self._positions[document]

    def size(self, document: int) -> int:
        """How many numbers the document's nodes take in marks."""
        assert self.marks is not None  # asked only of a source read with marks
        end = self.starts[document + 1] if document + 1 < len(self.starts) else len(self.marks)
        return end - self.starts[document]

    def locate(self, document: int, data, path: tuple, signposts: "_Signposts"):
        """(how many steps of path lead to a node, that node's Position, how many numbers
        of marks the search passed), read from marks without building the record's
        positions: one finding needs only its own. The search starts at the deepest node
        of the path that an earlier lookup reached, and finds a node's children where an
        earlier lookup found them (the signposts keep both): the findings of one record
        are many in one section (its priorities), and so each node before a finding's is
        passed once, not once per lookup, and the nodes after it never."""
        marks, reached = self.marks, signposts.reached
        assert marks is not None  # asked only of a source read with marks
        depth = len(path)
        while depth and path[:depth] not in reached:
            depth -= 1
        i, node, found = reached[path[:depth]] if depth else (self.starts[document], data, None)
        walked = 0
        for step in path[depth:]:
            if type(node) is dict:
                if step not in node:
                    break
                entry = 4  # numbers of marks of a mapping's entry: its key's line and column, its value's
            elif type(node) is list:
                try:
                    step = range(len(node)).index(step)  # as a positions key would compare
                except (ValueError, TypeError):
                    break
                entry = 2
            else:
                break
            children = signposts.children(path[:depth], node, i)
            place = step if children.places is None else children.places[step]
            while len(children.entries) <= place:  # pass the children before it, once
                passed = entry + _marks_size(children.values[len(children.entries) - 1])
                children.entries.append(children.entries[-1] + passed)
                walked += passed
            i = children.entries[place]
            if entry == 4:
                found = Position(marks[i + 2] + 1, marks[i + 3] + 1, marks[i] + 1, marks[i + 1] + 1)
            else:
                found = Position(marks[i] + 1, marks[i + 1] + 1)
            node, depth, i = children.values[place], depth + 1, i + entry
            reached[path[:depth]] = (i, node, found)
        return depth, (found if depth else None), walked


# How many times its size in marks a record's lookups pass before its positions are built.
WALK_BUDGET = 4


class _Children:
    """A node's children as a lookup finds them: in order, with where in marks the entry
    of each begins, as far as lookups have passed."""

    __slots__ = ("places", "values", "entries")

    def __init__(self, node, start: int):
        # a mapping's keys by their place in it; a list's items are found by index
        self.places = {key: place for place, key in enumerate(node)} if type(node) is dict else None
        self.values = list(node.values()) if type(node) is dict else node
        self.entries = [start]


class _Signposts:
    """What the lookups of one record found in its marks: the nodes they reached, and the
    children of each node they passed, so that a lookup walks only what no lookup before
    it walked (see _Source.locate)."""

    __slots__ = ("reached", "_children")

    def __init__(self):
        # (where in marks its children begin, the node, its Position) by the path of each
        # node a lookup reached
        self.reached: dict[tuple, tuple] = {}
        self._children: dict[tuple, _Children] = {}

    def children(self, path: tuple, node, start: int) -> _Children:
        if path not in self._children:
            self._children[path] = _Children(node, start)
        return self._children[path]


def _marks_size(value) -> int:
    """How many numbers the nodes inside value take in _Source.marks: four for each entry
    of a mapping, two for each item of a list (a loop, not recursion: lookups pass many)."""
    size, pending = 0, [value]
    while pending:
        node = pending.pop()
        children: Iterable
        if type(node) is dict:
            size += 4 * len(node)
            children = node.values()
        elif type(node) is list:
            size += 2 * len(node)
            children = node
        else:
            continue
        for child in children:
            if type(child) is dict or type(child) is list:
                pending.append(child)
    return size


def _build_positions(value, path: tuple, marks: array, i: int, positions: dict) -> int:
    """Fill positions for the nodes inside value from marks[i:], in the order a full
    parse adds them (a node after those inside it); return where value's marks end."""
    if type(value) is dict:
        for key, child in value.items():
            child_path = path + (key,)
            position = Position(marks[i + 2] + 1, marks[i + 3] + 1, marks[i] + 1, marks[i + 1] + 1)
            i += 4
            if type(child) is dict or type(child) is list:
                i = _build_positions(child, child_path, marks, i, positions)
            positions[child_path] = position
    else:
        for index, child in enumerate(value):
            child_path = path + (index,)
            position = Position(marks[i] + 1, marks[i + 1] + 1)
            i += 2
            if type(child) is dict or type(child) is list:
                i = _build_positions(child, child_path, marks, i, positions)
            positions[child_path] = position
    return i


@dataclass
class Record:
    """One YAML document: a catalogue record and where each of its nodes came from."""

    data: dict
    file: str  # the path as shown to people
    path: Path  # the real file
    document: int  # 0-based index of the document in its file
    # Path tuple -> Position. None: read from `source` on first use (see below), or {}.
    positions: dict | None = field(repr=False, compare=False, default=None)
    # Filled in once by schema validation; kept with the cached parse, so an
    # unchanged file is not validated again under `mkdocs serve`.
    schema_problems: list | None = field(repr=False, default=None)
    # Its references, found once (references.record_references) and kept with it likewise.
    references: tuple | None = field(repr=False, compare=False, default=None)
    source: _Source | None = field(repr=False, compare=False, default=None)
    # positions[()], known without the rest: pages and exports give every record's line.
    root: Position | None = field(repr=False, compare=False, default=None)
    # How much of source.marks lookups have passed so far: see location().
    _marks_walked: int = field(repr=False, compare=False, default=0, init=False)
    _signposts: "_Signposts | None" = field(repr=False, compare=False, default=None, init=False)
    # What the positions property below keeps; __init__ fills it through the property.
    _positions: dict | None = field(repr=False, compare=False, default=None, init=False)

    @property
    def kind(self):
        kind = self.data.get("kind")
        return kind if isinstance(kind, str) else None

    @property
    def id(self):
        rid = self.data.get("id")
        return rid if isinstance(rid, str) else None

    @property
    def label(self) -> str:
        return " ".join(str(x) for x in (self.kind or "record", self.id) if x)

    def location(self, path=(), at_key: bool = False) -> Location:
        """The place of a node; a missing node falls back to its nearest parent."""
        path = tuple(path)
        source = self.source
        # One lookup in the marks passes the nodes before the one it finds that no earlier
        # lookup passed (the signposts keep what they found). Once lookups have passed a
        # few times the record's size (each mark can be passed once at each depth of the
        # nodes around it, and records are a few levels deep), its positions are built
        # (in one pass) and looked up instead, so locating any number of problems stays
        # linear.
        if (
            path
            and self._positions is None
            and source is not None
            and source.marks is not None
            and self._marks_walked <= WALK_BUDGET * source.size(self.document)
        ):
            if self._signposts is None:
                self._signposts = _Signposts()
            depth, position, walked = source.locate(self.document, self.data, path, self._signposts)
            self._marks_walked += walked
            if depth < len(path):
                at_key = False
            if position is None:
                position = self.root
            if position is None:
                return Location(self.file, 1, 1)
            if at_key and position.key_line is not None and position.key_column is not None:
                return Location(self.file, position.key_line, position.key_column)
            return Location(self.file, position.line, position.column)
        while True:
            position = self.root if not path and self.root is not None else _get_positions(self).get(path)
            if position is not None:
                if at_key and position.key_line is not None and position.key_column is not None:
                    return Location(self.file, position.key_line, position.key_column)
                return Location(self.file, position.line, position.column)
            if not path:
                return Location(self.file, 1, 1)
            path = path[:-1]
            at_key = False


def _get_positions(record: Record) -> dict:
    if record._positions is None:
        record._positions = record.source.positions(record.document, record.data, record.root) if record.source else {}
    return record._positions


def _set_positions(record: Record, positions: dict | None) -> None:
    record._positions = positions


# Installed after @dataclass, which would take a property in the class body for the default.
# mypy sees the field (what __init__ takes); the getter never gives None.
Record.positions = property(_get_positions, _set_positions)  # type: ignore[assignment]


@dataclass
class FileResult:
    records: list[Record]
    problems: list[Problem]


class _LoadError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_CORE = "tag:yaml.org,2002:"
# Every spelling above starts with one of these (`$` also matches before a final newline).
_NOT_TEXT_START = frozenset("~nNtTfF+-.0123456789\n")


# JSON readers (JavaScript's above all) hold integers exactly only up to this.
LARGEST_INTEGER = 2**53 - 1


class NumberOutOfRange(ValueError):
    """A number spelled in the text that no JSON export could carry as written."""

    def __init__(self, text: str, infinite: bool):
        super().__init__(text)
        self.text, self.infinite = text, infinite


def resolve_plain_scalar(text: str):
    """YAML 1.2 core schema: only these spellings are not strings.

    Raises NumberOutOfRange for an integer beyond +/-LARGEST_INTEGER and a float that
    overflows to infinity."""
    if text and text[0] not in _NOT_TEXT_START:  # most values: no pattern to try
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return _integer(text, text.lstrip("+-"), 10)
    if _OCT.match(text):
        return _integer(text, text[2:], 8)
    if _HEX.match(text):
        return _integer(text, text[2:], 16)
    if _FLOAT.match(text):
        value = float(text)
        if math.isinf(value):
            raise NumberOutOfRange(text, infinite=True)
        return value
    # .inf and .nan are floats in YAML 1.2, but no catalogue field wants them:
    # keeping them as text makes the schema say "expected a number".
    return text


def _integer(text: str, digits: str, base: int) -> int:
    significant = digits.lstrip("0")
    # 21 digits in base 8 or more are past 2**53 whatever they are; and int() of a long
    # decimal spelling takes time quadratic in its length (Python refuses past 4,300 digits).
    if len(significant) > 20:
        raise NumberOutOfRange(text, infinite=False)
    value = int(significant or "0", base)
    if value > LARGEST_INTEGER:
        raise NumberOutOfRange(text, infinite=False)
    return -value if text.startswith("-") else value


def _number_problem(exc: NumberOutOfRange, location: Location, field: str) -> Problem:
    text = exc.text
    shown = text if len(text) <= 24 else text[:12] + "..."
    if exc.infinite:
        message = f"the number `{shown}` is too large: it would read as infinity"
    else:
        digits = len(text.lstrip("+-").removeprefix("0x").removeprefix("0o"))
        size = f" ({digits:,} digits)" if len(text) > 24 else ""
        message = (
            f"the number `{shown}`{size} is beyond what a catalogue can hold exactly "
            f"(-{LARGEST_INTEGER:,} to {LARGEST_INTEGER:,})"
        )
    return Problem(
        location,
        "yaml.number-range",
        message,
        field=field,
        hint="write a smaller number; if the value is meant as text, put it in quotes",
    )


class _Frame:
    __slots__ = ("value", "path", "anchor", "size", "key", "key_mark", "is_map", "mark")

    def __init__(self, value, path, anchor, is_map, mark):
        self.value = value
        self.path = path
        self.anchor = anchor
        self.size = 1
        self.key: object = None  # a str, _DUPLICATE, or None until the next key
        self.key_mark: Any = None  # the parser's mark of that key
        self.is_map = is_map
        self.mark = mark


_DUPLICATE = object()  # stands for a repeated key: reported once, its value dropped


def _mark_location(file: str, mark) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _scalar_value(event, file: str):
    """The value of a scalar node; raises NumberOutOfRange (its place is the caller's to say)."""
    if event.tag is not None:
        raise _LoadError(_tag_problem(event, file, "scalar"))
    if not event.style:  # plain: style is None in Python, '' from libyaml
        return resolve_plain_scalar(event.value)
    return event.value


def _tag_problem(event, file: str, node: str) -> Problem:
    """Every explicit tag is refused, even one that agrees with its value (`!!str x`):
    a tag changes what the text means (`!!bool "true"`, `!!int "Business hours"`), and
    a catalogue is read the same by every YAML tool only when its values carry none."""
    if node == "key":
        hint = "remove the tag; a key is a plain field name"
    elif node == "scalar" and event.tag in ("!", _CORE + "str"):
        hint = "remove the tag; to keep a value such as `123` or `true` as text, put it in quotes"
    else:
        hint = "remove the tag; catalogue values are plain text, numbers, true/false, lists and mappings"
    return Problem(
        _mark_location(file, event.start_mark), "yaml.tag", f"the YAML tag `{event.tag}` is not supported", hint=hint
    )


def _next_path(stack: list) -> tuple:
    """The path of the node about to be attached to the innermost open collection."""
    if not stack:
        return ()
    parent = stack[-1]
    if not parent.is_map:
        return parent.path + (len(parent.value),)
    return parent.path + (parent.key,) if isinstance(parent.key, str) else parent.path


class _NeedsPositions(Exception):
    """Raised by a parse without positions at a problem it cannot describe without them."""


def parse_documents(
    text: str, file: str, limits: LoadLimits, problems: list[Problem], with_positions: bool = True, source=None
):
    """Yield (value, positions, start_mark) for each YAML document in text.

    Without positions, only positions[()] is filled in, and a duplicate key
    raises _NeedsPositions: its problem names the first one's place. A source
    given then gets the marks to build them from later, unless the text has an alias.
    """
    parser = _Parser(text)
    try:
        yield from _documents_from_events(parser, file, limits, problems, with_positions, source)
    finally:
        parser.dispose()


def _documents_from_events(parser, file, limits, problems, with_positions=True, source=None):
    # Without positions, for source: see _Source.marks. None once an alias is met.
    marks: list | None = [] if source is not None and not with_positions else None
    stack: list[_Frame] = []
    positions: dict = {}
    anchors: dict = {}
    nodes = 0
    root = None
    doc_mark = None

    def attach(value, mark, size, anchor):
        nonlocal root
        if anchor is not None:
            anchors[anchor] = (value, size)
        if not stack:
            root = value
            positions[()] = Position(mark.line + 1, mark.column + 1)
            return
        parent = stack[-1]
        parent.size += size
        if parent.is_map:
            key, key_mark = parent.key, parent.key_mark
            parent.key = None
            if key is _DUPLICATE:
                return
            if with_positions:
                positions[parent.path + (key,)] = Position(
                    mark.line + 1, mark.column + 1, key_mark.line + 1, key_mark.column + 1
                )
            parent.value[key] = value
        else:
            if with_positions:
                positions[parent.path + (len(parent.value),)] = Position(mark.line + 1, mark.column + 1)
            parent.value.append(value)

    def add_key(event):
        if event.tag is not None:
            raise _LoadError(_tag_problem(event, file, "key"))
        frame = stack[-1]
        key: object = sys.intern(event.value)  # a few dozen names, each repeated in every record
        if event.anchor is not None:  # `&k id: x`: an alias `*k` elsewhere is this key's node
            anchors[event.anchor] = (_scalar_value(event, file), 1)
        if key in frame.value:
            if not with_positions:
                raise _NeedsPositions
            first = positions.get(frame.path + (key,))
            related = (Location(file, first.key_line, first.key_column),) if first else ()
            problems.append(
                Problem(
                    _mark_location(file, event.start_mark),
                    "yaml.duplicate-key",
                    f"the key `{key}` appears twice in the same mapping",
                    field=format_path(frame.path + (key,)),
                    hint="YAML keeps only one of them; remove or rename one",
                    related=related,
                )
            )
            key = _DUPLICATE
        frame.key = key
        frame.key_mark = event.start_mark

    while parser.check_event():
        event = parser.get_event()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            nodes += 1
            if marks is not None and stack:  # a key's place, then its value's
                mark = event.start_mark
                marks += (mark.line, mark.column)
            try:
                if stack and stack[-1].is_map and stack[-1].key is None:
                    add_key(event)
                    continue
                value = _scalar_value(event, file)
            except NumberOutOfRange as exc:
                at_key = stack and stack[-1].is_map and stack[-1].key is None
                field = format_path(_next_path(stack)) if with_positions and not at_key else ""
                raise _LoadError(_number_problem(exc, _mark_location(file, event.start_mark), field)) from None
            attach(value, event.start_mark, 1, event.anchor)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            nodes += 1
            if stack and stack[-1].is_map and stack[-1].key is None:
                raise _LoadError(
                    Problem(
                        _mark_location(file, event.start_mark),
                        "yaml.complex-key",
                        "a mapping key must be plain text, not a list or mapping",
                        hint="a line starting with `? ` or a key in brackets makes a complex key",
                    )
                )
            if len(stack) >= limits.max_depth:
                raise _LoadError(
                    Problem(
                        _mark_location(file, event.start_mark),
                        "limit.depth",
                        f"the YAML is nested more than {limits.max_depth} levels deep",
                        hint="catalogue records need only a few levels; check for runaway brackets",
                    )
                )
            is_map = kind is yaml.MappingStartEvent
            if event.tag is not None:
                raise _LoadError(_tag_problem(event, file, "collection"))
            if stack and with_positions:
                parent = stack[-1]
                path = parent.path + ((parent.key,) if parent.is_map else (len(parent.value),))
            else:
                path = ()
                if marks is not None and stack:
                    mark = event.start_mark
                    marks += (mark.line, mark.column)
            stack.append(_Frame({} if is_map else [], path, event.anchor, is_map, event.start_mark))
            if event.anchor is not None:
                anchors[event.anchor] = None  # open: an alias to it now would be recursive
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            attach(frame.value, frame.mark, frame.size, frame.anchor)
        elif kind is yaml.AliasEvent:
            if stack and stack[-1].is_map and stack[-1].key is None:
                raise _LoadError(
                    Problem(
                        _mark_location(file, event.start_mark),
                        "yaml.complex-key",
                        "a mapping key must be plain text, not an alias",
                    )
                )
            target = anchors.get(event.anchor, False)
            if target is False:  # the parser leaves this check to a composer, which we do not use
                raise _LoadError(
                    Problem(
                        _mark_location(file, event.start_mark),
                        "yaml.syntax",
                        f"the alias `*{event.anchor}` refers to an anchor that is not defined",
                        hint=f"define `&{event.anchor}` first, or quote a value starting with `*`",
                    )
                )
            if target is None:
                raise _LoadError(
                    Problem(
                        _mark_location(file, event.start_mark),
                        "limit.alias",
                        f"the alias `*{event.anchor}` refers to a node that contains it",
                        hint="a recursive alias would never end; copy the value instead",
                    )
                )
            value, size = target
            marks = None  # the data will hold this node twice, the marks once: keep the text
            nodes += size
            if nodes > limits.max_nodes:
                raise _LoadError(
                    Problem(
                        _mark_location(file, event.start_mark),
                        "limit.alias",
                        f"aliases expand this file to more than {limits.max_nodes:,} values",
                        hint="this looks like an alias bomb; write the values out instead of nesting aliases",
                    )
                )
            # Shared, not copied: records are read-only once loaded.
            attach(value, event.start_mark, size, None)
        elif kind is yaml.DocumentStartEvent:
            positions, anchors, root, doc_mark = {}, {}, None, event.start_mark
            if marks is not None:
                source.starts.append(len(marks))
        elif kind is yaml.DocumentEndEvent:
            yield root, positions, doc_mark
        if nodes > limits.max_nodes:
            raise _LoadError(
                Problem(
                    _mark_location(file, event.start_mark),
                    "limit.nodes",
                    f"the file holds more than {limits.max_nodes:,} values",
                    hint="split the catalogue into smaller files",
                )
            )
    if marks is not None:  # the whole text is read: its records may use them
        source.marks = array("i", marks)


def _text_problem(file: str, code: str, message: str, hint: str = "", line=1, column=1) -> Problem:
    return Problem(Location(file, line, column), code, message, hint=hint)


def _decode(data: bytes, file: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Editors count characters, not bytes; the bytes before the bad one are valid UTF-8.
        before = data[: exc.start].decode("utf-8").removeprefix("\ufeff")
        line, column = line_and_column(before, len(before))
        raise _LoadError(
            _text_problem(
                file,
                "file.encoding",
                f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} cannot start a character here)",
                "save the file as UTF-8; editors call it 'UTF-8' or 'Unicode (UTF-8)'",
                line,
                column,
            )
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _check_line_lengths(text: str, file: str, limits: LoadLimits) -> None:
    """Lines as the parser counts them (CR alone ends one too), so the number is its line's."""
    limit = limits.max_line_length
    if len(text) <= limit:
        return
    # str.split is several times faster than the pattern, and LF alone is by far the usual.
    other_breaks = any(brk in text for brk in "\r\x85\u2028\u2029")
    lines = LINE_BREAK.split(text) if other_breaks else text.split("\n")
    if max(map(len, lines)) <= limit:
        return
    number, line = next((number, line) for number, line in enumerate(lines, 1) if len(line) > limit)
    raise _LoadError(
        _text_problem(
            file,
            "limit.line-length",
            f"line {number} is {len(line):,} characters long (the limit is {limit:,})",
            "break long text into a block scalar (`|`) over several lines",
            number,
            limit + 1,
        )
    )


def read_text(text: str, file: str, path: Path, limits: LoadLimits = LoadLimits()) -> FileResult:
    """Parse already-decoded text; used for files and for git revisions alike."""
    try:
        result = _read_text(text, file, path, limits, _Source(text, file, limits))
    except _NeedsPositions:
        result = None
    if result is None or result.problems:  # rare: read it again, so each problem says where
        result = _read_text(text, file, path, limits, None)
    return result


def _read_text(text: str, file: str, path: Path, limits: LoadLimits, source: _Source | None) -> FileResult:
    """With a source, records find their positions later from it; without, each comes with them."""
    problems: list[Problem] = []
    records: list[Record] = []
    try:
        _check_line_lengths(text, file, limits)
        documents = parse_documents(text, file, limits, problems, with_positions=source is None, source=source)
        for index, (value, positions, mark) in enumerate(documents):
            where = _mark_location(file, mark) if mark is not None else Location(file)
            if value is None:
                problems.append(
                    Problem(
                        where,
                        "record.empty",
                        f"document {index + 1} of this file is empty",
                        hint="remove the extra `---` separator, or write the record",
                    )
                )
            elif not isinstance(value, dict):
                found = "a list" if isinstance(value, list) else f"the text {str(value)[:40]!r}"
                problems.append(
                    Problem(
                        Location(file, positions[()].line, positions[()].column),
                        "record.not-mapping",
                        f"a record must be a mapping of fields, but document {index + 1} is {found}",
                        hint="write `kind: ...`, `id: ...` as keys at the start of the line, without a leading `- `"
                        if isinstance(value, list)
                        else "a record starts with `apiVersion: catalogue/v1` and `kind: ...` on their own lines",
                    )
                )
            elif source is None:
                records.append(Record(value, file, path, index, positions))
            else:
                records.append(Record(value, file, path, index, source=source, root=positions[()]))
    except _LoadError as exc:
        problems.append(exc.problem)
        return FileResult(records, problems)  # the documents before the bad one are sound
    except yaml.YAMLError as exc:
        # libyaml gives a reader error's place in UTF-8 bytes; PyYAML's own Reader, in characters.
        in_bytes = not issubclass(_Parser, yaml.reader.Reader)
        problems.append(syntax_problem(exc, file, text, limits.max_depth, offsets_in_bytes=in_bytes))
        return FileResult(records, problems)
    if source is not None and source.marks is not None:
        source.text = None  # the marks give every position
    if not records and not problems:
        problems.append(
            _text_problem(
                file,
                "file.empty",
                "the file holds no record (it is empty or only comments)",
                "write a record, or delete the file",
            )
        )
    return FileResult(records, problems)


def read_file(path: Path, file: str, limits: LoadLimits = LoadLimits()) -> FileResult:
    try:
        info = path.stat()
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):  # a named pipe or a device would block or never end
            raise _LoadError(_text_problem(file, "file.unreadable", "this is not a regular file", "remove it from the catalogue"))
        if size > limits.max_file_bytes:
            raise _LoadError(
                _text_problem(
                    file,
                    "limit.file-size",
                    f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}",
                    "split it into several files, or raise the limit (max_file_size in mkdocs.yml, --max-file-size on the command line)",
                )
            )
        with open(path, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)  # one byte more: a file that grew is still caught
    except _LoadError as exc:
        return FileResult([], [exc.problem])
    except OSError as exc:
        return FileResult([], [_text_problem(file, "file.unreadable", f"cannot read the file: {exc.strerror or exc}")])
    return read_bytes(data, file, path, limits)


def read_bytes(data: bytes, file: str, path: Path, limits: LoadLimits = LoadLimits()) -> FileResult:
    """Size limit, UTF-8 check and parse of a file's bytes, from disk or from a git revision."""
    try:
        if len(data) > limits.max_file_bytes:
            raise _LoadError(
                _text_problem(
                    file,
                    "limit.file-size",
                    f"the file is {len(data):,} bytes, over the limit of {limits.max_file_bytes:,}",
                    "split it into several files, or raise the limit",
                )
            )
        text = _decode(data, file)
    except _LoadError as exc:
        return FileResult([], [exc.problem])
    return read_text(text, file, path, limits)


def display_path(path: Path) -> str:
    """Paths relative to the working directory read best in terminals and CI."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return printable(str(path))
    return printable(str(path) if relative.startswith("..") else relative)


def printable(name: str) -> str:
    """A file name fit for one line of output: a line break, a control or bidi character,
    or a byte that is not UTF-8 (os.walk gives it as a lone surrogate) is shown escaped."""
    if name.isprintable():
        return name
    return "".join(
        c if c.isprintable() else f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else repr(c)[1:-1] if ord(c) < 0x100 else f"\\u{ord(c):04x}"
        for c in name
    )


def find_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every YAML file under root, in a stable order; links leading outside are refused."""
    problems: list[Problem] = []
    files: list[Path] = []
    real_root = root.resolve()

    def unreadable(error: OSError) -> None:  # os.walk would skip the folder without a word
        problems.append(_folder_problem(Path(error.filename) if error.filename else root, root, error))

    for directory, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(directory)
        for name in list(dirnames):
            if _is_link(here / name):
                problems.extend(_outside_link(here / name, real_root))
                dirnames.remove(name)
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES):
                continue
            path = here / name
            if _is_link(path) and _outside_link(path, real_root):
                problems.extend(_outside_link(path, real_root))
                continue
            files.append(path)
    return files, problems


def _is_link(path: Path) -> bool:
    """False also when it cannot be told (a folder that can be listed but not entered):
    reading the file, or listing the folder, then fails, and says so at its name."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _folder_problem(path: Path, root: Path, error: OSError) -> Problem:
    """A folder of the catalogue (or the catalogue folder itself) that cannot be listed."""
    is_root = path == root
    reason = error.strerror or str(error)
    reason = reason[:1].lower() + reason[1:]
    if error.errno in (errno.EACCES, errno.EPERM):
        hint = "let the user who runs the check read and enter the folder (`chmod +rx` on it)"
    elif error.errno == errno.ENAMETOOLONG:
        hint = "give the folder a shorter path"
    else:
        hint = "check the disk and the folder"
    if is_root:
        return _text_problem(display_path(path), "catalogue.unreadable", f"cannot read the catalogue folder ({reason})", hint)
    return _text_problem(
        display_path(path),
        "folder.unreadable",
        f"cannot read this folder ({reason}): its records are not checked",
        f"{hint}, or move it out of the catalogue",
    )


def _outside_link(path: Path, real_root: Path) -> list[Problem]:
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop of links
        return [
            _text_problem(
                display_path(path),
                "file.bad-link",
                "this symbolic link cannot be followed: it leads round in a loop",
                "point the link at a file in the catalogue, or delete it",
            )
        ]
    if target == real_root or real_root in target.parents:
        return []
    return [
        _text_problem(
            display_path(path),
            "file.outside-link",
            f"this symbolic link points outside the catalogue (to {printable(str(target))})",
            "copy the file into the catalogue folder instead of linking to it",
        )
    ]


class FileCache:
    """Parsed files kept between builds, keyed by path, size and modification time."""

    def __init__(self):
        self._entries: dict[Path, tuple[tuple, FileResult]] = {}

    def read(self, path: Path, file: str, limits: LoadLimits) -> FileResult:
        try:
            stat = path.stat()
            stamp = (stat.st_size, stat.st_mtime_ns, file, limits)
        except OSError:
            return read_file(path, file, limits)
        cached = self._entries.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        result = read_file(path, file, limits)
        self._entries[path] = (stamp, result)
        return result

    def forget_missing(self, seen: set[Path]) -> None:
        for path in set(self._entries) - seen:
            del self._entries[path]


def load_folder(root: Path, limits: LoadLimits = LoadLimits(), cache: FileCache | None = None):
    """Read every file under root. Returns (file results, problems of the folder itself)."""
    root = Path(root)
    try:
        info = root.stat()
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):  # there, but out of reach
            return [], [_folder_problem(root, root, exc)]
        info = None
    if info is None or not stat.S_ISDIR(info.st_mode):
        return [], [
            _text_problem(
                display_path(root),
                "catalogue.missing",
                "the catalogue folder does not exist" if info is None else "the catalogue path is not a folder",
                "pass the folder that holds your YAML records, e.g. `catalogue/`",
            )
        ]
    files, problems = find_files(root)
    results = []
    for path in files:
        file = display_path(path)
        results.append(cache.read(path, file, limits) if cache else read_file(path, file, limits))
    if cache:
        cache.forget_missing(set(files))
    if not files and not problems:
        problems.append(
            _text_problem(
                display_path(root),
                "catalogue.empty",
                "the catalogue folder holds no .yaml or .yml file",
                "create one with `service-catalogue new Service my-service`",
            )
        )
    return results, problems
