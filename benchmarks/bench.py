"""Build speed against a floor measured in the same run.

    python benchmarks/bench.py [samples/company.yaml] [--repeat 5]

Floor: load and save, unchanged, every template file the sample pack uses (python-docx for Word,
openpyxl for Excel). A build is the whole `build_pack`: validate, render, check coverage by
reading the rendered documents back, write the pack. Builds: cold (new process, empty compiled-template cache), warm from disk
(new process, cache filled by the cold run) and warm in process (a second build in one process).
Each is the best of --repeat runs; the ratios are build ÷ floor. Target: warm ≤ 2× the floor.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, sys, tempfile, time, datetime as dt
from pathlib import Path
t0 = time.perf_counter()
from docgen.pack import build_pack
t1 = time.perf_counter()
times = []
with tempfile.TemporaryDirectory() as tmp:
    for _ in range(int(sys.argv[2])):
        s = time.perf_counter()
        pack = build_pack(sys.argv[1], Path(tmp) / "out", date=dt.date(2026, 9, 1), force=True)
        times.append(time.perf_counter() - s)
print(json.dumps({"import": t1 - t0, "builds": times, "documents": len(pack.documents)}))
"""


def floor(profile_path: str, repeat: int) -> tuple[float, int]:
    """Seconds to load and save, unchanged, the template files of the pack (best of `repeat`)."""
    import docx
    import openpyxl

    from docgen.catalog import TemplateSet, builtin_templates, load_catalog
    from docgen.context import build_context
    from docgen.profile import load_profile

    ts = TemplateSet(builtin_templates())
    context = build_context(load_profile(profile_path), load_catalog(ts))
    paths = [ts.path(d.entry.template) for d in context.documents]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for p in paths:
            buf = io.BytesIO()
            if p.suffix == ".docx":
                docx.Document(str(p)).save(buf)
            else:
                openpyxl.load_workbook(p).save(buf)
        best = min(best, time.perf_counter() - start)
    return best, len(paths)


def child(profile: str, builds: int, cache: str) -> dict:
    env = dict(os.environ, DOCGEN_CACHE_DIR=cache)
    out = subprocess.run([sys.executable, "-c", CHILD, profile, str(builds)], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("profile", nargs="?", default="samples/company.yaml")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    floor_s, n = floor(args.profile, args.repeat)
    cold, warm_disk = [], []
    in_process = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as cache:
            first = child(args.profile, 2, cache)
            cold.append(first["builds"][0])
            in_process.append(first["builds"][1])
            second = child(args.profile, 1, cache)
            warm_disk.append(second["builds"][0])
    rows = [
        ("floor: load+save templates unchanged", floor_s),
        ("cold build (empty cache, new process)", min(cold)),
        ("warm build (disk cache, new process)", min(warm_disk)),
        ("warm build (same process, 2nd build)", min(in_process)),
    ]
    print(f"{first['documents']} documents from {n} template files; best of {args.repeat}; Python {sys.version.split()[0]}")
    for label, secs in rows:
        print(f"  {label:<42} {secs * 1000:8.0f} ms   {secs / floor_s:5.2f}× floor")
    print(f"  (median warm disk {statistics.median(warm_disk) * 1000:.0f} ms; target: warm ≤ 1.30× floor)")


if __name__ == "__main__":
    main()
