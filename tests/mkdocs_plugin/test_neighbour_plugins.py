"""The plugins people combine with Material, each the real one from the package index
(issue 18, item 3): mkdocs-static-i18n, mkdocs-git-revision-date-localized, mkdocs-awesome-nav,
Material's navigation.tabs, and mike.

Each site is built as a user builds it (`python -m mkdocs build --strict` in a folder of its
own) and read from its HTML. Before: i18n stopped the build on the generated pages
(`TypeError: expected str, bytes or os.PathLike object, not NoneType`), every record page was
dated with the build time, and under navigation.tabs a record page had no active tab and an
empty sidebar.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.catalogue_builder import SERVICE, replace, write_catalogue
from helpers.site_build import (
    MARKDOWN_EXTENSIONS_YML, BuiltSite, Node, article, describe, parse_html, resolve_link, run_mkdocs_build,
)
from service_catalogue import scaffolding

SITE_URL = "https://catalogue.example.org/"
REPO_URL = "https://github.com/example/catalogue"
EMAIL = "catalogue/services/email/index.html"  # the base catalogue's service (catalogue_builder)
AGREEMENT = "catalogue/agreements/sla-email/index.html"
CALENDAR = "catalogue/service-hours/business-hours/index.html"
PARTY = "catalogue/parties/it-services/index.html"
GLOSSARY = "catalogue/glossary/index.html"
# The Catalogue section's pages, as the plugin names them in a nav.
SECTION_TITLES = ["Overview", "Services", "Agreements", "Parties", "Service hours", "Glossary",
                  "Service level health", "Format reference"]

I18N_SUFFIX = """\
  - i18n:
      docs_structure: {structure}
      languages:
        - locale: en
          default: true
          name: English
        - locale: fr
          name: Français
"""
OURS = """\
  - service-catalogue:
      as_of: "2026-06-01"
"""


def site(tmp_path: Path, plugins: str, docs: dict[str, str], features: tuple[str, ...] = (), extra: str = "") -> Path:
    """A project of the base catalogue (catalogue_builder), the given pages and a mkdocs.yml with
    Material, search and the given plugins."""
    project = tmp_path / "project"
    write_catalogue(project)
    for name, text in docs.items():
        path = project / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    feature_lines = "".join(f"    - {feature}\n" for feature in ("content.action.edit", *features))
    (project / "mkdocs.yml").write_text(
        f"site_name: Neighbours\nsite_url: {SITE_URL}\nrepo_url: {REPO_URL}\nedit_uri: edit/main/docs/\n"
        f"theme:\n  name: material\n  features:\n{feature_lines}"
        f"plugins:\n  - search\n{plugins}{extra}" + MARKDOWN_EXTENSIONS_YML,
        encoding="utf-8",
    )
    return project


def build(project: Path) -> BuiltSite:
    """`mkdocs build --strict`: exit 0 and no warning."""
    out = project.parent / "site"
    result = run_mkdocs_build(project, out, strict=True)
    assert result.returncode == 0, f"mkdocs build --strict failed\n{describe(result)}"
    assert "WARNING" not in result.stdout + result.stderr, f"the build logged warnings\n{describe(result)}"
    return BuiltSite(project, out, result)


def children(node: Node, tag: str) -> list[Node]:
    return [child for child in node.children if isinstance(child, Node) and child.tag == tag]


def nav_items(page: Node) -> list[dict]:
    """Material's primary sidebar as a tree: [{title, active, children}]."""
    primary = page.find("nav", cls="md-nav--primary")
    assert primary is not None, "the page has no primary navigation"
    return _items(children(primary, "ul")[0])


def _items(ul: Node) -> list[dict]:
    items = []
    for li in children(ul, "li"):
        nested = [nav for nav in children(li, "nav") if "md-nav--secondary" not in nav.classes]
        items.append({
            "title": li.find("span", cls="md-ellipsis").text,
            "active": "md-nav__item--active" in li.classes,
            "children": _items(children(nested[0], "ul")[0]) if nested else [],
        })
    return items


def titles(items: list[dict]) -> list[str]:
    return [item["title"] for item in items]


def link_target(built: BuiltSite, page: str, href: str) -> str | None:
    return resolve_link(built, page, href)[0]


