"""The house style, built once into templates/_base/base.docx: A4, 宋体/黑体 with East Asian fonts
and zh-CN, header and footer with page fields, cover with the control block, revision history."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

BODY_FONT = "宋体"
HEAD_FONT = "黑体"
LATIN_FONT = "Times New Roman"
TEXT_WIDTH_DXA = 8730  # A4 less the 3.0 cm and 2.6 cm margins: 15.4 cm in twentieths of a point

# Where the revision history (文件修订记录) goes:
#   "cover": on the cover, under the control block (no page of its own; the default)
#   "page":  on a page of its own after the cover
#   "end":   after the body, at the end of the document
REVISION_HISTORY = "cover"


def _fonts(rpr_parent, east_asia: str, latin: str = LATIN_FONT) -> None:
    rpr = rpr_parent.get_or_add_rPr() if hasattr(rpr_parent, "get_or_add_rPr") else rpr_parent
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, val in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), val)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]


def _style(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal"):
    styles = doc.styles
    try:
        st = styles[name]
    except KeyError:
        st = styles.add_style(name, kind)
        if base:
            st.base_style = styles[base]
    return st


def _para_style(doc, name, *, font=BODY_FONT, size=12, bold=False, align=None, indent_chars=0,
                before=0, after=0, line=None, keep_next=False, outline=None, base="Normal"):
    st = _style(doc, name, base=base)
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.color.rgb = RGBColor(0, 0, 0)
    st.font.italic = False
    _fonts(st.element, font)
    pf = st.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if align is not None:
        pf.alignment = align
    if line is not None:
        pf.line_spacing = line
    pf.keep_with_next = keep_next
    ppr = st.element.get_or_add_pPr()
    for bdr in ppr.findall(qn("w:pBdr")):
        ppr.remove(bdr)
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for k in list(ind.attrib):
        del ind.attrib[k]
    ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
    ind.set(qn("w:firstLine"), str(indent_chars * size * 20))
    ind.set(qn("w:left"), "0")
    if outline is not None:
        lvl = ppr.find(qn("w:outlineLvl"))
        if lvl is None:
            lvl = OxmlElement("w:outlineLvl")
            ppr.append(lvl)
        lvl.set(qn("w:val"), str(outline))
    return st


def _doc_defaults(doc) -> None:
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr_default, BODY_FONT)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-US")  # Latin text: with zh-CN LibreOffice breaks Latin words anywhere
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _field(paragraph: Paragraph, instr: str, shown: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = shown
    run.append(t)
    fld.append(run)
    paragraph._p.append(fld)


def _border_bottom(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def _dot_leader_tab(style) -> None:
    """A right tab at the right margin with leader dots (contents entries: title …… page)."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Twips

    style.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_WIDTH_DXA), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def row_rules(row, header: bool = False) -> None:
    """House rules for every table row: never split across pages; a header row repeats."""
    trpr = row._tr.get_or_add_trPr()
    for tag, on in (("w:cantSplit", True), ("w:tblHeader", header)):
        if on and trpr.find(qn(tag)) is None:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            trpr.append(el)


def _grid(table, widths) -> None:
    """Column widths in the table grid too (LibreOffice lays columns out by the grid)."""
    for gc, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        gc.set(qn("w:w"), str(int(w.twips)))
    table._tbl.tblPr.get_or_add_tblLayout().set(qn("w:type"), "fixed")


