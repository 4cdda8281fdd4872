"""One table of the kinds of record (service_catalogue/kinds.py), and nothing else that says the same.

Two halves. The source: no module but kinds.py spells a kind's folder, site
section, schema file, templates or index page, or lists the kinds in a table of
its own (read from the ASTs, as test_cli_layout reads the imports). The
behaviour: with a folder and a section renamed in the table, `init`, `new`,
`validate` and the MkDocs build all follow, through the real code paths.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import typing
from pathlib import Path
from types import SimpleNamespace

import pytest

import service_catalogue
from helpers.catalogue_builder import run_cli, write_catalogue
from helpers.inprocess_build import build_in_process
from service_catalogue.kinds import KIND_BY_NAME, KIND_NAMES, KINDS, Kind, KindName
from service_catalogue.mkdocs_plugin.site_config import add_nav_section
from service_catalogue.validation.schemas import load_schemas, schema_set

PACKAGE = Path(service_catalogue.__file__).resolve().parent
TABLE = PACKAGE / "kinds.py"

# Tables keyed by kind that say something kinds.py does not, each the one home of its idea.
OTHER_HOMES = {
    ("validation/references.py", "REFERENCE_FIELDS"),  # which field names which kind of record
    ("skeletons.py", "_BODIES"),  # the text of each kind's skeleton record
}


# --------------------------------------------------------------------------
# The source: the facts of kinds.py are spelt nowhere else


def kind_facts(kinds: tuple[Kind, ...] = KINDS) -> list[tuple[re.Pattern, str]]:
    """(pattern, what it is) for every path-like fact of the table: a folder or a section
    as a path part, a schema file, a template, an index page."""
    facts = []
    for kind in kinds:
        for attribute in ("folder", "section"):
            value = re.escape(getattr(kind, attribute))
            facts.append((re.compile(rf"(?:^|/){value}/|/{value}$"), f"{kind.name}'s {attribute}"))
        for attribute in ("schema_file", "page_template", "index_template", "index_page"):
            value = getattr(kind, attribute)
            if value:
                facts.append((re.compile(rf"(?<![\w.-]){re.escape(value)}(?![\w.-])"), f"{kind.name}'s {attribute}"))
    return facts


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def _assigned_name(tree: ast.AST, table: ast.AST) -> str:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is table:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            return ", ".join(t.id for t in targets if isinstance(t, ast.Name))
    return ""


def per_kind_facts(source: str, module: str = "<source>", kinds: tuple[Kind, ...] = KINDS) -> list[str]:
    """What a module says that kinds.py says: its string literals (docstrings aside) that
    hold a fact of the table, and the dicts keyed by, and the tuples, lists and sets of,
    three or more kind names (a per-kind table, or an order of the kinds, of its own)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    facts = kind_facts(kinds)
    names = {kind.name for kind in kinds}
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            what = next((what for pattern, what in facts if pattern.search(node.value)), None)
            if what is not None:
                found.append((node.lineno, f"{node.value!r} is {what}"))
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)} & names
            if len(keys) >= 3 and (module, _assigned_name(tree, node)) not in OTHER_HOMES:
                found.append((node.lineno, f"a table keyed by the kinds {sorted(keys)}"))
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = {e.value for e in node.elts if isinstance(e, ast.Constant)} & names
            if len(items) >= 3:
                found.append((node.lineno, f"the kinds listed {sorted(items)}"))
    return [f"{module}:{line}: {what}" for line, what in sorted(found)]


def test_the_scan_finds_what_it_looks_for():
    source = '''
"""A docstring may name services/ and service.json."""
SECTION_OF_KIND = {"Service": "services", "Agreement": "agreements", "Party": "parties"}
ORDER = ("Agreement", "Service", "Calendar")
def page(entity):
    return f"service-hours/{entity.id}.md"
TEMPLATE = "pages/party.md.j2"
SCHEMA = KIND_FILES.get("Term", "term.json")
NAV = {"Glossary": "catalogue/glossary.md"}
FIELD = agreement.get("services")  # a field of the format, not a folder
'''
    assert per_kind_facts(source) == [
        "<source>:3: a table keyed by the kinds ['Agreement', 'Party', 'Service']",
        "<source>:4: the kinds listed ['Agreement', 'Calendar', 'Service']",
        "<source>:6: 'service-hours/' is Calendar's section",
        "<source>:7: 'pages/party.md.j2' is Party's page_template",
        "<source>:8: 'term.json' is Term's schema_file",
        "<source>:9: 'catalogue/glossary.md' is Term's index_page",
    ]


