"""Document control: numbers, versions, approvals and revision history of each document,
and the safe file name it is written under."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import jinja2

from .catalog import KIND_CODES, KIND_FOLDERS, Entry
from .context import KIND_CN, DocRef
from .errors import Problem, ProfileError
from .profile import Profile

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
        folder = KIND_FOLDERS[self.entry.kind]
        try:
            return f"{folder}/{document_file_name(self.number, self.entry.title, self.extension)}"
        except ValueError:  # refused by check_file_names when numbering; here just a name
            return f"{folder}/{safe_filename(self.number, NAME_LIMIT - len(self.extension))}{self.extension}"

    def ref(self, owner: str = "") -> DocRef:
        return DocRef(id=self.entry.id, number=self.number, title=self.entry.title, kind=self.entry.kind, owner=owner)


def number_documents(entries: list[Entry], profile: Profile) -> list[Document]:
    """Number the selected documents per kind in catalog order, from the profile's pattern."""
    dc = profile.document_control
    counters: dict[str, int] = {}
    docs = []
    for e in entries:
        counters[e.kind] = counters.get(e.kind, 0) + 1
        seq = counters[e.kind]
        number = dc.pattern.format(prefix=dc.prefix, kind=KIND_CODES[e.kind], seq=seq, year=dc.issue_date.year)
        docs.append(Document(e, number, seq))
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
            short = dc.pattern.format(prefix="X", kind=KIND_CODES[doc.entry.kind], seq=doc.seq, year=dc.issue_date.year)
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


def doc_context(doc: Document, profile: Profile, owner: str) -> dict[str, Any]:
    """What `doc` means inside a template: number, title, version, approvals, dates, history."""
    dc = profile.document_control
    version = f"{dc.edition}/{dc.revision}"
    revisions = doc.revisions or [
        {
            "version": version,
            "section": "全文",
            "summary": "首次发布" if dc.revision == 0 else f"第{dc.revision}次修订",
            "by": dc.prepared_by,
            "approved_by": dc.approved_by,
            "date": dc.issue_date,
        }
    ]
    return {
        "id": doc.entry.id,
        "number": doc.number,
        "title": doc.entry.title,
        "kind": doc.entry.kind,
        "kind_cn": KIND_CN[doc.entry.kind],
        "edition": dc.edition,
        "revision": dc.revision,
        "version": version,
        "control_status": "受控",
        "owner": owner,
        "prepared_by": dc.prepared_by,
        "reviewed_by": dc.reviewed_by,
        "approved_by": dc.approved_by,
        "prepared_date": dc.issue_date,
        "reviewed_date": dc.issue_date,
        "approved_date": dc.issue_date,
        "issue_date": dc.issue_date,
        "effective_date": dc.effective_date,
        "retention_years": dc.retention_years,
        "clauses": list(doc.entry.clauses),
        "revisions": revisions,
    }


class Registry:
    """The documents of one pack, as templates reach them: ref('id'), has('id'), docs_of('kind')."""

    def __init__(self, docs: list[Document], all_ids: set[str], owner_name: Any = None) -> None:
        self._by_id = {d.entry.id: d for d in docs}
        self._docs = docs
        self._all_ids = all_ids
        self._owner_name = owner_name or (lambda function: "")

    def ref(self, doc_id: str) -> DocRef:
        doc = self._by_id.get(doc_id)
        if doc is None:
            if doc_id in self._all_ids:
                raise jinja2.TemplateRuntimeError(
                    f"ref({doc_id!r}): that document is left out of this pack by its catalog condition; "
                    f"guard the text with {{% if has({doc_id!r}) %}}"
                )
            raise jinja2.TemplateRuntimeError(f"ref({doc_id!r}): no document with that id in templates/catalog.yaml")
        return doc.ref(self._owner_name(doc.entry.owner))

    def has(self, doc_id: str) -> bool:
        return doc_id in self._by_id

    def docs_of(self, kind: str) -> list[DocRef]:
        return [d.ref(self._owner_name(d.entry.owner)) for d in self._docs if d.entry.kind == kind]

    def functions(self) -> dict[str, Any]:
        return {"ref": self.ref, "has": self.has, "docs_of": self.docs_of}
