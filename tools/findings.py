"""Developer check: build samples in memory and print their consistency findings (and the other
coverage warnings with --all).

    python tools/findings.py [samples/company.yaml …] [--all]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.errors import DocgenError  # noqa: E402
from docgen.pack import build_pack  # noqa: E402


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show_all = "--all" in sys.argv
    samples = args or sorted(str(p) for p in (ROOT / "samples").glob("*.yaml"))
    total = 0
    for sample in samples:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                pack = build_pack(sample, Path(tmp) / "pack", date=dt.date(2026, 9, 1))
            except DocgenError as exc:
                print(f"== {sample}: FAILED\n{exc}")
                total += 1
                continue
        found = [f for f in pack.coverage.findings if show_all or f.kind == "inconsistent"]
        total += len(found)
        print(f"== {sample}: {len(pack.documents)} documents, {len(found)} finding(s), gaps: {[g.clause.id for g in pack.coverage.gaps]}")
        for f in found:
            print(f"  {f.number} [{f.heading[:24]}] {f.where}: {f.message_cn}")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
