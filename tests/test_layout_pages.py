"""Layout read back from LibreOffice's PDF of the company sample (converted once per session with
the other samples, tests/conftest.py `sample_pdfs`): every contents entry has its number; the
warranty card is a half-A4 card on one page. tests/test_layout_samples.py checks all five."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .conftest import soffice

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk")


def _pages(pdf: Path) -> list[str]:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split("\f")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_every_contents_entry_has_a_number(all_packs: dict[str, Path], sample_pdfs: dict[str, Path]) -> None:
    (manual,) = (all_packs["company"] / "01 售后服务手册").glob("*.docx")
    toc = [line for page in _pages(sample_pdfs["company"] / (manual.stem + ".pdf"))[:4] for line in page.split("\n") if "....." in line]
    assert toc and all(re.search(r"\d+\s*$", line) for line in toc), [line for line in toc if not re.search(r"\d\s*$", line)]


def test_warranty_card_is_one_half_a4_page(all_packs: dict[str, Path], sample_pdfs: dict[str, Path]) -> None:
    (card,) = (all_packs["company"] / "04 记录表单").glob("*保修卡.xlsx")
    pdf = sample_pdfs["company"] / (card.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).group(1, 2))
    assert (round(w), round(h)) == (420, 595)  # A5: 148 x 210 mm
    assert re.search(r"Pages:\s+1\b", info)
    text = _pages(pdf)[0]
    assert "填表日期" not in text and "第 1 页" not in text.replace("第1页", "第 1 页")
    for word in ("维修记录", "保修期", "用户姓名"):
        assert word in _norm(text)


def test_no_table_row_splits_across_pages_in_a_work_instruction(sample_pack: Path, tmp_path: Path) -> None:
    """Every row carries cantSplit; and in the PDF a step table's step numbers are never cut."""
    from .conftest import docx_xml

    for doc in sorted((sample_pack / "03 作业指导书").glob("*.docx"))[:3]:
        xml = docx_xml(doc)
        rows = re.findall(r"<w:tr[ >].*?</w:tr>", xml, re.S)
        assert rows and all("<w:cantSplit" in r for r in rows), doc.name
