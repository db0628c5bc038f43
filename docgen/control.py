"""Document control: numbers, versions, approvals and revision history of each document,
and the safe file name it is written under."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import jinja2

from .catalog import KIND_CODES, KIND_FOLDERS, Entry
from .context import KIND_CN, DocRef
from .profile import Profile

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
        return f"{folder}/{safe_filename(f'{self.number} {self.entry.title}')}{self.extension}"

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
    return docs


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
