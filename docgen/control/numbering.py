"""Document numbers and file names: each selected document numbered per kind in catalog order
from the profile's pattern, and the Windows-safe file name it is written under."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..catalog import Entry
from ..errors import Problem, ProfileError
from ..profile import DocumentControl, Profile
from ..vocab import KINDS
from .state import ControlState

_WIN_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


NAME_LIMIT = 150  # characters of a file name, extension included
NAME_BYTES = 255  # bytes of a file name in UTF-8 (Linux and macOS file systems)
MIN_TITLE = 6  # characters of title a number must leave room for (条款覆盖矩阵, the coverage workbook)


def safe_filename(name: str, limit: int = NAME_LIMIT) -> str:
    """A file name Windows accepts: reserved characters become '-', no trailing dot/space, no
    reserved device names, at most `limit` characters."""
    name = _BAD_CHARS.sub("-", name).strip().rstrip(". ")
    stem = name.split(".")[0].upper()
    if stem in _WIN_RESERVED:
        name = "_" + name
    return name[:limit].rstrip(". ") or "_"


def _fits(name: str) -> bool:
    return len(name) <= NAME_LIMIT and len(name.encode("utf-8")) <= NAME_BYTES


def document_file_name(number: str, title: str, extension: str) -> str:
    """`{number} {title}{extension}` made safe and within NAME_LIMIT characters (NAME_BYTES bytes):
    the title is shortened, never the number or the extension; ValueError when the number leaves
    less than MIN_TITLE characters for the title."""
    number_part = safe_filename(number, limit=10**6)
    if not _fits(f"{number_part} {'题' * MIN_TITLE}{extension}"):
        raise ValueError(number)
    name = safe_filename(f"{number} {title}", limit=10**6)
    while not _fits(name + extension):
        name = name[:-1]
    return name.rstrip(". ") + extension


def document_number(dc: DocumentControl, kind: str, seq: int) -> str:
    """The number of the seq-th document of a kind, from the profile's pattern."""
    return dc.pattern.format(prefix=dc.prefix, kind=KINDS[kind].code, seq=seq, year=dc.issue_date.year)


def document_path(kind: str, number: str, title: str, extension: str) -> str:
    """Where a document goes in the pack: its kind's folder, `{number} {title}{extension}`."""
    folder = KINDS[kind].folder
    try:
        return f"{folder}/{document_file_name(number, title, extension)}"
    except ValueError:  # refused by check_file_names when numbering; here just a name
        return f"{folder}/{safe_filename(number, NAME_LIMIT - len(extension))}{extension}"


@dataclass
class Document:
    """A selected document with its control data."""

    entry: Entry
    number: str
    seq: int
    state: ControlState | None = None  # from the pack's manifest; None: built for the first time

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
    check_file_names(docs, profile)
    return docs


def check_file_names(docs: list[Document], profile: Profile) -> None:
    """Every document gets a file of its own: its number fits in a file name, and no two relative
    paths are the same compared as Windows and macOS do (ignoring case and Unicode normalisation)."""
    dc = profile.document_control
    problems = []
    seen: dict[str, Document] = {}
    for doc in docs:
        try:
            document_file_name(doc.number, doc.entry.title, doc.extension)
        except ValueError:
            short = dc.pattern.format(prefix="X", kind=KINDS[doc.entry.kind].code, seq=doc.seq, year=dc.issue_date.year)
            key = "document_control.prefix" if len(short) < len(doc.number) - 20 else "document_control.pattern"
            problems.append(Problem(
                f"the document number {doc.number!r} ({len(doc.number)} characters) leaves no room for the title "
                f"in a file name of at most {NAME_LIMIT} characters ({NAME_BYTES} bytes) that keeps {MIN_TITLE} "
                f"characters of the title; shorten it",
                key=key,
            ))
            break
        path = unicodedata.normalize("NFC", doc.relpath).casefold()
        other = seen.setdefault(path, doc)
        if other is not doc:
            same_number = other.number.casefold() == doc.number.casefold()
            problems.append(Problem(
                f"{other.number} {other.entry.title} ({other.entry.id}) and {doc.number} {doc.entry.title} "
                f"({doc.entry.id}) would both be written as {doc.relpath!r} (names compared ignoring case, as on "
                + ("Windows); give every document its own number with {seq} in the pattern" if same_number else
                   "Windows); shorten document_control.prefix so that the titles are not cut"),
                key="document_control.pattern" if same_number else "document_control.prefix",
            ))
    if problems:
        raise ProfileError(problems)
