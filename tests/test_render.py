"""The rendering engine, on small templates made in the test: escaping, strictness, error places,
Excel text safety and row loops, house style, determinism."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from docgen.authoring.markdown import compile_markdown
from docgen.authoring.records import compile_record
from docgen.catalog import TemplateSet, builtin_templates
from docgen.errors import TemplateError
from docgen.pack import build_pack, render_pack
from docgen.profile import parse_profile

from .conftest import docx_text, docx_xml, sample_text

NASTY = '<b>&amp; "quoted" \'single\' {{ x }} {% if %} =1+1 \\n'


def overlay(tmp_path: Path, bodies: dict[str, str], records: dict[str, dict] | None = None) -> TemplateSet:
    """An overlay with its own catalog holding only the given documents."""
    root = tmp_path / "tpl"
    lines = ["documents:"]
    for name, text in bodies.items():
        compile_markdown(text, root / "procedures" / f"{name}.docx")
        lines += [f"  - id: {name}", "    kind: procedure", f"    title: 测试程序{name}", f"    template: procedures/{name}.docx", "    clauses: [5.3.2]"]
    for name, spec in (records or {}).items():
        compile_record(spec, root / "records" / f"{name}.xlsx")
        lines += [f"  - id: {name}", "    kind: record", f"    title: 测试表单{name}", f"    template: records/{name}.xlsx"]
    (root / "catalog.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return TemplateSet(builtin_templates(), root)


def nasty_profile():
    text = sample_text().replace("short_name: 越华电器", 'short_name: "越华<b>&amp; \\"引号\\" \'单\' {{ x }} {% if %}\\n第二行\\t制表"')
    text = text.replace("hotline: 400-826-6600", 'hotline: "=1+1"')
    return parse_profile(text, "company.yaml")


def test_every_character_survives_in_word(tmp_path):
    ts = overlay(tmp_path, {"t": "# 1 目的\n简称：{{ company.short_name }}。\n| 名称 | 热线 |\n| {{ company.short_name }} | {{ channels.hotline }} |"})
    pack = render_pack(nasty_profile(), ts, dt.date(2026, 9, 1))
    path = tmp_path / "t.docx"
    path.write_bytes(next(iter(pack.files.values())))
    text = docx_text(path)
    assert "简称：越华<b>&amp; \"引号\" '单' {{ x }} {% if %}第二行\t制表。" not in text  # the newline is a real break
    xml = docx_xml(path)
    assert "越华&lt;b&gt;&amp;amp; " in xml
    assert "<w:br/>" in xml and "<w:tab/>" in xml
    import docx

    d = docx.Document(str(path))
    para = next(p for p in d.paragraphs if p.text.startswith("简称："))
    assert para.text == "简称：越华<b>&amp; \"引号\" '单' {{ x }} {% if %}\n第二行\t制表。"
    cell = d.tables[-1].rows[1].cells
    assert cell[1].text == "=1+1"


def test_missing_variable_is_an_error_naming_template_part_and_place(tmp_path):
    ts = overlay(tmp_path, {"t": "# 1 目的\n第一段。\n负责人：{{ after_sales_head.nmae }}"})
    with pytest.raises(TemplateError) as info:
        render_pack(nasty_profile(), ts)
    (problem,) = info.value.problems
    assert problem.file == "procedures/t.docx"
    assert problem.message.startswith("body, paragraph ")
    assert "«负责人：{{ after_sales_head.nmae }}»: 'dict object' has no attribute 'nmae'" in problem.message


def test_all_template_problems_are_reported_in_one_run(tmp_path):
    ts = overlay(tmp_path, {"a": "# 1 目的\n{{ nope }}", "b": "# 1 目的\n{% if %}", "c": "# 1 目的\n| 甲 | 乙 |\n| {{ oops }} | x |"})
    with pytest.raises(TemplateError) as info:
        render_pack(nasty_profile(), ts)
    by_file = {p.file: p.message for p in info.value.problems}
    assert set(by_file) == {"procedures/a.docx", "procedures/b.docx", "procedures/c.docx"}
    assert by_file["procedures/a.docx"].endswith("«{{ nope }}»: 'nope' is undefined")
    assert "Expected an expression" in by_file["procedures/b.docx"]
    assert by_file["procedures/c.docx"].startswith("body, table 1 row 2 cell 1, paragraph ")


def test_sandbox_blocks_reaching_outside_the_context(tmp_path):
    ts = overlay(tmp_path, {"t": "# 1 目的\n{{ company.__class__.__mro__ }}"})
    with pytest.raises(TemplateError) as info:
        render_pack(nasty_profile(), ts)
    assert "__class__" in info.value.problems[0].message


def test_excel_values_are_text_never_formulas_and_rows_repeat(tmp_path):
    spec = {
        "title": "网点",
        "columns": [
            {"name": "序号", "width": 6},
            {"name": "名称", "width": 30, "value": "{{ o.name }}"},
            {"name": "类型", "width": 10, "value": "{{ o.kind }}", "choices": ["own", "entrusted"]},
            {"name": "热线", "width": 16, "value": "{{ channels.hotline }}"},
        ],
        "loop": "o in outlets",
        "rows": 3,
        "signatures": ["填表人", "审核人"],
    }
    ts = overlay(tmp_path, {}, {"r": spec})
    pack = render_pack(nasty_profile(), ts, dt.date(2026, 9, 1))
    path = tmp_path / "r.xlsx"
    path.write_bytes(next(iter(pack.files.values())))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "序号")
    names = [values[header + 1 + i][1] for i in range(5)]
    assert names == ["越华电器绍兴服务中心", "越华电器杭州服务中心", "越华电器宁波服务中心", "苏州恒安服务站", "合肥恒安服务站"]
    hotline_cell = ws.cell(header + 2, 4)
    assert hotline_cell.value == "=1+1" and hotline_cell.data_type == "s"
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    # the dropdown covers the repeated rows and the blank rows below them
    (dv,) = ws.data_validations.dataValidation
    assert str(dv.sqref) == f"C{header + 2}:C{header + 1 + 5 + 3}"
    # signatures moved below the repeated rows, with their merges
    sig_row = next(i for i, r in enumerate(values, 1) if r[0] == "填表人：")
    assert sig_row == header + 1 + 5 + 3 + 1
    assert f"A{sig_row}:B{sig_row}" in {str(m) for m in ws.merged_cells.ranges}
    assert ws.print_area == f"'{ws.title}'!$A$1:$D${sig_row}"
    assert ws.oddHeader.left.text == "越华<b>&&amp; \"引号\" '单' {{ x }} {% if %}\n第二行\t制表"
    assert int(ws.page_setup.paperSize) == 9  # A4


def test_house_style_a4_fonts_fields_and_control_block(tmp_path):
    ts = overlay(tmp_path, {"t": "# 1 目的\n正文。"})
    profile = parse_profile(sample_text(), "company.yaml")
    pack = render_pack(profile, ts, dt.date(2026, 9, 1))
    path = tmp_path / "t.docx"
    path.write_bytes(next(iter(pack.files.values())))
    styles = docx_xml(path, "word/styles.xml")
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="黑体"' in styles
    assert 'w:eastAsia="zh-CN"' in styles
    doc = docx_xml(path)
    assert '<w:pgSz w:w="11906" w:h="16838"' in doc
    with zipfile.ZipFile(path) as zf:
        footers = "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("word/footer"))
        headers = "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("word/header"))
        settings = zf.read("word/settings.xml").decode()
    assert 'w:instr=" PAGE "' in footers and 'w:instr=" NUMPAGES "' in footers and "第 " in footers
    assert "浙江越华电器科技有限公司" in headers and "YH-CX-01" in headers and "测试程序t" in headers
    assert '<w:updateFields w:val="true"/>' in settings
    import docx

    d = docx.Document(str(path))
    control = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    assert control["文件编号"] == "YH-CX-01"
    assert control["受控状态"] == "受控"
    # a procedure owned by after-sales: its head prepares, the management representative reviews, the GM approves
    assert control["编\u3000\u3000制"] == "王丽君"
    assert control["审\u3000\u3000核"] == "李振华"
    assert control["批\u3000\u3000准"] == "陈国栋"
    history = [[c.text for c in r.cells] for r in d.tables[1].rows]
    assert history[0][0] == "序号" and history[1][:4] == ["1", "A/0", "全文", "首次发布"]
    assert d.core_properties.title == "测试程序t"


def test_same_profile_and_date_give_identical_bytes(tmp_path):
    ts = overlay(tmp_path, {"t": "# 1 目的\n正文{{ company.name }}。"}, {"r": {"title": "表", "columns": [{"name": "序号"}], "rows": 2}})
    profile = parse_profile(sample_text(), "company.yaml")
    a = render_pack(profile, ts, dt.date(2026, 9, 1)).files
    b = render_pack(profile, ts, dt.date(2026, 9, 1)).files
    assert a == b
    c = render_pack(profile, ts, dt.date(2026, 9, 2)).files
    assert a != c


def test_failed_build_leaves_existing_output_untouched(tmp_path):
    ts = overlay(tmp_path, {"t": "# 1 目的\n{{ nope }}"})
    out = tmp_path / "out"
    out.mkdir()
    (out / ".docgen-pack").write_text('{"tool": "docgen", "format": 1}', encoding="utf-8")  # a pack docgen wrote
    (out / "keep.txt").write_text("previous pack", encoding="utf-8")
    with pytest.raises(TemplateError):
        build_pack(Path("samples/company.yaml"), out, force=True, templates_dir=ts.overlay)
    assert sorted(p.name for p in out.iterdir()) == [".docgen-pack", "keep.txt"]
    assert (out / "keep.txt").read_text(encoding="utf-8") == "previous pack"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_a_build_killed_between_renames_is_recovered(tmp_path):
    from docgen.pack.output import write_pack

    out = tmp_path / "out"
    write_pack(out, {"a.txt": b"first"}, force=False)
    # simulate a kill after the old pack was moved aside and before the new one moved in
    (tmp_path / ".out.old-x1").mkdir()
    out.rename(tmp_path / ".out.old-x1" / "tmp")
    (tmp_path / ".out.old-x1" / "tmp").rename(tmp_path / ".out.old-x2")
    (tmp_path / ".out.old-x1").rmdir()
    (tmp_path / ".out.new-y").mkdir()
    assert not out.exists()
    from docgen.pack.output import recover

    recover(out)
    assert (out / "a.txt").read_bytes() == b"first"
    write_pack(out, {"a.txt": b"second"}, force=True)
    assert (out / "a.txt").read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
