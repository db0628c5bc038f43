"""A trade module's own practice (`manual:` per clause, `practice:` per procedure) is printed in
the manual and the procedures as numbered sections, rendered with the document's context; profile
text inside it stays a value; a syntax error is reported at its trade.yaml line."""

from __future__ import annotations

import datetime as dt

import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.pack import build_pack

from .conftest import docx_text
from .test_trade_overlay import TRADE, _overlay

PRACTICE = """\
manual:
  5.2.4:
    - "滤芯更换由{{ dept_for('after_sales').name }}按更换周期提醒{{ trade.customer }}。"
    - "更换后冲洗滤芯并检测出水TDS值。"
practice:
  repair:
    - title: 净水设备维修的水质检测
      text: ["维修完成后检测进出水TDS值，结果记入{{ ref('rec_repair_record') }}。"]
"""


def _with_practice(tmp_path, extra: str = PRACTICE):
    overlay, profile = _overlay(tmp_path)
    (overlay / "trades" / "water_purifiers" / "trade.yaml").write_text(TRADE + extra, encoding="utf-8")
    return overlay, profile


def test_manual_and_procedure_print_the_trade_practice(tmp_path):
    overlay, profile = _with_practice(tmp_path)
    out = tmp_path / "pack"
    pack = build_pack(profile, out, date=dt.date(2026, 9, 1), templates_dir=overlay)
    docs = {d.entry.id: d for d in pack.documents}
    manual = docx_text(out / docs["service_manual"].relpath)
    after_sales = pack.profile.department_for("after_sales").name
    assert f"家用净水设备的专门要求\n滤芯更换由{after_sales}按更换周期提醒用户。\n更换后冲洗滤芯并检测出水TDS值。" in manual
    # the sub-section is numbered after the clause's last one, inside 5.2.4 (before 5.2.5)
    start, end = manual.rindex("\n5.2.4 维修"), manual.rindex("\n5.2.5 质量保证")
    assert start < manual.index("家用净水设备的专门要求") < end
    heading = manual[:manual.index("家用净水设备的专门要求")].rsplit("\n", 1)[1]
    assert heading.startswith("5.2.4.") and heading.strip() != "5.2.4."
    repair = docx_text(out / docs["repair"].relpath)
    rec = docs["rec_repair_record"]
    assert "净水设备维修的水质检测\n维修完成后检测进出水TDS值，结果记入" in repair
    assert rec.number in repair.split("净水设备维修的水质检测", 1)[1]
    assert repair.index("净水设备维修的水质检测") < repair.index("6 相关文件")


def test_without_practice_nothing_is_added(tmp_path):
    overlay, profile = _overlay(tmp_path)
    out = tmp_path / "pack"
    pack = build_pack(profile, out, date=dt.date(2026, 9, 1), templates_dir=overlay)
    manual = docx_text(out / next(d for d in pack.documents if d.entry.id == "service_manual").relpath)
    assert "的专门要求" not in manual


