"""Render the linked model into Markdown pages, from Jinja2 templates users can override."""

from service_catalogue.site.pages import RenderedPage, SiteRenderer

__all__ = ["RenderedPage", "SiteRenderer"]
