"""One MkDocs build (or a build and a `serve`-style rebuild) in this process, timed.

Run by the benchmark as a child process, so that its peak memory is the
build's own: `python -m benchmarks.build_runner PROJECT SITE OUT.json
[--instrument] [--serve --rebuild RECORD.yaml]`.

--instrument wraps the service-catalogue plugin's events (and the core steps
they call) in timers, to tell the plugin's share of the build.
--serve starts the plugins as `mkdocs serve` does; --rebuild then builds a
second time in the same process after changing one record file, as serve does:
a new configuration, the same plugin object and the same module-level caches.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

TIMES: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
# CPU time of this process, not wall time: other work on a shared, noisy machine
# then slows the figures much less (they are ratios, measured the same way).
clock = time.process_time

# Plugin events: their sum is the plugin's time.
EVENTS = ("on_config", "on_pre_build", "on_files", "on_nav", "on_page_read_source", "on_page_markdown", "on_page_content", "on_post_build")


_DEPTH: dict[str, int] = defaultdict(int)


def _timed(name: str, fn):
    """fn, timed into TIMES[name]; a call inside another call timed as name counts once."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _DEPTH[name] += 1
        start = clock()
        try:
            return fn(*args, **kwargs)
        finally:
            _DEPTH[name] -= 1
            if not _DEPTH[name]:
                TIMES[name] += clock() - start
                CALLS[name] += 1

    return wrapper


def instrument() -> None:
    """Wrap the plugin's events and the core steps inside them in timers."""
    from service_catalogue import pipeline
    from service_catalogue.mkdocs_plugin import build as site_build
    from service_catalogue.mkdocs_plugin import plugin as adapter
    from service_catalogue.site import pages
    from service_catalogue.validation import folder

    from mkdocs.plugins import CombinedEvent

    cls = adapter.ServiceCataloguePlugin
    for event in EVENTS:
        if hasattr(cls, event):
            handler = getattr(cls, event)
            if isinstance(handler, CombinedEvent):  # an event in several steps: each is timed into the event
                setattr(cls, event, CombinedEvent(*(_timed(f"event.{event}", step) for step in handler.methods)))
            else:
                setattr(cls, event, _timed(f"event.{event}", handler))
    # Steps (nested inside the events): load, validate, model and analyse run in on_config,
    # through the composition root (pipeline.prepare) ...
    folder.load_folder = _timed("step.load", folder.load_folder)
    folder.validate_files = _timed("step.validate", folder.validate_files)
    pipeline.Catalogue = _timed("step.model", pipeline.Catalogue)
    pipeline.analyse = _timed("step.analyse", pipeline.analyse)
    # ... with the findings reported to the log, as the analysis step always counted them.
    site_build.report_findings = _timed("step.analyse", site_build.report_findings)
    # ... rendering the Markdown in on_files and on_page_read_source, and glossary linking in on_page_content.
    # Record pages are rendered when MkDocs reads them (on_page_read_source), by render_page.
    pages.SiteRenderer.pages = _timed("step.render", pages.SiteRenderer.pages)
    pages.SiteRenderer.render_page = _timed("step.render", pages.SiteRenderer.render_page)
    from service_catalogue.site import term_links

    term_links.TermLinker.process = _timed("step.glossary", term_links.TermLinker.process)


def snapshot() -> dict:
    events = {k.split(".", 1)[1]: v for k, v in TIMES.items() if k.startswith("event.")}
    steps = {k.split(".", 1)[1]: v for k, v in TIMES.items() if k.startswith("step.")}
    return {"events": events, "steps": steps, "plugin": sum(events.values())}


def build_once(project: Path, site: Path, command: str | None) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of loading the configuration and building.

    command: "build" or "serve" for the first build (plugins get on_startup, as
    `mkdocs build` and `mkdocs serve` do); None for a rebuild under serve.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cpu, wall = clock(), time.perf_counter()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    if command:
        config.plugins.on_startup(command=command, dirty=False)
    build(config)
    return clock() - cpu, time.perf_counter() - wall


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build_runner")
    parser.add_argument("project", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--instrument", action="store_true")
    parser.add_argument("--serve", action="store_true", help="start as `mkdocs serve` does (its caches on)")
    parser.add_argument("--rebuild", type=Path, default=None, help="a record file to change before a second build")
    args = parser.parse_args(argv)

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.chdir(args.project)
    if args.instrument:
        instrument()
    result: dict = {}
    result["build_cpu"], result["build_wall"] = build_once(args.project, args.site, "serve" if args.serve else "build")
    result["maxrss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    result["cold"] = snapshot()
    if args.rebuild:
        TIMES.clear()
        path = args.rebuild
        text = path.read_text("utf-8")
        path.write_text(text.replace("summary: ", "summary: Changed. ", 1), "utf-8")
        result["rebuild_cpu"], result["rebuild_wall"] = build_once(args.project, args.site, None)
        result["rebuild"] = snapshot()
    args.out.write_text(json.dumps(result, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
