"""The glossary (issue 4): terms linked in built pages, "used in" lists, glossary.json,
Appendix B of agreements, the A-Z page, duplicate names, and the term matcher.

The site tests build a small site of their own (tests/helpers/glossary_site.py) in a
temporary folder with `python -m mkdocs build --strict` and read the HTML.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest

from helpers.catalogue_builder import expect_invalid, problem_lines, validate, write_catalogue
from helpers.glossary_site import (
    AGREEMENT,
    CATALOGUE,
    EXPECTED_APPENDIX_B,
    EXPECTED_USED_IN,
    GLOSSARY_PAGE,
    PAGES,
    SHORT_DEFINITIONS,
    build_site,
    write_site,
)
from helpers.site_build import Node, article, parse_html
from service_catalogue.model import first_sentence
from service_catalogue.site.glossary import TermMatcher, plural_forms

GLOSSARY_URL = "catalogue/glossary/"
SERVICE_PAGE = "catalogue/services/email/index.html"
AGREEMENT_PAGE = "catalogue/agreements/sla-email/index.html"
PARTY_PAGE = "catalogue/parties/it-services/index.html"
SLA = "service-level-agreement"


# --------------------------------------------------------------------------
# Building the small site, once per link mode


class Site:
    def __init__(self, root):
        self.root = root
        self.dir = root / "site"
        self._pages = {}

    def html(self, relative: str) -> str:
        return (self.dir / relative).read_text("utf-8")

    def page(self, relative: str) -> Node:
        if relative not in self._pages:
            self._pages[relative] = parse_html(self.html(relative))
        return self._pages[relative]

    def content(self, relative: str) -> Node:
        return article(self.page(relative))

    def html_files(self) -> list[str]:
        return sorted(p.relative_to(self.dir).as_posix() for p in self.dir.rglob("*.html"))


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    built = {}

    def get(mode: str) -> Site:
        if mode not in built:
            root = write_site(tmp_path_factory.mktemp(f"glossary-{mode}"), None if mode == "default" else mode)
            site_dir, result = build_site(root)
            report = f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
            assert result.returncode == 0, report
            assert not re.search(r"^WARNING\b", result.stdout + result.stderr, re.M), report
            built[mode] = Site(root)
        return built[mode]

    return get


@pytest.fixture(scope="module")
def site(sites) -> Site:
    """The site with the default link mode (first occurrence on each page)."""
    return sites("default")


# --------------------------------------------------------------------------
# Reading term links


def page_url(relative_html: str) -> str:
    """catalogue/services/email/index.html -> catalogue/services/email/"""
    return relative_html[: -len("index.html")] if relative_html.endswith("index.html") else relative_html


def resolve(relative_html: str, href: str) -> str:
    """An href on a page, as a path from the site root (with its #fragment)."""
    absolute = urljoin("http://site/" + page_url(relative_html), href)
    parts = urlsplit(absolute)
    return parts.path.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else "")


def term_links(node: Node) -> list[Node]:
    return node.find_all("a", cls="sc-term-link")


def linked_term(relative_html: str, link: Node) -> str:
    """The term a term link leads to; it must lead to an anchor of the glossary page."""
    target = resolve(relative_html, link.attrs["href"])
    path, _, anchor = target.partition("#")
    assert path == GLOSSARY_URL, f"a term link leads to {target}, not to the glossary"
    return anchor


def links_by_term(relative_html: str, node: Node) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for link in term_links(node):
        found.setdefault(linked_term(relative_html, link), []).append(link.text)
    return found


def paragraph_with(node: Node, words: str) -> Node:
    for p in node.find_all("p"):
        if words in p.text:
            return p
    raise AssertionError(f"no paragraph with {words!r}")


def section_of(content: Node, heading_id: str) -> list:
    """The nodes after the heading with this id, up to the next heading of its level or higher."""
    heading = content.find(id=heading_id)
    assert heading is not None, f"no element with id {heading_id!r}"
    level = int(heading.tag[1])
    siblings = heading.parent.children
    section = []
    for child in siblings[siblings.index(heading) + 1 :]:
        if isinstance(child, Node) and re.fullmatch(r"h[1-6]", child.tag) and int(child.tag[1]) <= level:
            break
        section.append(child)
    return section


