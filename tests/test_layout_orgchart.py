"""The organisation chart is native Word content: it needs no font on the building machine, draws
the real reporting lines, and never cuts a name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from docgen.context.visuals import _tree, chart_grid, chart_xml

from .conftest import ROOT, SAMPLE, docx_xml

CTX = {
    "general_manager": {"name": "陈国栋", "title": "总经理"},
    "management_representative": {"name": "王丽君"},
    "people": [{"name": "周副总", "title": "副总经理"}],
    "company": {"short_name": "越华"},
    "departments": [
        {"name": "售后服务部", "functions": ["after_sales"], "reports_to": "周副总"},
        {"name": "技术中心", "functions": ["rnd"], "reports_to": "周副总"},
        {"name": "质量管理部", "functions": ["quality"]},
    ],
    "outlets": [{"name": "越华绍兴服务中心", "kind": "own"}, {"name": "苏州恒安服务站", "kind": "entrusted"}],
}


def test_reporting_lines_follow_reports_to() -> None:
    root, mr = _tree(CTX)
    assert [c.lines for c in root.children] == [["副总经理", "周副总"], ["质量管理部"]]
    vp = root.children[0]
    assert [c.lines[0] for c in vp.children] == ["售后服务部", "技术中心"]
    assert [c.lines for c in vp.children[0].children] == [["绍兴服务中心（自营）"], ["苏州恒安服务站（委托）"]]
    assert mr is not None and mr.lines == ["管理者代表", "王丽君"]


def test_names_are_whole_runs_never_cut() -> None:
    xml = chart_xml(CTX)
    for name in ("绍兴服务中心（自营）", "苏州恒安服务站（委托）", "质量管理部", "副总经理"):
        assert f'<w:t xml:space="preserve">{name}</w:t>' in xml  # whole, spaces kept
    assert 'w:textDirection w:val="tbRlV"' in xml  # department and outlet names run vertically
    assert xml.count("<w:cantSplit/>") == len(chart_grid(CTX).rows)


def test_build_needs_no_system_font(tmp_path: Path) -> None:
    """The manual builds with no font directories at all (fontconfig pointed at nothing)."""
    env = {**os.environ, "FONTCONFIG_FILE": "/dev/null", "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path),
           "DOCGEN_TOC_PAGES": "off", "DOCGEN_CJK_FONT": "/nonexistent.ttf", "PYTHONPATH": str(ROOT)}
    code = ("import datetime as dt; from docgen.pack import render_pack; from docgen.profile import load_profile; "
            f"p = render_pack(load_profile({str(SAMPLE)!r}), date=dt.date(2026, 9, 1)); "
            "print(sum(1 for r in p.files if r.startswith('01 ')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_manual_holds_the_chart_as_a_table_not_a_picture(sample_pack: Path) -> None:
    (doc,) = (sample_pack / "01 售后服务手册").glob("*.docx")
    xml = docx_xml(doc)
    assert '<w:tblDescription w:val="组织机构图"/>' in xml
    assert "<w:drawing>" not in xml
