"""Ctrl-C: what the build says is true (nothing changed, or OUT already holds the new pack), a
Ctrl-C during the swap is held back until the renames are done, and a Ctrl-C while the command
line is still starting is one line and exit 130, not a traceback."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner

import docgen.pack.output
from docgen.cli import main
from docgen.pack.output import write_pack

from .conftest import ROOT, SAMPLE
from .output_helpers import beside, digests, small_pack


def test_ctrl_c_after_the_swap_says_the_new_pack_is_in(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_pack(out, small_pack(), force=False)
    real = shutil.rmtree

    def interrupted_delete(path, *args, **kwargs):  # Ctrl-C while the old pack is deleted
        if ".out.old-" in str(path) or ".out.del-" in str(path):
            raise KeyboardInterrupt
        return real(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", interrupted_delete)
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), "--force", "--date", "2026-09-01"])
    monkeypatch.setattr(shutil, "rmtree", real)
    assert result.exit_code == 130
    assert result.output == f"interrupted; {out} already holds the new pack\n"
    assert (out / "02 程序文件" / "YH-CX-01 文件控制程序.docx").is_file()
    assert not (out / "02 程序文件" / "X-CX-01 程序1.docx").exists()


def test_ctrl_c_before_the_swap_says_nothing_changed(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_pack(out, small_pack(), force=False)
    before = digests(out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(docgen.pack.output, "_swap", interrupted)
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), "--force"])
    assert result.exit_code == 130
    assert result.output == "interrupted; the output folder was left as it was\n"
    assert digests(out) == before
    assert beside(out) == []


@pytest.fixture
def usual_ctrl_c():
    """Ctrl-C raises KeyboardInterrupt in this process (a shell may have started it ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_between_the_renames_waits_for_the_second(tmp_path, monkeypatch, usual_ctrl_c):
    out = tmp_path / "out"
    write_pack(out, small_pack(tag="a"), force=False)
    real = docgen.pack.output.os.replace
    calls = []

    def replace(src, dst):
        real(src, dst)
        calls.append(dst)
        if len(calls) == 1:  # OUT has just been moved aside: Ctrl-C now
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(docgen.pack.output.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write_pack(out, small_pack(tag="b"), force=True)
    monkeypatch.setattr(docgen.pack.output.os, "replace", real)
    assert (out / "02 程序文件" / "X-CX-01 程序1.docx").read_bytes() == b"b1"
    assert beside(out) == []


BOOM = """
import runpy, sys
class CtrlC:  # Ctrl-C while `import click` runs, as a user pressing it at once would
    def find_spec(self, name, path=None, target=None):
        if name == "click":
            raise KeyboardInterrupt
sys.meta_path.insert(0, CtrlC())
sys.argv = ["docgen", "--version"]
runpy.run_module("docgen", run_name="__main__")
"""


def test_ctrl_c_while_the_command_line_starts_is_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-c", BOOM], capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert result.returncode == 130, result.stderr
    assert result.stderr == "interrupted\n"
