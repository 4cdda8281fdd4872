"""`[[id]]` naming no record: the build's warning gives the page, the line and the id closest
to it, as `validate` does for a reference to a missing record (issue 15: `[[sla-mmu]]`)."""

from __future__ import annotations

import logging

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from helpers.catalogue_builder import write_catalogue
from helpers.site_build import MARKDOWN_EXTENSIONS_YML
from service_catalogue.site.shortlinks import unknown_link_words
from service_catalogue.validation.checks import CloseIds


def _warnings_of_a_build(tmp_path, page: str, caplog) -> list[str]:
    project = tmp_path / "project"
    write_catalogue(project)
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text(page, encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        'site_name: Links\nplugins:\n  - service-catalogue:\n      as_of: "2026-06-01"\n' + MARKDOWN_EXTENSIONS_YML,
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "names no record" in r.getMessage()]


def test_a_misspelt_short_link_is_told_the_closest_record(tmp_path, caplog):
    page = "# Home\n\nThe email agreement is [[sla-emial]].\nThe mail service is [[emali|mail]].\n"
    assert _warnings_of_a_build(tmp_path, page, caplog) == [
        "service-catalogue: index.md:3: [[sla-emial]] names no record in the catalogue: did you mean [[sla-email]]?",
        "service-catalogue: index.md:4: [[emali]] names no record in the catalogue: did you mean [[email]]?",
    ]


def test_a_short_link_close_to_nothing_gets_no_guess(tmp_path, caplog):
    page = "# Home\n\nSee [[quarterly-report]].\n"
    assert _warnings_of_a_build(tmp_path, page, caplog) == [
        "service-catalogue: index.md:3: [[quarterly-report]] names no record in the catalogue",
    ]


def test_the_words_name_the_closest_id_of_any_kind():
    ids = CloseIds(["sla-email", "email", "it-services", "business-hours"])
    assert unknown_link_words("sla-mmu", CloseIds(["sla-emu", "email"])) == (
        "[[sla-mmu]] names no record in the catalogue: did you mean [[sla-emu]]?"
    )
    assert unknown_link_words("busines-hours", ids).endswith("did you mean [[business-hours]]?")
    assert unknown_link_words("zzz", ids) == "[[zzz]] names no record in the catalogue"
