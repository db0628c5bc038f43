"""Compile a body written in docgen's plain-text authoring format (.dgmd) into a Word body
template in the house style; see AUTHORING.md for the format."""

from __future__ import annotations

import re
from pathlib import Path

from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from .house import new_document, row_rules

TEXT_WIDTH_CM = 15.4
_TAG_LINE = re.compile(r"^\{%-?\s*((?:(?!%\}).)*?)\s*-?%\}$")  # exactly one tag on the line
_BOLD = re.compile(r"\*\*(.+?)\*\*")


class AuthoringError(ValueError):
    """A line of an authoring source that cannot be compiled."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")


def _runs(paragraph, text: str) -> None:
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos : m.start()])
        paragraph.add_run(m.group(1)).bold = True
        pos = m.end()
    if pos < len(text) or not text:
        paragraph.add_run(text[pos:])


_TAG_OR_PIPE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\|")


def _split_row(line: str) -> list[str]:
    """Split a table line on '|', except inside Jinja tags (so filters like |pct work)."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    cells, start = [], 0
    for m in _TAG_OR_PIPE.finditer(inner):
        if m.group() == "|":
            cells.append(inner[start : m.start()])
            start = m.end()
    cells.append(inner[start:])
    return [c.strip() for c in cells]


def _shade(cell, fill: str = "E7E6E6") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    valign = tcpr.find(qn("w:vAlign"))
    if valign is not None:
        valign.addprevious(shd)  # the schema's order: shd before vAlign
    else:
        tcpr.append(shd)


def _layout(table, kind: str) -> None:
    """`fixed`: the author's `|~` widths; `autofit`: widths from the rendered content, set by
    docgen/render/tables.py when the document is rendered (house rules in one place there)."""
    table._tbl.tblPr.get_or_add_tblLayout().set(qn("w:type"), kind)


def _table(doc, rows: list[list[str]], widths: list[float] | None, file: str, line: int) -> None:
    ncols = max(len(r) for r in rows if not (len(r) == 1 and _TAG_LINE.match(r[0])))
    table = doc.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _layout(table, "autofit" if widths is None else "fixed")
    if widths is None:
        widths = [100 / ncols] * ncols
    if len(widths) != ncols:
        raise AuthoringError(file, line, f"width line has {len(widths)} columns, the table has {ncols}")
    total = sum(widths)
    cm = [TEXT_WIDTH_CM * w / total for w in widths]
    header_done = False
    for cells in rows:
        row = table.add_row()
        tag = _TAG_LINE.match(cells[0]) if len(cells) == 1 else None
        if tag:
            row.cells[0].paragraphs[0].text = "{%tr " + tag.group(1) + " %}"
            row_rules(row)
            continue
        if len(cells) != ncols:
            raise AuthoringError(file, line, f"table row has {len(cells)} cells, expected {ncols}: {'|'.join(cells)}")
        for c, text in enumerate(cells):
            row.cells[c].vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            p = row.cells[c].paragraphs[0]
            p.style = "表头" if not header_done else "表格文字"
            if not header_done:
                _shade(row.cells[c])
            _runs(p, text)
        row_rules(row, header=not header_done)
        header_done = True
    for row in table.rows:
        for c, w in enumerate(cm):
            row.cells[c].width = Cm(w)
    for gc, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), cm):
        gc.set(qn("w:w"), str(int(Cm(w).twips)))  # LibreOffice lays columns out by the grid


def compile_markdown(text: str, out: Path, file: str = "<source>") -> None:
    """Write the body template for `text` to `out` (.docx)."""
    doc = new_document()
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.strip()
        lineno = i + 1
        i += 1
        if not line or (line.startswith("{#") and line.endswith("#}")):
            continue
        if line.startswith("|"):
            block = [line]
            start = lineno
            while i < len(lines) and lines[i].strip().startswith("|"):
                block.append(lines[i].strip())
                i += 1
            widths = None
            if block[0].startswith("|~"):
                widths = [float(x) for x in _split_row(block[0][2:])]
                block = block[1:]
            _table(doc, [_split_row(b) for b in block], widths, file, start)
            continue
        tag = _TAG_LINE.match(line)
        if tag:
            doc.add_paragraph("{%p " + tag.group(1) + " %}")
            continue
        if line == "---pagebreak---":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            continue
        if line == "[TOC]":
            p = doc.add_paragraph(style="TOC 1")
            _toc(p)
            continue
        m = re.match(r"^(#{1,3})\s+(.*)$", line)
        if m:
            level = len(m.group(1))
            _runs(doc.add_paragraph(style=f"Heading {level}"), m.group(2))
            continue
        if line.startswith("- "):
            _runs(doc.add_paragraph(style="列项"), line[2:].strip())
            continue
        if line.startswith("> "):
            _runs(doc.add_paragraph(style="注"), line[2:].strip())
            continue
        if line.startswith("=> "):
            _runs(doc.add_paragraph(style="签署"), line[3:].strip())
            continue
        if line.startswith("^ "):
            _runs(doc.add_paragraph(style="标题居中"), line[2:].strip())
            continue
        if re.fullmatch(r"\{\{\s*[\w.()' ]+\s*\}\}", line) and "picture" in line:
            p = doc.add_paragraph(style="图片")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(line)
            continue
        _runs(doc.add_paragraph(style="Normal"), line)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))


def _toc(paragraph) -> None:
    """A table-of-contents field that Word fills when the document is opened."""
    p = paragraph._p
    for kind, text in (("begin", None), (None, ' TOC \\o "1-2" \\h \\z \\u '), ("separate", None)):
        r = OxmlElement("w:r")
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r.append(fc)
        else:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            r.append(it)
        p.append(r)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "DOCGEN-TOC"
    r.append(t)
    p.append(r)
    r = OxmlElement("w:r")
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), "end")
    r.append(fc)
    p.append(r)
