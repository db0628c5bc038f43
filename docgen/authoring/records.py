"""Compile a record-form spec (.yaml) into an Excel form template: title, number and company in
the header, column layout and widths, blank rows, dropdowns, signature lines, A4 print setup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel, ConfigDict, Field

from ..render.excel import needed_height

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
BODY_FONT = Font(name="宋体", size=10.5)
HEAD_FONT = Font(name="黑体", size=10.5)
TITLE_FONT = Font(name="黑体", size=16)
SMALL_FONT = Font(name="宋体", size=9)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    width: float = 12
    choices: list[str] | None = None
    value: str | None = None  # Jinja for pre-filled rows (register forms with a loop)


class FormField(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    value: str = ""
    span: int = 1  # how many value cells it takes (in label+value pairs)
    choices: list[str] | None = None
    height: float | None = None


class Spec(BaseModel):
    """A record form: either a register (columns and rows) or a form (labelled fields), or both."""

    model_config = ConfigDict(extra="forbid")
    title: str
    orientation: Literal["portrait", "landscape"] = "portrait"
    intro: list[str] = Field(default_factory=list)
    form: list[list[FormField | str]] = Field(default_factory=list)
    columns: list[Column] = Field(default_factory=list)
    rows: int = 15
    loop: str | None = None  # e.g. "o in outlets": pre-fill one row per item, then `rows` blank ones
    signatures: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    form_columns: int = 4


def _style(cell, font=BODY_FONT, align=WRAP_LEFT, border=True, fill=None) -> None:
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = BORDER
    if fill is not None:
        cell.fill = fill


def compile_record(spec_data: dict[str, Any], out: Path) -> None:
    spec = Spec.model_validate(spec_data)
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "-", spec.title)[:31]  # characters Excel refuses in sheet names
    if spec.columns:
        widths = [c.width for c in spec.columns]
    else:
        widths = [14, 24, 14, 24][: spec.form_columns] if spec.form_columns == 4 else [14] + [20] * (spec.form_columns - 1)
    ncol = len(widths)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    last = get_column_letter(ncol)
    r = 1
    ws.merge_cells(f"A{r}:{last}{r}")
    ws[f"A{r}"] = "{{ company.name }}"
    _style(ws[f"A{r}"], Font(name="黑体", size=12), WRAP_CENTER, border=False)
    r += 1
    ws.merge_cells(f"A{r}:{last}{r}")
    ws[f"A{r}"] = "{{ doc.title }}"
    _style(ws[f"A{r}"], TITLE_FONT, WRAP_CENTER, border=False)
    ws.row_dimensions[r].height = 30
    r += 1
    half = max(ncol // 2, 1)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=half)
    ws.cell(r, 1, "表单编号：{{ doc.number }}    版本：{{ doc.version }}")
    _style(ws.cell(r, 1), SMALL_FONT, WRAP_LEFT, border=False)
    if ncol > half:
        ws.merge_cells(start_row=r, start_column=half + 1, end_row=r, end_column=ncol)
        ws.cell(r, half + 1, "填表日期：　　　年　　月　　日")
        _style(ws.cell(r, half + 1), SMALL_FONT, Alignment(horizontal="right", vertical="center"), border=False)
    r += 1
    for line in spec.intro:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        ws.cell(r, 1, line)
        _style(ws.cell(r, 1), BODY_FONT, WRAP_LEFT, border=False)
        ws.row_dimensions[r].height = max(needed_height(line, sum(widths), 10.5), 18)
        r += 1
    title_rows_end = r - 1

    # form part: rows of label/value pairs
    for row in spec.form:
        col = 1
        if len(row) == 1 and isinstance(row[0], str):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
            ws.cell(r, 1, row[0])
            _style(ws.cell(r, 1), HEAD_FONT, WRAP_LEFT, fill=HEAD_FILL)
            for c in range(1, ncol + 1):
                ws.cell(r, c).border = BORDER
            r += 1
            continue
        fields = [f if isinstance(f, FormField) else FormField(label=f) for f in row]
        # spread the last field's value to the end of the row
        height = max((f.height or 0) for f in fields) or 24
        for k, f in enumerate(fields):
            if col + 1 > ncol:
                raise ValueError(
                    f"{spec.title}: form row {[x.label for x in fields]} does not fit in {ncol} columns "
                    f"(field {f.label!r} starts at column {col}); use fewer fields or smaller spans"
                )
            ws.cell(r, col, f.label)
            _style(ws.cell(r, col), HEAD_FONT, WRAP_CENTER, fill=HEAD_FILL)
            col += 1
            span = f.span if k < len(fields) - 1 else max(ncol - col + 1, 1)
            end = min(col + span - 1, ncol)
            if end > col:
                ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=end)
            ws.cell(r, col, f.value or None)
            _style(ws.cell(r, col), BODY_FONT, TOP_LEFT if (f.height or 0) > 30 else WRAP_LEFT)
            for c in range(col, end + 1):
                ws.cell(r, c).border = BORDER
            if f.choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True)
                dv.promptTitle = f.label
                dv.prompt = "请从下拉列表选择"
                ws.add_data_validation(dv)
                dv.add(ws.cell(r, col).coordinate)
            col = end + 1
        ws.row_dimensions[r].height = height
        r += 1

    # register part: header row, pre-filled loop row, blank rows
    header_row = None
    if spec.columns:
        header_row = r
        for c, column in enumerate(spec.columns, start=1):
            ws.cell(r, c, column.name)
            _style(ws.cell(r, c), HEAD_FONT, WRAP_CENTER, fill=HEAD_FILL)
        ws.row_dimensions[r].height = 30
        r += 1
        first_data = r
        if spec.loop:
            for c, column in enumerate(spec.columns, start=1):
                value = column.value or ""
                if c == 1:
                    value = "{%row for " + spec.loop + " %}" + (value or "{{ loop.index }}")
                ws.cell(r, c, value or None)
                _style(ws.cell(r, c), BODY_FONT, WRAP_CENTER if c == 1 else WRAP_LEFT)
            ws.row_dimensions[r].height = 22
            r += 1
        for _ in range(spec.rows):
            for c in range(1, ncol + 1):
                _style(ws.cell(r, c), BODY_FONT, WRAP_LEFT)
            ws.row_dimensions[r].height = 22
            r += 1
        for c, column in enumerate(spec.columns, start=1):
            if column.choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
                dv.promptTitle = column.name
                dv.prompt = "请从下拉列表选择"
                ws.add_data_validation(dv)
                col = get_column_letter(c)
                dv.add(f"{col}{first_data}:{col}{r - 1}")

    # signatures and notes
    if spec.signatures:
        per_row = max(min(len(spec.signatures), ncol // 2 if ncol >= 4 else ncol), 1)
        chunks = [spec.signatures[i : i + per_row] for i in range(0, len(spec.signatures), per_row)]
        for chunk in chunks:
            per = max(ncol // len(chunk), 1)
            col = 1
            for k, label in enumerate(chunk):
                end = ncol if k == len(chunk) - 1 else min(col + per - 1, ncol)
                if end > col:
                    ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=end)
                ws.cell(r, col, f"{label}：")
                _style(ws.cell(r, col), BODY_FONT, WRAP_LEFT, border=False)
                col = end + 1
            ws.row_dimensions[r].height = 30
            r += 1
    for note in spec.notes:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        ws.cell(r, 1, note)
        _style(ws.cell(r, 1), SMALL_FONT, WRAP_LEFT, border=False)
        ws.row_dimensions[r].height = needed_height(note, sum(widths), 9)
        r += 1

    ws.print_area = f"A1:{last}{r - 1}"
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    else:
        ws.print_title_rows = f"1:{title_rows_end}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = spec.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = 0.9
    ws.page_margins.bottom = 0.8
    ws.oddHeader.left.text = "{{ company.short_name }}"
    ws.oddHeader.right.text = "{{ doc.number }}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.sheet_view.showGridLines = False
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(out))


def compile_record_file(src: Path, out: Path) -> None:
    compile_record(yaml.safe_load(src.read_text(encoding="utf-8")), out)
