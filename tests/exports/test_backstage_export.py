"""The Backstage export, checked by Backstage's own code.

backstage_check.cjs reads the file with the npm `yaml` package's parseAllDocuments, as
Backstage's parseEntityYaml does, and runs every entity through @backstage/catalog-model
1.10.3's validators in the catalog backend's order: entityEnvelopeSchemaValidator, the
default policies (SchemaValid, DefaultNamespace, NoForeignRootFields, FieldFormat),
entitySchemaValidator and the kind validators (componentEntityV1alpha1Validator,
groupEntityV1alpha1Validator, ...), then parses every reference the built-in processor
turns into a relation. The tests assert on what it printed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.export_catalogue import (FORMULA_TITLE, GOOD_URLS, LONG_ID, MULTILINE, SHORT_HYPHEN_ID, SPECIALS_TITLE,
                                      UNICODE_TITLE, write_export_catalogue)
from service_catalogue import pipeline
from service_catalogue.errors import ExportError
from service_catalogue.exports import PageAddresses, addresses_from_mkdocs, export
from service_catalogue.exports.names import BACKSTAGE_NAME, backstage_name
from service_catalogue.options import Options

REPO = Path(__file__).resolve().parents[2]
CHECK = Path(__file__).with_name("backstage_check.cjs")
SITE = "https://catalogue.northbridge.example/catalogue/"


def backstage_says(text: str, tmp_path: Path) -> dict:
    node = shutil.which("node")
    assert node, "node is needed to run Backstage's validators"
    path = tmp_path / "catalog-info.yaml"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([node, str(CHECK), str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def entities_of(report: dict) -> dict:
    return {(e["data"]["kind"], e["data"]["metadata"]["annotations"]["service-catalogue/id"]): e for e in report["entities"]}


@pytest.fixture(scope="module")
def catalogue():
    return pipeline.prepare(Options(catalogue=REPO / "catalogue"), with_findings=False).require_valid()


@pytest.fixture(scope="module")
def example(catalogue, tmp_path_factory):
    made = export("backstage", catalogue, addresses_from_mkdocs(REPO / "mkdocs.yml"))
    return made, backstage_says(made.text, tmp_path_factory.mktemp("backstage"))


def test_every_entity_of_the_example_catalogue_passes_backstage(catalogue, example):
    made, report = example
    assert report["parseErrors"] == []
    assert [e["result"]["errors"] for e in report["entities"] if e["result"]["errors"]] == []
    kinds = [e["data"]["kind"] for e in report["entities"]]
    assert kinds.count("Group") == len(catalogue.parties) and kinds.count("Component") == len(catalogue.services)
    relations = sum(len(e["result"]["relations"]) for e in report["entities"])
    dependencies = sum(len(s.dependencies) for s in catalogue.services)
    assert relations >= len(catalogue.services) + dependencies  # every owner and every dependency, resolved
    assert made.notes == []


def test_a_service_says_what_its_record_says(catalogue, example):
    _, report = example
    email = entities_of(report)[("Component", "email-calendar")]["data"]
    assert email["metadata"]["name"] == "email-calendar" and email["metadata"]["title"] == "Email & Calendar"
    assert email["metadata"]["description"] == catalogue.by_id["email-calendar"].summary
    assert email["spec"] == {"type": "service", "lifecycle": "production", "owner": "group:default/workplace-team",
                             "dependsOn": ["component:default/identity-sso", "component:default/campus-network-wifi"]}
    assert email["metadata"]["labels"] == {"service-catalogue/type": "customer-facing", "service-catalogue/status": "live",
                                           "service-catalogue/criticality": "high"}
    assert email["metadata"]["annotations"]["backstage.io/view-url"] == SITE + "services/email-calendar/"
    links = {link["url"]: link.get("title") for link in email["metadata"]["links"]}
    assert links[SITE + "services/email-calendar/"] == "Service catalogue page"
    assert links[SITE + "agreements/sla-collaboration/"] == "SLA: Email, Calendar & Video Conferencing SLA"
    assert links["https://status.cloudmere-workspace.com/"] == "Cloudmere service status"
    lifecycles = {e["data"]["metadata"]["annotations"]["service-catalogue/id"]: e["data"]["spec"]["lifecycle"]
                  for e in report["entities"] if e["data"]["kind"] == "Component"}
    assert lifecycles["legacy-webmail"] == "deprecated"  # retired
    groups = entities_of(report)
    it = groups[("Group", "it-services")]["data"]["spec"]
    assert it["parent"] == "group:default/northbridge-university" and "group:default/workplace-team" in it["children"]


def test_without_the_sites_address_no_link_is_written(catalogue, tmp_path):
    made = export("backstage", catalogue, PageAddresses())
    report = backstage_says(made.text, tmp_path)
    assert [e["result"]["errors"] for e in report["entities"] if e["result"]["errors"]] == []
    assert "catalogue.northbridge.example" not in made.text and "backstage.io/view-url" not in made.text
    assert any("no site address" in note for note in made.notes)


def test_a_hostile_catalogue_passes_and_reads_back_exactly(tmp_path):
    folder = write_export_catalogue(tmp_path)
    catalogue = pipeline.prepare(Options(catalogue=folder), with_findings=False).require_valid()
    made = export("backstage", catalogue, PageAddresses("https://cat.example/"))
    report = backstage_says(made.text, tmp_path)
    assert report["parseErrors"] == []
    assert [(e["result"]["ref"], e["result"]["errors"]) for e in report["entities"] if e["result"]["errors"]] == []
    entities = entities_of(report)
    assert entities[("Group", LONG_ID)]["data"]["metadata"]["name"] == "a" * 61 + "_a"
    assert entities[("Group", SHORT_HYPHEN_ID)]["data"]["metadata"]["name"] == "x.x"
    # What YAML readers take for booleans, nulls and numbers stays the record's text.
    assert entities[("Group", "yes")]["data"]["metadata"]["name"] == "yes"
    assert entities[("Group", "yes")]["data"]["metadata"]["description"] == SPECIALS_TITLE
    assert entities[("Component", "0o17")]["data"]["metadata"]["name"] == "0o17"
    assert entities[("Component", "null")]["data"]["metadata"]["title"] == "null"
    service = entities[("Component", "0o17")]["data"]
    assert service["metadata"]["title"] == FORMULA_TITLE
    assert service["metadata"]["description"] == "- starts like a list: and has a colon"
    assert entities[("Group", LONG_ID)]["data"]["metadata"]["title"] == UNICODE_TITLE
    assert entities[("Group", LONG_ID)]["data"]["metadata"]["description"] == MULTILINE  # a line separator and all
    assert service["spec"]["owner"] == "group:default/" + "a" * 61 + "_a"
    assert service["spec"]["dependsOn"] == ["component:default/null"]
    assert [link["url"] for link in service["metadata"]["links"]][-3:] == GOOD_URLS  # after its page and its SLA
    assert entities[("Group", "yes")]["data"]["metadata"]["tags"] == ["a-b", "ok"]
    notes = "\n".join(made.notes)
    assert notes.count("not an address a browser") == 6 and "the tag `ccc" in notes


def test_a_bad_name_a_dangling_owner_and_a_foreign_field_are_caught(example, tmp_path):
    made, _ = example
    broken = made.text.replace("  name: email-calendar\n", "  name: email calendar!\n", 1)
    broken = broken.replace("  owner: \"group:default/service-desk-team\"\n", "  owner: \"group:default/nobody\"\n", 1)
    broken = broken.replace("apiVersion: backstage.io/v1alpha1\nkind: Group\n", "apiVersion: backstage.io/v1alpha1\nkind: Group\nextra: 1\n", 1)
    assert broken.count("email calendar!") == 1 and "group:default/nobody" in broken and "extra: 1" in broken
    errors = [e for entity in backstage_says(broken, tmp_path)["entities"] for e in entity["result"]["errors"]]
    assert any(re.search(r'"metadata\.name" is not valid;.*"email calendar!"', e) for e in errors), errors
    assert any("no entity group:default/nobody" in e for e in errors)
    # A field at the root that Backstage does not know: the default policies refuse it.
    assert "policy: Malformed envelope, <root> must NOT have additional properties" in errors


@pytest.mark.parametrize("record_id", ["mail", "a-", "ab-", "ab--", "a" * 62 + "-", "0o17", "x-y-"])
def test_names_are_valid_and_tell_ids_apart(record_id):
    name = backstage_name(record_id)
    assert BACKSTAGE_NAME.match(name) and len(name) <= 63
    others = {backstage_name(i) for i in ["mail", "ma-l", "mai-l", "mai_l", "a", "aa", "a-", "aa-", "ab", "a-b", "ab-", "ab--"]
              if i != record_id}
    assert name not in others or name == record_id


def test_an_id_without_a_backstage_name_is_refused():
    with pytest.raises(ExportError, match="no Backstage name"):
        backstage_name("a" + "-" * 62)
