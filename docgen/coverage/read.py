"""Read the text of a rendered or hand-edited .docx/.xlsx: paragraphs under their nearest heading, and table cells."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_HEADING_NAME = re.compile(r"^(heading|标题)\s*(\d)$", re.I)
_SKIPPED = {f"{_W}del", f"{_W}moveFrom", f"{_W}instrText", f"{_W}delText"}


@dataclass(frozen=True)
class Block:
    """One paragraph or table cell: its text, the heading of its section, and where it is."""

    text: str
    heading: str
    where: str


@dataclass
class Table:
    """A Word table (or an Excel sheet): cell texts by row, the heading above it, its number."""

    rows: list[list[str]]
    heading: str
    index: int
    sheet: str | None = None


@dataclass
class DocText:
    """Everything coverage reads from one document."""

    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    error: str | None = None
    choices: list[tuple[str, list[str]]] = field(default_factory=list)  # Excel dropdowns: (sheet!range, items)


def _styles(zf: zipfile.ZipFile) -> dict[str, tuple[str, int | None]]:
    """styleId → (lower-case name, outline level or None)."""
    try:
        return _parse_styles(zf.read("word/styles.xml"))
    except KeyError:
        return {}


@lru_cache(maxsize=8)
def _parse_styles(xml: bytes) -> dict[str, tuple[str, int | None]]:
    root = etree.fromstring(xml, parser=etree.XMLParser(huge_tree=True))
    out = {}
    for st in root.iter(f"{_W}style"):
        sid = st.get(f"{_W}styleId") or ""
        name_el = st.find(f"{_W}name")
        name = (name_el.get(f"{_W}val") if name_el is not None else sid) or sid
        lvl_el = st.find(f"{_W}pPr/{_W}outlineLvl")
        lvl = int(lvl_el.get(f"{_W}val", "9")) if lvl_el is not None else None
        out[sid] = (name.lower(), lvl)
    return out


def _text(el: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}tbl":
                continue
            else:
                walk(child)

    walk(el)
    return "".join(parts).replace("\u200b", "")  # zero-width break opportunities in long URLs


class _DocxReader:
    def __init__(self, styles: dict[str, tuple[str, int | None]]) -> None:
        self.styles = styles
        self.out = DocText()
        self.heading = ""
        self.paragraphs = 0
        self.tables = 0
        self.toc_depth = 0

    def heading_level(self, p: etree._Element) -> tuple[int | None, str]:
        ppr = p.find(f"{_W}pPr")
        sid = ""
        own_lvl = None
        if ppr is not None:
            ps = ppr.find(f"{_W}pStyle")
            sid = ps.get(f"{_W}val", "") if ps is not None else ""
            ol = ppr.find(f"{_W}outlineLvl")
            own_lvl = int(ol.get(f"{_W}val", "9")) if ol is not None else None
        name, style_lvl = self.styles.get(sid, (sid.lower(), None))
        m = _HEADING_NAME.match(name)
        if m:
            return int(m.group(2)), name
        lvl = own_lvl if own_lvl is not None else style_lvl
        if lvl is not None and lvl < 9:
            return lvl + 1, name
        return None, name

    def walk(self, parent: etree._Element, cell: str | None = None) -> None:
        for child in parent:
            tag = child.tag
            if tag == f"{_W}p":
                self.paragraph(child, cell)
            elif tag == f"{_W}tbl":
                self.table(child)
            elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
                self.walk(child, cell)

    def in_toc(self, p: etree._Element) -> bool:
        """Whether `p` is part of a table-of-contents field (its result repeats the headings)."""
        if not self.toc_depth and not any("TOC" in (i.text or "") for i in p.iter(f"{_W}instrText")):
            return False
        for fc in p.iter(f"{_W}fldChar"):
            kind = fc.get(f"{_W}fldCharType")
            self.toc_depth += 1 if kind == "begin" else -1 if kind == "end" else 0
        self.toc_depth = max(self.toc_depth, 0)
        return True

    def paragraph(self, p: etree._Element, cell: str | None) -> None:
        self.paragraphs += 1
        if self.in_toc(p):
            return
        text = _text(p)
        level, style = self.heading_level(p)
        if style.startswith("toc"):
            return
        if level is not None and cell is None and text.strip():
            self.heading = text.strip()
        if text.strip() and cell is None:
            self.out.blocks.append(Block(text, self.heading, f"paragraph {self.paragraphs}"))

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        index = self.tables
        heading = self.heading
        rows: list[list[str]] = []
        for r, tr in enumerate(tbl.findall(f"{_W}tr"), start=1):
            cells: list[str] = []
            for c, tc in enumerate(_cells(tr), start=1):
                where = f"table {index} row {r} cell {c}"
                texts = []
                for p in tc.findall(f".//{_W}p"):
                    if _inside_nested_table(p, tc):
                        continue
                    texts.append(_text(p))
                    self.paragraphs += 1
                text = "\n".join(texts).strip()
                cells.append(text)
                if text:
                    self.out.blocks.append(Block(text, heading, where))
                for nested in tc.findall(f"{_W}tbl"):
                    self.table(nested)
            rows.append(cells)
        self.out.tables.append(Table(rows, heading, index))


def _cells(tr: etree._Element) -> list[etree._Element]:
    cells = []
    for child in tr:
        if child.tag == f"{_W}tc":
            cells.append(child)
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            cells.extend(child.iter(f"{_W}tc"))
    return cells


def _inside_nested_table(p: etree._Element, tc: etree._Element) -> bool:
    node = p.getparent()
    while node is not None and node is not tc:
        if node.tag == f"{_W}tbl":
            return True
        node = node.getparent()
    return False


def read_docx(data: bytes) -> DocText:
    """Paragraphs (with their nearest preceding heading) and table cells of a Word document's body."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles = _styles(zf)
        root = etree.fromstring(zf.read("word/document.xml"), parser=etree.XMLParser(huge_tree=True))
    body = root.find(f"{_W}body")
    reader = _DocxReader(styles)
    if body is not None:
        reader.walk(body)
    return reader.out


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - 64
    return n


