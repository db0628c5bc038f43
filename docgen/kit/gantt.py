"""The schedule as a Gantt workbook: 进度计划 by week, 获证后维护 by month."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..render.cells import set_value
from .schedule import STEPS, Milestone, Schedule, add_months

COLUMNS = (("序号", 5), ("阶段", 18), ("工作内容", 34), ("开始日期", 15), ("完成日期", 15), ("工作日数", 7),
           ("对应步骤", 18), ("备注", 24))
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
GB2312_CHARSET = 134  # tells Excel that 宋体 is the East Asian (GB2312) font
BODY = Font(name="宋体", charset=GB2312_CHARSET, size=10)
HEAD = Font(name="宋体", charset=GB2312_CHARSET, size=10, bold=True)
TITLE = Font(name="宋体", charset=GB2312_CHARSET, size=14, bold=True)
WRAP = Alignment(vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
SPAN_FILL = PatternFill("solid", fgColor="5B9BD5")
DAY_FILL = PatternFill("solid", fgColor="ED7D31")  # one-day milestones and due-by dates
_CORE_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _put(ws: Worksheet, row: int, col: int, value: object, font: Font = BODY, align: Alignment = WRAP) -> Cell:
    cell = ws.cell(row, col)
    set_value(cell, value)
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    cell.font, cell.alignment, cell.border = font, align, BORDER
    return cell


def _height(values: Sequence[object]) -> float:
    """Row height in points that shows every wrapped text cell (East Asian characters count two)."""
    lines = 1
    for value, (_name, width) in zip(values, COLUMNS):
        if isinstance(value, str):
            chars = sum(2 if ord(ch) > 0x2E7F else 1 for ch in value)
            lines = max(lines, -(-chars // max(int(width) - 1, 1)))
    return lines * 13.5 + 4


def _weeks(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    monday = first - dt.timedelta(days=first.weekday())
    spans = []
    while monday <= last:
        spans.append((monday, monday + dt.timedelta(days=6)))
        monday += dt.timedelta(days=7)
    return spans


def _months(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    begin, spans = first.replace(day=1), []
    while begin <= last:
        after = add_months(begin, 1)
        spans.append((begin, after - dt.timedelta(days=1)))
        begin = after
    return spans


def _sheet(ws: Worksheet, title: str, milestones: Sequence[Milestone], spans: list[tuple[dt.date, dt.date]],
           span_format: str, span_width: float) -> None:
    fixed = len(COLUMNS)
    width = fixed + len(spans)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _put(ws, 1, 1, title, TITLE, CENTER).border = Border()
    ws.row_dimensions[1].height = 28
    for col, (name, col_width) in enumerate(COLUMNS, start=1):
        _put(ws, 2, col, name, HEAD, CENTER)
        ws.column_dimensions[get_column_letter(col)].width = col_width
    for offset, (begin, _end) in enumerate(spans, start=fixed + 1):
        _put(ws, 2, offset, begin, HEAD, CENTER).number_format = span_format
        ws.column_dimensions[get_column_letter(offset)].width = span_width
    for row, m in enumerate(milestones, start=3):
        values = (row - 2, m.name_cn, m.work, m.start, m.end, m.workdays, f"{m.step} {STEPS[m.step]}", m.note)
        for col, value in enumerate(values, start=1):
            _put(ws, row, col, value, align=CENTER if col in (1, 4, 5, 6) else WRAP)
        ws.row_dimensions[row].height = _height(values)
        fill = DAY_FILL if m.start == m.end else SPAN_FILL
        for offset, (begin, end) in enumerate(spans, start=fixed + 1):
            cell = ws.cell(row, offset)
            cell.border = BORDER
            if begin <= m.end and m.start <= end:
                cell.fill = fill
    ws.freeze_panes = "C3"
    ws.print_title_rows = "1:2"
    ws.print_title_cols = "A:B"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.horizontalCentered = True


def build_gantt(schedule: Schedule, *, company_name: str, stamp: dt.datetime) -> bytes:
    """The .xlsx bytes; `stamp` fixes the document properties and zip times, so equal input gives equal bytes."""
    stamp = stamp.replace(tzinfo=None, microsecond=0)
    wb = Workbook()
    plan = wb.active
    plan.title = "进度计划"
    project = schedule.project
    _sheet(plan, f"{company_name}售后服务认证项目进度计划", project,
           _weeks(min(m.start for m in project), max(m.end for m in project)), 'm"/"d', 5.2)
    upkeep = schedule.maintenance
    if upkeep:
        _sheet(wb.create_sheet("获证后维护"), f"{company_name}获证后维护计划", upkeep,
               _months(schedule.certificate_date, schedule.expiry), 'yy"/"m', 5.5)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "docgen"
    wb.properties.title = f"{company_name}售后服务认证进度计划"
    buf = io.BytesIO()
    wb.save(buf)
    return _restamp(buf.getvalue(), stamp)


def _restamp(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite the package with fixed zip times and core dates (openpyxl stamps the save time)."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            blob = src.read(name)
            if name == "docProps/core.xml":
                blob = _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(3), blob.decode("utf-8")).encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, blob)
    return out.getvalue()