def section_node(content: Node, heading_id: str) -> Node:
    """The section after a heading wrapped in one node, to search it."""
    wrapper = Node("#section", {})
    wrapper.children = [child for child in section_of(content, heading_id)]
    return wrapper


# --------------------------------------------------------------------------
# Terms in page text


def test_term_in_a_service_description_is_a_link_with_its_short_definition(site):
    description = site.content(SERVICE_PAGE).find("div", cls="sc-text")
    assert description is not None, "the service page shows no description"
    links = term_links(description)
    assert [link.text for link in links] == ["service level agreement", "incident", "RPO"]
    for link in links:
        term = linked_term(SERVICE_PAGE, link)
        assert link.attrs.get("title") == SHORT_DEFINITIONS[term], link.attrs
    assert [linked_term(SERVICE_PAGE, link) for link in links] == [SLA, "incident", "rpo"]
    # Every anchor that a term link names is there on the glossary page.
    ids = site.page(GLOSSARY_PAGE).ids()
    assert {SLA, "incident", "rpo"} <= ids


def test_the_short_definition_without_a_summary_is_the_first_sentence(site):
    link = term_links(paragraph_with(site.content(SERVICE_PAGE), "RPO of a mailbox"))[-1]
    assert link.text == "RPO"
    assert link.attrs["title"] == "The most data, measured in time, that may be lost after a failure."


def test_second_occurrence_on_a_page_is_not_linked_by_default(site):
    paragraph = paragraph_with(site.content(SERVICE_PAGE), "sets its targets")
    assert paragraph.text.count("service level agreement") == 2
    links = term_links(paragraph)
    assert [link.text for link in links] == ["service level agreement"]
    before, link, after = paragraph.children
    assert link is links[0], "the link is not the first occurrence"
    assert "service level agreement" not in before
    assert "the service level agreement is reviewed" in " ".join(after.split())
    # The agreement's type in the Agreements table is not linked either: already linked above.
    table_row = [tr for tr in site.content(SERVICE_PAGE).find_all("tr") if "Email for staff" in tr.text and "SLA" in tr.text]
    assert table_row and term_links(table_row[0]) == []


def test_default_mode_links_each_term_at_most_once_per_page(site):
    checked = 0
    for relative in site.html_files():
        page = site.page(relative)
        content = page.find("article", cls="md-content__inner")
        if content is None:
            continue
        for term, texts in links_by_term(relative, content).items():
            assert len(texts) == 1, f"{relative}: {term} linked {len(texts)} times: {texts}"
            checked += 1
    assert checked >= 8


def test_all_mode_links_every_occurrence(sites):
    site = sites("all")
    content = site.content(SERVICE_PAGE)
    paragraph = paragraph_with(content, "sets its targets")
    assert [link.text for link in term_links(paragraph)] == ["service level agreement", "service level agreement"]
    assert links_by_term(SERVICE_PAGE, content)[SLA] == ["service level agreement", "service level agreement", "SLA"]
    guide = site.content("guide/index.html")
    assert links_by_term("guide/index.html", guide)[SLA] == ["SLA", "SLA"]
    for link in term_links(content):
        assert link.attrs["title"] == SHORT_DEFINITIONS[linked_term(SERVICE_PAGE, link)]


def test_none_mode_links_nothing_but_still_knows_where_terms_are_used(sites):
    site = sites("none")
    for relative in site.html_files():
        assert "sc-term-link" not in site.html(relative), f"{relative} has a term link in mode none"
    assert used_in_lists(site) == expected_used_in()


@pytest.mark.parametrize("mode", ["default", "all"])
def test_terms_in_code_fences_headings_and_links_are_left_alone(sites, mode):
    site = sites(mode)
    content = site.content("skips/index.html")
    assert term_links(content) == []
    assert [c.text for c in content.find_all("code") if c.parent.tag == "p"] == ["Incident", "RPO"]
    pre = content.find("pre")
    assert pre is not None and "A Policy in a fenced block, and an SLA too." in pre.text
    assert content.find("h2").text == "Incident handling"
    links = [a for a in content.find_all("a") if a.attrs.get("href", "").startswith("https://example.org/")]
    assert [a.text for a in links] == ["the Policy page", "an SLA"]
    assert all(not a.find_all("a")[1:] for a in links), "a link was nested inside a link"


