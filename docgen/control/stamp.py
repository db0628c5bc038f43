"""Marking an adopted file with its new version: the cover's 版本/修订 and a line in its revision
history (Word), or the 版本 of the form header (Excel), so the file says what the lists say."""

from __future__ import annotations

import copy
import io

from .state import Revision

CN_DATE = "{d.year}年{d.month}月{d.day}日"


def _docx(data: bytes, old: str, new: str, line: Revision) -> bytes:
    import docx

    d = docx.Document(io.BytesIO(data))
    for table in d.tables[:1]:  # the control block
        for row in table.rows:
            for cell in row.cells:
                if cell.text.strip() == old:
                    _set(cell, new)
    for table in d.tables:
        header = [c.text.strip() for c in table.rows[0].cells] if table.rows else []
        if "序号" in header and "版本" in "".join(header) and len(table.rows) >= 2:
            last = table.rows[-1]._tr
            tr = copy.deepcopy(last)
            last.addnext(tr)
            row = table.rows[-1]
            values = [str(len(table.rows) - 1), line.version, line.sections, line.summary, line.by, line.approved_by,
                      CN_DATE.format(d=line.date)]
            for cell, value in zip(row.cells, values, strict=False):
                _set(cell, value)
            break
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _set(cell: object, text: str) -> None:
    paragraphs = cell.paragraphs  # type: ignore[attr-defined]
    first = paragraphs[0]
    for run in first.runs[1:]:
        run._r.getparent().remove(run._r)
    if first.runs:
        first.runs[0].text = text
    else:
        first.add_run(text)
    for p in paragraphs[1:]:
        p._p.getparent().remove(p._p)


def _xlsx(data: bytes, old: str, new: str) -> bytes:
    import openpyxl

    from ..render.cells import set_text

    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and f"版本：{old}" in cell.value:
                    set_text(cell, cell.value.replace(f"版本：{old}", f"版本：{new}"))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def stamp_version(relpath: str, data: bytes, old: str, new: str, line: Revision) -> bytes:
    """The file with its new version (and, for Word, the history line) written into it."""
    if relpath.endswith(".docx"):
        return _docx(data, old, new, line)
    if relpath.endswith(".xlsx"):
        return _xlsx(data, old, new)
    return data
