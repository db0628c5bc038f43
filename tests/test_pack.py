"""The complete pack, read back: fitted to each sample, no holes, every section present, every
record form named and present, lengths a real pack has, and every file opens in LibreOffice."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest

from docgen.profile import load_profile

from .conftest import SAMPLES, docx_xml, soffice, xlsx_values

HAN = re.compile(r"[\u4e00-\u9fff]")
REF = re.compile(r"《([^《》]+)》（([^（）]+)）")
FORBIDDEN = re.compile(r"XXX|xxx|待定|TBD|TODO|\{\{|\{%|%\}|\}\}|DOCGEN-TOC|\[\[BODY\]\]|……")
ENGLISH = re.compile(r"\b(the|and|of|to|with|for|shall|lorem|ipsum|placeholder)\b", re.I)


def files(pack: Path, kind_folder: str, suffix: str) -> list[Path]:
    return sorted((pack / kind_folder).glob(f"*{suffix}"))


def body_blocks(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph from the first heading on, table cells included."""
    d = docx.Document(str(path))
    blocks = []
    started = False
    for el in d.element.body.iterchildren():
        tag = el.tag.split("}")[1]
        if tag == "p":
            style_el = el.find(".//{*}pStyle")
            style = style_el.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") if style_el is not None else ""
            text = "".join(t.text or "" for t in el.iter("{*}t"))
            if style.startswith("Heading") or style == "a3":
                started = True
            if started:
                blocks.append((style, text))
        elif tag == "tbl" and started:
            for tc in el.iter("{*}tc"):
                blocks.append(("cell", "".join(t.text or "" for t in tc.iter("{*}t"))))
    return blocks


def han_count(blocks: list[tuple[str, str]]) -> int:
    return sum(len(HAN.findall(text)) for _, text in blocks)


def all_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        return "\n".join(xlsx_values(path))
    d = docx.Document(str(path))
    return "\n".join("".join(t.text or "" for t in p.iter("{*}t")) for p in d.element.body.iter("{*}p"))


@pytest.fixture(scope="module", params=[s.stem for s in SAMPLES])
def pack(request, all_packs) -> Path:
    return all_packs[request.param]


def test_pack_has_every_kind_in_numbers(all_packs):
    company = all_packs["company"]
    assert len(files(company, "01 售后服务手册", ".docx")) == 1
    assert len(files(company, "02 程序文件", ".docx")) >= 20
    assert len(files(company, "03 作业指导书", ".docx")) >= 12
    assert len(files(company, "04 记录表单", ".xlsx")) >= 30
    for name, pack in all_packs.items():
        assert len(files(pack, "02 程序文件", ".docx")) >= 20, name
        assert len(files(pack, "03 作业指导书", ".docx")) >= 12, name
        assert len(files(pack, "04 记录表单", ".xlsx")) >= 30, name


def test_no_holes_no_placeholders_no_english(pack):
    for path in sorted(pack.rglob("*")):
        if path.suffix not in {".docx", ".xlsx"}:
            continue
        text = all_text(path)
        bad = FORBIDDEN.search(text)
        assert not bad, f"{path.name}: {bad.group()!r} in …{text[max(bad.start() - 40, 0):bad.end() + 40]}…"
        eng = ENGLISH.search(text)
        assert not eng, f"{path.name}: English {eng.group()!r} in …{text[max(eng.start() - 40, 0):eng.end() + 40]}…"


def test_procedures_have_seven_sections_and_enough_text(pack):
    expected = ["1 目的", "2 适用范围", "3 职责", "4 术语和定义", "5 工作程序", "6 相关文件", "7 记录"]
    for path in files(pack, "02 程序文件", ".docx"):
        blocks = body_blocks(path)
        heads = [t.strip() for s, t in blocks if s == "Heading1"]
        assert heads == expected, f"{path.name}: {heads}"
        assert han_count(blocks) >= 1500, f"{path.name}: {han_count(blocks)} Chinese characters"


def test_manual_and_work_instructions_are_long_enough(pack):
    (manual,) = files(pack, "01 售后服务手册", ".docx")
    assert han_count(body_blocks(manual)) >= 15000
    for path in files(pack, "03 作业指导书", ".docx"):
        assert han_count(body_blocks(path)) >= 800, path.name


def test_no_empty_sections(pack):
    for path in [*files(pack, "01 售后服务手册", ".docx"), *files(pack, "02 程序文件", ".docx"), *files(pack, "03 作业指导书", ".docx")]:
        blocks = [(s, t) for s, t in body_blocks(path) if t.strip()]
        for (s1, t1), (s2, _t2) in zip(blocks, blocks[1:]):
            if s1.startswith("Heading") and s2.startswith("Heading"):
                assert int(s2[-1]) > int(s1[-1]), f"{path.name}: empty section {t1!r}"
        assert not blocks[-1][0].startswith("Heading"), f"{path.name}: ends with an empty heading"


