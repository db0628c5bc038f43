"""The template catalog: which documents a pack can hold and where their template files are."""

from __future__ import annotations

from .entries import CatalogFile, Entry, TemplateSet, builtin_templates, included, load_catalog

BASE_TEMPLATE = "_base/base.docx"  # the house style every Word body is laid into

__all__ = ["BASE_TEMPLATE", "CatalogFile", "Entry", "TemplateSet", "builtin_templates", "included", "load_catalog"]
