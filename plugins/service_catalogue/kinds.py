"""The kinds of record, and everything the package says about each one, in one table.

A record's `kind:` decides its schema, its class in the linked model, where
`new` and `init` write it, where its page and its index are in the site, which
templates make them and what the navigation calls them. Every module reads
those facts from here, so a kind's folder or template, or a whole new kind, is
one edit of this table (with its schema, its templates and its class).

This module imports nothing of the package: the package's `__init__`, the
validation, the model and the site all import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# What `kind:` may say, for the type checker: the names of KINDS below (a test holds
# the two together). A record read from a file has a plain str kind until the schema
# has checked it; the model's entities and everything after have a KindName.
KindName = Literal["Service", "Agreement", "Party", "Calendar", "Term"]


@dataclass(frozen=True)
class Kind:
    """One kind of record. Its place in KINDS is its order everywhere a list of all
    records is (the exports, the site's indexes and navigation, the format reference)."""

    name: KindName  # what `kind:` says: "Service"
    folder: str  # the conventional sub-folder of the catalogue, where `new` and `init` write records
    section: str  # the folder of its pages inside the site's section (their URL folder)
    schema_file: str  # its JSON Schema, a file of the data package service_catalogue.json_schemas
    # The template of each record's page; "" when its records have no page of their
    # own but are entries of the index page (the terms of the glossary).
    page_template: str
    index_template: str  # the template of the page that lists every record of the kind
    nav_title: str  # the index page's title, in the navigation and on the page
    # The name of its class in service_catalogue.model. A name, not the class: the
    # model imports this table (for the pages' paths), so importing the model here
    # would be a cycle; model.py maps the names to its classes once, at import, and
    # fails there if the table names a class it does not have.
    entity_class: str
    local_id_lists: tuple[str, ...] = ()  # lists whose items have an `id` unique within the list
    duration_fields: tuple[str, ...] = ()  # every field that holds a duration, as a path pattern
    # Where its changes come in a diff: agreements first, since a diff is read for what
    # it does to the service levels, and then what they rest on.
    diff_rank: int = 99
    # Its records' text is searched for glossary terms: their pages list the terms they
    # use, and count as uses of them on the glossary.
    uses_terms: bool = False

    @property
    def index_page(self) -> str:
        """The index page's path inside the site's section: services/index.md; glossary.md
        for a kind whose records are the index's entries."""
        return f"{self.section}/index.md" if self.page_template else f"{self.section}.md"

    @property
    def index_description(self) -> str:
        """The index page as messages name it: "the services index", "the glossary"."""
        return f"the {self.nav_title.lower()} index" if self.page_template else f"the {self.nav_title.lower()}"

    def record_page(self, record_id: str) -> str:
        """The path of a record's page inside the site's section (without its anchor)."""
        return f"{self.section}/{record_id}.md" if self.page_template else self.index_page

    def record_anchor(self, record_id: str) -> str:
        """The anchor of a record on its page: "" for a page of its own, the id for an entry."""
        return "" if self.page_template else record_id


KINDS: tuple[Kind, ...] = (
    Kind(
        name="Service",
        folder="services",
        section="services",
        schema_file="service.json",
        page_template="pages/service.md.j2",
        index_template="indexes/services.md.j2",
        nav_title="Services",
        entity_class="Service",
        local_id_lists=("offerings", "requests"),
        duration_fields=("requests[].fulfilment",),
        diff_rank=1,
        uses_terms=True,
    ),
    Kind(
        name="Agreement",
        folder="agreements",
        section="agreements",
        schema_file="agreement.json",
        page_template="pages/agreement.md.j2",
        index_template="indexes/agreements.md.j2",
        nav_title="Agreements",
        entity_class="Agreement",
        local_id_lists=("priorities", "metrics", "clock_stops"),
        duration_fields=(
            "priorities[].response", "priorities[].resolution", "escalation[].after",
            "availability.maintenance_windows[].notice", "metrics[].target",
        ),
        diff_rank=0,
        uses_terms=True,
    ),
    Kind(
        name="Party",
        folder="parties",
        section="parties",
        schema_file="party.json",
        page_template="pages/party.md.j2",
        index_template="indexes/parties.md.j2",
        nav_title="Parties",
        entity_class="Party",
        diff_rank=3,
    ),
    Kind(
        name="Calendar",
        folder="calendars",
        section="service-hours",
        schema_file="calendar.json",
        page_template="pages/calendar.md.j2",
        index_template="indexes/calendars.md.j2",
        nav_title="Service hours",
        entity_class="Calendar",
        diff_rank=2,
    ),
    Kind(
        name="Term",
        folder="glossary",
        section="glossary",
        schema_file="term.json",
        page_template="",  # each term is an entry of the glossary page
        index_template="indexes/glossary.md.j2",
        nav_title="Glossary",
        entity_class="Term",
        diff_rank=4,
    ),
)

KIND_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
KIND_NAMES: tuple[KindName, ...] = tuple(kind.name for kind in KINDS)
