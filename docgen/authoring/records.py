"""Compile a record-form spec (.yaml) into an Excel form template: title, number and company in
the header, column layout and widths, blank rows, dropdowns, signature lines, A4 print setup."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel, ConfigDict, Field

from ..render.cells import set_text, set_value
from ..render.excel import needed_height, sheet_title

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
BODY_FONT = Font(name="宋体", size=10.5)
HEAD_FONT = Font(name="黑体", size=10.5)
TITLE_FONT = Font(name="黑体", size=16)
SMALL_FONT = Font(name="宋体", size=9)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
PAPER = {"sheet": "9", "card": "11", "tag": "70"}  # Excel paper sizes: A4, A5 (half A4), A6 (quarter A4)
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
    # the page: "sheet" A4 (填表日期, page numbers); "card" half A4 (A5) and "tag" quarter A4 (A6)
    # for forms that are a small card, slip, tag or label: one page, no 填表日期, no page numbers
    layout: Literal["sheet", "card", "tag"] = "sheet"
    repairs: int = 0  # rows of a repair record section (维修记录), e.g. on a warranty card


def _style(cell: Any, font: Font = BODY_FONT, align: Alignment = WRAP_LEFT, border: bool = True,
           fill: PatternFill | None = None) -> None:
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = BORDER
    if fill is not None:
        cell.fill = fill


def _dropdown(ws: Worksheet, label: str, choices: list[str], cells: str) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    dv.promptTitle = label
    dv.prompt = "请从下拉列表选择"
    ws.add_data_validation(dv)
    dv.add(cells)


class _FormWriter:
    """Lays one record form out on a sheet, top to bottom; `r` is the next free row."""

    def __init__(self, spec: Spec, ws: Worksheet) -> None:
        self.spec = spec
        self.ws = ws
        self.widths: list[float]
        if spec.columns:
            self.widths = [c.width for c in spec.columns]
        elif spec.form_columns == 4:
            self.widths = [14, 24, 14, 24]
        else:
            self.widths = [14, *([20] * (spec.form_columns - 1))]
        self.ncol = len(self.widths)
        self.last = get_column_letter(self.ncol)
        self.r = 1
        self.title_rows_end = 0
        self.header_row: int | None = None

    def full_row(self, value: str, font: Font, align: Alignment, fill: PatternFill | None = None,
                 border: bool = False) -> None:
        """A cell merged across the whole width on the current row."""
        self.ws.merge_cells(start_row=self.r, start_column=1, end_row=self.r, end_column=self.ncol)
        set_value(self.ws.cell(self.r, 1), value)
        _style(self.ws.cell(self.r, 1), font, align, border=border, fill=fill)

    def heading(self) -> None:
        ws, r, last = self.ws, self.r, self.last
        for i, w in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.merge_cells(f"A{r}:{last}{r}")
        set_text(ws[f"A{r}"], "{{ company.name }}")
        _style(ws[f"A{r}"], Font(name="黑体", size=12), WRAP_CENTER, border=False)
        r += 1
        ws.merge_cells(f"A{r}:{last}{r}")
        set_text(ws[f"A{r}"], "{{ doc.title }}")
        _style(ws[f"A{r}"], TITLE_FONT, WRAP_CENTER, border=False)
        ws.row_dimensions[r].height = 30
        r += 1
        half = max(self.ncol // 2, 1)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=half if self.spec.layout == "sheet" else self.ncol)
        set_text(ws.cell(r, 1), "表单编号：{{ doc.number }}    版本：{{ doc.version }}")
        _style(ws.cell(r, 1), SMALL_FONT, WRAP_LEFT, border=False)
        if self.ncol > half and self.spec.layout == "sheet":
            ws.merge_cells(start_row=r, start_column=half + 1, end_row=r, end_column=self.ncol)
            set_text(ws.cell(r, half + 1), "填表日期：　　　年　　月　　日")
            _style(ws.cell(r, half + 1), SMALL_FONT, Alignment(horizontal="right", vertical="center"), border=False)
        self.r = r + 1

    def intro(self) -> None:
        for line in self.spec.intro:
            self.full_row(line, BODY_FONT, WRAP_LEFT)
            self.ws.row_dimensions[self.r].height = max(needed_height(line, sum(self.widths), 10.5), 18)
            self.r += 1
        self.title_rows_end = self.r - 1

    def form(self) -> None:
        """Rows of label/value pairs; a row of one string is a shaded section heading."""
        for row in self.spec.form:
            if len(row) == 1 and isinstance(row[0], str):
                self.full_row(row[0], HEAD_FONT, WRAP_LEFT, fill=HEAD_FILL, border=True)
                for c in range(1, self.ncol + 1):
                    self.ws.cell(self.r, c).border = BORDER
            else:
                self._field_row([f if isinstance(f, FormField) else FormField(label=f) for f in row])
            self.r += 1

    def _field_row(self, fields: list[FormField]) -> None:
        ws, r, ncol = self.ws, self.r, self.ncol
        height = max((f.height or 0) for f in fields) or 24
        col = 1
        for k, f in enumerate(fields):
            if col + 1 > ncol:
                raise ValueError(
                    f"{self.spec.title}: form row {[x.label for x in fields]} does not fit in {ncol} columns "
                    f"(field {f.label!r} starts at column {col}); use fewer fields or smaller spans"
                )
            set_value(ws.cell(r, col), f.label)
            _style(ws.cell(r, col), HEAD_FONT, WRAP_CENTER, fill=HEAD_FILL)
            col += 1
            # the last field's value spreads to the end of the row
            span = f.span if k < len(fields) - 1 else max(ncol - col + 1, 1)
            end = min(col + span - 1, ncol)
            if end > col:
                ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=end)
            set_value(ws.cell(r, col), f.value or None)
            _style(ws.cell(r, col), BODY_FONT, TOP_LEFT if (f.height or 0) > 30 else WRAP_LEFT)
            for c in range(col, end + 1):
                ws.cell(r, c).border = BORDER
            if f.choices:
                _dropdown(ws, f.label, f.choices, ws.cell(r, col).coordinate)
            col = end + 1
        ws.row_dimensions[r].height = height

    def register(self) -> None:
        """Header row, the pre-filled loop row, blank rows, and a dropdown per column with choices."""
        spec, ws = self.spec, self.ws
        if not spec.columns:
            return
        self.header_row = self.r
        for c, column in enumerate(spec.columns, start=1):
            set_value(ws.cell(self.r, c), column.name)
            _style(ws.cell(self.r, c), HEAD_FONT, WRAP_CENTER, fill=HEAD_FILL)
        ws.row_dimensions[self.r].height = 30
        self.r += 1
        first_data = self.r
        if spec.loop:
            for c, column in enumerate(spec.columns, start=1):
                value = column.value or ""
                if c == 1:
                    value = "{%row for " + spec.loop + " %}" + (value or "{{ loop.index }}")
                set_value(ws.cell(self.r, c), value or None)
                _style(ws.cell(self.r, c), BODY_FONT, WRAP_CENTER if c == 1 else WRAP_LEFT)
            ws.row_dimensions[self.r].height = 22
            self.r += 1
        for _ in range(spec.rows):
            for c in range(1, self.ncol + 1):
                _style(ws.cell(self.r, c), BODY_FONT, WRAP_LEFT)
            ws.row_dimensions[self.r].height = 22
            self.r += 1
        for c, column in enumerate(spec.columns, start=1):
            if column.choices:
                col = get_column_letter(c)
                _dropdown(ws, column.name, column.choices, f"{col}{first_data}:{col}{self.r - 1}")

    def repairs(self) -> None:
        """A repair record section: a shaded heading, a header row and `repairs` blank rows."""
        n = self.spec.repairs
        if not n:
            return
        self.full_row("维修记录", HEAD_FONT, WRAP_LEFT, fill=HEAD_FILL, border=True)
        for c in range(1, self.ncol + 1):
            self.ws.cell(self.r, c).border = BORDER
        self.r += 1
        labels = ["维修日期", "故障现象、维修内容及更换配件", "维修人员（签字）"][: max(self.ncol, 1)]
        spans = [1, self.ncol - 2, 1] if self.ncol >= 3 else [1] * (len(labels) - 1) + [self.ncol - len(labels) + 1]
        for r in range(n + 1):
            col = 1
            for label, span in zip(labels, spans):
                end = col + span - 1
                if end > col:
                    self.ws.merge_cells(start_row=self.r, start_column=col, end_row=self.r, end_column=end)
                if r == 0:
                    set_value(self.ws.cell(self.r, col), label)
                    _style(self.ws.cell(self.r, col), HEAD_FONT, WRAP_CENTER, fill=HEAD_FILL)
                else:
                    _style(self.ws.cell(self.r, col), BODY_FONT, WRAP_LEFT)
                for c in range(col, end + 1):
                    self.ws.cell(self.r, c).border = BORDER
                col = end + 1
            self.ws.row_dimensions[self.r].height = 24 if r == 0 else 30
            self.r += 1

    def signatures(self) -> None:
        labels, ncol = self.spec.signatures, self.ncol
        if not labels:
            return
        per_row = max(min(len(labels), ncol // 2 if ncol >= 4 else ncol), 1)
        for chunk in (labels[i : i + per_row] for i in range(0, len(labels), per_row)):
            per = max(ncol // len(chunk), 1)
            col = 1
            for k, label in enumerate(chunk):
                end = ncol if k == len(chunk) - 1 else min(col + per - 1, ncol)
                if end > col:
                    self.ws.merge_cells(start_row=self.r, start_column=col, end_row=self.r, end_column=end)
                set_text(self.ws.cell(self.r, col), f"{label}：")
                _style(self.ws.cell(self.r, col), BODY_FONT, WRAP_LEFT, border=False)
                col = end + 1
            self.ws.row_dimensions[self.r].height = 30
            self.r += 1

    def notes(self) -> None:
        for note in self.spec.notes:
            self.full_row(note, SMALL_FONT, WRAP_LEFT)
            self.ws.row_dimensions[self.r].height = needed_height(note, sum(self.widths), 9)
            self.r += 1

    def page_setup(self) -> None:
        ws = self.ws
        ws.print_area = f"A1:{self.last}{self.r - 1}"
        ws.print_title_rows = f"{self.header_row}:{self.header_row}" if self.header_row else f"1:{self.title_rows_end}"
        ws.page_setup.paperSize = PAPER[self.spec.layout]
        ws.page_setup.orientation = self.spec.orientation
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0 if self.spec.layout == "sheet" else 1  # a card is one page
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.6
        ws.page_margins.top = 0.9
        ws.page_margins.bottom = 0.8
        if self.spec.layout != "sheet":  # a card carries its number in its heading, and no page numbers
            ws.page_margins.left = ws.page_margins.right = 0.4
            ws.page_margins.top = ws.page_margins.bottom = 0.4
            ws.page_margins.header = ws.page_margins.footer = 0.2
            ws.sheet_view.showGridLines = False
            return
        ws.oddHeader.left.text = "{{ company.short_name }}"
        ws.oddHeader.right.text = "{{ doc.number }}"
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"
        ws.sheet_view.showGridLines = False


def compile_record(spec_data: dict[str, Any], out: Path, title: str | None = None) -> None:
    """Write the Excel form template that `spec_data` (a record spec) describes; `title` is the
    catalog's title of the form (the one source of document titles)."""
    if title is not None:
        if "title" in spec_data:
            raise ValueError(f"{out.name}: a record spec takes its title from the catalog ({title!r}); remove title:")
        spec_data = {**spec_data, "title": title}
    spec = Spec.model_validate(spec_data)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(spec.title)  # characters Excel refuses in sheet names become "-"
    writer = _FormWriter(spec, ws)
    writer.heading()
    writer.intro()
    writer.form()
    writer.register()
    writer.repairs()
    writer.signatures()
    writer.notes()
    writer.page_setup()
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(out))


def compile_record_file(src: Path, out: Path, title: str) -> None:
    compile_record(yaml.safe_load(src.read_text(encoding="utf-8")), out, title)
