"""The shape of the package: the command line in cli/, the core silent, no import cycles.

Read from the source (the ASTs of every module), not by importing it, so that
a module nothing imports yet is checked as well.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import pytest

import service_catalogue
from service_catalogue import cli

PACKAGE = Path(service_catalogue.__file__).resolve().parent
NAME = "service_catalogue"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text("utf-8"), str(path)) for name, path in MODULES.items()}


def in_cli(name: str) -> bool:
    return name == f"{NAME}.cli" or name.startswith(f"{NAME}.cli.")


def _shown(name: str, node: ast.AST) -> str:
    return f"{MODULES[name].relative_to(PACKAGE.parent)}:{node.lineno}"


# --------------------------------------------------------------------------
# Argument parsing and printing live in cli/ only


def talks_to_the_console(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    """argparse imports, print() calls and uses of sys.stdout or sys.stderr."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "argparse" for alias in node.names):
            found.append((node, "imports argparse"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "argparse":
            found.append((node, "imports from argparse"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append((node, "calls print"))
        elif (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr")
              and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            found.append((node, f"uses sys.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module == "sys" and any(
            alias.name in ("stdout", "stderr") for alias in node.names
        ):
            found.append((node, "imports sys.stdout or sys.stderr"))
    return found


def test_the_check_finds_what_it_looks_for():
    source = "import argparse\nimport sys\nprint('x')\nsys.stderr.write('y')\nfrom argparse import Namespace\n"
    assert sorted(what for _, what in talks_to_the_console(ast.parse(source))) == [
        "calls print", "imports argparse", "imports from argparse", "uses sys.stderr",
    ]


def test_no_module_outside_cli_parses_arguments_or_prints():
    offenders = [
        f"{_shown(name, node)}: {what}"
        for name, tree in TREES.items()
        if not in_cli(name)
        for node, what in talks_to_the_console(tree)
    ]
    assert offenders == []


def test_the_cli_package_is_where_the_printing_is():
    # The test above would pass vacuously if the walk found no module, or no print at all.
    assert f"{NAME}.cli.validate" in MODULES and f"{NAME}.pipeline" in MODULES
    assert any(talks_to_the_console(tree) for name, tree in TREES.items() if in_cli(name))


# --------------------------------------------------------------------------
# No import cycles


def imports_of(name: str, *, deferred: bool) -> list[tuple[str, int]]:
    """(module of this package, line) for every import that name makes.

    Module level: what runs when the module is imported (class bodies and `if`/`try`
    blocks included, `if TYPE_CHECKING:` blocks not). deferred=True adds the imports
    inside functions, which run on the first call. `from a import b` counts as an
    import of a.b when that is a module, else of a. The implicit import of a parent
    package is not an edge: a package that imports its own submodules is the
    ordinary layout, and a real cycle through it shows as an explicit import.
    """
    is_package = MODULES[name].name == "__init__.py"
    found: list[tuple[str, int]] = []

    def target(module: str, level: int) -> str:
        if not level:
            return module
        base = name.split(".") if is_package else name.split(".")[:-1]
        base = base[: len(base) - (level - 1)]
        return ".".join(base + ([module] if module else []))

    def visit(statements, inside_function: bool) -> None:
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if deferred:
                    visit(node.body, True)
                continue
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse, inside_function)
                continue
            if isinstance(node, ast.Import):
                found.extend((alias.name, node.lineno) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                module = target(node.module or "", node.level)
                for alias in node.names:
                    submodule = f"{module}.{alias.name}"
                    found.append((submodule if submodule in MODULES else module, node.lineno))
            for block in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, block, None)
                if isinstance(children, list):
                    visit(children, inside_function)

    visit(TREES[name].body, False)
    return [(module, line) for module, line in found if module in MODULES and module != name]


def import_cycles(deferred: bool) -> list[list[str]]:
    """Every cycle that a depth-first walk of the import graph closes, as module names."""
    graph = {name: sorted({module for module, _ in imports_of(name, deferred=deferred)}) for name in MODULES}
    cycles, state, path = [], {}, []

    def walk(name: str) -> None:
        state[name] = "open"
        path.append(name)
        for module in graph[name]:
            if state.get(module) == "open":
                cycles.append(path[path.index(module):] + [module])
            elif module not in state:
                walk(module)
        path.pop()
        state[name] = "done"

    for name in graph:
        if name not in state:
            walk(name)
    return cycles


def test_the_graph_has_the_edges_it_should():
    edges = {module for module, _ in imports_of(f"{NAME}.cli", deferred=False)}
    assert f"{NAME}.cli.validate" in edges and f"{NAME}.cli.console" in edges
    assert f"{NAME}.pipeline" in {module for module, _ in imports_of(f"{NAME}.cli.validate", deferred=False)}


def test_no_import_cycle_at_module_level():
    assert import_cycles(deferred=False) == []


# A cycle closed only by an import inside a function cannot fail with a partly
# initialised module, but it is still two modules that need each other. Each one
# left is listed here until it is taken apart; the test fails when one is gone too,
# so that the list only shrinks.
KNOWN_DEFERRED_CYCLES: set[frozenset[str]] = set()


def test_no_import_cycle_with_the_imports_inside_functions():
    found = {frozenset(cycle) for cycle in import_cycles(deferred=True)}
    assert found - KNOWN_DEFERRED_CYCLES == set(), "new import cycles"
    assert KNOWN_DEFERRED_CYCLES - found == set(), "gone: remove them from KNOWN_DEFERRED_CYCLES"


def test_a_cycle_is_found(monkeypatch):
    # The walk itself: the cycle the issue named (analysis/command.py imported cli._date).
    monkeypatch.setitem(TREES, f"{NAME}.cli.console",
                        ast.parse("from service_catalogue.cli import check\n"))
    assert any(f"{NAME}.cli.console" in cycle for cycle in import_cycles(deferred=False))


# --------------------------------------------------------------------------
# One module per command


@pytest.mark.parametrize("name", sorted(cli.COMMAND_BY_NAME))
def test_every_command_is_a_module_with_add_arguments_and_run(name):
    command = cli.COMMAND_BY_NAME[name]
    assert command.__name__ == f"{NAME}.cli.{name}"
    assert callable(command.add_arguments) and callable(command.run)
    assert command.SUMMARY and command.DESCRIPTION


def test_the_parser_has_exactly_the_commands_of_the_table():
    parser = cli.build_parser()
    [commands] = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    assert list(commands.choices) == list(cli.COMMAND_BY_NAME)
    for name, subparser in commands.choices.items():
        assert subparser.get_default("run") is cli.COMMAND_BY_NAME[name].run
    command_modules = {name.rsplit(".", 1)[1] for name in MODULES if name.startswith(f"{NAME}.cli.")}
    # arguments, console and reference (the command line written as Markdown) serve the commands.
    assert command_modules - {"arguments", "console", "reference"} == set(cli.COMMAND_BY_NAME)
