"""House look of the kit's Excel papers (as docgen/control/lists.py): title rows, header, cells, A4 print setup."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..render.cells import apply_style, one_line, set_text, set_value
from ..render.zipout import restamp

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells the company fills in
WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BODY = Font(name="宋体", size=10.5)
BOLD = Font(name="宋体", size=10.5, bold=True)
HEAD = Font(name="黑体", size=10.5)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
FIRST_ROW = 5  # the first body row under the three title rows and the header


def put(ws: Worksheet, row: int, col: int, value: object, font: Font = BODY, align: Alignment = WRAP,
        border: bool = True, fill: PatternFill | None = None) -> Cell:
    """One cell in the house style; strings through set_value (text stays text), dates formatted."""
    cell = ws.cell(row, col)
    set_value(cell, value)
    apply_style(cell, font, align, BORDER if border else None, fill)
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def formula(ws: Worksheet, row: int, col: int, expression: str, number_format: str | None = None,
            font: Font = BODY) -> Cell:
    """A live Excel formula written by docgen itself (never from profile text)."""
    cell = ws.cell(row, col)
    cell.value = expression  # a formula of docgen's own making; profile text always goes through set_text
    cell.font, cell.alignment, cell.border = font, CENTER, BORDER
    if number_format:
        cell.number_format = number_format
    return cell


def titled_sheet(ws: Worksheet, company: str, number: str, title: str, header: Sequence[str],
                 widths: Sequence[float], basis: str = "", landscape: bool = True) -> None:
    """Rows 1–4: company, title, number and basis, the header; A4 print setup with page numbers."""
    last = get_column_letter(len(header))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row, text, font, height in ((1, company, Font(name="黑体", size=12), 18),
                                    (2, title, Font(name="黑体", size=16), 30),
                                    (3, f"编号：{number}" + (f"    {basis}" if basis else ""), Font(name="宋体", size=9), 0)):
        ws.merge_cells(f"A{row}:{last}{row}")
        put(ws, row, 1, text, font, CENTER if row < 3 else WRAP, border=False)
        if height:
            ws.row_dimensions[row].height = height
    if basis:
        ws.row_dimensions[3].height = 13.5 * max(1, -(-len(basis) * 2 // int(sum(widths))))
    for c, name in enumerate(header, start=1):
        put(ws, 4, c, name, HEAD, CENTER, fill=HEAD_FILL)
    ws.print_title_rows = "4:4"
    ws.freeze_panes = "A5"
    print_setup(ws, company, number, landscape)


def print_setup(ws: Worksheet, company: str, number: str, landscape: bool = True) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddHeader.left.text = one_line(company)
    ws.oddHeader.right.text = one_line(number)
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def rows(ws: Worksheet, data: Sequence[Sequence[object]], first: int = FIRST_ROW, center: Sequence[int] = (1,),
         widths: Sequence[float] = ()) -> int:
    """Body rows from `first`; returns the row after the last. Heights fit the wrapped text."""
    r = first
    for values in data:
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value, align=CENTER if c in center else WRAP)
        if widths:
            ws.row_dimensions[r].height = row_height(values, widths)
        r += 1
    ws.print_area = f"A1:{get_column_letter(max(ws.max_column, 1))}{max(r - 1, 4)}"
    return r


def row_height(values: Sequence[object], widths: Sequence[float]) -> float:
    """Points that show every wrapped text of a row (East Asian characters count two)."""
    lines = 1
    for value, width in zip(values, widths):
        if isinstance(value, str):
            for part in value.split("\n"):
                chars = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
                lines_here = max(1, -(-chars // max(int(width) - 1, 1)))
                lines = max(lines, lines_here + value.count("\n"))
    return min(409.0, lines * 14 + 4)


def dropdown(ws: Worksheet, choices: Sequence[str], cells: str, prompt: str = "") -> None:
    """A list dropdown over `cells` (choices are docgen's own words, never profile text)."""
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    dv.error, dv.errorTitle = "请从下拉列表中选择", "输入无效"
    if prompt:
        dv.prompt, dv.promptTitle = prompt, "填写说明"
    ws.add_data_validation(dv)
    for ref in cells.split():
        dv.add(ref)


def note_rows(ws: Worksheet, row: int, notes: Sequence[str], span: int) -> int:
    """Notes under a table, one merged row each."""
    last = get_column_letter(span)
    for text in notes:
        ws.merge_cells(f"A{row}:{last}{row}")
        put(ws, row, 1, text, Font(name="宋体", size=9), WRAP, border=False)
        ws.row_dimensions[row].height = row_height([text], [sum(ws.column_dimensions[get_column_letter(i)].width or 8
                                                                 for i in range(1, span + 1))])
        row += 1
    return row


def safe_sheet_name(name: str, taken: Sequence[str]) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters), unique in the workbook."""
    base = "".join("-" if ch in '[]:*?/\\' else ch for ch in name).strip("'") or "Sheet"
    candidate, n = base[:31], 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def text_cell(ws: Worksheet, ref: str, value: str) -> None:
    set_text(ws[ref], value)


def save(wb: Workbook, company: str, title: str, when: dt.datetime) -> bytes:
    """The workbook's bytes with fixed properties and zip times (same input, same bytes)."""
    wb.properties.title = one_line(title)
    wb.properties.creator = one_line(company)
    wb.properties.created = when
    buf = io.BytesIO()
    wb.save(buf)
    return restamp(buf.getvalue(), when, core_dates=True)
