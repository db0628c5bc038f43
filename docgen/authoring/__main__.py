"""`python -m docgen.authoring [NAME …]`: compile authoring/ sources into templates/ (house style
base, Word bodies from .md, Excel forms from .yaml), with fixed timestamps so unchanged sources
give unchanged files."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..render.excel import _deterministic
from ..render.zipout import restamp
from .house import build_base
from .markdown import compile_markdown
from .records import compile_record_file

STAMP = dt.datetime(2026, 1, 1, 0, 0, 0)


def _fix(path: Path) -> None:
    data = path.read_bytes()
    fixed = _deterministic(data, STAMP) if path.suffix == ".xlsx" else restamp(data, STAMP)
    path.write_bytes(fixed)


def compile_all(root: Path, only: set[str] | None = None, out_root: Path | None = None) -> list[Path]:
    """Compile every source under root/authoring into root/templates (or out_root)."""
    src_root = root / "authoring"
    out_root = out_root or root / "templates"
    written = []
    base = out_root / "_base" / "base.docx"
    if not only or "base" in only:
        build_base(base)
        _fix(base)
        written.append(base)
    for src in sorted(src_root.rglob("*")):
        if src.suffix not in {".md", ".yaml"} or src.name.startswith("_"):
            continue
        rel = src.relative_to(src_root)
        if only and src.stem not in only and rel.with_suffix("").as_posix() not in only:
            continue
        if src.suffix == ".md":
            out = (out_root / rel).with_suffix(".docx")
            compile_markdown(src.read_text(encoding="utf-8"), out, str(src))
        else:
            out = (out_root / rel).with_suffix(".xlsx")
            compile_record_file(src, out)
        _fix(out)
        written.append(out)
    return written


if __name__ == "__main__":
    here = Path.cwd()
    names = set(sys.argv[1:]) or None
    for p in compile_all(here, names):
        print(p.relative_to(here))
