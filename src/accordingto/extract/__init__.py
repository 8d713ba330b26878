"""Main text and metadata from markup: HTML today (:func:`extract_html`, with trafilatura)."""

from __future__ import annotations

from .html import extract_html

__all__ = ["extract_html"]
