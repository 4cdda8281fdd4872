"""The JSON Schemas on the built site, where editors fetch them from a record's `$schema` comment.

The site serves each schema at schema/v1/<name>.json with the `$id` of that address
(site_url's), and the `$ref`s between them resolve from the served files alone: with
jsonschema's `referencing`, fetching over HTTP from the built folder, and with
yaml-language-server, the language server editors run, on skeleton records and on every
record of the example catalogue. A site without site_url serves them without `$id`,
so that they resolve wherever they are served from.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from helpers.glossary_site import build_site, write_site
from helpers.site_build import REPO, describe, site_url_of
from helpers.yaml_language_server import LanguageServer
from service_catalogue import pipeline
from service_catalogue.kinds import KINDS
from service_catalogue.skeletons import skeleton
from service_catalogue.validation.schemas import SCHEMA_BASE_URL, load_schemas

FOLDER = "schema/v1/"
PACKAGED = load_schemas()


def test_the_folder_is_the_packaged_ids_path_for_this_format_version():
    """The path does not change between releases of catalogue/v1: it is the one the packaged `$id`s name."""
    assert SCHEMA_BASE_URL.endswith("/" + FOLDER)
    assert {path.removeprefix(FOLDER) for path in pipeline.schema_files()} == set(PACKAGED)


def test_the_site_serves_every_schema_at_its_stable_path(any_built_site):
    site_url = site_url_of(any_built_site.project)
    assert site_url == "https://catalogue.northbridge.example/"
    published = pipeline.schema_files(site_url)
    for name, schema in PACKAGED.items():
        served = any_built_site.path(FOLDER + name)
        assert served.is_file(), f"{FOLDER}{name} is not on the site"
        text = served.read_text("utf-8")
        assert text == published[FOLDER + name]  # what `render` is given to write, byte for byte
        assert json.loads(text) == {**schema, "$id": f"{site_url}{FOLDER}{name}"}


def _registry_over_http(base: str, served_as: str, fetched: list[str]) -> Registry:
    """A registry that fetches every schema it is asked for over HTTP from base, which stands in
    for the site at served_as (its site_url: a host a test cannot reach), and notes each URI.
    Each is fetched once, as a client caches it (a Registry is immutable: what it retrieves
    while validating is not kept for the next record)."""
    cache: dict[str, Resource] = {}

    def retrieve(uri: str) -> Resource:
        if uri not in cache:
            fetched.append(uri)
            assert uri.startswith(served_as), f"a $ref led off the site, to {uri}"
            with urllib.request.urlopen(base + uri.removeprefix(served_as), timeout=10) as response:
                contents = json.loads(response.read().decode("utf-8"))
            # referencing resolves against the URI it fetched from; a client that goes by the `$id`,
            # as JSON Schema says and yaml-language-server does, needs the `$id` to be that URI.
            assert contents.get("$id", uri) == uri, f"{uri} calls itself {contents['$id']}"
            cache[uri] = Resource.from_contents(contents)
        return cache[uri]

    return Registry(retrieve=retrieve)


def test_the_refs_resolve_from_the_served_files(built_site, serve_site, catalogue_records):
    site_url = site_url_of(built_site.project)
    fetched: list[str] = []
    registry = _registry_over_http(serve_site(built_site.site), site_url, fetched)
    validator = Draft202012Validator({"$ref": f"{site_url}{FOLDER}record.json"}, registry=registry)
    invalid = {record.label: [e.message for e in validator.iter_errors(record.data)] for record in catalogue_records}
    assert {label: errors for label, errors in invalid.items() if errors} == {}
    assert sorted(fetched) == sorted(f"{site_url}{FOLDER}{name}" for name in PACKAGED)  # all on the site
    # And they do check: a duration of the wrong form fails the served defs.json's pattern.
    agreement = next(r.data for r in catalogue_records if r.kind == "Agreement" and r.data.get("priorities"))
    broken = {**agreement, "priorities": [{**agreement["priorities"][0], "response": "4 hours"}]}
    [error] = [e for e in validator.iter_errors(broken) if e.validator == "pattern"]
    assert error.schema["patternErrorMessage"].startswith("A duration is a number and a unit")


def _small_site(root: Path, site_url: str | None) -> Path:
    """The glossary tests' small site with that site_url (or none), built with --strict: its output folder."""
    write_site(root)
    config = root / "mkdocs.yml"
    text = re.sub(r"^site_url:.*\n", "", config.read_text("utf-8"), flags=re.M)
    config.write_text(text if site_url is None else f"site_url: {site_url}\n{text}", "utf-8")
    site, result = build_site(root)
    assert result.returncode == 0, describe(result)
    return site


