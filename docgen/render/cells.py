"""The one way docgen writes into a spreadsheet cell: text stays text, never a formula, and fits a cell."""

from __future__ import annotations

import copy
import re
from typing import Any

from openpyxl.cell.cell import Cell

MAX_CELL_TEXT = 32_767  # the most characters an Excel cell holds
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\t]")


class CellTextError(ValueError):
    """Text too long for a spreadsheet cell."""


def set_text(cell: Cell, value: str) -> None:
    """Write a string that stays text (never a formula, number or date, whatever it looks like);
    refuse one longer than Excel's 32,767-character cell limit."""
    if len(value) > MAX_CELL_TEXT:
        raise CellTextError(
            f"text of {len(value):,} characters is longer than the {MAX_CELL_TEXT:,} an Excel cell can hold"
        )
    cell.value = value
    cell.data_type = "s"


def set_value(cell: Cell, value: Any) -> None:
    """Write a value: strings through `set_text`, numbers, dates and None as they are."""
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def one_line(value: str) -> str:
    """Text for a one-line field (a workbook's title or author): tabs and newlines become spaces."""
    return _LINE_BREAKS.sub(" ", value)


def apply_style(cell: Cell, font: Any, alignment: Any, border: Any = None, fill: Any = None) -> None:
    """Give a cell a font, alignment, border and fill, fast: openpyxl hashes every style object it
    is handed, so the first cell of each combination in a workbook is styled and the others copy
    its style indices (kept on the workbook, since indices are only valid within it). Pass style
    objects that live as long as the workbook (module constants)."""
    wb = cell.parent.parent
    cache: dict[tuple[int, int, int, int], Any] = wb.__dict__.setdefault("_docgen_styles", {})
    key = (id(font), id(alignment), id(border), id(fill))
    cached = cache.get(key)
    if cached is None:
        cell.font = font
        cell.alignment = alignment
        if border is not None:
            cell.border = border
        if fill is not None:
            cell.fill = fill
        cache[key] = (copy.copy(cell._style), font, alignment, border, fill)  # the objects too: their ids stay theirs
    else:
        cell._style = copy.copy(cached[0])
