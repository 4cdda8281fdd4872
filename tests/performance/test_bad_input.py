"""Bad rows are told where they are (file, row, column, what was expected) and counted; the
report of the good rows is the report it would be without them. A file that is mostly
bad, or an inputs block with a mistake, stops the report with every mistake at once."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.catalogue_builder import run_cli
from helpers.report_catalogue import agreement_yaml, calendar_yaml, report_of, write_csv, write_project
from service_catalogue.performance.document import document
from service_catalogue.performance.inputs import ReportInputError, read_inputs
from service_catalogue.performance.measure import MostlyBadError

AS_OF = dt.date(2026, 3, 31)
HEADER = ["id", "service", "customer", "priority", "type", "opened", "responded", "resolved"]
GOOD = [
    ["INC1", "email", "all-staff", "P1", "incident", "2026-03-02 10:00", "2026-03-02 10:20", "2026-03-02 13:00"],
    ["INC2", "email", "all-staff", "P1", "incident", "2026-03-03 17:00", "2026-03-04 08:45", "2026-03-04 12:30"],
    ["INC3", "Email", "All staff", "P2", "incident", "2026-03-05 09:00", "2026-03-05 10:00", "2026-03-06 09:30"],
]
BAD = [
    ["INC4", "email", "all-staff", "P1", "incident", "2026-03-32 10:00", "", ""],  # row 5: malformed time
    ["INC5", "emial", "all-staff", "P1", "incident", "2026-03-09 10:00", "", ""],  # row 6: names no service
    ["INC6", "email", "all-staff", "P2", "incident", "2026-03-10 10:00", "2026-03-10 10:05", "2026-03-09 16:00"],  # row 7
    ["INC7", "email", "all-staff", "P7", "incident", "2026-03-11 10:00", "", ""],  # row 8: no such priority
    ["INC8", "email", "all-staff", "P1", "incident", "2026-03-12 10:00", "", ""],
]
PRIORITIES = [{"id": "P1", "description": "Down", "response": "30m", "resolution": "4h"},
              {"id": "P2", "description": "Degraded", "response": "2h", "resolution": "1d"}]


@pytest.fixture
def folder(tmp_path):
    return write_project(tmp_path, {"calendar": calendar_yaml("Europe/London", [(["mon", "tue", "wed", "thu", "fri"], "08:00", "18:00")])},
                         {"sla": agreement_yaml(PRIORITIES, frequency="monthly")})


def figures(report):
    return [a["targets"] for a in document(report)["agreements"]]


def test_each_bad_row_is_located_and_the_good_rows_report_is_unchanged(tmp_path, folder):
    write_csv(tmp_path / "good.csv", HEADER, GOOD)
    # the last row repeats a good ticket's id: measured once, at its first row
    # an agreement column, empty on the good rows (found by service), naming nothing on row 10
    mixed = [row + [""] for row in GOOD + BAD[:4] + [["INC1"] + BAD[4][1:]]]
    mixed.append(["INC9", "email", "all-staff", "P1", "incident", "2026-03-13 10:00", "", "", "sla-emial"])
    write_csv(tmp_path / "mixed.csv", HEADER + ["agreement"], mixed)
    block = {"time_zone": "Europe/London", "max_bad_percent": 80,
             "tickets": [{"path": "mixed.csv", "columns": {"customer": "customer_name"}}]}
    good = report_of(folder, {"time_zone": "Europe/London", "tickets": ["good.csv"]}, tmp_path, AS_OF)
    mixed = report_of(folder, block, tmp_path, AS_OF)
    assert figures(mixed) == figures(good)
    told = {(p.location.line, p.location.column, p.code): p for p in mixed.problems}
    path = str(tmp_path / "mixed.csv")
    assert {p.location.file for p in mixed.problems} == {path}
    time = told[5, 6, "data.time"]
    assert time.message == ("column `opened`: `2026-03-32 10:00` is not a time: expected one such as 2026-03-02 10:15 "
                            "or 2026-03-02T10:15:00+01:00")
    assert "Europe/London" in time.hint
    service = told[6, 2, "data.agreement"]
    assert service.message == "column `service`: `emial` names no service"
    assert service.hint == "did you mean `email`?"
    order = told[7, 8, "data.order"]
    assert order.message == ("column `resolved`: resolved 2026-03-09 16:00 (UTC+00:00) is before opened "
                             "2026-03-10 10:00 (UTC+00:00)")
    priority = told[8, 4, "data.priority"]
    assert priority.message.startswith("column `priority`: `P7` is not a priority of sla-email for incidents "
                                       "(its priorities are P1, P2)")
    column = told[1, 1, "data.column"]
    assert column.severity == "warning"
    assert column.message == "no column `customer_name` for customer: agreements are found by service alone"
    assert "`customer`" in column.hint
    agreement = told[10, 9, "data.agreement"]
    assert agreement.message == "column `agreement`: `sla-emial` names no agreement"
    assert agreement.hint == "did you mean `sla-email`?"
    duplicate = told[9, 1, "data.duplicate"]
    assert duplicate.message == "ticket `INC1` is measured at row 2; this row is not"
    (count,) = mixed.counts
    assert (count.rows, count.bad, count.read, count.skipped) == (9, 5, 3, {"repeated ticket ids": 1})


def test_the_command_line_tells_the_rows_and_still_reports(tmp_path, folder):
    write_csv(tmp_path / "mixed.csv", HEADER, GOOD + BAD[:1])
    result = run_cli(tmp_path, "report", "--catalogue", str(folder), "--tickets", "mixed.csv", "--time-zone",
                     "Europe/London", "--as-of", "2026-03-31")
    assert result.returncode == 0, result.stderr
    assert "mixed.csv:5:6: error: column `opened`: `2026-03-32 10:00` is not a time" in result.stdout
    assert "4 rows read, 1 bad" in result.stdout
    failing = run_cli(tmp_path, "report", "--catalogue", str(folder), "--tickets", "mixed.csv", "--time-zone",
                      "Europe/London", "--as-of", "2026-03-31", "--fail-on", "bad-rows")
    assert failing.returncode == 1


def test_a_file_that_is_mostly_bad_stops_the_report(tmp_path, folder):
    write_csv(tmp_path / "wrong.csv", ["number", "service", "customer", "priority", "opend"], [["INC1", "email", "all-staff", "P1", "x"]])
    with pytest.raises(MostlyBadError) as raised:
        report_of(folder, {"tickets": ["wrong.csv"]}, tmp_path, AS_OF)
    (problem,) = [p for p in raised.value.problems if p.field.endswith("columns.opened")]
    assert problem.message == "no column `opened` for opened: no row can be read"
    assert problem.hint.startswith("did you mean `opend`?")
    result = run_cli(tmp_path, "report", "--catalogue", str(folder), "--tickets", "wrong.csv", "--as-of", "2026-03-31")
    assert result.returncode == 1
    assert "the report is not made" in result.stderr
    assert "1 of its 1 rows are bad" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_mistake_in_the_inputs_is_told_at_once(tmp_path):
    write_csv(tmp_path / "t.csv", HEADER, GOOD)
    with pytest.raises(ReportInputError) as raised:
        read_inputs({"time_zone": "CET+1", "tickets": [{"path": "t.csv", "preset": "jira"}, "missing.csv"],
                     "outage": ["x.csv"]}, tmp_path)
    mistakes = raised.value.mistakes
    assert any(m.startswith("reports.outage: not an option of the report inputs; did you mean `outages`?") for m in mistakes)
    assert any(m.startswith("reports.time_zone: `CET+1` is not in the time zone database") for m in mistakes)
    assert any(m.startswith("reports.tickets[0].preset: unknown preset `jira`; did you mean `jira-service-management`?") for m in mistakes)
    assert any(m.startswith("reports.tickets[1].path: no such file: ") for m in mistakes)


def test_the_command_line_names_its_own_options_in_its_mistakes(tmp_path):
    result = run_cli(tmp_path, "report", "--tickets", "missing.csv", "--preset", "jira", "--time-zone", "Europe/Lndon")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "service-catalogue report: the report is not made:"
    assert any(line.startswith("  --tickets missing.csv: no such file: ") for line in lines)
    assert any(line.startswith("  --tickets missing.csv (preset): unknown preset `jira`; did you mean `jira-service-management`?")
               for line in lines)
    assert "  --time-zone: `Europe/Lndon` is not in the time zone database: did you mean `Europe/London`?" in lines
