"""One build at a time per output folder: two builds whose writes overlap give one complete pack,
a build that waits too long names the other process, and a killed build's lock is taken over."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

import docgen.pack.lock
from docgen.cli import main
from docgen.errors import OutputError
from docgen.pack.output import write_pack

from .conftest import ROOT, SAMPLE
from .output_helpers import beside, digests, small_pack


class SlowFiles(dict):
    """Files whose writing stops after the first one until `go` is set."""

    def __init__(self, files, paused: threading.Event, go: threading.Event):
        super().__init__(files)
        self.paused, self.go = paused, go

    def items(self):
        for i, item in enumerate(super().items()):
            if i == 1:
                self.paused.set()
                assert self.go.wait(30)
            yield item


def test_overlapping_builds_leave_one_complete_pack(tmp_path):
    out = tmp_path / "out"
    write_pack(out, small_pack(5, "0"), force=False)
    a, b = small_pack(5, "a"), small_pack(5, "b")
    paused, go = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run(files):
        try:
            write_pack(out, files, force=True)
        except BaseException as exc:  # noqa: B036 - reported below
            errors.append(exc)

    first = threading.Thread(target=run, args=(SlowFiles(a, paused, go),))
    first.start()
    assert paused.wait(30)
    second = threading.Thread(target=run, args=(b,))
    second.start()
    second.join(0.5)  # the second build runs now (it waits for the lock, or writes across the first)
    go.set()
    first.join(30)
    second.join(30)
    assert not errors, errors
    got = digests(out)
    got.pop(".docgen-pack", None)
    assert got in (_digests_of(tmp_path, a), _digests_of(tmp_path, b)), sorted(got)
    assert beside(out) == []


def _digests_of(tmp_path, files):
    ref = tmp_path / f"ref-{len(list(tmp_path.iterdir()))}"
    for rel, data in files.items():
        (ref / rel).parent.mkdir(parents=True, exist_ok=True)
        (ref / rel).write_bytes(data)
    return digests(ref)


HOLD = """
import sys, time
from pathlib import Path
from docgen.pack.lock import pack_lock
with pack_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def holder(tmp_path):
    """Another process that holds the lock of tmp_path/out."""
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True, env={"PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "locked"
    yield out, proc
    proc.kill()
    proc.wait()


def test_a_second_build_waits_then_names_the_other_process(holder, monkeypatch):
    out, proc = holder
    monkeypatch.setattr(docgen.pack.lock, "WAIT_SECONDS", 0.5)
    start = time.monotonic()
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out)])
    assert time.monotonic() - start >= 0.5
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"output error: another docgen build (process {proc.pid}) is writing {out}; "
        f"wait for it to finish and build again, or choose another -o\n"
    )
    assert not out.exists()


def test_the_lock_of_a_killed_build_is_taken_over(holder, monkeypatch):
    out, proc = holder
    monkeypatch.setattr(docgen.pack.lock, "WAIT_SECONDS", 0.3)
    with pytest.raises(OutputError, match=f"process {proc.pid}"):
        write_pack(out, small_pack(), force=False)
    proc.kill()
    proc.wait()
    assert beside(out) == [".out.lock"]  # the dead process's lock file, naming it
    write_pack(out, small_pack(), force=False)
    assert (out / "coverage.json").is_file()
    assert beside(out) == []
