"""The JSON Schemas as a site publishes them, so that editors can fetch them from it.

Each schema is served at `schema/v1/<name>.json` under the site's address: the
path names the format version (`catalogue/v1`), not the release, so a record's
`$schema` comment keeps working across upgrades of the same format. It is the
path of the packaged schemas' `$id` under their base, so the `$ref`s between
them (`defs.json#/$defs/duration`, relative) name the published files as they
are.

A client resolves those `$ref`s against a schema's `$id`, not against where it
fetched the schema from (JSON Schema 2020-12, 8.2.1; yaml-language-server does
so), so a copy served elsewhere under the packaged `$id` would send it to that
other address for `defs.json`. Each published schema therefore gets the `$id`
of the address it is served at when the site's address is known (`site_url`),
and no `$id` when it is not: then its `$ref`s resolve against wherever it was
fetched from.
"""

from __future__ import annotations

import json

from service_catalogue.version import API_VERSION

# "schema/v1": the format version's part after the "/", as in the packaged $id.
SCHEMA_FOLDER = f"schema/{API_VERSION.rpartition('/')[2]}"


def schema_folder_url(site_url: str) -> str:
    """The address of the published schemas' folder on a site at site_url, ending in "/"."""
    # mike's versioned builds set site_url to the version's folder without a final "/".
    return f"{site_url.rstrip('/')}/{SCHEMA_FOLDER}/"


def published_schemas(site_url: str | None = None) -> dict[str, str]:
    """Every schema file as the site serves it, {path inside the site: text}: the
    packaged schema with the `$id` of its address on a site at site_url, or with
    none when the site's address is not known (site_url None or empty)."""
    from service_catalogue.validation.schemas import schema_files

    published = {}
    for name, text in schema_files().items():
        schema = json.loads(text)
        if site_url:
            schema["$id"] = schema_folder_url(site_url) + name
        else:
            schema.pop("$id", None)
        published[f"{SCHEMA_FOLDER}/{name}"] = json.dumps(schema, indent=2) + "\n"
    return published
