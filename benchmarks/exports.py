"""Ticket, clock-stop and outage exports for a generated catalogue (benchmarks/generate.py),
seeded, in the generic column layout: the input of the report benchmark (figure j).

Tickets fall on the agreements in proportion, over the year 2026; each row names its
agreement where its service and customer would not say which one it is, and leaves the
agreement out otherwise, so both ways of finding it are measured. Times are written
without an offset, as most exports write them, and read in UTC.

    python -m benchmarks.exports CATALOGUE_DIR OUT_DIR --tickets 1000000 --outages 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import yaml

SEED = 20261204
YEAR_START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
YEAR_SECONDS = 365 * 86400


def _records(catalogue: Path) -> list[dict]:
    found = []
    for path in sorted(catalogue.rglob("*.yaml")):
        found.extend(r for r in yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) if r)
    return found


def _times(seconds: np.ndarray) -> pa.Array:
    """UTC seconds as "2026-03-02 10:15:00" text ("" for NaN)."""
    known = ~np.isnan(seconds)
    stamps = pa.array(np.where(known, seconds, 0).astype("int64"), type=pa.int64()).cast(pa.timestamp("s"))
    text = pc.strftime(stamps, format="%Y-%m-%d %H:%M:%S")
    return pc.if_else(pa.array(known), text, pa.scalar(""))


def write_exports(catalogue: Path, out: Path, tickets: int, outages: int, seed: int = SEED) -> dict[str, Path]:
    records = _records(catalogue)
    agreements = [r for r in records if r.get("kind") == "Agreement" and r.get("status") == "active" and r.get("priorities")]
    services = [r["id"] for r in records if r.get("kind") == "Service"]
    pairs: dict[tuple[str, str], int] = {}
    for agreement in (r for r in records if r.get("kind") == "Agreement" and r.get("status") != "draft"):
        for service in agreement["services"]:
            key = (service, agreement["customer"])
            pairs[key] = pairs.get(key, 0) + 1
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(agreements), tickets)
    service_of = np.array([a["services"][0] for a in agreements], dtype=object)
    customer_of = np.array([a["customer"] for a in agreements], dtype=object)
    unique = np.array([pairs[(a["services"][0], a["customer"])] == 1 for a in agreements])
    starts = np.array([max(0.0, (dt.datetime.fromisoformat(a["period"]["start"]).replace(tzinfo=dt.timezone.utc)
                                 - YEAR_START).total_seconds()) for a in agreements])
    opened = np.floor((starts[which] + rng.random(tickets) * np.maximum(YEAR_SECONDS - starts[which], 86400)))
    opened = np.minimum(opened, YEAR_SECONDS - 3600) + YEAR_START.timestamp()
    responded = opened + np.floor(rng.exponential(25 * 60, tickets))
    resolved = opened + np.floor(rng.exponential(7 * 3600, tickets))
    open_now = rng.random(tickets) < 0.03
    resolved[open_now] = np.nan
    responded[open_now & (rng.random(tickets) < 0.5)] = np.nan
    priorities = np.array(["P1", "P2", "P3", "P4"], dtype=object)[rng.choice(4, tickets, p=[0.05, 0.15, 0.5, 0.3])]
    named = ~unique[which] | (rng.random(tickets) < 0.5)
    agreement_ids = np.array([a["id"] for a in agreements], dtype=object)
    out.mkdir(parents=True, exist_ok=True)
    table = pa.table({
        "id": pa.array([f"INC{n:07d}" for n in range(tickets)]),
        "agreement": pa.array(np.where(named, agreement_ids[which], ""), type=pa.string()),
        "service": pa.array(service_of[which], type=pa.string()),
        "customer": pa.array(customer_of[which], type=pa.string()),
        "priority": pa.array(priorities, type=pa.string()),
        "type": pa.array(np.full(tickets, "incident", dtype=object), type=pa.string()),
        "opened": _times(opened),
        "responded": _times(responded),
        "resolved": _times(resolved),
    })
    paths = {"tickets": out / "tickets.csv", "clock_stops": out / "clock-stops.csv", "outages": out / "outages.csv"}
    pcsv.write_csv(table, paths["tickets"], pcsv.WriteOptions(quoting_style="needed"))
    stopped = np.flatnonzero(rng.random(tickets) < 0.05)
    stop_start = opened[stopped] + np.floor(rng.random(len(stopped)) * 3600)
    pcsv.write_csv(pa.table({
        "ticket": pa.array([f"INC{n:07d}" for n in stopped]),
        "start": _times(stop_start),
        "end": _times(stop_start + np.floor(rng.exponential(2 * 3600, len(stopped)))),
        "reason": pa.array(np.full(len(stopped), "", dtype=object), type=pa.string()),
    }), paths["clock_stops"], pcsv.WriteOptions(quoting_style="needed"))
    outage_start = np.floor(rng.random(outages) * YEAR_SECONDS) + YEAR_START.timestamp()
    pcsv.write_csv(pa.table({
        "service": pa.array(np.array(services, dtype=object)[rng.integers(0, len(services), outages)], type=pa.string()),
        "start": _times(outage_start),
        "end": _times(outage_start + np.floor(rng.exponential(40 * 60, outages))),
        "planned": pa.array(np.where(rng.random(outages) < 0.2, "true", "false"), type=pa.string()),
    }), paths["outages"], pcsv.WriteOptions(quoting_style="needed"))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.exports", description=__doc__.split("\n\n")[0])
    parser.add_argument("catalogue", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--outages", type=int, default=10_000)
    args = parser.parse_args(argv)
    for kind, path in write_exports(args.catalogue, args.out, args.tickets, args.outages).items():
        print(f"{kind}: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
