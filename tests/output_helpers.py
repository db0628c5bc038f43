"""Helpers of the output tests: a pack's files and hashes, what lies beside it, and `docgen build`
in a subprocess that a test can interrupt at a named point (DOCGEN_TEST_PAUSE, docgen/output.py)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def digests(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under `folder` (hidden files included)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def beside(out: Path) -> list[str]:
    """Names next to OUT that belong to it: `.OUT.*` (lock, staging, old, del)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def small_pack(n: int = 3, tag: str = "a") -> dict[str, bytes]:
    """A few files in the pack layout, for write_pack."""
    files = {f"02 程序文件/X-CX-{i:02d} 程序{i}.docx": f"{tag}{i}".encode() for i in range(1, n + 1)}
    files["coverage.json"] = b'{"documents": []}'
    return files


def start_build(out: Path, *args: str, pause: str | None = None, env: dict[str, str] | None = None, profile: Path | None = None) -> subprocess.Popen:
    """`python -m docgen build PROFILE -o OUT ARGS` with Ctrl-C delivered as KeyboardInterrupt
    (a shell may start tests with SIGINT ignored, which children inherit)."""
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    e.pop("DOCGEN_TEST_PAUSE", None)
    if pause:
        e["DOCGEN_TEST_PAUSE"] = pause
    cmd = [sys.executable, "-m", "docgen", "build", str(profile or ROOT / "samples" / "company.yaml"), "-o", str(out), *args]
    return subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=e,
        cwd=out.parent,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for_pause(proc: subprocess.Popen, point: str) -> list[str]:
    """Read the build's stderr up to `docgen: paused at POINT`; the lines read (fails at EOF)."""
    lines = []
    while True:
        line = proc.stderr.readline()
        assert line, f"the build ended before pausing at {point}: rc {proc.wait()}, stderr {''.join(lines)}"
        lines.append(line)
        if line.strip() == f"docgen: paused at {point}":
            return lines