@pytest.mark.parametrize("mode", ["default", "all"])
def test_an_existing_abbreviation_is_left_alone(sites, mode):
    content = sites(mode).content("abbreviations/index.html")
    abbr = content.find("abbr")
    assert abbr is not None and abbr.text == "RPO" and abbr.attrs["title"] == "Recovery point objective"
    assert term_links(content) == []


@pytest.mark.parametrize("mode", ["default", "all"])
def test_an_element_that_has_a_tooltip_already_gets_no_term_link(sites, mode):
    # The agreement's type badge carries its own title (a tooltip): a link inside
    # it would show two tooltips at once.
    content = sites(mode).content(AGREEMENT_PAGE)
    badge = content.find("span", cls="sc-badge--sla")
    assert badge is not None and badge.text == "SLA" and badge.attrs.get("title")
    assert term_links(badge) == []
    # The term is linked elsewhere on the page, outside the badge.
    assert SLA in links_by_term(AGREEMENT_PAGE, content)
    if mode == "all":
        description = links_by_term(AGREEMENT_PAGE, paragraph_with(content, "covers mail for all staff"))
        assert description[SLA] == ["service level agreement"]


@pytest.mark.parametrize("mode", ["default", "all"])
def test_admonition_titles_and_details_summaries_are_left_alone(sites, mode):
    content = sites(mode).content("notes/index.html")
    titles = content.find_all("p", cls="admonition-title") + content.find_all("summary")
    assert [t.text for t in titles] == ["Incident review", "Policy reading"]
    for title in titles:
        assert term_links(title) == [], title.text
    # The bodies are ordinary text.
    body = links_by_term("notes/index.html", paragraph_with(content, "read again after"))
    assert body == {"policy": ["policy"], "incident": ["incident"]}
    second = links_by_term("notes/index.html", paragraph_with(content, "once a year"))
    assert second == ({"policy": ["policy"]} if mode == "all" else {})


@pytest.mark.parametrize("mode", ["default", "all"])
def test_an_abbreviation_in_the_wrong_case_is_left_alone(sites, mode):
    content = sites(mode).content("guide/index.html")
    lower = paragraph_with(content, "Lower case sla")
    assert term_links(lower) == [], "'sla' is not the abbreviation SLA"
    upper = paragraph_with(content, "names its hours")
    links = term_links(upper)
    assert links and links[0].text == "SLA"
    assert linked_term("guide/index.html", links[0]) == SLA


def test_plurals_are_matched(site):
    paragraph = paragraph_with(site.content("guide/index.html"), "Several")
    found = {link.text: linked_term("guide/index.html", link) for link in term_links(paragraph)}
    assert found == {"incidents": "incident", "policies": "policy"}


@pytest.mark.parametrize("mode", ["default", "all"])
def test_a_page_that_opts_out_has_no_term_links(sites, mode):
    site = sites(mode)
    content = site.content("opted-out/index.html")
    assert "An incident under the policy, and the SLA behind it." in content.text
    assert term_links(content) == []
    assert "sc-term-link" not in site.html("opted-out/index.html")


def test_terms_are_linked_in_the_glossary_but_not_in_their_own_entry(site):
    content = site.content(GLOSSARY_PAGE)
    entry = section_node(content, SLA)
    assert "Every SLA names the hours" in entry.text
    found = links_by_term(GLOSSARY_PAGE, entry)
    assert SLA not in found, "the SLA entry links to itself"
    assert found.get("incident") == ["incident"]
    for heading in content.find_all(cls="sc-term"):
        assert term_links(heading) == []


# --------------------------------------------------------------------------
# Where each term is used


def expected_used_in() -> dict[str, set[tuple[str, str]]]:
    return {term: {PAGES[page] for page in pages} for term, pages in EXPECTED_USED_IN.items()}


