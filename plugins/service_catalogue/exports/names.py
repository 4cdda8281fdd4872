"""Names for other tools, made from the catalogue's ids and titles without ever merging two records.

A record id is `^[a-z0-9][a-z0-9-]{0,62}$`. Backstage's entity names
(KubernetesValidatorFunctions.isValidObjectName) and OpenSLO's object names (RFC 1123
DNS labels) take almost every id as it is, but not one that ends with a hyphen; an
OpenSLO name made of several ids may also be too long, and a local id (`RPO`,
`mail_delivery`) has capitals and underscores. Each function here says how it maps
what does not fit, and none can give two different records the same name: the tools
key their objects by name, and a merged pair would be a silent loss.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from service_catalogue.errors import ExportError

# Backstage: sequences of [A-Za-z0-9] separated by [-_.], at most 63 characters.
BACKSTAGE_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
# OpenSLO (and RFC 1123): lower-case letters, digits and hyphens, an alphanumeric at each end.
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
MAX_NAME = 63


def backstage_name(record_id: str) -> str:
    """The id itself where Backstage takes it; an id ending in k hyphens otherwise.

    Backstage allows `_` and `.`, which no id holds, so the mapped names can be told
    from every id: `mail-` (prefix `mail`, one hyphen) becomes `mai_l`, the hyphens
    turned into underscores before the prefix's last character, the length kept. A
    prefix of one character has no room before it: `a-` becomes `a.a`. Both ways the
    original is read back from the name, so no two ids share one."""
    if BACKSTAGE_NAME.match(record_id):
        return record_id
    prefix = record_id.rstrip("-")
    hyphens = len(record_id) - len(prefix)
    name = prefix[:-1] + "_" * hyphens + prefix[-1] if len(prefix) > 1 else prefix + "." * hyphens + prefix
    if len(name) > MAX_NAME:  # only an id of one character and 62 hyphens
        raise ExportError(f"the id `{record_id}` has no Backstage name of at most {MAX_NAME} characters: "
                          "rename it so that it does not end with a hyphen")
    return name


def _slug(part: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", part.lower())).strip("-")


def _hashed(text: str, key: Hashable) -> str:
    """text cut to leave room for 9 characters: a hyphen and 8 hex digits of the key."""
    digest = hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{text[: MAX_NAME - 9].rstrip('-')}-{digest}".lstrip("-")


K = TypeVar("K", bound=Hashable)


def dns_labels(parts_by_key: Mapping[K, Sequence[str]], what: str) -> dict[K, str]:
    """A DNS label for each key, from its parts joined with hyphens (`sla-email`, `RPO` ->
    `sla-email-rpo`). A label longer than 63 characters, or one that two keys would share
    (`RPO` and `rpo`; parts whose hyphens meet differently), ends with 8 hex digits of its
    key's hash instead, so that each key keeps a label of its own."""
    natural = {key: "-".join(p for p in (_slug(part) for part in parts) if p) or "x" for key, parts in parts_by_key.items()}
    sharing: dict[str, list[K]] = defaultdict(list)
    for key, label in natural.items():
        sharing[label].append(key)
    labels = {key: label if len(label) <= MAX_NAME and len(sharing[label]) == 1 else _hashed(label, key)
              for key, label in natural.items()}
    _check_unique(labels, what)
    for key, label in labels.items():
        if not DNS_LABEL.match(label) or len(label) > MAX_NAME:  # cannot happen: a last guard, never a wrong file
            raise ExportError(f"{what}: no valid name for {key!r} (made {label!r})")
    return labels


def _check_unique(names: dict, what: str) -> None:
    seen: dict[str, object] = {}
    for key, name in names.items():
        if name in seen:
            raise ExportError(f"{what}: {seen[name]!r} and {key!r} would both be named `{name}`")
        seen[name] = key


E = TypeVar("E")


def unique_titles(items: Iterable[E], title, ident) -> dict[E, str]:
    """Each item's title, or `title (id)` where several items share the title: iTop and
    ServiceNow find the object a row names by its name, so a name two rows share would
    join the wrong ones."""
    items = list(items)
    count: dict[str, int] = defaultdict(int)
    for item in items:
        count[" ".join(title(item).split()).casefold()] += 1
    return {item: title(item) if count[" ".join(title(item).split()).casefold()] == 1 else f"{title(item)} ({ident(item)})"
            for item in items}
