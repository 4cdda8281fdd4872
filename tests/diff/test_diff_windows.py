"""`service-catalogue diff` on breach windows (issue 16): a change that opens, closes or moves one.

The payroll fixture (diff_fixture.py) is a chain: the Payroll SLA (P1 resolution 4h,
round the clock) is backed by the hosting OLA (P1 resolution 2h, round the clock), which
is backed by the Ledgerly UC. Here the UC gets a P1 resolution of 90 minutes, round the
clock: no window anywhere. Moving the UC to office hours (Mon–Fri 08:00–18:00 London)
opens a window under both agreements above it; moving it back closes them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options as CmarkOptions

from helpers import diff_fixture
from helpers.catalogue_builder import CliResult, replace, run_cli
from service_catalogue.analysis.timeline import chain_breaches
from service_catalogue.diff import diff_records
from service_catalogue.diff.windows import NOTICEABLE_GAP_MINUTES, NOTICEABLE_SHARE, window_changes
from service_catalogue.model import Catalogue
from service_catalogue.timeplan import format_minutes
from service_catalogue.validation.folder import validate_folder

EXAMPLE = Path(__file__).resolve().parents[2] / "catalogue"
AS_OF = "2026-03-02"  # inside every fixture agreement's period, with ten months of it ahead
UC_P1 = replace(diff_fixture.UC, "availability: {target: 99.9, window: month}\n",
                "availability: {target: 99.9, window: month}\npriorities:\n"
                "  - {id: P1, description: Payroll software down, resolution: 90m}\n")
UC_OFFICE = replace(UC_P1, "hours: payroll-round-the-clock", "hours: payroll-office-hours")
LONDON_TIME = r"(\w+day) (\d{4}-\d\d-\d\d \d\d:\d\d) Europe/London"


def write_side(folder: Path, **files: str) -> Path:
    """The fixture with files replaced (by name without .yaml), as a catalogue folder."""
    folder.mkdir(parents=True)
    for name, text in {**diff_fixture.FILES, **{f"{key}.yaml": value for key, value in files.items()}}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def sides(tmp_path) -> dict[str, Path]:
    return {
        "24x7": write_side(tmp_path / "round-the-clock", uc=UC_P1),
        "office": write_side(tmp_path / "office-hours", uc=UC_OFFICE),
    }


def diff(tmp_path: Path, base: Path, head: Path, *args: str) -> CliResult:
    return run_cli(tmp_path, "diff", str(base), str(head), "--as-of", AS_OF, *args, timeout=120)


def diff_json(tmp_path: Path, base: Path, head: Path) -> dict:
    proc = diff(tmp_path, base, head, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_uc_moved_to_office_hours_opens_a_window_under_the_sla_and_the_ola(tmp_path, sides):
    proc = diff(tmp_path, sides["24x7"], sides["office"])
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1].endswith("; breach windows: 2 opened, 0 closed, 0 changed"), lines[1]
    at = lines.index(f"Breach windows (searched from {AS_OF}, up to 12 months ahead)")
    heads = [line for line in lines[at:] if line.startswith("  weakened ")]
    assert [re.sub(r"\s+\S+:\d+$", "", line) for line in heads] == [
        '  weakened     opened: P1 resolution of Agreement ola-payroll-hosting "Payroll hosting OLA" under uc-ledgerly',
        '  weakened     opened: P1 resolution of Agreement sla-payroll "Payroll SLA" under uc-ledgerly',
    ]
    # Located at the target at risk: the SLA's P1 resolution, in HEAD.
    sla_line = diff_fixture.SLA.splitlines().index("    resolution: 4h") + 1
    assert heads[1].endswith(f"sla.yaml:{sla_line}"), heads[1]
    sla = lines[lines.index(heads[1]) + 1:]
    assert sla[0].strip().startswith(
        "Breach window opened: A P1 ticket raised in "), sla[0]
    assert "would miss the P1 resolution target of Payroll SLA, 4h (Payroll round the clock), if Ledgerly payroll " \
           "software contract (through Payroll hosting OLA) used all of its 90m (Payroll office hours)." in sla[0]
    # The counterexample, in London time: raised outside office hours or late in the day, due
    # from the supplier at a time inside its office hours, and due to the customer 4 hours after it
    # was raised (round the clock), before the supplier's deadline.
    match = re.fullmatch(rf"\s+Worst case: raised {LONDON_TIME}, due from Ledgerly payroll software contract "
                         rf"{LONDON_TIME}, but due to the customer {LONDON_TIME}: ([\d.]+) hours late"
                         rf"(?:; around holidays it is worse: raised {LONDON_TIME}, [\d.]+ hours late)?\.", sla[1])
    assert match, sla[1]
    raised, supplier, customer = (dt.datetime.fromisoformat(match.group(i)) for i in (2, 4, 6))
    assert customer - raised == dt.timedelta(hours=4)
    assert supplier.weekday() < 5 and dt.time(8) < supplier.time() <= dt.time(18)
    assert (supplier - customer) == dt.timedelta(hours=float(match.group(7)))
    assert sla[2].strip().startswith("A P1 resolution target of ") and "would be safe" in sla[2]
    assert sla[3].strip() == "Caused by the change to Agreement uc-ledgerly (Ledgerly payroll software contract: hours)."


def test_moving_it_back_closes_both_windows(tmp_path, sides):
    proc = diff(tmp_path, sides["office"], sides["24x7"], "--fail-on", "weakened")
    assert proc.returncode == 0, proc.stdout  # nothing weakened: the hours grew and the windows closed
    assert "; breach windows: 0 opened, 2 closed, 0 changed" in proc.stdout.splitlines()[1]
    assert "  strengthened closed: P1 resolution of Agreement sla-payroll \"Payroll SLA\" under uc-ledgerly" in proc.stdout
    assert re.search(r"Breach window closed: the P1 resolution target of Payroll SLA is no longer at risk from Ledgerly "
                     r"payroll software contract \(it was \d+% of the period searched, worst case [\d.]+ hours late\)\.",
                     proc.stdout), proc.stdout
    report = diff_json(tmp_path, sides["office"], sides["24x7"])
    assert [(w["status"], w["class"], w["upper"]["agreement"]["id"]) for w in report["windows"]] == [
        ("closed", "strengthened", "ola-payroll-hosting"), ("closed", "strengthened", "sla-payroll")]
    assert all(w["after"] is None and w["before"]["share"] > 0 for w in report["windows"])


def test_the_json_report_has_every_field_of_a_window(tmp_path, sides):
    report = diff_json(tmp_path, sides["24x7"], sides["office"])
    assert report["as_of"] == AS_OF
    assert report["summary"]["windows"] == {"opened": 2, "closed": 0, "changed": 0}
    assert report["summary"]["changes"] == {"weakened": 1, "strengthened": 0, "neutral": 0}  # windows apart
    window = report["windows"][1]
    assert set(window) == {"status", "class", "upper", "lower", "via", "before", "after", "caused_by", "message"}
    assert (window["status"], window["class"], window["via"], window["before"]) == (
        "opened", "weakened", ["ola-payroll-hosting"], None)
    sla_line = diff_fixture.SLA.splitlines().index("    resolution: 4h") + 1
    assert window["upper"] == {
        "agreement": {"id": "sla-payroll", "title": "Payroll SLA", "type": "SLA"},
        "kind": "resolution", "key": "P1", "label": "P1 resolution", "target": "4h (Payroll round the clock)",
        "field": "priorities[P1].resolution", "zone": "Europe/London",
        "file": "office-hours/sla.yaml", "line": sla_line,
    }
    assert window["lower"]["agreement"] == {"id": "uc-ledgerly", "title": "Ledgerly payroll software contract", "type": "UC"}
    assert window["lower"]["target"] == "90m (Payroll office hours)"
    after = window["after"]
    assert set(after) == {"share", "worst_gap_minutes", "ordinary_week_share", "ordinary_week_worst_gap_minutes",
                          "summary", "counterexample", "remedy"}
    assert 0 < after["ordinary_week_share"] <= 1 and after["ordinary_week_worst_gap_minutes"] <= after["worst_gap_minutes"]
    assert 0 < after["share"] < 1 and after["worst_gap_minutes"] > 4 * 60
    assert after["counterexample"].startswith("Worst case: raised ") and "Europe/London" in after["counterexample"]
    assert window["caused_by"] == [{"kind": "Agreement", "id": "uc-ledgerly", "title": "Ledgerly payroll software contract",
                                    "status": "changed", "fields": ["hours"]}]
    assert window["message"].startswith("Breach window opened: " + after["summary"] + ". " + after["counterexample"])


def test_a_strengthened_target_that_opens_a_window_fails_on_weakened(tmp_path):
    # A 1h P1 resolution promised to the customer reads as a strengthening, but the OLA
    # under it has 2h: every ticket is at risk, and that fails a pull request like a weakening.
    base = write_side(tmp_path / "base")
    head = write_side(tmp_path / "head", sla=replace(diff_fixture.SLA, "resolution: 4h", "resolution: 1h"))
    proc = diff(tmp_path, base, head, "--fail-on", "weakened")
    assert proc.returncode == 1, proc.stdout
    lines = proc.stdout.splitlines()
    assert lines[1] == ("1 record differs (0 added, 0 removed, 1 changed); changes: 0 weakened, 1 strengthened, "
                        "0 neutral; breach windows: 1 opened, 0 closed, 0 changed")
    assert any(line.startswith("               Breach window opened: A P1 ticket raised in all of the 168 hours of an ordinary week (100%)") for line in lines)
    assert "Caused by the change to Agreement sla-payroll (Payroll SLA: priorities[P1].resolution)." in proc.stdout
    assert diff(tmp_path, base, head).returncode == 0  # --fail-on never, the default


def test_a_window_that_stays_open_but_widens_says_both_figures(tmp_path):
    # With 3h, the UC already misses the OLA's 2h by an hour at every start; in office hours, by days.
    uc = replace(UC_P1, "resolution: 90m", "resolution: 3h")
    base = write_side(tmp_path / "base", uc=uc)
    head = write_side(tmp_path / "head", uc=replace(uc, "hours: payroll-round-the-clock", "hours: payroll-office-hours"))
    report = diff_json(tmp_path, base, head)
    ola = next(w for w in report["windows"] if w["upper"]["agreement"]["id"] == "ola-payroll-hosting")
    assert (ola["status"], ola["class"]) == ("changed", "weakened")
    assert ola["before"]["share"] == 1.0 and ola["before"]["worst_gap_minutes"] == 60
    assert ola["after"]["worst_gap_minutes"] > 24 * 60
    gap = format_minutes(ola["after"]["worst_gap_minutes"])
    assert ola["message"].startswith(
        f"Breach window widened: 100% -> 100% of the period searched, worst case 60 minutes -> {gap} late. ")
    markdown = diff(tmp_path, base, head, "--format", "markdown").stdout
    assert "- 🔴 **widened** P1 resolution of Agreement `ola-payroll-hosting` under `uc-ledgerly`: Breach window " \
           f"widened: 100% -> 100% of the period searched, worst case 60 minutes -> {gap} late." in markdown
    assert markdown.index("### Breach windows") < markdown.index("### 🔴 Agreement `uc-ledgerly`")


def test_the_comment_keeps_record_text_as_data(tmp_path):
    hostile = "Payroll <script>alert(1)</script> SLA for @finance-team #12 [x](https://evil.example)"
    sla = replace(diff_fixture.SLA, "title: Payroll SLA", f"title: {json.dumps(hostile)}")
    base = write_side(tmp_path / "base", sla=sla)
    head = write_side(tmp_path / "head", sla=replace(sla, "resolution: 4h", "resolution: 1h"))
    markdown = diff(tmp_path, base, head, "--format", "markdown").stdout
    windows = markdown[markdown.index("### Breach windows"):markdown.index("### 🟢")]
    assert "would miss the P1 resolution target of Payroll" in windows
    html = cmarkgfm.github_flavored_markdown_to_html(windows, CmarkOptions.CMARK_OPT_UNSAFE)
    assert "<script" not in html and "<a " not in html, html
    text = re.sub(r"<[^>]+>", "", html).replace("\u2060", "")
    assert "Payroll &lt;script&gt;alert(1)&lt;/script&gt; SLA for @finance-team #12 [x](https://evil.example)" in text
    assert not re.search(r"(?<![\w/])@[A-Za-z0-9]", html.replace("@\u2060", "")), "a mention would notify"
    assert not re.search(r"#\d", html.replace("#\u2060", ""))
    text_report = diff(tmp_path, base, head).stdout
    assert f'Agreement sla-payroll "{hostile[:59]}…" under ola-payroll-hosting' in text_report


def test_only_the_agreements_a_change_reaches_are_searched_and_the_answer_is_the_whole_search(tmp_path):
    """The diff searches the reached agreements only; matching the whole catalogues' windows
    gives the same windows, on the example catalogue with the fixture laid in, for a change
    of a calendar shared by many agreements and of an underpinning contract."""
    if not EXAMPLE.is_dir() or not validate_folder(EXAMPLE).ok:
        pytest.skip("the example catalogue does not validate yet")
    base, head = tmp_path / "base", tmp_path / "head"
    for side, uc in ((base, UC_P1), (head, UC_OFFICE)):
        shutil.copytree(EXAMPLE, side)
        write_side(side / diff_fixture.FOLDER, uc=uc)
    calendar = head / "calendars" / "business-hours-sg.yaml"
    calendar.write_text(replace(calendar.read_text("utf-8"), 'to: "17:30"', 'to: "16:00"'), encoding="utf-8")
    before, after = validate_folder(base).records, validate_folder(head).records
    as_of = dt.date.fromisoformat(AS_OF)
    changes = diff_records(before, after)
    found = window_changes(Catalogue(before), Catalogue(after), changes, as_of)

    def whole(records):
        return {(b.upper.agreement.id, b.upper.kind, b.upper.key, b.lower.agreement.id): b
                for b in chain_breaches(Catalogue(records), as_of)}

    old, new = whole(before), whole(after)
    expected = set()
    for key in set(old) | set(new):
        if key not in old or key not in new:
            expected.add(key)
        elif (abs(new[key].period_share - old[key].period_share) >= NOTICEABLE_SHARE
              or abs(new[key].window.worst_gap - old[key].window.worst_gap) >= NOTICEABLE_GAP_MINUTES):
            expected.add(key)
    got = {(w.upper.agreement.id, w.upper.kind, w.upper.key, w.lower.agreement.id) for w in found}
    assert got == expected
    assert any(key[3] == "uc-ledgerly" for key in got) and any(key[0] != "sla-payroll" and key[3] != "uc-ledgerly"
                                                                 for key in got), got


def test_windows_take_at_most_their_share_of_the_comment_and_the_records_still_show(tmp_path, sides, monkeypatch):
    # A calendar that hundreds of agreements keep time by can move hundreds of windows;
    # here two windows, in a comment made small enough for one of them.
    from service_catalogue.report import markdown

    full = diff(tmp_path, sides["24x7"], sides["office"], "--format", "markdown").stdout
    items = [line for line in full.splitlines() if line.startswith("- 🔴 **opened**")]
    assert len(items) == 2
    budget = len(full) - len(items[1]) // 2
    monkeypatch.setattr(markdown, "COMMENT_BUDGET", budget)
    monkeypatch.setattr(markdown, "WINDOWS_BUDGET", budget // 2)
    cut = diff(tmp_path, sides["24x7"], sides["office"], "--format", "markdown").stdout
    assert len(cut) <= budget
    assert items[0] in cut and items[1] not in cut
    assert "- … and 1 more breach window: run `service-catalogue diff` for all of them." in cut
    assert "### 🔴 Agreement `uc-ledgerly`: Ledgerly payroll software contract (changed)" in cut