def used_in_lists(site: Site) -> dict[str, set[tuple[str, str]]]:
    """{term id: {(page title, page URL from the site root)}} read from the glossary page."""
    content = site.content(GLOSSARY_PAGE)
    found = {}
    for div in content.find_all("div", cls="sc-used-in"):
        term = div.attrs["data-term"]
        assert term not in found, f"two used-in lists for {term}"
        links = div.find_all("a")
        found[term] = {(a.text, resolve(GLOSSARY_PAGE, a.attrs["href"])) for a in links}
        assert len(found[term]) == len(links), f"a page is listed twice for {term}"
        if not links:
            assert div.text == "Not used in any page yet.", div.text
        else:
            assert div.text.startswith("Used in: "), div.text
    return found


@pytest.mark.parametrize("mode", ["default", "all"])
def test_each_used_in_list_names_exactly_the_pages_that_use_the_term(sites, mode):
    assert used_in_lists(sites(mode)) == expected_used_in()


def test_used_in_links_lead_to_built_pages(site):
    for term, pages in used_in_lists(site).items():
        for _title, url in pages:
            assert (site.dir / url / "index.html").is_file(), f"{term}: used in {url}, which was not built"


def test_a_term_used_nowhere_says_so(site):
    divs = [d for d in site.content(GLOSSARY_PAGE).find_all("div", cls="sc-used-in") if d.attrs.get("data-term") == "change-freeze"]
    assert len(divs) == 1 and divs[0].text == "Not used in any page yet."


def test_glossary_json_lists_every_term_with_where_it_is_used(site):
    data = json.loads((site.dir / "glossary.json").read_text("utf-8"))
    terms = {term["id"]: term for term in data["terms"]}
    assert len(terms) == len(data["terms"]) == data["count"] == len(SHORT_DEFINITIONS)
    assert set(terms) == set(SHORT_DEFINITIONS)
    expected = expected_used_in()
    for term_id, term in terms.items():
        assert term["summary"] == SHORT_DEFINITIONS[term_id]
        assert term["url"] == f"{GLOSSARY_URL}#{term_id}"
        assert {(page["title"], page["url"]) for page in term["used_in"]} == expected[term_id], term_id
    assert terms[SLA]["abbreviation"] == "SLA" and terms[SLA]["aliases"] == ["service level agreements"]
    assert terms["incident"]["abbreviation"] is None and terms["incident"]["see_also"] == [SLA]


# --------------------------------------------------------------------------
# Appendix B of an agreement


def appendix_entries(relative_html: str, nodes: list) -> dict[str, str]:
    """Appendix B's glossary entries (its section's nodes): term id -> "heading line: definition"."""
    nodes = [n for n in nodes if isinstance(n, Node)]
    # The entries sit in a wrapper that the term linker skips.
    nodes = [c for n in nodes for c in (n.children if "sc-no-term-links" in n.classes else [n]) if isinstance(c, Node)]
    entries = {}
    for index, node in enumerate(nodes):
        links = [a for a in node.find_all("a") if "sc-term-link" not in a.classes] if node.tag == "p" else []
        if links and node.find("strong") is not None:
            definition = nodes[index + 1]
            assert definition.tag == "div" and "sc-text" in definition.classes, node.text
            entries[linked_term(relative_html, links[0])] = f"{node.text}: {' '.join(definition.text.split())}"
    return entries


def test_appendix_b_lists_the_terms_the_agreement_uses_with_their_whole_definitions(site):
    # Defect (issue 15): Appendix B showed only the first sentence, though the guide says
    # "with its definition".
    content = site.content(AGREEMENT_PAGE)
    appendix = section_node(content, "glossary")
    entries = appendix_entries(AGREEMENT_PAGE, section_of(content, "glossary"))
    assert set(entries) == EXPECTED_APPENDIX_B
    assert entries[SLA] == (
        "Service level agreement (SLA): An agreement between a service provider and a customer. Every SLA names "
        "the hours in which its clock runs. An incident is measured against it."
    )
    assert entries["incident"] == "Incident: An unplanned interruption to a service. Each incident is logged."
    assert "Definitions in this agreement" not in appendix.text  # it has none of its own
    # A definition's words are not the agreement's text: not linked (so not counted in "used in").
    assert term_links(appendix) == []


# --------------------------------------------------------------------------
# The A-Z page