def test_a_renamed_fact_is_looked_for_under_its_new_name():
    renamed = tuple(dataclasses.replace(kind, section="hours") if kind.name == "Calendar" else kind for kind in KINDS)
    source = 'PAGE = "hours/index.md"\nOLD = "service-hours/index.md"\n'
    assert per_kind_facts(source, kinds=renamed) == ["<source>:1: 'hours/index.md' is Calendar's section"]


def test_no_module_but_kinds_py_holds_a_fact_of_the_table():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != TABLE:
            found.extend(per_kind_facts(path.read_text("utf-8"), path.relative_to(PACKAGE).as_posix()))
    assert found == []


def test_the_table_agrees_with_the_schemas_and_the_templates():
    schemas = load_schemas()
    templates = PACKAGE / "site" / "templates"
    for kind in KINDS:
        assert schemas[kind.schema_file]["title"] == kind.name
        assert schemas[kind.schema_file]["properties"]["kind"]["const"] == kind.name
        assert (templates / kind.index_template).is_file()
        assert not kind.page_template or (templates / kind.page_template).is_file()
    assert KIND_NAMES == tuple(KIND_BY_NAME) == service_catalogue.KINDS
    assert typing.get_args(KindName) == KIND_NAMES  # the type checker's names are the table's
    assert len({kind.section for kind in KINDS}) == len({kind.folder for kind in KINDS}) == len(KINDS)


# --------------------------------------------------------------------------
# The behaviour: a fact changed in the table is what every stage uses


@pytest.fixture
def renamed_table():
    """The table with the calendars' folder and section, and the services' folder, renamed
    in place (every module holds the same Kind objects), and put back afterwards."""
    changes = {"Calendar": {"folder": "hour-records", "section": "opening-hours"}, "Service": {"folder": "offers"}}
    before = {name: {field: getattr(KIND_BY_NAME[name], field) for field in fields} for name, fields in changes.items()}
    for name, fields in changes.items():
        for field, value in fields.items():
            object.__setattr__(KIND_BY_NAME[name], field, value)  # frozen: the table is never changed but here
    try:
        yield
    finally:
        for name, fields in before.items():
            for field, value in fields.items():
                object.__setattr__(KIND_BY_NAME[name], field, value)


def test_init_new_validate_and_the_site_follow_a_renamed_folder_and_section(tmp_path, renamed_table):
    assert run_cli(tmp_path, "init").returncode == 0
    catalogue = tmp_path / "catalogue"
    assert sorted(p.name for p in catalogue.iterdir()) == ["agreements", "glossary", "hour-records", "offers", "parties"]

    proc = run_cli(tmp_path, "new", "calendar", "weekend-hours")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"wrote {Path('catalogue', 'hour-records', 'weekend-hours.yaml')}\n"

    proc = run_cli(tmp_path, "validate")
    assert proc.returncode == 0, proc.stdout

    built, errors = build_in_process(tmp_path, tmp_path / "site")
    assert built, errors
    site = tmp_path / "site" / "catalogue"
    assert (site / "opening-hours" / "index.html").is_file()
    assert (site / "opening-hours" / "weekend-hours" / "index.html").is_file()
    assert not (site / "service-hours").exists()
    overview = (site / "index.html").read_text("utf-8")
    assert 'href="opening-hours/"' in overview and "service-hours" not in overview
    records = json.loads((tmp_path / "site" / "catalogue.json").read_text("utf-8"))["records"]
    calendar_urls = sorted(r["url"] for r in records if r["kind"] == "Calendar")
    assert calendar_urls == ["catalogue/opening-hours/business-hours/", "catalogue/opening-hours/weekend-hours/"]

    config = SimpleNamespace(nav=[{"Home": "index.md"}])
    add_nav_section(config, "catalogue")
    assert {"Service hours": "catalogue/opening-hours/index.md"} in config.nav[-1]["Catalogue"]


@pytest.fixture
def swapped_schemas():
    """Parties checked against the service schema, for as long as the test runs."""
    party = KIND_BY_NAME["Party"]
    schema_set.cache_clear()
    object.__setattr__(party, "schema_file", KIND_BY_NAME["Service"].schema_file)
    try:
        yield
    finally:
        object.__setattr__(party, "schema_file", "party.json")
        schema_set.cache_clear()


def test_validation_checks_a_record_against_the_schema_the_table_names(tmp_path, swapped_schemas):
    write_catalogue(tmp_path)
    proc = run_cli(tmp_path, "validate", "catalogue")
    assert proc.returncode == 1
    assert 'catalogue/parties/parties.yaml:2:7: error: Party it-services: kind: expected `Service`, found the text "Party" [schema.const]' in proc.stdout
    assert proc.stdout.endswith("\n8 errors in 6 records\n")  # all of them in the parties' file
    assert all(line.startswith(("catalogue/parties/", "  hint: ")) for line in proc.stdout.splitlines()[:-1])
