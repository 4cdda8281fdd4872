"""Exports and links out of the site: catalogue.json, glossary.json, `service-catalogue render`,
`[[id]]` short links in hand-written pages, and "edit this page" on record pages.

The exports and the links are checked with `use_directory_urls` true and false
(any_built_site): every URL must name a page that was built either way.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest
import yaml

from helpers.catalogue_builder import run_cli
from helpers.site_build import (
    KIND_FOLDERS,
    REPO,
    SECTION,
    article,
    copy_project,
    describe,
    record_page,
    repo_url_of,
    resolve_link,
    run_mkdocs_build,
)

SHORT_LINK = re.compile(r"\[\[\s*([a-z0-9][a-z0-9-]*)\s*(?:\|[^\]]*)?\]\]")


# --------------------------------------------------------------------------
# References, read from the format itself: every `$ref` to defs.json's
# partyId, serviceId, agreementId, calendarId or termId is a reference field.

_ID_DEFS = {"partyId": "Party", "serviceId": "Service", "agreementId": "Agreement", "calendarId": "Calendar", "termId": "Term"}


def _schemas() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text("utf-8")) for path in (REPO / "schema").glob("*.json")}


def references_from_schema(kind: str, data: dict, schemas: dict) -> set[tuple[tuple, str, str]]:
    """{(path, kind named, id)} for every reference in a record, by walking its schema."""
    found: set[tuple[tuple, str, str]] = set()

    def follow(ref: str, current: str):
        file, _, pointer = ref.partition("#")
        file = file or current
        node = schemas[file]
        for step in [s for s in pointer.split("/") if s]:
            node = node[step]
        return node, file

    def walk(schema, value, path, file, depth=0):
        if not isinstance(schema, dict) or depth > 50:
            return
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name in _ID_DEFS:
                if isinstance(value, str):
                    found.add((path, _ID_DEFS[name], value))
                return
            target, target_file = follow(ref, file)
            walk(target, value, path, target_file, depth + 1)
        for keyword in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(keyword, []):
                walk(sub, value, path, file, depth + 1)
        for keyword in ("then", "else"):
            walk(schema.get(keyword), value, path, file, depth + 1)
        if isinstance(value, dict):
            for key, sub in (schema.get("properties") or {}).items():
                if key in value:
                    walk(sub, value[key], path + (key,), file, depth + 1)
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            for index, item in enumerate(value):
                walk(schema["items"], item, path + (index,), file, depth + 1)

    walk(schemas[f"{kind.lower()}.json"], data, (), f"{kind.lower()}.json")
    return found


def _field_of(path) -> str:
    """("offerings", 0, "agreement") -> "offerings[].agreement"."""
    text = ""
    for part in path:
        text += "[]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@pytest.fixture(scope="module")
def catalogue_json(any_built_site):
    path = any_built_site.path("catalogue.json")
    assert path.is_file(), "no catalogue.json at the site root"
    return json.loads(path.read_text("utf-8"))


def test_catalogue_json_lists_every_record(catalogue_json, catalogue_records):
    listed = [(item["kind"], item["id"]) for item in catalogue_json["records"]]
    assert len(listed) == len(set(listed)), "a record is listed twice"
    assert set(listed) == {(r.kind, r.id) for r in catalogue_records}
    assert catalogue_json.get("count") == len(catalogue_records)
    by_key = {(item["kind"], item["id"]): item for item in catalogue_json["records"]}
    for record in catalogue_records:
        item = by_key[(record.kind, record.id)]
        assert item["title"] == record.data["title"], record.id
        assert item["data"] == json.loads(json.dumps(record.data, default=str)), f"{record.id}: data differs from the YAML"


def test_catalogue_json_resolves_every_reference(catalogue_json, catalogue_records):
    schemas = _schemas()
    by_key = {(item["kind"], item["id"]): item for item in catalogue_json["records"]}
    problems = []
    total = 0
    for record in catalogue_records:
        item = by_key[(record.kind, record.id)]
        expected = references_from_schema(record.kind, record.data, schemas)
        total += len(expected)
        listed = {(tuple(ref["path"]), ref["kind"], ref["id"]) for ref in item["references"]}
        if listed != expected:
            problems.append(
                f"{record.kind} {record.id}: missing {sorted(expected - listed)}, unexpected {sorted(listed - expected)}"
            )
        for ref in item["references"]:
            if ref["field"] != _field_of(ref["path"]):
                problems.append(f"{record.id}: reference at {ref['path']} has field {ref['field']!r}")
            target = by_key.get((ref["kind"], ref["id"]))
            if target is None:
                problems.append(f"{record.id}: {ref['field']} names {ref['kind']} {ref['id']}, not in catalogue.json")
                continue
            back = {"field": ref["field"], "kind": record.kind, "id": record.id}
            if back not in target["referenced_by"]:
                problems.append(f"{ref['kind']} {ref['id']}: referenced_by lacks {back}")
    # and nothing in referenced_by that no reference explains
    for item in catalogue_json["records"]:
        for back in item["referenced_by"]:
            source = by_key.get((back["kind"], back["id"]))
            if source is None or not any(
                r["id"] == item["id"] and r["kind"] == item["kind"] and r["field"] == back["field"] for r in source["references"]
            ):
                problems.append(f"{item['kind']} {item['id']}: referenced_by {back} has no matching reference")
    assert total > len(catalogue_records), "the walk of the schemas found almost no references: is it right?"
    assert not problems, "\n".join(problems)


def test_catalogue_json_urls_lead_to_the_record_pages(any_built_site, catalogue_json):
    built_site = any_built_site
    problems = []
    for item in catalogue_json["records"]:
        url = item.get("url")
        if not url:
            problems.append(f"{item['kind']} {item['id']}: no url")
            continue
        target, fragment, reason = resolve_link(built_site, "index.html", url)
        if target is None:
            problems.append(f"{item['kind']} {item['id']}: {url}: {reason}")
        elif item["kind"] == "Term":
            if fragment != item["id"] or item["id"] not in built_site.page(target).ids():
                problems.append(f"Term {item['id']}: {url} is not its glossary entry")
        elif target != built_site.record_page(item["kind"], item["id"]):
            problems.append(f"{item['kind']} {item['id']}: {url} leads to {target}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# glossary.json and the glossary's "used in" lists


def _page_of(site, url: str, base: str = "index.html") -> str | None:
    """The page a URL in the page `base` leads to, named the same with either use_directory_urls:
    catalogue/glossary/ and catalogue/glossary.html are both "catalogue/glossary"."""
    target, _, _ = resolve_link(site, base, url)
    if target is None:
        return None
    return re.sub(r"(/?index)?\.html$", "", target)


def _glossary_json(site) -> dict:
    path = site.path("glossary.json")
    assert path.is_file(), "no glossary.json at the site root"
    return json.loads(path.read_text("utf-8"))


def test_glossary_json_urls_lead_to_the_glossary_and_the_pages_that_use_each_term(any_built_site):
    site = any_built_site
    problems, used = [], 0
    for term in _glossary_json(site)["terms"]:
        target, fragment, reason = resolve_link(site, "index.html", term["url"])
        if target != site.glossary_page or fragment != term["id"]:
            problems.append(f"{term['id']}: {term['url']} is not its glossary entry ({target}, {reason})")
        for page in term["used_in"]:
            used += 1
            if resolve_link(site, "index.html", page["url"])[0] is None:
                problems.append(f"{term['id']}: used in {page['url']}, which was not built")
    assert used > 100, f"only {used} uses of terms: is the example's glossary still linked?"
    assert not problems, "\n".join(problems)


def _used_in_lists(site) -> dict[str, list[tuple[str, str | None]]]:
    """Each term's "used in" list on the glossary page: (title, page) for every link."""
    glossary = site.page(site.glossary_page)
    lists = {}
    for block in glossary.find_all("div", cls="sc-used-in"):
        links = block.find_all("a")
        lists[block.attrs["data-term"]] = [(a.text, _page_of(site, a.attrs["href"], site.glossary_page)) for a in links]
        if not links:
            assert block.text == "Not used in any page yet.", f"{block.attrs['data-term']}: {block.text!r}"
    return lists


