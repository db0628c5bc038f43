"""Peak memory of a build of a large profile: the company sample with N outlets (default 2,000).

    python benchmarks/memory.py [--outlets 2000] [--no-libreoffice]

Reports docgen's own peak resident memory and, separately, that of the LibreOffice layout pass
(a child process that computes the contents page numbers). Target: docgen under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITIES = ["绍兴", "杭州", "宁波"]  # the sample's own-outlet cities, in the order its commitments name them

CHILD = r"""
import datetime as dt, json, resource, sys
from pathlib import Path
from docgen.pack import build_pack
pack = build_pack(sys.argv[1], Path(sys.argv[2]), date=dt.date(2026, 9, 1))
print(json.dumps({"documents": len(pack.documents),
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def big_profile(outlets: int) -> str:
    """The company sample with `outlets` outlets, half own (in the sample's cities), half entrusted."""
    text = (ROOT / "samples" / "company.yaml").read_text(encoding="utf-8")
    rows = []
    for i in range(outlets):
        if i % 2 == 0:
            city = CITIES[(i // 2) % len(CITIES)]
            rows.append(f"  - {{name: 越华电器第{i}服务中心, kind: own, city: {city}, address: {city}市解放北路 {i} 号, "
                        f"phone: 0575-8812{i % 10000:04d}, staff: 3}}")
        else:
            rows.append(f"  - {{name: 恒安第{i}服务站, kind: entrusted, partner: 江苏恒安家电服务有限公司, city: 苏州, "
                        f"address: 苏州市姑苏区金门路 {i} 号, phone: 0512-6608{i % 10000:04d}, staff: 2}}")
    return re.sub(r"(?ms)^outlets:\n.*?(?=^departments:)", lambda _: "outlets:\n" + "\n".join(rows) + "\n\n", text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--outlets", type=int, default=2000)
    ap.add_argument("--no-libreoffice", action="store_true", help="skip the contents page-number pass")
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if args.no_libreoffice:
        env["DOCGEN_TOC_PAGES"] = "off"
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "big.yaml"
        profile.write_text(big_profile(args.outlets), encoding="utf-8")
        run = subprocess.run([sys.executable, "-c", CHILD, str(profile), str(Path(tmp) / "out")],
                             capture_output=True, text=True, env=env)
        if run.returncode:
            sys.exit(run.stderr[-2000:])
        result = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"{args.outlets} outlets, {result['documents']} documents: docgen peak {result['self_mb']:.0f} MB "
          f"(target < 300 MB); LibreOffice layout pass peak {result['children_mb']:.0f} MB")


if __name__ == "__main__":
    main()
