"""The kit's papers: `docgen plan` builds them; each names only documents and people that exist; templates compiled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import load_workbook

from docgen.authoring.__main__ import compile_all
from docgen.cli import main
from docgen.control import document_number, safe_filename
from docgen.control.lists import LISTS
from docgen.coverage.check import WORKBOOK_TITLE
from docgen.coverage.read import read_document
from docgen.kit.build import ORDER, build_kit
from docgen.profile import load_profile

from .conftest import ROOT, SAMPLE, SAMPLES

KIT = "05 认证工作文件"
REFERENCE = re.compile(r"《([^》]+)》（([^）]+)）")


@pytest.fixture(scope="module")
def kits() -> dict[str, tuple[object, dict[str, bytes], object]]:
    return {p.stem: build_kit(p) for p in SAMPLES}


def _texts(files: dict[str, bytes]) -> dict[str, list[str]]:
    out = {}
    for rel, data in files.items():
        if rel.endswith((".docx", ".xlsx")):
            doc = read_document(rel, data)
            out[rel] = [str(getattr(b, "text", b)) for b in doc.blocks]
    return out


def test_plan_builds_the_kit_alone(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["plan", str(SAMPLE), "-o", str(out), "--date", "2026-09-01"])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (out / KIT).iterdir())
    assert len(files) == len(ORDER) and [p.name for p in out.iterdir()] == [KIT]
    assert files[0] == "YH-GZ-06 售后服务认证工作小组任命书.docx" and files[-1] == "YH-GZ-26 认证进度日历.ics"
    cal = Calendar.from_ical((out / KIT / files[-1]).read_bytes())
    assert any(str(e.get("summary")) == "内部审核" for e in cal.walk("VEVENT"))
    again = CliRunner().invoke(main, ["plan", str(SAMPLE), "-o", str(out), "--date", "2026-09-01"])
    assert again.exit_code == 0  # rewriting the kit into the same folder is fine
    scored = CliRunner().invoke(main, ["score", str(out / KIT / "YH-GZ-07 售后服务自我评价表.xlsx")])
    assert scored.exit_code == 0 and "Score 0.00" in scored.output


@pytest.mark.parametrize("stem", [p.stem for p in SAMPLES])
def test_papers_name_only_documents_that_exist(kits, stem):
    profile, files, coverage = kits[stem]
    dc = profile.document_control
    projects = sum(1 for d in coverage.info.documents if d.kind == "project")
    generated = [WORKBOOK_TITLE] + [title for _key, title in LISTS]  # what every build adds before the kit
    known = {safe_filename(d.number): d.title for d in coverage.info.documents}
    known |= {safe_filename(document_number(dc, "project", projects + 1 + i)): t for i, t in enumerate(generated)}
    known |= {Path(rel).stem.split(" ", 1)[0]: Path(rel).stem.split(" ", 1)[1] for rel in files}
    numbers = re.compile(coverage.info.number_regex)
    assert numbers.pattern
    for rel, lines in _texts(files).items():
        for line in lines:
            for title, number in REFERENCE.findall(line):
                if numbers.fullmatch(number):
                    assert known.get(safe_filename(number)) == title, f"{rel}: 《{title}》（{number}）"
            for number in numbers.findall(line):
                assert safe_filename(number) in known, f"{rel}: {number} is not in the pack"
    if not (profile.services.get("recall") and profile.services["recall"].offered):
        assert not any("缺陷商品召回计划" in rel for rel in files)


@pytest.mark.parametrize("stem", [p.stem for p in SAMPLES])
def test_papers_name_only_people_that_exist(kits, stem):
    profile, files, _ = kits[stem]
    people = {p.name for p in profile.people}
    heads = {d.head for d in profile.departments}
    auditors = {p.name for p in profile.people if "internal_auditor" in p.roles}
    by_name = {Path(rel).stem.split(" ", 1)[1]: data for rel, data in files.items()}
    appointment = read_document("a.docx", by_name["售后服务认证工作小组任命书"])
    table = next(t for t in appointment.tables if t.rows and "姓名" in t.rows[0])
    names = [row[1] for row in table.rows[1:]]
    assert names and set(names) <= people
    assert names[1] == next(p.name for p in profile.people if "management_representative" in p.roles)
    import io

    plan = load_workbook(io.BytesIO(by_name["内部审核方案及计划"]))["审核计划"]
    planned = [plan.cell(r, 7).value for r in range(5, plan.max_row + 1) if plan.cell(r, 4).value not in ("首次会议", "末次会议")]
    assert planned and set(planned) <= auditors
    gaps = load_workbook(io.BytesIO(by_name["售后服务自我评价表"]))["差距及整改计划"]
    assert {gaps.cell(r, 13).value for r in range(5, gaps.max_row + 1)} <= heads
    training = load_workbook(io.BytesIO(by_name["认证培训计划及签到表"]))
    for ws in training.worksheets[1:]:
        assert {ws.cell(r, 2).value for r in range(5, ws.max_row + 1)} - {None, ""} <= people


def test_self_assessment_evidence_comes_from_the_coverage(kits):
    _, files, coverage = kits["company"]
    data = next(v for k, v in files.items() if "售后服务自我评价表" in k)
    import io

    ws = load_workbook(io.BytesIO(data))["自评表"]
    evidence = {ws.cell(r, 1).value: ws.cell(r, 6).value or "" for r in range(5, ws.max_row + 1)}
    manual = next(d for d in coverage.info.documents if d.id == "service_manual")
    assert f"{manual.number}《{manual.title}》" in evidence["5.3.2"]
    assert "GB/T 27922-2011 5." not in "".join(evidence.values())  # a working paper never counts as citing a clause


def test_the_kit_templates_are_compiled_from_their_sources(tmp_path):
    stems = {p.stem for p in (ROOT / "authoring" / "kit").iterdir() if p.suffix in {".dgmd", ".yaml"} and p.name != "catalog.yaml"}
    compile_all(ROOT, {f"kit/{s}" for s in stems}, out_root=tmp_path)
    for stem in stems:
        fresh = next((tmp_path / "kit").glob(f"{stem}.*"))
        assert fresh.read_bytes() == (ROOT / "templates" / "kit" / fresh.name).read_bytes(), f"templates/kit/{fresh.name} is stale"
    assert (ROOT / "templates/kit/catalog.yaml").read_bytes() == (ROOT / "authoring/kit/catalog.yaml").read_bytes()
    assert load_profile(SAMPLE)  # the kit catalog loads for the samples (see the fixtures)


def test_a_build_of_the_pack_includes_the_kit(tmp_path):
    import datetime as dt

    from docgen import build_pack
    from docgen.control.manifest import read_manifest

    built = build_pack(SAMPLE, tmp_path / "pack", date=dt.date(2026, 9, 1))
    kit = sorted(p.name for p in (tmp_path / "pack" / KIT).iterdir())
    assert kit[:5] == ["YH-GZ-01 条款覆盖矩阵.xlsx", "YH-GZ-02 受控文件清单.xlsx", "YH-GZ-03 记录清单.xlsx",
                       "YH-GZ-04 文件发放回收记录.xlsx", "YH-GZ-05 文件修订记录汇总.xlsx"]
    assert len(kit) == 5 + len(ORDER) and "YH-GZ-07 售后服务自我评价表.xlsx" in kit
    recorded = {r.path for r in read_manifest(tmp_path / "pack").records}
    assert f"{KIT}/YH-GZ-26 认证进度日历.ics" in recorded
    assert not built.coverage.gaps
