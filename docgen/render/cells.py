"""The one way docgen writes into a spreadsheet cell: text stays text, never a formula, and fits a cell."""

from __future__ import annotations

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
