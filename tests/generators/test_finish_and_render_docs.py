"""`service-catalogue render --docs` and `service-catalogue finish` on their own: what they say
and refuse, and that a failure leaves the site as it was. The example site, built by Zensical
(the real package) from render's folder, as tests/generators/test_three_generators.py does.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.site_build import BUILD_TIMEOUT, REPO, _env, copy_project, describe, tree_digest

CLI = str(Path(sys.executable).parent / "service-catalogue")
ZENSICAL = str(Path(sys.executable).parent / "zensical")


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=_env())


def zensical_project(root: Path, directory_urls: bool = True) -> Path:
    project = copy_project(root / "project")
    toml = (REPO / "zensical.toml").read_text("utf-8")
    if not directory_urls:
        toml = toml.replace('site_dir = "site"\n', 'site_dir = "site"\nuse_directory_urls = false\n')
    (project / "zensical.toml").write_text(toml, "utf-8")
    rendered = run([CLI, "render", "build/docs", "--docs", "docs", "--reports", "mkdocs.yml", "--as-of", "2026-11-29",
                    "--site-url", "https://catalogue.northbridge.example/"], project)
    assert rendered.returncode == 0, describe(rendered)
    built = run([ZENSICAL, "build", "-f", "zensical.toml"], project)
    assert built.returncode == 0, describe(built)
    return project


@pytest.fixture(scope="module")
def unfinished(tmp_path_factory) -> Path:
    """A Zensical build of the example, not yet finished (copy it before changing it)."""
    return zensical_project(tmp_path_factory.mktemp("unfinished"))


@pytest.fixture
def project(unfinished, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(unfinished, copy)
    return copy


def test_a_second_finish_says_so_and_changes_nothing(project):
    first = run([CLI, "finish", "site", "--docs", "docs"], project)
    assert first.returncode == 0, describe(first)
    assert "edit buttons opening their records" in first.stdout
    before = tree_digest(project / "site")
    second = run([CLI, "finish", "site", "--docs", "docs"], project)
    assert second.returncode == 0 and "was finished before: nothing to do" in second.stdout, describe(second)
    assert tree_digest(project / "site") == before


def test_a_page_that_cannot_be_read_leaves_the_site_as_it_was(project):
    (project / "site/guide/broken.html").write_bytes(b"<html><body>\xff\xfe</body></html>")
    before = tree_digest(project / "site")
    result = run([CLI, "finish", "site"], project)
    assert result.returncode == 1, describe(result)
    assert "guide/broken.html is not UTF-8 (byte 12)" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(project / "site") == before
    assert not [p for p in (project / "site").iterdir() if p.name.startswith(".service-catalogue")]


def test_a_site_without_the_catalogue_pages_is_refused_with_what_to_do(project, tmp_path):
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    (empty / "index.html").write_text("<html><head></head><body><main>Hi</main></body></html>", "utf-8")
    result = run([CLI, "finish", str(empty)], project)
    assert result.returncode == 1, describe(result)
    assert "has no page of the catalogue: expected catalogue/health/index.html or catalogue/health.html" in result.stderr
    assert "Build the site from `service-catalogue render`'s pages first" in result.stderr
    missing = run([CLI, "finish", str(tmp_path / "nowhere")], project)
    assert missing.returncode == 1 and "is not a folder" in missing.stderr, describe(missing)


def test_without_directory_urls_the_exports_are_the_plugins(tmp_path, built_site_without_directory_urls):
    project = zensical_project(tmp_path, directory_urls=False)
    assert (project / "site/catalogue/glossary.html").is_file()
    result = run([CLI, "finish", "site", "--docs", "docs"], project)
    assert result.returncode == 0, describe(result)
    for name in ("catalogue.json", "glossary.json"):
        assert (project / "site" / name).read_bytes() == (built_site_without_directory_urls.site / name).read_bytes(), name
    glossary = (project / "site/catalogue/glossary.html").read_text("utf-8")
    assert 'href="../guide/agreements.html"' in glossary  # a "used in" link, as a file


def test_render_docs_refuses_an_outdir_inside_the_docs_and_says_which_links_name_nothing(tmp_path):
    project = copy_project(tmp_path / "project")
    inside = run([CLI, "render", "docs/built", "--docs", "docs"], project)
    assert inside.returncode == 2, describe(inside)
    assert "overlap: the pages would be written over their own sources" in inside.stderr
    assert not (project / "docs/built").exists()
    (project / "docs/typo.md").write_text("# Typo\n\nSee [[sla-colaboration]] and `[[not-a-link]]`.\n", "utf-8")
    result = run([CLI, "render", "out", "--docs", "docs", "--as-of", "2026-11-29"], project)
    assert result.returncode == 0, describe(result)
    assert "typo.md:3: [[sla-colaboration]] names no record in the catalogue: did you mean [[sla-collaboration]]?" in result.stderr
    page = (project / "out/typo.md").read_text("utf-8")
    assert "[[sla-colaboration]]" in page and "`[[not-a-link]]`" in page
    index = (project / "out/index.md").read_text("utf-8")
    assert "[Email, Calendar &amp; Video Conferencing SLA](catalogue/agreements/sla-collaboration.md){ .sc-record-link }" in index
    cli_page = (project / "out/guide/cli.md").read_text("utf-8")
    assert "<!-- service-catalogue:cli-reference -->" not in cli_page and "## `service-catalogue finish`" in cli_page
    assert (project / "out/assets/stylesheets/service-catalogue.css").is_file()
    assert (project / "out/assets/service-catalogue/mermaid.min.js").is_file()
    assert (project / "out/schema/v1/service.json").is_file()


def test_a_hand_written_page_wins_over_the_generated_one_of_its_name(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs/catalogue").mkdir()
    (project / "docs/catalogue/health.md").write_text("# Our own health page\n", "utf-8")
    result = run([CLI, "render", "out", "--docs", "docs", "--as-of", "2026-11-29"], project)
    assert result.returncode == 0, describe(result)
    assert "catalogue/health.md is written by hand; not generated" in result.stderr
    assert (project / "out/catalogue/health.md").read_text("utf-8") == "# Our own health page\n"


@pytest.mark.parametrize("nav, name, expected", [
    ("yaml", "catalogue-nav.yml", '- Catalogue:\n    - "Overview": "catalogue/index.md"\n'),
    ("toml", "catalogue-nav.toml", '{ "Catalogue" = [\n  { "Overview" = "catalogue/index.md" },\n'),
    ("awesome-nav", "catalogue/.nav.yml", 'title: Catalogue\nnav:\n  - "Overview": "index.md"\n'),
])
def test_render_writes_the_catalogue_nav_in_each_format(tmp_path, nav, name, expected):
    project = copy_project(tmp_path / "project")
    result = run([CLI, "render", "out", "--nav", nav], project)
    assert result.returncode == 0, describe(result)
    text = (project / "out" / name).read_text("utf-8")
    assert expected in text and "Service level performance" not in text  # no report inputs given


def test_finish_leaves_a_site_the_plugin_built_alone(built_site, tmp_path):
    """The plugin's pages carry finish's mark: finish run on them would find their terms linked
    already and count none, so it says so and changes nothing."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    before = tree_digest(site)
    result = run([CLI, "finish", str(site), "--catalogue", str(REPO / "catalogue")], tmp_path)
    assert result.returncode == 0 and "was finished before: nothing to do" in result.stdout, describe(result)
    assert tree_digest(site) == before


