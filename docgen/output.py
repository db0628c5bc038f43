"""Atomic pack output: everything is written into a sibling temporary folder first, then swapped
in with renames, so a failed or interrupted build leaves the previous output as it was."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import OutputError


def check_target(out: Path, force: bool) -> None:
    """Refuse to replace a non-empty folder unless forced; refuse files and unwritable parents."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; choose another -o")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(f"{out} exists and is not empty; use --force to replace it, or choose another -o")


def write_pack(out: Path, files: dict[str, bytes], force: bool) -> None:
    """Write `files` (relative path → bytes) as the whole content of `out`, atomically."""
    out = out.resolve()
    recover(out)
    check_target(out, force)
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot create the output folder next to {out}: {exc.strerror}") from None
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            # No fsync per file: it costs ~0.1 s a file here and guards only against power loss;
            # a killed process is covered by the rename swap below.
            target.write_bytes(data)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def recover(out: Path) -> None:
    """Undo what a build killed mid-write left behind: restore a pack moved aside (when OUT is
    missing) and remove half-written staging folders."""
    if not out.parent.is_dir():
        return
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if olds and not out.exists():
        os.replace(olds[-1], out)
        olds = olds[:-1]
    for leftover in olds + sorted(out.parent.glob(f".{out.name}.new-*")):
        shutil.rmtree(leftover, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.replace(out, old)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