def test_used_in_lists_are_the_same_without_directory_urls(built_site, built_site_without_directory_urls):
    """The glossary page's lists and glossary.json's: the same pages, hand-written ones too."""
    default, flat = built_site, built_site_without_directory_urls
    default_lists, flat_lists = _used_in_lists(default), _used_in_lists(flat)
    assert default_lists.keys() == {term["id"] for term in _glossary_json(default)["terms"]}
    hand_written = {page for pages in default_lists.values() for _, page in pages if page and not page.startswith(f"{SECTION}/")}
    assert len(hand_written) > 5, f"the example's hand-written pages use few terms: {hand_written}"
    assert flat_lists == default_lists

    def exported(site):  # glossary.json lists each term's pages by URL, so in another order
        return {
            term["id"]: sorted((page["title"], _page_of(site, page["url"])) for page in term["used_in"])
            for term in _glossary_json(site)["terms"]
        }

    assert exported(flat) == exported(default)
    assert exported(default) == {term: sorted(pages) for term, pages in default_lists.items()}


# --------------------------------------------------------------------------
# service-catalogue render OUTDIR


def _front_matter(text: str) -> dict:
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert match, "the page has no YAML front matter"
    return yaml.safe_load(match.group(1))


def test_render_writes_a_markdown_page_per_record(built_site, catalogue_records, tmp_path):
    out = tmp_path / "out"
    result = run_cli(tmp_path, "render", str(out), "--catalogue", str(built_site.project / "catalogue"))
    assert result.returncode == 0, describe(result)
    problems = []
    for kind, folder in KIND_FOLDERS.items():
        records = [r for r in catalogue_records if r.kind == kind]
        written = {p.stem for p in (out / SECTION / folder).glob("*.md")} - {"index"}
        if written != {r.id for r in records}:
            problems.append(f"{kind}: pages {sorted(written)} for records {sorted(r.id for r in records)}")
        for record in records:
            page = out / SECTION / folder / f"{record.id}.md"
            if not page.is_file():
                continue
            text = page.read_text("utf-8")
            # the title may be HTML-escaped there (themes print page titles raw)
            if html.unescape(str(_front_matter(text).get("title"))) != record.data["title"]:
                problems.append(f"{page}: front matter title is not {record.data['title']!r}")
            if not re.search(r"^# \S", text, re.M):
                problems.append(f"{page}: no level-1 heading")
        if not (out / SECTION / folder / "index.md").is_file():
            problems.append(f"{kind}: no index page {SECTION}/{folder}/index.md")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# [[id]] in hand-written pages