def _si_text(si: etree._Element) -> str:
    return "".join(t.text or "" for t in si.iter("{*}t") if not any(a.tag.endswith("}rPh") for a in t.iterancestors()))


def read_xlsx(data: bytes) -> DocText:
    """Every text cell of every sheet; the sheet name stands for the heading (read with lxml, not openpyxl: faster)."""
    out = DocText()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        book = etree.fromstring(zf.read("xl/workbook.xml"))
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter("{*}Relationship")}
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            shared = [_si_text(si) for si in etree.fromstring(zf.read("xl/sharedStrings.xml")).iter("{*}si")]
        for sheet in book.iter("{*}sheet"):
            title = sheet.get("name", "")
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
            target = targets.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if part not in names:
                continue
            rows: dict[int, dict[int, str]] = {}
            root = etree.fromstring(zf.read(part), parser=etree.XMLParser(huge_tree=True))
            for dv in root.iter("{*}dataValidation"):
                formula = dv.find("{*}formula1")
                if dv.get("type") == "list" and formula is not None and (formula.text or "").startswith('"'):
                    out.choices.append((f"{title}!{dv.get('sqref', '')}", formula.text.strip('"').split(",")))
            for c in root.iter("{*}c"):
                kind = c.get("t", "n")
                ref = c.get("r", "")
                if kind == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter("{*}t"))
                else:
                    v = c.find("{*}v")
                    if v is None or v.text is None:
                        continue
                    text = shared[int(v.text)] if kind == "s" and v.text.isdigit() and int(v.text) < len(shared) else v.text
                if not text.strip():
                    continue
                row = int("".join(ch for ch in ref if ch.isdigit()) or 0)
                rows.setdefault(row, {})[_column(ref)] = text
                out.blocks.append(Block(text, title, f"{title}!{ref}"))
            table = [[cells.get(col, "") for col in range(1, max(cells) + 1)] for _, cells in sorted(rows.items())]
            out.tables.append(Table(table, title, len(out.tables) + 1, sheet=title))
    return out


def read_document(relpath: str, data: bytes) -> DocText:
    """Read a .docx or .xlsx; a file that cannot be read gives a DocText carrying the error.
    A build reads each document several times (document control, coverage, consistency): the
    result is kept per content, and must not be changed by its users."""
    return _read(relpath.lower().endswith(".docx"), data)


@lru_cache(maxsize=512)
def _read(is_docx: bool, data: bytes) -> DocText:
    relpath = ".docx" if is_docx else ".xlsx"
    try:
        if relpath.lower().endswith(".docx"):
            return read_docx(data)
        return read_xlsx(data)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, ValueError, EOFError, zlib.error) as exc:
        return DocText(error=f"cannot be read ({type(exc).__name__}: {exc})")
