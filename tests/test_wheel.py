"""The templates ship inside the package: build a wheel, install it (not editable) into a fresh
virtual environment, and build the sample from there, outside the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from .conftest import ROOT, SAMPLE


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


def test_wheel_carries_the_templates_and_builds_the_sample(tmp_path):
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)])
    (wheel,) = dist.glob("docgen-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert "docgen/templates/catalog.yaml" in names
    assert "docgen/templates/_base/base.docx" in names
    assert any(n.startswith("docgen/templates/procedures/") and n.endswith(".docx") for n in names)
    assert any(n.startswith("docgen/templates/records/") and n.endswith(".xlsx") for n in names)
    assert "docgen/standards/gbt27922-2011.yaml" in names

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    py = venv / "bin" / "python"
    run([str(py), "-m", "pip", "install", "-q", str(wheel)])
    work = tmp_path / "elsewhere"
    work.mkdir()
    profile = work / "company.yaml"
    profile.write_bytes(SAMPLE.read_bytes())
    result = run([str(venv / "bin" / "docgen"), "build", str(profile), "-o", str(work / "out"), "--date", "2026-09-01"], cwd=work)
    assert "Built " in result.stdout
    located = run([str(py), "-c", "import docgen.catalog as c; print(c.builtin_templates())"], cwd=work).stdout
    assert str(venv) in located
    assert any((work / "out").rglob("YH-SC-01 售后服务手册.docx"))
