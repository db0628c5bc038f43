"""Word layout from the XML: table widths from content (no column narrower than its longest word),
rows that never split, repeated headers, left-aligned table text, contents with leader dots and
no LibreOffice, core properties, the organisation chart as native Word content."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docgen.render.tables import CELL_MARGINS_PT, break_urls, column_widths, longest_word_pt, words

from .conftest import BUILD_DATE, SAMPLE, docx_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tables(xml: str):
    root = etree.fromstring(xml.encode("utf-8"))
    for tbl in root.iter(f"{W}tbl"):
        if tbl.find(f"{W}tblPr/{W}tblDescription") is not None:
            continue  # the organisation chart
        yield tbl


def _cells(tbl):
    grid = [int(g.get(f"{W}w")) / 20 for g in tbl.findall(f"{W}tblGrid/{W}gridCol")]
    for tr in tbl.findall(f"{W}tr"):
        col = 0
        for tc in tr.findall(f"{W}tc"):
            gs = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(gs.get(f"{W}val")) if gs is not None else 1
            text = "".join(t.text or "" for t in tc.iter(f"{W}t"))
            yield tr, sum(grid[col : col + span]), text
            col += span


@pytest.mark.parametrize("folder", ["01 售后服务手册", "02 程序文件", "03 作业指导书"])
def test_no_column_narrower_than_its_longest_word(sample_pack: Path, folder: str) -> None:
    bad = []
    for doc in sorted((sample_pack / folder).glob("*.docx")):
        xml = docx_xml(doc)
        for tbl in _tables(xml):
            if tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") != "fixed":
                bad.append((doc.name, "layout not fixed"))
            for _tr, width, text in _cells(tbl):
                need = longest_word_pt(text) + CELL_MARGINS_PT
                if text and need > width + 0.5:
                    bad.append((doc.name, text[:30], round(width), round(need)))
    # the control block and revision history have their own fixed widths; body tables must fit
    assert not bad, bad[:10]


def test_rows_never_split_and_headers_repeat(sample_pack: Path) -> None:
    for doc in sorted((sample_pack / "02 程序文件").glob("*.docx")):
        for tbl in _tables(docx_xml(doc)):
            rows = tbl.findall(f"{W}tr")
            assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows), doc.name
        body_tables = [t for t in _tables(docx_xml(doc)) if t.find(f"{W}tr/{W}tc/{W}tcPr/{W}shd") is not None]
        for tbl in body_tables:
            assert tbl.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None, doc.name


def test_table_text_is_left_aligned_not_justified(sample_pack: Path) -> None:
    (doc,) = (sample_pack / "01 售后服务手册").glob("*.docx")
    styles = docx_xml(doc, "word/styles.xml")
    m = re.search(r'<w:style [^>]*w:styleId="[^"]*"[^>]*><w:name w:val="表格文字"/>.*?</w:style>', styles, re.S)
    assert m and '<w:jc w:val="left"/>' in m.group(0)


def test_step_table_widths_follow_content() -> None:
    header = ["序号", "步骤", "工作内容", "时限", "责任部门"]
    body = [["1", "受理", "接听电话、记录顾客信息、故障现象和服务要求，录入《售后服务单》（YH-JL-23）", "2小时内", "售后服务部"],
            ["2", "派工", "按服务区域和工程师技能派工，通知顾客预计上门时间", "30分钟内", "售后服务部"]]
    widths = column_widths(header, body)
    assert abs(sum(widths) - 436.5) < 1
    assert widths[0] < widths[2] and widths[3] < widths[2] and widths[2] == max(widths)
    for c in range(5):
        for text in [header[c]] + [r[c] for r in body]:
            assert longest_word_pt(text) + CELL_MARGINS_PT <= widths[c] + 0.01


def test_long_urls_break_only_at_separators_short_ones_stay_whole() -> None:
    assert break_urls("service@yuehua.com") == "service@yuehua.com"
    long = break_urls("https://www.yuehua-appliance.com/service/warranty/register")
    assert "\u200b" in long and long.replace("\u200b", "") == "https://www.yuehua-appliance.com/service/warranty/register"
    assert all(p[-1] in "/.@_-" for p in long.split("\u200b")[:-1])
    assert max(len(w) for w in words(long)) < 20


def test_contents_without_libreoffice_list_entries_with_leader_dots(monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.pack import render_pack
    from docgen.profile import load_profile
    from docgen.render import toc

    monkeypatch.setenv("DOCGEN_TOC_PAGES", "off")
    pack = render_pack(load_profile(SAMPLE), date=BUILD_DATE)
    (rel,) = [r for r in pack.files if r.startswith("01 ")]
    with zipfile.ZipFile(__import__("io").BytesIO(pack.files[rel])) as zf:
        xml = zf.read("word/document.xml").decode()
        styles = zf.read("word/styles.xml").decode()
    assert "not computed" in toc.last.note
    assert xml.count("<w:pStyle w:val=\"TOC1\"/>") >= 8 and "<w:r><w:tab/></w:r>" in xml
    assert re.search(r'w:styleId="TOC1"(?:(?!</w:style>).)*<w:tab [^>]*w:val="right" w:leader="dot"', styles, re.S)
    assert "TOC \\o" in xml  # the field is kept for Word to refresh


def test_core_properties(sample_pack: Path) -> None:
    (doc,) = (sample_pack / "01 售后服务手册").glob("*.docx")
    core = docx_xml(doc, "docProps/core.xml")
    assert "2026-09-01T12:00:00Z" in core and "2013" not in core
    assert "<dc:title>售后服务手册</dc:title>" in core
    assert "<dc:creator>王丽君</dc:creator>" in core  # the document's 编制
    assert re.search(r"<dc:subject>YH-SC-01 ", core)
    with zipfile.ZipFile(doc) as zf:
        assert "docProps/thumbnail.jpeg" not in zf.namelist()
        assert b"thumbnail" not in zf.read("_rels/.rels")


def test_manual_cover_does_not_repeat_its_title(sample_pack: Path) -> None:
    (doc,) = (sample_pack / "01 售后服务手册").glob("*.docx")
    body = docx_xml(doc)
    cover = body[: body.index("文件修订记录")]
    assert re.sub(r"<[^>]+>", "", cover).count("售后服务手册") == 1


def test_revision_history_shares_the_cover_page(sample_pack: Path) -> None:
    (doc,) = sorted((sample_pack / "02 程序文件").glob("*.docx"))[:1]
    body = docx_xml(doc)
    start = body.index("文件编号")
    between = body[start : body.index("文件修订记录")]
    assert 'w:type="page"' not in between


def test_pdf_checks_see_broken_words_and_split_rows() -> None:
    """The PDF read-back (tests/pdf_layout.py) on known text: a word broken mid-letters or one that
    did not fit a line of its own is found, a break after a hyphen mid-line is not; a row whose
    paragraph is cut by a page break is split, one wholly on a page is not."""
    from .pdf_layout import Pdf, split_rows

    raw = "正文 YH-JL-23\n《售后服务单》（Y\nH-JL-23）\n见（YH-\nZY-02）\nYH-\nCX-04\nservice@yuehua.com\n\f接续\n页\f"
    pdf = Pdf(Path("-"), raw)
    bad = pdf.broken_tokens(["《售后服务单》（YH-JL-23）", "见（YH-ZY-02）", "YH-CX-04", "service@yuehua.com"])
    assert [b.split(" in ")[0] for b in bad] == ["Y|H-JL-23", "YH-|CX-04"]
    assert split_rows(pdf, iter([["service@yuehua.com"], ["接续页"]])) == []
    assert split_rows(pdf, iter([["CX-04service", "接续"]])) != []
    assert len(split_rows(pdf, iter([["YH-CX-04service@yuehua.com接续页"]]))) == 1
