"""Document control across rebuilds: unchanged documents stay byte for byte, changed ones get the
next revision with a history line, dropped ones are archived, hand edits are never lost, and
status and diff say what would change."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import signal
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.control.manifest import MANIFEST, ManifestError
from docgen.pack import build_pack
from docgen.pack.rebuild import EditedError

from .conftest import ROOT, docx_text, soffice
from .output_helpers import start_build, wait_for_pause

SAMPLE = ROOT / "samples" / "company.yaml"
DAY1, DAY2 = dt.date(2026, 9, 1), dt.date(2026, 10, 8)


def _hashes(pack: Path) -> dict[str, str]:
    return {p.relative_to(pack).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(pack.rglob("*")) if p.is_file()}


def _profile(tmp_path: Path, old: str = "", new: str = "") -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    if old:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "company.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(profile: Path, pack: Path, date: dt.date = DAY1, **kw):
    return build_pack(profile, pack, date=date, **kw)


def _master(pack: Path) -> dict[str, tuple]:
    path = next(pack.rglob("*受控文件清单.xlsx"))
    rows = list(openpyxl.load_workbook(path).active.iter_rows(min_row=5, values_only=True))
    return {r[1]: r for r in rows if r[1]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("control")
    pack = base / "pack"
    _build(_profile(base), pack)
    return pack


def _copy(built: Path, tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(built, pack)
    return pack


def test_a_rebuild_with_a_new_date_alone_changes_nothing_anywhere(built, tmp_path):
    pack = _copy(built, tmp_path)
    before = _hashes(pack)
    result = _build(_profile(tmp_path), pack, DAY2)
    assert _hashes(pack) == before  # documents, coverage workbook, lists, texts and manifest
    assert {c.action for c in result.changes} == {"unchanged"}


def test_changing_the_hotline_revises_exactly_the_documents_that_state_it(built, tmp_path):
    pack = _copy(built, tmp_path)
    controlled = [p for p in pack.rglob("*") if p.relative_to(pack).parts[0][:2] in {"01", "02", "03", "04"}]
    stating = {p.name for p in controlled if p.suffix == ".docx" and "400-826-6600" in docx_text(p)}
    stating |= {p.name for p in controlled if p.suffix == ".xlsx"
                and any("400-826-6600" in str(c.value) for ws in openpyxl.load_workbook(p).worksheets
                        for row in ws.iter_rows() for c in row if c.value)}
    before = _hashes(pack)
    result = _build(_profile(tmp_path, "hotline: 400-826-6600", "hotline: 400-826-6699"), pack, DAY2, note="服务热线号码变更")
    revised = {Path(c.path).name for c in result.changed("revised")}
    assert revised == stating and len(revised) > 10
    after = _hashes(pack)
    for rel, digest in before.items():  # every other document is byte for byte as it was
        if rel.endswith((".docx", ".xlsx")) and Path(rel).name not in revised and rel.startswith("0") and "05 " not in rel:
            assert after[rel] == digest, rel
    manual = next(p for p in pack.rglob("*售后服务手册.docx"))
    d = docx.Document(str(manual))
    history = [[c.text for c in r.cells] for r in d.tables[1].rows]
    assert history[-1][1] == "A/1" and "服务热线号码变更" in history[-1][3] and "2026年10月8日" in history[-1][-1]
    control = {r.cells[i].text: r.cells[i + 1].text for r in d.tables[0].rows for i in (0, 2)}
    assert control["版本/修订"] == "A/1" and control["日\u3000\u3000期"] == "2026年10月8日"
    master = _master(pack)
    assert master["YH-SC-01"][4] == "A/1" and master["YH-SC-01"][5].date() == DAY2
    assert master["YH-CX-02"][4] == "A/0"  # record control does not state the hotline


def test_a_service_no_longer_offered_moves_its_documents_to_the_archive(built, tmp_path):
    pack = _copy(built, tmp_path)
    profile = _profile(tmp_path, "  recycling:\n    offered: true", "  recycling:\n    offered: false")
    result = _build(profile, pack, DAY2)
    archived = result.changed("archived")
    assert {c.title for c in archived} >= {"废弃商品回收管理程序"}
    for c in archived:
        assert (pack / c.path).is_file() and c.path.startswith("作废文件/")
        assert c.number in _master(pack) and _master(pack)[c.number][8] == "作废"
    assert not list((pack / "02 程序文件").glob("*废弃商品回收管理程序*"))


def test_adding_an_outlet_revises_the_documents_that_list_outlets_and_nothing_else(built, tmp_path):
    pack = _copy(built, tmp_path)
    # an entrusted outlet: the on-site areas (the own outlets' cities) and the published promise stay as they are
    outlet = ("  - {name: 嘉兴恒安服务站, kind: entrusted, partner: 江苏恒安家电服务有限公司, city: 嘉兴, "
              "address: 嘉兴市南湖区中山东路 88 号, phone: 0573-82012345, staff: 5}\n")
    text = SAMPLE.read_text(encoding="utf-8").replace("\ndepartments:\n", f"{outlet}\ndepartments:\n", 1)
    profile = tmp_path / "company.yaml"
    profile.write_text(text, encoding="utf-8")
    result = _build(profile, pack, DAY2)
    assert result.changed("revised")
    for c in result.changed("revised"):  # each names the new outlet, its city, or the new outlet count or staff total
        added = " ".join(line for line in c.diff if line.startswith("+"))
        assert any(w in added for w in ("嘉兴", "6个服务网点", "6 个", "3 个委托", "3个委托", "45人", "45 人", "15人", "15 人")), (c.path, c.diff[:4])
    for c in result.changed("unchanged"):
        assert "嘉兴" not in (docx_text(pack / c.path) if c.path.endswith(".docx") else "")
    assert not result.changed("new", "archived")


def _edit(pack: Path) -> Path:
    path = next(pack.rglob("*顾客投诉处理程序.docx"))
    d = docx.Document(str(path))
    d.paragraphs[-1].add_run("（审核组意见：增加投诉分析会议。）")
    d.save(str(path))
    return path


def test_a_file_edited_by_hand_stops_the_rebuild_and_is_named(built, tmp_path):
    pack = _copy(built, tmp_path)
    path = _edit(pack)
    before = _hashes(pack)
    with pytest.raises(EditedError) as err:
        _build(_profile(tmp_path, "hotline: 400-826-6600", "hotline: 400-826-6699"), pack, DAY2)
    text = str(err.value)
    assert path.relative_to(pack).as_posix() in text and "审核组意见：增加投诉分析会议" in text
    assert "--keep-edited" in text and "docgen adopt" in text and "--force" in text
    assert _hashes(pack) == before  # nothing written


def test_keep_edited_leaves_the_file_and_says_what_the_profile_would_change(built, tmp_path):
    pack = _copy(built, tmp_path)
    path = _edit(pack)
    edited = path.read_bytes()
    result = _build(_profile(tmp_path, "hotline: 400-826-6600", "hotline: 400-826-6699"), pack, DAY2, keep_edited=True)
    assert path.read_bytes() == edited
    kept = result.changed("kept")
    assert [c.title for c in kept] == ["顾客投诉处理程序"] and any("400-826-6699" in line for line in kept[0].diff)


def test_force_copies_the_edited_file_aside_first(built, tmp_path):
    pack = _copy(built, tmp_path)
    path = _edit(pack)
    edited = path.read_bytes()
    _build(_profile(tmp_path), pack, DAY2, force=True)
    backup = pack / "作废文件" / "替换前备份" / DAY2.isoformat() / path.relative_to(pack)
    assert backup.read_bytes() == edited
    assert "审核组意见" not in docx_text(path)


def test_adopt_makes_the_edited_file_the_next_revision_and_rebuilds_keep_it(built, tmp_path):
    pack = _copy(built, tmp_path)
    path = _edit(pack)
    result = CliRunner().invoke(main, ["adopt", str(pack), str(path), "--note", "审核组意见", "--date", "2026-10-08"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "adopted YH-CX-23 顾客投诉处理程序 as A/1 (按实际修订)"
    record = next(r for r in json.loads((pack / MANIFEST).read_text(encoding="utf-8"))["documents"] if r["number"] == "YH-CX-23")
    assert record["status"] == "按实际" and record["state"]["history"][-1]["summary"] == "按实际修订：审核组意见"
    d = docx.Document(str(path))  # the file says so too: its cover and its revision history
    assert "A/1" in [c.text for c in d.tables[0].rows[0].cells]
    assert [c.text for c in d.tables[1].rows[-1].cells][1:4] == ["A/1", "按实际", "按实际修订：审核组意见"]
    assert "审核组意见：增加投诉分析会议" in docx_text(path)  # the hand edit itself is kept
    edited = path.read_bytes()
    later = _build(_profile(tmp_path, "hotline: 400-826-6600", "hotline: 400-826-6699"), pack, DAY2)
    assert path.read_bytes() == edited
    adopted = later.changed("adopted")
    assert adopted and adopted[0].sections == "no longer follows the profile"


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_a_file_opened_and_saved_in_libreoffice_counts_as_edited(built, tmp_path):
    pack = _copy(built, tmp_path)
    path = next(pack.rglob("*顾客投诉处理程序.docx"))
    out = tmp_path / "lo"
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    shutil.copyfile(out / path.name, path)
    with pytest.raises(EditedError, match="顾客投诉处理程序"):
        _build(_profile(tmp_path), pack, DAY2)


def test_a_killed_rebuild_leaves_pack_and_manifest_as_they_were(built, tmp_path):
    pack = _copy(built, tmp_path)
    before = _hashes(pack)
    proc = start_build(pack, "--date", "2026-10-08", "--allow-inconsistent", pause="write:5",
                       profile=_profile(tmp_path, "hotline: 400-826-6600", "hotline: 400-826-6699"))
    wait_for_pause(proc, "write")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _hashes(pack) == before


def test_status_and_diff_say_what_would_change_line_by_line(built, tmp_path):
    pack = _copy(built, tmp_path)
    runner = CliRunner()
    same = runner.invoke(main, ["status", str(_profile(tmp_path)), str(pack)])
    assert same.exit_code == 0 and same.output == f"{pack}: up to date (a rebuild would change nothing)\n"
    changed = _profile(tmp_path, "hotline: 400-826-6600", "hotline: 400-826-6699")
    result = runner.invoke(main, ["status", str(changed), str(pack)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("~ YH-SC-01 售后服务手册 — revised: ")
    assert lines[1:3] == ["    -400-826-6600", "    +400-826-6699"]
    assert all(line.startswith(("~ ", "    ")) for line in lines)
    assert _hashes(pack) == _hashes(built)  # status writes nothing
    other = tmp_path / "other"
    _build(changed, other, DAY2)
    diff = runner.invoke(main, ["diff", str(pack), str(other)])
    assert diff.exit_code == 1
    out = diff.output.splitlines()
    assert out[0] == "~ YH-SC-01 售后服务手册" and "    -400-826-6600" in out and "    +400-826-6699" in out


def test_release_starts_a_new_edition_keeping_every_history(built, tmp_path):
    pack = _copy(built, tmp_path)
    result = CliRunner().invoke(main, ["release", str(_profile(tmp_path)), str(pack), "--date", "2027-01-05", "--note", "2027年换版"])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(next(pack.rglob("*售后服务手册.docx"))))
    history = [[c.text for c in r.cells][1:4] for r in d.tables[1].rows][1:]
    assert history == [["A/0", "全文", "首次发布"], ["B/0", "全文", "换版：2027年换版"]]
    assert json.loads((pack / MANIFEST).read_text(encoding="utf-8"))["edition"] == "B"


def test_a_corrupt_or_newer_manifest_is_a_clear_error(built, tmp_path):
    pack = _copy(built, tmp_path)
    (pack / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(ManifestError, match="cannot be read.*restore it from a backup"):
        _build(_profile(tmp_path), pack, DAY2)
    (pack / MANIFEST).write_text(json.dumps({"tool": "docgen", "format": 99, "docgen_version": "9.0"}), encoding="utf-8")
    with pytest.raises(ManifestError, match="newer docgen"):
        _build(_profile(tmp_path), pack, DAY2)
