"""Make the README pictures from the sample pack: a manual page, a procedure page, a record form.

    python tools/readme_images.py      # needs LibreOffice (soffice) and pdftoppm

Writes docs/images/manual.png, procedure.png, record.png, contents.png (the manual's contents
page), step_table.png (a work instruction's step table) and warranty_card.png (the half-A4 card).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.pack import build_pack  # noqa: E402

# (picture, folder, document title, text on the page to show)
PICKS = [
    ("manual", "01 售后服务手册", "售后服务手册", "组织机构图"),
    ("procedure", "02 程序文件", "顾客投诉处理程序", "5 工作程序"),
    ("record", "04 记录表单", "售后服务单", "售后服务单"),
    ("contents", "01 售后服务手册", "售后服务手册", "目录"),
    ("step_table", "03 作业指导书", "服务热线受理作业指导书", "作业流程"),
    ("warranty_card", "04 记录表单", "保修卡", "维修记录"),
]
FIRST = {"contents"}  # pictures of the first page with the text (the contents, not a heading after it)


def page_with(pdf: Path, text: str, first: bool = False) -> int:
    """The last page whose text contains `text` (the last, to skip the contents page; or the first)."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split("\f")
    hits = [i + 1 for i, page in enumerate(pages) if text.replace(" ", "") in page.replace(" ", "")]
    return (hits[0] if first else hits[-1]) if hits else 1


def main() -> None:
    out_dir = ROOT / "docs" / "images"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        pack = tmp_path / "pack"
        build_pack(ROOT / "samples" / "company.yaml", pack, date=dt.date(2026, 9, 1))
        for name, folder, title, marker in PICKS:
            (src,) = [p for p in (pack / folder).iterdir() if p.stem.endswith(" " + title)]
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                check=True,
                capture_output=True,
            )
            pdf = tmp_path / (src.stem + ".pdf")
            page = page_with(pdf, marker, first=name in FIRST)
            subprocess.run(["pdftoppm", "-png", "-r", "90" if name == "warranty_card" else "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(tmp_path / name)], check=True)
            shutil.copy(tmp_path / f"{name}.png", out_dir / f"{name}.png")
            print(out_dir / f"{name}.png")


if __name__ == "__main__":
    main()
