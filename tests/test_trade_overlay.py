"""A consultant adds a trade in an overlay folder: it validates, lints, renders and speaks of that
trade, and a broken trade.yaml is reported with its file and line."""

from __future__ import annotations

import datetime as dt
import shutil

from click.testing import CliRunner

from docgen.cli import main
from docgen.pack import build_pack

from .conftest import ROOT, docx_text

TRADE = """\
key: water_purifiers
name: 家用净水设备
customer: 用户
product: 净水设备
site: 用户家中
services:
  - {key: filter_change, label: 滤芯更换, clause: 5.2.4}
qualifications: [经公司培训考核合格的安装维修人员]
warranty: {applies: true, summary: 整机和主要部件按公司保修承诺保修；滤芯为易耗件，按更换周期有偿更换。}
safety_steps: [关闭进水阀并泄压后拆装滤芯, 安装后冲洗并检测出水水质]
visit_conduct: [穿鞋套、铺垫布, 完工清理现场并带走旧滤芯]
tools: [TDS 检测笔, 扳手套装]
documents:
  add:
    - {id: wi_filter_change, kind: work_instruction, title: 滤芯更换作业指导书,
       template: trades/water_purifiers/work_instructions/filter_change.docx, clauses: [5.2.4],
       owner: after_sales, when: "services.filter_change.offered"}
"""


def _overlay(tmp_path):
    overlay = tmp_path / "my-templates"
    folder = overlay / "trades" / "water_purifiers" / "work_instructions"
    folder.mkdir(parents=True)
    (overlay / "trades" / "water_purifiers" / "trade.yaml").write_text(TRADE, encoding="utf-8")
    from docgen.authoring.markdown import compile_markdown

    compile_markdown("# 1 目的\n规范{{ trade.product }}滤芯更换作业（GB/T 27922-2011 5.2.4）。\n# 2 作业要求\n"
                     "{% for s in trade.safety_steps %}\n- {{ s }}\n{% endfor %}\n",
                     folder / "filter_change.docx", "filter_change.dgmd")
    profile = tmp_path / "client.yaml"
    text = (ROOT / "samples" / "company.yaml").read_text(encoding="utf-8")
    text = text.replace("  trade: gas_appliances\n", "  trade: water_purifiers\n")
    text = text.replace("services:\n", "services:\n  filter_change:\n    offered: true\n    mode: in_house\n", 1)
    profile.write_text(text, encoding="utf-8")
    return overlay, profile


def test_an_overlay_trade_is_checked_built_and_spoken_of(tmp_path):
    overlay, profile = _overlay(tmp_path)
    assert "trade: water_purifiers" in profile.read_text(encoding="utf-8")
    check = CliRunner().invoke(main, ["templates", "check", "--templates", str(overlay), "--profile", str(profile)])
    assert check.exit_code == 0, check.output
    assert "water_purifiers" in check.output and ", 0 problem(s)" in check.output
    out = tmp_path / "pack"
    pack = build_pack(profile, out, date=dt.date(2026, 9, 1), templates_dir=overlay)
    doc = next(d for d in pack.documents if d.entry.id == "wi_filter_change")
    text = docx_text(out / doc.relpath)
    assert "净水设备滤芯更换作业" in text and "关闭进水阀并泄压后拆装滤芯" in text
    assert pack.profile.trade.name == "家用净水设备"


def test_a_broken_overlay_trade_is_reported_with_file_and_line(tmp_path):
    overlay, profile = _overlay(tmp_path)
    path = overlay / "trades" / "water_purifiers" / "trade.yaml"
    path.write_text(TRADE.replace("customer: 用户\n", "customer: 用户\ncolour: blue\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(profile), "--templates", str(overlay)])
    assert result.exit_code == 1
    assert f"colour ({path}:4:1): unknown key 'colour'" in result.output
    shutil.rmtree(overlay / "trades")
    missing = CliRunner().invoke(main, ["check", str(profile)])
    assert missing.exit_code == 1 and "no trade module 'water_purifiers'" in missing.output
