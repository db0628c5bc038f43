"""Recovery after a killed build, in every state of the swap: (a) staging written, OUT untouched;
(b) OUT moved aside, the new pack not yet in; (c) the new pack in, the old one not yet deleted;
(d) the old one half deleted. A half-deleted folder is never restored, leftovers are cleaned."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from docgen.pack.output import MARKER, recover, write_pack

from .output_helpers import beside, digests, small_pack


def legacy_pack(folder: Path, tag: str) -> dict[str, str]:
    """A pack as docgen before the marker wrote it (coverage.json lists its documents)."""
    files = small_pack(4, tag)
    del files["coverage.json"]
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    documents = [{"relpath": rel} for rel in files]
    (folder / "coverage.json").write_text(json.dumps({"documents": documents}), encoding="utf-8")
    return digests(folder)


def pack_at(folder: Path, tag: str) -> dict[str, str]:
    """A pack as this docgen writes it, moved to `folder` (as the swap moves OUT aside)."""
    tmp = folder.parent / f"tmp-{tag}"
    write_pack(tmp, small_pack(4, tag), force=False)
    tmp.rename(folder)
    return digests(folder)


def test_deleted_out_beside_a_half_deleted_old_pack_builds_afresh(tmp_path):
    """The tester's case: a build of docgen before killed while deleting .out.old-*, then the user
    deleted OUT; the next build ended in "OUT exists and is not empty" with neither pack."""
    out = tmp_path / "out"
    old = tmp_path / ".out.old-k3j2h1g0"  # named as tempfile.mkdtemp named it
    legacy_pack(old, "old")
    (old / "02 程序文件" / "X-CX-01 程序1.docx").unlink()  # rmtree killed midway
    write_pack(out, small_pack(4, "new"), force=False)
    assert (out / "02 程序文件" / "X-CX-01 程序1.docx").read_bytes() == b"new1"
    assert beside(out) == []


def test_a_complete_old_pack_of_docgen_before_the_marker_is_restored(tmp_path):
    out = tmp_path / "out"
    before = legacy_pack(tmp_path / ".out.old-k3j2h1g0", "old")
    recover(out)
    assert digests(out) == before
    assert beside(out) == []


def test_state_a_staging_written_out_untouched(tmp_path):
    out = tmp_path / "out"
    before = pack_at(out, "old")
    pack_at(tmp_path / ".out.new-00000000000000000001-1", "new")  # complete, marker and all
    (tmp_path / ".out.new-00000000000000000002-2" / "02 程序文件").mkdir(parents=True)  # half written
    recover(out)
    assert digests(out) == before
    assert beside(out) == []


def test_state_a_without_a_previous_out_leaves_no_out(tmp_path):
    out = tmp_path / "out"
    pack_at(tmp_path / ".out.new-00000000000000000001-1", "new")
    recover(out)
    assert not out.exists()
    assert beside(out) == []


def test_state_b_out_moved_aside_is_put_back(tmp_path):
    out = tmp_path / "out"
    before = pack_at(tmp_path / ".out.old-00000000000000000001-1", "old")
    pack_at(tmp_path / ".out.new-00000000000000000002-1", "new")
    recover(out)
    assert digests(out) == before
    assert beside(out) == []


def test_state_b_with_an_unmarked_previous_pack_is_put_back(tmp_path):
    """An .old this docgen named is a whole folder, even a pack older docgen wrote without the
    marker and with a document the user deleted."""
    out = tmp_path / "out"
    old = tmp_path / ".out.old-00000000000000000001-1"
    legacy_pack(old, "old")
    (old / "02 程序文件" / "X-CX-02 程序2.docx").unlink()
    before = digests(old)
    recover(out)
    assert digests(out) == before


def test_state_b_with_an_empty_previous_folder(tmp_path):
    out = tmp_path / "out"
    (tmp_path / ".out.old-00000000000000000001-1").mkdir()
    recover(out)
    assert out.is_dir() and not any(out.iterdir())
    assert beside(out) == []


def test_state_c_new_pack_in_old_not_deleted(tmp_path):
    out = tmp_path / "out"
    after = pack_at(out, "new")
    pack_at(tmp_path / ".out.old-00000000000000000001-1", "old")
    recover(out)
    assert digests(out) == after
    assert beside(out) == []


def test_state_d_a_half_deleted_old_pack_is_never_restored(tmp_path):
    out = tmp_path / "out"
    after = pack_at(out, "new")
    half = tmp_path / ".out.del-00000000000000000001-1"
    pack_at(half, "old")
    shutil.rmtree(half / "02 程序文件")
    recover(out)
    assert digests(out) == after
    assert beside(out) == []
    # and when the user deleted OUT as well: nothing is restored, the next build writes afresh
    pack_at(half, "old")
    (half / MARKER).unlink()
    shutil.rmtree(out)
    recover(out)
    assert not out.exists()
    assert beside(out) == []


def test_an_empty_out_made_by_the_user_in_state_b_gets_the_previous_pack(tmp_path):
    out = tmp_path / "out"
    before = pack_at(tmp_path / ".out.old-00000000000000000001-1", "old")
    out.mkdir()
    recover(out)
    assert digests(out) == before


def test_a_folder_of_other_files_moved_aside_by_older_docgen_is_not_deleted(tmp_path):
    out = tmp_path / "out"
    pack_at(out, "new")
    foreign = tmp_path / ".out.old-k3j2h1g0"
    (foreign / "Documents").mkdir(parents=True)
    (foreign / "Documents" / "mine.txt").write_text("mine", encoding="utf-8")
    recover(out)
    assert (foreign / "Documents" / "mine.txt").read_text(encoding="utf-8") == "mine"
    shutil.rmtree(out)
    recover(out)  # OUT missing: the user's folder goes back where it was
    assert (out / "Documents" / "mine.txt").read_text(encoding="utf-8") == "mine"
