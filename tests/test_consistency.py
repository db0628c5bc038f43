"""Consistency proved from the rendered text: each kind of contradiction an auditor found is planted
in a built pack (edited by hand, as a consultant would in Word or Excel) and `docgen coverage`
names it with the document, the section and both values."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.coverage import check_pack_dir

from .conftest import BUILD_DATE, ROOT


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from docgen.pack import build_pack

    out = {}
    for name in ("company", "retailer"):
        target = tmp_path_factory.mktemp(name) / "pack"
        build_pack(ROOT / "samples" / f"{name}.yaml", target, date=BUILD_DATE)
        out[name] = target
    return out


def _doc(pack: Path, number_part: str) -> Path:
    return next(p for p in pack.rglob("*.docx") if number_part in p.name)


def _plant(pack: Path, tmp_path: Path, number_part: str, heading: str, text: str) -> Path:
    """Copy the pack and add a paragraph with `text` after the heading `heading` of one document."""
    copy = tmp_path / "pack"
    shutil.copytree(pack, copy)
    path = _doc(copy, number_part)
    d = docx.Document(str(path))
    anchor = next(p for p in d.paragraphs if p.text.strip().startswith(heading) and p.style.name.startswith("Heading"))
    new = anchor.insert_paragraph_before("")
    anchor._p.addnext(new._p)  # after the heading, inside its section
    new.add_run(text)
    d.save(str(path))
    return copy


def _found(pack: Path) -> list:
    return check_pack_dir(pack).inconsistencies


# (sample, document, section heading, planted text, fact, stated, expected)
CASES = [
    ("company", "CX-23", "4 术语和定义", "顾客报修后，绍兴、杭州、宁波市区8小时内上门。",
     "绍兴、杭州、宁波市区上门时限", "8小时", "4小时"),
    ("company", "CX-07", "5.1", "服务网点所在城市市区4小时内上门。", "服务区域", "服务网点所在城市市区4小时内上门", "绍兴、杭州、宁波市区4小时"),
    ("company", "CX-23", "4 术语和定义", "较大投诉：影响较大的投诉。", "投诉等级", "较大投诉", "一般投诉、重大投诉"),
    ("company", "CX-23", "4 术语和定义", "重大投诉：顾客表示强烈不满的任何投诉。", "重大投诉的定义", "顾客表示强烈不满的任何投诉", "涉及人身伤害"),
    ("company", "CX-10", "5", "投诉办结率不低于120%。", "投诉办结率目标", "120%", "不超过100%"),
    ("company", "CX-10", "5", "服务及时率不低于90%。", "服务及时率目标", "90%", "98%"),
    ("company", "CX-22", "5", "回访率＝回访次数÷服务单总数×100%。", "回访率的计算方法", "回访次数÷服务单总数", "已回访的服务单数÷同期完成的服务单总数"),
    ("company", "CX-22", "5", "公司每半年开展一次顾客满意度调查。", "满意度测评频次", "每半年", "每季度"),
    ("company", "CX-22", "5", "顾客满意度调查每个网点不少于10份。", "满意度测评样本量", "不少于10份", "不少于30份"),
    ("company", "CX-07", "5", "委托网点每年巡检一次。", "委托网点巡检频次", "每年", "每季度"),
    ("company", "CX-16", "5", "《维修记录单》保存3年。", "《维修记录单》保存期限", "3年", "6年"),
    ("retailer", "CX-017", "5", "顾客报修后，杭州、上海市区24小时内上门维修。", "上门服务", "24小时内上门", "维修不上门（寄修）"),
]


@pytest.mark.parametrize("sample,number,heading,text,fact,stated,expected", CASES, ids=[c[4] for c in CASES])
def test_a_planted_contradiction_is_found_with_document_section_and_both_values(
    packs, tmp_path, sample, number, heading, text, fact, stated, expected
):
    before = {str(f) for f in _found(packs[sample])}
    pack = _plant(packs[sample], tmp_path, number, heading, text)
    new = [f for f in _found(pack) if str(f) not in before]
    assert new, f"nothing found for {text!r}"
    hit = next((f for f in new if f.number.endswith(number) and fact in f.message_cn), None)
    assert hit is not None, [str(f) for f in new]
    assert hit.heading.startswith(heading)  # the section it was planted in
    assert f"“{stated}" in hit.message_cn or stated in hit.message_cn
    assert expected in hit.message_cn


def test_a_dropdown_without_every_grade_is_found(packs, tmp_path):
    copy = tmp_path / "pack"
    shutil.copytree(packs["company"], copy)
    path = next(p for p in copy.rglob("*.xlsx") if "投诉处理登记表" in p.name)
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    dv = DataValidation(type="list", formula1='"一般投诉,较大投诉"', allow_blank=True)  # a consultant adds a dropdown
    ws.add_data_validation(dv)
    dv.add("H8:H20")
    wb.save(path)
    hit = [f for f in _found(copy) if "投诉等级下拉选项" in f.message_cn]
    assert hit and "一般投诉、较大投诉" in hit[0].message_cn and "一般投诉、重大投诉" in hit[0].message_cn
    assert hit[0].title.startswith("顾客投诉处理登记表") and "!" in hit[0].where


def test_docgen_coverage_exits_3_and_lists_the_contradiction(packs, tmp_path):
    pack = _plant(packs["company"], tmp_path, "CX-22", "5", "公司每半年开展一次顾客满意度调查。")
    result = CliRunner().invoke(main, ["coverage", str(pack)])
    assert result.exit_code == 3
    assert "满意度测评频次表述为“每半年”" in result.output or "states 满意度测评频次 as «每半年»" in result.output


def test_every_sample_builds_with_zero_consistency_findings(all_packs):
    for name, pack in all_packs.items():
        found = check_pack_dir(pack).inconsistencies
        assert not found, f"{name}: " + "; ".join(str(f) for f in found[:5])
