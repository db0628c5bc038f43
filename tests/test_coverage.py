"""Clause coverage: the catalog as data, coverage read from the rendered text, the reasons for gaps,
the cross-checks, `docgen build` exit 3 and `docgen coverage` on built and hand-edited packs."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from docgen.authoring.markdown import compile_markdown
from docgen.authoring.records import compile_record
from docgen.cli import main
from docgen.coverage import JSON_NAME, check_pack_dir
from docgen.coverage.checks import unknown_names
from docgen.coverage.read import read_docx
from docgen.errors import CatalogError, ProfileError
from docgen.pack import build_pack
from docgen.standards import Standard, builtin_standards, load_standard

from .conftest import BUILD_DATE, SAMPLE, SAMPLES

FIXTURES = Path(__file__).parent / "fixtures" / "coverage"
WORKBOOK = "05 认证工作文件/YH-GZ-01 条款覆盖矩阵.xlsx"
COMPLAINTS = "02 程序文件/YH-CX-01 顾客投诉处理程序.docx"
Edit = Callable[[str], str]


# ---------------------------------------------------------------------- helpers
def overlay(tmp_path: Path, edits: dict[str, Edit] | None = None, catalog: Callable[[dict], dict] | None = None) -> Path:
    """Compile the fixture templates (with `edits` applied to a source's text) into an overlay folder."""
    edits = edits or {}
    root = tmp_path / "templates"
    sources = {"service_manual.md": "manual/service_manual.docx", "complaints.md": "procedures/complaints.docx",
               "recycling.md": "procedures/recycling.docx"}
    for src, target in sources.items():
        text = (FIXTURES / src).read_text(encoding="utf-8")
        compile_markdown(edits.get(src, lambda t: t)(text), root / target, src)
    compile_record(yaml.safe_load((FIXTURES / "complaint_register.yaml").read_text(encoding="utf-8")),
                   root / "records" / "complaint_register.xlsx")
    data = yaml.safe_load((FIXTURES / "catalog.yaml").read_text(encoding="utf-8"))
    if catalog:
        data = catalog(data)
    (root / "catalog.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


def profile(tmp_path: Path, change: Callable[[dict], None] | None = None, name: str = "company.yaml") -> Path:
    """The sample profile, changed by `change`, written to tmp_path."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    if change:
        change(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def no_recycling(data: dict) -> None:
    data["services"]["recycling"]["offered"] = False


def build(tmp_path: Path, templates: Path, prof: Path | None = None, *extra: str):
    out = tmp_path / "pack"
    args = ["build", str(prof or SAMPLE), "-o", str(out), "--templates", str(templates), "--date", "2026-09-01", "--force", *extra]
    return CliRunner().invoke(main, args), out


def record(out: Path) -> dict:
    return json.loads((out / JSON_NAME).read_text(encoding="utf-8"))


def clause(data: dict, cid: str) -> dict:
    return next(c for c in data["clauses"] if c["id"] == cid)


def messages(data: dict, kind: str) -> list[str]:
    return [f["message"] for f in data["findings"] if f["kind"] == kind]


@pytest.fixture(scope="module")
def std() -> Standard:
    return load_standard(builtin_standards()["gbt27922-2011"])


@pytest.fixture
def fixture_pack(tmp_path: Path) -> Path:
    result, out = build(tmp_path, overlay(tmp_path))
    assert result.exit_code == 0, result.output
    return out


# ---------------------------------------------------------------------- the standard as data
def test_builtin_catalog_has_the_clause_tree_levels_and_duties(std):
    assert std.code == "GB/T 27922-2011" and std.catalog_clauses
    assert [(i.id, i.title, len(i.clauses)) for i in std.indicators] == [("5.1", "售后服务体系", 7), ("5.2", "商品服务", 6), ("5.3", "顾客服务", 2)]
    assert [c.id for c in std.clauses][:3] == ["5.1.1", "5.1.2", "5.1.3"] and len(std.clauses) == 15
    assert [i.id for i in std.clause_by_id["5.1.2"].items] == ["5.1.2.1", "5.1.2.2"]
    assert std.item_by_id["5.1.2.2"][1].title == "售后服务管理师"
    assert [(lv.name, lv.min_score) for lv in std.levels] == [("达标", 70), ("三星", 80), ("四星", 90), ("五星", 95)]
    assert {v.id for v in std.level_variants} == {"common", "stars-70-80-90", "stars-70-80-95"}
    assert (std.level_for(69.9), std.level_for(70), std.level_for(94.9), std.level_for(95)) == (None, "达标", "四星", "五星")
    assert std.level_for(90, "stars-70-80-90") == "五星"
    assert sum(c.points or 0 for c in std.clauses) == 100
    for c in std.clauses:
        assert c.requirement and c.evidence.documents and c.evidence.records and c.responsible, c.id
    assert not any(c.excludable for c in std.clauses if c.id.startswith(("5.1.", "5.3.")))
    assert {c.id for c in std.clauses if c.excludable} >= {"5.2.2", "5.2.3", "5.2.6"}


def test_score_drops_excluded_clauses(std):
    full = {c.id: c.points for c in std.clauses}
    assert std.score(full) == 100
    half = dict(full, **{"5.3.2": 0})
    assert std.score(half) == 89.0
    assert std.score(half, {"5.2.6"}) == round((89 - 4) / (100 - 4) * 100, 2)


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("依据 GB/T 27922-2011 5.3.2 制定。", ["5.3.2"]),
        ("GB/T27922—2011 5.1.1、5.1.2和5.1.4.2", ["5.1.1", "5.1.2", "5.1.4.2"]),
        ("见 GB/T 27922-2011 5.1.5～5.1.7。", ["5.1.5", "5.1.6", "5.1.7"]),
        ("GB/T 27922-2011 第 5.2.6 条", ["5.2.6"]),
        ("GB/T 27922-2011《商品售后服务评价体系》", []),
        ("GB/T 27922-2011 5.3.2.", ["5.3.2"]),
        ("GB/T 27922-2012 5.3.2", []),
    ],
)
def test_references_are_parsed_from_text(std, text, cited):
    assert [c for c, _ in std.parse_references(text)] == cited


def test_a_reference_split_over_runs_is_read_with_its_heading(tmp_path):
    d = docx.Document()
    d.add_heading("5 工作程序", level=1)
    p = d.add_paragraph()
    for piece in ("依据 GB/T 279", "22-2011 5.", "3.2 制定"):
        p.add_run(piece)
    table = d.add_table(rows=2, cols=2)
    table.cell(1, 1).text = "GB/T 27922-2011 5.3.1"
    d.save(tmp_path / "x.docx")
    text = read_docx((tmp_path / "x.docx").read_bytes())
    assert [(b.text, b.heading, b.where) for b in text.blocks] == [
        ("5 工作程序", "5 工作程序", "paragraph 1"),
        ("依据 GB/T 27922-2011 5.3.2 制定", "5 工作程序", "paragraph 2"),
        ("GB/T 27922-2011 5.3.1", "5 工作程序", "table 1 row 2 cell 2"),
    ]


def test_catalog_errors_name_file_line_and_key(tmp_path):
    bad = (FIXTURES / "standards" / "demo-sheet.yaml").read_text(encoding="utf-8")
    bad = bad.replace("points: 50}", "points: 50, responsible: sales_team}").replace('title: 示例售后服务评分表', 'title: 示例售后服务评分表\ncolour: red')
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_standard(path)
    text = str(err.value)
    assert f"colour ({path}:5:1): unknown key 'colour'; expected one of: id, code, title" in text
    assert f"indicators[0].clauses[0].responsible ({path}:13:" in text
    assert "expected one of after_sales, supervision, " in text
    assert "(did you mean 'sales'?), got 'sales_team'" in text
    dup = (FIXTURES / "standards" / "demo-sheet.yaml").read_text(encoding="utf-8").replace('id: "2.2"', 'id: "2.1"')
    path.write_text(dup, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"clause id 2\.1 is listed twice"):
        load_standard(path)


# ---------------------------------------------------------------------- coverage from what was rendered
def test_full_coverage_with_links_headings_and_outputs(fixture_pack):
    data = record(fixture_pack)
    assert data["summary"]["clauses"] == 15 and data["summary"]["covered"] == 15 and data["summary"]["uncovered"] == 0
    manual_523 = [link for link in clause(data, "5.2.3")["links"] if link["number"] == "YH-SC-01"]
    assert manual_523[0]["heading"] == "6.1 商品信息与技术支持" and manual_523[0]["where"].endswith("row 2 cell 1")
    c532 = clause(data, "5.3.2")
    assert c532["documents"] == [{"number": "YH-CX-01", "title": "顾客投诉处理程序", "headings": ["1 目的"]}]
    assert [d["number"] for d in data["documents"]] == ["YH-SC-01", "YH-CX-01", "YH-CX-02", "YH-JL-01"]
    assert data["documents"][0]["cited"][:4] == ["5.1.1", "5.1.2", "5.1.3", "5.1.4"]
    assert data["findings"] == []
    wb = openpyxl.load_workbook(fixture_pack / WORKBOOK)
    assert wb.sheetnames == ["汇总", "覆盖矩阵", "条款明细", "三级条款", "删减条款", "悬空引用", "其他检查"]
    summary = [[c.value for c in row] for row in wb["汇总"].iter_rows(min_row=4, max_row=7)]
    assert summary[0] == ["5.1", "售后服务体系", 7, 7, 0, 0, "100%"]
    assert summary[3] == ["合计", None, 15, 15, 0, 0, "100%"]
    matrix = wb["覆盖矩阵"]
    assert [matrix.cell(row=3, column=c).value for c in range(4, 8)] == [
        "YH-SC-01 售后服务手册", "YH-CX-01 顾客投诉处理程序", "YH-CX-02 废弃商品回收管理程序", "YH-JL-01 顾客投诉处理登记表"]
    row_526 = next(r for r in matrix.iter_rows(min_row=4, values_only=True) if r[0] == "5.2.6")
    assert row_526[:7] == ("5.2.6", "废弃商品回收", "已覆盖", None, None, "●", None)
    assert matrix.cell(row=4, column=3).fill.fgColor.rgb.endswith("C6EFCE")
    assert wb["删减条款"]["C4"].value == "本公司无删减条款"


def test_build_ends_with_a_coverage_summary(tmp_path):
    result, out = build(tmp_path, overlay(tmp_path))
    assert result.exit_code == 0, result.output
    assert (f"Coverage against GB/T 27922-2011: 15 clauses, 15 covered, 0 excluded, 0 uncovered; 0 warnings → {out / WORKBOOK}"
            in result.output)


def test_removing_a_section_makes_its_clause_uncovered_and_build_exits_3(tmp_path):
    cut = {"recycling.md": lambda t: t.replace("## 5.1 回收（GB/T 27922-2011 5.2.6）\n", "")}
    result, out = build(tmp_path, overlay(tmp_path, cut))
    assert result.exit_code == 3, result.output
    reason = ("the reference was removed from the text: 《废弃商品回收管理程序》（YH-CX-02） declares it "
              "but does not cite GB/T 27922-2011 5.2.6")
    assert f"  UNCOVERED 5.2.6 废弃商品回收: {reason}" in result.output
    assert (f"coverage gap: 1 clause of GB/T 27922-2011 uncovered (5.2.6); the pack was written to {out}; cover it in the "
            "documents, exclude it with a reason under certification.excluded where the standard allows, or build with --allow-gaps"
            in result.output)
    assert (out / COMPLAINTS).is_file()
    data = record(out)
    assert clause(data, "5.2.6")["status"] == "uncovered" and clause(data, "5.2.6")["reason"] == reason
    assert messages(data, "declared_not_found") == [
        "declares 5.2.6 废弃商品回收 in the catalog but its text does not cite GB/T 27922-2011 5.2.6"]
    detail = openpyxl.load_workbook(out / WORKBOOK)["条款明细"]
    row = next(r for r in detail.iter_rows(min_row=4, values_only=True) if r[0] == "5.2.6")
    assert row[2] == "未覆盖"
    assert row[8] == "《废弃商品回收管理程序》（YH-CX-02）声明覆盖本条款，但正文中没有“GB/T 27922-2011 5.2.6”的引用（引用已被删除）"
    allowed, _ = build(tmp_path, overlay(tmp_path, cut), None, "--allow-gaps")
    assert allowed.exit_code == 0, allowed.output
    assert "UNCOVERED 5.2.6" in allowed.output


def test_a_document_left_out_by_a_profile_condition_is_the_reason(tmp_path):
    result, out = build(tmp_path, overlay(tmp_path), profile(tmp_path, no_recycling))
    assert result.exit_code == 3
    assert ("UNCOVERED 5.2.6 废弃商品回收: its document 《废弃商品回收管理程序》 was left out by the profile condition "
            "`services.recycling.offered`") in result.output


def test_a_clause_no_document_declares_or_cites(tmp_path):
    def drop_recycling(data: dict) -> dict:
        data["documents"] = [d for d in data["documents"] if d["id"] != "recycling"]
        return data

    result, out = build(tmp_path, overlay(tmp_path, catalog=drop_recycling))
    assert result.exit_code == 3
    assert clause(record(out), "5.2.6")["reason"] == (
        "no document is selected for it: no document in the catalog declares 5.2.6 and none cites GB/T 27922-2011 5.2.6")


# ---------------------------------------------------------------------- exclusions
def test_an_exclusion_with_a_reason_counts_and_is_listed(tmp_path):
    def exclude(data: dict) -> None:
        no_recycling(data)
        data["certification"]["excluded"] = [{"clause": "5.2.6", "reason": "公司产品不属于废弃电器电子产品目录。"}]

    result, out = build(tmp_path, overlay(tmp_path), profile(tmp_path, exclude))
    assert result.exit_code == 0, result.output
    assert "15 clauses, 14 covered, 1 excluded, 0 uncovered" in result.output
    data = record(out)
    assert clause(data, "5.2.6")["status"] == "excluded"
    assert clause(data, "5.2.6")["reason"] == "公司产品不属于废弃电器电子产品目录。"
    sheet = openpyxl.load_workbook(out / WORKBOOK)["删减条款"]
    assert [c.value for c in sheet[4]] == ["5.2.6", "废弃商品回收", "公司产品不属于废弃电器电子产品目录。"]


def test_an_exclusion_without_a_reason_is_an_error(tmp_path):
    missing = profile(tmp_path, lambda d: d["certification"].update(excluded=[{"clause": "5.2.6"}]), "missing.yaml")
    result, _ = build(tmp_path, overlay(tmp_path), missing)
    assert result.exit_code == 1
    assert "certification.excluded[0].reason (" in result.output and "): required key is missing" in result.output
    blank = profile(tmp_path, lambda d: d["certification"].update(excluded=[{"clause": "5.2.6", "reason": "   "}]), "blank.yaml")
    with pytest.raises(ProfileError) as err:
        build_pack(blank, tmp_path / "o", templates_dir=overlay(tmp_path))
    line = next(i for i, t in enumerate(blank.read_text(encoding="utf-8").splitlines(), 1) if "reason:" in t)
    assert str(err.value) == (f"profile error: certification.excluded[0].reason ({blank}:{line}): clause 5.2.6 is excluded "
                              "without a reason; say why it does not apply (删减理由)")
    assert not (tmp_path / "o").exists()


def test_a_clause_the_standard_requires_cannot_be_excluded(tmp_path):
    prof = profile(tmp_path, lambda d: d["certification"].update(excluded=[
        {"clause": "5.3.2", "reason": "我们没有投诉"}, {"clause": "5.9.9", "reason": "无"}]))
    result, out = build(tmp_path, overlay(tmp_path), prof)
    assert result.exit_code == 1
    assert "clause 5.3.2 投诉处理 cannot be excluded: GB/T 27922-2011 requires it of every company" in result.output
    assert "certification.excluded[1].clause (" in result.output and "GB/T 27922-2011 has no clause 5.9.9" in result.output
    assert not out.exists()


# ---------------------------------------------------------------------- docgen coverage on a built or edited pack
def test_deleting_a_clause_reference_from_a_built_docx_is_reported(fixture_pack):
    path = fixture_pack / COMPLAINTS
    d = docx.Document(str(path))
    for p in d.paragraphs:
        for run in p.runs:
            run.text = run.text.replace("，依据 GB/T 27922-2011 5.3.2 制定本程序", "，制定本程序")
    d.save(str(path))
    result = CliRunner().invoke(main, ["coverage", str(fixture_pack)])
    assert result.exit_code == 3, result.output
    assert ("  5.3.2  投诉处理      UNCOVERED  the reference was removed from the text: 《顾客投诉处理程序》（YH-CX-01） "
            "declares it but does not cite GB/T 27922-2011 5.3.2") in result.output
    assert "coverage gap: 1 clause of GB/T 27922-2011 uncovered (5.3.2); cover it in the documents" in result.output
    assert "5.3 顾客服务: 1 covered, 0 excluded, 1 uncovered" in result.output


def test_an_edited_record_form_is_read_too(fixture_pack):
    path = fixture_pack / "04 记录表单" / "YH-JL-01 顾客投诉处理登记表.xlsx"
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0]["A4"] = "本表依据 GB/T 27922-2011 5.3.2 逐件登记。"
    wb.save(path)
    cov = check_pack_dir(fixture_pack)
    links = [(x.number, x.where) for r in cov.clauses if r.clause.id == "5.3.2" for x in r.links]
    assert ("YH-JL-01", "顾客投诉处理登记表!A4") in links
    assert [f.message for f in cov.findings] == ["cites GB/T 27922-2011 5.3.2 投诉处理, which the catalog does not declare for it"]


def test_coverage_command_prints_the_table_and_writes_json_and_xlsx(fixture_pack, tmp_path):
    runner = CliRunner()
    table = runner.invoke(main, ["coverage", str(fixture_pack)])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0] == ("GB/T 27922-2011 商品售后服务评价体系: 15 clauses, 15 covered, 0 excluded, 0 uncovered "
                        "(100% of the applicable clauses covered)")
    assert "5.1 售后服务体系: 7 covered, 0 excluded, 0 uncovered" in lines
    assert "  5.3.2  投诉处理      covered    YH-CX-01" in lines
    as_json = runner.invoke(main, ["coverage", str(fixture_pack), "--json", "--xlsx", str(tmp_path / "c.xlsx")])
    assert as_json.exit_code == 0
    data = json.loads(as_json.output)
    assert data["standard"] == {"id": "gbt27922-2011", "code": "GB/T 27922-2011", "title": "商品售后服务评价体系"}
    assert [i["covered_pct"] for i in data["summary"]["indicators"]] == [100.0, 100.0, 100.0]
    assert openpyxl.load_workbook(tmp_path / "c.xlsx")["汇总"]["A7"].value == "合计"


def test_coverage_of_a_folder_without_its_record_needs_the_profile(fixture_pack):
    (fixture_pack / JSON_NAME).unlink()
    runner = CliRunner()
    result = runner.invoke(main, ["coverage", str(fixture_pack)])
    assert result.exit_code == 1
    assert (f"coverage error: {fixture_pack}: no coverage.json in the pack folder (docgen build writes it); "
            "pass --profile company.yaml") in result.output
    with_profile = runner.invoke(main, ["coverage", str(fixture_pack), "--profile", str(SAMPLE), "--json"])
    # matched to the built-in catalog, whose manual declares every clause: this small manual does not
    # address 5.2.6 and 5.3.2, which only its procedures cite, so they are partly covered (exit 3)
    assert with_profile.exit_code == 3, with_profile.output
    summary = json.loads(with_profile.output.split("\ncoverage gap")[0])["summary"]
    assert (summary["covered"], summary["partial"]) == (13, 2)


def test_a_renamed_and_an_added_document_are_checked(fixture_pack, tmp_path):
    old = fixture_pack / COMPLAINTS
    old.rename(old.with_name("YH-CX-01 投诉处理程序（修订）.docx"))
    src = tmp_path / "extra.md"
    compile_markdown("# 1 目的\n见 GB/T 27922-2011 5.1.7。\n", fixture_pack / "02 程序文件" / "YH-CX-09 新增程序.docx", str(src))
    cov = check_pack_dir(fixture_pack)
    assert not cov.gaps
    numbers = {r.clause.id: r.numbers for r in cov.clauses}
    assert "YH-CX-01" in numbers["5.3.2"] and "YH-CX-09" in numbers["5.1.7"]
    assert [f.kind for f in cov.findings] == ["found_not_declared"]


def test_a_deleted_document_is_missing_and_its_clause_uncovered(fixture_pack):
    (fixture_pack / "02 程序文件" / "YH-CX-02 废弃商品回收管理程序.docx").unlink()
    cov = check_pack_dir(fixture_pack)
    assert [(r.clause.id, r.reason) for r in cov.gaps] == [
        ("5.2.6", "its document 《废弃商品回收管理程序》（YH-CX-02） is missing from the pack folder")]
    assert [str(f) for f in cov.warnings] == [
        "《废弃商品回收管理程序》（YH-CX-02）: is listed for this pack but its file "
        "02 程序文件/YH-CX-02 废弃商品回收管理程序.docx is not in the pack folder"]


def test_coverage_of_a_pack_rendered_in_memory(tmp_path):
    from docgen.catalog import TemplateSet, builtin_templates
    from docgen.coverage import check_coverage
    from docgen.pack import render_pack
    from docgen.profile import load_profile

    pack = render_pack(load_profile(SAMPLE), TemplateSet(builtin_templates(), overlay(tmp_path)), BUILD_DATE)
    cov = check_coverage(pack, SAMPLE)
    assert (cov.count("covered"), cov.count("uncovered"), cov.percent("5.3")) == (15, 0, 100.0)
    assert cov.info.workbook == WORKBOOK and WORKBOOK not in pack.files


# ---------------------------------------------------------------------- cross-checks
def test_a_form_that_is_not_in_the_pack_is_a_dangling_reference(tmp_path):
    add = {"complaints.md": lambda t: t + "处理完毕填写《投诉回访单》（YH-JL-09）和《投诉登记簿》（YH-JL-01），并参照《废弃商品回收管理程序》。\n"}
    result, out = build(tmp_path, overlay(tmp_path, add), profile(tmp_path, no_recycling), "--allow-gaps")
    assert result.exit_code == 0, result.output
    data = record(out)
    assert messages(data, "dangling_reference") == [
        "names 《投诉回访单》（YH-JL-09）, which is not in this pack",
        "names 《投诉登记簿》（YH-JL-01）, but YH-JL-01 is 《顾客投诉处理登记表》 in this pack",
        "names 《废弃商品回收管理程序》, which this pack leaves out (condition `services.recycling.offered`)",
    ]
    finding = next(f for f in data["findings"] if f["kind"] == "dangling_reference")
    assert (finding["number"], finding["heading"]) == ("YH-CX-01", "5.2 处理")
    sheet = openpyxl.load_workbook(out / WORKBOOK)["悬空引用"]
    assert [c.value for c in sheet[4]][2:] == ["YH-CX-01", "顾客投诉处理程序", sheet["E4"].value, "5.2 处理",
                                                "引用的《投诉回访单》（YH-JL-09）不在本套文件中"]
    assert sheet["E4"].value.startswith("第") and sheet["E4"].value.endswith("段")
    cli = CliRunner().invoke(main, ["coverage", str(out)])
    assert ("  dangling_reference  《顾客投诉处理程序》（YH-CX-01）, paragraph " in cli.output
            and " (5.2 处理): names 《投诉回访单》（YH-JL-09）, which is not in this pack" in cli.output)


def test_departments_and_people_not_in_the_profile_are_reported(tmp_path):
    def add_rows(t: str) -> str:
        t = t.replace("| 服务主管 | 1日 |", "| 服务主管 | 1日 |\n| 回访 | 客服部、售后服务部 | 张三 | 3日 |\n| 复核 | 投诉复核小组 | 王丽君 | 5日 |")
        return t + "重大投诉由公司成立的投诉复核小组复核。\n"

    add = {"complaints.md": add_rows}
    result, out = build(tmp_path, overlay(tmp_path, add))
    assert result.exit_code == 0, result.output
    data = record(out)
    assert messages(data, "unknown_name") == [
        "names department '客服部' in the 责任部门 column, which is not in the profile",
        "names person '张三' in the 负责人 column, which is not in the profile",
    ]
    assert [f["where"] for f in data["findings"] if f["kind"] == "unknown_name"][0].endswith("row 4 cell 2")


def test_unknown_name_heuristics():
    from docgen.coverage import PackInfo

    info = PackInfo("", "", None, "", [], departments=["售后服务部", "质量管理部"], people=["王丽君"], titles=["服务主管"])
    assert unknown_names("售后服务部（主责）、质量管理部", info) == []
    assert unknown_names("王丽君/服务主管/各部门/服务工程师", info) == []
    assert unknown_names("售后服务部经理", info) == []
    assert unknown_names("客服部和财务部", info) == [("department", "客服部"), ("department", "财务部")]
    assert unknown_names("李四、顾客", info) == [("person", "李四")]


def test_the_function_table_needs_exactly_one_responsible_department_per_clause(tmp_path):
    def edit(t: str) -> str:
        t = t.replace("| 5.1.3 | 资源配置 | {{ dept_for('after_sales').name }} |", "| 5.1.3 | 资源配置 | 售后服务部、财务部 |")
        t = t.replace("| 5.1.5 | 监督 | {{ dept_for('supervision').name }} |", "| 5.1.5 | 监督 | — |")
        t = t.replace("| 5.2.1 | 商品信息 | {{ dept_for('after_sales').name }} |", "| 5.2.1 | 商品信息 | 技术中心 |")
        return "\n".join(line for line in t.splitlines() if not line.startswith("| 5.1.7 "))

    result, out = build(tmp_path, overlay(tmp_path, {"service_manual.md": edit}))
    assert result.exit_code == 0, result.output
    data = record(out)
    duty = [(f["severity"], f["message"]) for f in data["findings"] if f["kind"] == "responsibility"]
    assert duty == [
        ("warning", "5.1.3 资源配置 has 2 responsible departments (售后服务部、财务部) in the 职能分配表; name exactly one"),
        ("warning", "5.1.5 监督 has no responsible department in the 职能分配表; name exactly one"),
        ("note", "5.2.1 商品信息: the 职能分配表 makes 技术中心 responsible; the catalog expects the after_sales department (售后服务部)"),
        ("warning", "5.1.7 服务文化 has no row in the 职能分配表"),
    ]


def test_a_pack_without_a_function_table_is_reported(tmp_path):
    cut = {"service_manual.md": lambda t: t.split("# 8 职能分配表")[0]}
    result, out = build(tmp_path, overlay(tmp_path, cut))
    assert result.exit_code == 0
    assert messages(record(out), "responsibility") == [
        "no 职能分配表 found: no table gives a 主责 department for the clauses of GB/T 27922-2011"]


# ---------------------------------------------------------------------- another checklist
def test_a_second_catalog_selected_in_the_profile(tmp_path):
    (tmp_path / "standards").mkdir()
    shutil.copy(FIXTURES / "standards" / "demo-sheet.yaml", tmp_path / "standards" / "demo-sheet.yaml")
    templates = tmp_path / "templates"
    compile_markdown((FIXTURES / "demo_manual.md").read_text(encoding="utf-8"), templates / "manual" / "demo.docx", "demo_manual.md")
    catalog = {"documents": [{"id": "demo_manual", "kind": "manual", "title": "服务手册", "template": "manual/demo.docx"}]}
    (templates / "catalog.yaml").write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    prof = profile(tmp_path, lambda d: d["certification"].update(standard="standards/demo-sheet.yaml"))
    result, out = build(tmp_path, templates, prof)
    assert result.exit_code == 3
    assert "Coverage against DEMO 1-2024: 3 clauses, 2 covered, 0 excluded, 1 uncovered; 1 warning" in result.output
    assert "  UNCOVERED 2.2 回访: no document in the pack cites DEMO 1-2024 2.2" in result.output
    data = record(out)
    assert data["standard"]["id"] == "demo-sheet"
    assert messages(data, "unknown_clause") == ["cites DEMO 1-2024 3.9, which is not a clause of DEMO 1-2024"]
    again = CliRunner().invoke(main, ["coverage", str(out)])
    assert again.exit_code == 3 and again.output.startswith("DEMO 1-2024 示例售后服务评分表: 3 clauses, 2 covered")
    std = load_standard(tmp_path / "standards" / "demo-sheet.yaml")
    assert std.level_for(std.score({"1.1": 50, "2.1": 30}, {"2.2"})) == "优秀"


def test_an_unknown_catalog_name_is_an_error(tmp_path):
    prof = profile(tmp_path, lambda d: d["certification"].update(standard="gbt27922-2012"))
    result, _ = build(tmp_path, overlay(tmp_path), prof)
    assert result.exit_code == 1
    assert ("certification.standard: no built-in clause catalog 'gbt27922-2012'; did you mean 'gbt27922-2011'? "
            "built in: gbt27922-2011; or give a path to a .yaml file") in result.output


# ---------------------------------------------------------------------- the real pack
def test_coverage_help_has_an_example():
    result = CliRunner().invoke(main, ["coverage", "--help"])
    assert result.exit_code == 0
    assert "docgen coverage out --json" in result.output.split("Example", 1)[1]
    assert "--allow-gaps" in CliRunner().invoke(main, ["build", "--help"]).output


def test_every_sample_reaches_full_coverage(all_packs):
    for sample in SAMPLES:
        data = record(all_packs[sample.stem])
        gaps = [f"{c['id']}: {c['reason']}" for c in data["clauses"] if c["status"] == "uncovered"]
        assert not gaps, f"{sample.stem}: {gaps}"
        assert not messages(data, "dangling_reference"), sample.stem
        assert not messages(data, "responsibility"), sample.stem


def test_build_date_makes_the_workbook_reproducible(tmp_path):
    templates = overlay(tmp_path)
    a = build_pack(SAMPLE, tmp_path / "a", date=BUILD_DATE, templates_dir=templates)
    b = build_pack(SAMPLE, tmp_path / "b", date=BUILD_DATE, templates_dir=templates)
    assert a.coverage is not None and not a.coverage.gaps
    assert (tmp_path / "a" / WORKBOOK).read_bytes() == (tmp_path / "b" / WORKBOOK).read_bytes()
    assert (tmp_path / "a" / JSON_NAME).read_bytes() == (tmp_path / "b" / JSON_NAME).read_bytes()
    assert b.files[WORKBOOK] == (tmp_path / "b" / WORKBOOK).read_bytes()
