"""Excel rendering: Jinja in cells and headers, `{%row for … %}` rows repeated with their formats,
merged cells, validations and print settings kept; every rendered value is written as text."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from .cells import CellTextError, one_line, set_text
from .env import RENDER_ERRORS, TEXT_SUFFIX, Renderer, RenderTimeout, limit_message, time_limit
from .errors import PartError
from .textwidth import display_width
from .thirdparty import load_workbook_fast, picklable_workbooks
from .zipout import restamp

picklable_workbooks()  # the template copies below are unpickled workbooks

_ROW_TAG = re.compile(r"^\s*\{%\s*row\s+(for\s+.+?)\s*%\}", re.S)
_HAS_TAG = re.compile(r"\{\{|\{%|\{#")


def _render_error(exc: BaseException, part: str, place: str) -> PartError:
    """The PartError for an exception raised while rendering a cell or evaluating a row loop."""
    if isinstance(exc, jinja2.TemplateError):
        return PartError(part, place, str(exc), fatal=isinstance(exc, RenderTimeout))
    return PartError(part, place, limit_message(exc) or str(exc))


def _render_text(env: Renderer, source: str, context: dict[str, Any], part: str, place: str) -> str:
    """Render the template source of one cell (or header), once: what it gives is never rendered again."""
    try:
        template = env.template(source, TEXT_SUFFIX)
    except jinja2.TemplateSyntaxError as exc:
        raise PartError(part, place, exc.message or str(exc)) from None
    try:
        return template.render(context)
    except RENDER_ERRORS as exc:
        raise _render_error(exc, part, place) from None


def _set_text(cell: Cell, text: str, part: str) -> None:
    """Write text that stays text (never a formula, number or date); too long is a PartError."""
    try:
        set_text(cell, text)
    except CellTextError as exc:
        raise PartError(part, f"{cell.parent.title}!{cell.coordinate}", str(exc)) from None


def needed_height(text: str, width: float, size: float) -> float:
    """Row height in points that shows `text` wrapped in a cell `width` characters wide."""
    per_line = max(int(width * 11 / size) - 1, 1)
    lines = sum(max(1, -(-display_width(part) // per_line)) for part in text.split("\n"))
    return round(lines * size * 1.35 + 4, 1)


def _fit_rows(ws: Worksheet, rows: set[int]) -> None:
    """Raise the height of rows whose wrapped text needs more lines than they show (rendered text
    is often longer than the template's), so nothing is cut off in print."""
    if not rows:
        return
    spans: dict[tuple[int, int], int] = {}
    for m in ws.merged_cells.ranges:
        if m.min_row == m.max_row:
            spans[(m.min_row, m.min_col)] = m.max_col
    default = ws.sheet_format.defaultColWidth or 8.43
    for r in rows:
        need = 0.0
        for cell in ws[r]:
            if not isinstance(cell.value, str) or not cell.value or not (cell.alignment and cell.alignment.wrap_text):
                continue
            last = spans.get((r, cell.column), cell.column)
            width = sum((ws.column_dimensions[get_column_letter(c)].width or default) for c in range(cell.column, last + 1))
            size = (cell.font.sz or 11) if cell.font else 11
            need = max(need, needed_height(cell.value, width, size))
        current = ws.row_dimensions[r].height or 15
        if need > current:
            ws.row_dimensions[r].height = round(need, 1)


def _loop_rows(ws: Worksheet) -> list[tuple[int, str]]:
    found = []
    for row in ws.iter_rows():
        for cell in row:
            m = _ROW_TAG.match(cell.value) if isinstance(cell.value, str) else None
            if m:
                found.append((cell.row, m.group(1)))
                break
    return found


def _shift(ws: Worksheet, after_row: int, n: int) -> None:
    """Move everything below `after_row` down by n rows: cells, heights, merges, validations,
    print area. (openpyxl's insert_rows moves cells only; the rest is moved here.)"""
    if n <= 0:
        return
    ws.insert_rows(after_row + 1, n)
    heights = {r: d.height for r, d in list(ws.row_dimensions.items()) if r > after_row}
    for r in sorted(heights, reverse=True):
        ws.row_dimensions[r + n].height = heights[r]
    for r in range(after_row + 1, after_row + n + 1):
        ws.row_dimensions[r].height = None
    for mcr in ws.merged_cells.ranges:
        if mcr.min_row > after_row:
            mcr.shift(0, n)
    for dv in ws.data_validations.dataValidation:
        new = []
        for rng in str(dv.sqref).split():
            c1, r1, c2, r2 = range_boundaries(rng)
            if r1 > after_row:
                r1, r2 = r1 + n, r2 + n
            elif r2 > after_row:
                r2 += n
            new.append(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
        dv.sqref = MultiCellRange(" ".join(new))
    if ws.print_area:
        areas = []
        for area in ws.print_area if isinstance(ws.print_area, list) else [ws.print_area]:
            rng = area.split("!")[-1].replace("$", "")
            c1, r1, c2, r2 = range_boundaries(rng)
            if r2 > after_row:
                r2 += n
            areas.append(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
        ws.print_area = areas


_FOR = re.compile(r"^for\s+([\w\s,]+?)\s+in\s+(.+)$", re.S)


def _loop_items(env: Renderer, loop: str, context: dict[str, Any], part: str, place: str) -> tuple[list[str], list[Any]]:
    """The loop variable names and the items of `for x in EXPR`."""
    m = _FOR.match(loop.strip())
    if not m:
        raise PartError(part, place, f"cannot read the row loop {loop!r}; write {{%row for x in list %}}")
    names = [n.strip() for n in m.group(1).split(",")]
    try:
        items = list(_expression(env, m.group(2))(**context))
    except RENDER_ERRORS as exc:
        raise _render_error(exc, part, place) from None
    except TypeError as exc:
        raise PartError(part, place, f"the row loop's list cannot be iterated ({exc})") from None
    return names, items


@functools.lru_cache(maxsize=256)
def _expression(env: Renderer, source: str) -> Any:
    return env.env.compile_expression(source)


def _render_row_loop(env: Renderer, ws: Worksheet, row_idx: int, loop: str, context: dict[str, Any], part: str) -> int:
    """Repeat row `row_idx` once per item of the loop; each copy rendered with that item.
    Returns the number of rows it became."""
    names, items = _loop_items(env, loop, context, part, f"{ws.title}!A{row_idx}")
    template_cells = []
    for cell in ws[row_idx]:
        text = cell.value if isinstance(cell.value, str) else None
        if text:
            text = _ROW_TAG.sub("", text, count=1)
        template_cells.append((cell.column, text, copy.copy(cell._style)))
    height = ws.row_dimensions[row_idx].height
    row_merges = [(m.min_col, m.max_col) for m in ws.merged_cells.ranges if m.min_row == row_idx == m.max_row]
    if not items:
        for col, _text, _style in template_cells:
            ws.cell(row=row_idx, column=col).value = None
        return 1
    _shift(ws, row_idx, len(items) - 1)
    for i, item in enumerate(items):
        r = row_idx + i
        ctx = dict(context)
        if len(names) == 1:
            ctx[names[0]] = item
        else:
            ctx.update(zip(names, item))
        ctx["loop"] = {"index": i + 1, "index0": i, "first": i == 0, "last": i == len(items) - 1, "length": len(items)}
        ws.row_dimensions[r].height = height
        for col, text, style in template_cells:
            cell = ws.cell(row=r, column=col)
            cell._style = copy.copy(style)
            if text is None:
                cell.value = None
            elif _HAS_TAG.search(text):
                _set_text(cell, _render_text(env, text, ctx, part, f"{ws.title}!{cell.coordinate}"), part)
            else:
                _set_text(cell, text, part)
        if i:
            for c1, c2 in row_merges:
                ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)
    return len(items)


def _render_sheet(env: Renderer, ws: Worksheet, context: dict[str, Any], errors: list[PartError]) -> None:
    """Render every cell, row loop and header of a sheet, each from its template text exactly once.

    The loop rows are found first; the other cells are rendered next (skipping those rows), and
    the loops last, so no rendered text, whatever a profile value holds, is read as a tag again."""
    part = f"sheet {ws.title}"
    loops = _loop_rows(ws)
    loop_rows = {row for row, _ in loops}
    try:
        for row in ws.iter_rows():
            for cell in row:
                if cell.row in loop_rows:
                    break
                if isinstance(cell.value, str) and _HAS_TAG.search(cell.value):
                    try:
                        _set_text(cell, _render_text(env, cell.value, context, part, f"{ws.title}!{cell.coordinate}"), part)
                    except PartError as exc:
                        if exc.fatal:
                            raise
                        errors.append(exc)
        for row_idx, loop in reversed(loops):
            try:
                _render_row_loop(env, ws, row_idx, loop, context, part)
            except PartError as exc:
                if exc.fatal:
                    raise
                errors.append(exc)
        _fit_rows(ws, set(range(1, ws.max_row + 1)))
        for hf_name in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
            hf = getattr(ws, hf_name, None)
            if hf is None:
                continue
            for pos in ("left", "center", "right"):
                item = getattr(hf, pos)
                if item.text and _HAS_TAG.search(item.text):
                    # Values are wrapped so an '&' a user typed is doubled and never read as a code.
                    source = re.sub(r"\{\{(.*?)\}\}", r"{{ ((\1)|string).replace('&', '&&') }}", item.text)
                    try:
                        item.text = _render_text(env, source, context, f"header/footer of {ws.title}", f"{hf_name}.{pos}")
                    except PartError as exc:
                        if exc.fatal:
                            raise
                        errors.append(exc)
    except PartError as exc:  # fatal: this document's rendering stops here
        errors.append(exc)


def _template_workbook(path: Path) -> Workbook:
    """A fresh copy of a workbook template: parsed once per process (by path, time and size) and
    copied from its pickled form, ten times faster than openpyxl parsing it again."""
    st = path.stat()
    return pickle.loads(_parsed_template(path, st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=256)
def _parsed_template(path: Path, _mtime_ns: int, _size: int) -> bytes:
    return pickle.dumps(load_workbook_fast(path), protocol=pickle.HIGHEST_PROTOCOL)


def _reword_sheet(ws: Worksheet, reword: Callable[[str], str]) -> None:
    """A trade's wording laid over the sheet's template text: cells, list choices, headers."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                new = reword(cell.value)
                if new != cell.value:
                    cell.value = new
    for dv in ws.data_validations.dataValidation:
        if dv.formula1:
            dv.formula1 = reword(dv.formula1)
    for hf_name in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        hf = getattr(ws, hf_name, None)
        if hf is not None:
            for pos in ("left", "center", "right"):
                item = getattr(hf, pos)
                if item.text:
                    item.text = reword(item.text)


def sheet_title(title: str) -> str:
    """A document title as Excel allows a sheet name (31 characters; each of : \\ / ? * [ ] as
    "-"), the same rule the form compiler names a form's sheet by."""
    return re.sub(r"[\[\]:*?/\\]", "-", one_line(title))[:31] or "Sheet1"


def render_xlsx(env: Renderer, path: Path, context: dict[str, Any], when: dt.datetime, title: str,
                reword: Callable[[str], str] | None = None, renamed_from: str | None = None) -> bytes:
    """Render one workbook template (within the render time limit); raises ExceptionGroup of
    PartError on failure. `reword` is a trade's wording of a common template; a form retitled by
    its trade (`renamed_from` its old title) has its sheet, named after the old title, renamed."""
    try:
        wb = _template_workbook(path)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise PartError("workbook", "file", f"not an Excel workbook ({type(exc).__name__}: {exc})") from None
    if renamed_from is not None:
        for ws in wb.worksheets:
            if ws.title == sheet_title(renamed_from):
                ws.title = sheet_title(title)
    errors: list[PartError] = []
    with time_limit():
        for ws in wb.worksheets:
            if reword is not None:
                _reword_sheet(ws, reword)
            _render_sheet(env, ws, context, errors)
            if errors and errors[-1].fatal:
                break
    if errors:
        raise ExceptionGroup("template errors", errors)
    stamp = when.replace(tzinfo=None, microsecond=0)
    wb.properties.created = stamp
    wb.properties.title = one_line(title)
    wb.properties.creator = one_line(str(context.get("company", {}).get("name", "docgen")))
    wb.properties.lastModifiedBy = wb.properties.creator
    buf = io.BytesIO()
    wb.save(buf)
    return restamp(buf.getvalue(), stamp, core_dates=True)
