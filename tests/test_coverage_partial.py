"""A clause is covered only when the manual and at least one procedure or work instruction address
it; cited by record forms alone it is 'partial', named with the reason, and fails like a gap."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from docgen.cli import main
from docgen.coverage import check_pack_dir
from docgen.pack import build_pack

from .conftest import ROOT, edit_parts


def _strip_clause(path: Path, clause: str) -> None:
    """Remove every reference to `clause` from a .docx's body, as a consultant editing by hand might."""
    edit_parts(path, ("word/document.xml",), re.escape(clause).encode(), b"")


def test_a_clause_cited_only_by_record_forms_is_partial_and_fails(tmp_path):
    pack = tmp_path / "pack"
    build_pack(ROOT / "samples" / "company.yaml", pack, date=dt.date(2026, 9, 1))
    assert check_pack_dir(pack).gaps == []
    for doc in pack.rglob("*.docx"):
        if doc.relative_to(pack).parts[0][:2] in {"01", "02", "03"}:
            _strip_clause(doc, "5.2.6")
    import openpyxl

    from docgen.render.cells import set_text

    form = next(pack.rglob("*废旧商品回收登记表.xlsx"))  # the form alone cites the clause, as the tester found
    wb = openpyxl.load_workbook(form)
    set_text(wb.worksheets[0]["A40"], "本表依据 GB/T 27922-2011 5.2.6 设置。")
    wb.save(form)
    cov = check_pack_dir(pack)
    result = next(r for r in cov.clauses if r.clause.id == "5.2.6")
    assert result.status == "partial"
    assert "the manual" in result.reason and "a procedure or work instruction" in result.reason
    assert "售后服务手册" in result.reason_cn and "记录表单只是证据" in result.reason_cn
    assert [g.clause.id for g in cov.gaps] == ["5.2.6"]
    run = CliRunner().invoke(main, ["coverage", str(pack)])
    assert run.exit_code == 3 and "PARTIAL" in run.output


def test_the_samples_cover_every_clause_with_the_manual_and_a_procedure(tmp_path):
    for name in ("retailer", "service_provider"):
        pack = tmp_path / name
        shutil.rmtree(pack, ignore_errors=True)
        built = build_pack(ROOT / "samples" / f"{name}.yaml", pack, date=dt.date(2026, 9, 1))
        assert built.coverage.gaps == [], [(g.clause.id, g.reason) for g in built.coverage.gaps]
