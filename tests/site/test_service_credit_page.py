"""Section 6.5 of an agreement page with structured credits: a table a customer can read,
the terms under it, "not stated" where the agreement says nothing; and the export."""

from __future__ import annotations

import json
from pathlib import Path

import service_catalogue as sc
from helpers.credits_catalogue import options, validate_with
from service_catalogue.site.exports import catalogue_dict

REPO = Path(__file__).resolve().parents[2]
AVAILABILITY = "availability: {target: 99.9, window: quarter}\n"


def _section(result: sc.ValidationResult, agreement: str = "sla-email") -> str:
    catalogue = sc.link(result)
    pages = sc.render(catalogue, options(Path(result.records[0].path).parent))
    page = next(p for p in pages if p.path.endswith(f"agreements/{agreement}.md"))
    text = page.markdown
    start = text.index("### 6.5 Service credits")
    return text[start:text.index("\n## 7 Reporting")]


def _unescaped(markdown: str) -> str:
    """The text a reader sees: the `t` filter's backslash escapes (`\\(`) taken out."""
    return markdown.replace("\\", "")


def test_tiers_are_a_table_mildest_first_with_the_terms_under_it(tmp_path):
    result = validate_with(tmp_path, AVAILABILITY + """\
service_credits:
  - {below: 95, percent: 50}
  - {at_or_below: 99.9, percent: 10}
  - {below: 99, percent: 25}
service_credit_terms:
  of: the monthly fee
  cap_percent: 50
  claim_within_days: 30
  remedy: Credit against future invoices, the customer's sole remedy
  notes: [Claims must be made in writing.]
""")
    assert _section(result) == """\
### 6.5 Service credits { #service-credits }

| Availability in a quarter | Credit |
|---|---|
| at or below 99.9% | 10% of the monthly fee |
| below 99% | 25% of the monthly fee |
| below 95% | 50% of the monthly fee |

Credits are a percentage of the monthly fee.

All credits in one quarter are capped at 50% of the monthly fee.

Claim within 30 calendar days of the end of the quarter.

Remedy: Credit against future invoices, the customer's sole remedy

- Claims must be made in writing.
"""


def test_what_nobody_wrote_is_not_stated(tmp_path):
    result = validate_with(tmp_path, "service_credits:\n  - {below: 99.5, percent: 10}\nservice_credit_terms: {remedy: Sole remedy}\n")
    section = _unescaped(_section(result))
    assert "| Availability in a window (not stated) | Credit |" in section
    assert "| below 99.5% | 10% of the fee (not stated) |" in section
    assert "Credits are a percentage of the fee (not stated)." in section
    assert "A cap on the credits is not stated." in section
    assert "The time to claim a credit is not stated." in section


def test_metric_tiers_and_credits_in_words_have_tables_of_their_own(tmp_path):
    result = validate_with(tmp_path, AVAILABILITY + """\
metrics:
  - {id: api, title: API success rate, target: 99.5, unit: "%", direction: at-least, window: month}
service_credits:
  - {below: 99.5, metric: api, percent: 5}
  - {below: 99.9, percent: 10, condition: Monthly Uptime Percentage under 99.9%}
  - {condition: Data loss, credit: One free month}
""")
    assert _unescaped(_section(result)) == """\
### 6.5 Service credits { #service-credits }

| Availability in a quarter | Credit |
|---|---|
| below 99.9% (Monthly Uptime Percentage under 99.9%) | 10% of the fee (not stated) |

| API success rate in a month | Credit |
|---|---|
| below 99.5% | 5% of the fee (not stated) |

| Condition | Credit |
|---|---|
| Data loss | One free month |

Credits are a percentage of the fee (not stated).
"""


def test_written_text_is_escaped(tmp_path):
    result = validate_with(tmp_path, "service_credits:\n  - {below: 99.5, percent: 10}\n"
                           "service_credit_terms: {of: \"the <b>fee</b> | all\", remedy: \"<script>x</script>\"}\n")
    section = _section(result)
    assert "<b>" not in section and "<script>" not in section
    assert "| all" not in section.replace("\\| all", "")


def test_catalogue_json_exports_the_credits_as_written(tmp_path):
    extra = "service_credits:\n  - {below: 99.5, percent: 10}\nservice_credit_terms: {of: the monthly fee, cap_percent: 50}\n"
    entry = next(e for e in catalogue_dict(sc.link(validate_with(tmp_path, extra)))["records"] if e["id"] == "sla-email")
    exported = json.loads(json.dumps(entry))
    assert exported["data"]["service_credits"] == [{"below": 99.5, "percent": 10}]
    assert exported["data"]["service_credit_terms"] == {"of": "the monthly fee", "cap_percent": 50}


def test_the_example_vendor_contract_shows_its_credit_schedule():
    result = sc.validate(options(REPO / "catalogue"))
    assert result.ok
    section = _section(result, "uc-cloudmere-workspace")
    assert "| Availability in a month | Credit |" in section
    rows = [line for line in section.splitlines() if line.startswith("| below")]
    assert [row.split(" | ")[0] for row in rows] == ["| below 99.9%", "| below 99%", "| below 95%"]
    assert "All credits in one month are capped at 50% of the monthly subscription fee" in section
    assert "Claim within 30 calendar days of the end of the month." in section
