"""Rendering a list of documents with a context each: Word over the house-style base, Excel as
is; every template problem of every document collected into one TemplateError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..catalog import BASE_TEMPLATE, TemplateSet
from ..control import Document
from ..errors import Problem, TemplateError
from ..render.errors import part_errors
from ..render.excel import render_xlsx
from ..render.word import Base, load_base, render_docx
from ..trades import TradeModule
from . import template_renderer


def render_each(documents: list[Document], context_of: Callable[[Document], dict[str, Any]],
                templates: TemplateSet, when: dt.datetime) -> dict[str, bytes]:
    """relpath → bytes of each document; TemplateError listing every problem. A fault in the
    house-style base is reported once, against the base, not against every body."""
    env = template_renderer()
    base: Base | None = None
    problems: dict[Problem, None] = {}  # ordered and without repeats
    files: dict[str, bytes] = {}
    for doc in documents:
        path = templates.path(doc.entry.template)
        ctx = context_of(doc)
        trade = ctx.get("trade")
        reword = trade.rewording_for(doc.entry.template) if isinstance(trade, TradeModule) else None
        try:
            if doc.extension == ".docx":
                if base is None:
                    base = load_base(templates.path(BASE_TEMPLATE))
                files[doc.relpath] = render_docx(env, base, path, ctx, when, reword)
            else:
                files[doc.relpath] = render_xlsx(env, path, ctx, when, doc.entry.title, reword, doc.entry.renamed_from)
        except Exception as exc:
            errors = part_errors(exc)
            if errors is None:
                raise
            problems.update((e.problem(BASE_TEMPLATE if e.in_base else doc.entry.template), None) for e in errors)
    if problems:
        raise TemplateError(list(problems))
    return files
