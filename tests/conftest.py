"""Shared pytest configuration and fixtures."""

from __future__ import annotations

import contextlib
import os

import pytest

from helpers.browser import launch_browser, serve_directory
from helpers.site_build import BuiltSite, build_example


def pytest_configure(config):
    config.addinivalue_line("markers", "fuzz: property-based / fuzz tests (run on their own with `make fuzz`)")


# --------------------------------------------------------------------------
# Browser fixtures


@pytest.fixture(scope="session")
def browser():
    """A headless Debian chromium (Playwright Browser) shared by the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def serve_site():
    """A factory: `serve_site(directory)` serves that folder over HTTP on 127.0.0.1
    at a free port (background thread) and returns the base URL, ending in "/".
    Every server started is stopped when the test ends."""
    with contextlib.ExitStack() as stack:
        yield lambda directory: stack.enter_context(serve_directory(directory))


# --------------------------------------------------------------------------
# The example site, built once per session (and once more with use_directory_urls: false)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """The example site (mkdocs.yml, docs/, catalogue/) copied into a temp dir and
    built with `python -m mkdocs build --strict -d <tmp>/site`: exit 0, no warning."""
    return build_example(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="session")
def built_site_without_directory_urls(tmp_path_factory) -> BuiltSite:
    """The example site built as built_site is, with `use_directory_urls: false`
    (pages at catalogue/services/email.html, not catalogue/services/email/index.html)."""
    return build_example(tmp_path_factory.mktemp("example-flat"), directory_urls=False)


@pytest.fixture(scope="session", params=[True, False], ids=["directory-urls", "no-directory-urls"])
def any_built_site(request) -> BuiltSite:
    """built_site, then built_site_without_directory_urls: for the tests of links and
    exports, which must hold with either `use_directory_urls`."""
    return request.getfixturevalue("built_site" if request.param else "built_site_without_directory_urls")


@pytest.fixture(scope="session")
def catalogue_records(built_site):
    """The records of the example catalogue that was built, read by the core."""
    from service_catalogue.validation.folder import validate_folder

    result = validate_folder(built_site.project / "catalogue")
    assert result.ok, [str(p.location) + " " + p.message for p in result.problems]
    assert result.records, "the example catalogue holds no record"
    return result.records


# --------------------------------------------------------------------------
# In CI (environment variable CI set), a skipped test is a failure: CI must
# prove that everything ran, e.g. that chromium really was there.


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


_skipped: list[tuple[str, str]] = []


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append((report.nodeid, _skip_reason(report)))


def pytest_collectreport(report):
    if report.skipped:
        _skipped.append((report.nodeid or "(collection)", _skip_reason(report)))


def pytest_sessionfinish(session, exitstatus):
    if _in_ci() and _skipped and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _in_ci() and _skipped:
        terminalreporter.section("skipped tests fail in CI", sep="=", red=True, bold=True)
        for nodeid, reason in _skipped:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}", red=True)
        terminalreporter.line(f"{len(_skipped)} skipped; CI is set, so this run fails.", red=True, bold=True)