def test_record_forms_named_exist_and_every_form_is_named(pack):
    records = {p.name.split(" ", 1)[0]: p.stem.split(" ", 1)[1] for p in files(pack, "04 记录表单", ".xlsx")}
    named_by_procedure: set[str] = set()
    for path in pack.rglob("*.docx"):
        for title, number in REF.findall(all_text(path)):
            if "-JL-" in number or "/JL-" in number:
                key = number.replace("/", "-")
                assert key in records, f"{path.name} names {title} ({number}), not in the pack"
                assert records[key] == title.replace("/", "-"), f"{path.name}: {number} is {records[key]}, named {title}"
                if "02 程序文件" in str(path):
                    named_by_procedure.add(key)
    assert set(records) - named_by_procedure == set()


def test_documents_are_fitted_to_the_company(all_packs):
    for sample in SAMPLES:
        profile = load_profile(sample)
        pack = all_packs[sample.stem]
        (manual,) = files(pack, "01 售后服务手册", ".docx")
        text = all_text(manual)
        for fact in [profile.company.name, profile.channels.hotline, profile.policy.philosophy, *[o.name for o in profile.outlets], *[d.name for d in profile.departments]]:
            assert fact in text, f"{sample.stem}: {fact!r} missing from the manual"
        gm = next(p.name for p in profile.people if "general_manager" in p.roles)
        assert gm in text
        for partner in profile.partners:
            assert partner.name in text, f"{sample.stem}: partner {partner.name} missing"


def test_what_the_company_does_not_do_is_left_out(all_packs):
    def titles(pack: Path) -> set[str]:
        return {p.stem.split(" ", 1)[1] for p in pack.rglob("*") if p.suffix in {".docx", ".xlsx"}}

    company, retailer, provider = (titles(all_packs[k]) for k in ("company", "retailer", "service_provider"))
    assert "安装调试作业指导书" in company and "安装调试作业指导书" not in retailer
    assert "现场安装调试验收单" not in retailer
    assert "配件供应管理程序" not in retailer
    assert "配送服务控制程序" not in provider and "废弃商品回收管理程序" not in provider
    assert "缺陷商品召回程序" not in provider
    assert len({frozenset(company), frozenset(retailer), frozenset(provider)}) == 3


def test_organisation_chart_is_native_word_content_in_the_manual(sample_pack):
    """The chart is a table Word, WPS and LibreOffice draw with their own fonts (no picture)."""
    (manual,) = files(sample_pack, "01 售后服务手册", ".docx")
    xml = docx_xml(manual)
    assert '<w:tblDescription w:val="组织机构图"/>' in xml
    chart = xml[xml.index('<w:tblDescription w:val="组织机构图"/>'):]
    chart = chart[: chart.index("</w:tbl>")]
    for name in ("总经理", "售后服务部", "质量管理部"):
        assert name in re.sub(r"<[^>]+>", "", chart), name


def test_record_forms_print_on_a4_with_titles_and_header(sample_pack):
    import openpyxl

    for path in files(sample_pack, "04 记录表单", ".xlsx"):
        ws = openpyxl.load_workbook(path).worksheets[0]
        # A4 (9), or A5/A6 (11/70) for the small forms whose spec asks for a card or tag layout
        small = any(n in path.name for n in ("保修卡", "用户档案卡", "维修旧件标签"))
        assert int(ws.page_setup.paperSize) in ({11, 70} if small else {9}), path.name
        assert ws.print_area, path.name
        assert ws.print_title_rows, path.name
        title = path.stem.split(" ", 1)[1].replace("-", "/")
        values = [str(c.value) for row in ws.iter_rows(max_row=4) for c in row if c.value]
        assert "浙江越华电器科技有限公司" in values, path.name
        assert any(v.replace("/", "-") == path.stem.split(" ", 1)[1] or v == title for v in values), path.name
        assert any(path.name.split(" ")[0] in v for v in values), path.name


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk")
def test_every_document_converts_to_pdf_in_libreoffice(pack, tmp_path):
    sources = sorted(p for p in pack.rglob("*") if p.suffix in {".docx", ".xlsx"})
    outdir = tmp_path / "pdf"
    profile_dir = tmp_path / "lo-profile"
    cmd = [soffice(), f"-env:UserInstallation=file://{profile_dir}", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, sources)]
    subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=True)
    pdfs = {p.stem for p in outdir.glob("*.pdf")}
    missing = [p.name for p in sources if p.stem not in pdfs]
    assert not missing, f"not converted: {missing}"
    for pdf in outdir.glob("*.pdf"):
        assert pdf.stat().st_size > 2000, pdf.name
