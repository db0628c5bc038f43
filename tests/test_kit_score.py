"""The self-assessment score: LibreOffice's recalculation of the workbook's formulas equals `docgen score` (Python)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.kit.scoring import SUMMARY_SHEET, Answers, catalog_rows, compute, score_workbook
from docgen.kit.selfassess import Owner, build_selfassess
from docgen.profile import load_profile
from docgen.standards import standard_for

from .conftest import ROOT, SAMPLE, soffice

WHEN = dt.datetime(2026, 9, 1, 12)
NO_SOFFICE = "LibreOffice not installed (soffice): apt-get install libreoffice-calc-nogui; CI installs it"


def _owners(profile, standard):
    return {c.id: Owner(profile.department_for(c.responsible or "after_sales").name,
                        profile.department_for(c.responsible or "after_sales").head, dt.date(2026, 10, 9))
            for c in standard.clauses}


def _scored(standard):
    return [r.id for r in catalog_rows(standard) if r.scored]


def _answer_sets(standard) -> dict[str, tuple[Path, Answers]]:
    ids = _scored(standard)
    every = {i: "符合" for i in ids}
    mixed = dict(every, **{ids[0]: "部分符合", ids[1]: "不符合", ids[3]: "部分符合", ids[5]: "不适用", ids[-1]: "部分符合"})
    return {
        "all_conform": (SAMPLE, Answers(status=every)),
        "mixed_sampled_bonus": (SAMPLE, Answers(status=mixed, share={ids[3]: 62.5, ids[-1]: 80, ids[7]: 90}, bonus=1)),
        "excluded_clauses": (ROOT / "samples" / "service_provider.yaml",
                             Answers(status={i: "符合" for i in ids if not i.startswith(("5.2.3", "5.2.6"))} | {ids[2]: "不符合"},
                                     deductions=["未按规定公示收费标准", "委托方资质过期"])),
        "five_deductions": (SAMPLE, Answers(status=every, deductions=[f"违规{i}" for i in range(5)])),
        "four_deductions_bonus": (SAMPLE, Answers(status=dict(every, **{ids[4]: "部分符合"}), share={ids[4]: 33.3},
                                                  deductions=[f"违规{i}" for i in range(4)], bonus=1)),
        "blank": (SAMPLE, Answers()),
    }


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("selfassess")
    made = {}
    for name, (profile_path, answers) in _answer_sets(standard_for(load_profile(SAMPLE))).items():
        profile = load_profile(profile_path)
        standard = standard_for(profile, profile_path)
        path = out / f"{name}.xlsx"
        path.write_bytes(build_selfassess(profile, standard, None, "YH-GZ-07", _owners(profile, standard), WHEN, answers))
        made[name] = path
    return made


def test_catalog_points_add_up_to_the_published_totals():
    standard = standard_for(load_profile(SAMPLE))
    rows = catalog_rows(standard)
    assert [r.points for r in rows if r.depth == 1] == [40, 35, 25]
    assert round(sum(r.points for r in rows if r.scored), 2) == 100
    for clause in (r for r in rows if r.depth == 2 and not r.scored):
        assert round(sum(r.points for r in rows if r.depth == 3 and r.clause == clause.id), 2) == clause.points
    assert next(r for r in rows if r.id == "5.1.2.2").points == 5


def test_python_score_follows_the_rules(workbooks):
    assert score_workbook(workbooks["all_conform"]).score == 100
    assert score_workbook(workbooks["all_conform"]).level == "五星"
    assert score_workbook(workbooks["blank"]).score == 0
    five = score_workbook(workbooks["five_deductions"])
    assert five.score == 95 and five.level.startswith("不通过") and five.deductions == 5
    excluded = score_workbook(workbooks["excluded_clauses"])
    assert excluded.applicable < 100  # 5.2.3 and 5.2.6 are out of the denominator
    rows = catalog_rows(standard_for(load_profile(SAMPLE)))
    levels = [("达标", 70.0), ("三星", 80.0)]
    half = compute(rows, Answers(status={r.id: "部分符合" for r in rows if r.scored}), levels)
    assert half.score == 50 and half.level == "不通过（低于70分）"


def test_excluded_clauses_are_prefilled_not_applicable(workbooks):
    ws = load_workbook(workbooks["excluded_clauses"])["自评表"]
    statuses = {ws.cell(r, 1).value: ws.cell(r, 8).value for r in range(5, ws.max_row + 1)}
    assert statuses["5.2.3"] == statuses["5.2.6"] == "不适用"


@pytest.mark.skipif(soffice() is None, reason=NO_SOFFICE)
def test_libreoffice_recalculation_equals_python(workbooks, tmp_path):
    outdir = tmp_path / "recalculated"
    profile_dir = tmp_path / "lo-profile"
    cmd = [soffice(), f"-env:UserInstallation=file://{profile_dir}", "--headless", "--convert-to", "xlsx",
           "--outdir", str(outdir), *map(str, workbooks.values())]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    seen = set()
    for name, path in workbooks.items():
        python = score_workbook(path)
        summary = load_workbook(outdir / path.name, data_only=True)[SUMMARY_SHEET]
        excel_score, excel_level = summary["B9"].value, summary["B10"].value
        assert excel_score == pytest.approx(python.score, abs=1e-9), name
        assert excel_level == python.level, name
        assert summary["B7"].value == python.deductions, name
        assert summary["B5"].value == pytest.approx(python.got, abs=1e-6), name
        assert summary["B6"].value == pytest.approx(python.applicable, abs=1e-6), name
        seen.add(python.level)
    assert {"五星", "不通过（特别扣分项5项及以上）"} <= seen


def test_score_command(workbooks):
    from click.testing import CliRunner

    from docgen.cli import main

    result = CliRunner().invoke(main, ["score", str(workbooks["five_deductions"])])
    assert result.exit_code == 0, result.output
    assert "Score 95.00: 不通过（特别扣分项5项及以上）" in result.output
    bad = load_workbook(workbooks["all_conform"])
    bad["自评表"]["H7"].value = "基本符合"
    path = workbooks["all_conform"].with_name("bad.xlsx")
    bad.save(path)
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 1 and "自评表!H7 holds '基本符合'" in result.output
