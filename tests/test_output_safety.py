"""What `--force` may replace: a docgen pack (marked, or laid out as older docgen wrote it) or an
empty folder; never the profile's folder or its parents, a home folder, the root, the working
folder or a folder of other files. And the pack folder gets the mode a new folder gets."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import OutputError
from docgen.pack.output import MARKER, is_docgen_pack, refuse_unsafe, write_pack

from .conftest import SAMPLE
from .output_helpers import digests, small_pack


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args, "--date", "2026-09-01"])


def tree(folder: Path) -> dict[str, str]:
    return digests(folder)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder as users have it: the profile and their own notes (two levels inside tmp_path,
    so that even a regression replacing the grandparent deletes nothing outside tmp_path)."""
    folder = tmp_path / "work" / "project"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "company.yaml")
    (folder / "notes.txt").write_text("my notes", encoding="utf-8")
    return folder


def test_force_into_the_profile_folder_is_refused_and_deletes_nothing(project, monkeypatch):
    monkeypatch.chdir(project)
    before = tree(project.parent)
    result = build("company.yaml", "-o", ".", "--force")
    assert result.exit_code == 1, result.output
    assert "output error: . holds the profile company.yaml" in result.output
    assert "choose another -o: a new or empty folder, e.g. -o company-pack" in result.output
    assert "Traceback" not in result.output
    assert tree(project.parent) == before


@pytest.mark.parametrize("where", ["parent", "grandparent"])
def test_force_into_a_parent_of_the_profile_is_refused(project, tmp_path, monkeypatch, where):
    elsewhere = tmp_path / "work" / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    out = project.parent if where == "parent" else project.parent.parent
    assert out in (tmp_path / "work", tmp_path)
    before = tree(project)
    result = build(str(project / "company.yaml"), "-o", str(out), "--force")
    assert result.exit_code == 1, result.output
    assert f"{out} holds the profile {project / 'company.yaml'}" in result.output
    assert tree(project) == before


def test_force_into_a_folder_of_other_files_is_refused(tmp_path, monkeypatch):
    home = tmp_path / "someone"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("key", encoding="utf-8")
    (home / "Documents").mkdir()
    (home / "Documents" / "report.docx").write_bytes(b"doc")
    before = tree(home)
    monkeypatch.chdir(tmp_path)
    result = build(str(SAMPLE), "-o", str(home), "--force")
    assert result.exit_code == 1, result.output
    assert f"{home} is not a docgen pack (it holds .ssh, Documents), and --force replaces only a pack docgen wrote" in result.output
    assert "choose another -o: a new or empty folder" in result.output
    assert tree(home) == before
    without = build(str(SAMPLE), "-o", str(home))
    assert without.exit_code == 1
    assert "use --force" not in without.output  # --force would not help: do not suggest it
    assert tree(home) == before


def test_the_home_folder_and_its_parents_are_refused(tmp_path, monkeypatch):
    home = tmp_path / "home" / "user"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.chdir(tmp_path)
    for out, said in [(home, "is your home folder"), (home.parent, "is a folder that holds your home folder")]:
        result = build(str(SAMPLE), "-o", str(out), "--force")
        assert result.exit_code == 1, result.output
        assert f"{out} {said}; choose another -o" in result.output


def test_the_root_is_refused():
    # checked without building: a regression must not get to write (or delete) anything there
    root = Path(Path.cwd().anchor)
    with pytest.raises(OutputError, match="is the root of the file system; choose another -o"):
        refuse_unsafe(root)


def test_the_working_folder_is_refused(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = build(str(SAMPLE), "-o", ".", "--force")
    assert result.exit_code == 1
    assert ". is the folder you are working in, or holds it; choose another -o" in result.output


def test_a_templates_folder_inside_out_is_refused(tmp_path):
    out = tmp_path / "out"
    write_pack(out, small_pack(), force=False)
    (out / "my-templates").mkdir()
    result = build(str(SAMPLE), "-o", str(out), "--force", "--templates", str(out / "my-templates"))
    assert result.exit_code == 1
    assert f"{out} holds the templates {out / 'my-templates'}" in result.output


def test_every_pack_carries_the_marker(sample_pack):
    assert (sample_pack / MARKER).read_text(encoding="utf-8") == '{"tool": "docgen", "format": 1}\n'
    assert is_docgen_pack(sample_pack)


def test_a_pack_of_docgen_before_the_marker_is_still_replaced(sample_pack, tmp_path):
    old = tmp_path / "old-pack"
    shutil.copytree(sample_pack, old)
    (old / MARKER).unlink()
    assert is_docgen_pack(old)
    result = build(str(SAMPLE), "-o", str(old), "--force")
    assert result.exit_code == 0, result.output
    assert (old / MARKER).is_file()
    assert digests(old) == digests(sample_pack)


def test_an_unmarked_folder_with_more_than_the_layout_is_not_a_pack(sample_pack, tmp_path):
    old = tmp_path / "old-pack"
    shutil.copytree(sample_pack, old)
    (old / MARKER).unlink()
    (old / "客户合同.docx").write_bytes(b"not docgen's")
    assert not is_docgen_pack(old)
    with pytest.raises(OutputError, match="is not a docgen pack"):
        write_pack(old, small_pack(), force=True)
    assert (old / "客户合同.docx").read_bytes() == b"not docgen's"
    assert not is_docgen_pack(tmp_path)  # nothing of the layout at all
    (tmp_path / "empty").mkdir()
    assert not is_docgen_pack(tmp_path / "empty")  # empty folders are replaced, but are not packs


def test_marked_packs_and_empty_folders_are_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    write_pack(out, small_pack(tag="a"), force=False)  # an empty folder: no --force needed
    (out / "02 程序文件" / "edited by hand.docx").write_bytes(b"x")
    with pytest.raises(OutputError, match="use --force to replace it"):
        write_pack(out, small_pack(tag="b"), force=False)
    write_pack(out, small_pack(tag="b"), force=True)
    assert (out / "02 程序文件" / "X-CX-01 程序1.docx").read_bytes() == b"b1"
    assert not (out / "02 程序文件" / "edited by hand.docx").exists()


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_a_new_pack_folder_has_the_mode_of_a_new_folder(tmp_path, umask_022):
    out = tmp_path / "out"
    write_pack(out, small_pack(), force=False)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "02 程序文件").stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "coverage.json").stat().st_mode) == 0o644


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_an_existing_pack_folder_keeps_its_mode(tmp_path, umask_022):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o750)
    write_pack(out, small_pack(tag="a"), force=False)
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    out.chmod(0o711)
    write_pack(out, small_pack(tag="b"), force=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o711
