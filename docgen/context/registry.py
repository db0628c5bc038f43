"""The documents of one pack as templates reach them: ref('id'), has('id'), docs_of('kind')."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import escape

from ..control import Document


class DocRef(dict):
    """A document in the pack as templates see it: number, title, kind; str() gives 《title》（number）."""

    def __str__(self) -> str:
        return f"《{self['title']}》（{self['number']}）"

    def __html__(self) -> str:  # in Word XML the reference is escaped like any other value
        return str(escape(str(self)))


def doc_ref(doc: Document, owner: str = "") -> DocRef:
    """The template's view of a document."""
    return DocRef(id=doc.entry.id, number=doc.number, title=doc.entry.title, kind=doc.entry.kind, owner=owner)


class Registry:
    """The documents of one pack; `owner_name(function)` names the department that owns a document."""

    def __init__(self, docs: list[Document], all_ids: set[str], owner_name: Callable[[str], str],
                 stands_for: dict[str, str] | None = None) -> None:
        self._by_id = {d.entry.id: d for d in docs}
        for common, own in (stands_for or {}).items():  # a trade's own document answers for a common one
            if common not in self._by_id and own in self._by_id:
                self._by_id[common] = self._by_id[own]
        self._docs = docs
        self._all_ids = all_ids
        self._owner_name = owner_name

    def ref(self, doc_id: str) -> DocRef:
        doc = self._by_id.get(doc_id)
        if doc is None:
            if doc_id in self._all_ids:
                raise jinja2.TemplateRuntimeError(
                    f"ref({doc_id!r}): that document is left out of this pack by its catalog condition; "
                    f"guard the text with {{% if has({doc_id!r}) %}}"
                )
            raise jinja2.TemplateRuntimeError(f"ref({doc_id!r}): no document with that id in templates/catalog.yaml")
        return doc_ref(doc, self._owner_name(doc.entry.owner))

    def has(self, doc_id: str) -> bool:
        return doc_id in self._by_id

    def docs_of(self, kind: str) -> list[DocRef]:
        return [doc_ref(d, self._owner_name(d.entry.owner)) for d in self._docs if d.entry.kind == kind]

    def functions(self) -> dict[str, Any]:
        return {"ref": self.ref, "has": self.has, "docs_of": self.docs_of}