def test_a_site_without_site_url_serves_them_without_id_and_they_resolve_where_served(tmp_path, serve_site):
    site = _small_site(tmp_path / "project", None)
    for name, schema in PACKAGED.items():
        served = json.loads((site / FOLDER / name).read_text("utf-8"))
        assert served == {key: value for key, value in schema.items() if key != "$id"}
    base = serve_site(site)
    fetched: list[str] = []
    registry = _registry_over_http(base, base, fetched)
    validator = Draft202012Validator({"$ref": f"{base}{FOLDER}service.json"}, registry=registry)
    record = {"apiVersion": "catalogue/v1", "kind": "Service", "id": "vpn", "title": "VPN", "type": "customer-facing",
              "status": "live", "owner": "it", "summary": "Remote access."}
    assert list(validator.iter_errors(record)) == []
    assert sorted(fetched) == [f"{base}{FOLDER}defs.json", f"{base}{FOLDER}service.json"]
    [error] = validator.iter_errors({**record, "owner": "IT Services"})
    assert error.validator == "pattern"


@pytest.fixture(scope="module")
def site_at_its_address(tmp_path_factory):
    """A small site built with site_url set to the address it is then served at: (that address, its folder)."""
    from helpers.browser import serve_directory

    root = tmp_path_factory.mktemp("addressed")
    with serve_directory(root / "project" / "site") as base:  # served from the moment it is built
        _small_site(root / "project", base)
        yield base, root / "project" / "site"


@pytest.fixture(scope="module")
def language_server():
    with LanguageServer() as server:
        yield server


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_a_skeletons_comment_can_point_at_the_site(site_at_its_address, language_server, kind):
    """`service-catalogue new` without a local copy: the comment names the site's schema, and the
    editor checks the skeleton with it (a schema or a `$ref` it could not load is a diagnostic too)."""
    base, site = site_at_its_address
    schema = f"{base}{FOLDER}{kind.lower()}.json"
    assert json.loads((site / FOLDER / f"{kind.lower()}.json").read_text("utf-8"))["$id"] == schema
    text = skeleton(kind, f"x-{kind.lower()}", "2026-01-15", schema=schema)
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={schema}"
    assert language_server.diagnostics(f"file:///repo/catalogue/skeleton-{kind}.yaml", text) == []
    if kind == "Agreement":  # and it does check: the duration's words, from the site's defs.json
        broken = text.replace("period: {start: 2026-01-15}", "period: {start: 2026-01-15}\nreview: {frequency: annual, next: 15/01/2027}")
        messages = [d["message"] for d in language_server.diagnostics("file:///repo/catalogue/broken-skeleton.yaml", broken)]
        assert messages == [load_schemas()["defs.json"]["$defs"]["date"]["patternErrorMessage"]]


def test_the_editor_finds_nothing_wrong_with_the_example_catalogue(site_at_its_address, language_server):
    """Every record of the example catalogue, checked through the site's record.json (the schema
    that .vscode/settings.json maps to every record): no diagnostic, so no pattern reads
    differently in the editor's JavaScript than in `validate`."""
    base, _ = site_at_its_address
    checked = 0
    for path in sorted((REPO / "catalogue").rglob("*.yaml")):
        for number, document in enumerate(re.split(r"^---[ \t]*$", path.read_text("utf-8"), flags=re.M)):
            if "kind:" not in document:
                continue
            text = f"# yaml-language-server: $schema={base}{FOLDER}record.json\n{document.lstrip(chr(10))}"
            uri = f"file:///example/{path.relative_to(REPO).as_posix()}/{number}.yaml"
            assert language_server.diagnostics(uri, text) == [], f"{path.name}, record {number + 1}"
            checked += 1
    assert checked > 60
