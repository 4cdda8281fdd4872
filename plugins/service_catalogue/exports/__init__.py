"""Exports of the catalogue for the tools beside it: a developer portal, SLO tools, CMDBs.

Each format takes the linked Catalogue (and, for links back to the catalogue's pages,
their addresses) and returns the text of one file with notes on what the neighbour's
format could not hold. The site's own machine exports (catalogue.json, glossary.json)
are site/exports.py; these are in other tools' formats, one module per neighbour.
docs/guide/exports.md describes every format and its field mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from service_catalogue.errors import UnknownFormatError
from service_catalogue.exports import backstage, itop, openslo, servicenow
from service_catalogue.exports.addresses import PageAddresses, addresses_from_mkdocs
from service_catalogue.exports.base import Export
from service_catalogue.model import Catalogue


@dataclass(frozen=True)
class Format:
    name: str
    summary: str  # its line in `export --help`
    filename: str  # the name the neighbour expects, or a fitting one
    make: Callable[[Catalogue, PageAddresses], Export]


def _without_addresses(make: Callable[[Catalogue], Export]) -> Callable[[Catalogue, PageAddresses], Export]:
    return lambda catalogue, addresses: make(catalogue)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("backstage", "Backstage catalog-info.yaml: a Group per party, a Component (type service) per service",
           "catalog-info.yaml", backstage.catalog_info),
    Format("openslo", "OpenSLO v1 Service and SLO objects for the availability and percentage targets of active agreements",
           "openslo.yaml", openslo.slos),
    Format("itop-organizations", "iTop CSV import, class Organization: the parties", "itop-organizations.csv",
           _without_addresses(itop.organizations)),
    Format("itop-services", "iTop CSV import, class Service: the services", "itop-services.csv",
           _without_addresses(itop.services)),
    Format("itop-slts", "iTop CSV import, class SLT: each priority's response (TTO) and resolution (TTR) target",
           "itop-slts.csv", _without_addresses(itop.slts)),
    Format("itop-slas", "iTop CSV import, class SLA: each agreement, with its SLTs", "itop-slas.csv",
           _without_addresses(itop.slas)),
    Format("itop-contracts", "iTop CSV import, class CustomerContract: each SLA and OLA, with its services and SLA",
           "itop-contracts.csv", _without_addresses(itop.contracts)),
    Format("servicenow-services", "ServiceNow import set for cmdb_ci_service: the services", "cmdb_ci_service.csv",
           _without_addresses(servicenow.services)),
    Format("servicenow-offerings", "ServiceNow import set for service_offering: the services' offerings",
           "service_offering.csv", _without_addresses(servicenow.offerings)),
    Format("servicenow-slas", "ServiceNow import set for contract_sla: an SLA definition per priority and target",
           "contract_sla.csv", _without_addresses(servicenow.slas)),
)}


def export(name: str, catalogue: Catalogue, addresses: PageAddresses | None = None) -> Export:
    """The export of a format by name; ExportError where a record cannot be written in it,
    UnknownFormatError for a name that is no format."""
    if name not in FORMATS:
        raise UnknownFormatError(name, "an export", list(FORMATS))
    return FORMATS[name].make(catalogue, addresses or PageAddresses())


__all__ = ["FORMATS", "Export", "Format", "PageAddresses", "addresses_from_mkdocs", "export"]