def test_the_a_to_z_page_has_a_letter_index_and_an_anchor_per_term(site):
    content = site.content(GLOSSARY_PAGE)
    letters = content.find("p", cls="sc-letters")
    assert letters is not None, "no letter index"
    links = letters.find_all("a")
    assert [a.text for a in links] == ["C", "I", "P", "R", "S"]
    assert [a.attrs["href"] for a in links] == ["#letter_c", "#letter_i", "#letter_p", "#letter_r", "#letter_s"]
    for a in links:
        target = content.find(id=a.attrs["href"][1:])
        assert target is not None and target.tag == "h2" and target.text.startswith(a.text)
    headings = {h.attrs["id"]: h for h in content.find_all(cls="sc-term")}
    assert set(headings) == set(SHORT_DEFINITIONS)
    assert headings["rpo"].text.startswith("Recovery point objective (RPO)")
    assert headings[SLA].text.startswith("Service level agreement (SLA)")
    assert headings["policy"].text.startswith("Policy")
    # Each term sits under its letter.
    for term_id, letter in {"change-freeze": "c", "incident": "i", "policy": "p", "rpo": "r", SLA: "s"}.items():
        assert headings[term_id] in section_of(content, f"letter_{letter}")


def test_a_term_entry_shows_aliases_definition_see_also_and_source(site):
    content = site.content(GLOSSARY_PAGE)
    sla = section_node(content, SLA)
    assert "Also: service level agreements" in sla.text
    assert "An agreement between a service provider and a customer." in sla.text
    incident = section_node(content, "incident")
    assert "An unplanned interruption to a service. Each incident is logged." in incident.text
    see_also = [a for a in incident.find_all("a") if "sc-term-link" not in a.classes and a.text == "Service level agreement"]
    assert see_also and resolve(GLOSSARY_PAGE, see_also[0].attrs["href"]) == f"{GLOSSARY_URL}#{SLA}"
    assert "Source: ITIL 4 glossary" in incident.text


def test_search_finds_terms_by_title_abbreviation_and_alias(site):
    index = json.loads((site.dir / "search" / "search_index.json").read_text("utf-8"))
    entries = {doc["location"]: doc for doc in index["docs"]}
    rpo = entries.get(f"{GLOSSARY_URL}#rpo")
    assert rpo is not None and "Recovery point objective" in rpo["title"] and "RPO" in rpo["title"]
    sla = entries.get(f"{GLOSSARY_URL}#{SLA}")
    assert sla is not None and "service level agreements" in sla["text"]


# --------------------------------------------------------------------------
# Two terms sharing a name


def _line_of(text: str, needle: str) -> int:
    lines = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) == 1, (needle, lines)
    return lines[0]


BASE_TERM_FILE = "catalogue/glossary/sla.yaml"  # catalogue_builder's Term service-level-agreement
BASE_TITLE_LINE, BASE_ABBREVIATION_LINE = 4, 5

OTHER_TERM = """\
apiVersion: catalogue/v1
kind: Term
id: other-term
title: {title}
{extra}definition: Something else.
"""


@pytest.mark.parametrize(
    "title, extra, needle, base_line",
    [
        ("Service agreement", "abbreviation: SLA\n", "abbreviation: SLA", BASE_ABBREVIATION_LINE),
        ("SERVICE LEVEL AGREEMENT", "", "title: SERVICE", BASE_TITLE_LINE),
        ("Service pledge", "aliases: [Service Level Agreement]\n", "aliases:", BASE_TITLE_LINE),
        ("Service pledge", "aliases: [SLA]\n", "aliases:", BASE_ABBREVIATION_LINE),
    ],
    ids=["abbreviation", "title-case-insensitive", "alias-vs-title", "alias-vs-abbreviation"],
)
def test_two_terms_sharing_a_name_is_an_error_naming_both(tmp_path, title, extra, needle, base_line):
    other = OTHER_TERM.format(title=title, extra=extra)
    write_catalogue(tmp_path, {"glossary/zz-other.yaml": other})
    proc = validate(tmp_path)
    expect_invalid(proc, 1)
    assert_names_both(
        proc.stdout,
        {("service-level-agreement", f"{BASE_TERM_FILE}:{base_line}:"),
         ("other-term", f"catalogue/glossary/zz-other.yaml:{_line_of(other, needle)}:")},
    )