def test_short_links_in_docs_become_links_to_the_record(any_built_site, catalogue_records):
    built_site = any_built_site
    by_id = {r.id: r for r in catalogue_records}
    source = (built_site.project / "docs" / "index.md").read_text("utf-8")
    ids = SHORT_LINK.findall(source)
    assert ids, "the example docs/index.md uses no [[id]] link"
    page = article(built_site.page("index.html"))
    assert "[[" not in page.text, "a [[...]] was left in the page"
    for record_id in ids:
        record = by_id[record_id]
        wanted = built_site.record_page(record.kind, record.id) if record.kind != "Term" else None
        links = []
        for a in page.find_all("a"):
            target, fragment, _ = resolve_link(built_site, "index.html", a.attrs.get("href", ""))
            if target is None:
                continue
            if (wanted and target == wanted) or (record.kind == "Term" and fragment == record.id):
                links.append(a)
        assert links, f"index.html has no link to the page of [[{record_id}]]"
        assert any(record.data["title"] in a.text for a in links), f"the link to {record_id} does not show its title"


def test_unknown_short_link_warns_and_fails_strict_build(tmp_path):
    """An unknown id is a build warning (so --strict fails) that names the id, the page and its line."""
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "index.md"
    text = page.read_text("utf-8")
    line = text.count("\n") + 2
    page.write_text(text + "\nSee also [[no-such-id]] for nothing.\n", encoding="utf-8")

    build = run_mkdocs_build(project, tmp_path / "site", strict=True)
    assert build.returncode != 0, f"--strict passed with an unknown [[id]]\n{describe(build)}"
    named = [l for l in (build.stdout + build.stderr).splitlines() if "no-such-id" in l]
    assert named, f"no message names no-such-id\n{describe(build)}"
    assert any(l.startswith("WARNING") for l in named), f"the unknown id is not a warning\n{describe(build)}"
    assert any(f"index.md:{line}" in l for l in named), f"the message does not give index.md:{line}\n{describe(build)}"


# --------------------------------------------------------------------------
# "Edit this page"


def _edit_link(built_site, relative):
    found = [a for a in built_site.page(relative).find_all("a") if "edit" in a.attrs.get("rel", "").split()]
    assert len(found) == 1, f"{relative}: {len(found)} edit links"
    return found[0].attrs["href"]


def test_edit_link_of_record_pages_opens_the_yaml_record(built_site, catalogue_records):
    repo_url = repo_url_of(built_site.project).rstrip("/")
    assert repo_url, "the example mkdocs.yml has no repo_url"
    problems = []
    for record in catalogue_records:
        if record.kind not in KIND_FOLDERS:
            continue
        relative = record_page(record.kind, record.id)
        yaml_file = Path(os.path.relpath(record.path.resolve(), built_site.project.resolve())).as_posix()
        expected = f"{repo_url}/edit/main/{yaml_file}"
        href = _edit_link(built_site, relative)
        if href != expected:
            problems.append(f"{relative}: edit link {href}, expected {expected}")
    assert not problems, "\n".join(problems)


def test_edit_link_of_hand_written_pages_is_unchanged(built_site):
    """docs/ pages keep MkDocs' own edit link: repo_url + edit_uri + the page."""
    config = (built_site.project / "mkdocs.yml").read_text("utf-8")
    edit_uri = re.search(r"^edit_uri:\s*['\"]?([^'\"\s]+)", config, re.M).group(1)
    repo_url = repo_url_of(built_site.project).rstrip("/")
    assert _edit_link(built_site, "index.html") == f"{repo_url}/{edit_uri.strip('/')}/index.md"
