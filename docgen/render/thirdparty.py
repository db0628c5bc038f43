"""The two places docgen leans on library internals, each behind one adapter: docxtpl's Word-XML
clean-up and openpyxl's merged-cell binding. tests/test_thirdparty.py fails loudly when either
library changes under them; setup.cfg pins the versions these were tested with."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
from docxtpl import DocxTemplate


def docxtpl_patch_xml(source: str) -> str:
    """docxtpl's clean-up of Word XML into Jinja source: tags split across runs joined, `{%p %}`,
    `{%tr %}`, `{%tc %}`, `{%r %}` turned into tags around their paragraph, row, cell or run.

    `patch_xml` is an instance method that reads no instance state (docxtpl 0.16–0.20); it is
    called unbound here so that no DocxTemplate (and no .docx) has to exist."""
    return DocxTemplate.patch_xml(None, source)


def _bind_merged_cells_keeping_styles(self: Any) -> None:
    """openpyxl's reader rebuilds merged cells and re-derives their borders (format()), which
    dominates load time for bordered forms. The template already holds every cell's style, so
    keep it: same result, a fraction of the time."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.cell_range import MultiCellRange
    from openpyxl.worksheet.merge import MergedCellRange

    if not self.parser.merged_cells:
        return
    cells = self.ws._cells
    ranges = []
    for cr in self.parser.merged_cells.mergeCell:
        mcr = MergedCellRange(self.ws, cr.ref)
        it = mcr.cells
        next(it)
        for row, col in it:
            old = cells.get((row, col))
            merged = MergedCell(self.ws, row, col)
            if old is not None:
                merged._style = copy.copy(old._style)
            cells[(row, col)] = merged
        ranges.append(mcr)
    self.ws.merged_cells = MultiCellRange(ranges)


def load_workbook_fast(path: Path) -> openpyxl.Workbook:
    """openpyxl.load_workbook with the faster merged-cell binding above, swapped in for the one
    call only (openpyxl 3.1: `openpyxl.worksheet._reader.WorksheetReader.bind_merged_cells`)."""
    from openpyxl.worksheet import _reader

    original = _reader.WorksheetReader.bind_merged_cells
    _reader.WorksheetReader.bind_merged_cells = _bind_merged_cells_keeping_styles
    try:
        return openpyxl.load_workbook(path, rich_text=False)
    finally:
        _reader.WorksheetReader.bind_merged_cells = original


def _rebuilt_bound_dictionary(cls: Any, factory: Any, attributes: dict, items: dict) -> Any:
    d = cls.__new__(cls)
    d.default_factory = factory
    d.__dict__.update(attributes)
    dict.update(d, items)
    return d


def _reduce_bound_dictionary(d: Any) -> tuple:
    return _rebuilt_bound_dictionary, (type(d), d.default_factory, dict(d.__dict__), dict(d))


def picklable_workbooks() -> None:
    """Let a loaded workbook be pickled and unpickled intact (openpyxl 3.1: `BoundDictionary` and
    `DimensionHolder`, a sheet's row and column dimensions, inherit defaultdict's pickling, which
    passes the default factory as the first argument of their own constructors, so an unpickled
    sheet loses its factory and raises KeyError for a new row)."""
    import copyreg

    from openpyxl.utils.bound_dictionary import BoundDictionary
    from openpyxl.worksheet.dimensions import DimensionHolder

    for cls in (BoundDictionary, DimensionHolder):
        copyreg.pickle(cls, _reduce_bound_dictionary)