def edit_link(page: Node) -> str:
    (link,) = [a for a in page.find_all("a") if "md-content__button" in a.classes and "Edit" in a.attrs.get("title", "")]
    return link.attrs["href"]


# --------------------------------------------------------------------------
# mkdocs-static-i18n


@pytest.mark.parametrize("order", ["service-catalogue before i18n", "i18n before service-catalogue"])
def test_i18n_suffix_builds_every_generated_page_in_each_language_in_the_default_one(tmp_path, order):
    i18n = I18N_SUFFIX.format(structure="suffix")
    plugins = OURS + i18n if order.startswith("service") else i18n + OURS
    project = site(tmp_path, plugins, {
        "index.md": "# Home\n\nOur mail: [[email]].\n",
        "index.fr.md": "# Accueil\n\nNotre messagerie : [[email]].\n",
    })
    built = build(project)

    for record in (EMAIL, AGREEMENT, CALENDAR, PARTY, GLOSSARY, "catalogue/index.html"):
        assert built.path(record).is_file(), record
        assert built.path(f"fr/{record}").is_file(), f"fr/{record}"
    english, french = built.page(EMAIL), built.page(f"fr/{EMAIL}")
    assert english.find("html").attrs["lang"] == "en" and french.find("html").attrs["lang"] == "fr"
    # The French site's copy is the default language's page, in the French site's frame.
    assert article(french).find("h1").text.startswith("Email")
    assert article(french).text == article(english).text
    assert [a.attrs["hreflang"] for a in french.find_all("link", rel="alternate")] == ["en", "fr"]
    # Both lead to the record's YAML file to edit it.
    assert edit_link(french) == edit_link(english) and edit_link(english).endswith("/catalogue/services/email.yaml")

    # [[id]] on each language's hand-written page leads to the record's page in that language.
    for home, expected in (("index.html", EMAIL), ("fr/index.html", f"fr/{EMAIL}")):
        hrefs = [a.attrs["href"] for a in article(built.page(home)).find_all("a") if "email" in a.attrs.get("href", "")]
        assert [link_target(built, home, href) for href in hrefs] == [expected], (home, hrefs)
    # The style sheet and the calendar's iCalendar file are reached from the French pages too.
    for page, suffix in ((f"fr/{EMAIL}", "service-catalogue.css"), (f"fr/{CALENDAR}", ".ics")):
        hrefs = [n.attrs["href"] for n in built.page(page).iter() if n.attrs.get("href", "").endswith(suffix)]
        assert hrefs and all(link_target(built, page, href) for href in hrefs), (page, hrefs)
    # "Used in" on the French glossary lists the French pages.
    used_in = built.page(f"fr/{GLOSSARY}").find("div", cls="sc-used-in")
    targets = sorted(link_target(built, f"fr/{GLOSSARY}", a.attrs["href"]) for a in used_in.find_all("a"))
    assert targets == sorted([f"fr/{AGREEMENT}", f"fr/{EMAIL}"]), targets

    # The exports are written once, for the default language's pages.
    catalogue = json.loads(built.path("catalogue.json").read_text("utf-8"))
    urls = [record["url"] for record in catalogue["records"]]
    assert urls and all(url.startswith("catalogue/") for url in urls), urls
    terms = json.loads(built.path("glossary.json").read_text("utf-8"))["terms"]
    used = [use["url"] for term in terms for use in term["used_in"]]
    assert sorted(used) == ["catalogue/agreements/sla-email/", "catalogue/services/email/"], used
    assert not built.path("fr/catalogue.json").exists() and not built.path("fr/glossary.json").exists()
    # The style sheet once in every page, in the second language's build too.
    for page in (EMAIL, f"fr/{EMAIL}"):
        sheets = [n for n in built.page(page).find_all("link") if n.attrs.get("href", "").endswith("service-catalogue.css")]
        assert len(sheets) == 1, (page, len(sheets))


