"""Render the linked model into Markdown pages, from Jinja2 templates users can override."""

from .pages import RenderOptions, RenderedPage, SiteRenderer

__all__ = ["RenderOptions", "RenderedPage", "SiteRenderer"]
