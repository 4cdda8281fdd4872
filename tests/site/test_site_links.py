"""A link check over all the HTML of the built example site.

Every internal reference (<a href>, <link href>, <script src>, <img src>, ...)
must lead to a file of the site, and every #fragment to an id in the page it
names, with `use_directory_urls` true and false. All broken links are reported at once.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from helpers.site_build import BuiltSite, resolve_link, site_url_of

# The attributes that reference another resource, per element.
LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "iframe": ("src",),
}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "data", "ftp"}


def internal_target(url: str, site_url: str) -> str | None:
    """The URL with the site's own absolute address made root-relative; None when external."""
    if site_url and url.startswith(site_url):
        return "/" + url[len(site_url):].lstrip("/")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:  # http:, mailto:, //host/...: not ours to check
        if parts.scheme and parts.scheme not in EXTERNAL_SCHEMES:
            return url  # javascript:, file: and the like are reported as broken
        return None
    return url


def test_every_internal_link_and_anchor_resolves(any_built_site, catalogue_records):
    """With use_directory_urls true and false: MkDocs' URLs, ours and those in record text."""
    built_site = any_built_site
    site_url = site_url_of(built_site.project)
    pages = built_site.html_files()
    record_pages = sum(1 for record in catalogue_records if record.kind != "Term")
    assert len(pages) > record_pages, f"expected the whole example site, found {len(pages)} HTML files"
    ids_of: dict[str, set[str]] = {}
    broken: list[str] = []
    checked = anchors = 0
    for page in pages:
        document = built_site.page(page)
        for node in document.iter():
            for attribute in LINK_ATTRIBUTES.get(node.tag, ()):
                if attribute not in node.attrs:
                    continue
                url = node.attrs[attribute].strip()
                if node.tag == "link" and "preconnect" in node.attrs.get("rel", "").split():
                    continue  # a connection hint to a host, not a resource
                target_url = internal_target(url, site_url)
                if target_url is None:
                    continue
                checked += 1
                target, fragment, reason = resolve_link(built_site, page, target_url)
                if target is None:
                    broken.append(f"{page}: <{node.tag} {attribute}={url!r}>: {reason}")
                    continue
                if not fragment:
                    continue
                anchors += 1
                if not target.endswith(".html"):
                    broken.append(f"{page}: <{node.tag} {attribute}={url!r}>: #{fragment} in a non-HTML file")
                    continue
                if target not in ids_of:
                    ids_of[target] = built_site.page(target).ids()
                if fragment not in ids_of[target]:
                    broken.append(f"{page}: <{node.tag} {attribute}={url!r}>: no id {fragment!r} in {target}")
    assert checked > 10 * len(pages) and anchors > len(pages), f"too few links checked ({checked}, {anchors} with anchors): is the parser right?"
    assert not broken, f"{len(broken)} broken internal links of {checked}:\n" + "\n".join(broken)


# --------------------------------------------------------------------------
# The checker itself must catch what it claims to


def test_the_checker_finds_broken_links_and_anchors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2>', encoding="utf-8")
    (tmp_path / "style.css").write_text("", encoding="utf-8")
    site = BuiltSite(tmp_path, tmp_path, None)
    assert resolve_link(site, "index.html", "a/")[0] == "a/index.html"
    assert resolve_link(site, "a/index.html", "../style.css")[0] == "style.css"
    assert resolve_link(site, "a/index.html", "#here") == ("a/index.html", "here", "")
    assert resolve_link(site, "a/index.html", "../b/")[0] is None
    assert resolve_link(site, "a/index.html", "../../x")[0] is None
    assert resolve_link(site, "index.html", "/a/#here") == ("a/index.html", "here", "")
    assert internal_target("https://example.org/x", "https://site.example/") is None
    assert internal_target("https://site.example/a/", "https://site.example/") == "/a/"
    assert internal_target("mailto:x@example.org", "") is None
    assert site.page("a/index.html").ids() == {"here"}
