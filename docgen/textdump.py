"""A template (or any .docx/.xlsx) as reviewable text: one paragraph, table row or cell per line,
tags kept; usable as a git textconv driver."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from .errors import DocgenError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _para_text(p: etree._Element) -> str:
    parts = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}instrText"):
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}tab":
            parts.append("\t")
        elif el.tag == f"{W}br":
            parts.append("\n" if el.get(f"{W}type") != "page" else "---pagebreak---")
        elif el.tag == f"{W}instrText" and (el.text or "").strip().startswith("TOC"):
            parts.append("[TOC]")
    return "".join(parts)


def _style(p: etree._Element) -> str:
    ps = p.find(f"{W}pPr/{W}pStyle")
    return ps.get(f"{W}val") if ps is not None else ""


def docx_lines(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    body = root.find(f"{W}body")
    lines: list[str] = []
    if body is None:
        return lines
    for child in body:
        if child.tag == f"{W}p":
            text = _para_text(child)
            style = _style(child)
            if style.startswith("Heading") and style[-1].isdigit():
                text = "#" * int(style[-1]) + " " + text
            if text:
                lines.append(text)
        elif child.tag == f"{W}tbl":
            for tr in child.iter(f"{W}tr"):
                cells = [" ".join(_para_text(p) for p in tc.iter(f"{W}p")).strip() for tc in tr.iter(f"{W}tc")]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    return lines


def template_text(path: Path) -> str:
    """The text of a .docx (body, headers, footers) or .xlsx (every non-empty cell, headers)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            with zipfile.ZipFile(path) as zf:
                out = docx_lines(zf.read("word/document.xml"))
                for name in sorted(zf.namelist()):
                    if name.startswith("word/header") or name.startswith("word/footer"):
                        text = " ".join(_para_text(p) for p in etree.fromstring(zf.read(name)).iter(f"{W}p")).strip()
                        if text:
                            out.append(f"[{name[5:-4]}] {text}")
            return "\n".join(out).rstrip() + "\n"
        if suffix == ".xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
            out = []
            for ws in wb.worksheets:
                out.append(f"[sheet {ws.title}] print area {ws.print_area or '-'}, {ws.page_setup.orientation or 'portrait'}")
                for hf in ("oddHeader", "oddFooter"):
                    part = getattr(ws, hf)
                    for pos in ("left", "center", "right"):
                        t = getattr(part, pos).text
                        if t:
                            out.append(f"[{hf}.{pos}] {t}")
                for row in ws.iter_rows():
                    for cell in row:
                        if cell.value is not None and str(cell.value) != "":
                            out.append(f"{cell.coordinate}: {cell.value}")
                for dv in ws.data_validations.dataValidation:
                    out.append(f"[list {dv.sqref}] {dv.formula1}")
            return "\n".join(out) + "\n"
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, EOFError, zlib.error, ValueError) as exc:
        raise DocgenError(f"{path}: not a readable Word/Excel file ({exc})") from None
    raise DocgenError(f"{path}: expected a .docx or .xlsx file")
