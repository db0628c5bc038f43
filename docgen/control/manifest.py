"""The pack's manifest (manifest.json): each document's id, number, title, kind, path, owner,
status, control state, the hash of its normalised content and of its file as written, and the
profile and template hashes the pack was built from — the pack's memory between builds."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..coverage.read import read_document
from ..errors import DocgenError, Problem
from .state import ControlState

MANIFEST = "manifest.json"
TEXTS = ".docgen/text"  # what docgen wrote, as text, one file per document (for diffs of hand edits)
FORMAT = 1
ARCHIVE = "作废文件"  # documents no longer in the pack, kept and marked obsolete


class ManifestError(DocgenError):
    """Raised when a pack's manifest is missing, corrupt or from a newer docgen."""

    title = "manifest error"


@dataclass
class Record:
    """One document (or generated list) of the pack as the manifest holds it."""

    id: str
    number: str
    title: str
    kind: str
    path: str
    owner: str
    status: str  # 受控 (in force), 作废 (obsolete, in the archive), 按实际 (adopted as edited by hand)
    state: ControlState | None
    content_hash: str
    file_hash: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "title": self.title, "kind": self.kind, "path": self.path,
                "owner": self.owner, "status": self.status, "state": self.state.to_json() if self.state else None,
                "content_hash": self.content_hash, "file_hash": self.file_hash}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Record:
        return cls(d["id"], d["number"], d["title"], d["kind"], d["path"], d["owner"], d["status"],
                   ControlState.from_json(d["state"]) if d.get("state") else None, d["content_hash"], d["file_hash"])


@dataclass
class Manifest:
    """Everything a rebuild needs to know of the pack it replaces."""

    docgen_version: str
    profile_hash: str
    templates_hash: str
    edition: str
    records: list[Record] = field(default_factory=list)

    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}

    def to_text(self) -> str:
        data = {"format": FORMAT, "tool": "docgen", "docgen_version": self.docgen_version,
                "profile_hash": self.profile_hash, "templates_hash": self.templates_hash, "edition": self.edition,
                "documents": [r.to_json() for r in self.records]}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_lines(relpath: str, data: bytes) -> list[str]:
    """A document's text, one paragraph, cell or dropdown a line, each with its section."""
    text = read_document(relpath, data)
    if text.error:
        return [f"! {text.error}"]
    lines = [f"{b.heading}\t{b.text}".replace("\n", " ↵ ") for b in text.blocks]  # one line each, whatever it holds
    lines += [f"[选项 {where}]\t{'、'.join(items)}" for where, items in text.choices]
    return lines


def content_hash(relpath: str, data: bytes) -> str:
    """The hash of what a document says (its text, tables and dropdowns), not of its zip bytes:
    a re-save or new timestamps without change keep it."""
    return sha("\n".join(text_lines(relpath, data)).encode("utf-8"))


def read_manifest(pack: Path) -> Manifest | None:
    """The manifest of an existing pack; None when the folder holds no pack yet; ManifestError
    when it is corrupt or from a newer docgen."""
    path = pack / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("tool") != "docgen":
            raise ValueError("not a docgen manifest")
        if int(data.get("format", 0)) > FORMAT:
            raise ManifestError([Problem(
                f"written by a newer docgen ({data.get('docgen_version')}, manifest format {data['format']}); "
                "update docgen (pip install -U docgen) before rebuilding this pack", file=str(path))])
        return Manifest(data["docgen_version"], data["profile_hash"], data["templates_hash"], data["edition"],
                        [Record.from_json(r) for r in data["documents"]])
    except ManifestError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise ManifestError([Problem(
            f"the manifest cannot be read ({type(exc).__name__}: {exc}); restore it from a backup, or build into a "
            "new folder (the documents of this pack stay as they are)", file=str(path))]) from None
