"""The command line: help with examples, build output and refusals, determinism, file names."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.control import safe_filename

from .conftest import SAMPLE

COMMANDS = [["build"], ["check"], ["coverage"], ["schema"], ["templates"], ["templates", "list"], ["templates", "check"], ["templates", "text"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "docgen " in result.output.split("Example", 1)[1]


def test_top_level_help_lists_the_commands():
    result = CliRunner().invoke(main, ["--help"])
    for name in ("build", "check", "schema", "templates"):
        assert re.search(rf"^\s+{name}\s", result.output, re.M), name


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_prints_a_summary_and_rebuilds_a_pack_in_place(tmp_path):
    runner = CliRunner()
    out = tmp_path / "pack"
    result = runner.invoke(main, ["build", str(SAMPLE), "-o", str(out), "--date", "2026-09-01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Built ")
    assert "documents for 浙江越华电器科技有限公司 in " in result.output
    assert "程序文件" in result.output and "记录表单" in result.output
    before = _digests(out)
    again = runner.invoke(main, ["build", str(SAMPLE), "-o", str(out)])  # a pack with a manifest: rebuilt in place
    assert again.exit_code == 0, again.output
    assert "Document control: 78 unchanged" in again.output
    assert _digests(out) == before  # nothing changed, so nothing was rewritten (today's date notwithstanding)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    refused = runner.invoke(main, ["build", str(SAMPLE), "-o", str(other)])
    assert refused.exit_code == 1 and "exists and is not empty" in refused.output


def test_same_profile_and_date_give_byte_identical_packs(tmp_path):
    runner = CliRunner()
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        result = runner.invoke(main, ["build", str(SAMPLE), "-o", str(out), "--date", "2026-09-01"])
        assert result.exit_code == 0, result.output
    assert _digests(a) == _digests(b)
    assert len(_digests(a)) > 10


def test_force_replaces_the_folder_content(tmp_path):
    out = tmp_path / "pack"
    out.mkdir()
    (out / ".docgen-pack").write_text('{"tool": "docgen", "format": 1}', encoding="utf-8")  # a pack docgen wrote
    (out / "old.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), "--force", "--date", "2026-09-01"])
    assert result.exit_code == 0, result.output
    assert not (out / "old.txt").exists()
    assert any(out.rglob("*.docx"))


def test_bad_date_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(tmp_path / "o"), "--date", "2026-02-30"])
    assert result.exit_code == 2
    assert "expected a date as YYYY-MM-DD, got '2026-02-30'" in result.output


def test_file_names_are_number_and_title_and_safe_on_windows(sample_pack):
    names = [p.name for p in sample_pack.rglob("*") if p.is_file() and p.suffix in {".docx", ".xlsx"}]
    assert "YH-SC-01 售后服务手册.docx" in names
    for name in names:
        assert re.match(r"^YH-(SC|CX|ZY|JL|GZ)-\d\d \S.*\.(docx|xlsx)$", name), name
        assert not re.search(r'[<>:"/\\|?*]', name)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [("YX/CX-001 投诉:处理?", "YX-CX-001 投诉-处理-"), ("CON", "_CON"), ("aux.txt", "_aux.txt"), ("名称. ", "名称")],
)
def test_safe_filename(raw, safe):
    assert safe_filename(raw) == safe


def test_templates_text_dumps_a_template():
    from docgen.catalog import builtin_templates

    path = builtin_templates() / "_base" / "base.docx"
    result = CliRunner().invoke(main, ["templates", "text", str(path)])
    assert result.exit_code == 0
    assert "{{ doc.title }}" in result.output
    assert "| 文件编号 | {{ doc.number }} | 版本/修订 | {{ doc.edition }}/{{ doc.revision }} |" in result.output
    assert "[BODY]" in result.output


def test_templates_list_names_every_catalog_entry():
    result = CliRunner().invoke(main, ["templates", "list"])
    assert result.exit_code == 0
    assert re.search(r"^service_manual\s+manual\s+manual/service_manual\.docx", result.output, re.M)
    assert "when services.installation.offered" in result.output


def test_public_api_names_resolve_and_help_is_light():
    import subprocess
    import sys

    import docgen

    for name in docgen.__all__:
        assert getattr(docgen, name) is not None, name
    code = "import sys, docgen.cli; print(sorted(m for m in ('docx', 'openpyxl', 'docxtpl') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
