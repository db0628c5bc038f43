"""Third-level items are checked as clauses are: an item is covered only when the manual and at
least one procedure or work instruction cite it by its own number (citing its clause or a sibling
item does not). An item addressed by record forms alone, or without the manual or a procedure where
the catalog assigns its clause to them, is 'partial' with the reason, makes its clause partial, and
fails like a gap (tests/test_coverage_partial.py is the clause version)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from docgen.cli import main
from docgen.coverage import check_pack_dir
from docgen.coverage.report import summary_lines
from docgen.render.cells import set_text

from .conftest import edit_parts

ITEM = re.compile(rb"5\.1\.2\.2(?![\d.]*\d)")  # the item 5.1.2.2 售后服务管理师


def _rewrite(path: Path, new: bytes) -> None:
    """Every 5.1.2.2 of a .docx's body or an .xlsx's cells made `new`, as a consultant editing by hand might."""
    edit_parts(path, ("word/document.xml", "xl/sharedStrings", "xl/worksheets/sheet"), ITEM.pattern, new)


def _prose(pack: Path, forms: bool = False) -> list[Path]:
    """The manual, procedures and work instructions (and the record forms)."""
    folders = {"01", "02", "03", "04"} if forms else {"01", "02", "03"}
    return [d for d in sorted([*pack.rglob("*.docx"), *pack.rglob("*.xlsx")]) if d.relative_to(pack).parts[0][:2] in folders]


def _form_cites(pack: Path, text: str) -> None:
    form = next(pack.rglob("*培训记录表.xlsx"))
    wb = openpyxl.load_workbook(form)
    set_text(wb.worksheets[0]["A40"], text)
    wb.save(form)


def _result(cov, cid):
    return next(r for r in cov.clauses if r.clause.id == cid)


def _item(cov, iid):
    return next(i for r in cov.clauses for i in r.items if i.item.id == iid)


def _copy(sample_pack: Path, tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(sample_pack, pack)
    return pack


def test_the_sample_pack_covers_every_item_by_its_own_citations(sample_pack):
    cov = check_pack_dir(sample_pack)
    assert cov.gaps == []
    items = [i for r in cov.clauses for i in r.items]
    assert len(items) == 18 and {i.status for i in items} == {"covered"}
    for item in items:  # each addressed by the manual and a procedure or work instruction citing its number
        assert "YH-SC-01" in item.numbers and any(n.startswith(("YH-CX", "YH-ZY")) for n in item.numbers), item.item.id
    manager = _item(cov, "5.1.2.2")
    assert "YH-ZY-15" in manager.numbers  # 售后服务管理师工作规范


def test_an_item_addressed_only_by_a_record_form_is_partial_and_fails(sample_pack, tmp_path):
    pack = _copy(sample_pack, tmp_path)
    for doc in _prose(pack):  # the prose now cites the clause 5.1.2 where it cited the item 5.1.2.2
        _rewrite(doc, b"5.1.2")
    _form_cites(pack, "本表依据 GB/T 27922-2011 5.1.2.2 设置。")
    cov = check_pack_dir(pack)
    item = _item(cov, "5.1.2.2")
    assert item.status == "partial" and item.numbers == ["YH-JL-04"]
    assert "the manual" in item.reason and "a procedure or work instruction" in item.reason
    assert item.reason_cn.startswith("三级条款 5.1.2.2 售后服务管理师 仅由《培训记录表》（YH-JL-04）")
    assert "记录表单只是证据" in item.reason_cn
    assert _item(cov, "5.1.2.1").status == "covered"
    clause = _result(cov, "5.1.2")  # the clause itself is still cited by the manual and procedures
    assert clause.status == "partial" and "5.1.2.2 售后服务管理师 (partial)" in clause.reason
    assert [g.clause.id for g in cov.gaps] == ["5.1.2"] and clause.item_gaps == [item]
    summary = "\n".join(summary_lines(cov))
    assert "14 covered, 1 partial, 0 excluded" in summary and "  PARTIAL 5.1.2 人员配置:" in summary and "    PARTIAL 5.1.2.2 售后服务管理师: item 5.1.2.2" in summary

    xlsx = tmp_path / "cov.xlsx"
    run = CliRunner().invoke(main, ["coverage", str(pack), "--xlsx", str(xlsx)])
    assert run.exit_code == 3, run.output
    assert "PARTIAL 5.1.2.2 售后服务管理师" in run.output and "5.1.2 (item 5.1.2.2)" in run.output
    rows = [r for r in openpyxl.load_workbook(xlsx)["三级条款"].iter_rows(min_row=4, values_only=True) if r[1] == "5.1.2.2"]
    assert rows and rows[0][3] == "部分覆盖" and rows[0][4] == "YH-JL-04" and "记录表单只是证据" in rows[0][5]

    as_json = CliRunner().invoke(main, ["coverage", str(pack), "--json"])
    assert as_json.exit_code == 3
    data = json.loads(as_json.stdout)
    entry = next(i for c in data["clauses"] for i in c["items"] if i["id"] == "5.1.2.2")
    assert entry["status"] == "partial" and entry["cited_by"] == ["YH-JL-04"] and entry["reason"] == item.reason
    assert data["summary"]["items"] == {"covered": 17, "partial": 1, "excluded": 0, "uncovered": 0}


def test_an_item_without_the_manual_is_partial_and_one_nobody_cites_is_uncovered(sample_pack, tmp_path):
    pack = _copy(sample_pack, tmp_path)
    for doc in _prose(pack):  # the manual no longer cites 5.1.2.2; the procedures and instructions still do
        if doc.relative_to(pack).parts[0].startswith("01"):
            _rewrite(doc, b"5.1.2")
    cov = check_pack_dir(pack)
    item = _item(cov, "5.1.2.2")
    assert item.status == "partial" and "(the manual)" in item.reason and "缺：售后服务手册" in item.reason_cn
    assert [g.clause.id for g in cov.gaps] == ["5.1.2"]

    pack2 = _copy(sample_pack, tmp_path / "2")
    for doc in _prose(pack2, forms=True):
        _rewrite(doc, b"5.1.2")
    cov = check_pack_dir(pack2)
    lone = _item(cov, "5.1.2.2")
    assert lone.status == "uncovered" and lone.links == []
    assert "no document cites GB/T 27922-2011 5.1.2.2; citing 5.1.2 or its other items does not address it" in lone.reason
    assert _result(cov, "5.1.2").status == "partial"
    assert CliRunner().invoke(main, ["coverage", str(pack2)]).exit_code == 3


def test_an_excluded_item_needs_no_citation(sample_pack, tmp_path):
    """5.1.1.2 (服务网点) may be excluded: with every citation of it gone, the excluded item does
    not make 5.1.1 partial."""
    from docgen.coverage.check import compute
    from docgen.coverage.model import PackInfo
    from docgen.coverage.read import read_document
    from docgen.standards import builtin_standards, load_standard

    pack = _copy(sample_pack, tmp_path)
    for doc in _prose(pack, forms=True):
        edit_parts(doc, ("",), rb"5\.1\.1\.2(?![\d.]*\d)", b"5.1.1")
    info = PackInfo.from_json(json.loads((pack / "coverage.json").read_text(encoding="utf-8"))["pack"])
    texts = {d.relpath: read_document(d.relpath, (pack / d.relpath).read_bytes()) for d in info.documents}
    standard = load_standard(builtin_standards()["gbt27922-2011"])
    assert _result(compute(info, texts, standard), "5.1.1").status == "partial"
    info.exclusions["5.1.1.2"] = "本公司不设服务网点，由总部直接提供服务。"
    cov = compute(info, texts, standard)
    assert _item(cov, "5.1.1.2").status == "excluded" and _result(cov, "5.1.1").status == "covered"