def test_profile_text_in_practice_stays_a_value(tmp_path):
    overlay, profile = _with_practice(tmp_path)
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    old = next(d["name"] for d in data["departments"] if "after_sales" in d["functions"])

    def swap(node):
        if isinstance(node, dict):
            return {k: swap(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap(v) for v in node]
        return "{{ 7*7 }}<服务>&部" if node == old else node

    profile.write_text(yaml.safe_dump(swap(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "pack"
    pack = build_pack(profile, out, date=dt.date(2026, 9, 1), templates_dir=overlay)
    manual = docx_text(out / next(d for d in pack.documents if d.entry.id == "service_manual").relpath)
    assert "滤芯更换由{{ 7*7 }}<服务>&部按更换周期提醒用户。" in manual


def test_a_syntax_error_in_practice_is_reported_at_its_line(tmp_path):
    overlay, profile = _with_practice(tmp_path, PRACTICE.replace("{{ trade.customer }}", "{{ trade.customer "))
    path = overlay / "trades" / "water_purifiers" / "trade.yaml"
    line = path.read_text(encoding="utf-8").split("\n").index(
        next(x for x in path.read_text(encoding="utf-8").split("\n") if "按更换周期提醒" in x)) + 1
    result = CliRunner().invoke(main, ["check", str(profile), "--templates", str(overlay)])
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}" in result.output and "template error in trade text" in result.output
    assert "Traceback" not in result.output


def _renaming(tmp_path, rename: str):
    """The overlay trade with `documents.rename` set (a YAML flow mapping), and its profile."""
    overlay, profile = _overlay(tmp_path)
    path = overlay / "trades" / "water_purifiers" / "trade.yaml"
    path.write_text(TRADE.replace("documents:\n", f"documents:\n  rename: {rename}\n"), encoding="utf-8")
    return overlay, profile


def _built_with_renames(tmp_path, rename: str):
    """The pack built with those renames: its folder and its documents by id."""
    overlay, profile = _renaming(tmp_path, rename)
    out = tmp_path / "pack"
    pack = build_pack(profile, out, date=dt.date(2026, 9, 1), templates_dir=overlay)
    return out, {d.entry.id: d for d in pack.documents}


def test_a_trade_renames_a_word_document_and_every_reference_follows(tmp_path):
    out, docs = _built_with_renames(tmp_path, "{wi_onsite_conduct: 入户服务规范与礼仪作业指导书}")
    wi = docs["wi_onsite_conduct"]
    assert wi.entry.title == "入户服务规范与礼仪作业指导书" and wi.relpath.endswith(f"{wi.number} 入户服务规范与礼仪作业指导书.docx")
    manual = docx_text(out / docs["service_manual"].relpath)
    assert f"《入户服务规范与礼仪作业指导书》（{wi.number}）" in manual and "上门服务规范与礼仪作业指导书" not in manual
    assert "入户服务规范与礼仪作业指导书" in docx_text(out / wi.relpath)


def test_a_trade_renames_a_record_form_its_sheet_and_references_follow(tmp_path):
    import openpyxl

    out, docs = _built_with_renames(tmp_path, "{rec_repair_record: 净水设备维修记录单, rec_field_report: 疑难问题跟踪报告单}")
    rec = docs["rec_repair_record"]
    assert rec.relpath.endswith(f"{rec.number} 净水设备维修记录单.xlsx")
    wb = openpyxl.load_workbook(out / rec.relpath)
    assert wb.sheetnames == ["净水设备维修记录单"]
    ws = wb.active
    assert "净水设备维修记录单" in [c.value for row in ws.iter_rows(max_row=4) for c in row]
    assert ws.print_area and "净水设备维修记录单" in str(ws.print_area)
    assert f"《净水设备维修记录单》（{rec.number}）" in docx_text(out / docs["repair"].relpath)
    # a title with a character Excel refuses in sheet names ("/") was compiled as "-": found and renamed
    assert openpyxl.load_workbook(out / docs["rec_field_report"].relpath).sheetnames == ["疑难问题跟踪报告单"]
    # a form not renamed keeps the sheet name it was compiled with
    other = docs["rec_service_order"]
    assert openpyxl.load_workbook(out / other.relpath).sheetnames == [other.entry.title]


def test_renaming_an_unknown_id_is_refused(tmp_path):
    overlay, profile = _renaming(tmp_path, "{no_such_doc: x}")
    result = CliRunner().invoke(main, ["build", str(profile), "-o", str(tmp_path / "pack"), "--templates", str(overlay)])
    assert result.exit_code == 1, result.output
    assert "renames 'no_such_doc', which is not in the catalog" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "pack").exists()


def test_practice_yaml_beside_trade_yaml_adds_its_text_after_the_modules(tmp_path):
    overlay, profile = _with_practice(tmp_path)
    folder = overlay / "trades" / "water_purifiers"
    (folder / "practice.yaml").write_text(
        'manual:\n  5.2.4:\n    - "滤芯到期前由客服专员提醒{{ trade.customer }}预约更换。"\n'
        "practice:\n  repair:\n    - title: 漏水维修\n      text: [先关闭进水阀，再拆检接头。]\n", encoding="utf-8")
    out = tmp_path / "pack"
    pack = build_pack(profile, out, date=dt.date(2026, 9, 1), templates_dir=overlay)
    docs = {d.entry.id: d for d in pack.documents}
    manual = docx_text(out / docs["service_manual"].relpath)
    assert "更换后冲洗滤芯并检测出水TDS值。\n滤芯到期前由客服专员提醒用户预约更换。" in manual
    repair = docx_text(out / docs["repair"].relpath)
    assert repair.index("净水设备维修的水质检测") < repair.index("漏水维修\n先关闭进水阀，再拆检接头。")

    (folder / "practice.yaml").write_text("manual:\n  5.2.4:\n    - \"{% if %}\"\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(profile), "--templates", str(overlay)])
    assert result.exit_code == 1 and f"{folder / 'practice.yaml'}:3" in result.output, result.output
