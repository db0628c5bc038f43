"""Document control: numbers and file names, and the control block every document carries
(version, approvals, dates, revision history)."""

from __future__ import annotations

from typing import Any

from ..facts.approvals import signatories
from ..profile import Profile
from ..vocab import KINDS
from .numbering import (
    Document,
    check_file_names,
    document_file_name,
    document_number,
    document_path,
    number_documents,
    safe_filename,
)


def control_block(doc: Document, profile: Profile, owner: str) -> dict[str, Any]:
    """What `doc` means inside a template: number, title, version, approvals, dates, history."""
    dc = profile.document_control
    version = f"{dc.edition}/{dc.revision}"
    prepared_by, reviewed_by, approved_by = signatories(profile, doc.entry.kind, doc.entry.owner)
    revisions = doc.revisions or [
        {
            "version": version,
            "section": "全文",
            "summary": "首次发布" if dc.revision == 0 else f"第{dc.revision}次修订",
            "by": prepared_by,
            "approved_by": approved_by,
            "date": dc.issue_date,
        }
    ]
    return {
        "id": doc.entry.id,
        "number": doc.number,
        "title": doc.entry.title,
        "kind": doc.entry.kind,
        "kind_cn": KINDS.label(doc.entry.kind),
        "edition": dc.edition,
        "revision": dc.revision,
        "version": version,
        "control_status": "受控",
        "owner": owner,
        "prepared_by": prepared_by,
        "reviewed_by": reviewed_by,
        "approved_by": approved_by,
        "prepared_date": dc.issue_date,
        "reviewed_date": dc.issue_date,
        "approved_date": dc.issue_date,
        "issue_date": dc.issue_date,
        "effective_date": dc.effective_date,
        "retention_years": dc.retention_years,
        "clauses": list(doc.entry.clauses),
        "revisions": revisions,
    }


__all__ = ["Document", "check_file_names", "control_block", "document_file_name", "document_number", "document_path",
           "number_documents", "safe_filename"]
