"""Templates: compiled files match their authoring sources, every template lints and renders
against every sample, and the catalog points at files that exist."""

from __future__ import annotations

import zipfile

from click.testing import CliRunner

from docgen.authoring.__main__ import compile_all
from docgen.catalog import TemplateSet, builtin_templates, load_catalog
from docgen.cli import main

from .conftest import ROOT


def _entries(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _content(path):
    return _entries(path) if path.suffix in {".docx", ".xlsx"} else path.read_bytes()


def test_compiled_templates_match_their_sources(tmp_path):
    written = compile_all(ROOT, out_root=tmp_path)
    assert len(written) > 60 and tmp_path / "catalog.yaml" in written
    stale = []
    for fresh in written:
        rel = fresh.relative_to(tmp_path)
        committed = ROOT / "templates" / rel
        if not committed.is_file() or _content(committed) != _content(fresh):
            stale.append(str(rel))
    assert not stale, f"run `python -m docgen.authoring`: stale templates {stale}"
    generated = {p.relative_to(tmp_path) for p in written}
    present = {p.relative_to(ROOT / "templates") for p in (ROOT / "templates").rglob("*") if p.is_file()}
    stray = sorted(str(p) for p in present - generated if p.name != "README.md")
    assert not stray, f"templates/ is generated; these files have no source in authoring/: {stray}"


def test_the_compiler_works_from_any_directory(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "docgen.authoring", "complaints"], cwd=tmp_path,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "templates/procedures/complaints.docx"


def test_every_catalog_template_exists_and_ids_are_unique():
    entries = load_catalog(TemplateSet(builtin_templates()))
    assert len({e.id for e in entries}) == len(entries)
    assert sum(e.kind == "procedure" for e in entries) >= 20


def test_templates_check_passes_for_every_sample():
    result = CliRunner().invoke(main, ["templates", "check"])
    assert result.exit_code == 0, result.output
    assert "lint: " in result.output and ", 0 problem(s)" in result.output
    assert result.output.count("render: ") >= 3


def test_templates_check_reports_unknown_variables_and_document_ids(tmp_path):
    from docgen.authoring.markdown import compile_markdown

    overlay = tmp_path / "tpl"
    compile_markdown("# 1 目的\n{{ company.nmae }} {{ ref('rec_nope') }} {{ nothing }}", overlay / "procedures" / "complaints.docx")
    result = CliRunner().invoke(main, ["templates", "check", "--templates", str(overlay)])
    assert result.exit_code == 1
    assert "procedures/complaints.docx: body, paragraph 2 «{{ company.nmae }} {{ ref('rec_nope') }} {{ nothing }}»: unknown variable 'company.nmae'" in result.output
    assert "unknown document id 'rec_nope' in ref()" in result.output
    assert "unknown variable 'nothing'" in result.output
