"""What a profile value or a template can never do: become template source, a formula or broken
XML; reach outside the sandbox, run forever, or be blamed on the wrong file."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from docgen.authoring.markdown import compile_markdown
from docgen.authoring.records import compile_record
from docgen.catalog import TemplateSet, builtin_templates
from docgen.errors import TemplateError
from docgen.pack import build_pack, render_pack
from docgen.profile import load_profile

from .conftest import BUILD_DATE, ROOT, SAMPLE, docx_text, docx_xml

COVERAGE_BOOK = "05 认证工作文件/YH-GZ-01 条款覆盖矩阵.xlsx"
MAIN_DEPT = "售后服务部"


def profile_with(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the sample profile with `edit` applied to its data, written to tmp_path."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "company.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def rename(data: Any, old: str, new: str) -> Any:
    """Every value equal to `old`, anywhere in the data, replaced by `new`."""
    if isinstance(data, dict):
        return {k: rename(v, old, new) for k, v in data.items()}
    if isinstance(data, list):
        return [rename(v, old, new) for v in data]
    return new if data == old else data


def overlay(tmp_path: Path, bodies: dict[str, str] | None = None, records: dict[str, dict] | None = None,
            files: dict[str, bytes] | None = None) -> TemplateSet:
    """An overlay with its own catalog holding only the given documents (and any raw files)."""
    root = tmp_path / "tpl"
    root.mkdir(parents=True, exist_ok=True)
    lines = ["documents:"]
    for name, text in (bodies or {}).items():
        compile_markdown(text, root / "procedures" / f"{name}.docx")
        lines += [f"  - id: {name}", "    kind: procedure", f"    title: 测试程序{name}", f"    template: procedures/{name}.docx"]
    for name, spec in (records or {}).items():
        compile_record(spec, root / "records" / f"{name}.xlsx")
        lines += [f"  - id: {name}", "    kind: record", f"    title: 测试表单{name}", f"    template: records/{name}.xlsx"]
    for rel, data in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        if rel.startswith("procedures/"):
            stem = Path(rel).stem
            lines += [f"  - id: {stem}", "    kind: procedure", f"    title: 测试程序{stem}", f"    template: {rel}"]
    (root / "catalog.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return TemplateSet(builtin_templates(), root)


def problems_of(templates: TemplateSet) -> list[tuple[str | None, str]]:
    with pytest.raises(TemplateError) as info:
        render_pack(load_profile(SAMPLE), templates, BUILD_DATE)
    return [(p.file, p.message) for p in info.value.problems]


def pack_texts(out: Path) -> tuple[list[str], list[str]]:
    """Every Excel cell value and every Word paragraph (body, headers, footers) of a pack."""
    cells: list[str] = []
    paras: list[str] = []
    for f in sorted(out.rglob("*")):
        if f.suffix == ".xlsx":
            wb = openpyxl.load_workbook(f)
            for ws in wb.worksheets:
                cells += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
                cells += [ws.oddHeader.left.text or "", ws.oddHeader.center.text or "", ws.oddHeader.right.text or ""]
        elif f.suffix == ".docx":
            paras += docx_text(f).splitlines()
            with zipfile.ZipFile(f) as zf:
                for name in zf.namelist():
                    if re.match(r"word/(header|footer)\d*\.xml$", name):
                        paras.append(re.sub(r"<[^>]+>", "", zf.read(name).decode("utf-8")))
    return cells, paras


# ---------------------------------------------------------------- 1. profile text is never template source
DEPT = "{{ 7*7 }} {% if true %}x{% endif %}"
COMPANY = "{{ 7*7 }}电器{% if true %}有限公司{% endif %}"
OUTLET = "{{ 7*7 }}服务中心{# 注 #}"
COMMITMENT = "承诺{{ 7*7 }}{% raw %}小时{% endraw %}"


def test_profile_values_stay_literal_in_excel_and_word(tmp_path):
    def edit(data: dict[str, Any]) -> None:
        data.update(rename(data, MAIN_DEPT, DEPT))
        data["company"]["name"] = COMPANY
        data["outlets"][0]["name"] = OUTLET
        data["policy"]["commitments"][0] = COMMITMENT

    out = tmp_path / "out"
    build_pack(profile_with(tmp_path, edit), out, date=BUILD_DATE)
    cells, paras = pack_texts(out)
    cell_text, word_text = "\n".join(cells), "\n".join(paras)
    for literal in (DEPT, COMPANY, OUTLET):
        assert literal in cell_text, literal
        assert literal in word_text, literal
    assert COMMITMENT in word_text
    evaluated = re.compile(r"(?<!\d)49(?!\d)")
    assert not [c for c in cells if evaluated.search(c) and not c.isdigit()]  # a bare 49 is a row number of a list
    assert not [p for p in paras if evaluated.search(p)]


# ---------------------------------------------------------------- 2. every cell docgen writes is text
def test_coverage_workbook_company_name_is_text_not_formula(tmp_path):
    def edit(data: dict[str, Any]) -> None:
        data["company"]["name"] = "=1+1"

    out = tmp_path / "out"
    build_pack(profile_with(tmp_path, edit), out, date=BUILD_DATE)
    book = out / COVERAGE_BOOK
    cell = openpyxl.load_workbook(book).worksheets[0]["A1"]
    assert cell.value.startswith("=1+1 条款覆盖情况")
    assert cell.data_type == "s"
    with zipfile.ZipFile(book) as zf:
        sheets = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)
    assert 't="s"' in sheets[0].split('r="A1"')[1][:20] or 't="inlineStr"' in sheets[0].split('r="A1"')[1][:30]


def test_set_text_keeps_text_and_refuses_what_a_cell_cannot_hold():
    from docgen.render.cells import MAX_CELL_TEXT, CellTextError, set_text

    cell = openpyxl.Workbook().active["A1"]
    set_text(cell, "=SUM(A2:A9)")
    assert cell.value == "=SUM(A2:A9)" and cell.data_type == "s"
    set_text(cell, "x" * MAX_CELL_TEXT)
    with pytest.raises(CellTextError, match="32,767"):
        set_text(cell, "x" * (MAX_CELL_TEXT + 1))


def test_a_rendered_cell_longer_than_excel_holds_is_a_template_error(tmp_path):
    spec = {"title": "长", "intro": ["{% for i in range(40) %}{{ '甲' * 1000 }}{% endfor %}"], "columns": [{"name": "序号"}], "rows": 1}
    ((file, message),) = problems_of(overlay(tmp_path, records={"r": spec}))
    assert file == "records/r.xlsx"
    assert "32,767" in message and "!A" in message


# ---------------------------------------------------------------- 3. the sandbox
@pytest.mark.parametrize("name", ["lipsum", "cycler", "joiner"])
def test_unneeded_jinja_globals_are_gone(tmp_path, name):
    ((file, message),) = problems_of(overlay(tmp_path, {"t": f"# 1 目的\n值：{{{{ {name} }}}}"}))
    assert file == "procedures/t.docx"
    assert f"'{name}' is undefined" in message


def test_the_globals_our_templates_use_remain(tmp_path):
    body = "# 1 目的\n{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}和{{ ns.n }}{{ dict(a=1).a }}"
    pack = render_pack(load_profile(SAMPLE), overlay(tmp_path, {"t": body}), BUILD_DATE)
    path = tmp_path / "t.docx"
    path.write_bytes(next(iter(pack.files.values())))
    assert "和31" in docx_text(path)


# (no `**` in Word bodies: the .dgmd compiler reads it as bold)
@pytest.mark.parametrize("expr", ["{% for i in range(1000000000) %}x{% endfor %}", "{{ range(1000000000)|list|length }}"])
def test_range_is_capped_with_an_error_naming_the_place(tmp_path, expr):
    ((file, message),) = problems_of(overlay(tmp_path, {"t": f"# 1 目的\n第一段。\n{expr}"}))
    assert file == "procedures/t.docx"
    assert message.startswith("body, paragraph ") and "range" in message.lower()


@pytest.mark.parametrize("expr", ["{{ 10 ** (10 ** 10) }}", "{{ 'x' * 10 ** 10 }}", "{{ [1] * 10 ** 10 }}", "{{ 10.0 ** 400 }}"])
def test_huge_powers_and_repetitions_are_refused(tmp_path, expr):
    spec = {"title": "表", "intro": [expr], "columns": [{"name": "序号"}], "rows": 1}
    ((file, message),) = problems_of(overlay(tmp_path, records={"r": spec}))
    assert file == "records/r.xlsx" and message.startswith("sheet 表, 表!A"), message


def test_endless_recursion_is_a_template_error(tmp_path):
    body = "# 1 目的\n{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"
    ((file, message),) = problems_of(overlay(tmp_path, {"t": body}))
    assert file == "procedures/t.docx" and message.startswith("body, paragraph ")


@pytest.mark.parametrize("tag", ["{% include '/etc/passwd' %}", "{% import 'os' as os %}", "{% from 'os' import path %}",
                                 "{% extends 'base.xml' %}"])
def test_templates_cannot_include_or_import(tmp_path, tag):
    ((file, message),) = problems_of(overlay(tmp_path, {"t": f"# 1 目的\n第一段。\n{tag}"}))
    assert file == "procedures/t.docx"
    assert message.startswith("body, paragraph ")
    assert "templates cannot include or import other files" in message


def test_an_overlay_that_is_not_a_word_document_is_named(tmp_path):
    ((file, message),) = problems_of(overlay(tmp_path, files={"procedures/complaints.docx": "只是文本\n".encode()}))
    assert file == "procedures/complaints.docx"
    assert "not a Word document" in message


def test_an_overlay_that_is_not_an_excel_workbook_is_named(tmp_path):
    root = tmp_path / "tpl"
    (root / "records").mkdir(parents=True)
    (root / "records" / "r.xlsx").write_text("不是表格", encoding="utf-8")
    (root / "catalog.yaml").write_text("documents:\n  - id: r\n    kind: record\n    title: 表\n    template: records/r.xlsx\n",
                                       encoding="utf-8")
    ((file, message),) = problems_of(TemplateSet(builtin_templates(), root))
    assert file == "records/r.xlsx" and "not an Excel workbook" in message


ENDLESS = ("{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}x"
           "{% endfor %}{% endfor %}{% endfor %}")


def test_a_loop_that_never_ends_is_stopped_in_word(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_RENDER_TIMEOUT", "1")
    start = time.monotonic()
    ((file, message),) = problems_of(overlay(tmp_path, {"t": f"# 1 目的\n第一段。\n{ENDLESS}"}))
    assert time.monotonic() - start < 15
    assert file == "procedures/t.docx"
    assert message.startswith("body, paragraph ") and "1 s" in message and "DOCGEN_RENDER_TIMEOUT" in message


def test_a_loop_that_never_ends_is_stopped_in_excel(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_RENDER_TIMEOUT", "1")
    spec = {"title": "表", "intro": [ENDLESS, "{{ company.name }}"], "columns": [{"name": "序号"}], "rows": 1}
    start = time.monotonic()
    ((file, message),) = problems_of(overlay(tmp_path, records={"r": spec}))
    assert time.monotonic() - start < 15
    assert file == "records/r.xlsx" and "DOCGEN_RENDER_TIMEOUT" in message


# ---------------------------------------------------------------- 4. errors in the base are the base's
def base_with(replace: dict[str, tuple[str, str]]) -> bytes:
    """The built-in base.docx with text replaced in some of its parts."""
    src = ROOT / "templates" / "_base" / "base.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name in replace:
                old, new = replace[name]
                text = data.decode("utf-8")
                assert old in text, (name, old)
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(name, data)
    return buf.getvalue()


def test_a_bad_tag_in_the_base_is_reported_once_against_the_base(tmp_path):
    base = base_with({"word/document.xml": ("文件修订记录", "文件修订记录{{ nope_in_base }}")})
    ts = overlay(tmp_path, {"a": "# 1 目的\n正文。", "b": "# 1 目的\n正文。"}, files={"_base/base.docx": base})
    ((file, message),) = problems_of(ts)
    assert file == "_base/base.docx"
    assert re.match(r"body, paragraph \d+ «文件修订记录\{\{ nope_in_base \}\}»: 'nope_in_base' is undefined", message), message


def test_a_bad_tag_after_the_body_is_placed_within_the_base(tmp_path):
    from docgen.render.word import BODY_MARKER, patch

    marker = f"<w:t>{BODY_MARKER}</w:t></w:r></w:p>"
    base = base_with({"word/document.xml": (marker, marker + "<w:p><w:r><w:t>尾{{ nope_tail }}</w:t></w:r></w:p>")})
    ts = overlay(tmp_path, {"a": "# 1 目的\n正文。\n| 甲 | 乙 |\n| 1 | 2 |", "b": "# 1 目的\n正文。"},
                 files={"_base/base.docx": base})
    ((file, message),) = problems_of(ts)
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        patched = patch(zf.read("word/document.xml").decode("utf-8"))
    expected = patched[: patched.index("nope_tail")].count("\n<w:p")
    assert file == "_base/base.docx"
    assert message.startswith(f"body, paragraph {expected} «尾{{{{ nope_tail }}}}»"), message


def test_a_syntax_error_in_the_base_is_reported_once_against_the_base(tmp_path):
    base = base_with({"word/document.xml": ("文件修订记录", "文件修订记录{% if %}")})
    ts = overlay(tmp_path, {"a": "# 1 目的\n正文。", "b": "# 1 目的\n正文。"}, files={"_base/base.docx": base})
    ((file, message),) = problems_of(ts)
    assert file == "_base/base.docx"
    assert message.startswith("body, paragraph ") and "文件修订记录" in message


def test_a_bad_tag_in_the_base_header_is_reported_once_against_the_base(tmp_path):
    with zipfile.ZipFile(ROOT / "templates" / "_base" / "base.docx") as zf:
        header = next(n for n in zf.namelist() if re.match(r"word/header\d*\.xml$", n))
        text = zf.read(header).decode("utf-8")
    tag = re.search(r"\{\{ ?company\.name ?\}\}", text)
    assert tag
    base = base_with({header: (tag.group(0), "{{ company.nmae }}")})
    ts = overlay(tmp_path, {"a": "# 1 目的\n正文。", "b": "# 1 目的\n正文。"}, files={"_base/base.docx": base})
    ((file, message),) = problems_of(ts)
    assert file == "_base/base.docx" and message.startswith("header, ") and "nmae" in message


def test_body_errors_are_still_the_bodys(tmp_path):
    found = problems_of(overlay(tmp_path, {"a": "# 1 目的\n{{ nope }}", "b": "# 1 目的\n{% if true %}没有结束"}))
    assert [f for f, _ in found] == ["procedures/a.docx", "procedures/b.docx"]
    assert "house-style base" not in found[1][1]


# ---------------------------------------------------------------- 5. document properties stay well-formed
def test_tabs_and_newlines_in_the_company_name_become_spaces_in_the_properties(tmp_path):
    import docx

    profile_path = profile_with(tmp_path, lambda d: d["company"].update(name="越华\t电器\n科技 <&>"))
    pack = render_pack(load_profile(profile_path), None, BUILD_DATE)
    docs = {rel: data for rel, data in pack.files.items() if rel.endswith(".docx")}
    assert docs
    for rel, data in docs.items():
        path = tmp_path / "doc.docx"
        path.write_bytes(data)
        props = docx.Document(str(path)).core_properties
        assert props.keywords == "越华 电器 科技 <&>", rel  # the company (author is the document's 编制)
        assert props.last_modified_by == "越华 电器 科技 <&>", rel
        assert props.title and "\n" not in props.title, rel
    for rel, data in pack.files.items():
        if rel.endswith(".xlsx"):
            path = tmp_path / "book.xlsx"
            path.write_bytes(data)
            assert openpyxl.load_workbook(path).properties.creator == "越华 电器 科技 <&>", rel


# ---------------------------------------------------------------- 6. theme font language
def test_theme_font_language_is_chinese(sample_pack):
    docs = sorted(sample_pack.rglob("*.docx"))
    assert docs
    for path in docs:
        settings = docx_xml(path, "word/settings.xml")
        assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings, path.name

