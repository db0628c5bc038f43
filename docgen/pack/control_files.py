"""The files document control adds to a pack: the coverage workbook and record, the four lists
made from the manifest, each document's text as written, and the manifest itself — each kept
byte for byte when its content did not change, so a new --date alone changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from .. import __version__
from ..context import PackContext
from ..control import document_number, document_path
from ..control.lists import LISTS, list_workbooks
from ..control.manifest import MANIFEST, TEXTS, Manifest, Record, content_hash, read_manifest, sha, text_lines
from ..coverage import Coverage, files_for_pack
from ..facts import resolve_facts
from ..kit.build import kit_files
from ..profile import Profile
from .output import is_docgen_pack
from .rebuild import Disk, Outcome

GENERATED = "generated"  # the kind of the records of files docgen makes from the others


def previous_pack(target: Path) -> Disk:
    """The pack on disk (its manifest, when it is a docgen pack that has one)."""
    return Disk(target, read_manifest(target) if target.is_dir() and is_docgen_pack(target) else None)


def _comparable(rel: str, data: bytes) -> str:
    """What a generated file says: documents by their text; a calendar without its DTSTAMP lines
    (the moment it was written, not what it says)."""
    if rel.endswith((".docx", ".xlsx")):
        return content_hash(rel, data)
    if rel.endswith(".ics"):
        return sha(b"\n".join(line for line in data.splitlines() if not line.startswith(b"DTSTAMP")))
    return sha(data)


def _keep_unchanged(rel: str, data: bytes, disk: Disk, previous: dict[str, Record]) -> bytes:
    """The bytes on disk when they say the same as `data` and were not touched since; else `data`."""
    prev = previous.get(f"{GENERATED}:{rel}")
    if prev is None or prev.path != rel:
        return data
    on_disk = disk.read(rel)
    if on_disk is not None and sha(on_disk) == prev.file_hash and prev.content_hash == _comparable(rel, data):
        return on_disk
    return data


def _hash_of_templates(context: PackContext) -> str:
    digest = hashlib.sha256()
    for entry in sorted(context.entries, key=lambda e: e.id):
        digest.update(f"{entry.id}={entry.template};".encode())
    return digest.hexdigest()


def control_files(profile: Profile, context: PackContext, outcome: Outcome, coverage: Coverage, disk: Disk,
                  when: dt.datetime) -> dict[str, bytes]:
    """Coverage workbook and JSON, the lists, the texts and the manifest, for the pack on disk."""
    previous = disk.manifest.by_id() if disk.manifest else {}
    files: dict[str, bytes] = {}
    generated = dict(files_for_pack(coverage, when))
    dc = profile.document_control
    seq = sum(1 for d in context.documents if d.entry.kind == "project") + 2  # after the coverage workbook
    numbers = [document_number(dc, "project", seq + i) for i in range(len(LISTS))]
    for number, title, data in list_workbooks(profile, outcome.records, resolve_facts(profile), numbers, when):
        generated[document_path("project", number, title, ".xlsx")] = data
    generated.update(kit_files(profile, context, coverage, when))  # the certification project kit (docgen.kit)
    records = list(outcome.records)
    for rel, data in generated.items():
        kept = _keep_unchanged(rel, data, disk, previous)
        files[rel] = kept
        records.append(Record(f"{GENERATED}:{rel}", "", Path(rel).stem, GENERATED, rel, "", "受控", None,
                              _comparable(rel, kept), sha(kept)))
    for record in outcome.records:
        if record.status != "作废" and record.path in outcome.files:
            files[f"{TEXTS}/{record.id}.txt"] = "\n".join(text_lines(record.path, outcome.files[record.path])).encode("utf-8")
    manifest = Manifest(__version__, _profile_hash(profile), _hash_of_templates(context), outcome.edition, records)
    files[MANIFEST] = manifest.to_text().encode("utf-8")
    return files


def _profile_hash(profile: Profile) -> str:
    return sha(profile.model_dump_json().encode("utf-8"))
