"""Document numbers and file names: each selected document numbered per kind in catalog order
from the profile's pattern, and the Windows-safe file name it is written under."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..catalog import Entry
from ..profile import DocumentControl, Profile
from ..vocab import KINDS

_WIN_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_filename(name: str) -> str:
    """A file name Windows accepts: reserved characters become '-', no trailing dot/space, no
    reserved device names, at most 150 characters."""
    name = _BAD_CHARS.sub("-", name).strip().rstrip(". ")
    stem = name.split(".")[0].upper()
    if stem in _WIN_RESERVED:
        name = "_" + name
    return name[:150] or "_"


def document_number(dc: DocumentControl, kind: str, seq: int) -> str:
    """The number of the seq-th document of a kind, from the profile's pattern."""
    return dc.pattern.format(prefix=dc.prefix, kind=KINDS[kind].code, seq=seq, year=dc.issue_date.year)


def document_path(kind: str, number: str, title: str, extension: str) -> str:
    """Where a document goes in the pack: its kind's folder, `{number} {title}{extension}`."""
    return f"{KINDS[kind].folder}/{safe_filename(f'{number} {title}')}{extension}"


@dataclass
class Document:
    """A selected document with its control data."""

    entry: Entry
    number: str
    seq: int
    revisions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def extension(self) -> str:
        return ".xlsx" if self.entry.template.endswith(".xlsx") else ".docx"

    @property
    def relpath(self) -> str:
        return document_path(self.entry.kind, self.number, self.entry.title, self.extension)


def number_documents(entries: list[Entry], profile: Profile) -> list[Document]:
    """Number the selected documents per kind in catalog order, from the profile's pattern."""
    counters: dict[str, int] = {}
    docs = []
    for e in entries:
        counters[e.kind] = counters.get(e.kind, 0) + 1
        seq = counters[e.kind]
        docs.append(Document(e, document_number(profile.document_control, e.kind, seq), seq))
    return docs