def test_i18n_folder_structure_keeps_the_catalogue_section_in_each_language(tmp_path):
    """With docs/en/ and docs/fr/, i18n keeps only the language folders' sections of a nav made
    from the folders: the plugin appends the Catalogue section after it."""
    project = site(tmp_path, OURS + I18N_SUFFIX.format(structure="folder"), {
        "en/index.md": "# Home\n\nOur mail: [[email]].\n",
        "fr/index.md": "# Accueil\n\nNotre messagerie : [[email]].\n",
    })
    built = build(project)
    for home, record in (("index.html", EMAIL), ("fr/index.html", f"fr/{EMAIL}")):
        assert built.path(record).is_file(), record
        items = nav_items(built.page(home))
        (catalogue,) = [item for item in items if item["title"] == "Catalogue"]
        assert titles(catalogue["children"]) == SECTION_TITLES
        hrefs = [a.attrs["href"] for a in article(built.page(home)).find_all("a") if "email" in a.attrs.get("href", "")]
        assert [link_target(built, home, href) for href in hrefs] == [record], (home, hrefs)
    assert built.page(f"fr/{EMAIL}").find("html").attrs["lang"] == "fr"


# --------------------------------------------------------------------------
# mkdocs-git-revision-date-localized


def git(project: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Service Manager", "GIT_AUTHOR_EMAIL": "sm@example.org",
           "GIT_COMMITTER_NAME": "Service Manager", "GIT_COMMITTER_EMAIL": "sm@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    result = subprocess.run(["git", *args], cwd=project, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, describe(result)
    return result.stdout


def last_update(page: Node) -> str:
    spans = [span.text for span in page.find_all("span", cls="git-revision-date-localized-plugin-iso_date")]
    assert spans, "the page shows no date from git-revision-date-localized"
    return spans[0]


def commit_twice(project):
    """The catalogue committed on 2024-03-05, then the Email service's YAML alone on 2025-07-09."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "The catalogue", date="2024-03-05T10:00:00+00:00")
    service = project / "catalogue" / "services" / "email.yaml"
    service.write_text(replace(SERVICE, "title: Email\n", "title: Email for all\n"), "utf-8")
    git(project, "commit", "-q", "-am", "Email: a new title", date="2025-07-09T10:00:00+00:00")


@pytest.mark.parametrize("variant", ["parallel", "one file at a time", "listed first", "with i18n"])
def test_a_record_page_carries_the_last_commit_date_of_its_yaml_file(tmp_path, variant):
    parallel = "false" if variant == "one file at a time" else "true"
    dates = ("  - git-revision-date-localized:\n"
             "      type: iso_date\n"
             "      fallback_to_build_date: false\n"
             f"      enable_parallel_processing: {parallel}\n")
    if variant == "listed first":
        plugins = dates + OURS
    else:  # git-revision-date-localized wants i18n before it (it reads the pages' languages)
        plugins = OURS + (I18N_SUFFIX.format(structure="suffix") if variant == "with i18n" else "") + dates
    docs = {"index.md": "# Home\n"}
    if variant == "with i18n":
        docs["index.fr.md"] = "# Accueil\n"
    project = site(tmp_path, plugins, docs)
    commit_twice(project)
    assert git(project, "log", "-1", "--format=%cs", "--", "catalogue/services/email.yaml").strip() == "2025-07-09"

    built = build(project)
    today = dt.date.today().isoformat()
    pages = [("", EMAIL, "2025-07-09"), ("", AGREEMENT, "2024-03-05"), ("", PARTY, "2024-03-05")]
    if variant == "with i18n":
        pages += [("fr/", EMAIL, "2025-07-09"), ("fr/", AGREEMENT, "2024-03-05")]
    for prefix, page, committed in pages:
        shown = last_update(built.page(prefix + page))
        assert shown == committed, f"{prefix}{page} shows {shown}, but its YAML file was last committed on {committed}"
    assert last_update(built.page(EMAIL)) != last_update(built.page(AGREEMENT))
    assert today not in (last_update(built.page(EMAIL)), last_update(built.page(AGREEMENT)))


def test_creation_dates_come_from_the_yaml_file_too(tmp_path):
    plugins = OURS + "  - git-revision-date-localized:\n      type: iso_date\n      enable_creation_date: true\n"
    project = site(tmp_path, plugins, {"index.md": "# Home\n"})
    commit_twice(project)
    built = build(project)
    shown = [span.text for span in built.page(EMAIL).find_all("span", cls="git-revision-date-localized-plugin-iso_date")]
    assert sorted(shown) == ["2024-03-05", "2025-07-09"], shown  # created, last changed


# --------------------------------------------------------------------------
# mkdocs-awesome-nav


@pytest.mark.parametrize("root_nav, expected", [
    (None, ["Home", "Catalogue", "Guide"]),  # no .nav.yml: awesome-nav lists every folder
    ("nav:\n  - index.md\n  - catalogue\n  - Guide: guide\n", ["Home", "Catalogue", "Guide"]),
    ("nav:\n  - index.md\n  - Guide: guide\n  - Our services: catalogue\n", ["Home", "Guide", "Our services"]),
    ("nav:\n  - index.md\n  - Guide: guide\n", ["Home", "Guide", "Catalogue"]),  # left out: appended
], ids=["no root nav", "placed", "placed and titled", "left out"])
@pytest.mark.parametrize("awesome_first", [True, False], ids=["awesome-nav listed first", "listed second"])
def test_awesome_nav_and_the_catalogue_section_compose(tmp_path, root_nav, expected, awesome_first):
    docs = {"index.md": "# Home\n", "guide/start.md": "# Start\n"}
    if root_nav is not None:
        docs[".nav.yml"] = root_nav
    awesome = "  - awesome-nav\n"
    project = site(tmp_path, awesome + OURS if awesome_first else OURS + awesome, docs)
    built = build(project)
    for page in ("index.html", EMAIL):
        items = nav_items(built.page(page))
        assert titles(items) == expected, (page, titles(items))
        (section,) = [item for item in items if item["title"] in ("Catalogue", "Our services")]
        assert titles(section["children"]) == SECTION_TITLES, titles(section["children"])
    # Record pages stay out of the nav; the indexes lead to them.
    everything = json.dumps(nav_items(built.page("index.html")))
    assert "Email" not in everything and not built.path("catalogue/.nav.yml").exists()


def test_a_catalogue_nav_yml_written_by_hand_wins(tmp_path):
    docs = {"index.md": "# Home\n", "catalogue/.nav.yml": "title: Service catalogue\nnav:\n  - services/index.md\n  - agreements/index.md\n"}
    built = build(site(tmp_path, "  - awesome-nav\n" + OURS, docs))
    items = nav_items(built.page("index.html"))
    assert titles(items) == ["Home", "Service catalogue"]
    assert titles(items[1]["children"]) == ["Services", "Agreements"]


# --------------------------------------------------------------------------
# Material's navigation.tabs: a record page's place in the Catalogue section


EXPLICIT_NAV = "nav:\n  - Home: index.md\n  - Guide:\n      - guide/start.md\n"


@pytest.mark.parametrize("features", [("navigation.tabs",), ("navigation.tabs", "navigation.indexes", "navigation.path")],
                         ids=["tabs", "tabs, indexes and path"])
def test_under_navigation_tabs_a_record_page_shows_its_place_in_the_catalogue(tmp_path, features):
    project = site(tmp_path, OURS, {"index.md": "# Home\n", "guide/start.md": "# Start\n"}, features=features, extra=EXPLICIT_NAV)
    built = build(project)
    indexes = "navigation.indexes" in features
    for page, index_title in ((EMAIL, "Services"), (AGREEMENT, "Agreements"), (PARTY, "Parties"),
                              (CALENDAR, "Service hours")):
        html = built.page(page)
        active_tabs = [tab.text for tab in html.find_all("li", cls="md-tabs__item--active")]
        assert active_tabs == ["Catalogue"], (page, active_tabs)
        items = nav_items(html)
        assert [item["title"] for item in items if item["active"]] == ["Catalogue"], (page, items)
        (catalogue,) = [item for item in items if item["title"] == "Catalogue"]
        # The sidebar lists the section's pages, with the record's index marked.
        shown = SECTION_TITLES[1:] if indexes else SECTION_TITLES
        assert titles(catalogue["children"]) == shown, titles(catalogue["children"])
        assert [item["title"] for item in catalogue["children"] if item["active"]] == [index_title], page
        if "navigation.path" in features:
            path = [item.text for item in html.find("nav", cls="md-path").find_all("li")]
            assert path == ["Home", "Catalogue", index_title], path
    # A hand-written page is as it was.
    home = built.page("index.html")
    assert [tab.text for tab in home.find_all("li", cls="md-tabs__item--active")] == ["Home"]
    assert not [item for item in nav_items(home) if item["title"] == "Catalogue" and item["active"]]


# --------------------------------------------------------------------------
# mike, and init --site-url


def test_init_site_url_writes_site_url(tmp_path):
    from service_catalogue import cli

    assert cli.main(["init", str(tmp_path / "with"), "--site-url", "https://catalogue.example.org/it"]) == 0
    assert "\nsite_url: \"https://catalogue.example.org/it/\"\n" in (tmp_path / "with" / "mkdocs.yml").read_text("utf-8")
    assert cli.main(["init", str(tmp_path / "without")]) == 0
    text = (tmp_path / "without" / "mkdocs.yml").read_text("utf-8")
    assert "\n# site_url: https://catalogue.example.org/\n" in text and "\nsite_url:" not in text


@pytest.mark.parametrize("url, says", [
    ("catalogue.example.org", "did you mean https://catalogue.example.org?"),
    ("ftp://catalogue.example.org/", "(http:// or https://, then the host)"),
    ("https://", "(http:// or https://, then the host)"),
    ("https://catalogue example.org/", "with no spaces or control characters"),
    ("https://catalogue.example.org/?page=1", "with no ?query or #fragment"),
    ("https://catalogue.example.org:eighty/", "Port could not be cast"),
])
def test_init_with_a_bad_site_url_is_a_usage_error_and_writes_nothing(tmp_path, capsys, url, says):
    from service_catalogue import cli

    assert cli.main(["init", str(tmp_path / "repo"), "--site-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("service-catalogue init: --site-url must be the address the site is published at, "
                          f"such as {scaffolding.EXAMPLE_SITE_URL}"), err
    assert says in err and repr(url) in err, err
    assert not (tmp_path / "repo").exists()


def test_mike_deploys_a_scaffolded_site_as_a_version(tmp_path):
    from service_catalogue import cli

    repo = tmp_path / "repo"
    assert cli.main(["init", str(repo), "--site-url", SITE_URL]) == 0
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "The catalogue")
    # mike runs `mkdocs build` from PATH, as in an activated virtual environment.
    bin_folder = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_folder + os.pathsep + os.environ.get("PATH", ""), "NO_MKDOCS_2_WARNING": "1",
           "GIT_AUTHOR_NAME": "CI", "GIT_AUTHOR_EMAIL": "ci@example.org", "GIT_COMMITTER_NAME": "CI",
           "GIT_COMMITTER_EMAIL": "ci@example.org", "GIT_CONFIG_GLOBAL": os.devnull}
    mike = [os.path.join(bin_folder, "mike")]
    result = subprocess.run([*mike, "deploy", "--update-aliases", "0.1", "latest"], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, describe(result)
    result = subprocess.run([*mike, "set-default", "latest"], cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, describe(result)

    published = set(git(repo, "ls-tree", "-r", "--name-only", "gh-pages").split())
    for page in ("index.html", EMAIL, AGREEMENT, "catalogue/glossary/index.html", "catalogue.json", "glossary.json"):
        assert f"0.1/{page}" in published, page
    assert "versions.json" in published and "index.html" in published  # the redirect to the default
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert versions == [{"version": "0.1", "title": "0.1", "aliases": ["latest"]}], versions
    # mike built the version with site_url set to its folder: the canonical links say so.
    page = parse_html(git(repo, "show", f"gh-pages:0.1/{EMAIL}"))
    (canonical,) = page.find_all("link", rel="canonical")
    assert canonical.attrs["href"] == f"{SITE_URL}0.1/catalogue/services/email/"
    records = json.loads(git(repo, "show", "gh-pages:0.1/catalogue.json"))
    assert any(entry.get("url") == "catalogue/services/email/" for entry in records["records"])
    # Nothing was pushed anywhere: the repository has no remote.
    assert git(repo, "remote").strip() == ""
