"""Render the linked model into Markdown pages, from Jinja2 templates users can override.

SiteRenderer and RenderedPage load the templates' machinery (Jinja2) when first named, not
when the package is: the command line names parts of it (the nav formats) for every
command, and `validate` needs no Jinja.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service_catalogue.site.pages import RenderedPage, SiteRenderer

__all__ = ["RenderedPage", "SiteRenderer"]


def __getattr__(name: str):
    if name in __all__:
        from service_catalogue.site import pages

        return getattr(pages, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
