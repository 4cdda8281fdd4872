"""What the site build does with service level findings (the `findings` option).

report: the health page and the record pages show them (the default);
warn:   also one MkDocs warning per finding, so `mkdocs build --strict` fails;
error:  the build stops with a PluginError listing them, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import logging

from mkdocs.exceptions import PluginError

from service_catalogue.analysis.findings import Finding
from service_catalogue.report import TextWriter


def report_findings(findings: list[Finding], mode: str, records: int, as_of: dt.date, log: logging.Logger) -> None:
    """Act on the findings (from pipeline.analyse) as the `findings` mode says."""
    text = TextWriter()
    if findings and mode == "error":
        raise PluginError(
            "service-catalogue: the catalogue has service level findings (findings: error)\n"
            + text.findings(findings, records, as_of)
        )
    if mode == "warn":
        for finding in findings:
            log.warning(f"service-catalogue: {text.finding(finding)}")
    elif findings:
        log.info(f"service-catalogue: {len(findings)} service level findings, shown on the health page")
