"""URLs between the pages of a built site, as MkDocs makes them, without MkDocs.

The plugin uses MkDocs' own get_relative_url; the finishing step, which runs after any
generator, uses this one, so that both write the same links."""

from __future__ import annotations


def _parts(path: str) -> list[str]:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return parts


def relative_url(url: str, other: str) -> str:
    """url relative to the page at other (both relative to the site's root), as
    mkdocs.utils.get_relative_url: the last part of other is a file when it holds a dot."""
    folder, _, name = other.rpartition("/")
    if "." in name:
        other = folder
    here, there = _parts(other), _parts(url)
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return relative + "/" if url.endswith("/") else relative
