"""For spreadsheets: the service level report as one CSV table, a row per agreement, window
and measure (a priority's response or resolution, or availability).

A cell that a spreadsheet would take for a formula (=, +, -, @, a tab or a carriage
return first) is written with a ' before it, as OWASP advises: the titles and ticket
ids come from the catalogue and the exports, and a CSV opened in a spreadsheet must
not run them.
"""

from __future__ import annotations

import csv
import io

from service_catalogue.report.base import Writer

COLUMNS = ("agreement", "agreement_title", "type", "window", "complete", "measure", "priority", "target",
           "target_minutes", "met", "breached", "percent_met", "worst_breach_minutes", "worst_breach_ticket", "open",
           "achieved_percent", "target_percent", "covered_minutes", "downtime_minutes", "budget_minutes",
           "budget_left_minutes", "credit", "claim_by")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class CsvWriter(Writer):
    name = "csv"
    writes = ("performance",)

    def performance(self, report) -> str:
        from service_catalogue.performance.document import document

        data = document(report)
        out = io.StringIO()
        table = csv.writer(out, lineterminator="\n")
        table.writerow(COLUMNS)
        for agreement in data["agreements"]:
            head = {"agreement": agreement["id"], "agreement_title": agreement["title"], "type": agreement["type"]}
            for index, window in enumerate(agreement["windows"]):
                for target in agreement["targets"]:
                    if not target["windows"]:
                        continue
                    row = target["windows"][index]
                    table.writerow([cell(v) for v in self._row(COLUMNS, {
                        **head, "window": window["label"], "complete": window["complete"],
                        "measure": target["measure"], "priority": target["priority"], "target": target["target"],
                        "target_minutes": target["target_minutes"], **{k: row[k] for k in (
                            "met", "breached", "percent_met", "open")},
                        "worst_breach_minutes": row["worst_breach_minutes"],
                        "worst_breach_ticket": row["worst_breach_ticket"]})])
            availability = agreement["availability"]
            credits = {c["window"]: c for c in agreement["credits"]}
            for row in (availability or {}).get("windows", []):
                credit = credits.get(row["window"], {})
                table.writerow([cell(v) for v in self._row(COLUMNS, {
                    **head, "window": row["window"], "complete": row["complete"], "measure": "availability",
                    **{k: row[k] for k in ("achieved_percent", "target_percent", "covered_minutes", "downtime_minutes",
                                           "budget_minutes", "budget_left_minutes")},
                    "credit": credit.get("credit") if credit.get("tier") else None, "claim_by": credit.get("claim_by")})])
        return out.getvalue().rstrip("\n")

    @staticmethod
    def _row(columns, values: dict) -> list:
        return [values.get(name) for name in columns]
