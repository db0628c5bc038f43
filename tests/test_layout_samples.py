"""Every document of the five sample packs, as LibreOffice prints it (issue 13, "done when"):
contents numbers equal the heading pages, no table row is split across pages, no word, number,
code or address is broken inside a table cell (or running text), no printed form's row is split across pages, and
the small forms (cards, tags) are one small page. Read back from the PDFs (tests/pdf_layout.py)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from .conftest import SAMPLES, soffice
from .pdf_layout import (
    Pdf,
    broken_rows_hint,
    contents_mismatches,
    docx_paragraphs,
    docx_rows,
    pack_files,
    page_size_mm,
    split_rows,
    xlsx_rows,
)

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils")

NAMES = [s.stem for s in SAMPLES]
PAPER_MM = {"9": (210, 297), "11": (148, 210), "70": (105, 148)}  # Excel paper sizes: A4, A5, A6


def _files(pack: Path, pdfs: Path, suffix: str) -> list[tuple[Path, Pdf]]:
    out = []
    for f in pack_files(pack):
        if f.suffix == suffix:
            pdf = pdfs / (f.stem + ".pdf")
            assert pdf.is_file(), f"LibreOffice did not convert {f.name}"
            out.append((f, Pdf(pdf)))
    return out


@pytest.fixture(scope="module")
def printed(all_packs: dict[str, Path], sample_pdfs: dict[str, Path]) -> dict[tuple[str, str], list[tuple[Path, Pdf]]]:
    """(sample, suffix) → every file of that kind with its PDF read back, read once."""
    cache: dict[tuple[str, str], list[tuple[Path, Pdf]]] = {}
    for name in NAMES:
        for suffix in (".docx", ".xlsx"):
            cache[name, suffix] = _files(all_packs[name], sample_pdfs[name], suffix)
    return cache


@pytest.mark.parametrize("sample", NAMES)
def test_every_file_converts(sample: str, all_packs: dict[str, Path], sample_pdfs: dict[str, Path]) -> None:
    files = pack_files(all_packs[sample])
    assert len(files) > 80
    missing = [f.name for f in files if not (sample_pdfs[sample] / (f.stem + ".pdf")).is_file()]
    assert not missing, missing


@pytest.mark.parametrize("sample", NAMES)
def test_contents_numbers_are_the_heading_pages(sample: str, printed) -> None:
    checked = []
    for doc, pdf in printed[sample, ".docx"]:
        with zipfile.ZipFile(doc) as zf:
            if "TOC \\o" not in zf.read("word/document.xml").decode("utf-8"):
                continue
        n, bad = contents_mismatches(pdf)
        assert n >= 5, f"{doc.name}: {n} contents entries with page numbers"
        assert not bad, f"{doc.name}: {bad[:5]}"
        checked.append(doc.name)
    assert any("售后服务手册" in name for name in checked), checked


@pytest.mark.parametrize("sample", NAMES)
def test_no_table_row_splits_across_pages(sample: str, printed) -> None:
    bad, rows = [], 0
    for doc, pdf in printed[sample, ".docx"]:
        doc_rows = list(docx_rows(doc))
        rows += len(doc_rows)
        bad += [f"{doc.name}: {b}" for b in split_rows(pdf, iter(doc_rows))]
    assert rows > 500
    assert not bad, bad[:8]


@pytest.mark.parametrize("sample", NAMES)
def test_no_word_is_broken_across_lines(sample: str, printed) -> None:
    """A Latin word, number, code, e-mail address or URL piece, in a table cell (a column narrower
    than its longest word) or in running text, is on one line, or broken only after a hyphen or
    solidus (and then not because it could not fit on a line of its own)."""
    bad = []
    for doc, pdf in printed[sample, ".docx"]:
        bad += [f"{doc.name}: {b}" for b in pdf.broken_tokens(docx_paragraphs(doc))]
    assert not bad, broken_rows_hint(bad)


@pytest.mark.parametrize("sample", NAMES)
def test_no_printed_form_row_splits_across_pages(sample: str, printed) -> None:
    """Each worksheet row is printed whole on one page, across as well as down (a form too wide
    for its paper would print its last columns on pages of their own)."""
    bad = []
    for book, pdf in printed[sample, ".xlsx"]:
        bad += [f"{book.name}: {b}" for b in split_rows(pdf, xlsx_rows(book))]
    assert not bad, bad[:8]


@pytest.mark.parametrize("sample", NAMES)
def test_forms_print_on_their_paper_and_small_forms_on_one_page(sample: str, printed) -> None:
    small = []
    for book, pdf in printed[sample, ".xlsx"]:
        with zipfile.ZipFile(book) as zf:
            sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
        paper = re.search(r'paperSize="(\d+)"', sheet)
        code = paper.group(1) if paper else "9"
        w, h, pages = page_size_mm(pdf.path)
        assert sorted((w, h)) == sorted(PAPER_MM[code]), f"{book.name}: {w}×{h} mm, paper {code}"
        if code != "9":
            small.append(book.name)
            assert pages == 1, f"{book.name}: a card or tag on {pages} pages"
            text = "".join(line for page in pdf.raw for line in page)
            assert "填表日期" not in text and not re.search(r"第\s*\d+\s*页", text), book.name
    cards = [f.name for f, _ in printed[sample, ".xlsx"] if re.search(r"保修卡|档案卡", f.name)]
    assert cards and set(cards) <= set(small), (cards, small)
