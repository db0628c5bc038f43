"""File names of long document numbers: the title is shortened, never the number or the
extension; names stay within 150 characters; two documents never share a file, compared as
Windows compares names (ignoring case)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.control.numbering import NAME_LIMIT, document_file_name, safe_filename
from docgen.errors import OutputError
from docgen.pack.output import write_pack

from .conftest import sample_text
from .output_helpers import small_pack


def profile_with(tmp_path: Path, prefix: str, pattern: str = "{prefix}-{kind}-{seq:02d}") -> Path:
    text = sample_text().replace("  prefix: YH\n", f"  prefix: {prefix}\n").replace(
        '  pattern: "{prefix}-{kind}-{seq:02d}"\n', f'  pattern: "{pattern}"\n'
    )
    path = tmp_path / "company.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def build(profile: Path, out: Path):
    return CliRunner().invoke(main, ["build", str(profile), "-o", str(out), "--date", "2026-09-01"])


def test_a_long_prefix_shortens_titles_never_numbers(tmp_path):
    prefix = "YUEHUA" * 22  # 132 characters: numbers of 138, titles cut to six characters
    out = tmp_path / "out"
    result = build(profile_with(tmp_path, prefix), out)
    assert result.exit_code == 0, result.output
    docs = [p for p in out.rglob("*") if p.suffix in {".docx", ".xlsx"}]
    import json

    listed = [r["path"] for r in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
              if r["path"].endswith((".docx", ".xlsx"))]
    assert len(listed) > 77 and len(docs) == len(set(listed))  # every file the build made is there: none overwrote another
    for path in docs:
        assert len(path.name) <= NAME_LIMIT, path.name
        assert re.match(rf"^{prefix}-(SC|CX|ZY|JL|GZ)-\d\d \S", path.name), path.name
    numbers = [p.name.split(" ")[0] for p in docs]
    assert len(set(numbers)) == len(numbers)


def test_a_prefix_that_leaves_no_room_for_titles_is_a_profile_error(tmp_path):
    out = tmp_path / "out"
    result = build(profile_with(tmp_path, "YUEHUA" * 24 + "YH"), out)  # the tester's 146 characters
    assert result.exit_code == 1, result.output
    assert "profile error: document_control.prefix: the document number 'YUEHUA" in result.output
    assert "leaves no room for the title in a file name of at most 150 characters" in result.output
    assert "shorten it" in result.output
    assert not out.exists()


def test_two_documents_in_one_file_name_the_documents_and_the_key(tmp_path):
    # no {seq}: the record forms share a number; a long prefix cuts their titles to six characters,
    # and 售后服务人员配置评价表 and 售后服务人员名册 both become "… 售后服务人员.xlsx"
    out = tmp_path / "out"
    result = build(profile_with(tmp_path, "Y" * 135, "{prefix}-{kind}"), out)
    assert result.exit_code == 1, result.output
    assert "profile error: document_control.pattern: " in result.output
    assert "售后服务人员配置评价表 (" in result.output and "售后服务人员名册 (" in result.output
    assert "would both be written as" in result.output and "{seq}" in result.output
    assert not out.exists()


def test_document_file_name():
    assert document_file_name("YH-CX-01", "文件控制程序", ".docx") == "YH-CX-01 文件控制程序.docx"
    name = document_file_name("N" * 137, "服务资源与专项资金管理程序", ".docx")
    assert name == "N" * 137 + " 服务资源与专项.docx" and len(name) == 150
    assert len(document_file_name("N" * 138, "服务资源与专项资金管理程序", ".docx")) == 150  # six characters of title
    with pytest.raises(ValueError):
        document_file_name("N" * 139, "服务资源与专项资金管理程序", ".docx")
    # Linux and macOS count bytes: 255 at most in UTF-8
    long_cn = document_file_name("YH-CX-01", "程" * 140, ".docx")
    assert len(long_cn.encode("utf-8")) <= 255 and long_cn.startswith("YH-CX-01 程") and long_cn.endswith(".docx")


def test_a_cut_name_does_not_end_in_a_space_or_dot():
    assert safe_filename("a" * 149 + " b") == "a" * 149
    assert safe_filename("a" * 149 + ".b") == "a" * 149


def test_paths_equal_on_windows_are_refused(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="'a/Form.docx' and 'a/form.docx' would be the same file on Windows"):
        write_pack(out, {"a/Form.docx": b"1", "a/form.docx": b"2"}, force=False)
    assert not out.exists()


def test_a_path_too_long_for_windows_programs_is_warned_about(tmp_path, caplog):
    deep = tmp_path / ("d" * 100) / ("e" * 100) / "out"
    with caplog.at_level("WARNING", logger="docgen"):
        write_pack(deep, small_pack(), force=False)
        write_pack(tmp_path / "out", small_pack(), force=False)
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith(f"warning: {deep / '02 程序文件'}")
    assert "Windows programs open at most 259: choose a shorter -o" in caplog.text
