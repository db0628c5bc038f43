"""A build creates no file in TMPDIR (openpyxl would write each worksheet to one), so a killed
build leaves nothing there; and nothing beside OUT once the next build has run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLE
from .output_helpers import start_build, wait_for_pause

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and preexec_fn are POSIX only")

WATCH = """
import sys
opened = []
tmp = sys.argv[1]
sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open" and str(args[0]).startswith(tmp) else None)
from docgen.pack import build_pack
build_pack(sys.argv[2], sys.argv[3])
print(len(opened), *opened[:3])
"""


def test_a_build_opens_no_file_in_tmpdir(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {"PYTHONPATH": str(ROOT), "TMPDIR": str(tmpdir), "TEMP": str(tmpdir), "TMP": str(tmpdir), "PATH": os.environ.get("PATH", "")}
    result = subprocess.run([sys.executable, "-c", WATCH, str(tmpdir), str(SAMPLE), str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
    assert list(tmpdir.iterdir()) == []


def test_a_killed_build_leaves_nothing_once_the_next_has_run(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    area = tmp_path / "area"
    area.mkdir()
    out = area / "out"
    env = {"TMPDIR": str(tmpdir), "TEMP": str(tmpdir), "TMP": str(tmpdir)}
    proc = start_build(out, "--date", "2026-09-01", pause="write:30", env=env)
    wait_for_pause(proc, "write")  # the staging folder is half written, the lock held
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(tmpdir.iterdir()) == []
    assert sorted(p.name for p in area.iterdir())[0].startswith(".out.")  # what the killed build left
    again = start_build(out, "--date", "2026-09-01", env=env)
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    assert list(tmpdir.iterdir()) == []
    assert [p.name for p in area.iterdir()] == ["out"]
