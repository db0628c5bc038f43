"""Coverage on damaged or unusual packs: an unreadable document is an error naming it (never exit 0,
never a traceback), a damaged template file is a clear error, and department names holding 、 or
quotes are read whole from the responsibility tables."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.pack import build_pack

from .conftest import ROOT


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hard") / "pack"
    build_pack(ROOT / "samples" / "company.yaml", out, date=dt.date(2026, 9, 1))
    return out


def _damage(pack: Path, tmp_path: Path, how: str) -> tuple[Path, Path]:
    copy = tmp_path / "pack"
    shutil.copytree(pack, copy)
    target = next(copy.rglob("*顾客投诉处理程序.docx"))
    data = target.read_bytes()
    if how == "truncated":
        target.write_bytes(data[: len(data) // 2])
    elif how == "xlsx-renamed":
        target.write_bytes(next(copy.rglob("*服务网点一览表.xlsx")).read_bytes())
    elif how == "deflate":  # a corrupt deflate stream inside an intact zip directory
        with zipfile.ZipFile(target) as zf:
            info = zf.getinfo("word/document.xml")
            start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        damaged = bytearray(data)
        for i in range(start + 10, start + 60):
            damaged[i] ^= 0xFF
        target.write_bytes(bytes(damaged))
    return copy, target


@pytest.mark.parametrize("how", ["truncated", "xlsx-renamed", "deflate"])
def test_docgen_coverage_names_an_unreadable_document_and_fails(pack, tmp_path, how):
    copy, target = _damage(pack, tmp_path, how)
    result = CliRunner().invoke(main, ["coverage", str(copy)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert target.name in result.output and "cannot be read" in result.output


def test_templates_text_on_a_damaged_file_is_a_clear_error(pack, tmp_path):
    _, target = _damage(pack, tmp_path, "deflate")
    result = CliRunner().invoke(main, ["templates", "text", str(target)])
    assert result.exit_code == 1 and "not a readable Word/Excel file" in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_department_names_with_punctuation_give_no_false_responsibility_warnings(tmp_path):
    text = (ROOT / "samples" / "company.yaml").read_text(encoding="utf-8").replace("质量管理部", "质量、“服务”监督部")
    profile = tmp_path / "company.yaml"
    profile.write_text(text, encoding="utf-8")
    built = build_pack(profile, tmp_path / "pack", date=dt.date(2026, 9, 1))
    assert [str(w) for w in built.coverage.warnings] == []
