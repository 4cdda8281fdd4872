"""The Mermaid the plugin serves is the npm package that package.json pins, byte for byte,
with its licence: `npm ci` then scripts/vendor_mermaid.py brings a new version in."""

from __future__ import annotations

import json

from helpers.site_build import REPO

VENDORED = REPO / "plugins" / "service_catalogue" / "site" / "assets" / "mermaid"
PACKAGE = REPO / "node_modules" / "mermaid"


def test_the_served_mermaid_is_the_pinned_npm_package_with_its_licence():
    pinned = json.loads((REPO / "package.json").read_text("utf-8"))["devDependencies"]["mermaid"]
    installed = json.loads((PACKAGE / "package.json").read_text("utf-8"))["version"]
    assert installed == pinned
    assert (VENDORED / "mermaid.min.js").read_bytes() == (PACKAGE / "dist" / "mermaid.min.js").read_bytes()
    assert (VENDORED / "LICENSE").read_bytes() == (PACKAGE / "LICENSE").read_bytes()
    assert json.loads((VENDORED / "VERSION.json").read_text("utf-8")) == {"package": "mermaid", "version": pinned}


def test_a_page_without_a_diagram_does_not_load_it(built_site):
    home = (built_site.site / "index.html").read_text("utf-8")
    service = (built_site.site / built_site.record_page("Service", "email-calendar")).read_text("utf-8")
    assert "mermaid.min.js" not in home
    assert service.count('assets/service-catalogue/mermaid.min.js"></script>') == 1
    assert (built_site.site / "assets" / "service-catalogue" / "mermaid.LICENSE.txt").is_file()
