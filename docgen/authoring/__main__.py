"""`python -m docgen.authoring [NAME …] [--root DIR]`: compile the built-in template sources
(authoring/) into templates/, from any directory.

One rule: authoring/ is the only source of the built-in templates — the catalog
(authoring/catalog.yaml), Word bodies (.dgmd, docgen's Markdown dialect with Jinja), Excel forms
(.yaml record specs) — and the house-style base is drawn by docgen/authoring/house.py.
templates/ is generated: every file there is written by this compiler, with fixed timestamps so
unchanged sources give unchanged files, and a test fails when one is stale or stray. A consultant
never edits templates/: restyled or rewritten templates go into an overlay folder (`--templates`),
which nothing regenerates."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

import yaml

from ..render.zipout import restamp
from .house import build_base
from .markdown import compile_markdown
from .records import compile_record_file

STAMP = dt.datetime(2026, 1, 1, 0, 0, 0)
BODY_SUFFIX = ".dgmd"  # Word body sources: docgen's Markdown dialect (see AUTHORING.md)
FORM_SUFFIX = ".yaml"  # Excel record-form specs
CATALOG = "catalog.yaml"
TRADE = "trade.yaml"  # a trade module's data, copied as it is
PRACTICE = "practice.yaml"  # a trade module's further practice text, copied as it is


def source_root() -> Path:
    """The repository root that holds authoring/ (this source tree)."""
    return Path(__file__).resolve().parents[2]


def _fix(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(restamp(data, STAMP, core_dates=path.suffix == ".xlsx"))


def _titles(src_root: Path) -> dict[str, str]:
    """Catalog title by template path without suffix (records take their title from the catalog
    or from the trade module that adds them)."""
    docs = yaml.safe_load((src_root / CATALOG).read_text(encoding="utf-8"))["documents"]
    for extra in sorted(src_root.glob(f"*/{CATALOG}")):  # a folder's own catalog, e.g. kit/catalog.yaml
        docs += yaml.safe_load(extra.read_text(encoding="utf-8"))["documents"]
    by_id = {d["id"]: d["title"] for d in docs}
    titles = {Path(d["template"]).with_suffix("").as_posix(): d["title"] for d in docs}
    for trade in sorted(src_root.glob(f"trades/*/{TRADE}")):
        changes = yaml.safe_load(trade.read_text(encoding="utf-8")).get("documents") or {}
        titles.update({Path(d["template"]).with_suffix("").as_posix(): d["title"] for d in changes.get("add") or []})
        titles.update({Path(path).with_suffix("").as_posix(): by_id[doc_id]  # a replacement keeps the title
                       for doc_id, path in (changes.get("replace") or {}).items() if doc_id in by_id})
    return titles


def compile_all(root: Path | None = None, only: set[str] | None = None, out_root: Path | None = None) -> list[Path]:
    """Compile every source under root/authoring into root/templates (or out_root); return what was written."""
    root = root or source_root()
    src_root = root / "authoring"
    out_root = out_root or root / "templates"
    written = []
    if not only:
        out_root.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src_root / CATALOG, out_root / CATALOG)
        written.append(out_root / CATALOG)
    titles = _titles(src_root)
    base = out_root / "_base" / "base.docx"
    if not only or "base" in only:
        build_base(base)
        _fix(base)
        written.append(base)
    for src in sorted(src_root.rglob("*")):
        if src.suffix not in {BODY_SUFFIX, FORM_SUFFIX} or src.name.startswith("_") or src == src_root / CATALOG:
            continue
        rel = src.relative_to(src_root)
        if src.name in (TRADE, PRACTICE, CATALOG):  # a trade's data, or a folder's own catalog: copied as it is
            if not only:
                (out_root / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, out_root / rel)
                written.append(out_root / rel)
            continue
        if only and src.stem not in only and rel.with_suffix("").as_posix() not in only:
            continue
        if src.suffix == BODY_SUFFIX:
            out = (out_root / rel).with_suffix(".docx")
            compile_markdown(src.read_text(encoding="utf-8"), out, str(src))
        else:
            out = (out_root / rel).with_suffix(".xlsx")
            compile_record_file(src, out, titles[rel.with_suffix("").as_posix()])
        _fix(out)
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m docgen.authoring", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="source file stems or paths under authoring/ (default: all)")
    parser.add_argument("--root", type=Path, default=None, help="repository root holding authoring/ (default: this source tree)")
    args = parser.parse_args(argv)
    root = (args.root or source_root()).resolve()
    for p in compile_all(root, set(args.names) or None):
        print(p.relative_to(root).as_posix())


if __name__ == "__main__":
    main()
