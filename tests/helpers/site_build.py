"""Helpers for the site tests: build the example site in a temp copy, read its HTML.

The tests never look at the templates: they build the site the way a user does
(`python -m mkdocs build --strict` in a copy of the repository's example) and
read the HTML that comes out, with the standard library's html.parser.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import posixpath
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[2]
# What a site needs: its configuration, the hand-written pages (and docs/hooks.py,
# the hook that mkdocs.yml names) and the records.
PROJECT_PARTS = ("mkdocs.yml", "docs", "catalogue")
# Where the plugin puts the catalogue section (`section:` in the example mkdocs.yml).
SECTION = "catalogue"
# The folder of each kind's pages inside the section (terms share the glossary page).
KIND_FOLDERS = {"Service": "services", "Agreement": "agreements", "Party": "parties", "Calendar": "service-hours"}
GLOSSARY_PAGE = f"{SECTION}/glossary/index.html"

BUILD_TIMEOUT = 300

# The Markdown extensions of a test site's mkdocs.yml: those the example site uses
# (the plugin adds what it needs, but a site written by hand lists them).
MARKDOWN_EXTENSIONS_YML = """\
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


# --------------------------------------------------------------------------
# Building


def copy_project(dest: Path) -> Path:
    """Copy the example site (mkdocs.yml, docs/, catalogue/) into dest; return dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        else:
            shutil.copy2(source, dest / part)
    return dest


def use_directory_urls(project: Path, value: bool) -> None:
    """Set `use_directory_urls` in the project's mkdocs.yml (it is true unless set)."""
    config = project / "mkdocs.yml"
    text = re.sub(r"^use_directory_urls:.*\n", "", config.read_text("utf-8"), flags=re.M)
    config.write_text(text.rstrip("\n") + f"\nuse_directory_urls: {str(value).lower()}\n", "utf-8")


def build_example(root: Path, directory_urls: bool = True) -> "BuiltSite":
    """The example site copied into root/project and built with `mkdocs build --strict`
    into root/site: exit 0, no warning."""
    project = copy_project(root / "project")
    if not directory_urls:
        use_directory_urls(project, False)
    site = root / "site"
    result = run_mkdocs_build(project, site, strict=True)
    assert result.returncode == 0, f"mkdocs build --strict failed\n{describe(result)}"
    assert "WARNING" not in result.stdout + result.stderr, f"the build logged warnings\n{describe(result)}"
    assert (site / "index.html").is_file(), f"no index.html in {site}\n{describe(result)}"
    return BuiltSite(project, site, result, directory_urls)


def run_mkdocs_build(project: Path, site_dir: Path, strict: bool = True) -> subprocess.CompletedProcess:
    """`python -m mkdocs build [--strict] -d site_dir` with cwd = project."""
    command = [sys.executable, "-m", "mkdocs", "build", "-d", str(site_dir)]
    if strict:
        command.insert(4, "--strict")
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=_env()
    )


