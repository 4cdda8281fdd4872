"""What the tests share: catalogues to write, sites to build, commands to run, a browser.

- catalogue_builder: the small base catalogue, write_catalogue, the in-process CLI
  runner (run_cli) and the real executable (run_executable), case tables (Mistake);
- site_build: the example site built with MkDocs, and its HTML read back;
- inprocess_build: validate and `mkdocs build` in this process, with a time limit;
- browser: Debian's chromium through Playwright, and a local HTTP server;
- diff_fixture, glossary_site, hostile_catalogue, parser_events: the catalogues and
  counters of one family of tests each.

Imported as `from helpers.site_build import ...` (tests/ is on pytest's pythonpath).
"""
