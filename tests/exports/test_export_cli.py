"""`service-catalogue export`: its help, its output, the site's address, and bad input."""

from __future__ import annotations

from helpers.catalogue_builder import CATALOGUE, replace, run_cli, validate, write_catalogue, SERVICE
from service_catalogue.exports import FORMATS


def test_help_lists_every_format_with_its_line(tmp_path):
    proc = run_cli(tmp_path, "export", "--help")
    assert proc.returncode == 0
    formats = proc.stdout.split("formats:\n", 1)[1]
    for name, export_format in FORMATS.items():
        line = next(line for line in formats.splitlines() if line.startswith(f"  {name} "))
        assert export_format.summary.split()[0] in line
    assert "  backstage " in formats and "  servicenow-slas " in formats


def test_writes_to_standard_output_or_a_file_and_notes_to_stderr(tmp_path):
    write_catalogue(tmp_path)
    out = run_cli(tmp_path, "export", "backstage", "--catalogue", CATALOGUE)
    assert out.returncode == 0 and out.stdout.startswith("# Backstage catalog-info.yaml")
    assert "note: no site address" in out.stderr
    to_file = run_cli(tmp_path, "export", "itop-slts", "--catalogue", CATALOGUE, "--output", "slts.csv")
    assert to_file.returncode == 0 and to_file.stdout.startswith("wrote slts.csv")
    assert (tmp_path / "slts.csv").read_text(encoding="utf-8").splitlines()[0] == "name,priority,request_type,metric,value,unit"


def test_the_sites_address_comes_from_mkdocs_yml_or_the_option(tmp_path):
    write_catalogue(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nsite_url: https://docs.example.org/it/\nuse_directory_urls: false\n"
        "plugins:\n  - service-catalogue:\n      section: services-catalogue\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8")
    proc = run_cli(tmp_path, "export", "backstage", "--catalogue", CATALOGUE)
    assert proc.returncode == 0, proc.stderr
    assert '"https://docs.example.org/it/services-catalogue/services/email.html"' in proc.stdout
    given = run_cli(tmp_path, "export", "backstage", "--catalogue", CATALOGUE, "--site-url", "https://other.example/",
                    "--section", "")
    assert '"https://other.example/services/email.html"' in given.stdout


def test_an_invalid_catalogue_gives_its_problems_as_validate_does(tmp_path):
    write_catalogue(tmp_path, {"services/email.yaml": replace(SERVICE, "owner: it-services", "owner: nobody")})
    proc = run_cli(tmp_path, "export", "openslo", "--catalogue", CATALOGUE)
    assert proc.returncode == 1
    assert proc.stdout == validate(tmp_path).stdout and "nobody" in proc.stdout


def test_bad_input_is_a_usage_error_or_a_clear_message(tmp_path):
    write_catalogue(tmp_path)
    bad_url = run_cli(tmp_path, "export", "backstage", "--catalogue", CATALOGUE, "--site-url", "ftp://x")
    assert bad_url.returncode == 2 and "expected the site's http or https address" in bad_url.stderr
    bad_format = run_cli(tmp_path, "export", "jira", "--catalogue", CATALOGUE)
    assert bad_format.returncode == 2 and "invalid choice: 'jira'" in bad_format.stderr
    (tmp_path / "folder").mkdir()
    unwritable = run_cli(tmp_path, "export", "backstage", "--catalogue", CATALOGUE, "--output", "folder")
    assert unwritable.returncode == 1 and "cannot write folder" in unwritable.stderr
    (tmp_path / "broken.yml").write_text("site_url: [\n", encoding="utf-8")
    broken = run_cli(tmp_path, "export", "backstage", "--catalogue", CATALOGUE, "--config", "broken.yml")
    assert broken.returncode == 1 and "broken.yml:2:1: not YAML" in broken.stderr