def test_finish_grows_linearly_with_the_pages(unfinished, tmp_path):
    """Counted, not timed: the Python calls finish makes for the example site with 100 and with
    400 more hand-written pages (copies of the guide's agreements page, each at its own path).
    A step that looked at every page for each page would make each added page dearer."""
    import cProfile
    import pstats

    from service_catalogue import Options, pipeline

    options = Options(catalogue=unfinished / "catalogue", as_of=dt.date(2026, 11, 29))
    catalogue = pipeline.prepare(options, with_findings=False).require_valid()
    page = (unfinished / "site/guide/agreements/index.html").read_text("utf-8")

    runs = iter(range(10))

    def calls(extra: int) -> int:
        site = tmp_path / f"site-{next(runs)}"
        shutil.copytree(unfinished / "site", site)
        for n in range(extra):
            (site / f"copies/page-{n}").mkdir(parents=True)
            (site / f"copies/page-{n}/index.html").write_text(page.replace("../../", "../../../"), "utf-8")
        profile = cProfile.Profile()
        profile.enable()
        result = pipeline.finish(site, catalogue, options, unfinished / "docs")
        profile.disable()
        assert result.pages == 121 + extra and not result.already
        return pstats.Stats(profile).total_calls

    calls(0)  # what is made once (the matcher's and linker's caches), out of the way
    base, hundred, four_hundred = calls(0), calls(100), calls(400)
    first, next_ = (hundred - base) / 100, (four_hundred - hundred) / 300
    assert first > 0 and next_ <= 1.1 * first, (base, hundred, four_hundred)
