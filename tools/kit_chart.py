"""Render the self-assessment chart of the sample (a filled example) to docs/images/selfassess.png (LibreOffice + pdftoppm)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen.kit.build import schedule_of  # noqa: E402
from docgen.kit.scoring import Answers, catalog_rows, score_workbook  # noqa: E402
from docgen.kit.selfassess import Owner, build_selfassess  # noqa: E402
from docgen.profile import load_profile  # noqa: E402
from docgen.standards import standard_for  # noqa: E402

EXAMPLE = {"5.1.2.2": ("部分符合", 50.0), "5.1.3.1": ("部分符合", None), "5.1.5.2": ("不符合", None),
           "5.1.6.2": ("部分符合", None), "5.1.6.4": ("不符合", None), "5.2.4": ("部分符合", 85.0),
           "5.3.1": ("部分符合", 90.0), "5.3.2": ("部分符合", 80.0)}


def main() -> None:
    profile = load_profile(ROOT / "samples" / "company.yaml")
    standard = standard_for(profile)
    deadline = schedule_of(profile)["documents"].end
    owners = {c.id: Owner(profile.department_for(c.responsible or "after_sales").name,
                          profile.department_for(c.responsible or "after_sales").head, deadline) for c in standard.clauses}
    answers = Answers(status={r.id: "符合" for r in catalog_rows(standard) if r.scored}, deductions=["示例：收费标准未在一个网点公示"])
    for ident, (status, share) in EXAMPLE.items():
        answers.status[ident] = status
        if share is not None:
            answers.share[ident] = share
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "selfassess.xlsx"
        book.write_bytes(build_selfassess(profile, standard, None, "YH-GZ-07", owners, dt.datetime(2026, 9, 1, 12), answers))
        result = score_workbook(book)
        print(f"example score {result.score:.2f}: {result.level}")
        soffice = shutil.which("soffice") or "soffice"
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(book)], check=True, capture_output=True, timeout=300)
        pdf = Path(tmp) / "selfassess.pdf"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        page = next(i for i, p in enumerate(text.split("\f"), start=1) if "指标得分率（%）" in p.replace(" ", ""))
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page), "-x", "40", "-y", "90", "-W", "920", "-H", "560", "-singlefile", str(pdf),
                        str(Path(tmp) / "chart")], check=True)
        out = ROOT / "docs" / "images" / "selfassess.png"
        shutil.copyfile(Path(tmp) / "chart.png", out)
        print(f"page {page} → {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
