"""catalog-info.yaml for Backstage: a Group per party, a Component of type service per service.

One multi-document YAML file, as a Backstage `url` location reads it. What each
field becomes is the table in docs/guide/exports.md; the rules it is held to are
Backstage's own (@backstage/catalog-model: the envelope and kind schemas, and the
catalog's default policies: field formats, no foreign root fields), checked by the
package itself in tests/exports/test_backstage.py.

Links and the view-url annotation lead to the record's page on the catalogue site,
and are written only when the site's address is known.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from service_catalogue.exports.addresses import PageAddresses
from service_catalogue.exports.base import GENERATOR, Export, finished
from service_catalogue.exports.names import backstage_name
from service_catalogue.exports.yaml_text import documents
from service_catalogue.model import Catalogue, Entity, Party, Service

API_VERSION = "backstage.io/v1alpha1"
# Backstage's documented lifecycles are experimental, production and deprecated; a
# retired service is one nobody should build on, which is what deprecated tells a developer.
LIFECYCLE = {"pipeline": "experimental", "live": "production", "retired": "deprecated"}
PREFIX = "service-catalogue"  # of our own annotations and labels
VIEW_URL = "backstage.io/view-url"
# Backstage's tag rule (makeValidator's isValidTag): [a-z0-9:+#] runs joined by single hyphens.
_TAG = re.compile(r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$")
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)*\.?$")


def catalog_info(catalogue: Catalogue, addresses: PageAddresses) -> Export:
    notes: list[str] = []
    names = {entity.id: backstage_name(entity.id) for entity in [*catalogue.parties, *catalogue.services]}
    entities = [_group(party, names, addresses, notes) for party in catalogue.parties]
    entities += [_component(service, names, addresses, notes) for service in catalogue.services]
    if not addresses.known:
        notes.append("no site address (site_url in mkdocs.yml, or --site-url): the links and "
                     f"{VIEW_URL} annotations to the catalogue's pages are left out")
    header = (f"Backstage catalog-info.yaml, made by {GENERATOR} from the service catalogue.\n"
              "Edit the catalogue's records, not this file: it is made again from them.")
    return finished(documents(entities, header), notes, "catalog-info.yaml")


def _metadata(entity: Entity, names: dict[str, str], addresses: PageAddresses, notes: list[str],
              labels: dict[str, str], extra_links: list[dict]) -> dict:
    metadata: dict = {"name": names[entity.id], "title": entity.title}
    description = entity.summary or entity.description
    if description:
        metadata["description"] = description
    if labels:
        metadata["labels"] = labels
    annotations = {f"{PREFIX}/id": entity.id, f"{PREFIX}/source": entity.source}
    page = addresses.of(entity)
    if page:
        annotations[VIEW_URL] = page
    metadata["annotations"] = annotations
    tags = _tags(entity, notes)
    if tags:
        metadata["tags"] = tags
    links = ([{"url": page, "title": "Service catalogue page"}] if page else []) + extra_links + _own_links(entity, notes)
    if links:
        metadata["links"] = links
    return metadata


def _group(party: Party, names: dict[str, str], addresses: PageAddresses, notes: list[str]) -> dict:
    spec: dict = {"type": party.type}
    parent = party.parent
    if isinstance(parent, Party):
        spec["parent"] = _ref("group", parent, names)
    spec["children"] = [_ref("group", child, names) for child in party.children]
    return {"apiVersion": API_VERSION, "kind": "Group",
            "metadata": _metadata(party, names, addresses, notes, {}, []), "spec": spec}


def _component(service: Service, names: dict[str, str], addresses: PageAddresses, notes: list[str]) -> dict:
    labels = {f"{PREFIX}/type": service.type, f"{PREFIX}/status": service.status}
    if service.get("criticality"):
        labels[f"{PREFIX}/criticality"] = service["criticality"]
    agreement_links = []
    for agreement in service.agreements:
        url = addresses.of(agreement)
        if url:
            agreement_links.append({"url": url, "title": f"{agreement.type}: {agreement.title}"})
    spec: dict = {"type": "service", "lifecycle": LIFECYCLE[service.status], "owner": _ref("group", service.owner, names)}
    depends = [_ref("component", dependency, names) for dependency, _ in service.dependencies]
    if depends:
        spec["dependsOn"] = list(dict.fromkeys(depends))
    return {"apiVersion": API_VERSION, "kind": "Component",
            "metadata": _metadata(service, names, addresses, notes, labels, agreement_links), "spec": spec}


def _ref(kind: str, entity: Entity, names: dict[str, str]) -> str:
    return f"{kind}:default/{names[entity.id]}"


def _tags(entity: Entity, notes: list[str]) -> list[str]:
    """The record's tags in Backstage's form: a run of hyphens made one, none at either end."""
    tags: list[str] = []
    for tag in entity.tags:
        fitted = re.sub(r"-+", "-", tag).strip("-")
        if len(fitted) > 63 or not _TAG.match(fitted):
            notes.append(f"{entity.kind} `{entity.id}`: the tag `{tag}` is longer than Backstage's 63 characters; left out")
            continue
        if fitted not in tags:
            tags.append(fitted)
    return tags


def _own_links(entity: Entity, notes: list[str]) -> list[dict]:
    links = []
    for link in entity.links:
        url, title = link.get("url", ""), " ".join(str(link.get("title", "")).split())
        if not _portal_url(url):
            notes.append(f"{entity.kind} `{entity.id}`: the link {url!r} is not an address a browser "
                         "(or Backstage) can parse; left out")
            continue
        links.append({"url": url, "title": title} if title else {"url": url})
    return links


def _portal_url(url: str) -> bool:
    """Whether a WHATWG URL parser (Backstage's `new URL`) surely takes the address: the
    records' pattern lets through some that it refuses (`https://[`, a port above 65535,
    a host whose last label is a number but that is no IPv4 address)."""
    if url.startswith("mailto:"):
        return len(url) > len("mailto:")
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host or (port is not None and not 0 <= port <= 65535):
        return False
    if parts.netloc.endswith(":") or "[" in parts.netloc and not parts.netloc.split("@")[-1].startswith("["):
        return False
    if parts.netloc.split("@")[-1].startswith("["):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return False
    if not _HOST.match(host):
        return False
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if last.isdigit() or last.lower().startswith("0x"):  # WHATWG reads the host as an IPv4 address
        try:
            ipaddress.IPv4Address(host.rstrip("."))
        except ValueError:
            return False
    return True
