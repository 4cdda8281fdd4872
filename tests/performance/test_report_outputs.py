"""The report's other inputs and outputs: JSON Lines reads as CSV does; what an export writes
stays data in every output (a terminal, Markdown, CSV opened in a spreadsheet, a page); the
iTop user-request preset measures requests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from helpers.catalogue_builder import run_cli
from helpers.report_catalogue import agreement_yaml, calendar_yaml, report_of, write_csv, write_project
from service_catalogue.performance.document import document
from service_catalogue.report import writer
from service_catalogue.report.csv import cell

AS_OF = dt.date(2026, 3, 31)
WEEKDAYS = (["mon", "tue", "wed", "thu", "fri"], "08:00", "18:00")
PRIORITIES = [{"id": "P1", "title": "Critical", "description": "Down", "response": "30m", "resolution": "4h"},
              {"id": "R1", "title": "Standard", "description": "A request", "response": "4h", "resolution": "2d",
               "applies_to": "requests"}]
HEADER = ["id", "service", "customer", "priority", "type", "opened", "responded", "resolved"]
ROWS = [
    ["INC1", "email", "all-staff", "P1", "incident", "2026-03-02 10:00", "2026-03-02 10:20", "2026-03-02 13:00"],
    ["INC2", "email", "all-staff", "P1", "incident", "2026-03-03 17:00", "2026-03-04 08:45", "2026-03-04 12:30"],
    ["REQ3", "email", "all-staff", "R1", "request", "2026-03-05 09:00", "2026-03-05 15:00", "2026-03-09 09:00"],
]


def project(tmp_path):
    return write_project(tmp_path, {"calendar": calendar_yaml("Europe/London", [WEEKDAYS])},
                         {"sla": agreement_yaml(PRIORITIES, frequency="monthly")})


def test_json_lines_give_the_figures_of_csv_and_a_bad_line_is_told(tmp_path):
    folder = project(tmp_path)
    write_csv(tmp_path / "t.csv", HEADER, ROWS)
    lines = [json.dumps(dict(zip(HEADER, row))) for row in ROWS]
    lines.insert(1, '{"id": "INC9", "opened": ')  # line 2: cut off
    (tmp_path / "t.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from_csv = report_of(folder, {"time_zone": "Europe/London", "tickets": ["t.csv"]}, tmp_path, AS_OF)
    from_jsonl = report_of(folder, {"time_zone": "Europe/London", "tickets": ["t.jsonl"]}, tmp_path, AS_OF)
    assert document(from_jsonl)["agreements"] == document(from_csv)["agreements"]
    (problem,) = from_jsonl.errors
    assert (problem.location.line, problem.code) == (2, "data.line")
    assert problem.message.startswith("not JSON (")
    requests = next(t for t in from_csv.agreements[0].targets if t.priority.id == "R1" and t.measure == "resolution")
    assert [(w.met, w.breached) for w in requests.windows] == [(1, 0)]  # 2 service days are 20h: Thu 09:00 to Mon 09:00 is 9h + 10h + 1h, met at the target


def test_what_an_export_writes_stays_data_in_every_output(tmp_path):
    folder = project(tmp_path)
    hostile = "=HYPERLINK(\"http://x\")\x1b[31m<script>alert(1)</script>{{ 7*7 }}|*"
    rows = [[hostile, "email", "all-staff", "P1", "incident", "2026-03-03 17:00", "2026-03-04 08:45", "2026-03-04 12:30"]]
    write_csv(tmp_path / "t.csv", HEADER, rows)
    report = report_of(folder, {"time_zone": "Europe/London", "tickets": ["t.csv"]}, tmp_path, AS_OF)
    text = writer("text", "performance").performance(report)
    assert "\x1b" not in text and "\\x1b[31m" in text
    markdown = writer("markdown", "performance").performance(report)
    assert "<script>" not in markdown.replace("`", "") or "`" in markdown.split("<script>")[0][-40:]
    table = list(csv.reader(io.StringIO(writer("csv", "performance").performance(report))))
    worst = {row[table[0].index("worst_breach_ticket")] for row in table[1:]} - {""}
    assert worst == {"'" + hostile}
    assert cell("-1.5") == "-1.5" and cell("@SUM(A1)") == "'@SUM(A1)" and cell("+44 20") == "'+44 20"
    assert json.loads(writer("json", "performance").performance(report))["agreements"][0]["targets"][0]["windows"][0][
        "worst_breach_ticket"] == hostile
    from service_catalogue import pipeline
    import service_catalogue as sc
    from service_catalogue.performance.inputs import read_inputs

    options = sc.Options(catalogue=folder, as_of=AS_OF,
                         reports=read_inputs({"time_zone": "Europe/London", "tickets": ["t.csv"]}, tmp_path))
    run = pipeline.prepare(options)
    pages = pipeline.render(run.require_valid(), options, run.findings, run.performance)
    (page,) = [p for p in pages if p.path.endswith("performance/sla-email.md")]
    assert "<script>" not in page.markdown and "{{ 7*7 }}" not in page.markdown and "\x1b" not in page.markdown
    assert "render_macros: false" in page.markdown


def test_the_itop_user_request_preset_measures_requests(tmp_path):
    folder = project(tmp_path)
    header = ["Ref", "Title", "Organization", "Caller", "Status", "Priority", "Service", "Start date", "Assignment date",
              "Resolution date"]
    write_csv(tmp_path / "itop.csv", header, [["R-000123", "New mailbox", "All staff", "Claude Monet", "resolved", "standard",
                                                "Email", "2026-03-05 09:00:00", "2026-03-05 15:00:00", "2026-03-09 09:00:00"]])
    report = report_of(folder, {"time_zone": "Europe/London", "tickets": [{"path": "itop.csv", "preset": "itop"}]}, tmp_path, AS_OF)
    assert not report.problems
    by = {(t.priority.id, t.measure): t.windows for t in report.agreements[0].targets if t.windows is not None}
    assert [(w.met, w.breached) for w in by["R1", "resolution"]] == [(1, 0)]
    assert [(w.met, w.breached) for w in by["R1", "response"]] == [(0, 1)]  # 6 hours against 4


def test_list_presets_names_every_layout(tmp_path):
    result = run_cli(tmp_path, "report", "--list-presets")
    assert result.returncode == 0
    for name in ("generic", "servicenow-incident", "servicenow-task-sla", "jira-service-management", "itop", "itop-incident", "znuny"):
        assert f"\n{name}\n" in "\n" + result.stdout
