"""What the site build does with service level findings (the `findings` option).

report: the health page and the record pages show them (the default);
warn:   also one MkDocs warning per finding, so `mkdocs build --strict` fails;
error:  the build stops with a PluginError listing them, before anything is written.
"""

from __future__ import annotations

import datetime as dt

from mkdocs.exceptions import PluginError

from service_catalogue.analysis.report import format_text
from service_catalogue.analysis.rules import UnknownRuleError, analyse, check_rule_ids
from service_catalogue.model import Catalogue
from service_catalogue.validation.problems import format_problem


def site_findings(catalogue: Catalogue, config, as_of: dt.date, log) -> list:
    """Run the analysis with the plugin's options and act on the `findings` mode."""
    try:
        disabled = check_rule_ids(config.disabled_rules)
    except UnknownRuleError as exc:
        raise PluginError(f"service-catalogue: disabled_rules: {exc}") from None
    findings = analyse(catalogue, as_of=as_of, disabled=disabled, ending_days=config.ending_days)
    mode = config.findings
    if findings and mode == "error":
        raise PluginError(
            "service-catalogue: the catalogue has service level findings (findings: error)\n"
            + format_text(findings, len(catalogue), as_of)
        )
    if mode == "warn":
        for finding in findings:
            log.warning(f"service-catalogue: {format_problem(finding.to_problem())}")
    elif findings:
        log.info(f"service-catalogue: {len(findings)} service level findings, shown on the health page")
    return findings
