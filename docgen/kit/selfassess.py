"""The self-assessment workbook: every indicator to the third level, live score and level formulas, a chart, the gaps."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..coverage import Coverage
from ..profile import Profile
from ..standards import Standard
from ..trades.wording import rewording
from . import sheets as sh
from .scoring import (
    BONUS_CELL,
    COL,
    DEDUCTION_ROWS,
    DEDUCTIONS_SHEET,
    FAIL_DEDUCTIONS,
    LEVEL_CELLS,
    MAX_LEVELS,
    SHEET,
    STATUSES,
    SUMMARY_SHEET,
    Answers,
    Row,
    catalog_rows,
)

TITLE = "售后服务自我评价表"
GAP_SHEET, CHART_SHEET = "差距及整改计划", "得分图"
GAP_STATES = ("未开始", "进行中", "已完成", "已验证")
_DEPTH_CN = {1: "一级指标", 2: "二级指标", 3: "三级指标"}
_FILLS = {1: PatternFill("solid", fgColor="D9E1F2"), 2: PatternFill("solid", fgColor="F2F2F2")}
_HEADER = ["编号", "层级", "指标 / 评价项目", "评价要求", "审核关注的证据", "本套文件中的证据（文件编号、章节）", "分值",
           "评价结果", "抽样合格比例（%）", "得分", "适用分值", "说明 / 差距描述", "二级指标", "计分"]
_WIDTHS = [8, 9, 16, 36, 30, 40, 7, 11, 10, 8, 8, 24, 8, 5]
_PCT = "0.00"


@dataclass(frozen=True)
class Owner:
    """Who closes the gaps of a clause and by when (the improvement plan's defaults)."""

    department: str
    head: str
    deadline: dt.date


def plain_heading(standard: Standard, heading: str) -> str:
    """A heading without its clause reference, so a working paper never counts as citing the standard."""
    text = standard.reference_pattern.sub("", heading)
    return re.sub(r"[（(]\s*[）)]", "", text).strip()


def evidence_text(coverage: Coverage | None, row: Row, limit: int = 8) -> str:
    """The documents and sections of this pack that cite the line (the item's own citations first)."""
    if coverage is None:
        return ""
    links = list(coverage.items.get(row.id, [])) if row.depth == 3 else []
    result = next((r for r in coverage.clauses if r.clause.id == row.clause), None)
    if result is not None:
        links += result.links
    by_doc: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for link in links:
        titles.setdefault(link.number, link.title)
        headings = by_doc.setdefault(link.number, [])
        heading = plain_heading(coverage.standard, link.heading)
        if heading and heading not in headings:
            headings.append(heading)
    lines = []
    for number in list(by_doc)[:limit]:
        shown = "、".join(by_doc[number][:3]) + ("等" if len(by_doc[number]) > 3 else "")
        lines.append(f"{number}《{titles[number]}》" + (f"：{shown}" if shown else ""))
    return "\n".join(lines)


def _q(sheet: str) -> str:
    return f"'{sheet}'"


def _assessment(ws: Worksheet, profile: Profile, number: str, rows: Sequence[Row], coverage: Coverage | None,
                excluded: dict[str, str], answers: Answers | None) -> tuple[list[int], int]:
    sh.titled_sheet(ws, profile.company.name, number, TITLE, _HEADER, _WIDTHS,
                    "依据：GB/T 27922-2011《商品售后服务评价体系》及条款目录；黄色单元格由评价人填写")
    spans: dict[str, tuple[int, int]] = {}
    sheet_row = {row.id: sh.FIRST_ROW + i for i, row in enumerate(rows)}
    for row in rows:  # the rows each indicator and clause subtotal sums
        first = sheet_row[row.id] + 1
        last = first - 1
        for other in rows[rows.index(row) + 1:]:
            if other.depth <= row.depth:
                break
            last = sheet_row[other.id]
        spans[row.id] = (first, last)
    scored_rows = []
    worded = rewording(profile.trade.wording) or str  # the catalog's generic evidence names, as the trade says them
    for row in rows:
        r = sheet_row[row.id]
        reason = excluded.get(row.id) or excluded.get(row.clause) or ""
        values: list[object] = [row.id, _DEPTH_CN[row.depth], row.title, row.requirement, worded(row.looks_for),
                                evidence_text(coverage, row) if row.depth > 1 else "", row.points]
        font = sh.BOLD if row.depth < 3 and not row.scored else sh.BODY
        for c, value in enumerate(values, start=1):
            sh.put(ws, r, c, value, font, sh.CENTER if c in (1, 2, 7) else sh.WRAP, fill=_FILLS.get(row.depth))
        sh.put(ws, r, COL["clause"], row.clause, align=sh.CENTER)
        sh.put(ws, r, COL["scored"], 1 if row.scored else 0, align=sh.CENTER)
        j, k, n = (get_column_letter(COL[key]) for key in ("got", "applicable", "scored"))
        if row.scored:
            scored_rows.append(r)
            h, i, g = (get_column_letter(COL[key]) for key in ("status", "share", "points"))
            share = f"IF(ISNUMBER({i}{r}),MIN(MAX({i}{r},0),100)/100,{{d}})"
            sh.formula(ws, r, COL["got"], f'=IF({h}{r}="符合",{g}{r}*{share.format(d=1)},'
                                          f'IF({h}{r}="部分符合",{g}{r}*{share.format(d=0.5)},0))', _PCT)
            sh.formula(ws, r, COL["applicable"], f'=IF({h}{r}="不适用",0,{g}{r})', _PCT)
            status = "不适用" if reason else (answers.status.get(row.id, "") if answers else "")
            note = f"删减：{reason}" if reason else (answers.notes.get(row.id, "") if answers else "")
            share_value = answers.share.get(row.id) if answers else None
            for key, value in (("status", status or None), ("share", share_value), ("note", note or None)):
                sh.put(ws, r, COL[key], value, align=sh.CENTER if key != "note" else sh.WRAP, fill=sh.INPUT_FILL)
        else:
            first, last = spans[row.id]
            for key, col in (("got", j), ("applicable", k)):
                sh.formula(ws, r, COL[key], f"=SUMIFS({col}{first}:{col}{last},{n}{first}:{n}{last},1)", _PCT, sh.BOLD)
            for key in ("status", "share", "note"):
                sh.put(ws, r, COL[key], None, fill=_FILLS.get(row.depth))
        ws.row_dimensions[r].height = sh.row_height(values, _WIDTHS)
    last_row = sh.FIRST_ROW + len(rows) - 1
    status_col = get_column_letter(COL["status"])
    sh.dropdown(ws, STATUSES, " ".join(f"{status_col}{r}" for r in scored_rows), "符合 / 部分符合 / 不符合 / 不适用")
    share_col = get_column_letter(COL["share"])
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    dv.error, dv.prompt = "抽样合格比例填 0～100 的数字", "抽样项目：抽查合格的比例（%），留空按符合=100%、部分符合=50%计"
    ws.add_data_validation(dv)
    for r in scored_rows:
        dv.add(f"{share_col}{r}")
    ws.column_dimensions[get_column_letter(COL["scored"])].hidden = True
    end = sh.note_rows(ws, last_row + 2, [
        "注1：评价结果选“符合”得该项全部分值，“部分符合”得一半分值，“不符合”或未评价不得分；抽样评价的项目（人员、记录、设施、投诉等）"
        "在“抽样合格比例”栏填抽查合格的比例，按比例得分。",
        "注2：“不适用”的项目（企业档案中已删减的条款已预先标出）不计入分母：评价得分＝得分合计÷适用项目分值合计×100，"
        f"每个特别扣分项扣1分（记在“{DEDUCTIONS_SHEET}”表），领先做法最多加1分；特别扣分项{FAIL_DEDUCTIONS}项及以上不予通过。",
        f"注3：得分与预测等级见“{SUMMARY_SHEET}”表；未达“符合”的项目自动列入“{GAP_SHEET}”表。命令 docgen score 按同一方法计算。",
    ], len(_HEADER))
    ws.print_area = f"A1:{get_column_letter(len(_HEADER) - 2)}{end - 1}"
    return scored_rows, last_row


def _deductions(ws: Worksheet, profile: Profile, number: str, answers: Answers | None) -> None:
    header = ["序号", "发现日期", "违规事实（每填一行计一项，扣1分）", "违反的法律法规 / 公司制度 / 行业要求", "涉及条款", "整改要求",
              "整改期限", "整改验证"]
    widths = [6, 12, 36, 30, 10, 26, 12, 16]
    sh.titled_sheet(ws, profile.company.name, number, "特别扣分项记录", header, widths,
                    f"违反法律法规、公司制度或行业要求的，每项扣1分并须整改；{FAIL_DEDUCTIONS}项及以上不予通过")
    given = answers.deductions if answers else []
    for k, r in enumerate(DEDUCTION_ROWS):
        sh.put(ws, r, 1, k + 1, align=sh.CENTER)
        for c in range(2, len(header) + 1):
            value = given[k] if c == 3 and k < len(given) else None
            sh.put(ws, r, c, value, fill=sh.INPUT_FILL if c == 3 else None)
    ws.print_area = f"A1:H{DEDUCTION_ROWS[-1]}"


def _summary(ws: Worksheet, profile: Profile, number: str, standard: Standard, rows: Sequence[Row], last_row: int,
             answers: Answers | None) -> tuple[int, int]:
    sh.titled_sheet(ws, profile.company.name, number, "自我评价评分汇总", ["项目", "数值", "计算方法", "", "等级", "最低得分"],
                    [26, 14, 44, 3, 16, 10], "依据：条款目录的分值与等级门槛；本表全部为公式，随自评表自动计算", landscape=False)
    a = _q(SHEET)
    j, k, n = (get_column_letter(COL[key]) for key in ("got", "applicable", "scored"))
    span = f"{sh.FIRST_ROW}:{{c}}{last_row}"
    first, last_ded = DEDUCTION_ROWS[0], DEDUCTION_ROWS[-1]
    levels = standard.levels[:MAX_LEVELS]
    for (name_ref, score_ref), level in zip(LEVEL_CELLS, levels):
        sh.put(ws, int(name_ref[1:]), 5, level.name, align=sh.CENTER)
        sh.put(ws, int(score_ref[1:]), 6, level.min_score, align=sh.CENTER, fill=sh.INPUT_FILL)
    lowest = LEVEL_CELLS[0][1]
    level_formula = f'"不通过（低于"&{lowest}&"分）"' if levels else '"不通过"'
    for (name_ref, score_ref), _level in zip(LEVEL_CELLS, levels):
        level_formula = f"IF(B9>={score_ref},{name_ref},{level_formula})"
    lines: list[tuple[str, object, str]] = [
        ("得分合计", f"=SUMIFS({a}!{j}{span.format(c=j)},{a}!{n}{span.format(c=n)},1)", "各评价项目得分之和（抽样项目按合格比例）"),
        ("适用项目分值合计", f"=SUMIFS({a}!{k}{span.format(c=k)},{a}!{n}{span.format(c=n)},1)", "不含“不适用”的项目"),
        ("特别扣分项（项）", f"=COUNTA({_q(DEDUCTIONS_SHEET)}!C{first}:C{last_ded})", "每项扣1分"),
        ("加分（0或1）", answers.bonus if answers and answers.bonus else 0, "领先做法，最多加1分（填写）"),
        ("评价得分", "=IF(B6=0,0,MAX(0,MIN(100,ROUND(B5/B6*100,2)-B7+MIN(MAX(N(B8),0),1))))",
         "得分合计÷适用项目分值合计×100，减特别扣分项，加加分，0～100"),
        ("预测等级", f'=IF(B7>={FAIL_DEDUCTIONS},"不通过（特别扣分项{FAIL_DEDUCTIONS}项及以上）",{level_formula})',
         f"按右侧等级门槛；特别扣分项{FAIL_DEDUCTIONS}项及以上不予通过"),
        ("目标等级", profile.certification.target_level, "企业档案"),
    ]
    for r, (label, value, how) in enumerate(lines, start=5):
        sh.put(ws, r, 1, label, sh.BOLD)
        if isinstance(value, str) and value.startswith("="):
            sh.formula(ws, r, 2, value, "0.00" if r in (5, 6, 9) else None, sh.BOLD)
        else:
            sh.put(ws, r, 2, value, align=sh.CENTER, fill=sh.INPUT_FILL if f"B{r}" == BONUS_CELL else None)
        sh.put(ws, r, 3, how)
    sh.dropdown(ws, ["0", "1"], BONUS_CELL)
    top = 14
    for c, name in enumerate(["二级指标", "名称", "适用分值", "得分", "得分率（%）"], start=1):
        sh.put(ws, top, c, name, sh.HEAD, sh.CENTER, fill=sh.HEAD_FILL)
    m = get_column_letter(COL["clause"])
    clauses = [row for row in rows if row.depth == 2]
    for r, row in enumerate(clauses, start=top + 1):
        sh.put(ws, r, 1, row.id, align=sh.CENTER)
        sh.put(ws, r, 2, f"{row.id} {row.title}")
        for c, col in ((3, k), (4, j)):
            sh.formula(ws, r, c, f"=SUMIFS({a}!{col}{span.format(c=col)},{a}!{m}{span.format(c=m)},A{r},"
                                 f"{a}!{n}{span.format(c=n)},1)", "0.00")
        sh.formula(ws, r, 5, f"=IF(C{r}=0,0,ROUND(D{r}/C{r}*100,1))", "0.0")
    ws.print_area = f"A1:F{top + len(clauses)}"
    return top + 1, top + len(clauses)


def _chart(ws: Worksheet, summary: Worksheet, company: str, first: int, last: int) -> None:
    ws.merge_cells("A1:O1")
    sh.put(ws, 1, 1, f"{company}　各二级指标自我评价得分率", Font(name="黑体", size=14), sh.CENTER, border=False)
    ws.row_dimensions[1].height = 24
    chart = BarChart()
    chart.type, chart.style = "bar", 10
    chart.title = "各二级指标得分率（%）"
    chart.y_axis.title = "得分率（%）"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.y_axis.majorUnit = 10
    chart.y_axis.number_format = "0"
    chart.x_axis.scaling.orientation = "maxMin"  # 5.1.1 at the top
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.add_data(Reference(summary, min_col=5, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=2, min_row=first, max_row=last))
    chart.legend = None
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showCatName = chart.dataLabels.showSerName = chart.dataLabels.showLegendKey = False
    chart.dataLabels.showPercent = False
    chart.gapWidth = 60
    chart.height, chart.width = 13, 24
    ws.add_chart(chart, "A3")
    ws.print_area = "A1:O30"
    sh.print_setup(ws, company, "", landscape=True)


def _gaps(ws: Worksheet, profile: Profile, number: str, rows: Sequence[Row], scored_rows: list[int],
          owners: dict[str, Owner]) -> None:
    header = ["序号", "编号", "评价项目", "评价结果", "差距描述", "整改措施", "责任部门", "责任人", "完成期限", "状态",
              "", "部门", "负责人", "期限"]
    widths = [6, 9, 18, 10, 26, 30, 13, 9, 14, 9, 2, 12, 8, 12]
    sh.titled_sheet(ws, profile.company.name, number, "自我评价差距及整改计划", header[:10], widths,
                    "自评表中未达“符合”的项目自动列出（含未评价）；责任部门为条款的主责部门，期限为进度计划中文件发布前")
    a = _q(SHEET)
    by_row = {sh.FIRST_ROW + i: row for i, row in enumerate(rows)}
    h, c_id, c_title, c_note = (get_column_letter(COL[key]) for key in ("status", "id", "title", "note"))
    for k, src in enumerate(scored_rows):
        r = sh.FIRST_ROW + k
        owner = owners[by_row[src].clause]
        for col, value in ((12, owner.department), (13, owner.head), (14, owner.deadline)):
            sh.put(ws, r, col, value, border=False)
        sh.formula(ws, r, 2, f'=IF(OR({a}!{h}{src}="符合",{a}!{h}{src}="不适用"),"",{a}!{c_id}{src})')
        sh.formula(ws, r, 1, f'=IF(B{r}="","",COUNTIF(B${sh.FIRST_ROW}:B{r},"?*"))')
        sh.formula(ws, r, 3, f'=IF(B{r}="","",{a}!{c_title}{src})')
        sh.formula(ws, r, 4, f'=IF(B{r}="","",IF({a}!{h}{src}="","未评价",{a}!{h}{src}))')
        sh.formula(ws, r, 5, f'=IF(B{r}="","",{a}!{c_note}{src}&"")')
        sh.put(ws, r, 6, None, fill=sh.INPUT_FILL)
        for col, src_col in ((7, "L"), (8, "M"), (9, "N")):
            sh.formula(ws, r, col, f'=IF(B{r}="","",{src_col}{r})', sh.DATE_FORMAT if col == 9 else None)
        sh.put(ws, r, 10, None, align=sh.CENTER, fill=sh.INPUT_FILL)
        ws.row_dimensions[r].height = 30
    last = sh.FIRST_ROW + len(scored_rows) - 1
    sh.dropdown(ws, GAP_STATES, f"J{sh.FIRST_ROW}:J{last}")
    for letter in "KLMN":
        ws.column_dimensions[letter].hidden = True
    ws.print_area = f"A1:J{last}"


def build_selfassess(profile: Profile, standard: Standard, coverage: Coverage | None, number: str,
                     owners: dict[str, Owner], when: dt.datetime, answers: Answers | None = None) -> bytes:
    """The workbook's bytes; `answers` pre-fills it (tests and the README picture), else it is blank to fill."""
    rows = catalog_rows(standard)
    excluded = {e.clause.strip(): e.reason for e in profile.certification.excluded}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    scored_rows, last_row = _assessment(ws, profile, number, rows, coverage, excluded, answers)
    _deductions(wb.create_sheet(DEDUCTIONS_SHEET), profile, number, answers)
    summary = wb.create_sheet(SUMMARY_SHEET)
    first, last = _summary(summary, profile, number, standard, rows, last_row, answers)
    _chart(wb.create_sheet(CHART_SHEET), summary, profile.company.name, first, last)
    _gaps(wb.create_sheet(GAP_SHEET), profile, number, rows, scored_rows, owners)
    return sh.save(wb, profile.company.name, TITLE, when)
