"""Render the linked model into Markdown pages, from Jinja2 templates users can override."""

from service_catalogue.site.pages import RenderOptions, RenderedPage, SiteRenderer

__all__ = ["RenderOptions", "RenderedPage", "SiteRenderer"]
