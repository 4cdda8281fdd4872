"""MkDocs hooks of this repository's documentation (`hooks:` in mkdocs.yml).

The command line reference: the user guide's CLI page (guide/cli.md) holds only a marker
line, which on_page_markdown replaces with the reference that service_catalogue.cli.reference
makes from the argparse parser itself. `service-catalogue render --docs` expands the same
marker for generators that run no hooks (Zensical).

The file sits in docs/ so that it travels with the pages (`exclude_docs` keeps it out of the
built site), as MkDocs' own documentation keeps its docs/hooks.py.
"""

from __future__ import annotations

import argparse

from service_catalogue.cli import build_parser, reference
from service_catalogue.cli.reference import MARKER

__all__ = ["MARKER", "cli_reference", "expand", "on_page_markdown"]


def cli_reference(parser: argparse.ArgumentParser | None = None, level: int = 2) -> str:
    return reference.cli_reference(parser or build_parser(), level)


def expand(markdown: str) -> str:
    return reference.expand(markdown, build_parser()) if MARKER in markdown else markdown


def on_page_markdown(markdown: str, page, config, files) -> str:
    """The MkDocs event: the CLI page gets the reference; other pages are left as they are."""
    return expand(markdown)
