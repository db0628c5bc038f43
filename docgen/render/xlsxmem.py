"""Workbooks saved without temporary files.

openpyxl 3.1 writes every worksheet of a workbook it saves into a temporary file in TMPDIR
(`openpyxl.worksheet._writer.create_temporary_file`), even when the workbook is saved to a
BytesIO, and removes it after the sheet or at exit; a killed build leaves those files behind.
keep_worksheets_in_memory() makes the writer use a BytesIO per sheet instead: the same XML,
nothing on disk. Write-only workbooks (docgen has none) keep openpyxl's own way."""

from __future__ import annotations

from io import BytesIO
from typing import Any


def keep_worksheets_in_memory() -> None:
    """Patch openpyxl's ExcelWriter once per process (idempotent)."""
    from openpyxl.writer.excel import ExcelWriter

    if getattr(ExcelWriter.write_worksheet, "_docgen_in_memory", False):
        return
    original = ExcelWriter.write_worksheet

    def write_worksheet(self: Any, ws: Any) -> None:
        if self.workbook.write_only:
            return original(self, ws)
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
        from openpyxl.worksheet._writer import WorksheetWriter

        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = WorksheetWriter(ws, out=BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)

    write_worksheet._docgen_in_memory = True  # type: ignore[attr-defined]
    ExcelWriter.write_worksheet = write_worksheet
