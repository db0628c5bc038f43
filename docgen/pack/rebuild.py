"""Rebuilding an existing pack: per document, unchanged (the file stays byte for byte), revised
(next revision, the new date, a history line), new, archived (moved to 作废文件 and kept), or edited
by hand since it was written (never overwritten silently)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ..context import PackContext
from ..control import Document, signatories_of
from ..control.manifest import ARCHIVE, TEXTS, Manifest, Record, content_hash, sha, text_lines
from ..control.state import ControlState
from ..control.textdiff import sections_text, short_diff
from ..errors import DocgenError, Problem

Action = Literal["new", "revised", "unchanged", "archived", "edited", "kept", "adopted"]
Policy = Literal["refuse", "keep", "force", "report"]  # report: as keep, for `docgen status`
BACKUPS = f"{ARCHIVE}/替换前备份"  # what --force replaced, copied aside by date


class EditedError(DocgenError):
    """Raised when a rebuild would overwrite files edited by hand since docgen wrote them."""

    title = "edited by hand"


@dataclass
class Change:
    """What a rebuild does (or would do) to one document."""

    action: Action
    number: str
    title: str
    path: str
    sections: str = ""
    diff: list[str] = field(default_factory=list)

    def line(self) -> str:
        mark = {"new": "+", "revised": "~", "unchanged": "=", "archived": "-", "edited": "!", "kept": "!",
                "adopted": "*"}[self.action]
        label = {"new": "new", "revised": "revised", "unchanged": "unchanged", "archived": "archived (作废)",
                 "edited": "edited by hand", "kept": "kept as edited by hand", "adopted": "adopted (按实际)"}[self.action]
        extra = f": {self.sections}" if self.sections else ""
        return f"{mark} {self.number} {self.title} — {label}{extra}"


@dataclass
class Disk:
    """The pack folder as it is now: its manifest and a way to read its files."""

    root: Path
    manifest: Manifest | None

    def read(self, rel: str) -> bytes | None:
        try:
            return (self.root / rel).read_bytes()
        except OSError:
            return None

    def pristine(self, doc_id: str) -> list[str]:
        data = self.read(f"{TEXTS}/{doc_id}.txt")
        return data.decode("utf-8").split("\n") if data else []

    def backup_all(self, date: dt.date) -> dict[str, bytes]:
        """Every document of a pack without a manifest (an earlier docgen's), to keep aside before --force."""
        out = {}
        if self.root.is_dir():
            for p in sorted(self.root.rglob("*")):
                rel = p.relative_to(self.root).as_posix()
                if p.is_file() and p.suffix in {".docx", ".xlsx"} and not rel.startswith((ARCHIVE, ".")):
                    out[f"{BACKUPS}/{date.isoformat()}/{rel}"] = p.read_bytes()
        return out


@dataclass
class Outcome:
    """The documents' bytes, their manifest records, the changes, and files to keep aside."""

    files: dict[str, bytes]
    records: list[Record]
    changes: list[Change]
    edition: str  # the pack's edition after this build


def _record(doc: Document, context: PackContext, data: bytes, state: ControlState, status: str = "受控") -> Record:
    return Record(doc.entry.id, doc.number, doc.entry.title, doc.entry.kind, doc.relpath,
                  context.owner_name(doc.entry.owner), status, state, content_hash(doc.relpath, data), sha(data))


def plan_documents(
    context: PackContext,
    render: Callable[[list[Document]], dict[str, bytes]],
    disk: Disk,
    date: dt.date,
    note: str,
    policy: Policy,
    edition: str | None = None,
) -> Outcome:
    """Decide and render every document against the pack on disk; with `edition`, start that new
    edition for every document (`docgen release`)."""
    previous = disk.manifest.by_id() if disk.manifest else {}
    pattern = context.profile.document_control.version_pattern
    current_edition = edition or (disk.manifest.edition if disk.manifest else context.profile.document_control.edition)
    later = current_edition if current_edition != context.profile.document_control.edition else None
    for doc in context.documents:  # render with the state each document has now
        prev = previous.get(doc.entry.id)
        doc.state = prev.state if prev and prev.status != "作废" else None
    first = render(context.documents)
    files: dict[str, bytes] = {}
    records: list[Record] = []
    changes: list[Change] = []
    edited: list[Change] = []
    revise: list[Document] = []
    for doc in context.documents:
        data = first[doc.relpath]
        prev = previous.get(doc.entry.id)
        if prev is None or prev.status == "作废":
            files[doc.relpath] = data
            if later is not None:  # a document new to a pack already in a later edition starts in it
                doc.state = _first(context, doc, later)
                revise.append(doc)
            else:
                records.append(_record(doc, context, data, _first(context, doc)))
            changes.append(Change("new", doc.number, doc.entry.title, doc.relpath))
            continue
        on_disk = disk.read(prev.path)
        hand = on_disk is not None and sha(on_disk) != prev.file_hash
        new_text = text_lines(doc.relpath, data)
        if prev.status == "按实际" and on_disk is not None:  # adopted: kept; say what it no longer follows
            files[prev.path] = on_disk
            records.append(prev)
            follows = short_diff(text_lines(prev.path, on_disk), new_text)
            changes.append(Change("adopted", prev.number, prev.title, prev.path,
                                  "no longer follows the profile" if follows else "", follows))
            continue
        changed = content_hash(doc.relpath, data) != prev.content_hash or doc.relpath != prev.path
        if hand:
            what = Change("edited", prev.number, prev.title, prev.path,
                          sections_text(disk.pristine(prev.id), text_lines(prev.path, on_disk or b"")),
                          short_diff(disk.pristine(prev.id), text_lines(prev.path, on_disk or b"")))
            if policy == "refuse":
                edited.append(what)
                continue
            if policy in {"keep", "report"}:
                files[prev.path] = on_disk or b""
                records.append(prev)
                if policy == "report":
                    changes.append(what)
                    continue
                would = short_diff(disk.pristine(prev.id), new_text) if changed else []
                changes.append(Change("kept", prev.number, prev.title, prev.path,
                                      "the profile would change it" if would else "", would))
                continue
            files[f"{BACKUPS}/{date.isoformat()}/{prev.path}"] = on_disk or b""  # --force: copied aside first
        if edition is not None:
            by, _, approved = signatories_of(context.profile, doc)
            assert prev.state is not None
            doc.state = prev.state.new_edition(edition, date, note, by, approved, pattern)
            revise.append(doc)
            changes.append(Change("revised", doc.number, doc.entry.title, doc.relpath, f"换版 {doc.state.version(pattern)}"))
            continue
        if not changed and not hand and on_disk is not None:
            files[doc.relpath] = on_disk  # byte for byte as before
            records.append(prev)
            changes.append(Change("unchanged", doc.number, doc.entry.title, doc.relpath))
            continue
        if not changed:  # forced over an unchanged document, or its file was missing: write it again
            files[doc.relpath] = data
            records.append(_record(doc, context, data, prev.state or _first(context, doc)))
            changes.append(Change("revised" if hand else "unchanged", doc.number, doc.entry.title, doc.relpath))
            continue
        by, _, approved = signatories_of(context.profile, doc)
        sections = sections_text(disk.pristine(prev.id), new_text)
        assert prev.state is not None
        doc.state = prev.state.revised(date, sections, note, by, approved, pattern)
        revise.append(doc)
        changes.append(Change("revised", doc.number, doc.entry.title, doc.relpath, sections,
                              short_diff(disk.pristine(prev.id), new_text)))
    if edited:
        raise EditedError([Problem(_edited_message(c)) for c in edited] + [Problem(
            "nothing was written; keep those files with --keep-edited, take them as the new version with "
            "`docgen adopt PACK FILE…`, or replace them with --force (a copy of each goes to "
            f"{BACKUPS}/{date.isoformat()}/ first)")])
    second = render(revise) if revise else {}
    for doc in revise:
        files[doc.relpath] = second[doc.relpath]
        assert doc.state is not None
        records.append(_record(doc, context, second[doc.relpath], doc.state))
    current = {d.entry.id for d in context.documents}
    for prev in previous.values():
        if prev.id in current or prev.kind == "generated":
            continue
        on_disk = disk.read(prev.path)
        if prev.status == "作废":
            if on_disk is not None:
                files[prev.path] = on_disk
            records.append(prev)
            continue
        target = f"{ARCHIVE}/{Path(prev.path).name}"
        if on_disk is not None:
            files[target] = on_disk
        records.append(replace(prev, status="作废", path=target))
        changes.append(Change("archived", prev.number, prev.title, target))
    order = {d.entry.id: i for i, d in enumerate(context.documents)}
    records.sort(key=lambda r: (r.status == "作废", order.get(r.id, 10**6), r.id))
    return Outcome(files, records, changes, current_edition)


def _first(context: PackContext, doc: Document, edition: str | None = None) -> ControlState:
    from ..control.state import first_state

    by, _, approved = signatories_of(context.profile, doc)
    state = first_state(context.profile, by, approved)
    if edition is None:
        return state
    return ControlState(edition, 0, date_of(state), date_of(state), state.history)


def date_of(state: ControlState) -> dt.date:
    return state.issue_date


def _edited_message(c: Change) -> str:
    diff = "".join(f"\n      {line}" for line in c.diff)
    return f"{c.path}: edited since docgen wrote it (sections: {c.sections or '格式或重新保存'}){diff}"
