"""Shared fixtures: the sample profiles, a built sample pack, and helpers to read files back."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
SAMPLE = ROOT / "samples" / "company.yaml"
BUILD_DATE = dt.date(2026, 9, 1)


def soffice() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_xml(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part).decode("utf-8")


def edit_parts(path: Path, parts: tuple[str, ...], pattern: bytes, new: bytes) -> None:
    """Replace the regex `pattern` by `new` in the zip parts of a .docx/.xlsx whose names start with
    one of `parts`, as a consultant editing the file by hand might."""
    import io
    import re

    with zipfile.ZipFile(path) as src:
        items = [(item, src.read(item.filename)) for item in src.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item, data in items:
            out.writestr(item, re.sub(pattern, new, data) if item.filename.startswith(parts) else data)
    path.write_bytes(buf.getvalue())


def docx_text(path: Path) -> str:
    """All paragraph text of a .docx (body paragraphs and table cells), one paragraph a line."""
    import docx

    d = docx.Document(str(path))
    lines = []
    for el in d.element.body.iter():
        if el.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in el.iter() if t.tag.endswith("}t")))
    return "\n".join(lines)


def xlsx_values(path: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.fixture(scope="session")
def sample_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack of samples/company.yaml, built once per test session."""
    from docgen.pack import build_pack

    out = tmp_path_factory.mktemp("pack") / "out"
    build_pack(SAMPLE, out, date=BUILD_DATE)
    return out


@pytest.fixture(scope="session")
def all_packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample's pack, built once per session."""
    from docgen.pack import build_pack

    packs = {}
    for sample in SAMPLES:
        out = tmp_path_factory.mktemp(sample.stem) / "out"
        build_pack(sample, out, date=BUILD_DATE)
        packs[sample.stem] = out
    return packs


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_pdfs(all_packs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample pack's Word and Excel files as LibreOffice PDFs (sample → folder of PDFs named
    like the files), one soffice run per pack, two packs at a time on a machine with two cores."""
    import os

    from .pdf_layout import TIMEOUT_S, pack_files, start_conversion

    office = soffice()
    if office is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    root = tmp_path_factory.mktemp("pdf")
    at_once = max(1, min(2, os.cpu_count() or 1))
    out: dict[str, Path] = {}
    running: list = []
    for name, pack in all_packs.items():
        if len(running) >= at_once:
            running.pop(0).wait(timeout=TIMEOUT_S)
        out[name] = root / name
        running.append(start_conversion(pack_files(pack), out[name], office))
    for proc in running:
        proc.wait(timeout=TIMEOUT_S)
    return out
