"""The lists document control requires, made from the manifest so they are always true:
受控文件清单, 记录清单, 文件发放回收记录 and 文件修订记录汇总, as Excel in the pack's number series."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..facts import ServiceFacts
from ..profile import Profile
from ..render.cells import apply_style, one_line, set_value
from ..render.excel import needed_height
from ..render.zipout import restamp
from ..vocab import KINDS
from .manifest import Record

LISTS = [("master_list", "受控文件清单"), ("record_list", "记录清单"), ("distribution", "文件发放回收记录"),
         ("revision_log", "文件修订记录汇总")]
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="E7E6E6")
_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BODY = Font(name="宋体", size=10.5)
_HEADF = Font(name="黑体", size=10.5)


def _sheet(wb: Workbook, profile: Profile, number: str, title: str, header: list[str], widths: list[float],
           rows: list[list[object]]) -> None:
    ws: Worksheet = wb.active
    ws.title = title[:31]
    last = get_column_letter(len(header))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.merge_cells(f"A1:{last}1")
    set_value(ws["A1"], profile.company.name)
    ws["A1"].font, ws["A1"].alignment = Font(name="黑体", size=12), _CENTER
    ws.merge_cells(f"A2:{last}2")
    set_value(ws["A2"], title)
    ws["A2"].font, ws["A2"].alignment = Font(name="黑体", size=16), _CENTER
    ws.row_dimensions[2].height = 30
    ws.merge_cells(f"A3:{last}3")
    set_value(ws["A3"], f"编号：{number}    依据：{_basis()}")
    ws["A3"].font, ws["A3"].alignment = Font(name="宋体", size=9), _WRAP
    for c, name in enumerate(header, start=1):
        cell = ws.cell(4, c)
        set_value(cell, name)
        apply_style(cell, _HEADF, _CENTER, _BORDER, _HEAD)
    for r, row in enumerate(rows, start=5):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c)
            set_value(cell, value)
            apply_style(cell, _BODY, _WRAP, _BORDER)
            if isinstance(value, dt.date):
                cell.number_format = 'yyyy"年"m"月"d"日"'
        # explicit heights: with automatic ones LibreOffice's fit-to-width print drops the last row
        ws.row_dimensions[r].height = max(needed_height(str(v), w, 10.5) for v, w in zip(row, widths)) if row else 18
    ws.print_area = f"A1:{last}{max(4, 4 + len(rows))}"
    ws.print_title_rows = "4:4"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.left.text = one_line(profile.company.short_name)
    ws.oddHeader.right.text = number
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.freeze_panes = "A5"


def _basis() -> str:
    return "由文件控制程序规定，依据文件清单（manifest.json）生成，随每次发布更新"


def _version(r: Record, pattern: str) -> str:
    return r.state.version(pattern) if r.state else ""


def _master(profile: Profile, records: list[Record]) -> tuple[list[str], list[float], list[list[object]]]:
    p = profile.document_control.version_pattern
    rows: list[list[object]] = [[i, r.number, r.title, KINDS.label(r.kind) if r.kind in KINDS else r.kind, _version(r, p),
                                 r.state.issue_date if r.state else "", r.state.effective_date if r.state else "", r.owner,
                                 r.status] for i, r in enumerate(records, start=1)]
    return ["序号", "文件编号", "文件名称", "类别", "版本", "发布日期", "实施日期", "归口部门", "状态"], [6, 18, 34, 12, 8, 14, 14, 14, 8], rows


def _records(profile: Profile, records: list[Record], facts: ServiceFacts) -> tuple[list[str], list[float], list[list[object]]]:
    rows: list[list[object]] = []
    for r in (x for x in records if x.kind == "record" and x.status != "作废"):
        keeping = facts.records.get(r.id)
        rows.append([len(rows) + 1, r.number, r.title, keeping.department if keeping else r.owner,
                     keeping.text if keeping else f"{facts.retention['default_years']}年", "纸质或电子", "归档保存，到期经审批后销毁"])
    return ["序号", "表单编号", "记录名称", "保存部门", "保存期限", "保存形式", "到期处置"], [6, 18, 30, 14, 26, 12, 22], rows


def _distribution(profile: Profile, records: list[Record]) -> tuple[list[str], list[float], list[list[object]]]:
    """One row per controlled document and receiving department, with its copy number."""
    rows: list[list[object]] = []
    depts = [d.name for d in profile.departments]
    pattern = profile.document_control.version_pattern
    for r in (x for x in records if x.status != "作废" and x.kind in {"manual", "procedure", "work_instruction"}):
        receivers = depts if r.kind != "work_instruction" else [r.owner] + [d for d in depts if d != r.owner][:1]
        for copy, dept in enumerate(receivers, start=1):
            rows.append([len(rows) + 1, r.number, r.title, _version(r, pattern), f"{copy:02d}", dept,
                         r.state.issue_date if r.state else "", "", "", ""])
    return (["序号", "文件编号", "文件名称", "版本", "分发号", "领用部门", "发放日期", "领用人签字", "回收日期", "回收人签字"],
            [6, 16, 30, 8, 8, 14, 14, 12, 12, 12], rows)


def _revisions(profile: Profile, records: list[Record]) -> tuple[list[str], list[float], list[list[object]]]:
    rows: list[list[object]] = []
    for r in records:
        for line in r.state.history if r.state else ():
            rows.append([len(rows) + 1, r.number, r.title, line.version, line.sections, line.summary, line.by,
                         line.approved_by, line.date])
        if r.status == "作废":
            rows.append([len(rows) + 1, r.number, r.title, _version(r, profile.document_control.version_pattern),
                         "全文", "作废（不再适用，移入作废文件）", "", "", ""])
    return ["序号", "文件编号", "文件名称", "版本", "修订章节", "修订内容", "修订人", "批准人", "日期"], [6, 16, 28, 8, 22, 30, 10, 10, 14], rows


def list_workbooks(profile: Profile, records: list[Record], facts: ServiceFacts, numbers: list[str],
                   when: dt.datetime) -> list[tuple[str, str, bytes]]:
    """(number, title, xlsx bytes) of the four lists."""
    makers: list[Callable[[], tuple[list[str], list[float], list[list[object]]]]] = [
        lambda: _master(profile, records), lambda: _records(profile, records, facts),
        lambda: _distribution(profile, records), lambda: _revisions(profile, records)]
    out = []
    for (_key, title), number, make in zip(LISTS, numbers, makers, strict=True):
        wb = Workbook()
        header, widths, rows = make()
        _sheet(wb, profile, number, title, header, widths, rows)
        wb.properties.title = title
        wb.properties.creator = one_line(profile.company.name)
        wb.properties.created = when
        buf = io.BytesIO()
        wb.save(buf)
        out.append((number, title, restamp(buf.getvalue(), when, core_dates=True)))
    return out