def _cell(cell, text: str, style: str = "表格文字", align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    p = cell.paragraphs[0]
    p.text = text
    p.style = style
    p.alignment = align


def set_styles(doc) -> None:
    """Every style a template may use, defined once."""
    _doc_defaults(doc)
    normal = _para_style(doc, "Normal", size=12, indent_chars=2, line=1.5, base=None)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _para_style(doc, "Heading 1", font=HEAD_FONT, size=15, bold=False, before=12, after=6, line=1.5, keep_next=True, outline=0)
    _para_style(doc, "Heading 2", font=HEAD_FONT, size=14, bold=False, before=6, after=3, line=1.5, keep_next=True, outline=1)
    _para_style(doc, "Heading 3", font=HEAD_FONT, size=12, bold=False, before=3, after=3, line=1.5, keep_next=True, outline=2)
    _para_style(doc, "Title", font=HEAD_FONT, size=26, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=24, after=24)
    _para_style(doc, "封面单位", font=HEAD_FONT, size=18, align=WD_ALIGN_PARAGRAPH.CENTER, before=96, after=12)
    _para_style(doc, "封面副标题", font=HEAD_FONT, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, after=48)
    _para_style(doc, "标题居中", font=HEAD_FONT, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=12)
    _para_style(doc, "表格文字", size=10.5, line=1.0, align=WD_ALIGN_PARAGRAPH.LEFT)  # CJK never spread
    _para_style(doc, "表头", font=HEAD_FONT, size=10.5, line=1.0, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para_style(doc, "列项", size=12, line=1.5, indent_chars=2)
    _para_style(doc, "注", size=10.5, line=1.25, indent_chars=2)
    _para_style(doc, "图片", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, line=1.0)
    _para_style(doc, "签署", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, line=1.5)
    for name, indent in (("TOC 1", 0), ("TOC 2", 2)):
        toc = _para_style(doc, name, size=12, line=1.5, indent_chars=indent, align=WD_ALIGN_PARAGRAPH.LEFT)
        _dot_leader_tab(toc)
    _para_style(doc, "Header", size=9, line=1.0, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para_style(doc, "Footer", size=9, line=1.0, align=WD_ALIGN_PARAGRAPH.CENTER)


def page_setup(section) -> None:
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.top_margin = Cm(2.54)
    section.bottom_margin = Cm(2.54)
    section.left_margin = Cm(3.0)
    section.right_margin = Cm(2.6)
    section.header_distance = Cm(1.5)
    section.footer_distance = Cm(1.5)


def new_document() -> DocxDocument:
    """An empty document in the house style (used for the base and for every body template)."""
    doc = docx.Document()
    set_styles(doc)
    page_setup(doc.sections[0])
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _page_break(doc) -> None:
    brk = doc.add_paragraph("", style="Normal")
    brk.add_run("").add_break(WD_BREAK.PAGE)


def _revision_history(doc) -> None:
    """文件修订记录: a heading and a table with one row per revision of doc.revisions."""
    doc.add_paragraph("文件修订记录", style="标题居中")
    rev = doc.add_table(rows=3, cols=7)
    rev.style = "Table Grid"
    rev.alignment = WD_TABLE_ALIGNMENT.CENTER
    heads = ("序号", "版本/修订", "修订章节", "修订内容摘要", "修订人", "批准人", "日期")
    for c, text in enumerate(heads):
        _cell(rev.cell(0, c), text, "表头")
    _cell(rev.cell(1, 0), "{%tr for r in doc.revisions %}")
    cells = ("{{ loop.index }}", "{{ r.version }}", "{{ r.section }}", "{{ r.summary }}", "{{ r.by }}", "{{ r.approved_by }}", "{{ r.date|cn_date }}")
    body_row = copy.deepcopy(rev.rows[1]._tr)
    rev._tbl.append(body_row)
    # row 1: loop start, row 2: the repeated row, row 3: loop end
    for c, text in enumerate(cells):
        _cell(rev.rows[2].cells[c], text, "表格文字", WD_ALIGN_PARAGRAPH.LEFT if c == 3 else WD_ALIGN_PARAGRAPH.CENTER)
    _cell(rev.rows[3].cells[0], "{%tr endfor %}")
    for c in range(1, 7):
        _cell(rev.rows[1].cells[c], "")
        _cell(rev.rows[3].cells[c], "")
    widths = (Cm(1.3), Cm(2.2), Cm(2.0), Cm(3.6), Cm(1.6), Cm(1.6), Cm(3.1))  # 15.4 cm
    for i, row in enumerate(rev.rows):
        row_rules(row, header=i == 0)
        for c, w in enumerate(widths):
            row.cells[c].width = w
    _grid(rev, widths)


def _without_thumbnail(path: Path) -> None:
    """Drop python-docx's stock thumbnail (a blank page): a document shows its own first page or none."""
    import io
    import zipfile

    with zipfile.ZipFile(path) as zf:
        entries = [(i, zf.read(i.filename)) for i in zf.infolist() if i.filename != "docProps/thumbnail.jpeg"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            if info.filename == "_rels/.rels":
                data = re.sub(rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>', b"", data)
            elif info.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/docProps/thumbnail.jpeg"[^>]*/>', b"", data)
            zf.writestr(info, data)
    path.write_bytes(buf.getvalue())


def build_base(path: Path) -> None:
    """Write templates/_base/base.docx."""
    doc = new_document()
    section = doc.sections[0]
    section.different_first_page_header_footer = True

    # header: short name | title | number, with a rule under it
    hp = section.header.paragraphs[0]
    hp.style = "Header"
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(7.7), alignment=1)  # center
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(15.4), alignment=2)  # right
    hp.alignment = WD_ALIGN_PARAGRAPH.LEFT
    hp.add_run("{{ company.name }}\t{{ doc.title }}\t{{ doc.number }}  {{ doc.edition }}/{{ doc.revision }}")
    _border_bottom(hp)

    fp = section.footer.paragraphs[0]
    fp.style = "Footer"
    fp.add_run("第 ")
    _field(fp, "PAGE", "1")
    fp.add_run(" 页  共 ")
    _field(fp, "NUMPAGES", "1")
    fp.add_run(" 页")

    # cover
    cover_history = REVISION_HISTORY == "cover"
    doc.add_paragraph("{{ company.name }}", style="封面单位")
    if cover_history:
        doc.paragraphs[-1].paragraph_format.space_before = Pt(48)
    doc.add_paragraph("{{ doc.title }}", style="Title")
    # the manual's kind is its title (售后服务手册): the subtitle is not repeated then
    doc.add_paragraph("{% if doc.kind_cn != doc.title %}{{ doc.kind_cn }}{% endif %}", style="封面副标题")
    table = doc.add_table(rows=6, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [
        ("文件编号", "{{ doc.number }}", "版本/修订", "{{ doc.edition }}/{{ doc.revision }}"),
        ("受控状态", "{{ doc.control_status }}", "归口部门", "{{ doc.owner }}"),
        ("编　　制", "{{ doc.prepared_by }}", "日　　期", "{{ doc.prepared_date|cn_date }}"),
        ("审　　核", "{{ doc.reviewed_by }}", "日　　期", "{{ doc.reviewed_date|cn_date }}"),
        ("批　　准", "{{ doc.approved_by }}", "日　　期", "{{ doc.approved_date|cn_date }}"),
        ("发布日期", "{{ doc.issue_date|cn_date }}", "实施日期", "{{ doc.effective_date|cn_date }}"),
    ]
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            _cell(table.cell(r, c), text, "表头" if c % 2 == 0 else "表格文字")
    for row in table.rows:
        row.height = Cm(1.0)
        row_rules(row)
        for c, width in enumerate((Cm(2.6), Cm(4.6), Cm(2.6), Cm(4.6))):
            row.cells[c].width = width
    _grid(table, (Cm(2.6), Cm(4.6), Cm(2.6), Cm(4.6)))
    spacer = doc.add_paragraph("", style="封面副标题")
    spacer.paragraph_format.space_after = Pt(12 if cover_history else 72)
    doc.add_paragraph("{{ company.name }}　发布", style="封面副标题")
    if cover_history:
        doc.paragraphs[-1].paragraph_format.space_after = Pt(24)
        _revision_history(doc)
        _page_break(doc)
    elif REVISION_HISTORY == "page":
        doc.paragraphs[-1].runs[0].add_break(WD_BREAK.PAGE)
        _revision_history(doc)
        _page_break(doc)
    else:
        doc.paragraphs[-1].runs[0].add_break(WD_BREAK.PAGE)
    doc.add_paragraph("[[BODY]]")
    if REVISION_HISTORY == "end":
        _page_break(doc)
        _revision_history(doc)

    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")  # python-docx's default template says ja-JP
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    path.parent.mkdir(parents=True, exist_ok=True)
    # created/modified are set to the build date when a document is rendered (render/word.py)
    doc.core_properties.author = "{{ doc.prepared_by }}"
    doc.core_properties.title = "{{ doc.title }}"
    doc.core_properties.subject = "{{ doc.number }} {{ doc.kind_cn }}"
    doc.core_properties.keywords = "{{ company.name }}"
    doc.core_properties.comments = ""
    doc.core_properties.last_modified_by = "{{ company.name }}"
    doc.core_properties.revision = 1
    doc.save(str(path))
    _without_thumbnail(path)
