"""`python -m benchmarks`: the performance figures of issue 8, as ratios measured in one run.

    python -m benchmarks                 # 10,000 records (several minutes)
    python -m benchmarks --quick         # 1,000 records, for development
    python -m benchmarks --records 5000 --out results.json --skip-external

Times are CPU seconds of the process doing the work (user + system; children
measured with getrusage), not wall time: on a shared, noisy machine other work
slows wall time far more than it slows CPU time. Wall times are recorded in the
JSON too. Every figure with a target is a ratio of two times from this run,
except peak memory and page size, which are sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from . import generate as gen

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "benchmarks" / "results" / "latest.json"
AS_OF = "2026-11-29"
SCHEMA_OF = {"services": "service", "agreements": "agreement", "parties": "party", "calendars": "calendar", "glossary": "term"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _env() -> dict:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def run_child(command: list[str], cwd: Path | None = None, check: bool = True) -> dict:
    """Run a command; its CPU seconds (user + system, from getrusage) and wall seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])}... exited {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"cpu": cpu, "wall": wall, "returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


def build(project: Path, site: Path, out: Path, *extra: str) -> dict:
    """A MkDocs build in a child process (benchmarks.build_runner); its JSON report."""
    run_child([sys.executable, "-m", "benchmarks.build_runner", str(project), str(site), str(out), *extra], cwd=REPO)
    return json.loads(out.read_text("utf-8"))


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def site_sizes(site: Path, records: int) -> dict:
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pages = [p for kind in ("services", "agreements", "parties", "service-hours") for p in (site / "catalogue" / kind).glob("*/index.html")]
    page_bytes = sum(p.stat().st_size for p in pages)
    return {
        "site_bytes": total,
        "record_pages": len(pages),
        "site_bytes_per_record_page": round(total / max(len(pages), 1)),
        "mean_record_page_bytes": round(page_bytes / max(len(pages), 1)),
        "largest_record_page_bytes": max((p.stat().st_size for p in pages), default=0),
        "records": records,
    }


# -- (a) validate against check-jsonschema ---------------------------------------


def figure_validate(work: Path, records: list[dict], external: bool) -> dict:
    folder = work / "single" / "catalogue"
    written = gen.write_catalogue(records, folder, single=True)
    ours = run_child([sys.executable, "-m", "service_catalogue", "validate", str(folder)], check=False)
    if ours["returncode"] != 0:
        raise RuntimeError("the generated catalogue is not valid:\n" + ours["stdout"][-3000:])
    result = {"files": sum(len(v) for v in written.values()), "ours_cpu": ours["cpu"], "ours_wall": ours["wall"]}
    if not external:
        return result
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    if not exe:
        raise RuntimeError("check-jsonschema is not installed (it is in the [test] extra and requirements.lock)")
    schemas = REPO / "schema"
    theirs_cpu = theirs_wall = 0.0
    for folder_name, schema in SCHEMA_OF.items():
        files = sorted(str(p) for p in (folder / folder_name).glob("*.yaml"))
        if not files:
            continue
        log(f"  check-jsonschema: {len(files)} {folder_name} files")
        run = run_child([exe, "--base-uri", schemas.as_uri() + "/", "--schemafile", str(schemas / f"{schema}.json"), *files], check=False)
        if run["returncode"] != 0:
            raise RuntimeError(f"check-jsonschema rejected generated {folder_name}:\n{run['stdout'][-3000:]}{run['stderr'][-2000:]}")
        theirs_cpu += run["cpu"]
        theirs_wall += run["wall"]
    result.update(theirs_cpu=theirs_cpu, theirs_wall=theirs_wall, ratio=ratio(result["ours_cpu"], theirs_cpu))
    return result


# -- (d) the Markdown of `service-catalogue render`, built with the plugin off ---


def plain_project(work: Path, records: list[dict], catalogue: Path) -> Path:
    from types import SimpleNamespace

    from service_catalogue.mkdocs_plugin import site_config

    project = gen.write_project(work / "plain", records, plugin=False)
    # The same nav as the plugin adds, written out.
    config = SimpleNamespace(nav=[])
    site_config.add_nav_section(config, "catalogue")
    text = (project / "mkdocs.yml").read_text("utf-8")
    nav = "".join(
        f"  - {section}:\n" + "".join(f"      - {title}: {path}\n" for item in items for title, path in item.items())
        for entry in config.nav
        for section, items in entry.items()
    )
    (project / "mkdocs.yml").write_text(text + nav, "utf-8")
    run_child(
        [sys.executable, "-m", "service_catalogue", "render", str(project / "docs"), "--catalogue", str(catalogue),
         "--section", "catalogue", "--as-of", AS_OF],
        cwd=project,
    )
    # render writes the stylesheet (and Mermaid) beside the pages, as the plugin serves them.
    return project


# -- (g) glossary linking: 50 terms against 2,000 ----------------------------------


def figure_glossary(pages: int = 300, repeat: int = 3) -> dict:
    """Linking cost per page with 50 terms and with 2,000, on the same pages.

    The pages' text uses only the first 50 terms, so both runs find the same
    occurrences and make the same links: what differs is only how many terms the
    matcher knows. (A second figure, `all_terms_used`, has pages that use terms
    from all 2,000, so the big glossary also links more: that cost grows with
    the links made, not with the terms known.)
    """
    import markdown

    from service_catalogue.site.glossary import TermMatcher
    from service_catalogue.validation.loader import Record
    from service_catalogue.model import Catalogue
    from service_catalogue.options import Options
    from service_catalogue.site import SiteRenderer
    from service_catalogue.site.term_links import TermLinker

    converter = markdown.Markdown(extensions=["abbr", "admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences"])

    def sample(mention):
        records = gen.generate(3000, terms=2000, mention=mention)
        catalogue = Catalogue([Record(r, "generated", Path("generated"), 0) for r in records])
        renderer = SiteRenderer(Options(as_of=dt.date.fromisoformat(AS_OF)))
        rendered = [p for p in renderer.pages(catalogue) if p.entity is not None and p.entity.kind in ("Service", "Agreement")]
        step = max(1, len(rendered) // pages)
        html = [converter.reset().convert(p.markdown) for p in rendered[::step][:pages]]
        term_ids = [r["id"] for r in records if r["kind"] == "Term"]  # in the generator's order
        return catalogue, html, term_ids

    def cost(catalogue, html, ids):
        chosen = [catalogue.by_id[i] for i in ids]
        matcher, terms = TermMatcher(chosen), {t.id: t for t in chosen}
        best = None
        for _ in range(repeat):
            # A new linker each time, as each build has: its cache of matches per text starts empty.
            linker = TermLinker(matcher, terms, "first")
            start = time.process_time()
            out = [linker.process(h, "../glossary/") for h in html]
            elapsed = time.process_time() - start
            best = elapsed if best is None else min(best, elapsed)
        links = sum(text.count('class="sc-term-link"') for text, _ in out)
        return {"us_per_page": round(best / len(html) * 1e6, 1), "links_per_page": round(links / len(html), 2)}

    catalogue, html, ids = sample(50)
    result = {"pages": len(html), "page_html_bytes": round(sum(map(len, html)) / len(html)), "terms": len(ids)}
    result["terms_50"] = cost(catalogue, html, ids[:50])
    result[f"terms_{len(ids)}"] = cost(catalogue, html, ids)
    result["ratio"] = ratio(result[f"terms_{len(ids)}"]["us_per_page"], result["terms_50"]["us_per_page"])
    catalogue, html, ids = sample(None)
    result["all_terms_used"] = {"terms_50": cost(catalogue, html, ids[:50]), f"terms_{len(ids)}": cost(catalogue, html, ids)}
    return result


# -- (h) diff of 20 changed records, beyond loading ---------------------------------


def figure_diff(work: Path, catalogue: Path, changed: int = 20) -> dict:
    try:
        from service_catalogue.diff import diff_records
    except ImportError:
        return {"pending": "the diff command (issue 5) is not there yet"}
    import yaml

    from service_catalogue.validation.folder import validate_folder

    head = work / "diff-head"
    shutil.copytree(catalogue, head)
    files = sorted((head / "agreements").glob("sla-*.yaml"))[:changed]
    for path in files:
        record = yaml.safe_load(path.read_text("utf-8"))
        record["availability"]["target"] = round(record["availability"]["target"] - 0.4, 2)
        record["priorities"][1]["response"] = "1h"
        record["description"] = record["description"] + "\nChanged for the benchmark.\n"
        path.write_text(gen.dump([record]), "utf-8")
    start = time.process_time()
    base = validate_folder(catalogue)
    load = time.process_time() - start
    start = time.process_time()
    after = validate_folder(head)
    load_head = time.process_time() - start
    assert base.ok and after.ok
    start = time.process_time()
    changes = diff_records(base.records, after.records)
    elapsed = time.process_time() - start
    return {
        "records": len(base.records),
        "changed_records": len([c for c in changes]),
        "diff_cpu": elapsed,
        "load_cpu": load,
        "load_head_cpu": load_head,
        "ratio_to_loading_one_side": ratio(elapsed, load),
    }


# -- (i) the timeline rules' share of `check` ---------------------------------------

TIMELINE_RULES = ("chain.response-faster-than-underpinning", "chain.resolution-faster-than-underpinning",
                  "chain.metric-faster-than-underpinning", "chain.holiday-mismatch", "chain.escalation-after-resolution")


def figure_timeline(catalogues: dict[int, Path], repeat: int = 3) -> dict:
    """`check` with and without the timeline rules (issue 16: they may add at most 1x),
    at both sizes, in child processes (CPU seconds): the best of `repeat` runs of each,
    taken in turns, as the CPU time of one run on this machine varies by a third within
    an hour, and a slow hour would otherwise fall on one side of the ratio only."""
    result = {}
    for records, catalogue in catalogues.items():
        check = [sys.executable, "-m", "service_catalogue", "check", str(catalogue), "--as-of", AS_OF]
        runs = []
        for _ in range(repeat):
            with_rules = run_child(check, check=False)
            without = run_child(check + ["--disable", ",".join(TIMELINE_RULES)], check=False)
            if with_rules["returncode"] not in (0, 1) or without["returncode"] not in (0, 1):
                raise RuntimeError(f"check failed:\n{with_rules['stderr'][-2000:]}{without['stderr'][-2000:]}")
            runs.append((with_rules["cpu"], without["cpu"]))
        with_cpu, without_cpu = min(a for a, _ in runs), min(b for _, b in runs)
        added = with_cpu - without_cpu
        result[str(records)] = {
            "check_cpu": with_cpu,
            "check_without_timeline_cpu": without_cpu,
            "timeline_cpu": added,
            "ratio": ratio(added, without_cpu),
            "timeline_ms_per_record": added / records * 1000,
            "runs_cpu": [{"with": a, "without": b} for a, b in runs],
        }
    return result


def figure_report(work: Path, catalogue: Path, records: int, repeat: int = 2) -> dict:
    """(j) `report` on exports of 100 tickets a record (a million at 10,000 records), 55 and
    10, with an outage per hundred tickets and a clock stop per twenty: CPU seconds and peak
    memory of each (the best of `repeat` runs, taken in turns). Linear growth: the CPU each
    ticket adds from the largest half of the sizes over what it adds in the smaller half
    (about 1). A report's fixed part (the catalogue, each agreement's windows and
    availability) is most of its time at a tenth of the tickets, so the CPU per ticket
    itself would not tell how it grows."""
    from .exports import write_exports

    sizes = {"small": records * 10, "middle": records * 55, "big": records * 100}
    result: dict = {}
    paths = {name: write_exports(catalogue, work / f"exports-{name}", tickets, tickets // 100)
             for name, tickets in sizes.items()}
    runs: dict[str, list[dict]] = {name: [] for name in sizes}
    for _ in range(repeat):
        for name in sizes:
            out = work / f"report-{name}.json"
            files = paths[name]
            run_child([sys.executable, "-m", "benchmarks.report_runner", str(out), "--", "--catalogue", str(catalogue),
                       "--tickets", str(files["tickets"]), "--clock-stops", str(files["clock_stops"]),
                       "--outages", str(files["outages"]), "--as-of", "2026-12-31", "--format", "json"], cwd=REPO)
            runs[name].append(json.loads(out.read_text("utf-8")))
    for name, tickets in sizes.items():
        best = min(runs[name], key=lambda r: r["cpu"])
        result[name] = {"tickets": tickets, "cpu": best["cpu"], "wall": best["wall"],
                        "maxrss_bytes": max(r["maxrss_bytes"] for r in runs[name]), "runs_cpu": [r["cpu"] for r in runs[name]]}
    shutil.rmtree(work / "exports-middle", ignore_errors=True)
    # what the catalogue costs on its own (validate and link: the report's fixed part begins there)
    result["catalogue_cpu"] = run_child([sys.executable, "-m", "service_catalogue", "validate", str(catalogue)], check=False)["cpu"]
    small, middle, big = result["small"], result["middle"], result["big"]
    lower = (middle["cpu"] - small["cpu"]) / (middle["tickets"] - small["tickets"])
    upper = (big["cpu"] - middle["cpu"]) / (big["tickets"] - middle["tickets"])
    result["us_per_ticket_lower"], result["us_per_ticket_upper"] = lower * 1e6, upper * 1e6
    result["fixed_cpu"] = small["cpu"] - lower * small["tickets"]
    result["growth"] = ratio(upper, lower)
    return result


# -- the run -----------------------------------------------------------------


def versions() -> dict:
    names = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Jinja2", "PyYAML", "jsonschema",
             "jsonschema-rs", "check-jsonschema", "nh3")
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="catalogue size (default 10000)")
    parser.add_argument("--quick", action="store_true", help="1,000 records, for development")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the JSON report (default {DEFAULT_OUT.relative_to(REPO)})")
    parser.add_argument("--skip-external", action="store_true", help="do not run check-jsonschema (figure a then has our time only)")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    big = 1_000 if args.quick else args.records
    small = max(100, big // 10)

    work = Path(tempfile.mkdtemp(prefix="sc-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"records": big, "small_records": small, "machine": machine(), "versions": versions(),
                    "started": dt.datetime.now().isoformat(timespec="seconds")}
    try:
        run(report, work, big, small, not args.skip_external)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    report["machine"]["load_average_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1), "utf-8")
    print(format_table(report))
    print()
    print(growth_table(report))
    print(f"\nwrote {args.out}")
    return 0


def run(report: dict, work: Path, big: int, small: int, external: bool) -> None:
    log(f"generating {big:,} and {small:,} records")
    records = gen.generate(big)
    small_records = gen.generate(small)
    project = gen.write_project(work / "big", records)
    small_project = gen.write_project(work / "small", small_records)
    report["sizes"] = {k: getattr(gen.sizes(big), k) for k in ("parties", "calendars", "terms", "services", "agreements")}

    log("(a) validate against check-jsonschema" + ("" if external else " (skipped: --skip-external)"))
    report["validate"] = figure_validate(work, records, external)

    log(f"(b, c, f) mkdocs build at {big:,} records, instrumented")
    cold = build(project, work / "site-big", work / "big.json", "--instrument")
    log(f"(b) mkdocs build at {small:,} records, instrumented")
    small_build = build(small_project, work / "site-small", work / "small.json", "--instrument")
    report["build"] = {
        "big": cold,
        "small": small_build,
        "cpu_per_record_big": cold["build_cpu"] / big,
        "cpu_per_record_small": small_build["build_cpu"] / small,
    }
    report["build"]["scaling_ratio"] = ratio(report["build"]["cpu_per_record_big"], report["build"]["cpu_per_record_small"])
    report["plugin_share"] = {
        "plugin_cpu": cold["cold"]["plugin"],
        "build_cpu": cold["build_cpu"],
        "share": ratio(cold["cold"]["plugin"], cold["build_cpu"]),
        "steps": cold["cold"]["steps"],
        "events": cold["cold"]["events"],
    }
    report["memory"] = {"peak_rss_bytes": cold["maxrss_bytes"], **site_sizes(work / "site-big", big)}

    log("(d) plain MkDocs on the Markdown that `service-catalogue render` wrote")
    plain = plain_project(work, records, project / "catalogue")
    plain_build = build(plain, work / "site-plain", work / "plain.json")
    report["plain"] = {"plugin_build_cpu": cold["build_cpu"], "plain_build_cpu": plain_build["build_cpu"],
                       "plain_build_wall": plain_build["build_wall"], "ratio": ratio(cold["build_cpu"], plain_build["build_cpu"])}
    shutil.rmtree(work / "site-plain", ignore_errors=True)

    log("(e) a `mkdocs serve` rebuild after one record changes")
    changed = sorted((project / "catalogue" / "services").glob("*.yaml"))[len(records) // 100 % 50]
    serve = build(project, work / "site-serve", work / "serve.json", "--instrument", "--serve", "--rebuild", str(changed))
    report["rebuild"] = {
        "changed_file": changed.name,
        "cold_plugin_cpu": serve["cold"]["plugin"],
        "rebuild_plugin_cpu": serve["rebuild"]["plugin"],
        "ratio": ratio(serve["rebuild"]["plugin"], serve["cold"]["plugin"]),
        "cold_steps": serve["cold"]["steps"],
        "rebuild_steps": serve["rebuild"]["steps"],
        "rebuild_events": serve["rebuild"]["events"],
        "cold_build_cpu": serve["build_cpu"],
        "rebuild_build_cpu": serve["rebuild_cpu"],
    }
    shutil.rmtree(work / "site-serve", ignore_errors=True)

    log("(g) glossary linking per page: 50 terms against 2,000")
    report["glossary"] = figure_glossary()

    log("(h) diff of 20 changed records")
    report["diff"] = figure_diff(work, project / "catalogue")

    log("(i) the timeline rules' share of `check`, at both sizes")
    report["timeline"] = figure_timeline({big: project / "catalogue", small: small_project / "catalogue"})

    log(f"(j) `report` on {big * 100:,} and {big * 10:,} tickets against {big:,} records")
    report["report"] = figure_report(work, project / "catalogue", big)


TARGETS = {
    "validate": ("<=", 0.2),
    "scaling": ("<=", 1.25),
    "plugin_share": ("<=", 0.15),
    "plain": ("<=", 1.2),
    "rebuild": ("<=", 0.1),
    "memory": ("<", 1024**3),
    "page_size": ("<", 100 * 1024),
    "glossary": ("~", 1.0),
    "diff": ("<", 1.0),
    "timeline": ("<=", 1.0),
    "report_cpu": ("<=", 30.0),
    "report_memory": ("<", 2 * 1024**3),
    "report_growth": ("<=", 1.25),
}


def _verdict(key: str, value) -> str:
    if value is None:
        return "n/a"
    op, target = TARGETS[key]
    if op == "<=":
        return "met" if value <= target else "NOT met"
    if op == "<":
        return "met" if value < target else "NOT met"
    return "met" if abs(value - target) <= 0.25 else "NOT met"


def rows(report: dict) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, verdict) for the table."""
    big, small = report["records"], report["small_records"]
    out = []
    v = report["validate"]
    if "ratio" in v:
        out.append(("(a) `validate` / check-jsonschema, same files (CPU)",
                    f"{v['ratio']:.3f} ({v['ours_cpu']:.1f} s / {v['theirs_cpu']:.1f} s)", "<= 0.2", _verdict("validate", v["ratio"])))
    else:
        out.append(("(a) `validate` (check-jsonschema skipped)", f"{v['ours_cpu']:.1f} s", "<= 0.2", "n/a"))
    b = report["build"]
    out.append((f"(b) build CPU per record, {big:,} / {small:,}",
                f"{b['scaling_ratio']:.3f} ({b['cpu_per_record_big'] * 1000:.1f} ms / {b['cpu_per_record_small'] * 1000:.1f} ms)",
                "<= 1.25", _verdict("scaling", b["scaling_ratio"])))
    p = report["plugin_share"]
    out.append((f"(c) plugin share of the {big:,}-record build", f"{p['share']:.3f} ({p['plugin_cpu']:.1f} s of {p['build_cpu']:.1f} s)",
                "<= 0.15", _verdict("plugin_share", p["share"])))
    d = report["plain"]
    out.append(("(d) build with plugin / plain MkDocs on rendered Markdown",
                f"{d['ratio']:.3f} ({d['plugin_build_cpu']:.1f} s / {d['plain_build_cpu']:.1f} s)", "<= 1.2", _verdict("plain", d["ratio"])))
    r = report["rebuild"]
    out.append(("(e) serve rebuild after one change: plugin time / cold",
                f"{r['ratio']:.3f} ({r['rebuild_plugin_cpu']:.2f} s / {r['cold_plugin_cpu']:.1f} s)", "<= 0.1", _verdict("rebuild", r["ratio"])))
    m = report["memory"]
    out.append((f"(f) peak memory of the {big:,}-record build", f"{m['peak_rss_bytes'] / 1024**2:.0f} MiB", "< 1 GiB",
                _verdict("memory", m["peak_rss_bytes"])))
    out.append(("(f) site size per record page", f"{m['site_bytes_per_record_page'] / 1024:.1f} KB "
                f"(record page itself {m['mean_record_page_bytes'] / 1024:.1f} KB)", "< 100 KB",
                _verdict("page_size", m["site_bytes_per_record_page"])))
    g = report["glossary"]
    n = g["terms"]
    out.append((f"(g) glossary linking per page, {n:,} terms / 50", f"{g['ratio']:.2f} ({g[f'terms_{n}']['us_per_page']:.0f} µs / "
                f"{g['terms_50']['us_per_page']:.0f} µs)", "about 1", _verdict("glossary", g["ratio"])))
    h = report["diff"]
    if "pending" in h:
        out.append(("(h) diff of 20 changed records", "pending", "< 1 s beyond loading", "n/a"))
    else:
        out.append((f"(h) diff of 20 changed records in {h['records']:,}, beyond loading",
                    f"{h['diff_cpu']:.2f} s ({h['ratio_to_loading_one_side']:.3f} of loading one side)", "< 1 s", _verdict("diff", h["diff_cpu"])))
    t = report.get("timeline")
    if t:
        at_big, at_small = t[str(big)], t[str(small)]
        growth = at_big["timeline_ms_per_record"] / at_small["timeline_ms_per_record"] if at_small["timeline_ms_per_record"] else None
        out.append((f"(i) timeline rules added to `check` at {big:,} records",
                    f"{at_big['ratio']:.2f}x ({at_big['timeline_cpu']:.1f} s on {at_big['check_without_timeline_cpu']:.1f} s); "
                    f"at {small:,}: {at_small['ratio']:.2f}x ({at_small['timeline_cpu']:.1f} s); per record "
                    f"{at_big['timeline_ms_per_record']:.2f} ms / {at_small['timeline_ms_per_record']:.2f} ms"
                    + (f" = {growth:.1f}" if growth else ""),
                    "<= 1x", _verdict("timeline", at_big["ratio"])))
    j = report.get("report")
    if j:
        big_run, small_run = j["big"], j["small"]
        out.append((f"(j) `report`, {big_run['tickets']:,} tickets against {big:,} records (CPU)",
                    f"{big_run['cpu']:.1f} s (of which the catalogue {j['catalogue_cpu']:.1f} s)", "<= 30 s",
                    _verdict("report_cpu", big_run["cpu"])))
        out.append(("(j) its peak memory", f"{big_run['maxrss_bytes'] / 1024**2:.0f} MiB", "< 2 GiB",
                    _verdict("report_memory", big_run["maxrss_bytes"])))
        middle = j["middle"]["tickets"]
        out.append((f"(j) CPU a ticket adds, {middle:,} to {big_run['tickets']:,} / {small_run['tickets']:,} to {middle:,}",
                    f"{j['growth']:.2f} ({j['us_per_ticket_upper']:.1f} µs / {j['us_per_ticket_lower']:.1f} µs; "
                    f"fixed part {j['fixed_cpu']:.1f} s)", "<= 1.25", _verdict("report_growth", j["growth"])))
    return out


def format_table(report: dict) -> str:
    table = rows(report)
    lines = ["| figure | value | target | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in table]
    return "\n".join(lines)


STEP_NAMES = {
    "load": "load (read and parse YAML)",
    "validate": "validate (schemas, references, checks)",
    "model": "linked model",
    "analyse": "service level analysis",
    "render": "render Markdown of every generated page",
    "glossary": "term links in every page",
}


def growth_table(report: dict) -> str:
    """CPU time of the build and of the plugin's steps at both sizes, per record."""
    big, small = report["records"], report["small_records"]
    b, s = report["build"]["big"], report["build"]["small"]
    rows_ = [
        ("whole `mkdocs build`", s["build_cpu"], b["build_cpu"]),
        ("MkDocs, Material, search, tags (build less plugin)",
         s["build_cpu"] - s["cold"]["plugin"], b["build_cpu"] - b["cold"]["plugin"]),
        ("the plugin, all events", s["cold"]["plugin"], b["cold"]["plugin"]),
    ]
    rows_ += [(f"&nbsp;&nbsp;{STEP_NAMES.get(k, k)}", s["cold"]["steps"].get(k, 0.0), v) for k, v in b["cold"]["steps"].items()]
    lines = [
        f"| CPU time | {small:,} records | {big:,} records | per record at {small:,} | per record at {big:,} | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for name, at_small, at_big in rows_:
        per_small, per_big = at_small / small * 1000, at_big / big * 1000
        growth = f"{per_big / per_small:.2f}" if per_small else "n/a"
        lines.append(f"| {name} | {at_small:.1f} s | {at_big:.1f} s | {per_small:.2f} ms | {per_big:.2f} ms | {growth} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