def test_two_terms_sharing_an_alias_in_another_case_is_an_error(tmp_path):
    terms = """\
apiVersion: catalogue/v1
kind: Term
id: availability
title: Availability
aliases: [uptime]
definition: The share of the agreed hours in which a service works.
---
apiVersion: catalogue/v1
kind: Term
id: reliability
title: Reliability
aliases: [dependability, Uptime]
definition: How rarely a service fails.
"""
    write_catalogue(tmp_path, {"glossary/more.yaml": terms})
    proc = validate(tmp_path)
    expect_invalid(proc, 1)
    assert_names_both(
        proc.stdout,
        {("availability", "catalogue/glossary/more.yaml:5:"), ("reliability", "catalogue/glossary/more.yaml:12:")},
    )


def assert_names_both(stdout: str, expected: set[tuple[str, str]]) -> None:
    """The one error names both terms, and gives the file:line of each (one as see also)."""
    (line,) = problem_lines(stdout)
    assert "[term.duplicate-name]" in line, line
    for term_id, _location in expected:
        assert term_id in line, f"{term_id} not named in {line}"
    see_also = [l.strip()[len("see also: ") :] for l in stdout.splitlines() if l.strip().startswith("see also: ")]
    assert len(see_also) == 1, stdout
    locations = {line.split(": error: ")[0], see_also[0]}
    for _term_id, location in expected:
        assert any(found.startswith(location) for found in locations), f"{location} not in {locations}\n{stdout}"


