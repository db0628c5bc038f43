"""`docgen build … --force` killed (SIGKILL) or interrupted (SIGINT) at random moments and at every
named point of the write (DOCGEN_TEST_PAUSE, docgen/output.py): OUT then holds the previous
complete pack or the complete new one, never a mix (after the recovery the next build does, for
SIGKILL); what SIGINT prints is true; the following build succeeds and leaves no `.OUT.*`. Under a minute."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from docgen.pack import build_pack
from docgen.pack.lock import pack_lock
from docgen.pack.output import MARKER, prepare, recover, write_pack

from .conftest import BUILD_DATE, SAMPLE
from .output_helpers import beside, digests, start_build, wait_for_pause

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and preexec_fn are POSIX only")

SEED = 27922
POINTS = ["write", "swap", "swapped", "delete"]
# what OUT holds after a kill at each point, once recovered; and what SIGINT there says
AFTER_KILL = {"write": "previous", "swap": "previous", "swapped": "new", "delete": "new"}
AFTER_INT = {"write": "previous", "swap": "new", "swapped": "new", "delete": "new"}
SAYS = {"previous": "the output folder was left as it was", "new": "already holds the new pack"}


@pytest.fixture(scope="module")
def refs(tmp_path_factory):
    """The previous pack and the new one, as references. The previous pack is built from a profile
    with another hotline, so the rebuild revises many documents (a new date alone would change
    nothing: document control keeps unchanged documents byte for byte); the new one is that
    rebuild, made into a copy of the previous pack exactly as the interrupted builds make it."""
    base = tmp_path_factory.mktemp("refs")
    old = base / "old.yaml"
    old.write_text(SAMPLE.read_text(encoding="utf-8").replace("hotline: 400-826-6600", "hotline: 400-826-6611"),
                   encoding="utf-8")
    build_pack(old, base / "previous", date=dt.date(2026, 8, 1))
    shutil.copytree(base / "previous", base / "new")
    build_pack(SAMPLE, base / "new", date=BUILD_DATE, force=True)
    return {"previous": digests(base / "previous"), "new": digests(base / "new"), "dir": base}


def which(out: Path, refs) -> str:
    """'previous', 'new', or 'missing'; fails on anything else (a mix, a partial pack)."""
    if not out.exists():
        return "missing"
    got = digests(out)
    for name in ("previous", "new"):
        if got == refs[name]:
            return name
    mixed = {name: sum(got.get(k) == v for k, v in refs[name].items()) for name in ("previous", "new")}
    raise AssertionError(f"{out} holds neither pack: {len(got)} files, matching {mixed}")


def cases() -> list[tuple[signal.Signals, str | None, float]]:
    """Every point under both signals, and two signals at a random moment; seeded order."""
    rng = random.Random(SEED)
    todo = [(sig, point, rng.uniform(0.0, 0.2)) for point in POINTS for sig in (signal.SIGKILL, signal.SIGINT)]
    todo += [(signal.SIGKILL, None, rng.uniform(0.3, 2.5)), (signal.SIGINT, None, rng.uniform(0.3, 2.5))]
    rng.shuffle(todo)
    return todo


def test_killed_builds_leave_one_whole_pack(refs, tmp_path):
    new_files = {p.relative_to(refs["dir"] / "new").as_posix(): p.read_bytes()
                 for p in (refs["dir"] / "new").rglob("*") if p.is_file() and p.name != MARKER}
    for i, (sig, point, delay) in enumerate(cases()):
        what = f"run {i}: {sig.name} at {point or f'{delay:.2f} s'}"
        out = tmp_path / f"run{i}" / "out"
        shutil.copytree(refs["dir"] / "previous", out)
        proc = start_build(out, "--force", "--date", "2026-09-01", pause=f"{point}:0.6" if point else None)
        if point:
            wait_for_pause(proc, point)
        time.sleep(delay)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
        if proc.returncode == 0:  # a random moment after the build ended
            assert point is None, what
            assert which(out, refs) == "new", what
            continue

        if sig == signal.SIGINT:
            assert proc.returncode == 130, f"{what}: rc {proc.returncode}\n{stderr}"
            assert "Traceback" not in stderr, f"{what}\n{stderr}"
            said = stderr.strip().splitlines()[-1]
            holds = which(out, refs)
            assert holds != "missing", what
            assert said in (f"interrupted; {SAYS[holds]}", f"interrupted; {out} {SAYS[holds]}") or (
                said == "interrupted" and holds == "previous"  # Ctrl-C while the command line started
            ), f"{what}: says {said!r}, OUT holds the {holds} pack"
            if point:
                assert holds == AFTER_INT[point], what
        else:
            assert proc.returncode == -signal.SIGKILL, what
            assert which(out, refs) in ("previous", "new", "missing"), what
            # what the next build finds: recover (under the lock, as it does) in a copy
            copy = tmp_path / f"run{i}-recovered"
            shutil.copytree(out.parent, copy, symlinks=True)
            with pack_lock(copy / "out"):
                recover(copy / "out")
            holds = which(copy / "out", refs)
            assert holds in ("previous", "new"), f"{what}: OUT {holds} after recovery"
            if point:
                assert holds == AFTER_KILL[point], what
            assert beside(copy / "out") == [], what

        if (sig, point) == (signal.SIGKILL, "swap"):
            # once for real: a whole `docgen build` after a kill between the renames (OUT missing)
            assert not out.exists(), what
            again = start_build(out, "--force", "--date", "2026-09-01")
            _, stderr = again.communicate(timeout=120)
            assert again.returncode == 0, f"{what}\n{stderr}"
        else:
            # the following build as build_pack writes (prepare, then write_pack), without rendering
            prepare(out, True)
            write_pack(out, new_files, force=True)
        assert which(out, refs) == "new", what
        assert beside(out) == [], what
