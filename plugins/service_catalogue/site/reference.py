"""The format reference: every kind and field, read from the JSON Schemas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service_catalogue.kinds import KINDS
from service_catalogue.site.text import plain


@dataclass
class FieldRow:
    path: str
    type: str
    required: bool
    description: str
    allowed: str


_REF_TYPES = {
    "partyId": "Party id",
    "serviceId": "Service id",
    "agreementId": "Agreement id",
    "calendarId": "Calendar id",
    "termId": "Term id",
    "recordId": "id",
    "localId": "id",
    "duration": "duration",
    "date": "date",
    "time": "time (HH:MM)",
    "percent": "percentage",
    "email": "email",
    "url": "URL",
    "markdown": "Markdown",
    "tag": "tag",
    "weekday": "weekday",
    "timezone": "IANA time zone",
    "contact": "contact",
    "link": "link",
}


def _resolve(schema: dict, schemas: dict) -> tuple[dict, str]:
    """Follow a $ref into defs.json; return the merged schema and the def's name."""
    ref = schema.get("$ref")
    if not ref:
        return schema, ""
    file, _, pointer = ref.partition("#")
    target = schemas[file or "defs.json"]
    name = pointer.rsplit("/", 1)[-1]
    resolved = target["$defs"][name]
    inner, _ = _resolve(resolved, schemas)
    merged = {**inner, **{k: v for k, v in schema.items() if k != "$ref"}}
    return merged, name


def _type_of(schema: dict, name: str, schemas: dict) -> str:
    if name in _REF_TYPES:
        return _REF_TYPES[name]
    kind: Any = schema.get("type")  # whatever the schema's JSON holds
    if kind == "array":
        items, item_name = _resolve(schema.get("items", {}), schemas)
        return f"list of {_type_of(items, item_name, schemas)}"
    if kind == "object":
        return "mapping"
    if "const" in schema:
        return "text"
    words = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false"}
    if isinstance(kind, list):  # a number or a duration, say: the description says which text
        return " or ".join(words.get(k) or str(k) for k in kind)
    return words.get(kind, kind or "any")


def code(value) -> str:
    """A value as inline code in a table cell. HTML, not backticks, around escaped text:
    a code span shows escapes as they are, so it could not keep out `|` or template syntax."""
    return f"<code>{plain(value)}</code>"


def _allowed(schema: dict, schemas: dict) -> str:
    if "enum" in schema:
        return ", ".join(code(v) for v in schema["enum"])
    if "const" in schema:
        return code(schema["const"])
    if schema.get("type") == "array":
        items, _ = _resolve(schema.get("items", {}), schemas)
        return _allowed(items, schemas)
    bounds = []
    if "minimum" in schema:
        bounds.append(f"≥ {schema['minimum']}")
    if "maximum" in schema:
        bounds.append(f"≤ {schema['maximum']}")
    return ", ".join(bounds)


def _rows(schema: dict, schemas: dict, prefix: str) -> list[FieldRow]:
    rows = []
    required = set(schema.get("required", ()))
    for key, sub in schema.get("properties", {}).items():
        resolved, name = _resolve(sub, schemas)
        path = f"{prefix}{key}"
        rows.append(
            FieldRow(path, _type_of(resolved, name, schemas), key in required, resolved.get("description", ""), _allowed(resolved, schemas))
        )
        if resolved.get("type") == "object" and "properties" in resolved:
            rows.extend(_rows(resolved, schemas, f"{path}."))
        elif resolved.get("type") == "array":
            items, _ = _resolve(resolved.get("items", {}), schemas)
            if items.get("type") == "object" and "properties" in items:
                rows.extend(_rows(items, schemas, f"{path}[]."))
    return rows


def format_reference(schemas: dict) -> list[dict]:
    """[{kind, description, rows}] for the reference page template."""
    kinds = []
    for file in (kind.schema_file for kind in KINDS):
        schema = schemas.get(file)
        if schema:
            kinds.append({"kind": schema.get("title", file), "description": schema.get("description", ""), "file": file, "rows": _rows(schema, schemas, "")})
    return kinds
