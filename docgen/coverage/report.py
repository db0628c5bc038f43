"""Coverage as people and tools read it: the console table, the build summary, the workbook and JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..errors import CoverageGapError, OutputError, Problem
from ..render.cells import CellTextError, one_line, set_value
from ..render.textwidth import display_width
from ..render.zipout import restamp
from ..vocab import FUNCTIONS
from .model import Coverage, Finding

STATUS_CN = {"covered": "已覆盖", "partial": "部分覆盖", "excluded": "已删减", "uncovered": "未覆盖"}
FINDING_KIND_CN = {
    "declared_not_found": "声明但未引用",
    "found_not_declared": "引用但未声明",
    "unknown_clause": "未知条款引用",
    "dangling_reference": "悬空引用",
    "missing_file": "文件缺失",
    "unreadable": "文件无法读取",
    "unknown_name": "部门/人员不在档案中",
    "responsibility": "职能分配",
    "excluded_but_cited": "删减条款仍被引用",
    "refused_exclusion": "删减无效",
    "inconsistent": "与服务规范不一致",
}
DANGLING_KINDS = {"dangling_reference", "unknown_clause", "missing_file", "unreadable"}
MAX_NUMBERS = 8
MAX_LISTED = 20  # inconsistencies the build summary lists


# ---------------------------------------------------------------------- console
def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _numbers(numbers: list[str]) -> str:
    if len(numbers) <= MAX_NUMBERS:
        return " ".join(numbers)
    return " ".join(numbers[:MAX_NUMBERS]) + f" … +{len(numbers) - MAX_NUMBERS}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _partly(cov: Coverage) -> str:
    """'N partial, ' when some clause is partly covered (its own citations or an item's lack the manual or a procedure)."""
    n = cov.count("partial")
    return f"{n} partial, " if n else ""


def headline(cov: Coverage) -> str:
    std = cov.standard
    return (
        f"{std.code} {std.title}: {len(cov.clauses)} clauses, {cov.count('covered')} covered, {_partly(cov)}"
        f"{cov.count('excluded')} excluded, {cov.count('uncovered')} uncovered "
        f"({cov.percent():g}% of the applicable clauses covered)"
    )


def console_lines(cov: Coverage) -> list[str]:
    """The full table: per indicator, each clause's status with its documents, reason or exclusion."""
    lines = [headline(cov), ""]
    title_w = max(display_width(r.clause.title) for r in cov.clauses) + 2
    id_w = max(len(r.clause.id) for r in cov.clauses) + 2
    for ind in cov.standard.indicators:
        lines.append(
            f"{ind.id} {ind.title}: {cov.count('covered', ind.id)} covered, {cov.count('excluded', ind.id)} excluded, "
            f"{cov.count('uncovered', ind.id)} uncovered"
        )
        for r in (r for r in cov.clauses if r.indicator.id == ind.id):
            status = r.status.upper() if r.status in {"uncovered", "partial"} else r.status
            if r.status == "covered":
                detail = _numbers(r.numbers)
            elif r.status == "excluded":
                detail = f"reason: {r.reason}"
            else:
                detail = r.reason
            lines.append(f"  {r.clause.id:<{id_w}}{_pad(r.clause.title, title_w)}{status:<11}{detail}")
            lines += [f"    {i.status.upper()} {i.item.id} {i.item.title}: {i.reason}" for i in r.item_gaps]
        lines.append("")
    warnings = cov.warnings
    notes = [f for f in cov.findings if f.severity == "note"]
    if warnings:
        lines.append(f"Warnings ({len(warnings)}):")
        lines += [f"  {f.kind:<20}{f}" for f in warnings]
    else:
        lines.append("Warnings: none (record forms, names and the 职能分配表 check out)")
    if notes:
        lines.append(f"Notes: {len(notes)} documents cite clauses the catalog does not declare for them (see --json or the workbook)")
    return lines


def summary_lines(cov: Coverage, workbook: Path | None = None) -> list[str]:
    """The few lines `docgen build` prints after its own summary."""
    std = cov.standard
    line = (
        f"Coverage against {std.code}: {len(cov.clauses)} clauses, {cov.count('covered')} covered, {_partly(cov)}"
        f"{cov.count('excluded')} excluded, {cov.count('uncovered')} uncovered; {plural(len(cov.warnings), 'warning')}"
    )
    if workbook is not None:
        line += f" → {workbook}"
    lines = [line]
    for r in cov.gaps:
        lines.append(f"  {r.status.upper()} {r.clause.id} {r.clause.title}: {r.reason}")
        lines += [f"    {i.status.upper()} {i.item.id} {i.item.title}: {i.reason}" for i in r.item_gaps]
    found = cov.inconsistencies
    lines.append(f"Consistency with the service facts: {plural(len(found), 'statement')} disagree"
                 + ("" if found else " (every time limit, grade, KPI, frequency and retention agrees)"))
    lines += [f"  INCONSISTENT {f}" for f in found[:MAX_LISTED]]
    if len(found) > MAX_LISTED:
        lines.append(f"  … and {len(found) - MAX_LISTED} more: run `docgen coverage` on the pack to list them")
    return lines


def inconsistency_error(cov: Coverage, written: str = "") -> CoverageGapError:
    """The exit-3 error for statements that contradict the facts model."""
    n = len(cov.inconsistencies)
    return CoverageGapError([Problem(
        f"{n} statement{'s' if n > 1 else ''} disagree with the service facts (listed above); {written}state each "
        "fact as the facts model gives it (AUTHORING.md, Facts), or build with --allow-inconsistent"
    )], title="consistency")


def gap_error(cov: Coverage, written: str = "") -> CoverageGapError:
    """The exit-3 error for uncovered clauses, naming them."""
    ids = ", ".join(r.clause.id + (f" (item {'、'.join(i.item.id for i in r.item_gaps)})" if r.item_gaps else "")
                    for r in cov.gaps)
    n = len(cov.gaps)
    return CoverageGapError([Problem(
        f"{n} clause{'s' if n > 1 else ''} of {cov.standard.code} "
        f"{'uncovered' if all(r.status == 'uncovered' for r in cov.gaps) else 'uncovered or only partly covered'} ({ids}); {written}cover "
        f"{'them' if n > 1 else 'it'} in the documents, exclude {'them' if n > 1 else 'it'} with a reason under "
        "certification.excluded where the standard allows, or build with --allow-gaps"
    )])


# ---------------------------------------------------------------------- JSON
def to_json_text(cov: Coverage) -> str:
    return json.dumps(cov.to_json(), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------- workbook
def where_cn(where: str) -> str:
    """'table 3 row 2 cell 1' → '表3第2行第1列', 'paragraph 12' → '第12段'; sheet!cell stays."""
    where = re.sub(r"table (\d+)", r"表\1", where)
    where = re.sub(r"\s*row (\d+)", r"第\1行", where)
    where = re.sub(r"\s*cell (\d+)", r"第\1列", where)
    return re.sub(r"paragraph (\d+)", r"第\1段", where)


THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
FILLS = {
    "covered": PatternFill("solid", fgColor="C6EFCE"),
    "excluded": PatternFill("solid", fgColor="D9D9D9"),
    "uncovered": PatternFill("solid", fgColor="FFC7CE"),
    "partial": PatternFill("solid", fgColor="FFEB9C"),
}
CELL_FILLS = {
    "●": PatternFill("solid", fgColor="C6EFCE"),
    "◎": PatternFill("solid", fgColor="DDEBF7"),
    "○": PatternFill("solid", fgColor="FFEB9C"),
}
BODY = Font(name="宋体", size=10)
HEAD = Font(name="黑体", size=10)
TITLE = Font(name="黑体", size=14)
WRAP = Alignment(vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
VERTICAL = Alignment(horizontal="center", vertical="bottom", text_rotation=255, wrap_text=False)


def _put(ws, row: int, column: int, value: object):
    """The cell at row, column holding value; strings always as text (never a formula)."""
    cell = ws.cell(row=row, column=column)
    set_value(cell, value)
    return cell


def _style(cell, key: tuple, font: Font, align: Alignment, fill: PatternFill | None = None, border: bool = True) -> None:
    """Style a cell; the first cell of a kind pays openpyxl's style lookup, the rest copy its style array."""
    cache = cell.parent.parent.__dict__.setdefault("_docgen_styles", {})
    if key in cache:
        cell._style = copy(cache[key])
        return
    cell.font, cell.alignment = font, align
    if border:
        cell.border = BORDER
    if fill is not None:
        cell.fill = fill
    cache[key] = copy(cell._style)


def _header(ws, row: int, names: list[str], widths: list[float]) -> None:
    for c, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        _style(_put(ws, row, c, name), ("head",), HEAD, CENTER, HEAD_FILL)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def _row(ws, row: int, values: list[object], fill: str | None = None) -> None:
    for c, value in enumerate(values, start=1):
        _style(_put(ws, row, c, value), ("body", fill), BODY, WRAP, FILLS[fill] if fill else None)


def _title(ws, text: str, span: int) -> None:
    """The sheet's title row, and A4 landscape printing fitted to the page width with repeated header rows."""
    cell = _put(ws, 1, 1, text)
    cell.font, cell.alignment = TITLE, Alignment(vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(span, 1))
    ws.row_dimensions[1].height = 40
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:3"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def _summary_sheet(wb: Workbook, cov: Coverage) -> None:
    ws = wb.active
    ws.title = "汇总"
    std = cov.standard
    _title(ws, f"{cov.info.company} 条款覆盖情况（{std.code}《{std.title}》）", 7)
    _header(ws, 3, ["一级指标", "名称", "条款数", "已覆盖", "已删减", "未覆盖", "覆盖率"], [10, 18, 8, 8, 8, 8, 10])
    row = 4
    for ind in std.indicators:
        _row(ws, row, [ind.id, ind.title, len(ind.clauses), cov.count("covered", ind.id), cov.count("excluded", ind.id),
                       cov.count("uncovered", ind.id), f"{cov.percent(ind.id):g}%"],
             "uncovered" if cov.count("uncovered", ind.id) else None)
        row += 1
    _row(ws, row, ["合计", "", len(cov.clauses), cov.count("covered"), cov.count("excluded"), cov.count("uncovered"), f"{cov.percent():g}%"])
    for c in range(1, 8):
        _style(ws.cell(row=row, column=c), ("total",), HEAD, WRAP)
    row += 2
    notes = [
        "覆盖率 = 已覆盖条款 ÷（条款数 − 已删减条款）× 100%。",
        f"条款是否覆盖，以文件正文（标题、段落、表格）中“{std.code} 条款号”形式的引用为准，而不是文件目录中的声明。",
        f"警告 {len(cov.warnings)} 项，提示 {len(cov.findings) - len(cov.warnings)} 项，见“悬空引用”和“其他检查”工作表。",
    ]
    for text in notes:
        _style(_put(ws, row, 1, text), ("note",), BODY, WRAP, border=False)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        ws.row_dimensions[row].height = 28
        row += 1


def _matrix_sheet(wb: Workbook, cov: Coverage) -> None:
    ws = wb.create_sheet("覆盖矩阵")
    docs = cov.info.documents
    declared = {d.relpath: set(d.declared) for d in docs} if cov.standard.catalog_clauses else {}
    _title(ws, "条款 × 文件覆盖矩阵（● 引用且声明　◎ 引用但未声明　○ 声明但未引用）", 3 + len(docs))
    _header(ws, 3, ["条款", "名称", "状态"], [9, 16, 9])
    ws.row_dimensions[3].height = 150
    for c, d in enumerate(docs, start=4):
        cell = _put(ws, 3, c, f"{d.number} {d.title}".strip())
        _style(cell, ("vertical",), HEAD, VERTICAL, HEAD_FILL)
        ws.column_dimensions[get_column_letter(c)].width = 4
    ws.freeze_panes = "D4"
    for r, res in enumerate(cov.clauses, start=4):
        _row(ws, r, [res.clause.id, res.clause.title, STATUS_CN[res.status]])
        _style(ws.cell(row=r, column=3), ("body", res.status), BODY, WRAP, FILLS[res.status])
        citing = {link.relpath for link in res.links}
        for c, d in enumerate(docs, start=4):
            mark = ""
            if d.relpath in citing:
                mark = "●" if res.clause.id in declared.get(d.relpath, set()) or not cov.standard.catalog_clauses else "◎"
            elif res.clause.id in declared.get(d.relpath, set()):
                mark = "○"
            cell = _put(ws, r, c, mark or None)
            _style(cell, ("mark", mark), BODY, CENTER, CELL_FILLS.get(mark))


def _detail_sheet(wb: Workbook, cov: Coverage) -> None:
    ws = wb.create_sheet("条款明细")
    _title(ws, "条款覆盖明细（每处引用一行）", 9)
    _header(ws, 3, ["条款", "名称", "状态", "主责职能", "文件编号", "文件名称", "所在章节", "位置", "引用原文/原因"],
            [9, 14, 9, 12, 13, 26, 26, 22, 50])
    row = 4
    for res in cov.clauses:
        duty = FUNCTIONS.labels().get(res.clause.responsible or "", "")
        if res.status != "covered" and not res.links:
            _row(ws, row, [res.clause.id, res.clause.title, STATUS_CN[res.status], duty, "", "", "", "", res.reason_cn], res.status)
            row += 1
            continue
        for link in res.links:
            _row(ws, row, [res.clause.id, res.clause.title, STATUS_CN[res.status], duty, link.number, link.title, link.heading,
                           where_cn(link.where), link.text])
            _style(ws.cell(row=row, column=3), ("body", res.status), BODY, WRAP, FILLS[res.status])
            row += 1
    ws.auto_filter.ref = f"A3:I{max(row - 1, 3)}"


def _items_sheet(wb: Workbook, cov: Coverage) -> None:
    ws = wb.create_sheet("三级条款")
    _title(ws, "三级条款覆盖情况（须由售后服务手册和至少一份程序文件或作业指导书阐述该项或其所属条款；记录表单只是证据）", 6)
    _header(ws, 3, ["条款", "三级条款", "名称", "状态", "阐述文件", "原因"], [9, 10, 18, 9, 40, 60])
    row = 4
    for res in cov.clauses:
        for it in res.items:
            _row(ws, row, [res.clause.id, it.item.id, it.item.title, STATUS_CN[it.status], _numbers(it.numbers), it.reason_cn])
            _style(ws.cell(row=row, column=4), ("body", it.status), BODY, WRAP, FILLS[it.status])
            row += 1
    if row == 4:
        _row(ws, 4, ["无", "", "条款目录未列三级条款", "", "", ""])
    ws.auto_filter.ref = f"A3:F{max(row - 1, 3)}"


def _exclusions_sheet(wb: Workbook, cov: Coverage) -> None:
    ws = wb.create_sheet("删减条款")
    _title(ws, "删减条款及理由（GB/T 27922-2011 6.2.2：不适用条款可删减，须说明理由）" if cov.standard.catalog_clauses else "删减条款及理由", 3)
    _header(ws, 3, ["条款", "名称", "删减理由"], [10, 20, 70])
    rows = [(r.clause.id, r.clause.title, r.reason_cn) for r in cov.clauses if r.status == "excluded"]
    rows += [(cid, cov.standard.title_of(cid), reason) for cid, reason in cov.item_exclusions.items()]
    if not rows:
        _row(ws, 4, ["无", "", "本公司无删减条款"])
    for i, values in enumerate(rows, start=4):
        _row(ws, i, list(values))


def _findings_sheet(wb: Workbook, name: str, title: str, findings: list[Finding]) -> None:
    ws = wb.create_sheet(name)
    _title(ws, title, 7)
    _header(ws, 3, ["类别", "级别", "文件编号", "文件名称", "位置", "所在章节", "说明"], [16, 8, 13, 26, 22, 24, 70])
    if not findings:
        _row(ws, 4, ["无", "", "", "", "", "", "未发现问题"])
    for i, f in enumerate(findings, start=4):
        _row(ws, i, [FINDING_KIND_CN.get(f.kind, f.kind), "警告" if f.severity == "warning" else "提示", f.number, f.title,
                     where_cn(f.where), f.heading, f.message_cn])


def workbook_bytes(cov: Coverage, when: dt.datetime | dt.date | None = None) -> bytes:
    """The coverage workbook: summary, clauses × documents matrix, details, exclusions, findings."""
    wb = Workbook()
    try:
        _summary_sheet(wb, cov)
        _matrix_sheet(wb, cov)
        _detail_sheet(wb, cov)
        _items_sheet(wb, cov)
        _exclusions_sheet(wb, cov)
        _findings_sheet(wb, "悬空引用", "悬空引用（文件名称或编号不在本套文件中、未知条款、缺失文件）",
                        [f for f in cov.findings if f.kind in DANGLING_KINDS])
        _findings_sheet(wb, "其他检查", "其他检查（部门和人员、职能分配表、声明与引用不一致）",
                        [f for f in cov.findings if f.kind not in DANGLING_KINDS])
    except CellTextError as exc:
        raise OutputError([Problem(f"cannot write the coverage workbook: {exc}")]) from None
    stamp = when if isinstance(when, dt.datetime) else dt.datetime.combine(when or dt.date.today(), dt.time(12))
    wb.properties.created = stamp
    wb.properties.title = "条款覆盖矩阵"
    wb.properties.creator = one_line(cov.info.company or "docgen")
    buf = io.BytesIO()
    wb.save(buf)
    return restamp(buf.getvalue(), stamp, core_dates=True)


def write_workbook(cov: Coverage, path: Path) -> None:
    """Write the coverage workbook to `path` (e.g. for `docgen coverage --xlsx`)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(workbook_bytes(cov, dt.datetime.now().replace(microsecond=0)))
    except OSError as exc:
        raise OutputError([Problem(f"cannot write the workbook: {exc.strerror}", file=str(path))]) from None