def release_check():
    """scripts/release_check.py (what the release workflow runs) as a module, for its parts."""
    spec = importlib.util.spec_from_file_location("release_check", REPO / "scripts" / "release_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def docs_hooks():
    """docs/hooks.py (the hooks of this repository's site, named in mkdocs.yml), imported."""
    spec = importlib.util.spec_from_file_location("docs_hooks", REPO / "docs" / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    # Material 9.7+ prints an end-of-life banner that mentions this variable by
    # name ("...NO_MKDOCS_2_WARNING=1"); it is not a build warning, so silence it
    # to let the tests demand that the output holds no "WARNING" at all.
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def describe(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"


def tree_digest(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under root (empty if root is missing)."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def site_url_of(project: Path) -> str:
    """site_url from mkdocs.yml (read as text: the file holds !!python tags)."""
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s]+)", (project / "mkdocs.yml").read_text("utf-8"), re.M)
    return match.group(1) if match else ""


def repo_url_of(project: Path) -> str:
    match = re.search(r"^repo_url:\s*['\"]?([^'\"\s]+)", (project / "mkdocs.yml").read_text("utf-8"), re.M)
    return match.group(1) if match else ""


# --------------------------------------------------------------------------
# The built site


@dataclass
class BuiltSite:
    project: Path  # the temp copy that was built
    site: Path  # its output folder
    result: subprocess.CompletedProcess
    directory_urls: bool = True  # use_directory_urls of the build
    _pages: dict = field(default_factory=dict, repr=False)

    def path(self, relative: str) -> Path:
        return self.site / relative

    def page_file(self, src: str) -> str:
        """Where MkDocs writes the page of a Markdown source (catalogue/glossary.md, say)."""
        stem = src[: -len(".md")]
        if not self.directory_urls or stem == "index" or stem.endswith("/index"):
            return stem + ".html"
        return stem + "/index.html"

    def record_page(self, kind: str, record_id: str) -> str:
        """Where the page of a record is, relative to the site root."""
        return self.page_file(f"{SECTION}/{KIND_FOLDERS[kind]}/{record_id}.md")

    @property
    def glossary_page(self) -> str:
        return self.page_file(f"{SECTION}/glossary.md")

    def page(self, relative: str) -> "Node":
        """The parsed HTML page at a path relative to the site (cached)."""
        if relative not in self._pages:
            self._pages[relative] = parse_html(self.path(relative).read_text("utf-8"))
        return self._pages[relative]

    def html_files(self) -> list[str]:
        return sorted(p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html"))


def resolve_link(site: BuiltSite, page: str, url: str) -> tuple[str | None, str, str]:
    """(target file relative to the site, or None if missing; fragment; reason)."""
    parts = urlsplit(url)
    if parts.scheme:
        return None, "", f"scheme {parts.scheme}: is not a link into the site"
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:
        return page, fragment, ""  # "#anchor" or "?query" on the same page
    base = "" if path.startswith("/") else posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if target == ".." or target.startswith("../"):
        return None, fragment, "leads outside the site"
    if target == ".":
        target = ""
    candidate = site.site / target
    if path.endswith("/") or candidate.is_dir():
        target = posixpath.join(target, "index.html") if target else "index.html"
        candidate = site.site / target
    if not candidate.is_file():
        return None, fragment, f"no file {target}"
    return target, fragment, ""


def record_page(kind: str, record_id: str) -> str:
    """Where the page of a record is expected, relative to the site root."""
    return f"{SECTION}/{KIND_FOLDERS[kind]}/{record_id}/index.html"


# --------------------------------------------------------------------------
# A small DOM on html.parser


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)  # Node or str
    parent: "Node | None" = field(default=None, repr=False)

    def iter(self):
        """This node and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if cls is not None and cls not in node.classes:
                continue
            if any(node.attrs.get(name.rstrip("_")) != value for name, value in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Node | None":
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        """The text content, whitespace collapsed."""
        parts = []

        def walk(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def ids(self) -> set[str]:
        """Every id in the page, and the names of <a name> anchors."""
        found = set()
        for node in self.iter():
            if node.attrs.get("id"):
                found.add(node.attrs["id"])
            if node.tag == "a" and node.attrs.get("name"):
                found.add(node.attrs["name"])
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: (value if value is not None else "") for name, value in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, {name: (value if value is not None else "") for name, value in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        # Close up to the matching open element; an unmatched end tag is ignored.
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def article(page: Node) -> Node:
    """Material's content area: <article class="md-content__inner">."""
    found = page.find("article", cls="md-content__inner")
    assert found is not None, "the page has no Material content area (article.md-content__inner)"
    return found


def heading_text(node: Node) -> str:
    """A heading's text without Material's permalink sign."""
    return node.text.replace("\u00b6", "").strip()


# --------------------------------------------------------------------------
# Figures shown on the site


_AMOUNT = re.compile(r"^\s*([0-9]+(?:\.([0-9]+))?)\s*(seconds?|minutes?|hours?|days?)\s*$")
_UNIT_MINUTES = {"second": 1 / 60, "minute": 1.0, "hour": 60.0, "day": 1440.0}


def parse_duration_minutes(text: str) -> tuple[float, float]:
    """"21.9 minutes" -> (21.9, 0.05): the value in minutes and half a unit of its last digit."""
    match = _AMOUNT.match(text)
    assert match, f"not a duration such as '21.9 minutes' or '8.8 hours': {text!r}"
    number, decimals, unit = match.group(1), match.group(2) or "", match.group(3).rstrip("s")
    scale = _UNIT_MINUTES[unit]
    return float(number) * scale, 0.5 * 10 ** -len(decimals) * scale
