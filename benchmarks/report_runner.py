"""`python -m benchmarks.report_runner OUT.json -- REPORT ARGS...`: run `service-catalogue report`
in this process, its output thrown away, and write its CPU seconds and peak memory to OUT.json
(the benchmark's figure j: getrusage of the children gives the peak of all of them at once)."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
import time


def main(argv: list[str]) -> int:
    out, args = argv[0], argv[argv.index("--") + 1:]
    from service_catalogue.cli import main as cli_main

    wall = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        code = cli_main(["report", *args])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"returncode": code, "cpu": usage.ru_utime + usage.ru_stime, "wall": time.perf_counter() - wall,
                   "maxrss_bytes": usage.ru_maxrss * 1024}, handle)
    return 0 if code in (0, 1) else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