def test_a_term_may_use_its_own_abbreviation_as_an_alias(tmp_path):
    term = """\
apiVersion: catalogue/v1
kind: Term
id: service-level-agreement
title: Service level agreement
abbreviation: SLA
aliases: [SLAs, service level agreements]
definition: An agreement between a service provider and a customer.
"""
    write_catalogue(tmp_path, {"glossary/sla.yaml": term})
    proc = validate(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------
# TermMatcher


def term(term_id, title, abbreviation="", aliases=()):
    return SimpleNamespace(id=term_id, title=title, abbreviation=abbreviation, aliases=list(aliases))


TERMS = [
    term("service", "Service"),
    term(SLA, "Service level agreement", "SLA", ["service level agreements"]),
    term("incident", "Incident"),
    term("policy", "Policy"),
    term("rpo", "Recovery point objective", "RPO"),
    term("fix", "Fix"),
]


@pytest.fixture(scope="module")
def matcher():
    return TermMatcher(TERMS)


def found(matcher, text):
    return [(m.text, m.term_id) for m in matcher.find(text)]


def test_the_longest_match_wins(matcher):
    assert found(matcher, "The service level agreement of the service.") == [
        ("service level agreement", SLA),
        ("service", "service"),
    ]
    assert found(matcher, "a service level objective") == [("service", "service")]


def test_match_positions_are_the_text_itself(matcher):
    text = "Every incident breaks the SLA."
    for match in matcher.find(text):
        assert text[match.start : match.end] == match.text


def test_whole_words_only(matcher):
    for text in ("SLAB", "The SLAB fell", "RESLA", "SLA2", "incidental", "policyholder", "servicing"):
        assert found(matcher, text) == [], text
    assert found(matcher, "(SLA), SLA. SLA!") == [("SLA", SLA)] * 3


def test_a_multi_word_term_across_a_line_break(matcher):
    text = "we agreed a service level\nagreement and a recovery  point\n   objective"
    assert found(matcher, text) == [
        ("service level\nagreement", SLA),
        ("recovery  point\n   objective", "rpo"),
    ]


def test_words_split_by_punctuation_are_not_a_term(matcher):
    assert found(matcher, "service, level agreement") == [("service", "service")]


def test_abbreviations_match_in_their_exact_case_only(matcher):
    assert found(matcher, "sla Sla sLA") == []
    assert found(matcher, "SLA") == [("SLA", SLA)]
    assert found(matcher, "two SLAs") == [("SLAs", SLA)]
    assert found(matcher, "rpo RPO") == [("RPO", "rpo")]


def test_titles_and_aliases_match_in_any_case(matcher):
    assert found(matcher, "SERVICE LEVEL AGREEMENT") == [("SERVICE LEVEL AGREEMENT", SLA)]
    assert found(matcher, "Service Level Agreements") == [("Service Level Agreements", SLA)]
    assert found(matcher, "INCIDENT Incident incident") == [("INCIDENT", "incident"), ("Incident", "incident"), ("incident", "incident")]


def test_plurals(matcher):
    assert found(matcher, "incidents and policies and fixes") == [
        ("incidents", "incident"),
        ("policies", "policy"),
        ("fixes", "fix"),
    ]
    assert found(matcher, "recovery point objectives") == [("recovery point objectives", "rpo")]
    assert plural_forms("policy") == ["policies"]
    assert plural_forms("day") == ["days"]
    assert plural_forms("service level agreement") == ["service level agreements"]
    assert plural_forms("box") == ["boxes"]


def test_term_ids_of_a_text(matcher):
    assert matcher.term_ids("An incident broke the SLA and the RPO.") == {"incident", SLA, "rpo"}
    assert matcher.term_ids("Nothing here.") == set()


# --------------------------------------------------------------------------
# TermLinker on page HTML


@pytest.fixture(scope="module")
def linker():
    from service_catalogue.site.term_links import TermLinker

    by_id = {t.id: SimpleNamespace(id=t.id, short_definition=f"About {t.title}.") for t in TERMS}
    return lambda mode="first": TermLinker(TermMatcher(TERMS), by_id, mode)


def linked(linker, html, mode="first"):
    out, used = linker(mode).process(html, "../glossary/")
    return [(a.text, a.attrs["href"]) for a in term_links(parse_html(out))], used, out


def test_linker_skips_elements_that_have_a_tooltip_of_their_own(linker):
    links, used, _ = linked(linker, '<p><span class="sc-badge" title="Service level agreement">SLA</span> and the SLA.</p>')
    assert links == [("SLA", f"../glossary/#{SLA}")]
    links, _, out = linked(linker, '<p><span title="t"><span>SLA</span> SLA</span> <span>SLA</span></p>', "all")
    assert links == [("SLA", f"../glossary/#{SLA}")] and out.endswith('</a></span></p>')


def test_linker_a_void_element_with_a_title_does_not_swallow_the_rest(linker):
    links, _, _ = linked(linker, '<p><img alt="" src="x.png" title="A picture"> The incident.</p>')
    assert links == [("incident", "../glossary/#incident")]


def test_linker_skips_admonition_titles_and_summaries(linker):
    html = (
        '<div class="admonition note"><p class="admonition-title">Incident</p><p>An incident.</p></div>'
        "<details><summary>Policy</summary><p>A policy.</p></details>"
    )
    links, used, _ = linked(linker, html)
    assert links == [("incident", "../glossary/#incident"), ("policy", "../glossary/#policy")]
    assert used == {"incident", "policy"}


def test_linker_leaves_comments_and_escaped_text_intact(linker):
    html = "<p><!-- an SLA --> R&amp;D &lt;b&gt; SLA &quot;x&quot;</p>"
    links, used, out = linked(linker, html)
    assert links == [("SLA", f"../glossary/#{SLA}")]
    assert out.startswith("<p><!-- an SLA --> R&amp;D &lt;b&gt; <a ")
    assert parse_html(out).find("p").text == parse_html(html).find("p").text


def test_linker_usage_is_collected_without_links(linker):
    out, used = linker().process("<p>An incident under the policy.</p>", "g/", link=False)
    assert out == "<p>An incident under the policy.</p>" and used == {"incident", "policy"}
    out, used = linker("none").process("<p>An incident.</p><code>SLA</code>", "g/")
    assert "sc-term-link" not in out and used == {"incident"}


# --------------------------------------------------------------------------
# An agreement's own definitions (format 1.1), and a first sentence past "U.S."

OWN_DEFINITIONS_AGREEMENT = AGREEMENT.replace(
    "  handled before anything else.\n",
    "  handled before anything else. Mail is hosted under FedRAMP.\n"
    "definitions:\n"
    "  - term: INCIDENT\n"
    "    definition: |\n"
    "      Any **fault** of the mail service that a user reports.\n"
    "\n"
    "      Questions are not incidents.\n",
)
FEDRAMP = """\
---
apiVersion: catalogue/v1
kind: Term
id: fedramp
title: FedRAMP
definition: |
  A programme of the U.S. federal government, e.g. for cloud providers. It authorises cloud services.
"""


@pytest.fixture(scope="module")
def own_definitions(tmp_path_factory) -> Site:
    assert OWN_DEFINITIONS_AGREEMENT != AGREEMENT
    catalogue = {
        **CATALOGUE,
        "agreements/sla-email.yaml": OWN_DEFINITIONS_AGREEMENT,
        "glossary/terms.yaml": CATALOGUE["glossary/terms.yaml"] + FEDRAMP,
    }
    root = write_site(tmp_path_factory.mktemp("own-definitions"), catalogue=catalogue)
    _site_dir, result = build_site(root)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return Site(root)


def test_own_definitions_come_first_in_appendix_b_and_replace_the_glossary_term(own_definitions):
    content = own_definitions.content(AGREEMENT_PAGE)
    nodes = section_of(content, "glossary")
    headings = [n for n in nodes if isinstance(n, Node) and n.tag == "h3"]
    assert [h.text.strip() for h in headings] == ["Definitions in this agreement", "Glossary terms"]
    own = section_node(content, "definitions")
    assert "INCIDENT" in own.find("strong").text
    definition = own.find("div", cls="sc-text")
    assert [strong.text for strong in definition.find_all("strong")] == ["fault"]  # Markdown, rendered
    assert "Questions are not incidents." in definition.text
    # The glossary's Incident is not listed (the agreement's own stands for it); SLA and FedRAMP are.
    entries = appendix_entries(AGREEMENT_PAGE, section_of(content, "glossary-terms"))
    assert set(entries) == {SLA, "fedramp"}
    # Nowhere on this page is "incident" a glossary link (nor its tooltip); elsewhere it is.
    assert "incident" not in links_by_term(AGREEMENT_PAGE, content)
    assert "major incident" in content.text.casefold()
    assert "incident" in links_by_term(SERVICE_PAGE, own_definitions.content(SERVICE_PAGE))
    # ... and the glossary no longer counts the agreement as using its Incident.
    data = json.loads((own_definitions.dir / "glossary.json").read_text("utf-8"))
    used = {term["id"]: {page["url"] for page in term["used_in"]} for term in data["terms"]}
    assert PAGES["sla-email"][1] not in used["incident"]
    assert PAGES["sla-email"][1] in used[SLA]
    # Exported as written.
    exported = json.loads((own_definitions.dir / "catalogue.json").read_text("utf-8"))
    [agreement] = [r for r in exported["records"] if r["id"] == "sla-email"]
    assert agreement["data"]["definitions"] == [
        {"term": "INCIDENT", "definition": "Any **fault** of the mail service that a user reports.\n\nQuestions are not incidents.\n"}
    ]


def test_the_first_sentence_is_not_cut_at_an_abbreviation(own_definitions):
    # Defect (issue 15): "the U.S. federal government" was cut to "... of the U.S." in tooltips and glossary.json.
    first = "A programme of the U.S. federal government, e.g. for cloud providers."
    link = term_links(paragraph_with(own_definitions.content(AGREEMENT_PAGE), "hosted under"))[-1]
    assert (link.text, link.attrs["title"]) == ("FedRAMP", first)
    data = json.loads((own_definitions.dir / "glossary.json").read_text("utf-8"))
    assert {term["id"]: term["summary"] for term in data["terms"]}["fedramp"] == first


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("An agency of the U.S. federal government. It does more.", "An agency of the U.S. federal government."),
        ("Tools, e.g. a wiki, i.e. shared pages, etc. Then more.", "Tools, e.g. a wiki, i.e. shared pages, etc. Then more."),
        ("Agreed by Dr. Smith and J. Doe. Signed later.", "Agreed by Dr. Smith and J. Doe."),
        ("Release 1.5 of the tool. The next one.", "Release 1.5 of the tool."),
        ("Is it down? Then call.", "Is it down?"),
        ("One sentence only", "One sentence only"),
    ],
)
def test_first_sentence(text, first):
    assert first_sentence(text) == first
